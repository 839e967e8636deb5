#!/usr/bin/env bats
# han-sim: CLI, determinism, valid frames in each maker's layout, ground truth that matches
# the frames, damage at the asked rate, real-time pacing, man page.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# count of lines in a file matching a pattern (0 when none)
count() { grep -c -- "$1" "$2" || true; }

@test "-h prints usage and every meter model to stdout, exit 0" {
	run --separate-stderr han-sim -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: han-sim "* ]]
	for m in aidon aidon-1p aidon-it aidon-se kaifa kaifa-1p kaifa-it kaifa-se kamstrup \
	    kamstrup-1p kamstrup-se kamstrup-ch kamstrup-ct lg-e450 lg-e450-v dsmr5 p1-se; do
		grep -q "^  $m " <<< "$output"
	done
	[ -z "$stderr" ]
}

@test "an unknown option is a usage error: exit 2, usage on stderr, nothing on stdout" {
	run -2 --separate-stderr han-sim -Q
	[ -z "$output" ]
	[[ "$stderr" == *"usage: han-sim"* ]]
}

@test "bad option values are usage errors (exit 2) with a message" {
	for args in "-m nosuch" "-d flip" "-d flip:2" "-d wobble:0.1" "-d any:60% -d flip:0.5" \
	    "-n 0" "-n x" "-l 4" "-s -1" "-T 2025-13-01T00:00:00" "-T yesterday" "-x 0" \
	    "-t x" "extra"; do
		run -2 --separate-stderr han-sim $args
		[ -z "$output" ] || { echo "stdout for $args"; return 1; }
		[ -n "$stderr" ] || { echo "no message for $args"; return 1; }
	done
}

@test "the same seed gives the same bytes, another seed other bytes" {
	han-sim -m all -n 300 -s 42 > a.bin
	han-sim -m all -n 300 -s 42 > b.bin
	han-sim -m all -n 300 -s 43 > c.bin
	cmp a.bin b.bin
	! cmp -s a.bin c.bin
	[ "$(wc -c < a.bin)" -gt 20000 ]
}

@test "every frame is valid: hdlc-split finds them all, no rejects, no junk" {
	han-sim -m all -l 1,2,3 -n 2000 -s 5 > s.bin
	hdlc-split -s s.bin > frames 2> err
	[ "$(wc -l < frames)" -eq 2000 ]
	grep -q 'frames=2000 ' err
	grep -q 'bad-hcs=0 bad-fcs=0 no-closing-flag=0 truncated=0 junk=0' err
}

@test "-w lists exactly what hdlc-split prints; -g has one line per frame" {
	han-sim -m mix -n 500 -s 9 -w w.txt -g g.jsonl > s.bin
	hdlc-split s.bin | cmp - w.txt
	[ "$(wc -l < g.jsonl)" -eq 500 ]
	jq -e . g.jsonl > /dev/null
}

