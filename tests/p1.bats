#!/usr/bin/env bats
# P1 telegrams: the framer (han-split -p p1|auto), the record form between tools, the
# fields ams-fields takes from them, and every P1 vector of the corpus.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# tg: telegram text on stdin (LF line ends, ending with "!") to wire bytes: CR LF line
# ends and the CRC-16/ARC of "/" through "!" as four hex digits (DSMR 4 and 5).
tg() {
	python3 -c '
import sys
t = sys.stdin.buffer.read().replace(b"\n", b"\r\n")
c = 0
for b in t:
    c ^= b
    for _ in range(8):
        c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
sys.stdout.buffer.write(t + b"%04X\r\n" % c)'
}

# dsmr P+ [A+]: a DSMR 5 telegram with that power (kW text) and import register (kWh)
dsmr() {
	printf '/ISK5\\2M550T-1012\n\n1-3:0.2.8(50)\n0-0:1.0.0(%s)\n0-0:96.1.1(4530303434303037313331363530323137)\n1-0:1.8.1(%s*kWh)\n1-0:1.8.2(000400.001*kWh)\n1-0:2.8.1(000000.000*kWh)\n1-0:2.8.2(000000.000*kWh)\n0-0:96.14.0(0002)\n1-0:1.7.0(%s*kW)\n1-0:2.7.0(00.000*kW)\n1-0:32.7.0(231.4*V)\n1-0:31.7.0(004*A)\n1-0:21.7.0(%s*kW)\n0-1:24.1.0(003)\n0-1:96.1.0(4730303332353631323831363736353136)\n0-1:24.2.1(261204101500W)(01234.567*m3)\n!' \
	    "${3:-261204101510W}" "${2:-012345.678}" "$1" "$1" | tg
}

@test "p1: a DSMR 5 telegram comes out as its own lines, CR left out, time before the /" {
	dsmr 01.011 > t.bin
	run --separate-stderr han-split -p p1 t.bin
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "${lines[0]}" = '/ISK5\2M550T-1012' ]
	[ "$(sed -n 2p <<< "$output")" = '' ]
	[[ "${lines[-1]}" =~ ^![0-9A-F]{4}$ ]]
	[ "$(wc -l <<< "$output")" -eq 19 ]
	! grep -q $'\r' <<< "$output"
	# the same bytes as sent, CRs apart
	diff <(tr -d '\r' < t.bin) <(printf '%s\n' "$output")
	han-split -p p1 -u t.bin | head -1 | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z /ISK5'
	# hdlc-split reads HDLC unless told: no frame in P1 text
	[ -z "$(hdlc-split t.bin)" ]
	[ "$(hdlc-split -p p1 t.bin)" = "$output" ]
}

@test "p1: exact conversions: 1.011 kW is 1011 W, 012345.678 kWh is 12345678 Wh; tariffs, ids, clock" {
	dsmr 01.011 > t.bin
	run --separate-stderr sh -c 'han-split t.bin | ams-fields -F list,meter_manufacturer_id,meter_type_id,equipment_id,meter_datetime,active_power_import,active_power_import_l1,active_power_import_tariff1,active_power_import_tariff2,tariff,voltage_l1,current_l1'
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = '{"list":"p1","meter_manufacturer_id":"ISK","meter_type_id":"M550T-1012","equipment_id":"4530303434303037313331363530323137","meter_datetime":"2026-12-04T10:15:10+01:00","active_power_import":1011,"active_power_import_l1":1011,"active_power_import_tariff1":12345678,"active_power_import_tariff2":400001,"tariff":"0002","voltage_l1":231.4,"current_l1":4}' ]
	# the totals are not invented from the tariff registers
	[ "$(han-split t.bin | ams-fields -F active_power_import_total)" = '{}' ]
	# the gas meter on M-Bus channel 1: its type, id, reading, unit and the reading's time
	[ "$(han-split t.bin | ams-fields -F mbus1_device_type,mbus1_id,mbus1_reading,mbus1_unit,mbus1_reading_time)" = '{"mbus1_device_type":"003","mbus1_id":"4730303332353631323831363736353136","mbus1_reading":1234.567,"mbus1_unit":"m3","mbus1_reading_time":"2026-12-04T10:15:00+01:00"}' ]
	# summer time is +02:00; with -z the zone decides
	[ "$(dsmr 1 012345.678 260704101510S | han-split | ams-fields -F meter_datetime)" = '{"meter_datetime":"2026-07-04T10:15:10+02:00"}' ]
	[ "$(dsmr 1 012345.678 260704101510S | han-split | ams-fields -z America/New_York -F meter_datetime)" = '{"meter_datetime":"2026-07-04T10:15:10-04:00"}' ]
	# a current transformer scales powers and energies, exactly
	[ "$(han-split t.bin | ams-fields -c 2.5 -F active_power_import,active_power_import_tariff1,voltage_l1)" = '{"active_power_import":2527.5,"active_power_import_tariff1":30864195,"voltage_l1":231.4}' ]
}

