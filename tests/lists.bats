#!/usr/bin/env bats
# The meter families: the registry (src/lists/families.def), ams-fields(1) and han-sim's
# models agree, and adding a family is one new file plus one registry line.

load helper

families() { ams-fields -h | sed -n '/^Meter families/,$p' | awk 'NR > 1 { print $1 }'; }

@test "lists: the registry, ams-fields -h and ams-fields(1) name the same families in the same order" {
	reg=$(sed -n 's/^FAMILY(\(.*\))$/\1/p' "$ROOT/src/lists/families.def")
	[ -n "$reg" ]
	[ "$(families)" = "$reg" ]
	# every family has its item in the man page, and the man page no other
	man=$(grep '^\.It Cm ' "$ROOT/man/ams-fields.1" | sed -n '/No \\(em/p' |
	    grep -o 'Cm [a-z]*' | awk '{ print $2 }' | sort)
	[ "$man" = "$(sort <<< "$reg")" ]
	# the order sentence lists them in the order they are asked
	order=$(sed -n '/^They are asked in this order/,/lists them too/p' "$ROOT/man/ams-fields.1" |
	    grep -o 'Cm [a-z]*' | awk '{ print $2 }')
	[ "$order" = "$reg" ]
}

@test "lists: every han-sim model names a family of the registry, and decodes with no unknown list" {
	cd "$BATS_TEST_TMPDIR"
	fams=" $(families | tr '\n' ' ') "
	han-sim -h | sed -n 's/.*(family \([a-z0-9]*\))$/\1/p' > used
	[ "$(wc -l < used)" -eq "$(han-sim -h | sed -n '/^Meters:/,$p' | grep -c '^  ')" ]
	# p1: P1 telegrams are read by fields/p1.c, not by a list family
	while read -r f; do
		[[ "$fams" == *" $f "* || $f = p1 ]] || { echo "han-sim model of unknown family $f"; return 1; }
	done < used
	for m in $(han-sim -h | sed -n '/^Meters:/,$p' | awk 'NR > 1 { print $1 }'); do
		run --separate-stderr bash -c "han-sim -m $m -n 30 | han-split | ams-fields"
		# a Kamstrup CT meter's energy registers have no resolution the frame shows: left
		# out and said once, unless -K gives it
		if [ "$m" = kamstrup-ct ]; then
			[ "$stderr" = "ams-fields: line 1: unknown-scale: active_power_import_total active_power_export_total reactive_power_import_total reactive_power_export_total active_power_export_total_l1 active_power_export_total_l2 active_power_export_total_l3 active_power_import_total_l1 active_power_import_total_l2 active_power_import_total_l3" ] ||
			    { echo "$m: $stderr"; return 1; }
			run --separate-stderr bash -c "han-sim -m $m -n 30 | han-split | ams-fields -K 1"
		fi
		[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "$m: $stderr"; return 1; }
		[ "$(wc -l <<< "$output")" -eq 30 ]
	done
}

@test "lists: the template becomes a working family with one new file and one registry line" {
	d=$BATS_TEST_TMPDIR/tree
	mkdir -p "$d"
	cp -R "$ROOT/src" "$ROOT/Makefile" "$d/"
	sed 's/NEWFAM/example/g; s/Newfam/Example/g' "$ROOT/src/lists/TEMPLATE" > "$d/src/lists/example.c"
	echo 'FAMILY(example)' >> "$d/src/lists/families.def"
	run make -s -C "$d" O="$d/o" "$d/o/bin/ams-fields"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; return 1; }
	"$d/o/bin/ams-fields" -h | grep -q '^  example '
	# structure { "example_V1", "12345", 1500 W, 0 W, 523 (x0.01 A), 2301 (x0.1 V) }
	body=0206$(printf '0a0a'; printf 'example_V1' | xxd -p)0a05$(printf 12345 | xxd -p)\
06000005dc060000000012020b1208fd
	run --separate-stderr "$d/o/bin/ams-fields" -F list,meter_manufacturer,meter_id,active_power_import,current_l1,voltage_l1 <<< "$body"
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = '{"list":"example-list2","meter_manufacturer":"Example","meter_id":"12345","active_power_import":1500,"current_l1":5.23,"voltage_l1":230.1}' ]
}

