#!/usr/bin/env bats
# House rules that can be checked mechanically (../shared/STYLE.md, ../shared/DESIGN.md).

load helper

# The layers of src/, lowest first; a file may include its own folder's headers and those
# of folders with a lower rank. The tools (src/*.c) stand above every folder.
rank() {
	case $1 in
	base) echo 0 ;;
	crypto | port) echo 1 ;;
	link) echo 2 ;;
	cosem) echo 3 ;;
	rec) echo 4 ;;
	fields) echo 5 ;;
	lists) echo 6 ;;
	out | sim) echo 7 ;;
	*) echo 99 ;;
	esac
}

@test "style: src/ holds the tools and the layer folders only" {
	for d in "$ROOT"/src/*/; do
		n=$(basename "$d")
		[ "$(rank "$n")" -ne 99 ] || { echo "src/$n is not a layer of DESIGN.md"; return 1; }
	done
	for f in "$ROOT"/src/*.h; do
		[ -e "$f" ] || continue
		echo "header outside a layer: $f"
		return 1
	done
}

@test "style: every include points down the layer order (or into its own folder)" {
	bad=
	for f in "$ROOT"/src/*/*.[ch]; do
		dir=$(basename "$(dirname "$f")")
		r=$(rank "$dir")
		while IFS= read -r inc; do
			case $inc in */*) ;; *) bad="$bad\n${f#$ROOT/}: \"$inc\" without its folder"; continue ;; esac
			to=${inc%%/*}
			[ "$to" = "$dir" ] && continue
			[ "$(rank "$to")" -lt "$r" ] || bad="$bad\n${f#$ROOT/}: includes $inc"
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	done
	[ -z "$bad" ] || { printf "$bad\n"; return 1; }
}

@test "style: a deliberately upward include is refused by the check above" {
	# the check itself must be able to fail: a link/ file including cosem/ is out of order
	[ "$(rank link)" -lt "$(rank cosem)" ]
	[ "$(rank out)" -gt "$(rank fields)" ]
	[ "$(rank sim)" -eq "$(rank out)" ]
}

@test "style: only tools and out/ print (decoders return errors)" {
	bad=
	for f in "$ROOT"/src/*/*.c; do
		case $f in "$ROOT"/src/out/*) continue ;; esac
		if grep -nE '\b(printf|fprintf|vfprintf|puts|fputs|putchar|perror|stdout|stderr)\b|\b(v?warnx?|v?errx?) *\(' "$f"; then
			bad="$bad ${f#$ROOT/}"
		fi
	done
	[ -z "$bad" ] || { echo "printing in:$bad"; return 1; }
}

@test "style: no sysexits, no stdio reads, no VLAs or alloca in src" {
	! grep -nE 'sysexits\.h|\bfread\b|\bfgets\b|\bgetline\b|\balloca\b' "$ROOT"/src/*.c "$ROOT"/src/*/*.[ch]
}

