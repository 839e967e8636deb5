#!/usr/bin/env bats
# contrib/hantools@.service: systemd-analyze verify finds nothing (with the man pages its
# Documentation= names installed), the unit runs unprivileged in the dialout group and
# restarts, and its ExecStart command, run as systemd would run it on a pseudo-terminal,
# appends the JSON Lines of a real-time han-sim stream to the log directory.

load helper

UNIT=$BATS_TEST_DIRNAME/../contrib/hantools@.service

setup() {
	cd "$BATS_TEST_TMPDIR"
	PIDS=
}

teardown() {
	local p
	for p in $PIDS; do
		kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
}

# verify FILE: systemd-analyze verify with the tools' man pages installed aside, so the
# unit's Documentation= links are checked too; status and output as bats' run gives them
verify() {
	command -v systemd-analyze > /dev/null || skip "systemd-analyze not installed"
	if [ ! -d man-root ]; then
		make -C "$ROOT" -s O="$BATS_TEST_TMPDIR/build" DESTDIR="$BATS_TEST_TMPDIR/man-root" \
		    PREFIX=/usr install > /dev/null
	fi
	run env MANPATH="$BATS_TEST_TMPDIR/man-root/usr/share/man" systemd-analyze verify "$1"
}

@test "systemd: systemd-analyze verify is clean for the template and an instance" {
	mkdir units
	cp "$UNIT" units/
	verify "units/hantools@.service"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; return 1; }
	cp "$UNIT" "units/hantools@ttyUSB0.service"
	verify "units/hantools@ttyUSB0.service"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$output"; return 1; }
}

@test "systemd: the verify check itself fails on a misspelt key or a missing man page" {
	mkdir units
	sed 's/^DeviceAllow=/DeviceAlow=/' "$UNIT" > "units/hantools@.service"
	verify "units/hantools@.service"
	[[ $output == *"Unknown key 'DeviceAlow'"* ]]
	sed 's/^Documentation=.*/Documentation=man:no-such-tool(1)/' "$UNIT" > "units/hantools@.service"
	verify "units/hantools@.service"
	[ "$status" -ne 0 ]
}

@test "systemd: unprivileged in the dialout group, restarted, bound to its device, logs in /var/log/hantools" {
	for l in DynamicUser=yes SupplementaryGroups=dialout Restart=always LogsDirectory=hantools \
	    BindsTo=dev-%i.device After=dev-%i.device 'DeviceAllow=/dev/%I rw' DevicePolicy=closed \
	    CapabilityBoundingSet= WantedBy=multi-user.target; do
		grep -qx "$l" "$UNIT" || { echo "no line $l"; return 1; }
	done
	! grep -q '^User=root\|^ExecStart=.*sudo' "$UNIT"
	grep -q '^ExecStart=/bin/sh -c .han-cat .*/dev/%I | hdlc-split -t | ams-fields ' "$UNIT"
}

# the ExecStart command as systemd would run it for instance $1: %I and %i replaced, $$ a $
exec_start() {
	sed -n 's/^ExecStart=//p' "$UNIT" | sed "s|%I|$1|g; s|%i|$2|g; s/\\\$\\\$/\$/g"
}

@test "systemd: the ExecStart pipeline on a pty appends every list of a han-sim stream to the log" {
	args="-m aidon,kaifa -t 60 -T 2025-01-15T11:59:00"
	han-sim $args | hdlc-split | ams-fields > want.jsonl
	[ "$(wc -l < want.jsonl)" -ge 20 ]
	ptypair -o path -k 30 < <(han-sim $args -x 50) > report 3>&- &
	PIDS="$PIDS $!"
	for i in $(seq 200); do [ -s path ] && break; sleep 0.05; done
	pty=$(cat path)
	cmd=$(exec_start "${pty#/dev/}" pts-x)
	# /bin/sh -c '...': run what the quotes hold, with the environment systemd gives
	script=${cmd#/bin/sh -c \'}
	script=${script%\'}
	mkdir logs
	LOGS_DIRECTORY=$PWD/logs HAN_CAT_OPTIONS= AMS_FIELDS_OPTIONS= setsid sh -c "$script" 2> err 3>&- &
	PIDS="$PIDS $!"
	for i in $(seq 400); do
		[ -f logs/pts-x.jsonl ] && [ "$(wc -l < logs/pts-x.jsonl)" -ge "$(wc -l < want.jsonl)" ] && break
		sleep 0.05
	done
	# the same lists, with received from the capture time instead of the time of reading
	diff <(jq -c 'del(.received)' want.jsonl) <(jq -c 'del(.received)' logs/pts-x.jsonl)
	jq -e 'select(.received | test("^20[0-9-]+T[0-9:.]+[+-][0-9:]+$") | not)' logs/pts-x.jsonl && return 1
	true
}
