#!/usr/bin/env bats
# The recipes of ams-fields(1) EXAMPLES that the README shows too, run as written on a
# han-sim stream: a CSV log into sqlite3 with typed columns and NULLs, and a day of it as
# a gnuplot PNG; the README's cron job, as cron runs it, on a pseudo-terminal; and the
# README's lines that run on a bundled sample or han-sim.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# recipe NAME: the literal block after the line '.\" recipe: NAME' of ams-fields(1), as a
# reader sees it (mdoc's \& taken out, \e a backslash)
recipe() {
	awk -v name="$1" '
		index($0, ".\\\" recipe: " name " ") == 1 { want = 1; next }
		want && /^\.Bd / { on = 1; next }
		on && /^\.Ed/ { exit }
		on { gsub(/\\&/, ""); gsub(/\\e/, "\\\\"); print }
	' "$ROOT/man/ams-fields.1"
}

# in_readme TEXT: the README holds TEXT as it is
in_readme() {
	[ -n "$1" ] || { echo "empty recipe"; return 1; }
	[[ $(< "$ROOT/README.md") == *"$1"* ]] || { echo "the README lacks the recipe:"; echo "$1"; return 1; }
}

# sql QUERY: one answer from power.db
sql() { sqlite3 power.db "$1"; }

@test "recipes: a CSV log into sqlite3: typed columns, NULL for absent values, numeric max" {
	command -v sqlite3 > /dev/null || skip "sqlite3 not installed (Debian package sqlite3)"
	r=$(recipe sqlite)
	in_readme "$r"
	# three makers' lists, 1, 2 and 3; seed 2 has currents on both sides of 10 A
	han-sim -m mix -s 2 -T 2025-01-15T11:59:00 -t 90 | hdlc-split > frames
	ams-fields -f csv frames > power.csv
	ams-fields frames > power.jsonl
	rows=$(($(wc -l < power.csv) - 1))
	[ "$rows" -gt 200 ]
	run --separate-stderr bash -c "$r"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ -z "$stderr" ] && [ -z "$output" ]
	[ "$(sql 'SELECT count(*) FROM power')" -eq "$rows" ]
	# every column holds its type or NULL, never '' or a number as text
	for c in $(head -1 power.csv | tr , ' '); do
		case $c in
		current_*|voltage_*) want=real ;;
		*power*) want=integer ;;
		*) want=text ;;
		esac
		got=$(sql "SELECT group_concat(t) FROM (SELECT DISTINCT typeof($c) AS t FROM power WHERE $c IS NOT NULL)")
		[ "$got" = "$want" ] || { echo "$c: $got, not $want"; return 1; }
		# NULL exactly where the JSON line has no such key
		absent=$(jq -s --arg k "$c" 'map(select(has($k) | not)) | length' power.jsonl)
		[ "$(sql "SELECT count(*) FROM power WHERE $c IS NULL")" -eq "$absent" ] ||
		    { echo "$c: NULLs are not the $absent absent values"; return 1; }
	done
	# some values are absent (list 1 has only the power; 1-phase meters no L2)
	[ "$(sql 'SELECT count(*) FROM power WHERE current_l2 IS NULL')" -gt 0 ]
	[ "$(sql 'SELECT count(*) FROM power WHERE meter_datetime IS NULL')" -gt 0 ]
	# max compares numbers: the JSON's largest current, which text order does not find
	want=$(jq -s '[.[].current_l1 // empty] | max' power.jsonl)
	got=$(sql 'SELECT max(current_l1) FROM power')
	awk -v a="$got" -v b="$want" 'BEGIN { exit !(a + 0 == b + 0) }' || { echo "max $got, not $want"; return 1; }
	[ "$(sql 'SELECT typeof(max(current_l1)) FROM power')" = real ]
	sqlite3 plain.db '.import --csv power.csv raw'
	text=$(sqlite3 plain.db 'SELECT max(current_l1) FROM raw')
	awk -v a="$text" -v b="$want" 'BEGIN { exit !(a + 0 != b + 0) }' || { echo "text max $text is the max too"; return 1; }
	# exact values: the sum of every import power and of the hourly energy registers
	[ "$(sql 'SELECT sum(active_power_import) FROM power')" = "$(jq -s '[.[].active_power_import // empty] | add' power.jsonl)" ]
	[ "$(sql 'SELECT sum(active_power_import_total) FROM power')" = "$(jq -s '[.[].active_power_import_total // empty] | add' power.jsonl)" ]
}

@test "recipes: a day of the CSV log as a gnuplot PNG of power and voltage" {
	command -v gnuplot > /dev/null || skip "gnuplot not installed (Debian package gnuplot-nox)"
	r=$(recipe gnuplot)
	in_readme "$r"
	# a simulated day of a Kaifa meter, each frame with its capture time as hdlc-split -t
	# writes it: here the meter's clock (its lists 1, 2 and 3 all carry it)
	han-sim -m kaifa -T 2025-01-15T00:00:00 -t 86400 | hdlc-split > frames
	ams-fields -F meter_datetime frames | jq -r .meter_datetime > times
	[ "$(wc -l < times)" -eq "$(wc -l < frames)" ]
	paste -d ' ' times frames | ams-fields -f csv > power.csv
	[ "$(sed -n 2p power.csv | cut -c1-19)" = 2025-01-15T00:00:01 ]
	[ "$(tail -1 power.csv | cut -c1-19)" = 2025-01-15T23:59:59 ]
	run --separate-stderr bash -c "$r"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	# not a word from gnuplot: no warning (a missing column, no valid points ...)
	[ -z "$stderr" ] && [ -z "$output" ] || { echo "gnuplot said: $output $stderr"; return 1; }
	[ -s power.png ]
	# a PNG by its signature, of the size the recipe sets (IHDR width and height)
	[ "$(head -c 8 power.png | xxd -p)" = 89504e470d0a1a0a ]
	[ "$(head -c 24 power.png | tail -c 12 | xxd -p)" = 49484452000004b000000258 ]
	# lines drawn: axes and labels alone make about 9 kB, a day of lines some 200 kB
	[ "$(stat -c %s power.png)" -gt 20000 ]
}

