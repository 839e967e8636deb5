#!/usr/bin/env bats
# hdlc-split: framing checks, recovery after damage, options, I/O behaviour, corpus.

load helper

# A few hand-built frames (mkframe computes HCS and FCS from the parts).
setup() {
	cd "$BATS_TEST_TMPDIR"
	A=$(mkframe 41 0883 13 e6e7000f40000000000101020309060101000281ff0a0b4149444f4e5f5630303031)
	B=$(mkframe 01 0201 10 e6e7000f4000000000090c07ea0b17020f1e00ff8000000201060000157e)
	# 7E and 7D inside the information field, and a 0A for the CRLF test
	C=$(mkframe 2b 21 13 e6e7000f000000007e7d7e7d0a0a0d0a0009060101000005ff)
	E=$(mkframe 03 21 93)	# no information field
}

frames() { printf '%s' "$@" | hex2bin; }

@test "-h prints usage to stdout and exits 0" {
	run hdlc-split -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: hdlc-split "* ]]
}

@test "an unknown option is a usage error: exit 2, usage on stderr" {
	run -2 --separate-stderr hdlc-split -Q
	[ -z "$output" ]
	[[ "$stderr" == *"usage: hdlc-split"* ]]
}

@test "CRC-16/X.25 check value of 123456789 is 906e" {
	run mkframe -k 123456789
	[ "$output" = "906e" ]
}

@test "one valid frame comes out as its lowercase hex, stderr empty" {
	frames "$A" > in.bin
	hdlc-split in.bin > out 2> err
	[ "$(cat out)" = "$A" ]
	assert_empty err
}

@test "7E and 7D inside a frame are data, not flags or escapes" {
	[[ "$C" == *7e7d7e7d* ]]
	frames "$C" | hdlc-split > out
	[ "$(cat out)" = "$C" ]
}

@test "bad HCS alone rejects the frame" {
	bad=$(mkframe -H 1234 41 0883 13 e6e7000f)
	frames "$bad" | hdlc-split -s > out 2> err
	[ ! -s out ]
	grep -q 'bad-hcs=1' err
	grep -q 'bad-fcs=0' err
}

@test "bad FCS alone rejects the frame" {
	bad=$(mkframe -F 1234 41 0883 13 e6e7000f)
	frames "$bad" | hdlc-split -s > out 2> err
	[ ! -s out ]
	grep -q 'bad-fcs=1' err
	grep -q 'bad-hcs=0' err
}

@test "a frame without an information field is checked by its one CRC" {
	bad=$(mkframe -F 1234 03 21 93)
	frames "$bad" | hdlc-split -e -s > out 2> err
	[ ! -s out ]
	grep -q 'bad-fcs=1' err
}

@test "missing closing flag alone rejects the frame" {
	bad=${A%7e}00
	frames "$bad" | hdlc-split -s > out 2> err
	[ ! -s out ]
	grep -q 'no-closing-flag=1' err
}

@test "format type other than A is not a frame" {
	bad=$(mkframe -f b00c 41 0883 13 e6e7)
	frames "$bad" | hdlc-split > out
	[ ! -s out ]
}

@test "a length field that disagrees with the frame rejects it" {
	short=$(mkframe -f a00b 41 0883 13 e6e7)	# one less than the real 12
	frames "$short" | hdlc-split -s > out 2> err
	[ ! -s out ]
	long=$(mkframe -f a00d 41 0883 13 e6e7)		# one more
	frames "$long" | hdlc-split -s >> out 2>> err
	[ ! -s out ]
	tiny=$(mkframe -f a003 41 0883 13 e6e7)		# below the minimum
	frames "$tiny" | hdlc-split -s >> out 2>> err
	[ ! -s out ]
	grep -q 'bad-length=1' err
}

@test "an address longer than 4 bytes rejects the frame" {
	bad=$(mkframe 0202020202 21 13 e6e7)
	frames "$bad" | hdlc-split -a > out
	grep -q '^# bad-address' out
	! grep -q '^7e' out
}

@test "frames without information field: counted, printed only with -e" {
	frames "$E" "$A" | hdlc-split -s > out 2> err
	[ "$(cat out)" = "$A" ]
	grep -q 'frames=1 empty=1' err
	frames "$E" "$A" | hdlc-split -e > out
	[ "$(sed -n 1p out)" = "$E" ]
	[ "$(sed -n 2p out)" = "$A" ]
}

