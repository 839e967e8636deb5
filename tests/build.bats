#!/usr/bin/env bats
# The build itself: warning-free with gcc and clang, install/uninstall layout, user CFLAGS.

load helper

@test "build: no warnings from gcc or clang with the project's warning flags" {
	for cc in gcc clang; do
		command -v $cc >/dev/null || { echo "# $cc not installed" >&3; continue; }
		run make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/$cc" CC=$cc CFLAGS="-O2 -Werror" all
		[ "$status" -eq 0 ] || { echo "$cc: $output"; return 1; }
		[ -z "$output" ] || { echo "$cc printed: $output"; return 1; }
	done
}

@test "build: a user's CFLAGS are used and the warnings stay on" {
	run make -C "$ROOT" -n -B O="$BATS_TEST_TMPDIR/n" CFLAGS=-Os all
	[[ "$output" == *"-Os"* ]]
	[[ "$output" == *"-Wall -Wextra"* ]]
}

@test "build: install and uninstall honour DESTDIR, PREFIX, BINDIR and MANDIR" {
	d=$BATS_TEST_TMPDIR/root
	run make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/inst" DESTDIR="$d" PREFIX=/usr MANDIR=/usr/man install
	[ "$status" -eq 0 ]
	[ -x "$d/usr/bin/hdlc-split" ]
	[ -f "$d/usr/man/man1/hdlc-split.1" ]
	for m in "$ROOT"/man/*.1; do
		t=$(basename "$m" .1)
		[ -x "$d/usr/bin/$t" ] || { echo "missing $t"; return 1; }
	done
	run make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/inst" DESTDIR="$d" PREFIX=/usr MANDIR=/usr/man uninstall
	[ "$status" -eq 0 ]
	[ -z "$(find "$d" -type f)" ]
}