@test "p1: a unit that is not what the code measures is an error on that field, kept under obis_" {
	dsmr 01.011 | tr -d '\r' | sed 's/^1-0:1.7.0(01.011\*kW)/1-0:1.7.0(01.011*kWh)/; s/^1-0:32.7.0(231.4\*V)/1-0:32.7.0(2x1.4*V)/; /^!/d' > t.txt
	printf '!' >> t.txt
	tg < t.txt > t.bin
	run --separate-stderr sh -c 'han-split t.bin | ams-fields -F active_power_import,voltage_l1,obis_1_0_1_7_0_255,obis_1_0_32_7_0_255'
	[ "$status" -eq 0 ]
	[ "$output" = '{"obis_1_0_1_7_0_255":"01.011*kWh","obis_1_0_32_7_0_255":"2x1.4*V"}' ]
	[ "$stderr" = "ams-fields: line 1: bad-unit: active_power_import: 01.011*kWh
ams-fields: line 1: bad-value: voltage_l1: 2x1.4*V" ]
}

@test "p1: CRC checked; unpadded CRC taken; no CRC taken only when every line is code(value)" {
	dsmr 01.011 > good.bin
	sed 's/01\.011\*kW/01.012*kW/' good.bin > bad.bin
	run --separate-stderr han-split -p p1 -a -s bad.bin
	[ "${lines[0]:0:12}" = '# bad-crc @0' ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" == *" telegrams=0 "*" bad-crc=1 "* ]]
	# three digits for a CRC below 0x1000 (a heat meter sends them so)
	printf '/NWA-WARMTELINK\n\n0-0:96.1.1(ADC3100000158491)\n!' | tg | tr -d '\r' | head -4 > x
	crc=$(tail -1 x | tr -d '!'); [ -n "$crc" ]
	printf '/AAA5B\r\n\r\n1-0:1.8.0(000001.000*kWh)\r\n!' > u.bin
	python3 -c '
t = open("u.bin", "rb").read()
c = 0
for b in t:
    c ^= b
    for _ in range(8):
        c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
open("u.bin", "ab").write(b"%X\r\n" % c)'
	[ "$(han-split -p p1 u.bin | ams-fields -F active_power_import_total)" = '{"active_power_import_total":1000}' ]
	# DSMR 2.2: no CRC at all
	printf '/ISk5\\2MT382-1004\r\n\r\n1-0:1.7.0(0001.01*kW)\r\n0-1:24.3.0(161107190000)(00)(60)(1)(0-1:24.2.1)(m3)\r\n(00001.001)\r\n!\r\n' > n.bin
	run --separate-stderr sh -c 'han-split -s n.bin | ams-fields -F active_power_import,obis_0_1_24_3_0_255'
	[ "$output" = '{"active_power_import":1010,"obis_0_1_24_3_0_255":"(161107190000)(00)(60)(1)(0-1:24.2.1)(m3)\n(00001.001)"}' ]
	[[ "$stderr" == *"telegrams=1 unchecked=1"* ]]
	# ... but a line cut short in a telegram without CRC rejects it
	printf '/ISk5\\2MT382-1004\r\n\r\n1-0:1.7.0(0001.01*kW)\r\n1-0:2.7.0(00\r\n!\r\n' > c.bin
	run --separate-stderr han-split -p p1 -a c.bin
	[ "${lines[0]:0:13}" = '# bad-line @0' ]
}

@test "p1: a damaged, cut or interrupted telegram never costs the next; junk is skipped and counted" {
	for i in 1 2 3 4 5 6; do dsmr "0$i.000" > t$i.bin; done
	{
		printf '\xff\x00\x80junk'				# junk before
		cat t1.bin
		head -c 300 t2.bin					# cut mid-line, no line break
		cat t3.bin
		sed 's/231\.4/231.5/' t4.bin				# bad CRC
		head -c 100 t5.bin; printf '\r\n'			# cut at a line end
		cat t6.bin
		head -c 50 t1.bin					# the input ends inside one
	} > s.bin
	run --separate-stderr sh -c 'han-split -p p1 -s s.bin | ams-fields -F active_power_import'
	[ "$status" -eq 0 ]
	[ "$output" = '{"active_power_import":1000}
{"active_power_import":3000}
{"active_power_import":6000}' ]
	[[ "$stderr" == *"telegrams=3 unchecked=0 bytes=$(wc -c < s.bin) bad-crc=2 no-end=1 "*"truncated=1 junk=7"* ]]
	# -a names each; rejections with no telegram between are one line with counts
	han-split -p p1 -a s.bin | grep '^#' | cut -d' ' -f2 | tr '\n' ' ' > why
	[ "$(cat why)" = 'junk bad-crc bad-crc truncated ' ]
	han-split -p p1 -a s.bin | grep -q '^# bad-crc @[0-9]* x2 bad-crc=1 no-end=1 2f49534b35'

}

@test "p1: a telegram is written as soon as its CRC is in; it is bounded; -j and -b" {
	dsmr 01.011 > t.bin
	# the telegram without its final CR LF: out at once, the pipe still open
	head -c -2 t.bin > part.bin
	run bash -c '(cat part.bin; sleep 3) | timeout 2 han-split -p p1 | head -1'
	[ "$output" = '/ISK5\2M550T-1012' ]
	# -j: the text as one JSON string
	han-split -p p1 -j t.bin | jq -e '.link == "p1" and .crc == true and .ok == true and (.text | startswith("/ISK5\\2M550T-1012\n\n1-3:0.2.8(50)\n")) and (.text | endswith("!" + .[-4:]))'
	# -b: a clean capture reads back the same
	han-split -p p1 -b t.bin > cap.bin
	cmp cap.bin t.bin
	# 20000 bytes of data lines with no end: too-long, and the next telegram is found
	{ printf '/AAA5B\r\n\r\n'; for i in $(seq 800); do printf '1-0:1.8.0(00001.000*kWh)\r\n'; done; cat t.bin; } > long.bin
	run --separate-stderr han-split -p p1 -s long.bin
	[[ "$stderr" == *"telegrams=1 "*"too-long=1 "* ]]
	[ "${lines[0]}" = '/ISK5\2M550T-1012' ]
}

@test "p1: -p auto takes HDLC frames and P1 telegrams from one stream; han-split defaults to it" {
	dsmr 01.011 > t.bin
	{ cat "$SAMPLES/kaifa-3ph.bin"; cat t.bin; cat "$SAMPLES/aidon-3ph.bin"; cat t.bin; } > mix.bin
	n=$(( $(hdlc-split "$SAMPLES/kaifa-3ph.bin" | wc -l) + $(hdlc-split "$SAMPLES/aidon-3ph.bin" | wc -l) ))
	run --separate-stderr sh -c 'han-split -s mix.bin | ams-fields -F list'
	[ "$status" -eq 0 ]
	[ "$(grep -c '"list":"p1"' <<< "$output")" -eq 2 ]
	[ "$(grep -vc '"list":"p1"' <<< "$output")" -eq "$n" ]
	[[ "$stderr" == *"frames=$n empty=0 telegrams=2 unchecked=0"* ]]
	[[ "$stderr" != *"ams-fields"* ]]
	# the HDLC frames come out exactly as hdlc-split gives them
	diff <(hdlc-split mix.bin) <(han-split mix.bin | grep '^7e')
	# a bad -p
	run han-split -p xyz mix.bin
	[ "$status" -eq 2 ] && [[ "$output" == *"-p takes hdlc, p1, mbus, db or auto"* ]]
}

@test "p1: cosem-decode passes a telegram by unchanged, so it still reaches ams-fields" {
	dsmr 01.011 > t.bin
	han-split -t t.bin > rec.txt
	run --separate-stderr cosem-decode rec.txt
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = "$(cat rec.txt)" ]
	[ "$(cosem-decode rec.txt | ams-fields -F active_power_import)" = '{"active_power_import":1011}' ]
	# a record whose text was changed on the way fails its CRC again
	sed 's/01\.011/01.012/' rec.txt | ams-fields 2>&1 >/dev/null | grep -q 'line 1: bad-crc'
	# a telegram cut off by the next one, and at the end
	{ head -5 rec.txt; cat rec.txt; head -3 rec.txt; } > cut.txt
	run --separate-stderr ams-fields -F active_power_import cut.txt
	[ "$output" = '{"active_power_import":1011}' ]
	[ "$stderr" = "ams-fields: line 1: no-end
ams-fields: line 25: truncated" ]
}

@test "p1: recall and precision 1 on 2000 telegrams under random damage" {
	python3 - <<'EOF'
import random
random.seed(7)
def crc(t):
    c = 0
    for b in t:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    return c
out = bytearray(); truth = []
for i in range(2000):
    t = ("/KFM5KAIFA-METER\n\n0-0:1.0.0(261204101510W)\n1-0:1.7.0(%06.3f*kW)\n1-0:1.8.0(%010.3f*kWh)\n1-0:32.7.0(230.%d*V)\n!" % (i / 1000, i * 1.5, i % 10)).replace("\n", "\r\n").encode()
    t += b"%04X\r\n" % crc(t)
    r = random.random()
    intact = True
    if r < 0.15:                        # one bit flipped
        k = random.randrange(len(t))
        t = t[:k] + bytes([t[k] ^ (1 << random.randrange(8))]) + t[k + 1:]
        # intact when in the CR LF after the check digits, or when a digit only
        # changed case
        d = t[k:k + 1].decode("latin-1")
        intact = k >= len(t) - 2 or (k >= len(t) - 6 and d in "abcdef")
    elif r < 0.25:                      # cut short, the next right after it
        t = t[:random.randrange(1, len(t) - 8)]
        intact = False
    elif r < 0.35:                      # line noise before it
        out += bytes(random.randrange(256) for _ in range(random.randrange(1, 40)))
    out += t
    if intact:
        truth.append(i)
open("s.bin", "wb").write(out)
open("truth", "w").write("".join("%d\n" % i for i in truth))
EOF
	[ "$(wc -l < truth)" -gt 1400 ]
	han-split -p p1 s.bin | ams-fields -F active_power_import | jq -r .active_power_import > got
	diff truth got
}

# ---------------------------------------------------------------- corpus

@test "p1: corpus: every P1 vector to decode gives one telegram and the corpus's fields; rejects give none" {
	need_corpus
	jq -r 'select(.framing == "p1") | "\(.id)\t\(.expect)\t\(.hex)"' "$CORPUS" > vec.tsv
	[ "$(grep -c $'\tdecode\t' vec.tsv)" -eq 26 ] && [ "$(grep -c $'\treject\t' vec.tsv)" -eq 5 ]
	bad=0
	while IFS=$'\t' read -r id expect hex; do
		printf %s "$hex" | hex2bin > v.bin
		n=$(han-split -p p1 -s v.bin 2>&1 >/dev/null | sed 's/.*telegrams=\([0-9]*\).*/\1/')
		if [ "$expect" = reject ]; then
			[ "$n" -eq 0 ] || { echo "$id: $n telegrams from a reject"; bad=$((bad + 1)); }
			[ -z "$(han-split -p auto v.bin | ams-fields -q)" ] || { echo "$id: fields from a reject"; bad=$((bad + 1)); }
			continue
		fi
		[ "$n" -eq 1 ] || { echo "$id: $n telegrams"; bad=$((bad + 1)); continue; }
		want=$(jq -c --arg id "$id" 'select(.id == $id) | .fields' "$CORPUS")
		[ "$want" = null ] && continue
		got=$(han-split -p p1 v.bin | ams-fields -q)
		# the corpus states P1 clocks without offset: DSMR's W/S letter gives one here; it
		# asserts no sub-meter (M-Bus channel) values
		res=$(jq -n -r --argjson w "$want" --argjson g "$got" '
		    ($g | if .meter_datetime then .meter_datetime |= sub("[+-][0-9]{2}:[0-9]{2}$"; "") else . end) as $g |
		    ($g | with_entries(select(.key as $k | $w | has($k)))) as $f |
		    ($g | keys - ($w | keys) | map(select(test("^(received|list|power_factor.*|obis_.*|equipment_id|tariff|.*_tariff[12]|mbus[1-4]_.*|meter_manufacturer_id|meter_type_id)$") | not))) as $extra |
		    if $f != $w then "got \($f | to_entries - ($w | to_entries) | from_entries | tojson) expected \($w | to_entries - ($f | to_entries) | from_entries | tojson)"
		    elif ($extra | length) > 0 then "extra keys \($extra | tojson)"
		    else "ok" end')
		[ "$res" = ok ] || { echo "$id: $res"; bad=$((bad + 1)); }
	done < vec.tsv
	[ "$bad" -eq 0 ]
}

# ---------------------------------------------------------------- han-sim's P1 meters

@test "p1: han-sim's P1 meters (DSMR 5 with gas, a Swedish IEC readout): every telegram gives the truth" {
	han-sim -m p1 -t 3600 -s 4 -g g.jsonl > s.bin
	[ "$(wc -l < g.jsonl)" -eq 3960 ]
	run --separate-stderr sh -c 'han-split -s s.bin | ams-fields > o.jsonl'
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"frames=0 empty=0 telegrams=3960 unchecked=0 "* ]]
	[ "$(wc -l < o.jsonl)" -eq 3960 ]
	jq -n -c --slurpfile a o.jsonl --slurpfile g g.jsonl '
	    range(0; $g|length) as $i | $a[$i] as $x | $g[$i] as $y |
	    ($x | with_entries(select(.key as $k | $y | has($k)))) as $xk |
	    select($xk != $y) | {record: ($i + 1), got: $xk, expected: $y}' > diffs
	assert_empty diffs
	# both meters, summer time too
	[ "$(jq -r .meter_manufacturer_id o.jsonl | sort -u | tr '\n' ' ')" = 'ISK LGF ' ]
	han-sim -m dsmr5 -T 2026-07-01T12:00:00 -n 1 | han-split | ams-fields -F meter_datetime | grep -q '+02:00"}$'
	# none implausible
	[ "$(jq -r 'select(.implausible)' o.jsonl | wc -l)" -eq 0 ]
}

@test "p1: han-sim P1 streams under damage: every intact telegram and nothing else (recall and precision 1)" {
	han-sim -m p1 -n 3000 -s 9 -d any:25% -d junk:20% -g g.jsonl -w w.txt > s.bin
	[ "$(grep -c '"damaged"' g.jsonl)" -gt 500 ]
	han-split -p p1 s.bin > found.txt
	grep -v '^# damaged' w.txt | cmp - found.txt
	# and the same through -p auto and the fields
	han-split s.bin | ams-fields -F meter_datetime,active_power_import > got.jsonl 2> err
	assert_empty err
	jq -c 'select(.damaged | not) | {meter_datetime, active_power_import}' g.jsonl > want.jsonl
	diff want.jsonl got.jsonl
}

@test "p1: silence is explained once: P1 read as HDLC, 7E1 read as 8N1, noise; -7 reads 7E1 text" {
	for i in $(seq 20); do dsmr "0$((i % 10)).500"; done > many.bin
	run --separate-stderr hdlc-split many.bin
	[ -z "$output" ]
	[ "$stderr" = "hdlc-split: no valid frame in the first $(wc -c < many.bin) bytes: they look like P1 text: read them with -p p1 (han-split reads both)" ]
	# DSMR 2.2 and 3 send 7E1: read as 8N1 the parity bit lands in bit 7
	python3 -c '
b = open("many.bin", "rb").read()
open("seven.bin", "wb").write(bytes(c | 0x80 if bin(c).count("1") % 2 else c for c in b))'
	run --separate-stderr han-split seven.bin
	[ -z "$output" ] && [[ "$stderr" == *"7-bit text with a parity bit"*"try -7" ]]
	[ "$(han-split -7 seven.bin | ams-fields -F active_power_import | head -2)" = '{"active_power_import":1500}
{"active_power_import":2500}' ]
	# noise, and HDLC frames read as P1
	head -c 9000 /dev/urandom | tr -d '~' > noise.bin
	run --separate-stderr hdlc-split noise.bin
	[[ "$stderr" == *"next to no HDLC flags: wrong speed or parity"* ]]
	for i in $(seq 10); do cat "$SAMPLES/kaifa-3ph.bin"; done > k.bin
	run --separate-stderr han-split -p p1 k.bin
	[[ "$stderr" == *"they look like HDLC frames: read them with -p hdlc" ]]
	# said once, and never when units come out
	[ "$(cat many.bin many.bin | hdlc-split 2>&1 >/dev/null | wc -l)" -eq 1 ]
	[ -z "$(han-split many.bin 2>&1 >/dev/null)" ]
	[ -z "$(hdlc-split k.bin 2>&1 >/dev/null)" ]
}
