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
	    ($x | with_entries(select(.key as $k | ($keys | index($k)) or ($y | has($k))))) as $xk |
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

@test "fault injection: ams-fields on the L+G E450 push, whole and in GBT blocks lost, repeated and damaged" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	hostile 3000 11 lg-e450,kamstrup
	hdlc-split hostile.bin | ams-fields > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
	# in blocks among Norwegian meters: a lost or damaged block loses its push and only it
	han-sim -m lg-e450,mix -L gbt -n 3000 -s 12 -d lose:5% -d repeat:5% -d any:10% \
	    -d junk:20% -g gt.jsonl > hostile.bin
	[ "$(grep -c '"damaged"' gt.jsonl)" -gt 200 ]
	jq -c 'select(.damaged|not)' gt.jsonl > gt-intact.jsonl
	[ "$(grep -c Landis gt-intact.jsonl)" -gt 150 ]
	hdlc-split hostile.bin | ams-fields -q > fields.jsonl
	same_fields fields.jsonl gt-intact.jsonl
}

@test "fault injection: ams-fields on Kamstrup's 65-element list, direct (0.01 A) and CT (mA, -K 1)" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	hostile 3000 13 kamstrup-ch,kamstrup
	hdlc-split hostile.bin | ams-fields > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
	[ "$(grep -c '"power_factor"' fields.jsonl)" -gt 1000 ]
	# the CT meter's energies are given only when told their unit: with -K 1, all of it
	hostile 3000 14 kamstrup-ct
	hdlc-split hostile.bin | ams-fields -K 1 > fields.jsonl 2> err
	assert_empty err
	same_fields fields.jsonl gt-intact.jsonl
	[ "$(jq -s 'map(select(.current_l1 > 5)) | length' fields.jsonl)" -gt 100 ]
}

@test "fault injection: L+G pushes that send their object list now and then, with frames damaged" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built yet"
	hostile 3000 15 lg-e450-v,lg-e450-v,lg-e450-v
	hdlc-split hostile.bin | ams-fields > fields.jsonl 2> err
	# values whose meter's object list was damaged and none came before are said, not
	# guessed; every record given is its push's truth, in order
	un=$(grep -c "a push's values without its object list, and none remembered" err || true)
	[ "$(wc -l < err)" -eq "$un" ]
	[ "$(( $(wc -l < fields.jsonl) + un ))" -eq "$(wc -l < gt-intact.jsonl)" ]
	[ "$un" -lt 100 ]
	jq -c '{meter_id, meter_datetime}' gt-intact.jsonl > keys.all
	jq -c '{meter_id, meter_datetime}' fields.jsonl > keys.got
	# the records given are the intact pushes less the unnamed ones, in their order
	[ -z "$(comm -13 <(sort keys.all) <(sort keys.got))" ]
	jq -c --slurpfile g gt-intact.jsonl '. as $x | ($g | map(select(.meter_id == $x.meter_id and
	    .meter_datetime == $x.meter_datetime)) | first) as $y |
	    select(($y | to_entries | map(select($x[.key] != .value)) | length) > 0)' fields.jsonl > bad
	assert_empty bad
}

# hostile_ids: one body line per hostile meter id, sent as a visible-string (taken as text)
# and an octet-string (text when printable), in an OBIS list with a negative current
hostile_ids() {
	python3 <<'PY'
ids = [b"=cmd|' /C calc'!A0", b"+1+1", b"-2+3", b"@SUM(A1)", b"\tTAB", b"\rCR",
       b"\x1b[31mred\x1b[0m", b"bell\x07", b"nul\x00in", b"bad\xff\xfeutf8", b"c1\xc2\x9bx",
       b"cut\xc3", b'quote"comma,line\nbreak', b"\xe2\x82\xac ok"]
def s(tag, b):
    return bytes([tag, len(b)]) + b
for tag in (0x0a, 0x09):
    for i in ids:
        items = [b"\x02\x02" + s(9, bytes([0, 0, 96, 1, 0, 255])) + s(tag, i),
                 b"\x02\x03" + s(9, bytes([1, 0, 31, 7, 0, 255])) + b"\x10\xff\xfe" +
                 b"\x02\x02\x0f\xff\x16\x21"]
        print((b"\x01\x02" + b"".join(items)).hex())
PY
}

