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