@test "lists: austria: OBIS 0.6.25.9.0.255, text, time, date, then A+ A- R+ R- P+ P- by position" {
	cd "$BATS_TEST_TMPDIR"
	# 12 elements (the Iskraemeco AM550 form); 10 without the two empty strings (IM350)
	head=09060006190900ff090831323334353637380904150b1100090507e8050702
	regs=0600db4600060006""6be5060016""36f8060023""00b0060000000906""00000000
	{ echo "020c$head${regs}09000900"; echo "020a$head$regs"; } > in
	run --separate-stderr ams-fields -F list,active_power_import,active_power_export,active_power_import_total,active_power_export_total,reactive_power_import_total,reactive_power_export_total,meter_id in
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "${lines[0]}" = '{"list":"austria-list3","active_power_import":9,"active_power_export":0,"active_power_import_total":14370304,"active_power_export_total":420837,"reactive_power_import_total":1455864,"reactive_power_export_total":2293936}' ]
	[ "${lines[1]}" = "${lines[0]}" ]
	# one element of another type, another first OBIS code or a non-empty tail: not this list
	{ echo "020c$head${regs%????????????????????}12000906000000000900""0900"
	  echo "020c${head/0006190900ff/0006190901ff}${regs}09000900"
	  echo "020c$head${regs}09000901ff"; } > near
	run --separate-stderr ams-fields -F list near
	! grep -q austria <<< "$output"
}

@test "lists: wiener: the clock, then A+ A- R+ R- P+ P- Q+ Q- by position; the IM350's name first" {
	cd "$BATS_TEST_TMPDIR"
	# written from the layout of Wiener Netze's published test frames (bodies, as decrypted)
	clk=090c07e80507020c1e0000ffc400
	regs=$(for v in 1234567 890 4567 12 640 0 120 3; do printf '06%08x' $v; done)
	F=list,meter_manufacturer,meter_id,meter_datetime,active_power_import_total,active_power_export_total,reactive_power_import_total,reactive_power_export_total,active_power_import,active_power_export,reactive_power_import,reactive_power_export
	v='"meter_datetime":"2024-05-07T12:30:00+01:00","active_power_import_total":1234567,"active_power_export_total":890,"reactive_power_import_total":4567,"reactive_power_export_total":12,"active_power_import":640,"active_power_export":0,"reactive_power_import":120,"reactive_power_export":3}'
	run --separate-stderr ams-fields -F $F <<< "0209$clk$regs"
	[ -z "$stderr" ] && [ "$output" = "{\"list\":\"wiener-list3\",$v" ] || { echo "$output $stderr"; return 1; }
	ldn=0910$(printf SMS1030788000020 | xxd -p)
	run --separate-stderr ams-fields -F $F <<< "020a$ldn$clk$regs"
	[ -z "$stderr" ] && [ "$output" = "{\"list\":\"wiener-list3\",\"meter_manufacturer\":\"Siemens\",\"meter_id\":\"SMS1030788000020\",$v" ] ||
	    { echo "$output $stderr"; return 1; }
	# a clock that is none (month 13), a register of another type, another name: not this list
	{ echo "0209${clk/07e805/07e80d}$regs"
	  echo "0209$clk${regs%??????????}120003"
	  echo "020a${ldn/534d53/495349}$clk$regs"; } > near
	run --separate-stderr ams-fields -F list near
	! grep -q wiener <<< "$output"
	[ "$(grep -c unknown-list <<< "$stderr")" -ge 2 ]
}

