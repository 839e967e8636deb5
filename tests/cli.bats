#!/usr/bin/env bats
# What every tool answers the same way: -V/--version (one version, the Makefile's), -h/--help
# (usage and every option of the usage line, on stdout, status 0), and number arguments
# out of range (a message naming the option and the range, status 2).

load helper

TOOLS="hdlc-split cosem-decode ams-fields han-cat han-sim han-mqtt"

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

# usage_error 'MESSAGE' TOOL ARGS...: status 2, nothing on stdout, MESSAGE as the first
# line of stderr and the usage after it
usage_error() {
	local want=$1
	shift
	run --separate-stderr "$@" < /dev/null
	[ "$status" -eq 2 ] || { echo "$*: status $status"; return 1; }
	[ -z "$output" ] || { echo "$*: output $output"; return 1; }
	[ "${stderr%%$'\n'*}" = "$want" ] || { echo "$*: '$stderr'"; return 1; }
}

@test "cli: han-cat host:99999 is refused (it used to connect to port 34463), and so are 0 and junk" {
	for p in 99999 65536 0 00 12ab 4294967297; do
		usage_error "han-cat: host:port: the port must be from 1 to 65535: $p" han-cat "127.0.0.1:$p"
		[[ $stderr == *"usage: han-cat "* ]]
	done
	usage_error "han-cat: host:port: the port must be from 1 to 65535: 99999" han-cat '[::1]:99999'
	# the ends of the range are taken: no usage error but a failed connect (-1: one attempt;
	# nothing listens there)
	for t in 127.0.0.1:1 127.0.0.1:65535; do
		run --separate-stderr timeout 10 han-cat -1 "$t"
		[ "$status" -eq 1 ] || { echo "$t: status $status: $stderr"; return 1; }
	done
}

@test "cli: a missing or extra han-cat argument says so" {
	usage_error "han-cat: no device or host:port given" han-cat
	usage_error "han-cat: no device or host:port given" han-cat -1 -b 9600
	usage_error "han-cat: one device or host:port, not 2 arguments" han-cat /dev/null /dev/zero
}

@test "cli: every number error names its option and the range it takes" {
	usage_error "han-cat: -b: the speed in bit/s must be a whole number from 1 to 100000000: 9.5" han-cat -b 9.5 /dev/null
	run --separate-stderr han-cat -b 1234 /dev/null
	[ "$status" -eq 2 ]
	[[ ${stderr%%$'\n'*} == "han-cat: -b: not a speed the serial port takes (300, 600, 1200, 2400, "*"38400"*"): 1234" ]]
	usage_error "han-cat: -d: the delay in seconds must be a number from 0.001 to 3600: 0" han-cat -d 0 /dev/null
	usage_error "han-cat: -d: the delay in seconds must be a number from 0.001 to 3600: x" han-cat -d x /dev/null
	usage_error "han-cat: -r: the count must be a whole number from 1 to 1000000000: 1.5" han-cat -r 1.5 /dev/null
	usage_error "han-cat: -r: the count must be a whole number from 1 to 1000000000: 0" han-cat -r 0 /dev/null
	usage_error "han-cat: -w: the time in seconds must be a number from 0 to 1000000: -1" han-cat -w -1 /dev/null
	max=18446744073709551615
	usage_error "han-sim: -n: the count must be a whole number from 1 to $max: 0" han-sim -n 0
	usage_error "han-sim: -n: the count must be a whole number from 1 to $max: 18446744073709551616" han-sim -n 18446744073709551616
	usage_error "han-sim: -s: the seed must be a whole number from 0 to $max: -1" han-sim -s -1
	usage_error "han-sim: -t: the time must be a whole number of seconds from 0 to 100000000: 100000001" han-sim -t 100000001
	usage_error "han-sim: -x: the factor must be a number from 0.01 to 1000000: 0" han-sim -x 0
	usage_error "han-sim: -d: kind:rate with a rate from 0 to 1 or 0% to 100%: flip:2" han-sim -d flip:2
	usage_error "ams-fields: -c: the ratio must be a decimal greater than 0 (at most 19 digits): 0" ams-fields -c 0
	usage_error "ams-fields: -c: the ratio must be a decimal greater than 0 (at most 19 digits): -2" ams-fields -c -2
	usage_error "ams-fields: -K takes 1 or 10: 5" ams-fields -K 5
	usage_error "ams-fields: -p takes s, ms, us or ns: m" ams-fields -f influx -p m
}
