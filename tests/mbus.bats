#!/usr/bin/env bats
# Messages bigger than a frame: the wired M-Bus framer (han-split -p mbus|auto), M-Bus and
# HDLC segment reassembly in the decoders, and every M-Bus vector of the corpus.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# mb CI DATA: an M-Bus long frame (C 53, A FF) with that CI and data, hex
mb() {
	python3 -c '
import sys
ci, data = sys.argv[1], bytes.fromhex(sys.argv[2])
body = bytes([0x53, 0xff, int(ci, 16)]) + data
l = len(body) & 0xff
sys.stdout.write((bytes([0x68, l, l, 0x68]) + body + bytes([sum(body) & 0xff, 0x16])).hex())' "$1" "$2"
}

# A clear Aidon-style list-2 notification, split in three for the tests
APDU=0f40000000000102020209060101000281ff0a0b4149444f4e5f5630303031020309060100010700ff0600000d2002020f00161b
TSAP=0167

@test "mbus: a DLMS notification in three M-Bus segments decodes once, as the whole APDU does" {
	a=${APDU:0:30} b=${APDU:30:40} c=${APDU:70}
	{ mb 00 "$TSAP$a"; mb 01 "$TSAP$b"; mb 12 "$TSAP$c"; } | xxd -r -p > s.bin
	run --separate-stderr han-split -p mbus -s s.bin
	[ "$status" -eq 0 ] && [ "${#lines[@]}" -eq 3 ]
	[[ "$stderr" == *"mbus-frames=3 mbus-short=0 bytes=$(wc -c < s.bin) bad-checksum=0 no-stop-byte=0 truncated=0 junk=0"* ]]
	[ "$(han-split -p mbus s.bin | ams-fields -F list_ver_id,active_power_import)" = '{"list_ver_id":"AIDON_V0001","active_power_import":3360}' ]
	[ "$(echo "$APDU" | ams-fields -F list_ver_id,active_power_import)" = '{"list_ver_id":"AIDON_V0001","active_power_import":3360}' ]
	# the same through cosem-decode: one APDU
	[ "$(han-split -p mbus s.bin | cosem-decode | grep -c '^apdu ')" -eq 1 ]
	# -j shows the link fields; -c the CI and what follows
	han-split -p mbus -j s.bin | head -1 | jq -e '.link == "mbus" and .c == "53" and .a == "ff" and .ci == "00"'
	[ "$(han-split -p mbus -c s.bin | head -1)" = "00$TSAP$a" ]
	# han-split finds them by itself
	[ "$(han-split s.bin | ams-fields -F active_power_import)" = '{"active_power_import":3360}' ]
}