@test "lists: burgenland: 14 elements, U I (0.01 A) P A by position, then three unknowns and the meter number" {
	body=020e1200ec1200ed1200ed12000012000412001a060000001d06000000000601de7e8e0600001dc3
	body=${body}12019012004012012709083330313337313831
	run --separate-stderr ams-fields -F list,voltage_l1,voltage_l2,voltage_l3,current_l1,current_l2,current_l3,active_power_import,active_power_export,active_power_import_total,active_power_export_total,meter_id <<< "$body"
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = '{"list":"burgenland-list3","voltage_l1":236,"voltage_l2":237,"voltage_l3":237,"current_l1":0,"current_l2":0.04,"current_l3":0.26,"active_power_import":29,"active_power_export":0,"active_power_import_total":31358606,"active_power_export_total":7619}' ]
	# the three unknowns and the meter number under their places, in every format
	run --separate-stderr ams-fields -F element_11,element_12,element_13,element_14 <<< "$body"
	[ -z "$stderr" ] && [ "$output" = '{"element_11":400,"element_12":64,"element_13":295,"element_14":"30137181"}' ]
	[ "$(ams-fields -f csv -F list,element_14 <<< "$body")" = 'list,element_14
burgenland-list3,30137181' ]
	ams-fields -f influx <<< "$body" | grep -q ',element_11=400,element_12=64,element_13=295,element_14="30137181" '
	run ams-fields -F element_0 <<< "$body"
	[ "$status" -eq 2 ]
	# a meter number that is not digits, or one element of another type: not this list
	run --separate-stderr ams-fields -F list <<< "${body%????????????????}3330313337abcd31"
	[ -z "$output" ]
	[[ "$stderr" == *"unknown-list: structure of 14 elements"* ]]
	run --separate-stderr ams-fields -F list <<< "020e06000000ec${body:10}"
	[ -z "$output" ]
	[[ "$stderr" == *"unknown-list: structure of 14 elements"* ]]
}

# push SETUP_B DESCRIPTORS...: a self-describing push body (as the DLMS push setup sends
# it: its object list first, then the captured values); each descriptor is
# CLASS:OBIS:ATTR:VALUEHEX with OBIS as a.b.c.d.e.f, and the first, the push setup's
# object list itself, is written by the function
push() {
	python3 - "$@" <<'PY'
import sys
b = int(sys.argv[1])
ds = [(40, [0, b, 25, 9, 0, 255], 2, None)]
for a in sys.argv[2:]:
    c, o, at, v = a.split(":")
    ds.append((int(c), [int(x) for x in o.split(".")], int(at), v))
n = len(ds)
desc = "01%02x" % n + "".join("020412%04x0906%s0f%02x120000" % (c, bytes(o).hex(), at & 0xff, ) for c, o, at, v in ds)
print("02%02x" % n + desc + "".join(v for c, o, at, v in ds[1:]))
PY
}
LGZ=0910$(printf LGZ1030000000001 | xxd -p)
CLK=090c07ea0b17010f010200800000

@test "lists: push: descriptors, then values mapped by OBIS; scale by the push setup and type" {
	# E450-like (push setup 0.8.25.9.0.255): U V, I 0.01 A, power factor 0.001
	body=$(push 8 1:0.0.42.0.0.255:2:$LGZ 1:0.0.96.1.0.255:2:0908$(printf 12345678 | xxd -p) \
	    8:0.0.1.0.0.255:2:$CLK 3:1.0.1.7.0.255:2:06000005dc 3:1.0.32.7.0.255:2:1200e7 \
	    3:1.0.31.7.0.255:2:12020b 3:1.0.13.7.0.255:2:1203ad 3:1.1.1.8.0.255:2:0600bc614e \
	    3:1.1.5.8.0.255:2:0600000007)
	run --separate-stderr ams-fields -F list,meter_manufacturer,meter_id,meter_datetime,active_power_import,voltage_l1,current_l1,power_factor,active_power_import_total,obis_1_1_5_8_0_255,obis_0_0_42_0_0_255 <<< "$body"
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	[ "$output" = '{"list":"push-list3","meter_manufacturer":"Landis+Gyr","meter_id":"12345678","meter_datetime":"2026-11-23T15:01:02","active_power_import":1500,"voltage_l1":231,"current_l1":5.23,"power_factor":0.941,"active_power_import_total":12345678,"obis_1_1_5_8_0_255":7,"obis_0_0_42_0_0_255":"LGZ1030000000001"}' ]
	# E360 and AM550 (push setup 0.6.25.9.0.255): U 0.1 V; the maker from "ISK"
	body=$(push 6 1:0.0.42.0.0.255:2:0910$(printf ISK1030000000002 | xxd -p) \
	    3:1.0.32.7.0.255:2:12090d 3:1.0.31.7.0.255:2:12020b)
	run --separate-stderr ams-fields -F meter_manufacturer,voltage_l1,current_l1 <<< "$body"
	[ -z "$stderr" ] && [ "$output" = '{"meter_manufacturer":"Iskraemeco","voltage_l1":231.7,"current_l1":5.23}' ]
	# currents as long64: whole amperes (the E570's)
	body=$(push 8 3:1.0.31.7.0.255:2:140000000000000190 3:1.0.1.7.0.255:2:0600016000)
	run --separate-stderr ams-fields -F current_l1,active_power_import <<< "$body"
	[ -z "$stderr" ] && [ "$output" = '{"current_l1":400,"active_power_import":90112}' ]
	# a captured scaler_unit (attribute 3) scales its register: mA
	body=$(push 0 3:1.0.31.7.0.255:2:12020b 3:1.0.31.7.0.255:3:02020ffd1621)
	run --separate-stderr ams-fields -F current_l1 <<< "$body"
	[ -z "$stderr" ] && [ "$output" = '{"current_l1":0.523}' ]
	# no meter_manufacturer without a logical device name that names one
	run --separate-stderr ams-fields -F list,meter_manufacturer,active_power_import <<< "$(push 8 3:1.0.1.7.0.255:2:0600000001)"
	[ -z "$stderr" ] && [ "$output" = '{"list":"push-list1","active_power_import":1}' ]
}

