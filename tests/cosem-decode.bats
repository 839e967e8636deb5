#!/usr/bin/env bats
# cosem-decode: every A-XDR type, the APDU header forms, errors that do not stop the
# stream, the JSON form, and the lossless round trip through its own TLV text.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# every simple type once, with extreme values (a bare body: structure of 21)
ALLTYPES=0215\
0f80\
108000\
0580000000\
148000000000000000\
15ffffffffffffffff\
11ff\
12ffff\
06ffffffff\
161b\
0301\
0d12\
040cabc0\
173fc00000\
18400921fb54442d18\
0c02c3a6\
1907e9010f030b3b37ff800000\
1a07e9010f03\
1b0b3b37ff\
00\
0100\
0a03414243

@test "every A-XDR type decodes to its value, extremes exact" {
	echo "$ALLTYPES" > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "body" ]
	[ "${lines[1]}" = "0 structure 21 -" ]
	[ "${lines[2]}" = "  1 integer 1 -128" ]
	[ "${lines[3]}" = "  1 long 2 -32768" ]
	[ "${lines[4]}" = "  1 double-long 4 -2147483648" ]
	[ "${lines[5]}" = "  1 long64 8 -9223372036854775808" ]
	[ "${lines[6]}" = "  1 long64-unsigned 8 18446744073709551615" ]
	[ "${lines[7]}" = "  1 unsigned 1 255" ]
	[ "${lines[8]}" = "  1 long-unsigned 2 65535" ]
	[ "${lines[9]}" = "  1 double-long-unsigned 4 4294967295" ]
	[ "${lines[10]}" = "  1 enum 1 27" ]
	[ "${lines[11]}" = "  1 boolean 1 1 true" ]
	[ "${lines[12]}" = "  1 bcd 1 18" ]
	[ "${lines[13]}" = "  1 bit-string 12 abc0" ]
	[ "${lines[14]}" = "  1 float32 4 3fc00000 1.5" ]
	[[ "${lines[15]}" == "  1 float64 8 400921fb54442d18 3.14159265358979"* ]]
	[ "${lines[16]}" = '  1 utf8-string 2 c3a6 "\xc3\xa6"' ]
	[[ "${lines[17]}" == "  1 date-time 12 07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified"* ]]
	[ "${lines[18]}" = "  1 date 5 07e9010f03" ]
	[ "${lines[19]}" = "  1 time 4 0b3b37ff" ]
	[ "${lines[20]}" = "  1 null-data 0 -" ]
	[ "${lines[21]}" = "  1 array 0 -" ]
	[ "${lines[22]}" = '  1 visible-string 3 414243 "ABC"' ]
}

@test "-j keeps 64-bit integers exact and is valid JSON" {
	echo "$ALLTYPES" | cosem-decode -j > out
	jq -e . out > /dev/null
	grep -q '"type":"long64-unsigned","value":18446744073709551615}' out
	grep -q '"type":"long64","value":-9223372036854775808}' out
	[ "$(jq -r '.body.value[0].value' out)" = "-128" ]
	[ "$(jq -r '.body.value[11].bits' out)" = "12" ]
	[ "$(jq -r '.body.value[20].text' out)" = "ABC" ]
	[ "$(jq -r '.body.value[15].datetime' out)" = "2025-01-15T11:59:55" ]
}

@test "long lengths: 81 xx and 82 xx xx octet-strings, nested structures" {
	s200=$(printf '%0400d' 0 | tr 0 a)
	s300=$(printf '%0600d' 0 | tr 0 b)
	echo "0202 0981c8$s200 0201 0202 098201 2c$s300 11 07" | tr -d ' ' > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "  1 octet-string 200 $s200" ]
	[ "${lines[3]}" = "  1 structure 1 -" ]
	[ "${lines[4]}" = "    2 structure 2 -" ]
	[ "${lines[5]}" = "      3 octet-string 300 $s300" ]
	[ "${lines[6]}" = "      3 unsigned 1 7" ]
}

