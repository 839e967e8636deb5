#!/usr/bin/env bats
# Every tool under valgrind on a sample: no memory errors, no leaks. Skipped for sanitizer
# builds (make check-asan), which check the same things their own way.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v valgrind >/dev/null || skip "valgrind not installed"
	if nm "$HT_BIN/hdlc-split" 2>/dev/null | grep -q __asan_init; then
		skip "sanitizer build"
	fi
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all"
	sample=$SAMPLES/mixed.bin
	if [ ! -f "$sample" ]; then
		sample=$BATS_TEST_TMPDIR/frames.bin
		{ mkframe 41 0883 13 e6e7000f40000000000101020309060101000281ff0a0b4149444f4e5f5630303031
		  mkframe 01 0201 10 e6e7000f4000000000090c07ea0b17020f1e00ff80000002010600001576; } |
		    tr -d '\n' | hex2bin > "$sample"
	fi
}

@test "valgrind: hdlc-split, with and without options" {
	$VG hdlc-split "$sample" > out
	[ -s out ]
	$VG hdlc-split -a -j -t -s "$sample" > /dev/null 2> err
	$VG hdlc-split -b "$sample" > /dev/null
	# the DB envelope, alone and held in -p auto
	printf '* 000102030405060708090a0b0c0d0e0f\n' > keys
	chmod 600 keys
	han-sim -k keys -L db -m all -n 40 -d trunc:10% > db.bin
	$VG han-split -p db -a -j -s db.bin > /dev/null 2> err
	$VG han-split -a db.bin > /dev/null
}

@test "valgrind: cosem-decode, text and JSON" {
	[ -x "$HT_BIN/cosem-decode" ] || skip "cosem-decode not built"
	hdlc-split "$sample" > frames
	$VG cosem-decode frames > out
	[ -s out ]
	$VG cosem-decode -j frames > /dev/null
}

@test "valgrind: ams-fields, JSON, CSV and InfluxDB line protocol" {
	[ -x "$HT_BIN/ams-fields" ] || skip "ams-fields not built"
	hdlc-split "$sample" > frames
	$VG ams-fields frames > out
	[ -s out ]
	$VG ams-fields -f csv frames > /dev/null
	$VG ams-fields -f influx -t meter frames > /dev/null
}

@test "valgrind: han-sim" {
	[ -x "$HT_BIN/han-sim" ] || skip "han-sim not built"
	$VG han-sim -n 50 > out
	[ -s out ]
}

@test "valgrind: a clang build with the default CFLAGS is readable and clean" {
	command -v clang >/dev/null || skip "clang not installed"
	make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/cl" CC=clang all
	"$BATS_TEST_TMPDIR/cl/bin/hdlc-split" "$sample" > frames
	$VG "$BATS_TEST_TMPDIR/cl/bin/cosem-decode" -j frames > /dev/null 2> err
	$VG "$BATS_TEST_TMPDIR/cl/bin/ams-fields" frames > /dev/null 2>> err
	# valgrind warns (and loses line numbers) on debug information it cannot read
	if [ -s err ]; then cat err; return 1; fi
}
