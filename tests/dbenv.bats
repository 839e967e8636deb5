#!/usr/bin/env bats
# The DB envelope: bare general-glo-ciphering APDUs with no link layer (han-split -p db,
# and -p auto next to HDLC, P1 and M-Bus without finding a ciphered frame's APDU twice).
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '* 000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f\n' > keys
	chmod 600 keys
}

# the fields of a stream, without the capture time
fields() { ams-fields -k keys "$@" | jq -c 'del(.received)'; }

@test "db: han-sim -L db, every APDU once, the same fields as the same meters over HDLC" {
	han-sim -k keys -L db -m all -n 400 -w truth -g gt > s.bin
	run --separate-stderr han-split -p db -s s.bin
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat truth)" ]
	[ "${#lines[@]}" -eq 400 ]
	[[ "$stderr" == *"db-apdus=400 bytes=$(wc -c < s.bin) bad-cipher-length=0 unsupported-security=0 message-too-long=0 cut-short=0 truncated=0 junk=0"* ]]
	# every line is a bare APDU: no LLC, no frame
	! grep -qv '^db08' truth
	# han-split finds them by itself, the same
	[ "$(han-split s.bin)" = "$(cat truth)" ]
	# and the decoders give what the same meters give over HDLC
	han-sim -k keys -m all -n 400 > h.bin
	hdlc-split h.bin | fields > want
	han-split -p db s.bin | fields > got
	[ "$(wc -l < got)" -eq 400 ]
	cmp want got
	# cosem-decode reads them too
	[ "$(han-split -p db s.bin | cosem-decode -k keys | grep -c '^apdu ')" -eq 400 ]
}

@test "db: han-sim -L db needs -k" {
	run han-sim -L db -n 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"-L db needs -k"* ]]
}

@test "db: -p auto writes the APDU of a ciphered HDLC, segmented, GBT or M-Bus stream once, as its frames" {
	for L in hdlc seg gbt mbus; do
		han-sim -k keys -L "$L" -m all -n 300 -w "truth.$L" > "s.$L"
		han-split "s.$L" > "out.$L"
		cmp "out.$L" "truth.$L" || { echo "-L $L"; return 1; }
		! grep -q '^db' "out.$L"
		# -p db alone does find the APDUs inside whole ciphered frames, as it should
		[ "$L" != hdlc ] || [ "$(han-split -p db "s.$L" | wc -l)" -eq 300 ]
	done
	# a stream that mixes bare APDUs with ciphered HDLC frames: each once, each kind in
	# order (a bare APDU may come after a frame that followed it, when a checked framer
	# still held its bytes: see hdlc-split(1))
	han-sim -k keys -m kaifa -n 50 -w t1 > a.bin
	han-sim -k keys -m aidon -L db -n 50 -s 2 -w t2 > b.bin
	cat a.bin b.bin a.bin > ab.bin
	han-split ab.bin > out
	[ "$(wc -l < out)" -eq 150 ]
	[ "$(grep '^db' out)" = "$(cat t2)" ]
	[ "$(grep -v '^db' out)" = "$(cat t1 t1)" ]
}

@test "db: a cut APDU costs only itself; junk between is junk; every intact APDU comes out in order" {
	han-sim -k keys -L db -m all -n 3000 -d trunc:5% -d junk:30% -w truth > s.bin
	grep -v '^#' truth > intact
	[ "$(grep -c '^# damaged trunc' truth)" -gt 100 ]
	for p in db auto; do
		han-split -p "$p" s.bin > out
		# every intact APDU, in order (a cut one that junk completes comes out too: it has
		# no checksum, so its tag fails downstream)
		[ "$(grep -Fxf intact out | cmp - intact && echo same)" = same ]
		extra=$(grep -Fxvf intact out | wc -l)
		[ "$extra" -lt "$(grep -c '^# damaged trunc' truth)" ]
		# each extra one fails its tag; no record comes of it
		run --separate-stderr ams-fields -k keys out
		[ "${#lines[@]}" -eq "$(wc -l < intact)" ]
		[ "$(grep -c 'bad-tag' <<< "$stderr")" -eq "$extra" ]
	done
	# -a says where each was cut short
	[ "$(han-split -p db -a s.bin | grep -c '^# cut-short @')" -gt 50 ]
}

@test "db: what is found does not depend on how the bytes were cut into reads" {
	han-sim -k keys -L db -m all -n 300 -d trunc:10% -d junk:30% > s.bin
	han-sim -k keys -m all -n 100 -s 4 >> s.bin
	han-sim -k keys -L mbus -m kaifa -n 50 -s 5 >> s.bin
	hdlc-split -p db -a s.bin > whole
	han-split s.bin > auto
	grep '^db' auto > auto.db
	grep -v '^db' auto > auto.frames
	[ -s auto.db ] && [ -s auto.frames ]
	for n in 1 7 100; do
		trickle -n "$n" < s.bin | hdlc-split -p db -a | cmp - whole
		# -p auto: the same units; each kind in the same order
		trickle -n "$n" < s.bin | han-split > got
		grep '^db' got | cmp - auto.db
		grep -v '^db' got | cmp - auto.frames
	done
}

