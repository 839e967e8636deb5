#!/usr/bin/env bats
# src/crypto: AES-128 and AES-128-GCM against published vectors, Python's cryptography
# and openssl; the fast (AES-NI) and portable paths against each other; forgeries
# rejected with no plaintext out; no secret-dependent branches or addresses.

load helper

# The Green Book glo-get-request example (gcmcheck nist has it too): keys, IV = system
# title || invocation counter, the APDU and what it ciphers to with SC = 0x30.
EK=000102030405060708090a0b0c0d0e0f
AK=d0d1d2d3d4d5d6d7d8d9dadbdcdddedf
IV=4d4d4d0000bc614e01234567
APDU=c0010000080000010000ff0200
CT=411312ff935a47566827c467bc
TAG=7d825c3be4a77c3fcc056b6b

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# build_gcmcheck OUT FLAGS...: gcmcheck straight from the sources, with the project's
# warning flags; fails on any compiler output.
build_gcmcheck() {
	local out=$1
	shift
	run ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wshadow -Wmissing-prototypes -Wvla \
	    -Wstrict-prototypes -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$@" \
	    -I"$ROOT/src" -o "$out" "$ROOT/tests/helpers/gcmcheck.c" "$ROOT"/src/crypto/*.c
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; return 1; }
}

@test "crypto: FIPS-197, the GCM spec, NIST CAVS and Green Book vectors, both paths" {
	run --separate-stderr gcmcheck nist
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == "ok 42 vectors ("*")" ]]
	[ -z "$stderr" ]
	run gcmcheck -p nist
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == "ok 42 vectors (portable path only)" ]]
}

@test "crypto: 2000 random round trips agree with the reference, every flipped bit rejected" {
	run --separate-stderr gcmcheck random 2000 20240611
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == "ok 2000 round trips, "*" forgeries rejected ("*")" ]]
	[ -z "$stderr" ]
}

@test "crypto: the portable build (-DHANTOOLS_PORTABLE) passes the same checks" {
	build_gcmcheck ./gcmcheck-portable -DHANTOOLS_PORTABLE
	run ./gcmcheck-portable nist
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$output" = "ok 42 vectors (portable path only)" ]
	run ./gcmcheck-portable random 500 7
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"(portable path only, agrees with the reference)" ]]
	# Built without the fast path, nothing AES-NI is left in the binary.
	if command -v objdump >/dev/null; then
		! objdump -d ./gcmcheck-portable | grep -qE '\b(aesenc|pclmul)'
	fi
}

@test "crypto: warning-free with gcc and clang, fast and portable" {
	for c in gcc clang; do
		command -v $c >/dev/null || { echo "# $c not installed" >&3; continue; }
		CC=$c build_gcmcheck ./g-$c
		CC=$c build_gcmcheck ./g-$c-portable -DHANTOOLS_PORTABLE
		run ./g-$c nist
		[ "$status" -eq 0 ] || { echo "$c: $output"; return 1; }
	done
}

