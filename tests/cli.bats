#!/usr/bin/env bats
# What every tool answers the same way: -V/--version (one version, the Makefile's), -h/--help
# (usage and every option of the usage line, on stdout, status 0), and number arguments
# out of range (a message naming the option and the range, status 2).

load helper

TOOLS="hdlc-split cosem-decode ams-fields han-cat han-sim"

setup() {
	cd "$BATS_TEST_TMPDIR"
	VERSION=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
}

@test "cli: every tool in src/ is in the list these tests go through" {
	for f in "$ROOT"/src/*.c; do
		t=$(basename "$f" .c)
		[[ " $TOOLS " == *" $t "* ]] || { echo "$t not tested here"; return 1; }
	done
}

@test "cli: -V and --version print 'tool (hantools) VERSION' from the Makefile, exit 0" {
	[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
	for t in $TOOLS; do
		for o in -V --version; do
			run --separate-stderr "$t" "$o"
			[ "$status" -eq 0 ] || { echo "$t $o: status $status"; return 1; }
			[ "$output" = "$t (hantools) $VERSION" ] || { echo "$t $o: '$output'"; return 1; }
			[ -z "$stderr" ]
		done
	done
}

@test "cli: -h and --help print the usage and every option of the usage line, exit 0" {
	for t in $TOOLS; do
		run --separate-stderr "$t" --help
		[ "$status" -eq 0 ] || { echo "$t --help: status $status"; return 1; }
		[ -z "$stderr" ]
		[[ ${lines[0]} == "usage: $t "* ]] || { echo "$t: ${lines[0]}"; return 1; }
		[ "$output" = "$("$t" -h)" ]
		# the usage line (and its continuation) names the options; the help explains each
		usage=$(sed -n '1p; 2{/^  *[[[]/p}' <<< "$output")
		help=$(sed 1,2d <<< "$output")
		opts=$(grep -oE '\[-[A-Za-z0-9]+' <<< "$usage" | sed 's/^\[-//' | fold -w1 | sort -u)
		[ -n "$opts" ]
		for o in $opts; do
			grep -qE "^  +-$o\b" <<< "$help" || { echo "$t: -$o not explained in --help"; return 1; }
		done
		for o in V h; do
			grep -qx "$o" <<< "$opts" || { echo "$t: no -$o in the usage line"; return 1; }
		done
		grep -q -- '--help' <<< "$help" && grep -q -- '--version' <<< "$help" ||
		    { echo "$t: --help or --version not in --help"; return 1; }
	done
}

@test "cli: -V and --help are in every man page" {
	for t in $TOOLS; do
		m=$ROOT/man/$t.1
		grep -q '^\.It Fl V' "$m" || { echo "$m: no -V"; return 1; }
		grep -q 'Fl Fl version' "$m" && grep -q 'Fl Fl help' "$m" ||
		    { echo "$m: no --version or --help"; return 1; }
	done
}

@test "cli: an unknown long option is a usage error, status 2, usage on stderr" {
	for t in $TOOLS; do
		run --separate-stderr "$t" --no-such-option < /dev/null
		[ "$status" -eq 2 ] || { echo "$t: status $status"; return 1; }
		[ -z "$output" ]
		[[ $stderr == *"usage: $t "* ]] || { echo "$t: '$stderr'"; return 1; }
	done
}
