#!/usr/bin/env bats
# House rules that can be checked mechanically (../shared/STYLE.md).

load helper

tools="hdlc-split cosem-decode ams-fields han-cat han-sim"

@test "style: only tools and output writers print (decoders return errors)" {
	bad=
	for f in "$ROOT"/src/*.c "$ROOT"/src/lists/*.c; do
		[ -e "$f" ] || continue
		b=$(basename "$f" .c)
		case " $tools " in *" $b "*) continue ;; esac
		case $b in out_* | json | io | tlv) continue ;; esac
		if grep -nE '\b(printf|fprintf|puts|fputs|perror|stdout|stderr)\b' "$f"; then
			bad="$bad $b"
		fi
	done
	[ -z "$bad" ] || { echo "printing in:$bad"; return 1; }
}

@test "style: no sysexits, no stdio reads, no VLAs or alloca in src" {
	! grep -nE 'sysexits\.h|\bfread\b|\bfgets\b|\bgetline\b|\balloca\b' "$ROOT"/src/*.c "$ROOT"/src/lists/*.c 2>/dev/null
}

@test "style: every tool has a man page and every man page a tool" {
	for t in $tools; do
		if [ -f "$ROOT/src/$t.c" ]; then
			[ -f "$ROOT/man/$t.1" ] || { echo "no man/$t.1"; return 1; }
		fi
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
