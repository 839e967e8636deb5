#!/usr/bin/env bats
# cosem-decode: every A-XDR type, the APDU header forms, annotations, errors that do not
# stop the stream, the JSON form, the lossless round trip through its own TLV text, the
# corpus, and the man pages (cosem-decode(1), hantools(5)) against what the tool does.

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

# the other ends of the ranges, false, an octet-string and compact-arrays
OTHERENDS=020e\
0f7f\
107fff\
057fffffff\
147fffffffffffffff\
150000000000000000\
1100\
120000\
0600000000\
1600\
0300\
0903010203\
13120600010002000b\
1302021112060a0b0c0d0e0f\
17bf800000

# lines of the files named by a test, with their numbers, on failure
show() { for f in "$@"; do echo "--- $f"; cat -n "$f"; done; }

@test "every A-XDR type decodes to its value, extremes exact" {
	echo "$ALLTYPES" > in
	run --separate-stderr cosem-decode -E in
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
	[ "${lines[17]}" = "  1 date-time 12 07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified status=0x00 dst=no" ]
	[ "${lines[18]}" = "  1 date 5 07e9010f03" ]
	[ "${lines[19]}" = "  1 time 4 0b3b37ff" ]
	[ "${lines[20]}" = "  1 null-data 0 -" ]
	[ "${lines[21]}" = "  1 array 0 -" ]
	[ "${lines[22]}" = '  1 visible-string 3 414243 "ABC"' ]
	[ "${lines[23]}" = "" ]
	[ "${#lines[@]}" -eq 23 ] || [ "${#lines[@]}" -eq 24 ]
}

@test "the other ends of the ranges, false, octet-string and compact-arrays" {
	echo "$OTHERENDS" > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[1]}" = "0 structure 14 -" ]
	[ "${lines[2]}" = "  1 integer 1 127" ]
	[ "${lines[3]}" = "  1 long 2 32767" ]
	[ "${lines[4]}" = "  1 double-long 4 2147483647" ]
	[ "${lines[5]}" = "  1 long64 8 9223372036854775807" ]
	[ "${lines[6]}" = "  1 long64-unsigned 8 0" ]
	[ "${lines[7]}" = "  1 unsigned 1 0" ]
	[ "${lines[8]}" = "  1 long-unsigned 2 0" ]
	[ "${lines[9]}" = "  1 double-long-unsigned 4 0" ]
	[ "${lines[10]}" = "  1 enum 1 0" ]
	[ "${lines[11]}" = "  1 boolean 1 0 false" ]
	[ "${lines[12]}" = "  1 octet-string 3 010203" ]
	# long-unsigned elements {1, 2, 11}: type description 12, 6 bytes
	[ "${lines[13]}" = "  1 compact-array 8 120600010002000b" ]
	# structure {unsigned, long-unsigned} elements, two of them
	[ "${lines[14]}" = "  1 compact-array 11 02021112060a0b0c0d0e0f" ]
	[ "${lines[15]}" = "  1 float32 4 bf800000 -1" ]
	cosem-decode in | cosem-decode | cmp - <(cosem-decode in)
}

@test "-j keeps 64-bit integers exact in the JSON text and is valid JSON" {
	echo "$ALLTYPES" | cosem-decode -j > out
	echo "$OTHERENDS" | cosem-decode -j > out2
	[ "$(wc -l < out)" -eq 1 ]
	jq -e . out out2 > /dev/null
	# jq would round these: check the text
	grep -q '{"type":"long64-unsigned","value":18446744073709551615}' out
	grep -q '{"type":"long64","value":-9223372036854775808}' out
	grep -q '{"type":"double-long","value":-2147483648}' out
	grep -q '{"type":"long64","value":9223372036854775807}' out2
	# one jq for all the fields (a jq process is slow to start)
	jq -c '[.line, .kind, .body.type, (.body.value | length)], (.body.value[0, 9, 11, 12]),
	    .body.value[14].text, (.body.value[15] | [.hex, .datetime, .deviation, .clock_status, .dst]),
	    .body.value[16, 18, 19, 20]' out > got
	jq -c '.body.value[9, 11]' out2 >> got
	cat > want <<-'END'
	[1,"body","structure",21]
	{"type":"integer","value":-128}
	{"type":"boolean","value":true}
	{"type":"bit-string","bits":12,"hex":"abc0"}
	{"type":"float32","hex":"3fc00000","value":1.5}
	"æ"
	["07e9010f030b3b37ff800000","2025-01-15T11:59:55",null,0,false]
	{"type":"date","hex":"07e9010f03"}
	{"type":"null-data"}
	{"type":"array","value":[]}
	{"type":"visible-string","hex":"414243","text":"ABC"}
	{"type":"boolean","value":false}
	{"type":"compact-array","hex":"120600010002000b"}
	END
	diff want got
}

