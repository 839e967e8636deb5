# Loaded by every suite: built tools first on PATH, paths to shared material, small helpers.
bats_require_minimum_version 1.5.0
HT_BIN=${HT_BIN:-$BATS_TEST_DIRNAME/../bin}
PATH="$HT_BIN:$HT_BIN/test:$PATH"
export PATH
ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
SAMPLES=$ROOT/samples
SHARED=${HT_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus/conformance.jsonl

# need_corpus: skip the test with a message when ../shared is not there.
need_corpus() {
	[ -f "$CORPUS" ] || skip "no corpus at $CORPUS"
}

# pipe 'cmd1 args' 'cmd2 args' ...: run a pipeline through bats' run, keeping
# stdout in $output and each stage's stderr in $BATS_TEST_TMPDIR/err.
pipe() {
	local cmd="" s
	for s in "$@"; do
		cmd="${cmd:+$cmd | }$s 2>>\"\$BATS_TEST_TMPDIR/err\""
	done
	run bash -c "set -o pipefail; $cmd"
}

# hex2bin: hex text on stdin to bytes on stdout.
hex2bin() { xxd -r -p; }

# no_stderr FILE: assert the file is empty, showing it if not.
assert_empty() {
	if [ -s "$1" ]; then
		echo "expected empty $1, got:" >&2
		cat "$1" >&2
		return 1
	fi
}
