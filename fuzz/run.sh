#!/bin/sh
# make fuzz: build each fuzz/fuzz_*.c with libFuzzer (clang) and run it for $1 seconds on
# a copy of its seed corpus; new crashers are left in fuzz/out/NAME/ to be kept as
# regression inputs in fuzz/corpus/NAME/.
set -eu
secs=${1:-600}
failed=
cd "$(dirname "$0")/.."
mkdir -p fuzz/out
make -s O=fuzz/out/build CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" fuzz/out/build/obj/libhan.a
for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	short=${name#fuzz_}
	bin=fuzz/out/$name
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
	    -D_DEFAULT_SOURCE -Isrc -o "$bin" "$src" fuzz/out/build/obj/libhan.a
	mkdir -p "fuzz/out/$short/work" "fuzz/out/$short/crash"
	cp fuzz/corpus/"$short"/* "fuzz/out/$short/work/" 2>/dev/null || true
	echo "== $name for ${secs}s"
	# a harness that finds a crash fails the run (after the others have had their turn)
	if ! "$bin" -max_total_time="$secs" -max_len=20000 -print_final_stats=1 \
	    -artifact_prefix="fuzz/out/$short/crash/" "fuzz/out/$short/work" > "fuzz/out/$short/log" 2>&1; then
		failed="$failed $name"
	fi
	grep -E 'stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done' "fuzz/out/$short/log" || true
done
if [ -n "$failed" ]; then
	echo "fuzz: crashes found by:$failed (inputs in fuzz/out/*/crash/)" >&2
	exit 1
fi