@test "frames sharing one flag, and runs of flags, all come out" {
	shared="$A${B#7e}${C#7e}"
	frames "$shared" | hdlc-split > out
	printf '%s\n' "$A" "$B" "$C" | diff - out
	frames 7e7e7e "$A" 7e7e "$B" 7e7e7e7e | hdlc-split > out
	printf '%s\n' "$A" "$B" | diff - out
}

@test "junk between frames and a start in mid-frame are skipped" {
	frames "${C:40}" 00ff11a0 "$A" 0102030405 7e7e00 "$B" deadbeef | hdlc-split -s > out 2> err
	printf '%s\n' "$A" "$B" | diff - out
	grep -q 'junk=' err
	! grep -q 'junk=0 ' err
}

@test "-a prints rejected frames and junk as comment lines" {
	bad=$(mkframe -F 1234 41 0883 13 e6e7000f)
	frames 0102 "$bad" "$A" | hdlc-split -a > out
	grep -q '^# junk 2 bytes @0$' out
	grep -q "^# bad-fcs @2 $bad\$" out
	[ "$(grep -c '^7e' out)" -eq 1 ]
	[ "$(grep -v '^#' out)" = "$A" ]
}

@test "-a shows only the header a bad-HCS or truncated candidate was judged on, not the bytes its length claims" {
	# a header claiming 2047 bytes with a wrong HCS, then good frames that its claim covers
	hdr=$(mkframe -f a7ff -H 0000 41 0883 13 e6e7)
	hdr=${hdr:0:18}
	frames "$hdr" "$A" "$B" "$A" | hdlc-split -a > out
	grep -qx "# bad-hcs @0 $hdr" out
	[ "$(grep -v '^#' out)" = "$(printf '%s\n' "$A" "$B" "$A")" ]
	# the same header with a good HCS, cut by the end of the input: only the header shown
	good=$(mkframe -f a7ff 41 0883 13 e6e7)
	good=${good:0:18}
	frames "$good" "$A" "$B" | hdlc-split -a > out
	grep -qx "# truncated @0 $good" out
	[ "$(grep -v '^#' out)" = "$(printf '%s\n' "$A" "$B")" ]
}

@test "an over-long damaged frame does not swallow the good frames after it" {
	# a header that claims 2000 bytes, with a good HCS so it must be read out in full
	hdr=$(mkframe -f a7d0 41 0883 13 e6e7)
	hdr=${hdr:0:18}
	frames "$hdr" "$A" "$B" "$C" "$A" | hdlc-split -s > out 2> err
	printf '%s\n' "$A" "$B" "$C" "$A" | diff - out
	grep -q 'truncated=1' err
	# the same with plenty of bytes after it, so the claimed length is available
	more=$(printf '%s' "$A" "$B" "$C" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A" "$B" "$C" "$A")
	frames "$hdr" "$more" "$more" | hdlc-split > out
	[ "$(wc -l < out)" -eq 54 ]
}

@test "LF to CRLF damage rejects the frame and keeps its neighbours" {
	crlf=$(printf '%s' "$C" | sed 's/0a/0d0a/g')
	[ "$crlf" != "$C" ]
	frames "$A" "$crlf" "$B" "$crlf" "$A" | hdlc-split > out
	printf '%s\n' "$A" "$B" "$A" | diff - out
}

@test "one byte per read gives exactly the output of one big read" {
	frames 00 "$A" "$B" 7e "${C:0:30}" "$C" "$E" 11 "$A" > in.bin
	hdlc-split -a -e in.bin > big
	trickle -n 1 < in.bin | hdlc-split -a -e > small
	diff big small
	trickle -n 7 < in.bin | hdlc-split -a -e > seven
	diff big seven
	[ "$(grep -c '^7e' big)" -eq 5 ]
}

@test "-c prints the information field" {
	frames "$A" | hdlc-split -c > out
	[ "$(cat out)" = "e6e7000f40000000000101020309060101000281ff0a0b4149444f4e5f5630303031" ]
}

@test "-b writes a clean binary capture of the valid frames" {
	frames 0011 "$A" 7e7e ffee "$B" 12 > in.bin
	hdlc-split -b in.bin > out.bin
	frames "$A" "$B" > want.bin
	cmp want.bin out.bin
	run -2 hdlc-split -b -j in.bin
}

@test "-t and -u prefix an RFC 3339 time with milliseconds" {
	frames "$A" | hdlc-split -t > out
	grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2} $A\$" out
	frames "$A" | TZ=UTC hdlc-split -u > out
	grep -Eq "^[0-9-]{10}T[0-9:]{8}\.[0-9]{3}Z $A\$" out
	frames "$A" | TZ=Asia/Kolkata hdlc-split -t > out
	grep -q "+05:30 $A\$" out
}