@test "mbus: a lost, repeated or foreign segment drops only its own message; the next decodes" {
	a=${APDU:0:30} b=${APDU:30:40} c=${APDU:70}
	{
		mb 01 "$TSAP$b"; mb 12 "$TSAP$c"			# the stream starts inside one
		mb 00 "$TSAP$a"; mb 12 "$TSAP$c"			# the middle one lost
		mb 00 "$TSAP$a"; mb 00 "$TSAP$a"; mb 01 "$TSAP$b"; mb 12 "$TSAP$c"	# a new first
		mb 00 "$TSAP$a"; mb 01 "$TSAP$b"; mb 12 "$TSAP$c"	# whole
		mb 10 "$TSAP$APDU"					# one segment, the last
		mb 00 "$TSAP$a"						# never finished
	} | xxd -r -p | han-split -p mbus > f.txt
	[ "$(wc -l < f.txt)" -eq 13 ]
	run --separate-stderr ams-fields -F active_power_import f.txt
	[ "$output" = '{"active_power_import":3360}
{"active_power_import":3360}
{"active_power_import":3360}' ]
	[ "$stderr" = "ams-fields: line 1: orphan-segment
ams-fields: line 2: orphan-segment
ams-fields: line 4: missing-segment
ams-fields: line 6: missing-segment
ams-fields: line 13: unassembled-segment: its last piece never came" ]
}

@test "mbus: checksum and stop byte checked; Sagemcom's L = 01 for 257 bytes; short frames with -e; CI 72 is not DLMS" {
	good=$(mb 10 "$TSAP$APDU")
	bad=${good:0:20}ff${good:22}
	{ echo "$bad"; echo "$good"; echo "${good:0:${#good}-2}17"; echo "$good"; } | xxd -r -p > s.bin
	run --separate-stderr han-split -p mbus -a -s s.bin
	[ "$(grep -c '^68' <<< "$output")" -eq 2 ]
	[[ "$stderr" == *"mbus-frames=2 "*"bad-checksum=1 no-stop-byte=1 "* ]]
	grep -q '^# bad-checksum @0 ' <<< "$output"
	# a 257-byte first segment says L = 01
	python3 -c '
body = bytes([0x53, 0xff, 0x00, 0x01, 0x67]) + bytes(range(256))[:252]
assert len(body) == 257
open("sag.bin", "wb").write(bytes([0x68, 1, 1, 0x68]) + body + bytes([sum(body) & 0xff, 0x16]))'
	[ "$(han-split -p mbus -j sag.bin | jq .length)" -eq 263 ]
	# a short frame (10 C A CS 16) is a unit without data
	printf '\x10\x5b\xfe\x59\x16' > short.bin
	[ -z "$(han-split -p mbus short.bin)" ]
	[ "$(han-split -p mbus -e short.bin)" = 105bfe5916 ]
	# EN 13757-3 data records (CI 72) are not DLMS: said, never a crash
	run --separate-stderr ams-fields <<< "$(mb 72 78563412)"
	[ "$stderr" = "ams-fields: line 1: en13757-records" ]
}

@test "hdlc: a notification over HDLC segments (S bit) decodes once; other addresses between them do not mix" {
	info=e6e700$APDU
	p1=${info:0:40} p2=${info:40}
	s1=$(mkframe -f "a8$(printf %02x $(( ${#p1} / 2 + 10 )))" 41 0883 13 "$p1")
	s2=$(mkframe 41 0883 13 "$p2")
	other=$(mkframe 41 0885 13 "e6e700$APDU")
	run --separate-stderr ams-fields -F active_power_import <<< "$s1
$other
$s2"
	[ -z "$stderr" ]
	[ "$output" = '{"active_power_import":3360}
{"active_power_import":3360}' ]
	# through the framer too
	printf '%s%s%s' "$s1" "$other" "$s2" | xxd -r -p | hdlc-split | cosem-decode | grep -c '^apdu ' | grep -qx 2
	# a last segment without its first is a frame on its own to HDLC (no S bit): what it
	# carries is no APDU; a first segment twice loses the first message; never glued
	run --separate-stderr ams-fields -F active_power_import <<< "$s2
$s1
$s1
$s2"
	[ "$output" = '{"active_power_import":3360}' ]
	[ "$stderr" = "ams-fields: line 1: unknown-apdu (byte 9)
ams-fields: line 3: missing-segment" ]
}

# ---------------------------------------------------------------- corpus

@test "mbus: corpus: every M-Bus vector gives its frames, and its APDUs after reassembly" {
	need_corpus
	jq -r 'select(.framing == "mbus") | "\(.id)\t\(.expect)\t\(.frames)\t\(.apdus)\t\(.hex)"' "$CORPUS" > vec.tsv
	[ "$(wc -l < vec.tsv)" -ge 25 ]
	bad=0
	while IFS=$'\t' read -r id expect frames apdus hex; do
		printf %s "$hex" | hex2bin > v.bin
		for p in mbus auto; do
			n=$(han-split -p $p -s v.bin 2>&1 >/dev/null | sed 's/.*mbus-frames=\([0-9]*\).*/\1/')
			[ "$n" -eq "$frames" ] || { echo "$id -p $p: $n frames, expected $frames"; bad=$((bad + 1)); }
		done
		got=$(han-split -p mbus v.bin | cosem-decode 2>/dev/null | grep -c '^apdu ' || true)
		case $expect in
		stream) want=$apdus ;;
		decode) want=0 ;;	# EN 13757-3 records: not DLMS
		*) want=0 ;;
		esac
		[ "$got" -eq "$want" ] || { echo "$id: $got APDUs, expected $want"; bad=$((bad + 1)); }
		if [ "$expect" = partial ]; then
			han-split -p mbus v.bin | cosem-decode 2>&1 >/dev/null | grep -Eq "unassembled-segment|orphan-segment" ||
			    { echo "$id: partial not said"; bad=$((bad + 1)); }
		fi
	done < vec.tsv
	[ "$bad" -eq 0 ]
}

@test "mbus: corpus: encrypted M-Bus streams with a published key decrypt to the corpus's fields" {
	need_corpus
	jq -r 'select(.framing == "mbus" and .key_hex and .fields) | "\(.id)|\(.key_hex)|\(.auth_key_hex // "")|\(.hex)"' "$CORPUS" > vec.tsv
	[ "$(wc -l < vec.tsv)" -ge 3 ]
	bad=0
	# | between the fields: a tab is white space to read, and an empty AK would vanish
	while IFS='|' read -r id ek ak hex; do
		(umask 077; echo "* $ek${ak:+ $ak}" > keys)
		printf %s "$hex" | hex2bin > v.bin
		got=$(han-split v.bin | ams-fields -q -k keys)
		[ "$(wc -l <<< "$got")" -eq 1 ] || { echo "$id: $(wc -l <<< "$got") records"; bad=$((bad + 1)); continue; }
		want=$(jq -c --arg id "$id" 'select(.id == $id) | .fields' "$CORPUS")
		res=$(jq -n -r --argjson w "$want" --argjson g "$got" '
		    ($g | with_entries(select(.key as $k | $w | has($k)))) as $f |
		    if $f == $w then "ok" else "got \($f | tojson) expected \($w | tojson)" end')
		[ "$res" = ok ] || { echo "$id: $res"; bad=$((bad + 1)); }
	done < vec.tsv
	[ "$bad" -eq 0 ]
}

# ---------------------------------------------------------------- General Block Transfer

# gbt CTL NUM DATA: a GBT block (E0) with that control byte and number, hex
gbt() {
	python3 -c '
import sys
ctl, num, data = int(sys.argv[1], 16), int(sys.argv[2]), bytes.fromhex(sys.argv[3])
n = len(data)
ln = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 0xff])
sys.stdout.write((bytes([0xe0, ctl, num >> 8, num & 0xff, 0, 0]) + ln + data).hex())' "$1" "$2" "$3"
}