@test "db: headers a meter does not send are rejected by name, and the search goes on" {
	st=4b464d1020000001
	good=db08${st}11300000000100112233445566778899aabb
	{
		echo "${good}"
		echo "db07${st}11300000000100112233445566778899aabb"	# a 7-byte title: junk
		echo "db08${st}0430000000"					# too short for SC and IC
		echo "db08${st}11800000000100112233445566778899aabb"	# compression
		echo "db08${st}11020000000100112233445566778899aabb"	# suite 2
		echo "db08${st}0b30000000010011223344"			# no room for the tag
		echo "db08${st}8221003000000001"				# more than 8192 bytes
		echo "db11223344"						# DB then no 08: junk
		echo "${good}"
	} | hex2bin > s.bin
	run --separate-stderr hdlc-split -p db -a s.bin
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$good" ]
	[ "${lines[${#lines[@]} - 1]}" = "$good" ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c "^$good\$")" -eq 2 ]
	[[ "$output" == *"# bad-cipher-length @"* ]]
	[[ "$output" == *"unsupported-security"* ]]
	[[ "$output" == *"message-too-long"* ]]
	[[ "$output" == *"# junk "* ]]
	# the counts
	run --separate-stderr hdlc-split -p db -s s.bin
	[[ "$stderr" == *"db-apdus=2 "* ]]
	[[ "$stderr" == *" bad-cipher-length=2 unsupported-security=2 message-too-long=1 "* ]]
}

@test "db: the input ending inside an APDU is truncated; a new APDU inside one cuts it short" {
	st=4b464d1020000001
	good=db08${st}11300000000100112233445566778899aabb
	# a first APDU cut after 20 bytes, then a whole one of the same meter
	printf '%s%s%s' "$good" "${good:0:40}" "$good" | hex2bin > s.bin
	run --separate-stderr hdlc-split -p db -a s.bin
	[ "${lines[0]}" = "$good" ]
	[[ "${lines[1]}" == "# cut-short @28 "* ]]
	[ "${lines[2]}" = "$good" ]
	[ "${#lines[@]}" -eq 3 ]
	# the input ending inside one
	printf '%s%s' "$good" "${good:0:40}" | hex2bin > t.bin
	run --separate-stderr hdlc-split -p db -a t.bin
	[ "${lines[0]}" = "$good" ]
	[[ "${lines[1]}" == "# truncated @28 "* ]]
}

@test "db: -j gives the header fields; -b the raw bytes; -A and -c the APDU" {
	han-sim -k keys -L db -m kaifa -n 3 -w truth > s.bin
	han-split -p db -j s.bin > j
	[ "$(wc -l < j)" -eq 3 ]
	jq -e -s 'all(.link == "db" and .ok and (.system_title | test("^4b464d[0-9a-f]{10}$")) and
	    .security == "30" and (.invocation_counter | type) == "number" and
	    .length == (.hex | length / 2))' j
	[ "$(jq -r .hex j)" = "$(cat truth)" ]
	han-split -p db -b s.bin | cmp - s.bin
	[ "$(han-split -p db -A s.bin)" = "$(cat truth)" ]
	[ "$(han-split -p db -c s.bin)" = "$(cat truth)" ]
	# nothing of a key in any form
	! grep -qi '000102030405060708090a0b0c0d0e0f' j
}

@test "db: corpus: every bare ciphered vector, back to back with junk, once; their fields with the published keys" {
	need_corpus
	jq -r 'select(.framing == "apdu" and (.hex | startswith("db08"))) | .hex' "$CORPUS" > vec
	[ "$(wc -l < vec)" -ge 5 ]
	while read -r h; do printf '001122%s' "$h"; done < vec | hex2bin > s.bin
	# each is cut by its own length: the corpus's hex is the whole APDU
	[ "$(han-split -p db s.bin)" = "$(cat vec)" ]
	[ "$(han-split s.bin)" = "$(cat vec)" ]
	# the published keys: the fields of every vector that has them (the corpus states P1
	# clocks without their offset)
	jq -r 'select(.framing == "apdu" and (.hex | startswith("db08")) and .key_hex) |
	    "\(.hex[4:20]) \(.key_hex) \(.auth_key_hex // "")"' "$CORPUS" > kk
	chmod 600 kk
	jq -c 'select(.framing == "apdu" and (.hex | startswith("db08")) and .key_hex and .fields) |
	    .fields' "$CORPUS" > want
	[ "$(wc -l < want)" -ge 2 ]
	han-split s.bin | ams-fields -q -k kk > got 2> /dev/null
	n=0
	while read -r w; do
		jq -e -n --argjson w "$w" --slurpfile g got \
		    '[$g[] | (if .list == "p1" and .meter_datetime then
		        .meter_datetime |= sub("[+-][0-9]{2}:[0-9]{2}$"; "") else . end) |
		      select(. as $x | $w | to_entries | all(.value == $x[.key]))] | length == 1' \
		    > /dev/null || { echo "no record gives $w"; return 1; }
		n=$((n + 1))
	done < want
	echo "# corpus: $(wc -l < vec) bare ciphered vectors framed, $n with their fields" >&3
}
