#!/usr/bin/env bats
# The Debian package: dpkg-buildpackage -us -uc -b builds it from a copy of the tree
# (the work tree stays as it was) without a warning, lintian finds nothing in it nor in
# the source package (dpkg-source -b of the same copy), and the .deb
# holds every tool, every man page and the systemd unit, at the Makefile's version.

load helper

setup_file() {
	# one build for the tests of this file, in a copy of the sources without build outputs
	local tool
	for tool in dpkg-buildpackage dh lintian; do
		command -v "$tool" > /dev/null || return 0	# the tests skip with a message
	done
	export DEB="$BATS_FILE_TMPDIR/deb"
	mkdir -p "$DEB/src"
	tar -C "$ROOT" -cf - --exclude=./.git --exclude=./bin --exclude=./obj --exclude=./asan \
	    --exclude=./fuzz/out . | tar -C "$DEB/src" -xf -
	# the source package first, from the clean copy, so lintian checks debian/ too
	(cd "$DEB" && dpkg-source -b src > source.log 2>&1; echo $? > source.status)
	# as a user would run it: nothing from this run's environment but PATH and HOME (make
	# check-asan's O= and CFLAGS= reach the tests as variables)
	(cd "$DEB/src" && env -i PATH="$PATH" HOME="$HOME" dpkg-buildpackage -us -uc -b \
	    > "$DEB/build.log" 2>&1; echo $? > "$DEB/status")
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	for tool in dpkg-buildpackage dh lintian; do
		command -v "$tool" > /dev/null ||
		    skip "$tool not installed (Debian packages dpkg-dev, debhelper, lintian)"
	done
	VERSION=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
	PKG=$DEB/hantools_${VERSION}_$(dpkg --print-architecture).deb
}

@test "deb: dpkg-buildpackage -us -uc -b builds the package without a warning" {
	[ "$(cat "$DEB/status")" -eq 0 ] || { cat "$DEB/build.log"; return 1; }
	[ -f "$PKG" ] || { ls "$DEB"; return 1; }
	# no compiler, make or install(1) warning in the build
	! grep -in 'warning' "$DEB/build.log"
	# debian/changelog carries the Makefile's version
	[ "$(cd "$ROOT" && dpkg-parsechangelog -S Version)" = "$VERSION" ]
}

@test "deb: lintian reports no errors, warnings or even info and pedantic tags" {
	[ -f "$PKG" ] || skip "no package built"
	[ "$(cat "$DEB/source.status")" -eq 0 ] || { cat "$DEB/source.log"; return 1; }
	run --separate-stderr lintian --fail-on error,warning --display-info --pedantic \
	    "$DEB/hantools_$VERSION.dsc" "$DEB"/hantools_*.changes
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ -z "$output" ] || { echo "$output"; return 1; }
	# lintian says this much when run as root (CI is), and nothing else
	[ -z "$(grep -vx 'running with root privileges is not recommended!' <<< "$stderr")" ] ||
	    { echo "$stderr"; return 1; }
}

@test "deb: the package holds every tool, man page and the unit, and its tools run" {
	[ -f "$PKG" ] || skip "no package built"
	dpkg-deb -c "$PKG" | awk '{ print $6 }' | sed 's|^\./|/|' | sort > files
	{
		for f in "$ROOT"/src/*.c; do echo "/usr/bin/$(basename "$f" .c)"; done
		echo /usr/bin/han-split
		for m in "$ROOT"/man/*.1; do echo "/usr/share/man/man1/$(basename "$m").gz"; done
		echo /usr/share/man/man1/han-split.1.gz
		for m in "$ROOT"/man/*.5; do echo "/usr/share/man/man5/$(basename "$m").gz"; done
		echo /lib/systemd/system/hantools@.service
		echo /usr/share/doc/hantools/copyright
	} | sort > want
	comm -23 want files > missing
	assert_empty missing
	dpkg-deb -x "$PKG" root
	cmp root/lib/systemd/system/hantools@.service "$ROOT/contrib/hantools@.service"
	# the pages as make install writes them, with the version in the footer
	zcat root/usr/share/man/man1/ams-fields.1.gz | grep -qx ".Os hantools $VERSION"
	for f in "$ROOT"/src/*.c; do
		t=$(basename "$f" .c)
		[ "$(root/usr/bin/"$t" --version)" = "$t (hantools) $VERSION" ] || { echo "$t"; return 1; }
	done
	# built with dpkg-buildflags' hardening: full RELRO and a PIE
	if command -v readelf > /dev/null; then
		readelf -d root/usr/bin/ams-fields | grep -q 'BIND_NOW'
		readelf -h root/usr/bin/ams-fields | grep -q 'DYN (Position-Independent Executable'
	fi
	# a capture decodes through the packaged tools as through the ones built here
	f=meter_id,list,active_power_import,voltage_l1,active_power_import_total
	root/usr/bin/hdlc-split "$SAMPLES/mixed.bin" | root/usr/bin/ams-fields -f csv -F "$f" > got
	hdlc-split "$SAMPLES/mixed.bin" | ams-fields -f csv -F "$f" > exp
	[ "$(wc -l < got)" -gt 10 ]
	cmp got exp
}