@test "long lengths: 81 xx and 82 xx xx strings and counts, nested structures" {
	s200=$(printf '%0400d' 0 | tr 0 a)
	s300=$(printf '%0600d' 0 | tr 0 b)
	echo "0202 0981c8$s200 0201 0202 098201 2c$s300 11 07" | tr -d ' ' > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "  1 octet-string 200 $s200" ]
	[ "${lines[3]}" = "  1 structure 1 -" ]
	[ "${lines[4]}" = "    2 structure 2 -" ]
	[ "${lines[5]}" = "      3 octet-string 300 $s300" ]
	[ "${lines[6]}" = "      3 unsigned 1 7" ]
	# an array of 130 and a structure of 256 (counts 81 82 and 82 01 00)
	{ printf '0202018182'; printf '1101%.0s' {1..130}; printf '02820100'; printf '00%.0s' {1..256}; echo; } > in2
	cosem-decode in2 > out
	[ "$(sed -n 3p out)" = "  1 array 130 -" ]
	[ "$(grep -c '^    2 unsigned 1 1$' out)" -eq 130 ]
	grep -q '^  1 structure 256 -$' out
	[ "$(grep -c '^    2 null-data 0 -$' out)" -eq 256 ]
	# and back to the same bytes: the TLV is read into 81/82 forms again
	cosem-decode out | cmp - out
}

@test "APDU header: the three date-time encodings and the invoke-id bits" {
	{
		echo 0f4000000000020111ff
		echo 0f40000000090c07e9010f030b3b37ff80000002011101
		echo e6e7000f000000010c07e9010f030b3b37ffffc40002011102
		echo 0fc0000041000200
		echo 0f3000000100020111ff
	} > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 5 ]
	# 00: no date-time
	grep -qx 'apdu llc=none tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=none' <<< "$output"
	# 09 0C + 12 bytes
	grep -qx 'apdu llc=none tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=tagged:07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified status=0x00 dst=no' <<< "$output"
	# bare 0C + 12 bytes (Kamstrup), deviation -60 minutes is +01:00
	grep -qx 'apdu llc=e6e700 tag=0f kind=data-notification invoke=0x00000001 id=1 priority=normal service=unconfirmed processing=continue self-descriptive=no dt=bare:07e9010f030b3b37ffffc400 datetime=2025-01-15T11:59:55+01:00 deviation=-60 status=0x00 dst=no' <<< "$output"
	# 0xC0000041: invoke id 65 (bits 0-23), priority high (bit 31), confirmed (bit 30)
	grep -qx 'apdu llc=none tag=0f kind=data-notification invoke=0xc0000041 id=65 priority=high service=confirmed processing=continue self-descriptive=no dt=none' <<< "$output"
	# 0x30000001: break on error (bit 29), self-descriptive (bit 28)
	grep -qx 'apdu llc=none tag=0f kind=data-notification invoke=0x30000001 id=1 priority=normal service=unconfirmed processing=break self-descriptive=yes dt=none' <<< "$output"
	cosem-decode in | cosem-decode | cmp - <(cosem-decode in)
	# the same in JSON
	cosem-decode -j in > j
	jq -c '[.llc, .invoke_id, .invoke_raw, .priority, .service_class, .processing,
	    .self_descriptive, (.date_time | if . then [.encoding, .hex, .datetime, .deviation] else . end)]' j > got
	cat > want <<-'END'
	[null,0,1073741824,"normal","confirmed","continue-on-error",false,null]
	[null,0,1073741824,"normal","confirmed","continue-on-error",false,["tagged","07e9010f030b3b37ff800000","2025-01-15T11:59:55",null]]
	["e6e700",1,1,"normal","unconfirmed","continue-on-error",false,["bare","07e9010f030b3b37ffffc400","2025-01-15T11:59:55+01:00",-60]]
	[null,65,3221225537,"high","confirmed","continue-on-error",false,null]
	[null,1,805306369,"normal","unconfirmed","break-on-error",true,null]
	END
	diff want got
}