@test "gbt: an APDU in General Block Transfer blocks decodes once; a lost, repeated or stray block costs only its APDU" {
	a=${APDU:0:30} b=${APDU:30:40} c=${APDU:70}
	f() { mkframe 41 0883 13 "$1"; }
	b1=$(f "e6e700$(gbt 40 1 "$a")") b2=$(f "$(gbt 40 2 "$b")") b3=$(f "$(gbt c0 3 "$c")")
	run --separate-stderr ams-fields -F list_ver_id,active_power_import <<< "$b1
$b2
$b3"
	[ -z "$stderr" ] && [ "$output" = '{"list_ver_id":"AIDON_V0001","active_power_import":3360}' ]
	[ "$(printf '%s\n' "$b1" "$b2" "$b3" | cosem-decode | grep -c '^apdu ')" -eq 1 ]
	run --separate-stderr ams-fields -F active_power_import <<< "$b2
$b3
$b1
$b3
$b1
$b2
$b2
$b3
$b1"
	[ "$output" = '{"active_power_import":3360}' ]
	[ "$stderr" = "ams-fields: line 1: orphan-block
ams-fields: line 2: orphan-block
ams-fields: line 4: missing-block
ams-fields: line 7: duplicate-block
ams-fields: line 9: unassembled-segment: its last piece never came" ]
	# a block whose data length is not its size
	run --separate-stderr ams-fields <<< "$(f "e6e700$(gbt c0 1 "$APDU" | sed 's/^\(e0c00001000\)0/\10/; s/^\(e0c0000100\)00\(..\)/\1\2/')ff")"
	[[ "$stderr" == "ams-fields: line 1: "* ]]
}

@test "gbt: corpus: every segmented or block-transfer HDLC stream gives its APDUs; partial vectors say so" {
	need_corpus
	jq -r 'select(.framing == "hdlc" and (.expect == "stream" or .expect == "partial")) | "\(.id)|\(.expect)|\(.apdus)|\(.hex)"' "$CORPUS" > vec.tsv
	[ "$(wc -l < vec.tsv)" -ge 20 ]
	bad=0
	while IFS='|' read -r id expect apdus hex; do
		printf %s "$hex" | hex2bin | hdlc-split > f.txt
		got=$(cosem-decode f.txt 2> err | grep -c '^apdu ' || true)
		if [ "$expect" = partial ]; then
			[ "$got" -eq 0 ] && grep -Eq 'unassembled-segment|orphan-(segment|block)' err ||
			    { echo "$id: partial gave $got APDUs: $(cat err)"; bad=$((bad + 1)); }
		else
			[ "$got" -eq "$apdus" ] || { echo "$id: $got APDUs, expected $apdus"; bad=$((bad + 1)); }
		fi
	done < vec.tsv
	[ "$bad" -eq 0 ]
}

@test "han-split -A: whole APDUs, pieces joined and link headers dropped, so a filter between the stages keeps working" {
	a=${APDU:0:30} b=${APDU:30:40} c=${APDU:70}
	{ mb 00 "$TSAP$a"; mb 01 "$TSAP$b"; mb 12 "$TSAP$c"; } | xxd -r -p > m.bin
	info=e6e700$APDU
	p1=${info:0:40} p2=${info:40}
	{
		mkframe -f "a8$(printf %02x $(( ${#p1} / 2 + 10 )))" 41 0883 13 "$p1"
		mkframe 41 0883 13 "$p2"
		mkframe 41 0883 13 "e6e700$(gbt 40 1 "$a")"
		mkframe 41 0883 13 "$(gbt 40 2 "$b")"
		mkframe 41 0883 13 "$(gbt c0 3 "$c")"
		mkframe 41 0883 13 "$(gbt c0 7 "$c")"		# a stray block
	} | tr -d '\n' | xxd -r -p > h.bin
	[ "$(han-split -A m.bin)" = "$APDU" ]
	run --separate-stderr han-split -A -a -s h.bin
	[ "$output" = "$APDU
$APDU
# orphan-block @$(( $(cat h.bin | wc -c) - $(mkframe 41 0883 13 "$(gbt c0 7 "$c")" | wc -c) / 2 ))" ]
	[[ "$stderr" == *" apdus=2 lost-pieces=1 "* ]]
	# a grep between the stages no longer splits a message
	[ "$(han-split -A -t h.bin m.bin | grep -v '^#' | ams-fields -F active_power_import | sort -u)" = '{"active_power_import":3360}' ]
	[ "$(han-split -A h.bin m.bin | ams-fields -F active_power_import | wc -l)" -eq 3 ]
	# a message left unfinished is said with -a at the end
	han-split -A -a <(head -c 30 m.bin) | grep -q '^# unassembled-segment @0$'
	run han-split -A -j m.bin
	[ "$status" -eq 2 ]
}

@test "han-sim -L seg|gbt|mbus: lists in pieces; with pieces lost, repeated and damaged, every intact message once, none glued" {
	for L in seg gbt mbus; do
		if [ $L = mbus ]; then
			# the M-Bus checksum is a sum: two flipped bits can cancel, so only cuts
			d="-d lose:10% -d repeat:10% -d trunc:5% -d junk:10%"
		else
			d="-d lose:10% -d repeat:10% -d any:10% -d junk:10%"
		fi
		han-sim -m mix -L $L -n 2000 -s 7 $d -g g.jsonl > s.bin
		[ "$(grep -c '"damaged"' g.jsonl)" -gt 100 ] || { echo "$L: too little damage"; return 1; }
		han-split s.bin | ams-fields -F meter_id,active_power_import 2> err > got.jsonl
		jq -c 'select(.damaged | not) | {meter_id, active_power_import} | with_entries(select(.value != null))' g.jsonl > want.jsonl
		diff want.jsonl <(jq -c 'with_entries(select(.value != null))' got.jsonl) ||
		    { echo "$L: messages differ"; return 1; }
		# the same through han-split -A, with a filter between the stages
		han-split -A s.bin | grep -v '^#' | ams-fields -F meter_id,active_power_import 2> /dev/null |
		    jq -c 'with_entries(select(.value != null))' | diff want.jsonl - ||
		    { echo "$L -A: messages differ"; return 1; }
	done
	# undamaged: the pieces are what the framer finds, and the truth decodes in full
	han-sim -m mix -L gbt -n 300 -w w.txt -g g.jsonl > s.bin
	hdlc-split s.bin | cmp - w.txt
	[ "$(hdlc-split s.bin | ams-fields | wc -l)" -eq 300 ]
}

@test "han-sim -L gbt|mbus -d reorder: a swapped piece costs its message; only two swapped in a row can join" {
	for L in gbt mbus; do
		han-sim -m mix -L $L -n 3000 -s 7 -d reorder:10% -d repeat:10% -d junk:10% -g g.jsonl > s.bin
		[ "$(grep -c '"damaged":"reorder"' g.jsonl)" -gt 20 ] || { echo "$L: too few swapped"; return 1; }
		han-split s.bin | ams-fields -F meter_id,active_power_import 2> err > got.jsonl
		jq -c 'select(.damaged | not) | {meter_id, active_power_import}' g.jsonl > want.jsonl
		jq -c '{meter_id, active_power_import}' got.jsonl > got2.jsonl
		# every intact message, once and in order
		grep -Fxf want.jsonl got2.jsonl | cmp - want.jsonl || { echo "$L: intact ones differ"; return 1; }
		# the rest: GBT blocks and M-Bus segments are numbered per message, so the first piece
		# of a swapped message and the last of the same meter's next, swapped too, make a
		# whole one; nothing else
		extra=$(grep -Fxvf want.jsonl got2.jsonl | wc -l)
		pairs=$(jq -r '"\(.meter_id) \(.damaged // "-")"' g.jsonl | awk '
		    { if ($2 == "reorder" && last[$1] == "reorder") n++; last[$1] = $2 }
		    END { print n + 0 }')
		[ "$extra" -le "$pairs" ] || { echo "$L: $extra extra, $pairs swapped pairs"; return 1; }
		grep -q 'missing-block\|missing-segment' err
	done
	# HDLC segments carry no number: han-sim does not pretend it can swap them
	run han-sim -L seg -d reorder:10% -n 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"-d reorder needs -L gbt or mbus"* ]]
}

@test "cosem-decode shows how a message was assembled (pieces=, gbt=; -j pieces, gbt_blocks), and reads it back" {
	a=${APDU:0:30} b=${APDU:30:40} c=${APDU:70}
	{ mb 00 "$TSAP$a"; echo; mb 01 "$TSAP$b"; echo; mb 12 "$TSAP$c"; echo; } > m.txt
	cosem-decode m.txt > m.tlv
	head -1 m.tlv | grep -q '^apdu llc=none tag=0f kind=data-notification pieces=3 invoke='
	cosem-decode m.tlv | cmp - m.tlv
	[ "$(cosem-decode -j m.txt | jq -c '{pieces, gbt_blocks}')" = '{"pieces":3,"gbt_blocks":null}' ]
	f() { mkframe 41 0883 13 "$1"; }
	{ f "e6e700$(gbt 40 1 "$a")"; f "$(gbt 40 2 "$b")"; f "$(gbt c0 3 "$c")"; } > g.txt
	cosem-decode g.txt > g.tlv
	head -1 g.tlv | grep -q ' gbt=3 invoke='
	cosem-decode g.tlv | cmp - g.tlv
	[ "$(cosem-decode -j g.txt | jq .gbt_blocks)" -eq 3 ]
	# a whole frame says nothing of the kind; a bad count is refused
	! echo "$APDU" | cosem-decode | grep -q 'pieces=\|gbt='
	sed '1s/pieces=3/pieces=0/' m.tlv | cosem-decode 2>&1 >/dev/null | grep -q 'bad-tlv: bad pieces'
}