@test "APDU header: the three date-time encodings and the invoke-id bits" {
	{
		echo 0f4000000000020111ff
		echo 0f40000000090c07e9010f030b3b37ff80000002011101
		echo e6e7000f000000010c07e9010f030b3b37ffffc40002011102
		echo 0fc0000041000200
	} > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	grep -q '^apdu llc=none tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=none$' <<< "$output"
	grep -q 'dt=tagged:07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified' <<< "$output"
	grep -q '^apdu llc=e6e700 .* id=1 priority=normal service=unconfirmed .* dt=bare:07e9010f030b3b37ffffc400 datetime=2025-01-15T11:59:55+01:00 deviation=-60' <<< "$output"
	grep -q 'invoke=0xc0000041 id=65 priority=high service=confirmed processing=continue self-descriptive=no' <<< "$output"
}

@test "annotations: OBIS code, scaler-unit with unit name, 12-byte date-time octet-string" {
	echo 0f400000000001020203090601001f0700ff10fff602020fff16210202090600000100 00ff090c07e9010f030b3b37ffff8880 | tr -d ' ' > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	grep -q 'octet-string 6 01001f0700ff obis=1.0.31.7.0.255$' <<< "$output"
	grep -q '  2 long 2 -10$' <<< "$output"
	grep -q 'structure 2 - scaler=-1 unit=A$' <<< "$output"
	grep -q 'octet-string 12 07e9010f030b3b37ffff8880 datetime=2025-01-15T11:59:55+02:00 deviation=-120 status=0x80 dst=yes$' <<< "$output"
}

@test "other APDUs are named and kept raw, never misdecoded" {
	echo e6e700db0848454c4c4f313233820102300000000111223344 > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "apdu llc=e6e700 tag=db kind=general-glo-ciphering len=22 raw=db0848454c4c4f313233820102300000000111223344" ]
	cosem-decode -j in | jq -e '.kind == "general-glo-ciphering" and .length == 22' > /dev/null
}

@test "a real frame truncated at every byte is rejected cleanly, every time" {
	full=$(hdlc-split -c "$SAMPLES/aidon-3ph.bin" | sed -n 3p)
	n=${#full}
	for ((i = 2; i < n; i += 2)); do echo "${full:0:i}"; done > cuts
	run --separate-stderr cosem-decode cuts
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$(grep -c '^cosem-decode: line [0-9]*: ' <<< "$stderr")" -eq $((n / 2 - 1)) ]
	# and the untruncated one decodes
	echo "$full" | cosem-decode > /dev/null
}

@test "hostile counts and depth are errors, not crashes or allocations" {
	{
		echo 01ffff11                   # 65535 elements announced, one byte left
		echo 02010984ffffffff00        # a 4 GB octet-string
		printf '0101%.0s' {1..20}; echo 00   # 21 levels deep
		echo 02012a00                  # unknown type tag
	} > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	grep -q 'line 1: bad length or count (byte 1)' <<< "$stderr"
	grep -q 'line 2: bad length or count (byte 2)' <<< "$stderr"
	grep -q 'line 3: nesting too deep (byte 32)' <<< "$stderr"
	grep -q 'line 4: unknown type tag (byte 2)' <<< "$stderr"
}

@test "a bad record between good ones: both good ones come out, exit 1, one message" {
	good=$(hdlc-split "$SAMPLES/kaifa-1p.bin" | head -1)
	printf '%s\nnot hex at all\n%s\n' "$good" "$good" > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 2 ]
	[ "$stderr" = "cosem-decode: line 2: not hex (byte 1)" ]
	cosem-decode -j -q in > out || true
	[ "$(jq -c 'select(.error)' out)" = '{"line":2,"error":"not hex","byte":1}' ]
}

