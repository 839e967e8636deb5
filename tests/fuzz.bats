#!/usr/bin/env bats
# Replays every fuzz harness over its seed corpus and kept crashers (fuzz/corpus/NAME/),
# with whatever compiler built the tree; libFuzzer itself runs under `make fuzz`.

load helper

@test "fuzz replay: every harness runs its whole corpus without a fault" {
	n=0
	for src in "$ROOT"/fuzz/fuzz_*.c; do
		name=$(basename "$src" .c)
		dir=$ROOT/fuzz/corpus/${name#fuzz_}
		[ -d "$dir" ] || { echo "no corpus for $name"; return 1; }
		run "$HT_BIN/test/$name" "$dir"
		[ "$status" -eq 0 ] || { echo "$name: $output"; return 1; }
		[[ "$output" =~ ([0-9]+)\ inputs\ replayed ]]
		[ "${BASH_REMATCH[1]}" -gt 0 ]
		n=$((n + 1))
	done
	[ "$n" -ge 1 ]
}