@test "lists: push: a value no row scales is left out and said once per layout; every other value kept" {
	cd "$BATS_TEST_TMPDIR"
	# push setup 0.0.25.9.0.255: no row for its voltages and currents
	body=$(push 0 3:1.0.32.7.0.255:2:1200e7 3:1.0.31.7.0.255:2:12020b 3:1.0.1.7.0.255:2:0600000064)
	other=$(push 0 3:1.0.31.7.0.255:2:12020b 3:1.0.1.7.0.255:2:0600000064)
	printf '%s\n' "$body" "$body" "$other" > in
	run --separate-stderr ams-fields -F voltage_l1,current_l1,active_power_import in
	[ "$status" -eq 0 ]
	[ "$output" = '{"active_power_import":100}
{"active_power_import":100}
{"active_power_import":100}' ]
	[ "$stderr" = "ams-fields: line 1: unknown-scale: voltage_l1 current_l1
ams-fields: line 3: unknown-scale: current_l1" ]
	# an attribute other than the value: under its OBIS code, unless the value is captured too
	body=$(push 8 70:0.0.96.3.10.255:3:1601 4:1.0.1.6.0.255:2:0600000064 4:1.0.1.6.0.255:5:$CLK)
	run --separate-stderr ams-fields -F obis_0_0_96_3_10_255,obis_1_0_1_6_0_255 <<< "$body"
	[ "$output" = '{"obis_0_0_96_3_10_255":1,"obis_1_0_1_6_0_255":100}' ]
	[ "$stderr" = "ams-fields: line 1: unmapped-values: 1 in a push-list2 layout" ]
	# fewer descriptors than values, or a descriptor of another shape: not this list
	run --separate-stderr ams-fields <<< "$(push 8 3:1.0.1.7.0.255:2:0600000001 | sed 's/^0203/0204/')06000000"
	[ -z "$output" ]
	run --separate-stderr ams-fields <<< "$(push 8 3:1.0.1.7.0.255:2:0600000001 | sed 's/0f02120000/0f02110000/')"
	[[ "$output" != *push* ]]
}

@test "lists: kaifa: an element of the wrong type for its place is left out and said, once per layout" {
	body=02090907$(printf KFM_001 | xxd -p)0910$(printf 6970631400000009 | xxd -p)0908$(printf MA105H2E | xxd -p)
	# a string where active power import belongs
	body=${body}0a03616263060000000006000000000600000000060000140a06000008f3
	run --separate-stderr ams-fields -F list,active_power_import,active_power_export,current_l1,voltage_l1 <<< "$body
$body"
	[ "$output" = '{"list":"kaifa-list2","active_power_export":0,"current_l1":5.13,"voltage_l1":229.1}
{"list":"kaifa-list2","active_power_export":0,"current_l1":5.13,"voltage_l1":229.1}' ]
	[ "$stderr" = "ams-fields: line 1: unmapped-values: 1 in a kaifa-list2 layout" ]
}

@test "lists: push: M-Bus channels' ids and readings under their mbusN keys, never the meter's" {
	# 0.1.96.1.0.255 must not become meter_id; a reading with its scaler_unit (0.001 m3)
	body=$(push 11 1:0.0.96.1.0.255:2:0908$(printf 12345678 | xxd -p) \
	    1:0.1.96.1.0.255:2:0908$(printf 24521662 | xxd -p) 4:0.1.24.2.1.255:2:0500007751 \
	    4:0.1.24.2.1.255:3:02020ffd160e 4:0.2.24.2.1.255:2:0500000001)
	run --separate-stderr ams-fields -F meter_id,mbus1_id,mbus1_reading,mbus1_unit,mbus2_reading <<< "$body"
	[ "$output" = '{"meter_id":"12345678","mbus1_id":"24521662","mbus1_reading":30.545,"mbus1_unit":"m3"}' ]
	[ "$stderr" = "ams-fields: line 1: unknown-scale: mbus2_reading" ]
}

# kam65 U I P PF: a Kamstrup_V0001 65-element list body (the Swiss direct and Danish CT
# Omnipower list) whose three phases each have voltage U (V), current I (raw), active
# import P (W) and power factor PF (0.01); energy registers 1000 each
kam65() {
	local u=$1 i=$2 p=$3 pf=$4 k
	ob() { printf '0906%02x%02x%02x%02x%02x%02x' "$@"; }
	u32() { printf '06%08x' "$1"; }
	u16() { printf '12%04x' "$1"; }
	dt=07e9060f0112000000ff8000
	printf '0f000000000c%s0241' "$dt"
	printf '0a0e%s' "$(printf Kamstrup_V0001 | xxd -p)"
	for k in 1 2 3 4; do ob 1 1 $k 8 0 255; u32 1000; done
	ob 1 1 0 0 1 255; u32 12345678
	ob 1 1 1 7 0 255; u32 $((3 * p))
	for k in 2 3 4; do ob 1 1 $k 7 0 255; u32 0; done
	ob 0 1 1 0 0 255; printf '090c%s' "$dt"
	for k in 32 52 72; do ob 1 1 $k 7 0 255; u16 "$u"; done
	for k in 31 51 71; do ob 1 1 $k 7 0 255; u32 "$i"; done
	for k in 21 41 61; do ob 1 1 $k 7 0 255; u32 "$p"; done
	for k in 33 53 73 13; do ob 1 1 $k 7 0 255; u16 "$pf"; done
	for k in 22 42 62; do ob 1 1 $k 7 0 255; u32 0; done
	for k in 22 42 62 21 41 61; do ob 1 1 $k 8 0 255; u32 333; done
	echo
}

# as_truth OUT TRUTH: every record of OUT equals the truth record of its meter and clock on
# every key the truth has (numbers as numbers); prints how many were compared
as_truth() {
	jq -n --slurpfile a "$1" --slurpfile g "$2" '
	    ($g | map({key: (.meter_id + " " + .meter_datetime), value: .}) | from_entries) as $t |
	    [$a[] | . as $x | $t[$x.meter_id + " " + $x.meter_datetime] as $y |
	     if $y == null then error("no truth for \($x.meter_id) \($x.meter_datetime)")
	     else ($y | to_entries | map(select($x[.key] != .value)) |
	        if length > 0 then error("\($x.meter_id) \($x.meter_datetime): \(.)") else 1 end)
	     end] | length'
}

@test "lists: push: values sent without their object list are named by the one their meter sent last" {
	cd "$BATS_TEST_TMPDIR"
	hint="unknown-list: structure of 16 elements: a push's values without its object list, and none remembered for them"
	# lg-e450-v: the object list in every twelfth push, the first among them
	han-sim -m lg-e450-v -n 60 -g g.jsonl | han-split > frames
	[ "$(awk 'length > 800' frames | wc -l)" -eq 5 ]
	run --separate-stderr ams-fields frames
	[ -z "$stderr" ] && [ "${#lines[@]}" -eq 60 ] || { echo "$stderr"; return 1; }
	printf '%s\n' "${lines[@]}" > out
	[ "$(as_truth out g.jsonl)" -eq 60 ]
	# a capture that starts after the object list: the values before the next one are an
	# unknown list, each said with why, and nothing is guessed for them
	tail -n +2 frames | ams-fields > out 2> err
	[ "$(wc -l < err)" -eq 11 ] && [ "$(grep -c -F "$hint" err)" -eq 11 ]
	[ "$(wc -l < out)" -eq 48 ] && [ "$(as_truth out g.jsonl)" -eq 48 ]
	# two meters: the second meter's first object list lost, its values are not named by
	# the first meter's (its logical device name differs), though count and types agree
	han-sim -m lg-e450-v,lg-e450-v -n 120 -g g.jsonl | han-split > frames
	second=$(awk 'length > 800 { n++; if (n == 2) { print NR; exit } }' frames)
	sed "${second}d" frames | ams-fields > out 2> err
	[ "$(grep -c -F "$hint" err)" -eq 11 ] && [ "$(wc -l < err)" -eq 11 ]
	[ "$(as_truth out g.jsonl)" -eq 108 ]
	# nine meters, more than are remembered: some values go unnamed (and are said), none
	# is named by another meter's list; memory stays bounded
	han-sim -m lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v,lg-e450-v \
	    -n 900 -g g.jsonl | han-split | ams-fields > out 2> err
	n=$(as_truth out g.jsonl)
	[ "$((n + $(grep -c -F "$hint" err)))" -eq 900 ] && [ "$n" -ge 100 ]
}

@test "lists: kamstrup: the 65-element list's current resolution from its own powers and power factors" {
	cd "$BATS_TEST_TMPDIR"
	F=current_l1,current_l3,power_factor_l1,active_power_import_total
	# a direct meter: 5.00 A (0.01 A) at 230 V for 1100 W; at 0.001 A it would be 115 VA
	run --separate-stderr ams-fields -F $F <<< "$(kam65 230 500 1100 96)"
	[ "$output" = '{"current_l1":5,"current_l3":5,"power_factor_l1":0.96,"active_power_import_total":10000}' ] &&
	    [ -z "$stderr" ] || { echo "$output $stderr"; return 1; }
	# a CT meter: 50.000 A (mA) at 230 V, PF 0.96, 11 kW: U I PF is P at 0.001 A, ten times
	# P at 0.01 A; its energy registers' resolution is not known (left out and said)
	run --separate-stderr ams-fields -F $F <<< "$(kam65 230 50000 11000 96)"
	[ "$output" = '{"current_l1":50,"current_l3":50,"power_factor_l1":0.96}' ] || { echo "$output"; return 1; }
	[[ "$stderr" == "ams-fields: line 1: unknown-scale: active_power_import_total "* ]]
	[ "$(ams-fields -K 1 -F $F <<< "$(kam65 230 50000 11000 96)")" = \
	    '{"current_l1":50,"current_l3":50,"power_factor_l1":0.96,"active_power_import_total":1000}' ]
	# no load but a current: nothing tells; the currents are not given rather than given
	# ten times off, and the record still has its voltages and the list kind
	run --separate-stderr ams-fields -F list,current_l1,voltage_l1,power_factor_l1 <<< "$(kam65 230 300 0 0)"
	[ "$output" = '{"list":"kamstrup-list3","voltage_l1":230,"power_factor_l1":0}' ] || { echo "$output"; return 1; }
	[[ "$stderr" == "ams-fields: line 1: unknown-scale: active_power_import_total "*" current_l1 current_l2 current_l3 "* ]] ||
	    { echo "$stderr"; return 1; }
	# no current at all: 0 is 0 at either resolution
	run --separate-stderr ams-fields -F current_l1,active_power_import_total <<< "$(kam65 230 0 0 0)"
	[ "$output" = '{"current_l1":0,"active_power_import_total":10000}' ] && [ -z "$stderr" ]
	# han-sim's two meters of this list: every record its truth (the CT one's registers
	# in Wh, as -K 1 says)
	for m in kamstrup-ch kamstrup-ct; do
		han-sim -m $m -n 2000 -s 5 -g gt.jsonl | han-split | ams-fields -K $([ $m = kamstrup-ct ] && echo 1 || echo 10) > got.jsonl
		jq -S -c 'del(.received, .list)' got.jsonl > a
		jq -S -c . gt.jsonl > b
		cmp a b || { diff a b | head -4; return 1; }
	done
}

@test "lists: kamstrup: power factors are 0.01 (0.99, not 99)" {
	# the Norwegian-shape pair list with a power factor pair: 13.7.0 = 99
	body=0f000000000c07e9060f0112000000ff800002050a0e$(printf Kamstrup_V0001 | xxd -p)09060101010700ff0600000400""09060101""0d0700ff120063
	run --separate-stderr ams-fields -F power_factor,active_power_import <<< "$body"
	[ "$output" = '{"power_factor":0.99,"active_power_import":1024}' ] || { echo "$output $stderr"; return 1; }
}

# kam25 U1 U2 U3: Kamstrup's 25-element list (id, meter id, type, P+ P- Q+ Q-, I1-3 in
# 0.01 A, U1-3 as sent), written from the list's published description
kam25() {
	ob() { printf '0906%02x%02x%02x%02x%02x%02x' "$@"; }
	printf '0f000000000c07e9060f0112000000ff80000219'
	printf '0a0e%s' "$(printf Kamstrup_V0001 | xxd -p)"
	ob 1 1 0 0 5 255; printf '0910%s' "$(printf 5706567000000001 | xxd -p)"
	ob 1 1 96 1 1 255; printf '0912%s' "$(printf 6841439BN244101011 | xxd -p)"
	ob 1 1 1 7 0 255; printf '06%08x' 2300
	for k in 2 3 4; do ob 1 1 $k 7 0 255; printf '06%08x' 0; done
	for k in 31 51 71; do ob 1 1 $k 7 0 255; printf '06%08x' 333; done
	ob 1 1 32 7 0 255; printf '12%04x' "$1"
	ob 1 1 52 7 0 255; printf '12%04x' "$2"
	ob 1 1 72 7 0 255; printf '12%04x' "$3"
	echo
}

@test "lists: kamstrup: voltages in volts, or in 0.01 V as later Danish and Swedish firmware sends them" {
	F=voltage_l1,voltage_l2,voltage_l3,current_l1
	[ "$(kam25 230 231 229 | ams-fields -F $F)" = '{"voltage_l1":230,"voltage_l2":231,"voltage_l3":229,"current_l1":3.33}' ]
	# 23565 can be neither volts nor 0.1 V on a mains phase: 235.65 V
	[ "$(kam25 23565 23012 0 | ams-fields -F $F)" = '{"voltage_l1":235.65,"voltage_l2":230.12,"voltage_l3":0,"current_l1":3.33}' ]
	# a frame that mixes the two, or sends what is neither, gives no voltage: said, not guessed
	for u in "230 23012 231" "1000 1000 1000"; do
		run --separate-stderr ams-fields -F $F <<< "$(kam25 $u)"
		[ "$output" = '{"current_l1":3.33}' ] || { echo "$u: $output"; return 1; }
		[ "$stderr" = "ams-fields: line 1: unknown-scale: voltage_l1 voltage_l2 voltage_l3" ]
	done
	# the 65-element list in 0.01 V still tells a CT meter's mA by U I PF
	[ "$(kam65 23000 50000 11040 96 | ams-fields -K 1 -F voltage_l1,current_l1)" = '{"voltage_l1":230,"current_l1":50}' ]
	[ "$(kam65 23000 500 1100 96 | ams-fields -F voltage_l1,current_l1)" = '{"voltage_l1":230,"current_l1":5}' ]
}
