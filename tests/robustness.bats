#!/usr/bin/env bats
# Fault injection: han-sim streams with damaged frames and junk between frames. hdlc-split
# must find every intact frame and no damaged one, and ams-fields must state exactly the
# ground truth of the intact frames.

load helper

# amshan's keys (corpus README section 3) that a decoder may state for these meters
AMSHAN_KEYS='["meter_manufacturer","list_ver_id","meter_id","meter_type","meter_datetime",
"active_power_import","active_power_export","reactive_power_import","reactive_power_export",
"current_l1","current_l2","current_l3","voltage_l1","voltage_l2","voltage_l3",
"active_power_import_l1","active_power_import_l2","active_power_import_l3",
"active_power_export_l1","active_power_export_l2","active_power_export_l3",
"reactive_power_import_l1","reactive_power_import_l2","reactive_power_import_l3",
"reactive_power_export_l1","reactive_power_export_l2","reactive_power_export_l3",
"active_power_import_total","active_power_export_total","reactive_power_import_total",
"reactive_power_export_total"]'

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# hostile N SEED MODELS: a stream with 10% damaged frames and junk in 20% of the gaps,
# its ground truth (gt.jsonl), what a framer must find (intact) and the ground truth of
# those frames (gt-intact.jsonl).
hostile() {
	han-sim -m "$3" -n "$1" -s "$2" -d any:10% -d junk:20% -g gt.jsonl -w frames.txt > hostile.bin
	grep -v '^#' frames.txt > intact
	jq -c 'select(.damaged|not)' gt.jsonl > gt-intact.jsonl
	[ "$(wc -l < intact)" -eq "$(wc -l < gt-intact.jsonl)" ]
}

# same_fields ACTUAL EXPECTED: line by line, ACTUAL has every key of EXPECTED with an equal
# value (numbers compared as numbers) and no other amshan key.
same_fields() {
	[ "$(wc -l < "$1")" -eq "$(wc -l < "$2")" ] ||
	    { echo "$(wc -l < "$1") records, expected $(wc -l < "$2")"; return 1; }
	jq -n -c --argjson keys "$AMSHAN_KEYS" --slurpfile a "$1" --slurpfile g "$2" '
	    range(0; $g|length) as $i | $a[$i] as $x | $g[$i] as $y |
	    ($x | with_entries(select(.key as $k | $keys | index($k)))) as $xk |
	    select($xk != $y) |
	    {record: ($i + 1), got: ($xk | to_entries - ($y | to_entries) | from_entries),
	     expected: ($y | to_entries - ($xk | to_entries) | from_entries)}' > diffs
	if [ -s diffs ]; then
		echo "$(wc -l < diffs) records differ, the first:"
		head -5 diffs
		return 1
	fi
}

@test "fault injection: 10% damaged frames, junk in 20% of the gaps" {
	hostile 20000 6 mix
	d=$(grep -c '"damaged"' gt.jsonl)
	[ "$d" -ge 1700 ] && [ "$d" -le 2300 ] || { echo "$d damaged"; return 1; }
	for k in flip insert drop trunc; do
		grep -q "\"damaged\":\"$k\"" gt.jsonl
	done
	hdlc-split -s hostile.bin > found 2> err
	# every intact frame, in order, and nothing else
	cmp intact found
	grep -q "frames=$(wc -l < intact) " err
	# the damaged ones were seen and rejected, the junk skipped
	! grep -q 'junk=0$' err
}

@test "fault injection: the same stream read a few bytes at a time" {
	hostile 3000 7 mix
	trickle -n 7 < hostile.bin | hdlc-split > found
	cmp intact found
}

@test "fault injection: no damaged frame comes out, whatever its damage" {
	han-sim -m all -n 3000 -s 8 -d any:60% -d junk:90% -w frames.txt > hostile.bin
	hdlc-split hostile.bin > found
	grep -v '^#' frames.txt | cmp - found
	# (the comparison is by position: two meters may send identical list-1 frames)
	d=$(grep -c '^# damaged' frames.txt)
	[ "$d" -ge 1650 ] && [ "$d" -le 1950 ]
	[ "$(wc -l < found)" -eq $((3000 - d)) ]
}

@test "fault injection: ams-fields states the ground truth of every intact frame" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	hostile 20000 6 mix
	hdlc-split hostile.bin | ams-fields > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
}

@test "fault injection: ams-fields on the Swedish Aidon and Kaifa lists" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	hostile 2000 9 aidon-se,kaifa-se
	hdlc-split hostile.bin | ams-fields > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
}

@test "fault injection: ams-fields reads the damaged stream's frames through cosem-decode too" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	[ -x "$HT_BIN/cosem-decode" ] || skip "cosem-decode not built yet"
	hostile 3000 10 mix
	hdlc-split hostile.bin | cosem-decode | ams-fields > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
}
