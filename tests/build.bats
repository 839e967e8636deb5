#!/usr/bin/env bats
# The build itself: warning-free with gcc and clang, install/uninstall layout, user CFLAGS.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

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
	[ -x "$d/usr/bin/hdlc-split" ] && [ -x "$d/usr/bin/han-split" ]
	[ -f "$d/usr/man/man1/hdlc-split.1" ] && [ -f "$d/usr/man/man1/han-split.1" ]
	"$d/usr/bin/han-split" -h | grep -q "^usage: han-split "
	for m in "$ROOT"/man/*.1; do
		t=$(basename "$m" .1)
		[ -x "$d/usr/bin/$t" ] || { echo "missing $t"; return 1; }
	done
	run make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/inst" DESTDIR="$d" PREFIX=/usr MANDIR=/usr/man uninstall
	[ "$status" -eq 0 ]
	[ -z "$(find "$d" -type f)" ]
}

# inst DEST TARGET [VAR=...]: make TARGET with DESTDIR=DEST, PREFIX=/usr, one build aside
inst() {
	local dest=$1 target=$2
	shift 2
	run make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/inst" DESTDIR="$dest" PREFIX=/usr "$@" "$target"
}

@test "build: install writes every tool (mode 755) and page (644), the man footer has the version" {
	d=$BATS_TEST_TMPDIR/root
	inst "$d" install
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	version=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
	(cd "$d" && find . -type f -printf '%m %p\n' | sort) > got
	{
		for f in "$ROOT"/src/*.c; do echo "755 ./usr/bin/$(basename "$f" .c)"; done
		echo "755 ./usr/bin/han-split"		# hdlc-split under its other name
		for m in "$ROOT"/man/*.1; do echo "644 ./usr/share/man/man1/$(basename "$m")"; done
		echo "644 ./usr/share/man/man1/han-split.1"
		for m in "$ROOT"/man/*.5; do echo "644 ./usr/share/man/man5/$(basename "$m")"; done
	} | sort > want
	diff want got
	for m in "$d"/usr/share/man/man*/*; do
		grep -qx ".Os hantools $version" "$m" || { echo "$m: no version in .Os"; return 1; }
		cmp -s "$m" "$ROOT/man/${m##*/}" && { echo "$m: not the versioned page"; return 1; }
	done
	"$d/usr/bin/ams-fields" --version | grep -qx "ams-fields (hantools) $version"
}

@test "build: install replaces a binary that is running (install(1), no 'Text file busy')" {
	d=$BATS_TEST_TMPDIR/root
	inst "$d" install
	[ "$status" -eq 0 ]
	# a running installed tool: cp into it would fail with ETXTBSY
	"$d/usr/bin/han-sim" -r -t 100000 > /dev/null &
	pid=$!
	before=$(stat -c %i "$d/usr/bin/han-sim")
	inst "$d" install
	st=$status
	kill "$pid"
	wait "$pid" || true
	[ "$st" -eq 0 ] || { echo "$output"; return 1; }
	[ "$(stat -c %i "$d/usr/bin/han-sim")" != "$before" ]
	cmp "$d/usr/bin/han-sim" "$BATS_TEST_TMPDIR/inst/bin/han-sim"
}

@test "build: install fails when a file cannot be written" {
	d=$BATS_TEST_TMPDIR/root
	# a directory where a binary goes, and a file where the man directory goes
	mkdir -p "$d/usr/bin/han-cat"
	touch "$d/usr/bin/han-cat/keep"
	inst "$d" install
	[ "$status" -ne 0 ] || { echo "install over a directory succeeded"; return 1; }
	[[ $output == *han-cat* ]]
	rm -rf "$d"
	mkdir -p "$d/usr/share"
	echo not a directory > "$d/usr/share/man"
	inst "$d" install
	[ "$status" -ne 0 ] || { echo "install under a file succeeded"; return 1; }
	# a DESTDIR that cannot be made at all
	inst /dev/null/root install
	[ "$status" -ne 0 ]
}

@test "build: uninstall removes exactly what install wrote, and nothing else" {
	d=$BATS_TEST_TMPDIR/root
	mkdir -p "$d/usr/bin" "$d/usr/share/man/man1" "$d/usr/share/man/man5"
	echo other > "$d/usr/bin/other-tool"
	echo other > "$d/usr/share/man/man1/other-tool.1"
	echo other > "$d/usr/share/man/man5/other.5"
	(cd "$d" && find . | sort) > before
	inst "$d" install
	[ "$status" -eq 0 ]
	[ "$(find "$d" -type f | wc -l)" -gt 3 ]
	inst "$d" uninstall
	[ "$status" -eq 0 ]
	(cd "$d" && find . | sort) > after
	diff before after
	# uninstalling again is no error
	inst "$d" uninstall
	[ "$status" -eq 0 ]
}

@test "build: install-strip installs stripped binaries; install keeps the symbols" {
	command -v readelf > /dev/null || skip "readelf not installed"
	inst "$BATS_TEST_TMPDIR/plain" install
	[ "$status" -eq 0 ]
	inst "$BATS_TEST_TMPDIR/strip" install-strip
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	for f in "$ROOT"/src/*.c; do
		t=$(basename "$f" .c)
		readelf -S "$BATS_TEST_TMPDIR/plain/usr/bin/$t" | grep -q '\.symtab' ||
		    { echo "$t: no symbols without strip"; return 1; }
		! readelf -S "$BATS_TEST_TMPDIR/strip/usr/bin/$t" | grep -q '\.symtab' ||
		    { echo "$t: symbols after install-strip"; return 1; }
		"$BATS_TEST_TMPDIR/strip/usr/bin/$t" --version > /dev/null
	done
}

@test "build: make check works in a folder whose name has a space" {
	# a copy of the sources (no build outputs) under "with space"; its make check builds
	# everything there and runs the tests that read the tree (the Makefile, man pages,
	# samples/) by their paths. It inherits nothing from this run but PATH: not its
	# MAKEFLAGS (O=, CFLAGS= of check-asan), HT_BIN or the variables of this bats.
	src="$BATS_TEST_TMPDIR/with space/hantools"
	mkdir -p "$src"
	tar -C "$ROOT" -cf - --exclude=./.git --exclude=./bin --exclude=./obj --exclude=./asan \
	    --exclude=./fuzz/out --exclude='./*.deb' . | tar -C "$src" -xf -
	[ -f "$src/Makefile" ] && [ ! -e "$src/bin" ]
	# (bats puts its libexec folder first on PATH, whose bats is not the one to start)
	path=$(tr : '\n' <<< "$PATH" | grep -vxF "$BATS_LIBEXEC" | paste -sd:)
	run env -i PATH="$path" HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" make -C "$src" -s -j2 check \
	    BATSFLAGS="--tap -f '^cli:|EXAMPLES'"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	# they ran, from the copy, and passed
	[ "$(grep -c '^ok ' <<< "$output")" -ge 9 ] || { echo "$output"; return 1; }
	! grep -q '^not ok ' <<< "$output"
	! grep -q '# skip' <<< "$output"
	[ -x "$src/bin/hdlc-split" ]
}