@test "annotations: OBIS code, scaler-unit with unit name, 12-byte date-time, visible-string" {
	echo 0f400000000001020203090601001f0700ff10fff602020fff16210202090600000100 00ff090c07e9010f030b3b37ffff8880 | tr -d ' ' > in
	echo 020302020f0316ff02020f001600 0a04225c410a | tr -d ' ' >> in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	grep -qx '    2 octet-string 6 01001f0700ff obis=1.0.31.7.0.255' <<< "$output"
	grep -qx '    2 long 2 -10' <<< "$output"
	grep -qx '    2 structure 2 - scaler=-1 unit=A' <<< "$output"
	grep -qx '      3 enum 1 33 unit=A' <<< "$output"
	grep -qx '    2 octet-string 12 07e9010f030b3b37ffff8880 datetime=2025-01-15T11:59:55+02:00 deviation=-120 status=0x80 dst=yes' <<< "$output"
	grep -qx '  1 structure 2 - scaler=3 unit=count' <<< "$output"
	grep -qx '  1 structure 2 - scaler=0 unit=unknown' <<< "$output"
	# a quote, a backslash and a line feed stay inside one quoted token
	grep -qxF '  1 visible-string 4 225c410a "\x22\x5cA\x0a"' <<< "$output"
	cosem-decode -j in > j
	jq -c 'if .line == 1 then .body.value[0].value[0], (.body.value[0].value[2] | [.scaler, .unit]),
	    (.body.value[1].value[1] | [.hex, .datetime, .deviation, .clock_status, .dst])
	    else (.body.value[0, 1] | [.scaler, .unit]), .body.value[2] end' j > got
	cat > want <<-'END'
	{"type":"octet-string","hex":"01001f0700ff","obis":"1.0.31.7.0.255"}
	[-1,"A"]
	["07e9010f030b3b37ffff8880","2025-01-15T11:59:55+02:00",-120,128,true]
	[3,"count"]
	[0,null]
	{"type":"visible-string","hex":"225c410a","text":"\"\\A\n"}
	END
	diff want got
}

@test "other APDUs are named and kept raw, never misdecoded" {
	echo e6e700db0848454c4c4f313233820102300000000111223344 > in
	echo e0c00000000100 >> in
	echo e6e700c4014100 >> in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "apdu llc=e6e700 tag=db kind=general-glo-ciphering len=22 raw=db0848454c4c4f313233820102300000000111223344" ]
	[ "${lines[1]}" = "apdu llc=none tag=e0 kind=general-block-transfer len=7 raw=e0c00000000100" ]
	[ "${lines[2]}" = "apdu llc=e6e700 tag=c4 kind=get-response len=4 raw=c4014100" ]
	cosem-decode -j in > j
	[ "$(head -1 j)" = '{"line":1,"kind":"general-glo-ciphering","tag":"db","llc":"e6e700","length":22,"hex":"db0848454c4c4f313233820102300000000111223344"}' ]
	[ "$(jq -r .kind j | tr '\n' ' ')" = "general-glo-ciphering general-block-transfer get-response " ]
	# and the TLV of them reads back to the same bytes
	cosem-decode in | cosem-decode | cmp - <(cosem-decode in)
}