@test "style: every tool has a man page and every man page a tool" {
	for f in "$ROOT"/src/*.c; do
		t=$(basename "$f" .c)
		[ -f "$ROOT/man/$t.1" ] || { echo "src/$t.c is not a tool: no man/$t.1"; return 1; }
	done
	for m in "$ROOT"/man/*.1; do
		[ -f "$ROOT/src/$(basename "$m" .1).c" ] || { echo "no tool for $m"; return 1; }
	done
}

@test "style: every man page is lint clean" {
	for m in "$ROOT"/man/*.[15]; do
		run groff -mandoc -ww -z "$m"
		[ -z "$output" ] || { echo "$m: $output"; return 1; }
	done
}

# Pages of other packages the hantools pages may name, each with the Debian package that
# ships it; a reference to anything else must be a page hantools itself installs.
EXTERNAL_PAGES="cat.1:coreutils stty.1:coreutils ps.1:procps jq.1:jq getaddrinfo.3:manpages-dev
	mktime.3:manpages-dev read.2:manpages-dev write.2:manpages-dev termios.3:manpages-dev
	mosquitto_pub.1:mosquitto-clients mosquitto_sub.1:mosquitto-clients ser2net.8:ser2net
	sqlite3.1:sqlite3 gnuplot.1:gnuplot-nox"

@test "style: every man page is mandoc -Tlint clean" {
	command -v mandoc > /dev/null || skip "mandoc not installed (Debian package mandoc)"
	# errors and warnings (section order, empty and no-space macros ...): none at all
	run mandoc -Tlint -Wwarning "$ROOT"/man/*.[15]
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; return 1; }
	# style messages: none but three kinds, each left out for a reason:
	# - "input text line longer than 80 bytes": the sources are wrapped near 90 columns,
	#   like the code; how a page renders does not depend on it;
	# - "operating system explicitly specified: Os hantools": the footer names the package
	#   (and in the installed page its version), as mdoc(7) asks of pages outside an OS;
	# - "referenced manual not found" and "outdated mandoc.db": mandoc looks references up
	#   in a mandoc.db, which Debian (man-db) does not build, so every .Xr is "not found";
	#   the next test checks the references instead.
	run --separate-stderr mandoc -Tlint "$ROOT"/man/*.[15]
	[ -n "$output" ]
	left=$(grep -v -e ': STYLE: input text line longer than 80 bytes: ' \
	    -e ': STYLE: operating system explicitly specified: Os hantools ' \
	    -e ': STYLE: referenced manual not found: Xr ' <<< "$output" || true)
	[ -z "$left" ] || { echo "$left"; return 1; }
	left=$(grep -v '^mandoc: outdated mandoc.db lacks ' <<< "$stderr" || true)
	[ -z "$left" ] || { echo "$left"; return 1; }
	# the filters leave the other style messages in: a page that has one is refused
	printf '.Dd $Mdocdate$\n.Dt X 1\n.Os hantools\n.Sh NAME\n.Nm x\n.Nd y\n.Sh DESCRIPTION\n.Li tagged:\n' \
	    > "$BATS_TEST_TMPDIR/x.1"
	run mandoc -Tlint "$BATS_TEST_TMPDIR/x.1"
	[[ $output == *"STYLE: no blank before trailing delimiter"* ]]
}

@test "style: the man pages refer only to pages that ship, with hantools or another package" {
	ours=$(cd "$ROOT/man" && ls *.[15]; echo han-split.1)
	refs=$(grep -ho 'Xr [^ ]* [0-9]' "$ROOT"/man/*.[15] | awk '{ print $2 "." $3 }' | sort -u)
	[ "$(wc -l <<< "$refs")" -ge 10 ]
	for r in $refs; do
		grep -qx "$r" <<< "$ours" && continue
		[[ " $(echo $EXTERNAL_PAGES) " == *" $r:"* ]] && continue
		echo "a reference to $r, which neither hantools nor a listed package ships"
		return 1
	done
}

@test "style: one vocabulary of failures: every token is in hantools(5), and the tools use it" {
	cd "$BATS_TEST_TMPDIR"
	toks=$(sed -n 's/^FAIL(FAIL_[A-Z_]*, "\([a-z-]*\)".*/\1/p' "$ROOT/src/base/fail.def" | grep -v '^ok$')
	[ "$(wc -l <<< "$toks")" -ge 30 ]
	for t in $toks; do
		grep -q "^\.It Li $t\$" "$ROOT/man/hantools.5" || { echo "$t not in hantools(5) FAILURES"; return 1; }
	done
	# no layer spells a failure in words of its own any more
	! grep -nE 'return "(bad|truncated|unknown|nesting|too many)[a-z ]+";' "$ROOT"/src/*/*.c
	# the same cause gives the same token in every tool: a frame with a bad FCS
	bad=$(mkframe -F 1234 41 0883 13 e6e7000f40000000000201110f)
	printf '%s' "$bad" | xxd -r -p | hdlc-split -a | grep -q '^# bad-fcs @0 '
	[ "$(echo "$bad" | cosem-decode 2>&1 >/dev/null)" = "cosem-decode: line 1: bad-fcs" ]
	[ "$(echo "$bad" | ams-fields 2>&1 >/dev/null)" = "ams-fields: line 1: bad-fcs" ]
	[ "$(echo "$bad" | cosem-decode -j 2>/dev/null | jq -r .error)" = bad-fcs ]
}

@test "style: one rule for data errors in both decoders: status 0, and 1 with -E" {
	cd "$BATS_TEST_TMPDIR"
	printf 'zz\n0f40000000000201110f\n' > in
	for t in cosem-decode ams-fields; do
		run --separate-stderr "$t" in
		[ "$status" -eq 0 ] || { echo "$t: $status"; return 1; }
		[ -n "$output" ] && [ "$stderr" = "$t: line 1: not-hex (byte 1)" ]
		run --separate-stderr "$t" -E in
		[ "$status" -eq 1 ] && [ -n "$output" ] || { echo "$t -E: $status"; return 1; }
		printf '0f40000000000201110f\n' | "$t" -E > /dev/null
	done
}