@test "-j gives JSON Lines with the header fields (valid for jq)" {
	frames 0000 "$A" "$B" | hdlc-split -j > out
	run jq -r '[.offset, .length, .segmented, .dst, .src, .control, .ok] | @tsv' out
	[ "${lines[0]}" = "$(printf '2\t44\tfalse\t41\t0883\t13\ttrue')" ]
	[ "$(jq -r .hex out | sed -n 2p)" = "$B" ]
	frames 00 "$(mkframe -F 1234 41 0883 13 e6e7)" | hdlc-split -j -a | jq -s -e 'map(select(.error)) | .[0].error == "bad-fcs"'
}

@test "the segmentation bit is reported and the frame is passed on" {
	seg=$(mkframe -f a80c 41 0883 13 e6e7)
	frames "$seg" | hdlc-split -j > out
	[ "$(jq .segmented out)" = true ]
}

@test "-x reads hex text, whitespace and comments ignored" {
	printf '# a capture\n%s\n  %s\n' "${A:0:20}" "${A:20} $B" | hdlc-split -x > out
	printf '%s\n' "$A" "$B" | diff - out
}

@test "-S undoes octet stuffing" {
	# stuff A by hand: 7D and 7E inside become 7D 5D / 7D 5E
	inner=${C:2:${#C}-4}
	stuffed=$(printf '%s' "$inner" | sed 's/../& /g' | sed 's/7d /7d5d /g; s/7e /7d5e /g' | tr -d ' ')
	frames 7e "$stuffed" 7e | hdlc-split -S > out
	[ "$(cat out)" = "$C" ]
	# and without -S the stuffed frame is not valid
	frames 7e "$stuffed" 7e | hdlc-split > out
	[ ! -s out ]
}

@test "an unreadable file is reported, the next file is read, exit 1" {
	frames "$A" > a.bin
	run --separate-stderr hdlc-split nonexistent a.bin
	[ "$status" -eq 1 ]
	[ "$output" = "$A" ]
	[ "$stderr" = "hdlc-split: nonexistent: No such file or directory" ]
}

@test "files are read in order, '-' is standard input" {
	frames "$A" > a.bin
	frames "$B" > b.bin
	frames "$C" | hdlc-split a.bin - b.bin > out
	printf '%s\n' "$A" "$C" "$B" | diff - out
}

@test "a write error is reported and exits 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	frames "$A" > a.bin
	run hdlc-split a.bin
	run --separate-stderr bash -c 'hdlc-split a.bin > /dev/full'
	[ "$status" -eq 1 ]
	[[ "$stderr" == "hdlc-split: write error: No space left on device" ]]
}

@test "SIGPIPE ends it quietly under head" {
	for i in $(seq 200); do printf '%s' "$A"; done | hex2bin > many.bin
	for i in 1 2 3 4 5 6 7 8; do cat many.bin; done > more.bin
	run bash -c 'hdlc-split more.bin 2> err | head -1'
	[ "$output" = "$A" ]
	assert_empty err
}

@test "a frame's line arrives while the writer still holds the pipe open" {
	mkfifo in.fifo out.fifo
	hdlc-split < in.fifo > out.fifo &
	exec 5> in.fifo 6< out.fifo
	frames "$A" >&5
	line=
	read -t 10 -r line <&6 || true
	frames "$B" >&5
	read -t 10 -r line2 <&6 || true
	exec 5>&- 6<&-
	wait
	[ "$line" = "$A" ]
	[ "$line2" = "$B" ]
}

@test "corpus: every HDLC vector marked decode or partial comes out, exactly" {
	need_corpus
	n=0
	while IFS=$'\t' read -r id want hex; do
		# four amshan vectors are frames without flags: hdlc-split reads a byte stream,
		# where frames always have them, so they are given their flags here
		[[ $hex == 7e* ]] || hex=7e${hex}7e
		got=$(printf '%s' "$hex" | hex2bin | hdlc-split -e | wc -l)
		[ "$got" -eq "$want" ] || { echo "$id: want $want frames, got $got"; return 1; }
		n=$((n + 1))
	done < <(jq -r 'select(.framing=="hdlc" and (.expect=="decode" or .expect=="partial")) | [.id, .frames, .hex] | @tsv' "$CORPUS")
	[ "$n" -gt 100 ]
}

@test "corpus: no frame comes out of any HDLC or stream vector marked reject" {
	need_corpus
	n=0
	while IFS=$'\t' read -r id hex; do
		got=$(printf '%s' "$hex" | hex2bin | hdlc-split -e | wc -l)
		[ "$got" -eq 0 ] || { echo "$id: $got frames from a reject"; return 1; }
		n=$((n + 1))
	done < <(jq -r 'select((.framing=="hdlc" or .framing=="stream") and .expect=="reject") | [.id, .hex] | @tsv' "$CORPUS")
	[ "$n" -gt 50 ]
}

@test "corpus: streams give exactly their count of valid frames" {
	need_corpus
	while IFS=$'\t' read -r id want hex; do
		got=$(printf '%s' "$hex" | hex2bin | hdlc-split -e | wc -l)
		[ "$got" -eq "$want" ] || { echo "$id: want $want, got $got"; return 1; }
	done < <(jq -r 'select(.expect=="stream" and (.framing=="hdlc" or .framing=="stream")) | [.id, .frames, .hex] | @tsv' "$CORPUS")
}

@test "corpus: every vector framed again, with junk between, one byte per read" {
	need_corpus
	jq -r 'select(.framing=="hdlc" and .expect=="decode" and (.hex|startswith("7e"))) | .hex' "$CORPUS" > good.hex
	: > want
	while read -r h; do printf '%s' "$h" | hex2bin | hdlc-split >> want; done < good.hex
	{ while read -r h; do printf '%s00ff7e' "$h"; done < good.hex; } | hex2bin > all.bin
	trickle -n 3 < all.bin | hdlc-split > out
	[ "$(wc -l < want)" -gt 100 ]
	diff want out
}

@test "man page: lint clean and every option of -h documented" {
	run groff -mandoc -ww -z "$ROOT/man/hdlc-split.1"
	[ -z "$output" ]
	for o in $(hdlc-split -h | sed -n 's/^  \(-[a-zA-Z]\).*/\1/p'); do
		grep -qE "^\.It Fl ${o#-}( |\$)" "$ROOT/man/hdlc-split.1" || { echo "missing $o"; return 1; }
	done
}

@test "hdlc-split: the CRC (whole and in pieces) and the hex writer agree with slow references" {
	run unitcheck
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"20267 CRCs and 4816 hex strings agree"* ]]
}