@test "a real frame truncated at every byte is rejected cleanly, every time" {
	full=$(hdlc-split -c "$SAMPLES/aidon-3ph.bin" | sed -n 3p)
	n=${#full}
	[ "$n" -gt 200 ]
	for ((i = 2; i < n; i += 2)); do echo "${full:0:i}"; done > cuts
	m=$((n / 2 - 1))
	run --separate-stderr cosem-decode -E cuts
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# one message per cut, line N for the N-byte cut, in order, each in the house format,
	# and the offending byte within the bytes there were
	awk -v m="$m" '
		!/^cosem-decode: line [0-9]+: [a-z][^()]* \(byte [0-9]+\)$/ { print "format: " $0; bad = 1; next }
		{ n = $3 + 0; k = $NF; gsub(/[^0-9]/, "", k) }
		n != NR { print "order: " $0; bad = 1 }
		k + 0 > n { print "byte beyond the cut: " $0; bad = 1 }
		END { if (NR != m) { print NR " messages for " m " cuts"; bad = 1 } exit bad }
	' <<< "$stderr"
	# the -j error records too: one per cut, valid JSON, no decoded record among them
	cosem-decode -j -q cuts > j || true
	[ "$(jq -c 'select(.error and .line and .byte >= 0)' j | wc -l)" -eq "$m" ]
	# the same cuts of the whole frame (flags included) are refused by its checks
	frame=$(hdlc-split "$SAMPLES/aidon-3ph.bin" | sed -n 3p)
	for ((i = 2; i < ${#frame}; i += 2)); do echo "${frame:0:i}"; done > fcuts
	run --separate-stderr cosem-decode -E fcuts
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$(grep -c '^cosem-decode: line [0-9]*: ' <<< "$stderr")" -eq $((${#frame} / 2 - 1)) ]
	# and the untruncated ones decode
	echo "$full" | cosem-decode > /dev/null
	echo "$frame" | cosem-decode > /dev/null
}

@test "hostile counts and depth are errors, not crashes or allocations" {
	{
		echo 01ffff11                         # 65535 elements announced, one byte left
		echo 02010984ffffffff00               # a 4 GB octet-string
		printf '0101%.0s' {1..16}; echo 00    # depth 16: one level too deep
		echo 02012a00                         # unknown-type
		echo 0182ffff00                       # 82 xx xx count beyond the bytes
		echo 0201098201                       # a length cut inside its 82 form
		echo 0201131206000100                 # compact-array: 6 bytes announced, 2 there
		echo 02021101                         # structure of 2, one element there
		printf '0101%.0s' {1..15}; echo 00    # depth 15: the deepest allowed
	} > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[ "$(grep -c '^body$' <<< "$output")" -eq 1 ]
	grep -qx '                              15 null-data 0 -' <<< "$output"
	[ "$(wc -l <<< "$stderr")" -eq 8 ]
	grep -qx 'cosem-decode: line 1: bad-count (byte 1)' <<< "$stderr"
	grep -qx 'cosem-decode: line 2: bad-count (byte 2)' <<< "$stderr"
	grep -qx 'cosem-decode: line 3: too-deep (byte 32)' <<< "$stderr"
	grep -qx 'cosem-decode: line 4: unknown-type (byte 2)' <<< "$stderr"
	grep -q '^cosem-decode: line 5: bad-count (byte [0-9]*)$' <<< "$stderr"
	grep -q '^cosem-decode: line 6: [a-z].* (byte [0-9]*)$' <<< "$stderr"
	grep -q '^cosem-decode: line 7: [a-z].* (byte [0-9]*)$' <<< "$stderr"
	grep -q '^cosem-decode: line 8: [a-z].* (byte [0-9]*)$' <<< "$stderr"
}

@test "an LLC other than e6e700 is reported as it is; an offset counts from the frame's flag" {
	{
		echo e6e7010f40000000000201110f
		echo e6e6000f40000000000201110f
		echo e7e6000f40000000000201110f
	} > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "apdu llc=e6e701 tag=0f "* ]]
	[ "${lines[2]}" = "  1 unsigned 1 15" ]
	[[ "${lines[3]}" == "apdu llc=e6e600 tag=0f "* ]]
	[ "$stderr" = "cosem-decode: line 3: bad-llc (byte 0)" ]
	cosem-decode in 2> /dev/null | cosem-decode | cmp - <(cosem-decode in 2> /dev/null)
	# an unknown-type at byte 11 of the information field is byte 20 of its frame
	# (flag, format 2, addresses 1 + 2, control, HCS 2: the information field starts at 9)
	info=e6e7000f400000000002012a00
	mkframe 41 0883 13 "$info" > in2
	echo "$info" >> in2
	run --separate-stderr cosem-decode -E in2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "cosem-decode: line 1: unknown-type (byte 20)" ]
	[ "${stderr_lines[1]}" = "cosem-decode: line 2: unknown-type (byte 11)" ]
}

@test "the element limit: 2048 elements (an array and 2047) decode, 2049 are an error" {
	{ printf '01820800'; printf '00%.0s' {1..2048}; echo; } > in
	{ printf '018207ff'; printf '00%.0s' {1..2047}; echo; } > in2
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "cosem-decode: line 1: too-many-elements (byte 2051)" ]
	run --separate-stderr cosem-decode -E in2
	[ "$status" -eq 0 ]
	[ "$(grep -c 'null-data' <<< "$output")" -eq 2047 ]
	# compact-arrays: a length that is no multiple of the width, descriptions too deep
	{
		echo 02011312050001000200
		echo 0201 13 $(printf '010001%.0s' {1..20}) 1105 | tr -d ' '
	} > in3
	run --separate-stderr cosem-decode -E in3
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "cosem-decode: line 1: bad-compact-array (byte 2)" ]
	[[ "${stderr_lines[1]}" == "cosem-decode: line 2: too-deep (byte "*")" ]]
}