# readme_block TEXT: the first fenced block of the README after the line starting TEXT
readme_block() {
	awk -v t="$1" 'index($0, t) == 1 { f = 1 } f && /^```/ { if (on) exit; on = 1; next } on' \
	    "$ROOT/README.md"
}

@test "recipes: the README's cron job logs every list, the CSV header once, with cron's environment" {
	block=$(readme_block "A cron job")
	pathline=$(grep '^PATH=' <<< "$block")
	job=$(grep -E '^([^ ]+ ){5}' <<< "$block" | grep -v '^PATH=' | cut -d ' ' -f 6-)
	[ -n "$pathline" ] && [ -n "$job" ] || { echo "$block"; return 1; }
	# make install's BINDIR is on that PATH (cron's own is /usr/bin:/bin)
	bindir=$(sed -n 's/^PREFIX *?= *//p' "$ROOT/Makefile")/bin
	[[ ":${pathline#PATH=}:" == *":$bindir:"* ]] || { echo "$bindir not in $pathline"; return 1; }
	# the tools where make install puts them, under this test's folder, and that PATH
	mkdir -p inst/bin home
	for f in "$ROOT"/src/*.c; do cp "$HT_BIN/$(basename "$f" .c)" inst/bin/; done
	path=${pathline#PATH=}
	path=${path//$bindir/$PWD/inst/bin}
	args="-m kaifa -t 30 -T 2025-01-15T11:59:55"
	han-sim $args | hdlc-split | ams-fields -F list,meter_id,active_power_import > want.jsonl
	[ "$(wc -l < want.jsonl)" -ge 15 ]
	# twice, as cron would run it: from a pty that sends the stream and hangs up, with
	# nothing in the environment but what cron sets
	for run in 1 2; do
		rm -f path
		ptypair -o path < <(han-sim $args -x 50) > report 3>&- &
		pp=$!
		for i in $(seq 200); do [ -s path ] && break; sleep 0.05; done
		pty=$(cat path)
		env -i HOME="$PWD/home" LOGNAME=test SHELL=/bin/sh PATH="$path" \
		    /bin/sh -c "${job//\/dev\/ttyUSB0/$pty}" 2> err 3>&-
		wait "$pp"
		# han-cat -1 says why it ended, here the pty's hang-up (in cron: timeout's TERM)
		[ -z "$(grep -v '^han-cat: .*: hangup (end of file)$' err)" ] || { cat err; return 1; }
	done
	log=home/power.csv
	[ "$(grep -c '^received,' "$log")" -eq 1 ] || { cat "$log"; return 1; }
	[ "$(head -1 "$log" | cut -d , -f 1)" = received ]
	[ "$(($(wc -l < "$log") - 1))" -eq $((2 * $(wc -l < want.jsonl))) ]
	# both runs' lists, as ams-fields decodes the stream itself
	{ cat want.jsonl; cat want.jsonl; } | jq -r '[.list, .meter_id // "", .active_power_import // ""] | @csv' |
	    tr -d '"' > want.csv
	cut -d , -f 2,4,6 "$log" | sed 1d > got.csv
	diff want.csv got.csv
}

@test "recipes: the README's lines that need no meter, no server and no waiting run as written" {
	cd "$ROOT"
	# lines of its code blocks that start with a tool on a bundled sample or han-sim (the
	# first after "make &&"), and han-sim pipelines in backquotes in the text; real-time
	# ones (-r, -x) are left out
	{
		awk '/^```/ { on = !on; next } on' README.md | sed 's/  *# .*//; s/^make && //' |
		    grep -E '^(\./bin/)?(han-sim|hdlc-split|han-split|ams-fields|cosem-decode) ' |
		    grep -E 'samples/|^han-sim '
		grep -o '`han-sim [^`]*|[^`]*`' README.md | tr -d '`'
	} | grep -vE ' -(r|x [0-9]+)( |$)' | sed 's|\./bin/||g' > "$BATS_TEST_TMPDIR/lines"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/lines")" -ge 5 ] || { cat "$BATS_TEST_TMPDIR/lines"; return 1; }
	# lines that name the key file need it: made by the README's own set-up lines, in a
	# home of this test's
	home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home"
	awk '/^```/ { on = !on; next } on' README.md | grep -E '^(umask|echo) .*~/\.config/hantools' \
	    > "$BATS_TEST_TMPDIR/setup"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/setup")" -eq 2 ] || { cat "$BATS_TEST_TMPDIR/setup"; return 1; }
	HOME=$home bash -e "$BATS_TEST_TMPDIR/setup"
	[ -s "$home/.config/hantools/keys" ]
	while IFS= read -r l; do
		run --separate-stderr env HOME="$home" bash -o pipefail -c "$l"
		[ "$status" -eq 0 ] || { echo "$l: status $status: $stderr"; return 1; }
		[ -n "$output" ] && [ -z "$stderr" ] || { echo "$l: '$output' '$stderr'"; return 1; }
	done < "$BATS_TEST_TMPDIR/lines"
}