@test "hdlc-split: the portable hex writer (no SSE2) agrees with the reference too" {
	run ${CC:-cc} -std=c11 -O2 -DHANTOOLS_PORTABLE -I"$ROOT/src" -o "$BATS_TEST_TMPDIR/u" \
	    "$ROOT/tests/helpers/unitcheck.c" "$ROOT/src/link/crc.c" "$ROOT/src/base/hex.c"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run "$BATS_TEST_TMPDIR/u"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"agree"* ]]
}

@test "regression: a message on stderr comes after the lines already made, never inside one (2>&1)" {
	n=$(hdlc-split "$SAMPLES/mixed.bin" | wc -l)
	for o in -j "" -a -t; do
		hdlc-split $o "$SAMPLES/mixed.bin" /nonexistent "$SAMPLES/aidon-1p.bin" > out 2>&1 || true
		# the message is a line of its own, right after the first file's lines
		[ "$(grep -c 'hdlc-split: /nonexistent: No such file or directory' out)" -eq 1 ]
		grep -qx 'hdlc-split: /nonexistent: No such file or directory' out
		[ "$(grep -n 'nonexistent' out | cut -d: -f1)" -gt "$n" ] || [ "$o" = -a ]
	done
	for t in cosem-decode ams-fields; do
		hdlc-split "$SAMPLES/mixed.bin" > lines
		$t lines /nonexistent lines > out 2>&1 || true
		grep -qx "$t: /nonexistent: No such file or directory" out
	done
}

@test "latency: frames after a cut-short one come out as their own last byte arrives, stamped then" {
	# a header claiming 2047 bytes with a good HCS, whose rest never comes; then four good
	# frames 0.5 s apart, well inside its claimed extent
	cut=$(mkframe -f a7ff 41 0883 13 e6e7)
	cut=${cut:0:18}
	{
		frames "$cut"
		for i in 1 2 3 4; do sleep 0.5; frames "$A"; done
		sleep 0.5
	} | hdlc-split -u | while read -r t line; do
		echo "$(date -u +%s.%N) $t"
	done > times
	[ "$(wc -l < times)" -eq 4 ]
	# each line reached the reader soon after its frame was sent, not all at the end:
	# arrivals spread over about 1.5 s, each stamp (the time its last byte was read) within
	# 0.3 s of its arrival
	awk '
		{ split($2, a, /[T:Z]/); s = a[2] * 3600 + a[3] * 60 + a[4]; arr[NR] = $1
		  d = ($1 % 86400) - s; if (d < 0) d = -d; if (d > 0.3) { print "stamp " $2 " off by " d; bad = 1 } }
		END { spread = arr[4] - arr[1]; if (spread < 1.2) { print "spread " spread; bad = 1 } exit bad }
	' times
}