@test "TLV that does not read back is an error on its line, and the stream goes on" {
	cat > in <<-'END'
	body
	0 structure 2 -
	  1 integer 1 200
	  1 unsigned 1 5

	body
	0 array 2 -
	  1 unsigned 1 1
	    2 unsigned 1 1
	  1 unsigned 1 1

	body
	0 array 2 -
	  1 unsigned 1 1
	apdu llc=none tag=0f invoke=0x40000000 dt=none
	0 long-unsigned 1 7

	  1 unsigned 1 1
	apdu llc=none tag=0f dt=none
	0 null-data 0 -

	body
	0 octet-string 3 0102
	body
	0 boolean 1 1

	END
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'body\n0 boolean 1 1 true\n')" ]
	cat > want <<-'END'
	cosem-decode: line 3: bad-tlv: value out of range
	cosem-decode: line 9: bad-tlv: depth does not fit the tree
	cosem-decode: line 12: bad-tlv: incomplete element tree
	cosem-decode: line 16: bad-tlv: bad value
	cosem-decode: line 18: stray-element
	cosem-decode: line 19: bad-tlv: data-notification header without invoke or dt (byte 29)
	cosem-decode: line 23: bad-tlv: hex value of the wrong length
	END
	diff want <(echo "$stderr")
}

@test "-j error records keep the capture time of every input form" {
	{
		echo '2026-01-01T00:00:00.000Z 0201'
		echo '{"time":"2026-01-01T00:00:00.000Z","hex":"0201"}'
		printf 'body time=2026-01-01T00:00:00.000Z\n0 integer 1 300\n\n'
	} > in
	cosem-decode -j -q in > j || true
	[ "$(wc -l < j)" -eq 3 ]
	[ "$(jq -r .time j | sort -u)" = "2026-01-01T00:00:00.000Z" ]
}

@test "strings with any bytes stay one TLV token and valid JSON" {
	echo 02040a03ff0041 0c02c328 0a021f7f 0900 | tr -d ' ' > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = '  1 visible-string 3 ff0041 "\xff\x00A"' ]
	[ "${lines[3]}" = '  1 utf8-string 2 c328 "\xc3("' ]
	[ "${lines[4]}" = '  1 visible-string 2 1f7f "\x1f\x7f"' ]
	[ "${lines[5]}" = '  1 octet-string 0 -' ]
	cosem-decode in | cosem-decode | cmp - <(cosem-decode in)
	cosem-decode -j in | jq -e -c '.body.value | map(.hex)' > got
	[ "$(cat got)" = '["ff0041","c328","1f7f",""]' ]
}

@test "a write error is reported and exits 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	echo 020111ff > in
	run --separate-stderr bash -c 'cosem-decode in > /dev/full'
	[ "$status" -eq 1 ]
	[ "$stderr" = "cosem-decode: write error: No space left on device" ]
}

@test "a bad record between good ones: both good ones come out, exit 1, one message" {
	good=$(hdlc-split "$SAMPLES/kaifa-1p.bin" | head -1)
	printf '%s\nnot hex at all\n%s\n' "$good" "$good" > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 2 ]
	[ "$stderr" = "cosem-decode: line 2: not-hex (byte 1)" ]
	# a frame with a bad FCS, an APDU cut in its header, bytes after the body
	bad=${good:0:${#good}-6}0000${good: -2}
	printf '%s\n%s\n0f4000\n%s\n020111ff00\n%s\n' "$good" "$bad" "$good" "$good" > in2
	run --separate-stderr cosem-decode -E in2
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 3 ]
	[ "${stderr_lines[0]}" = "cosem-decode: line 2: bad-fcs" ]
	[[ "${stderr_lines[1]}" == "cosem-decode: line 3: short-apdu (byte "*")" ]]
	[ "${stderr_lines[2]}" = "cosem-decode: line 5: trailing-bytes (byte 4)" ]
	# -j: an error record in its place in the stream, -q silences stderr only
	run --separate-stderr cosem-decode -E -j -q in
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	[ "${lines[1]}" = '{"line":2,"error":"not-hex","byte":1}' ]
	[ "$(jq -r .line <<< "$output" | tr '\n' ' ')" = "1 2 3 " ]
}