@test "its own TLV output reads back to the identical output, on every sample" {
	for f in "$SAMPLES"/*.bin; do
		hdlc-split "$f" | cosem-decode > a
		cosem-decode a > b
		cmp a b
		hdlc-split "$f" | cosem-decode -j | jq -e . > /dev/null
	done
}

@test "the capture time of hdlc-split -t and hdlc-split -j lines are accepted" {
	hdlc-split "$SAMPLES/kamstrup-1p.bin" | head -3 > plain
	sed 's/^/2026-11-23T20:15:02.481+01:00 /' plain > timed
	cosem-decode plain > a
	cosem-decode timed > b
	[ "$(grep -c '^apdu time=2026-11-23T20:15:02.481+01:00 llc=e6e700' b)" -eq 3 ]
	sed 's/ time=2026-11-23T20:15:02.481+01:00//' b | cmp - a
	hdlc-split -j "$SAMPLES/kamstrup-1p.bin" | head -3 | cosem-decode | cmp - a
}

@test "flagless frames, information fields and APDUs give the same elements" {
	frame=$(hdlc-split "$SAMPLES/aidon-1p.bin" | head -1)
	info=$(hdlc-split -c "$SAMPLES/aidon-1p.bin" | head -1)
	inner=${frame:2:${#frame}-4}
	apdu=${info:6}
	for l in "$frame" "$inner" "$info"; do echo "$l" | cosem-decode | tail -n +2; done > all
	echo "$apdu" | cosem-decode | tail -n +2 > one
	cat one one one | cmp - all
}

@test "files: a missing one is reported, the others decoded, exit 1" {
	hdlc-split "$SAMPLES/kaifa-1p.bin" | head -2 > a
	run --separate-stderr cosem-decode a nosuch a
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 4 ]
	[ "$stderr" = "cosem-decode: nosuch: No such file or directory" ]
}

@test "usage: -h exits 0 on stdout, a bad option exits 2" {
	run --separate-stderr cosem-decode -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: cosem-decode"* ]]
	run --separate-stderr cosem-decode -Z
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: cosem-decode"* ]]
}

@test "cosem-decode | ams-fields equals ams-fields on every sample" {
	for f in "$SAMPLES"/*.bin; do
		hdlc-split "$f" | sed 's/^/2026-01-01T00:00:00.000Z /' > lines
		ams-fields lines > direct 2> e1
		cosem-decode lines 2> /dev/null | ams-fields > via 2> e2
		cmp direct via
		cmp e1 e2 || [ "$(basename "$f")" = damaged.bin ]
	done
}

@test "man page EXAMPLES run on the samples" {
	cd "$ROOT"
	hdlc-split samples/kaifa-3ph.bin | cosem-decode | grep -q '^apdu '
	hdlc-split samples/aidon-3ph.bin | cosem-decode | grep -o 'obis=[0-9.]*' | sort -u | grep -q 'obis=1.0.1.7.0.255'
	hdlc-split samples/mixed.bin | cosem-decode -j | jq -c .body | head -1 | grep -q '"type"'
}

@test "corpus: every clear DLMS vector decodes without error" {
	need_corpus
	jq -r 'select(.expect=="decode" and (.encrypted|not) and (.payload=="dlms-apdu" or .payload=="axdr-body") and .framing!="mbus") | "\(.id) \(.framing) \(.hex)"' "$CORPUS" > vectors
	[ "$(wc -l < vectors)" -ge 100 ]
	fails=0
	while read -r id framing hex; do
		if [ "$framing" = hdlc ] && [ "${hex:0:2}" = 7e ]; then
			echo "$hex" | hex2bin | hdlc-split > in
		else
			echo "$hex" > in
		fi
		[ -s in ] || { echo "$id: no frame"; fails=$((fails + 1)); continue; }
		cosem-decode in > /dev/null 2> err || { echo "$id: $(cat err)"; fails=$((fails + 1)); }
	done < vectors
	echo "$(wc -l < vectors) vectors, $fails failed"
	[ "$fails" -eq 0 ]
}

# Regressions found by fuzz_apdu and fuzz_record (their crashers are kept in fuzz/corpus).

@test "regression: long64-unsigned 18446744073709551615 survives the TLV round trip" {
	echo 020115ffffffffffffffff > in
	cosem-decode in > a
	run --separate-stderr cosem-decode a
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat a)" ]
	echo 020115ffffffffffffffff | cosem-decode | ams-fields -q > /dev/null
}

@test "regression: a compact-array type description with a huge width is no overflow" {
	xxd -r -p <<< 13010d0001ff04011b01010c1b01040c1b > bin
	xxd -p bin | tr -d '\n' | sed 's/^/0201/' > in; echo >> in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 1 ]
	[[ "$stderr" == "cosem-decode: line 1: "* ]]
}

@test "regression: a JSON time that is not a plain time is not carried into TLV" {
	frame=$(hdlc-split "$SAMPLES/kaifa-1p.bin" | head -1)
	printf '{"time":"2026-01-01T00:00:00 llc=zz","hex":"%s"}\n' "$frame" > in
	cosem-decode in > out
	head -1 out | grep -vq ' time='
	cosem-decode out | cmp - out
}