@test "ground truth belongs to its frame: maker by HDLC address, values in the bytes" {
	han-sim -m all -n 400 -s 3 -w w.txt -g g.jsonl > /dev/null
	# the maker from the frame's destination and source addresses
	sed -E 's/^7ea[0-9a-f]{3}(41088313|010201|010001|2b2113|ceff0313).*/\1/' w.txt |
	    sed -e 's/41088313/Aidon/' -e 's/01.*/Kaifa/' -e 's/2b2113/Kamstrup/' \
	    -e 's/ceff0313/Landis+Gyr/' > makers
	jq -r .meter_manufacturer g.jsonl | cmp - makers
	# Aidon list 1: array of one {1.0.1.7.0.255, double-long-unsigned, {0, W}}
	paste -d ' ' w.txt <(jq -c '[.meter_manufacturer, .active_power_import, (keys|length)]' g.jsonl) |
	    grep -E '^7ea02a' > aidon1
	[ "$(wc -l < aidon1)" -gt 10 ]
	while read -r hex gt; do
		v=$((16#${hex:62:8}))
		[ "$gt" = "[\"Aidon\",$v,2]" ] || { echo "$hex $gt"; return 1; }
	done < aidon1
	# Kaifa list 1: the date-time in the header, then a structure of one value
	paste -d ' ' w.txt <(jq -c '[.meter_datetime, .active_power_import]' g.jsonl) |
	    grep -E '^7ea027010201' > kaifa1
	[ "$(wc -l < kaifa1)" -gt 10 ]
	while read -r hex gt; do
		y=$((16#${hex:38:4})) mo=$((16#${hex:42:2})) d=$((16#${hex:44:2}))
		h=$((16#${hex:48:2})) mi=$((16#${hex:50:2})) s=$((16#${hex:52:2}))
		want=$(printf '["%04d-%02d-%02dT%02d:%02d:%02d",%d]' $y $mo $d $h $mi $s $((16#${hex:68:8})))
		[ "$gt" = "$want" ] || { echo "$hex $gt $want"; return 1; }
	done < kaifa1
}

@test "each maker's HDLC and APDU header: addresses, control, invoke id, date-time encoding" {
	for m in aidon aidon-se; do
		han-sim -m $m -n 20 -w w.txt > /dev/null
		! grep -vE '^7ea[0-9a-f]{3}41088313[0-9a-f]{4}e6e7000f4000000000' w.txt
	done
	han-sim -m kaifa -n 20 -w w.txt > /dev/null
	! grep -vE '^7ea[0-9a-f]{3}01020110[0-9a-f]{4}e6e7000f40000000090c07e9' w.txt
	han-sim -m kaifa-se -n 20 -w w.txt > /dev/null
	! grep -vE '^7ea[0-9a-f]{3}01000110[0-9a-f]{4}e6e7000f4000000000' w.txt
	han-sim -m kamstrup -n 20 -w w.txt > /dev/null
	! grep -vE '^7ea[0-9a-f]{3}2b2113[0-9a-f]{4}e6e7000f000000000c07e9' w.txt
	# Landis+Gyr: the invoke id counts seconds, the header date-time is bare
	han-sim -m lg-e450 -n 20 -w w.txt > /dev/null
	! grep -vE '^7ea[0-9a-f]{3}ceff0313[0-9a-f]{4}e6e7000f00[0-9a-f]{6}0c07e9' w.txt
}

@test "Landis+Gyr E450 push: its object list of 17 descriptors, then the 17 values; the clock a second after the header's" {
	han-sim -m lg-e450 -n 3 -w w.txt -g g.jsonl > /dev/null
	# structure of 17, array of 17 {long-unsigned 40, OBIS 0.8.25.9.0.255, integer 2, 0}
	! grep -vE '^7e.{32}0c.{24}02110111020412002809060008190900ff0f02120000' w.txt
	cosem-decode w.txt > t.tlv
	[ "$(grep -c '^    2 structure 4' t.tlv)" -eq 51 ]
	# the captured clock is the truth's, the header's a second before it
	paste <(sed -n 's/^apdu .* datetime=\([^ ]*\) .*/\1/p' t.tlv) \
	    <(sed -n 's/^  1 octet-string 12 .* datetime=\([^ ]*\) .*/\1/p' t.tlv) \
	    <(jq -r .meter_datetime g.jsonl) > times
	while read -r h c gt; do
		[ "$c" = "$gt" ] && [ "$(date -ud "${h}Z + 1 second" +%FT%T)" = "$gt" ] ||
		    { echo "$h $c $gt"; return 1; }
	done < times
}

# list_shape MODEL CLASS BODYSTART: every frame of that list begins its body so
# (array 01 / structure 02 and the element count).
list_shape() {
	han-sim -m "$1" -l "$2" -n 3 -w w.txt > /dev/null
	[ "$(wc -l < w.txt)" -eq 3 ]
	! grep -v "$3" w.txt || { echo "$1 list $2 is not $3"; return 1; }
}

@test "Aidon list layouts: 1 element; 9, 12, 13; 14, 17, 18; Swedish 27" {
	list_shape aidon 1 '^7ea02a41088313....e6e7000f40000000000101020309060100010700ff06'
	list_shape aidon-1p 2 '0f4000000000010902020906010100'
	list_shape aidon-it 2 '0f4000000000010c02020906010100'
	list_shape aidon 2 '0f4000000000010d02020906010100'
	list_shape aidon-1p 3 '0f4000000000010e02020906010100'
	list_shape aidon-it 3 '0f4000000000011102020906010100'
	list_shape aidon 3 '0f4000000000011202020906010100'
	list_shape aidon-se 2 '0f4000000000011b0202090600000100'
	# IT grid: no current of L2 (OBIS C 51); currents are signed longs
	han-sim -m aidon-it -l 2 -n 5 -w w.txt > /dev/null
	! grep -q '0906010033070' w.txt
	grep -q '09060100470700ff10' w.txt
}

@test "Kaifa layouts: KFM_001 lists of 1, 9, 13, 14, 18; Swedish 36 OBIS/value elements" {
	list_shape kaifa 1 '0f40000000090c.\{24\}020106'
	list_shape kaifa-1p 2 '0f40000000090c.\{24\}0209'
	list_shape kaifa 2 '0f40000000090c.\{24\}020d0907'
	list_shape kaifa-1p 3 '0f40000000090c.\{24\}020e0907'
	list_shape kaifa 3 '0f40000000090c.\{24\}02120907'
	list_shape kaifa-se 2 '0f4000000000022409060100000281ff0907'
}

@test "Kamstrup layouts: Kamstrup_V0001 then pairs, 25 and 35 elements, null padding" {
	list_shape kamstrup 2 '0f000000000c.\{24\}02190a0e4b616d73747275705f5630303031'
	list_shape kamstrup 3 '0f000000000c.\{24\}02230a0e4b616d73747275705f5630303031'
	# one phase: the I2, I3, U2, U3 pairs are null-data
	han-sim -m kamstrup-1p -n 3 -w w.txt > /dev/null
	! grep -v '090601011f0700ff06.\{8\}0000000009060101200700ff12.\{4\}00000000' w.txt
}

@test "ground truth keys follow the lists: list 1 short, IT without current_l2" {
	han-sim -m aidon -l 1 -n 3 -g g.jsonl > /dev/null
	[ "$(jq -c keys g.jsonl | sort -u)" = '["active_power_import","meter_manufacturer"]' ]
	han-sim -m aidon-it -l 2 -n 3 -g g.jsonl > /dev/null
	! grep -q current_l2 g.jsonl
	grep -q voltage_l2 g.jsonl
	han-sim -m kamstrup-1p -l 3 -n 2 -g g.jsonl > /dev/null
	[ "$(jq -r 'keys|join(",")' g.jsonl | sort -u)" = \
	    "active_power_export,active_power_export_total,active_power_import,active_power_import_total,current_l1,list_ver_id,meter_datetime,meter_id,meter_manufacturer,meter_type,reactive_power_export,reactive_power_export_total,reactive_power_import,reactive_power_import_total,voltage_l1" ]
	han-sim -m aidon-se -n 2 -g g.jsonl > /dev/null
	# 27 elements: the clock and 26 values, plus the maker
	[ "$(jq 'keys|length' g.jsonl | sort -u)" -eq 28 ]
}

@test "numbers are exact decimals: no float noise, no trailing zeros" {
	han-sim -m all -l 1,2,3 -n 3000 -s 8 -g g.jsonl > /dev/null
	! grep -E '[0-9]\.[0-9]*0[,}]|\.[0-9]{4,}|e[+-]?[0-9]' g.jsonl
	grep -qE '"current_l1":[0-9]+\.[0-9]{3}[,}]' g.jsonl	# Kaifa mA
	grep -qE '"voltage_l1":2[0-9]{2}\.[1-9][,}]' g.jsonl
}

@test "meter_datetime as the meters state it: offsets only where the deviation is given" {
	han-sim -m kaifa -l 1 -n 1 -T 2025-03-04T05:06:07 -g g.jsonl > /dev/null
	[[ "$(jq -r .meter_datetime g.jsonl)" == 2025-03-04T05:06:0[7-9] ]]
	han-sim -m kaifa-se -n 1 -T 2025-03-04T05:06:07 -g g.jsonl > /dev/null
	[[ "$(jq -r .meter_datetime g.jsonl)" == 2025-03-04T05:06:[01][0-9]+01:00 ]]
	han-sim -m aidon -l 3 -n 1 -T 2025-03-04T05:06:07 -g g.jsonl > /dev/null
	[ "$(jq -r .meter_datetime g.jsonl)" = 2025-03-04T06:00:00+00:00 ]
	han-sim -m kamstrup -l 3 -n 1 -T 2025-12-31T23:59:00 -g g.jsonl > /dev/null
	[[ "$(jq -r .meter_datetime g.jsonl)" == 2026-01-01T00:00:[12][0-9] ]]
}

@test "cadence: Kaifa 2 s / 10 s / hourly, Aidon 2.5 s, Kamstrup 10 s, over one hour" {
	han-sim -m kaifa -t 3600 -g g.jsonl > /dev/null
	[ "$(wc -l < g.jsonl)" -eq 1800 ]
	[ "$(count active_power_import_total g.jsonl)" -eq 1 ]
	[ "$(count list_ver_id g.jsonl)" -eq 360 ]
	han-sim -m aidon -t 3600 -g g.jsonl > /dev/null
	[ "$(wc -l < g.jsonl)" -eq 1440 ]
	han-sim -m kamstrup -t 3600 -g g.jsonl > /dev/null
	[ "$(wc -l < g.jsonl)" -eq 360 ]
	[ "$(count active_power_import_total g.jsonl)" -eq 1 ]
}

@test "values vary and energy registers never go down" {
	han-sim -m kaifa -l 3 -n 6 -g g.jsonl > /dev/null
	[ "$(jq .active_power_import g.jsonl | sort -u | wc -l)" -gt 3 ]
	jq -s -e '[.[].active_power_import_total] as $e |
	    all(range(1; $e|length); $e[.] >= $e[. - 1]) and $e[-1] > $e[0]' g.jsonl
}

# damage_rate KIND: 4000 frames with KIND at 10%: about 400 marked, and hdlc-split finds
# exactly the others.
damage_rate() {
	han-sim -m mix -n 4000 -s 21 -d "$1:10%" -g g.jsonl -w w.txt > s.bin
	d=$(count "\"damaged\":\"$2\"" g.jsonl)
	[ "$d" -ge 320 ] && [ "$d" -le 480 ] || { echo "$1: $d damaged"; return 1; }
	[ "$(count '^# damaged' w.txt)" -eq "$(count '"damaged"' g.jsonl)" ]
	hdlc-split s.bin > found
	grep -v '^#' w.txt | cmp - found
}

@test "damage: bit flips at about the rate, and only those frames are lost" {
	damage_rate flip flip
}

@test "damage: inserted bytes" {
	damage_rate insert insert
}

@test "damage: dropped bytes" {
	damage_rate drop drop
}

@test "damage: truncation" {
	damage_rate trunc trunc
}

@test "damage: LF -> CR LF, or a flip where a frame has no LF" {
	han-sim -m mix -n 4000 -s 21 -d crlf:10% -g g.jsonl -w w.txt > s.bin
	c=$(count '"damaged":"crlf"' g.jsonl) f=$(count '"damaged":"flip"' g.jsonl)
	[ "$c" -gt 20 ] && [ $((c + f)) -ge 320 ] && [ $((c + f)) -le 480 ]
	# a CR LF frame is the intact one with 0d before each 0a
	grep '^# damaged crlf' w.txt | head -1 | cut -d' ' -f4 > intact
	grep -q 0a intact
	crlf=$(sed -E 's/(..)/\1 /g; s/(^| )0a /\10d 0a /g; s/ //g' intact)
	[ "${#crlf}" -gt "$(wc -L < intact)" ]
	xxd -p s.bin | tr -d '\n' | grep -q "$crlf"
	hdlc-split s.bin > found
	grep -v '^#' w.txt | cmp - found
}

@test "damage: junk in about 20% of the gaps; every frame still found" {
	han-sim -m mix -n 4000 -s 4 -d junk:20% -w w.txt > s.bin
	han-sim -m mix -n 4000 -s 4 > clean.bin
	j=$(( $(wc -c < s.bin) - $(wc -c < clean.bin) ))
	# 1 to 40 bytes, 20.5 on average, in 800 gaps
	[ "$j" -gt 12000 ] && [ "$j" -lt 21000 ]
	hdlc-split -s s.bin > found 2> err
	cmp found w.txt
	grep -q 'frames=4000 ' err
}

@test "damage leaves the frames and values as they are without it" {
	han-sim -m mix -n 1000 -s 12 -w plain.txt -g plain.jsonl > /dev/null
	han-sim -m mix -n 1000 -s 12 -d any:30% -d junk:50% -w bad.txt -g bad.jsonl > /dev/null
	sed 's/^# damaged [a-z]* //' bad.txt | cmp - plain.txt
	jq -c 'del(.damaged)' bad.jsonl | cmp - plain.jsonl
}

@test "-l picks list classes; meters without them are left out" {
	han-sim -m mix -l 1 -n 100 -g g.jsonl > /dev/null
	! grep -q Kamstrup g.jsonl
	run -2 --separate-stderr han-sim -m kamstrup -l 1 -n 1
	[[ "$stderr" == *"none of the meters"* ]]
}

@test "-t stops after that much meter time" {
	han-sim -m kaifa -t 60 -g g.jsonl > s.bin
	[ "$(wc -l < g.jsonl)" -eq 30 ]
}

@test "-r paces the bytes at 2400 baud and the lists at the cadence; -x speeds it up" {
	# two Kamstrup lists 10 s apart, sped up 20 times: 0.5 s between them, each list's
	# 228 bytes at 240 bytes/s taking 48 ms
	start=$(date +%s%N)
	han-sim -x 20 -m kamstrup -l 2 -n 3 -T 2025-01-01T00:00:00 > s.bin
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$ms" -ge 1000 ] && [ "$ms" -le 2500 ] || { echo "took $ms ms"; return 1; }
	[ "$(hdlc-split s.bin | wc -l)" -eq 3 ]
	# and the bytes of one frame trickle: reading it takes about its line time
	start=$(date +%s%N)
	han-sim -x 2 -m kaifa -l 1 -n 1 -T 2025-01-01T00:00:00 | cat > /dev/null
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$ms" -ge 80 ] || { echo "took $ms ms"; return 1; }
}

@test "output errors exit 1; a closed pipe ends it quietly" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -1 --separate-stderr bash -c 'han-sim -n 100000 > /dev/full'
	[[ "$stderr" == *"han-sim: write error"* ]]
	run -1 --separate-stderr han-sim -n 10 -g /nonexistent/dir/g.jsonl
	[[ "$stderr" == *"/nonexistent/dir/g.jsonl"* ]]
	run bash -c 'han-sim | head -c 1000 | wc -c'
	[ "$output" -eq 1000 ]
}

@test "100 MB in a few seconds" {
	start=$(date +%s%N)
	han-sim -m mix -n 1200000 | wc -c > size
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$(cat size)" -gt 90000000 ]
	if nm "$HT_BIN/han-sim" 2>/dev/null | grep -q __asan_init; then
		return 0	# sanitizer builds are several times slower
	fi
	[ "$ms" -lt 10000 ] || { echo "took $ms ms"; return 1; }
}

@test "man page: lint clean" {
	run groff -mandoc -ww -z "$ROOT/man/han-sim.1"
	[ -z "$output" ]
}

@test "man page: every option of -h is documented" {
	for o in $(han-sim -h | grep -oE '^  -[a-zA-Z]' | tr -d ' -'); do
		grep -q "^\.It Fl $o" "$ROOT/man/han-sim.1" || { echo "-$o missing"; return 1; }
	done
	[ "$(han-sim -h | grep -cE '^  -[a-zA-Z]')" -ge 12 ]
}

@test "samples/ are what samples/regen.sh makes with this han-sim" {
	mkdir regen
	sh "$ROOT/samples/regen.sh" "$HT_BIN" regen
	n=0
	for f in regen/*; do
		cmp "$f" "$SAMPLES/$(basename "$f")"
		n=$((n + 1))
	done
	[ "$n" -ge 20 ]
	# every sample is valid input: its frames are all found (the damaged one: its intact ones)
	for f in "$SAMPLES"/*.bin; do
		[ "$(hdlc-split "$f" | wc -l)" -eq "$(grep -vc '"damaged"' "${f%.bin}.jsonl")" ]
	done
}

@test "-r writes the ground truth as it goes" {
	han-sim -x 20 -m kamstrup -l 2 -n 2 -g g.jsonl -T 2025-01-01T00:00:00 > /dev/null &
	pid=$!
	# the first list is due within 0.5 s of meter time at 20 times speed
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s g.jsonl ] && break
		sleep 0.1
	done
	[ -s g.jsonl ]
	kill -0 "$pid"	# and han-sim is still waiting for the second list
	wait "$pid"
	[ "$(wc -l < g.jsonl)" -eq 2 ]
}

@test "man page EXAMPLES run" {
	han-sim -t 10 | hdlc-split > frames
	[ "$(wc -l < frames)" -eq 4 ]
	if [ -x "$HT_BIN/ams-fields" ]; then
		han-sim -t 10 | hdlc-split | ams-fields > fields
		[ "$(wc -l < fields)" -eq 4 ]
	fi
	han-sim -m all -l 3 -n 9 -g expected.jsonl > lists.bin
	[ "$(jq -r .meter_manufacturer expected.jsonl | sort | uniq -c | awk '{ print $1 }' | tr '\n' ' ')" = "3 3 3 " ]
	jq -r .meter_type expected.jsonl | sort -u | wc -l | grep -qx 8
	han-sim -m mix -n 10000 -d any:10% -d junk:20% -w frames.txt > bad.bin
	hdlc-split bad.bin > found.txt
	grep -v '^#' frames.txt | cmp - found.txt
}

@test "valgrind: no memory errors or leaks, with every option that allocates or writes" {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	if nm "$HT_BIN/han-sim" 2>/dev/null | grep -q __asan_init; then
		skip "sanitizer build"
	fi
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
	    han-sim -m all -l 1,2,3 -n 500 -d any:20% -d junk:20% -g g.jsonl -w w.txt > s.bin
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
	    han-sim -x 100 -m kaifa -n 2 > /dev/null
	[ "$(wc -l < g.jsonl)" -eq 500 ]
}