@test "its own TLV output reads back to the identical output, on every sample" {
	for f in "$SAMPLES"/*.bin; do hdlc-split "$f"; done > lines
	[ "$(wc -l < lines)" -gt 100 ]
	cosem-decode lines > a
	[ "$(grep -c '^apdu ' a)" -eq "$(wc -l < lines)" ]
	cosem-decode a > b
	cmp a b
	# -j: every line valid JSON, one per record, none an error
	cosem-decode -j lines > j
	jq -e . j > /dev/null
	[ "$(wc -l < j)" -eq "$(wc -l < lines)" ]
	[ "$(jq -c 'select(.error)' j | wc -l)" -eq 0 ]
	# and from the TLV text, -j says the same except the line numbers
	cosem-decode -j a | jq -c 'del(.line)' > j2
	jq -c 'del(.line)' j | cmp - j2
	# the '#' lines of hdlc-split -a are passed over
	hdlc-split -a "$SAMPLES/damaged.bin" > withcomments
	grep -q '^#' withcomments
	cosem-decode withcomments | cmp - <(hdlc-split "$SAMPLES/damaged.bin" | cosem-decode)
}

@test "the capture time of hdlc-split -t and hdlc-split -j lines are accepted" {
	hdlc-split "$SAMPLES/kamstrup-1p.bin" | head -3 > plain
	sed 's/^/2026-11-23T20:15:02.481+01:00 /' plain > timed
	cosem-decode plain > a
	cosem-decode timed > b
	[ "$(grep -c '^apdu time=2026-11-23T20:15:02.481+01:00 llc=e6e700' b)" -eq 3 ]
	sed 's/ time=2026-11-23T20:15:02.481+01:00//' b | cmp - a
	# the time survives the TLV and is in -j
	cosem-decode b | cmp - b
	[ "$(cosem-decode -j b | jq -r .time | sort -u)" = "2026-11-23T20:15:02.481+01:00" ]
	[ "$(cosem-decode -j timed | jq -r .time | sort -u)" = "2026-11-23T20:15:02.481+01:00" ]
	# hdlc-split -j, with and without -c, and the time of -u
	hdlc-split -j "$SAMPLES/kamstrup-1p.bin" | head -3 | cosem-decode | cmp - a
	hdlc-split -j -c "$SAMPLES/kamstrup-1p.bin" | head -3 | cosem-decode | cmp - a
	hdlc-split -j -u "$SAMPLES/kamstrup-1p.bin" | head -3 > ju
	cosem-decode ju > c
	[ "$(grep -c '^apdu time=20[0-9-]*T[0-9:.]*Z llc=e6e700' c)" -eq 3 ]
	[ "$(jq -r .time ju)" = "$(cosem-decode -j ju | jq -r .time)" ]
}

@test "flagless frames, information fields and APDUs give the same elements" {
	frame=$(hdlc-split "$SAMPLES/aidon-1p.bin" | head -1)
	info=$(hdlc-split -c "$SAMPLES/aidon-1p.bin" | head -1)
	inner=${frame:2:${#frame}-4}
	apdu=${info:6}
	for l in "$frame" "$inner" "$info"; do echo "$l" | cosem-decode | tail -n +2; done > all
	echo "$apdu" | cosem-decode | tail -n +2 > one
	cat one one one | cmp - all
	# upper-case hex and CRLF line ends are read too
	printf '%s\r\n' "$(tr a-f A-F <<< "$info")" | cosem-decode | tail -n +2 | cmp - one
}

@test "files: a missing one is reported, the others decoded, - is stdin, exit 1" {
	hdlc-split "$SAMPLES/kaifa-1p.bin" | head -2 > a
	run --separate-stderr cosem-decode -E a nosuch a
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 4 ]
	[ "$stderr" = "cosem-decode: nosuch: No such file or directory" ]
	# several files: messages name the file
	echo zz > bad
	run --separate-stderr bash -c 'head -1 a | cosem-decode -E a - bad'
	[ "$status" -eq 1 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 3 ]
	[ "$stderr" = "cosem-decode: bad: line 1: not-hex (byte 1)" ]
	run --separate-stderr cosem-decode -E a
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "usage: -h exits 0 on stdout, a bad option exits 2, every option is in the man page" {
	run --separate-stderr cosem-decode -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: cosem-decode [-AEhIjqV] [-k keyfile] [file ...]" ]
	for o in $(grep -o '^  -[a-zA-Z]' <<< "$output" | tr -d ' -'); do
		grep -q "^\.It Fl $o\( \|\$\)" "$ROOT/man/cosem-decode.1" || { echo "-$o not in the man page"; return 1; }
	done
	run --separate-stderr cosem-decode -Z
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: cosem-decode"* ]]
}

@test "cosem-decode | ams-fields equals ams-fields on every sample" {
	[ -x "$HT_BIN/ams-fields" ] || skip "no ams-fields yet"
	for f in "$SAMPLES"/*.bin; do
		hdlc-split "$f" | sed 's/^/2026-01-01T00:00:00.000Z /' > lines
		ams-fields lines > direct 2> e1
		cosem-decode lines 2> /dev/null | ams-fields > via 2> e2
		[ -s direct ] || { echo "no fields from $f"; return 1; }
		cmp direct via
		cmp e1 e2 || [ "$(basename "$f")" = damaged.bin ]
	done
}

@test "cosem-decode(1): sections, lint clean, EXAMPLES run against samples/" {
	m=$ROOT/man/cosem-decode.1
	run groff -mandoc -ww -z "$m"
	[ -z "$output" ]
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -q "^\.Sh $s\$" "$m" || { echo "no section $s"; return 1; }
	done
	for x in "hdlc-split 1" "ams-fields 1" "hantools 5"; do
		grep -q "^\.Xr $x" "$m" || { echo "no .Xr $x"; return 1; }
	done
	ln -s "$SAMPLES" samples
	awk '/^\.Sh EXAMPLES/ { f = 1; next } /^\.Sh / { f = 0 } f && /^\.Dl / { sub(/^\.Dl /, ""); print }' "$m" |
	    sed 's/\\e/\\/g; s/\\-/-/g; s/\\(aq/'"'"'/g' > examples
	[ "$(wc -l < examples)" -ge 3 ]
	while IFS= read -r ex; do
		run --separate-stderr bash -o pipefail -c "$ex"
		[ "$status" -eq 0 ] || { echo "$ex: status $status"; return 1; }
		[ -z "$stderr" ] || { echo "$ex: $stderr"; return 1; }
		[ -n "$output" ] || { echo "$ex: no output"; return 1; }
	done < examples
}

@test "hantools(5): lint clean, its TLV example reads back, every type and key is in it" {
	m=$ROOT/man/hantools.5
	run groff -mandoc -ww -z "$m"
	[ -z "$output" ]
	# the example block is what cosem-decode writes for those bytes
	awk '/^\.Ss Example/ { f = 1; next } f && /^\.Bd/ { g = 1; next } g && /^\.Ed/ { exit } g' "$m" > ex
	grep -q '^apdu ' ex
	cosem-decode ex | cmp - ex
	# every type name the decoder writes
	{ echo "$ALLTYPES"; echo "$OTHERENDS"; } | cosem-decode | awk 'NF > 2 && $1 ~ /^[0-9]+$/ { print $2 }' | sort -u > types
	[ "$(wc -l < types)" -eq 24 ]
	while read -r t; do
		grep -q "^\.Li $t\( ,\)\?\$" "$m" || { echo "type $t not in hantools(5)"; return 1; }
	done < types
	# every TLV header key and JSON key the writers use
	for k in $(cat "$ROOT"/src/rec/tlv*.c | grep -o '" [a-z-]*=' | tr -d '" =' | sort -u) \
	    $(grep -o 'key(o, "[a-z_]*")' "$ROOT"/src/out/cosem_json.c | sed 's/.*"\(.*\)".*/\1/' | sort -u) line; do
		grep -qw "Li $k" "$m" || { echo "key $k not in hantools(5)"; return 1; }
	done
}