@test "hostile strings: no formula, control character, NUL or broken UTF-8 in CSV; JSON valid UTF-8" {
	hostile_ids > in
	ams-fields -f csv -F meter_id,current_l1,list in > out.csv
	ams-fields -F meter_id,current_l1 in > out.jsonl
	[ "$(wc -l < out.jsonl)" -eq 28 ]
	python3 - <<'PY'
import csv, json, re, sys
raw = open('out.csv', 'rb').read()
text = raw.decode('utf-8')          # valid UTF-8, or this raises
rows = list(csv.reader(open('out.csv', newline='', encoding='utf-8'), strict=True))
assert rows[0] == ['meter_id', 'current_l1', 'list'], rows[0]
assert len(rows) == 29, len(rows)
num = re.compile(r'^-?[0-9]+(\.[0-9]+)?$')
for r in rows[1:]:
    assert len(r) == 3, r
    for cell in r:
        for ch in cell:
            o = ord(ch)
            assert not (o < 0x20 or o == 0x7f or 0x80 <= o <= 0x9f), repr(cell)
        if cell and cell[0] in '=+-@\t\r':
            assert num.match(cell), repr(cell)
    assert r[1] == '-0.2', r
for line in open('out.jsonl', 'rb'):
    d = json.loads(line.decode('utf-8'))
    assert d['current_l1'] == -0.2
print('ok')
PY
	# the formula cell is neutralised with a leading quote, the euro sign kept
	grep -q "^\"'=cmd|' /C calc'!A0\"," out.csv
	grep -q '^€ ok,' out.csv
	# JSON keeps what it can say exactly: controls escaped, broken UTF-8 as U+FFFD
	grep -q '"meter_id":"bell\\u0007"' out.jsonl
	grep -q '"meter_id":"bad\\ufffd\\ufffdutf8"' out.jsonl
}

@test "small ones: closed descriptors, a summary that cannot be written, long lines, zones that are not zones" {
	# started with stdout closed, han-sim must not write its stream into the truth file
	st=0
	bash -c 'exec han-sim -n 3 -g gt.jsonl >&-' 2> err || st=$?
	[ "$st" -eq 1 ]
	grep -q 'write error' err
	# the truth file holds truth or nothing, never the binary stream
	[ ! -s gt.jsonl ] || jq -e . gt.jsonl > /dev/null
	bash -c 'exec ams-fields -q /dev/null 2>&-' ; true
	# hdlc-split -s whose summary cannot be written exits non-zero
	han-sim -n 3 > raw.bin
	run bash -c 'hdlc-split -s raw.bin 2> /dev/full'
	[ "$status" -ne 0 ]
	run bash -c 'hdlc-split raw.bin 2> /dev/full'
	[ "$status" -eq 0 ]
	# a line is too long by its length: 65537 hex digits, wherever it lands in the buffer
	for pre in 0 1 100 40000; do
		{ head -c "$pre" /dev/zero | tr '\0' '\n'; head -c 65537 /dev/zero | tr '\0' a; echo; } > long
		run --separate-stderr cosem-decode long
		[[ "$stderr" == *"line-too-long"* ]] || { echo "prefix $pre: $stderr"; return 1; }
	done
	# -z with a file that is not a zone is a usage error; a zone file works
	run -2 ams-fields -z /etc/passwd /dev/null
	run -2 ams-fields -z /dev/null /dev/null
	run -2 ams-fields -z Europe /dev/null
	run ams-fields -z Europe/Oslo /dev/null
	[ "$status" -eq 0 ]
	run ams-fields -z /usr/share/zoneinfo/Europe/Oslo /dev/null
	[ "$status" -eq 0 ]
}