@test "crypto: agrees with Python's cryptography (AESGCM) on 200 random inputs" {
	python3 -c 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM' 2>/dev/null ||
	    skip "python3 with the cryptography package not available"
	run python3 - 200 <<'EOF'
import random, subprocess, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def h(b):
    return b.hex() if b else "-"

def check(args):
    r = subprocess.run(["gcmcheck"] + args, capture_output=True, text=True)
    if r.returncode != 0 or r.stderr:
        sys.exit("gcmcheck %s: status %d, %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout.strip()

rng = random.Random(4242)
for i in range(int(sys.argv[1])):
    key, iv = rng.randbytes(16), rng.randbytes(12)
    aad = rng.randbytes(rng.choice([0, 17, rng.randrange(0, 100)]))
    pt = rng.randbytes(rng.randrange(0, 601))
    tl = rng.choice([12, 12, 16, rng.randrange(4, 17)])
    out = AESGCM(key).encrypt(iv, pt, aad)
    ct, tag = out[:-16], out[-16:][:tl]
    for p in ([], ["-p"]):
        got = check(p + ["enc", key.hex(), iv.hex(), h(aad), h(pt), str(tl)])
        if got != h(ct) + " " + tag.hex():
            sys.exit("case %d %s: enc gives %s, AESGCM %s %s" % (i, p, got, h(ct), tag.hex()))
        got = check(p + ["dec", key.hex(), iv.hex(), h(aad), h(ct), tag.hex()])
        if got != h(pt):
            sys.exit("case %d %s: dec gives %s, want %s" % (i, p, got, h(pt)))
print("ok")
EOF
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$output" = ok ]
}

@test "crypto: the block cipher and counter mode agree with openssl" {
	command -v openssl >/dev/null || skip "openssl not installed"
	for i in $(seq 20); do
		key=$(openssl rand -hex 16)
		blocks=$(openssl rand -hex 64)
		want=$(printf %s "$blocks" | hex2bin | openssl enc -aes-128-ecb -nopad -K "$key" |
		    xxd -p | tr -d '\n')
		[ ${#want} -eq 128 ] || skip "openssl enc -aes-128-ecb not usable here"
		[ "$(gcmcheck aes "$key" "$blocks")" = "$want" ]
		[ "$(gcmcheck -p aes "$key" "$blocks")" = "$want" ]
		# GCM's counter blocks are IV || 2, IV || 3, ...: CTR from IV || 00000002.
		iv=$(openssl rand -hex 12)
		pt=$(openssl rand -hex $((1 + i * 7)))
		want=$(printf %s "$pt" | hex2bin |
		    openssl enc -aes-128-ctr -K "$key" -iv "${iv}00000002" | xxd -p | tr -d '\n')
		[ "$(gcmcheck enc "$key" "$iv" - "$pt" 0)" = "$want -" ]
		[ "$(gcmcheck -p enc "$key" "$iv" - "$pt" 0)" = "$want -" ]
	done
}

@test "crypto: the Green Book message decrypts, and GMAC (SC 0x10) gives its tag" {
	run --separate-stderr gcmcheck dec $EK $IV 30$AK $CT $TAG
	[ "$status" -eq 0 ]
	[ "$output" = $APDU ]
	[ -z "$stderr" ]
	run gcmcheck enc $EK $IV 10$AK$APDU - 12
	[ "$output" = "- 06725d910f9221d263877516" ]
	run gcmcheck -p enc $EK $IV 30$AK $APDU 12
	[ "$output" = "$CT $TAG" ]
}

@test "crypto: a flipped bit in tag, ciphertext or AAD fails with status 1 and no plaintext" {
	flip() {	# flip HEX N: the hex string with bit 0 of byte N inverted
		local s=$1 n=$2 b
		b=$(printf %02x $((0x${s:2*n:2} ^ 1)))
		printf %s "${s:0:2*n}$b${s:2*n+2}"
	}
	for p in "" -p; do
		for args in "30$AK $CT $(flip $TAG 11)" "30$AK $CT $(flip $TAG 0)" \
		    "30$AK $(flip $CT 12) $TAG" "30$AK $(flip $CT 0) $TAG" \
		    "$(flip 30$AK 16) $CT $TAG" "$(flip 30$AK 0) $CT $TAG" \
		    "30$AK ${CT:0:24} $TAG" "- $CT $TAG"; do
			run --separate-stderr gcmcheck $p dec $EK $IV $args
			[ "$status" -eq 1 ] || { echo "$p dec $args: status $status, $output"; return 1; }
			[ -z "$output" ] || { echo "$p dec $args printed $output"; return 1; }
			[ "$stderr" = "gcmcheck: bad-tag" ]
		done
	done
	# GMAC too: a changed authenticated APDU is refused.
	run gcmcheck dec $EK $IV 10$AK$(flip $APDU 3) - 06725d910f9221d263877516
	[ "$status" -eq 1 ]
	run gcmcheck dec $EK $IV 10$AK$APDU - 06725d910f9221d263877516
	[ "$status" -eq 0 ]
}

@test "crypto: no branch or address depends on the key or the data (valgrind)" {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	if nm "$HT_BIN/test/gcmcheck" 2>/dev/null | grep -q __asan_init; then
		skip "sanitizer build"
	fi
	run gcmcheck ctgrind
	[ "$status" -ne 77 ] || skip "gcmcheck built without valgrind/memcheck.h"
	run valgrind -q --error-exitcode=99 gcmcheck ctgrind
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == "ok ctgrind ("*")" ]]
	run valgrind -q --error-exitcode=99 --leak-check=full gcmcheck random 30 5
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

@test "crypto: library code neither prints nor allocates" {
	! grep -nE '\b(printf|fprintf|puts|fputs|perror|stdout|stderr|malloc|calloc|realloc|alloca)\b' \
	    "$ROOT"/src/crypto/*.c "$ROOT"/src/crypto/*.h
}

@test "crypto: gcmcheck bench reports both paths" {
	run gcmcheck bench
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"portable decrypt, 300-byte messages"*"MB/s"* ]]
	echo "$output" | sed 's/^/# /' >&3
}

@test "crypto: gcmcheck usage errors exit 2" {
	run gcmcheck
	[ "$status" -eq 2 ]
	run gcmcheck enc $EK $IV - $APDU 17
	[ "$status" -eq 2 ]
	run gcmcheck dec $EK 00 - $CT $TAG
	[ "$status" -eq 2 ]
	run gcmcheck dec $EK $IV - zz $TAG
	[ "$status" -eq 2 ]
}