@test "corpus: every clear DLMS vector decodes without error" {
	need_corpus
	jq -r 'select(.expect=="decode" and (.encrypted|not) and (.payload=="dlms-apdu" or .payload=="axdr-body") and .framing!="mbus") | [.id, .framing, .hex, (.frames // 1)] | @tsv' "$CORPUS" > vectors
	[ "$(wc -l < vectors)" -ge 100 ]
	# Framed vectors go through hdlc-split as one stream (each frame is traced back to its
	# vector by offset), the rest are lines as they are: two processes, not one per vector.
	: > stream.hex
	: > direct
	: > direct.ids
	: > starts
	off=0
	while IFS=$'\t' read -r id framing hex frames; do
		if [ "$framing" = hdlc ] && [ "${hex:0:2}" = 7e ]; then
			echo "$off $id $frames" >> starts
			printf '%s' "$hex" >> stream.hex
			off=$((off + ${#hex} / 2))
		else
			echo "$hex" >> direct
			echo "$id" >> direct.ids
		fi
	done < vectors
	hex2bin < stream.hex | hdlc-split -j > framed
	# the vector of each frame; each vector gives as many frames as it has
	jq -r .offset framed | awk '
		NR == FNR { off[NR] = $1; id[NR] = $2; want[NR] = $3; n = NR; next }
		{ while (k < n && off[k + 1] <= $1) k++; print id[k]; got[k]++ }
		END { for (i = 1; i <= n; i++) if (got[i] != want[i]) print "COUNT " id[i] ": " got[i] + 0 " frames, want " want[i] > "/dev/stderr" }
	' starts - > framed.ids 2> counts
	cat framed direct > all
	cat framed.ids direct.ids > all.ids
	run --separate-stderr cosem-decode -E all
	failed=$(sed -n 's/^cosem-decode: line \([0-9]*\): \(.*\)/\1 \2/p' <<< "$stderr" |
	    while read -r l why; do echo "$(sed -n "${l}p" all.ids): $why"; done)
	echo "$(wc -l < vectors) vectors, $(wc -l < all) records"
	[ -z "$failed" ] || { echo "$failed"; return 1; }
	[ ! -s counts ] || { cat counts; return 1; }
	[ "$status" -eq 0 ]
	[ "$(grep -c '^\(apdu\|body\)' <<< "$output")" -eq "$(wc -l < all)" ]
}
# Regressions found by fuzz_apdu and fuzz_record (their crashers are kept in fuzz/corpus).

@test "regression: long64-unsigned 18446744073709551615 survives the TLV round trip" {
	echo 020115ffffffffffffffff > in
	cosem-decode in > a
	run --separate-stderr cosem-decode -E a
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat a)" ]
	echo 020115ffffffffffffffff | cosem-decode | ams-fields -q > /dev/null
}

@test "regression: a compact-array type description with a huge width is no overflow" {
	xxd -r -p <<< 13010d0001ff04011b01010c1b01040c1b > bin
	xxd -p bin | tr -d '\n' | sed 's/^/0201/' > in; echo >> in
	run --separate-stderr cosem-decode -E in
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

@test "regression: a TLV header time= with control characters is refused, not carried" {
	printf 'body time=a\r\0\n0 null-data 0 -\n\nbody time=2026-01-01T00:00:00Z\n0 null-data 0 -\n' > in
	run --separate-stderr cosem-decode -E in
	[ "$status" -eq 1 ]
	[[ "$stderr" == "cosem-decode: line 1: bad-tlv: bad time"* ]]
	[ "$(grep -c '^body time=2026-01-01T00:00:00Z$' <<< "$output")" -eq 1 ]
}

@test "regression: a body with a stray byte after it gets the same answer from both decoders" {
	# structure { double-long-unsigned 1234 } then ff: a complete body and one byte more
	echo 0f4000000000020106000004d2ff > in
	run --separate-stderr cosem-decode -E in
	[[ "$stderr" == *"line 1: trailing-bytes (byte 13)" ]]
	run --separate-stderr ams-fields in
	[ -z "$output" ]
	[ "$stderr" = "ams-fields: line 1: trailing-bytes (byte 13)" ]
	# without the stray byte both decode it
	echo 0f4000000000020106000004d2 > ok
	cosem-decode ok | grep -q 'double-long-unsigned 4 1234'
	ams-fields ok | grep -q '"active_power_import":1234'
}

@test "regression: a segmented HDLC frame (S bit) is reported as a segment, not as truncated data" {
	info=e6e7000f400000000001020203090600010203040506ff
	whole=$(mkframe 41 0883 13 "$info")
	seg=$(mkframe -f "a8${whole:4:2}" 41 0883 13 "$info")
	hdlc-split -j <<< "$seg" >/dev/null	# it is a valid frame
	echo "$seg" | xxd -r -p | hdlc-split -j | grep -q '"segmented":true'
	# a first segment whose message never ends: said at the end of the input
	run --separate-stderr cosem-decode -E <<< "$seg"
	[ "$stderr" = "cosem-decode: line 1: unassembled-segment: its last piece never came" ]
	run --separate-stderr ams-fields <<< "$seg"
	[ "$stderr" = "ams-fields: line 1: unassembled-segment: its last piece never came" ]
}

@test "regression: a JSON line is read by its top-level keys only, never a \"hex\" nested or inside a string" {
	printf '%s\n' '{"nested":{"hex":"0f40000000000201110f"}}' \
	    '{"list":[{"hex":"0f40000000000201110f"}]}' \
	    '{"note":"\"hex\":\"0f40000000000201110f\""}' \
	    '{"a":"\"hex\":\"0f\"","hex":"0f40000000000201110f"}' \
	    '{"x":{"ok":false},"hex":"0f40000000000201110f"}' > in
	run --separate-stderr cosem-decode in
	[ "$status" -eq 0 ]
	[ "$(grep -c '^apdu ' <<< "$output")" -eq 2 ]
	[ "$stderr" = "$(printf 'cosem-decode: line %d: no-hex-key\n' 1 2 3)" ]
}