# hostile KIND: 1 MiB of candidate headers with a good HCS that claim 2047 bytes: all of
# them (a), or alternating with bad-HCS ones (b)
hostile_headers() {
	python3 - "$1" <<'PY'
import struct, sys
def crc(b):
    c = 0xffff
    for x in b:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0x8408 if c & 1 else c >> 1
    return c ^ 0xffff
def hdr(good):
    h = bytes([0xa7, 0xff, 0x41, 0x03, 0x13])
    return b'\x7e' + h + struct.pack('<H', crc(h) ^ (0 if good else 1))
unit = hdr(True) if sys.argv[1] == 'a' else hdr(True) + hdr(False)
sys.stdout.buffer.write((unit * (2 ** 20 // len(unit) + 1))[:2 ** 20])
PY
}

@test "-a is bounded on any input: rejections in a row are one line with counts, no byte dumped twice" {
	for k in a b; do
		hostile_headers $k > h.bin
		hdlc-split -a -s h.bin > out 2> err
		# the 542 MB of comments these gave are a few kilobytes now
		[ "$(wc -c < out)" -lt 20000 ] || { echo "$k: $(wc -c < out) bytes"; return 1; }
		[ "$(wc -l < out)" -le 3 ]
		# the counts still say what happened, and -s counts every rejection
		grep -q '^# bad-fcs @0 x' out
		[ "$k" = a ] || grep -q ' bad-hcs=65536 ' out
		grep -qE 'bad-fcs=[0-9]{5,} ' err
		hdlc-split -a -j h.bin 2>/dev/null | jq -s -e 'map(select(.ok == false) | .count) | max > 1000' > /dev/null
	done
	# a dump shows only bytes no earlier comment showed: overlapping rejections
	A=$(mkframe 41 0883 13 e6e7000f40000000000101020309060101000281ff0a0b4149444f4e5f5630303031)
	bad=$(mkframe -F 1234 41 0883 13 e6e7000f40000000000101020309060101000281ff)
	frames "$bad" "$A" "$bad" "$A" | hdlc-split -a > out
	[ "$(grep -c '^# bad-fcs @' out)" -eq 2 ]
	[ "$(grep -v '^#' out | wc -l)" -eq 2 ]
}

@test "a frame inside a frame's bytes is found however the bytes were cut into reads" {
	# an outer frame whose information field holds a whole inner frame
	inner=$(mkframe 03 21 13 e6e7000f4000000000020111ff)
	outer=$(mkframe 41 0883 13 "e6e7000f400000000009$(printf %02x $((${#inner} / 2)))$inner")
	frames "$outer" > nested.bin
	hdlc-split nested.bin | sort > whole
	trickle -n 3 < nested.bin | hdlc-split | sort > cut
	cmp whole cut
	[ "$(wc -l < whole)" -eq 2 ]
}

@test "regression: a read ending inside a candidate never splits or reorders the junk and rejection comments" {
	# one byte per read passed when each read got one byte, but under load reads coalesce:
	# a read ending inside the cut frame at @90 gave '# junk 12 @91', the rejection,
	# then '# junk 2 @103' (the framer reports junk it holds before the candidate's verdict)
	frames 00 "$A" "$B" 7e "${C:0:30}" "$C" "$E" 11 "$A" > in.bin
	hdlc-split -a -e in.bin > big
	python3 - "$HT_BIN/hdlc-split" <<'PY'
import subprocess, sys, time
data = open("in.bin", "rb").read()
big = open("big", "rb").read()
bad = []
for p in range(1, len(data)):
    pr = subprocess.Popen([sys.argv[1], "-a", "-e"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pr.stdin.write(data[:p]); pr.stdin.flush(); time.sleep(0.005)
    pr.stdin.write(data[p:]); pr.stdin.close()
    if pr.stdout.read() != big:
        bad.append(p)
    pr.wait()
assert not bad, "reads split at %s give other output" % bad
PY
}
