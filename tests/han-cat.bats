#!/usr/bin/env bats
# han-cat: a pseudo-terminal in raw mode at the asked speed and parity, bytes as written and
# unbuffered, settings restored; TCP over 127.0.0.1 and ::1 with reconnects, the breaker,
# back-off and the watchdog; errors and usage; end to end from a real-time han-sim stream.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	PIDS=
}

teardown() {
	local p
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
}

# bg CMD...: start a command in the background, to be killed in teardown; its pid in $!.
# Standard input is passed on explicitly (a background command would get /dev/null), and
# bats' fd 3 closed (bats waits for it).
bg() {
	"$@" <&0 3>&- &
	PIDS="$PIDS $!"
}

# until_true 'test': poll (up to 20 s) until the shell test holds.
until_true() {
	local i
	for i in $(seq 400); do
		eval "$1" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $1" >&2
	return 1
}

size() { stat -c %s "$1"; }

# pty [ptypair options]: start ptypair on stdin, the slave's path in $PTY and the
# settings it reports in the file 'report'.
pty() {
	rm -f path
	bg ptypair -o path "$@" > report
	PP=$!
	until_true '[ -s path ]'
	PTY=$(cat path)
}

# serve FILE [tcpserve options]: start tcpserve, the port in $PORT (status 3: no address).
serve() {
	local f=$1
	shift
	rm -f port
	bg tcpserve -o port "$@" "$f"
	TS=$!
	until_true '[ -s port ] || ! kill -0 $TS 2>/dev/null'
	if [ ! -s port ]; then
		wait "$TS" || return $?
	fi
	PORT=$(cat port)
}

@test "-h prints usage to stdout and exits 0" {
	run --separate-stderr han-cat -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: han-cat "* ]]
	[ -z "$stderr" ]
}

@test "usage errors exit 2 with the usage line on stderr" {
	for args in "" "a b" "-Q /dev/null" "-p X /dev/null" "-p EE /dev/null" \
	    "-b 1234 /dev/null" "-b 96OO /dev/null" "-d 0 /dev/null" "-r 0 /dev/null" \
	    "-r 1.5 /dev/null" "-w -1 /dev/null" "::1:3000" "host:" "[::1]3000"; do
		run --separate-stderr han-cat $args
		[ "$status" -eq 2 ] || { echo "han-cat $args: status $status"; return 1; }
		[ -z "$output" ]
		[[ "$stderr" == *"usage: han-cat"* ]] || { echo "han-cat $args: $stderr"; return 1; }
	done
}

@test "man page: lint clean and every option of -h documented" {
	run groff -mandoc -ww -z "$ROOT/man/han-cat.1"
	[ -z "$output" ]
	n=0
	for o in $(han-cat -h | sed -n 's/^  -\([a-zA-Z0-9]\).*/\1/p'); do
		grep -q "^\.It Fl $o\( \|\$\)" "$ROOT/man/han-cat.1" || { echo "missing -$o"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -eq 8 ]
}

@test "pty: raw mode, 0A stays 0A and 0D stays 0D, at -b 9600 -p N; restored on SIGTERM" {
	# LF, CR, CR LF, ^C (INTR), ^Q/^S (XON/XOFF), ^D (EOF), DEL, 8-bit bytes and NUL
	printf '7e0a0d0d0a030411131a1c7f80ff00410a7e' | hex2bin > in.bin
	pty -R < in.bin
	bg han-cat -b 9600 -p N "$PTY" > out 2> err
	hc=$!
	until_true '[ "$(size out)" -ge "$(size in.bin)" ]'
	cmp in.bin out
	r=$(head -1 report)
	for want in speed=9600 csize=8 parenb=0 parodd=0 cstopb=0 cread=1 clocal=1 crtscts=0 \
	    icanon=0 echo=0 isig=0 iexten=0 opost=0 icrnl=0 inlcr=0 igncr=0 istrip=0 inpck=0 \
	    ixon=0 ixoff=0 vmin=1 vtime=0; do
		[[ " $r " == *" $want "* ]] || { echo "want $want in: $r"; return 1; }
	done
	kill -TERM "$hc"
	st=0
	wait "$hc" || st=$?
	[ "$st" -eq 0 ]
	# ptypair set the slave to 4800 baud cooked before: it sees exactly that again
	until_true '[ "$(sed -n 2p report)" = restored ]'
	assert_empty err
}

@test "pty: default 2400 baud; -p O and -b 115200 are set; SIGINT restores too" {
	pty -R < /dev/null
	bg han-cat "$PTY" > out 2> err
	until_true '[ -s report ]'
	[[ "$(head -1 report)" == "speed=2400 csize=8 parenb=0 parodd=0 cstopb=0 "* ]]
	kill -INT $!
	until_true '[ "$(sed -n 2p report)" = restored ]'

	pty -R < /dev/null
	bg han-cat -b 115200 -p o "$PTY" > out 2>> err
	until_true '[ -s report ]'
	# a pseudo-terminal drops PARENB but keeps PARODD (see the strace test for PARENB)
	[[ "$(head -1 report)" == "speed=115200 csize=8 parenb=0 parodd=1 cstopb=0 "* ]]
	kill -INT $!
	until_true '[ "$(sed -n 2p report)" = restored ]'
	assert_empty err
}

@test "pty: the parity asked of the port is 8N1, 8E1 or 8O1 (strace of tcsetattr)" {
	command -v strace >/dev/null || skip "strace not installed"
	for p in N E O; do
		pty -t 5 < /dev/null
		run timeout 20 strace -qq -e trace=ioctl -o "st.$p" han-cat -1 -b 9600 -p $p "$PTY"
		[ "$status" -eq 1 ]	# the master closed: a hang-up under -1
		[[ "$output" == *"hangup"* ]]
		grep -q 'TCSETSF' "st.$p" || skip "strace cannot show the settings"
		grep 'TCSETSF' "st.$p" | grep -o 'c_cflag=[A-Z0-9|]*' > "cflag.$p"
		echo "$p: $(cat "cflag.$p")"
	done
	grep -q 'B9600' cflag.N
	grep -q 'CS8' cflag.E
	! grep -q 'PARENB' cflag.N
	grep -q 'PARENB' cflag.E
	! grep -q 'PARODD' cflag.E
	grep -q 'PARENB' cflag.O
	grep -q 'PARODD' cflag.O
	! grep -q 'CSTOPB' cflag.E
	! grep -q 'CRTSCTS' cflag.E
}

@test "pty: a capture flows through unchanged in many small writes" {
	han-sim -m mix -n 60 > cap.bin
	[ "$(size cap.bin)" -gt 5000 ]
	pty -n 7 -d 200 -R < cap.bin
	bg han-cat "$PTY" > out 2> err
	until_true '[ "$(size out)" -ge "$(size cap.bin)" ]'
	kill -TERM $!
	cmp cap.bin out
	until_true '[ "$(sed -n 2p report)" = restored ]'
	assert_empty err
}

@test "pty: each frame goes downstream at once, not when the input ends" {
	han-sim -m kaifa -n 1 > one.bin
	pty -k 15 < one.bin
	bg han-cat "$PTY" > >(hdlc-split > frames) 2> err
	# the master stays open 15 s: the frame must come through long before
	until_true '[ -s frames ]'
	kill -0 "$PP"
	[ "$(hdlc-split one.bin)" = "$(cat frames)" ]
	assert_empty err
}

@test "pty: when the reader of stdout goes away, SIGPIPE ends it after restoring the port" {
	han-sim -n 4 > cap.bin
	pty -n 1 -d 5000 -R < cap.bin
	run bash -c 'timeout 20 han-cat "$1" 2> err | head -c 10 > head.out; echo "${PIPESTATUS[0]}"' _ "$PTY"
	[ "$output" -eq 141 ]
	[ "$(size head.out)" -eq 10 ]
	until_true '[ "$(sed -n 2p report)" = restored ]'
	assert_empty err
}

@test "pty: a hang-up reconnects; with -1 it exits 1" {
	pty -t 5 < /dev/null
	run --separate-stderr timeout 20 han-cat -1 "$PTY"
	[ "$status" -eq 1 ]
	# (a line: a sanitizer build may add a warning of its own)
	grep -qx "han-cat: $PTY: hangup (end of file)" <<< "$stderr" || { echo "stderr: $stderr"; return 1; }
	# without -1: the pty is gone for good, so the reopen fails and -r gives up
	pty -t 5 < /dev/null
	run --separate-stderr timeout 20 han-cat -d 0.01 -r 2 "$PTY"
	[ "$status" -eq 1 ]
	# (stderr shown when it fails: the pty's number may be taken by another program's pty
	# between the hang-up and the reopen, when other test runs share the machine)
	[[ "${stderr_lines[0]}" == "han-cat: $PTY: hangup (end of file); reconnecting in "* ]] ||
	    { echo "stderr: $stderr"; return 1; }
	[[ "${stderr_lines[2]}" == *"; giving up after 2 failed attempts" ]] ||
	    { echo "stderr: $stderr"; return 1; }
}

@test "TCP 127.0.0.1: each loss and reconnect said, with the breaker's wait" {
	han-sim -m mix -n 30 > cap.bin
	serve cap.bin -n 2
	# -d 0.2: the breaker's window is 1 s, which a served-and-closed connection is well
	# inside even on a loaded machine
	run --separate-stderr timeout 20 han-cat -d 0.2 -r 1 "127.0.0.1:$PORT"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 4 ]
	# each loss said, with the breaker's wait (5 x 0.2 s), not the first back-off (0.2 s)
	[ "${stderr_lines[0]}" = "han-cat: 127.0.0.1:$PORT: connection closed by peer; reconnecting in 1 s" ]
	[ "${stderr_lines[1]}" = "han-cat: 127.0.0.1:$PORT: connected" ]
	[ "${stderr_lines[2]}" = "${stderr_lines[0]}" ]
	[ "${stderr_lines[3]}" = "han-cat: 127.0.0.1:$PORT: connect: Connection refused; giving up after 1 failed attempt" ]
}

@test "TCP 127.0.0.1: bytes complete and in order across the reconnect (cmp)" {
	han-sim -m mix -n 30 > cap.bin
	serve cap.bin -n 2
	st=0
	timeout 20 han-cat -d 0.05 -r 1 "127.0.0.1:$PORT" > out 2> err || st=$?
	[ "$st" -eq 1 ]
	cat cap.bin cap.bin | cmp - out
	[ "$(hdlc-split out | wc -l)" -eq 60 ]
}

@test "TCP [::1]: served twice and closed, the output is the capture twice" {
	han-sim -m mix -n 30 > cap.bin
	st=0
	serve cap.bin -6 -n 2 || st=$?
	[ "$st" -ne 3 ] || skip "no IPv6 loopback"
	[ "$st" -eq 0 ]
	st=0
	timeout 20 han-cat -d 0.05 -r 1 "[::1]:$PORT" > out 2> err || st=$?
	[ "$st" -eq 1 ]
	cat cap.bin cap.bin | cmp - out
	grep -qx "han-cat: \[::1\]:$PORT: connected" err
}

@test "TCP by name with -1: the peer closing in order exits 0, stderr empty" {
	han-sim -n 10 > cap.bin
	serve cap.bin -n 1
	getent hosts localhost > /dev/null || skip "localhost does not resolve"
	timeout 20 han-cat -1 "localhost:$PORT" > out 2> err
	cmp cap.bin out
	assert_empty err
}

@test "TCP: -1 on a refused connection exits 1 with the reason" {
	serve /dev/null -n 0	# binds a free port, then leaves it
	wait "$TS"
	run --separate-stderr timeout 20 han-cat -1 "127.0.0.1:$PORT"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "han-cat: 127.0.0.1:$PORT: connect: Connection refused" ]
	run --separate-stderr timeout 20 han-cat -1 "no-such-host.invalid:3000"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "han-cat: no-such-host.invalid:3000: "* ]]
}

@test "TCP: the idle watchdog (-w) drops a silent connection and reconnects" {
	han-sim -n 10 > cap.bin
	serve cap.bin -n 2 -k 15	# keeps each connection open, silent, until the client goes
	st=0
	timeout 20 han-cat -w 0.5 -d 0.05 -r 1 "127.0.0.1:$PORT" > out 2> err || st=$?
	[ "$st" -eq 1 ]
	cat cap.bin cap.bin | cmp - out
	# the connection lasted longer than the breaker's 0.25 s: back to the first wait
	[ "$(grep -c "127.0.0.1:$PORT: no data for 0.5 s; reconnecting in 0.05 s\$" err)" -eq 2 ]
}

@test "a device that does not exist: clear error; -1 exits 1" {
	run --separate-stderr han-cat -1 /nonexistent/ttyUSB9
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "han-cat: /nonexistent/ttyUSB9: open: No such file or directory" ]
}

@test "a device that does not exist: back-off doubles up to 60 times -d, -r gives up" {
	run --separate-stderr timeout 20 han-cat -d 0.001 -r 10 /nonexistent/ttyUSB9
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	want=
	for s in 0.001 0.002 0.004 0.008 0.016 0.032 0.06 0.06 0.06; do
		want="${want}han-cat: /nonexistent/ttyUSB9: open: No such file or directory; retrying in $s s
"
	done
	want="${want}han-cat: /nonexistent/ttyUSB9: open: No such file or directory; giving up after 10 failed attempts"
	[ "$stderr" = "$want" ]
}

@test "a device that does not exist: retried in 1 s by default, SIGTERM ends it with 0" {
	run --separate-stderr timeout --preserve-status -s TERM 1.5 han-cat /nonexistent/ttyUSB9
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "han-cat: /nonexistent/ttyUSB9: open: No such file or directory; retrying in 1 s" ]
	[ "${#stderr_lines[@]}" -le 2 ]
}

@test "a file that is not a terminal is refused" {
	: > plain
	run --separate-stderr han-cat -1 ./plain
	[ "$status" -eq 1 ]
	[ "$stderr" = "han-cat: ./plain: not a terminal" ]
}

@test "a port of a group the user is not in: Permission denied names the group and the fix" {
	[ "$(id -u)" -eq 0 ] || skip "needs root, to run han-cat as another user"
	command -v runuser > /dev/null || skip "runuser not installed (util-linux)"
	getent group dialout > /dev/null || skip "no group dialout"
	# han-cat where user nobody can run it, and a pty of group dialout, mode 660
	bin=$(mktemp -d /tmp/han-cat-perm.XXXXXX)
	cp "$HT_BIN/han-cat" "$bin/" && chmod 755 "$bin" "$bin/han-cat"
	pty -t 10 < /dev/null
	chgrp dialout "$PTY" && chmod 660 "$PTY"
	run --separate-stderr runuser -u nobody -- "$bin/han-cat" -1 "$PTY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "han-cat: $PTY: open: Permission denied (the port belongs to group dialout, which this user is not in: sudo usermod -aG dialout USER, then log in again)" ]
	# in the group but the mode shuts the group out: no such hint
	chmod 600 "$PTY"
	run --separate-stderr runuser -u nobody -g dialout -- "$bin/han-cat" -1 "$PTY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "han-cat: $PTY: open: Permission denied" ]
	# in the group, and the mode lets it in: it opens the port
	chmod 660 "$PTY"
	run --separate-stderr runuser -u nobody -g dialout -- timeout 5 "$bin/han-cat" -1 "$PTY"
	rm -rf "$bin"
	[[ $stderr != *"Permission denied"* ]] || { echo "$stderr"; return 1; }
	grep -q '^speed=2400 ' report
}

@test "end to end: han-cat <pty> | hdlc-split on a real-time han-sim stream" {
	args="-m aidon,kaifa,kamstrup -t 60 -T 2025-01-15T11:59:00"
	han-sim $args -w want.txt > /dev/null
	[ "$(wc -l < want.txt)" -ge 40 ]
	# ptypair closes the master once han-cat has read it all: a hang-up, exit 1 under -1
	pty -k 0.2 < <(han-sim $args -x 50)
	if [ -x "$HT_BIN/ams-fields" ]; then
		pipe "timeout 20 han-cat -1 $PTY" "hdlc-split" "tee frames" "ams-fields"
		[ "${#lines[@]}" -eq "$(wc -l < want.txt)" ]
		[[ "${lines[0]}" == "{"* ]]
	else
		pipe "timeout 20 han-cat -1 $PTY" "hdlc-split" "tee frames"
	fi
	[ "$status" -eq 1 ]
	[ "$(cat err)" = "han-cat: $PTY: hangup (end of file)" ]
	diff want.txt frames
}

@test "valgrind: no memory errors or leaks over TCP, a pty and a failed open" {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	if nm "$HT_BIN/han-cat" 2>/dev/null | grep -q __asan_init; then
		skip "sanitizer build"
	fi
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all"
	han-sim -n 10 > cap.bin
	serve cap.bin -n 2
	st=0
	timeout 60 $VG han-cat -d 0.05 -r 1 "127.0.0.1:$PORT" > out 2> err || st=$?
	[ "$st" -eq 1 ] || { cat err; return 1; }
	cat cap.bin cap.bin | cmp - out
	pty -t 30 < cap.bin
	st=0
	timeout 60 $VG han-cat -1 "$PTY" > out 2> err || st=$?
	[ "$st" -eq 1 ] || { cat err; return 1; }
	cmp cap.bin out
	st=0
	$VG han-cat -d 0.01 -r 2 /nonexistent/ttyUSB9 2> err || st=$?
	[ "$st" -eq 1 ]
}

@test "TCP: a silent bridge is noticed by default (-w 30, -w 0 turns it off) and keepalive probes after 10 s" {
	run han-cat -h
	[[ "$output" == *"-w seconds  reconnect when no byte has arrived for that long (default 30; 0: never)"* ]]
	grep -q 'default' <<< "$(sed -n '/^\.It Fl w Ar seconds/,/^\.It\|^\.El/p' "$ROOT/man/han-cat.1")"
	han-sim -n 10 > cap.bin
	# -w 0: a silent connection stays as long as the bridge keeps it
	serve cap.bin -n 1 -k 2
	st=0
	timeout 20 han-cat -w 0 -d 0.05 -r 1 "127.0.0.1:$PORT" > out 2> err || st=$?
	cmp cap.bin out
	! grep -q 'no data' err
	wait "$TS" || true
	# keepalive with short intervals on the socket
	command -v strace > /dev/null || skip "no strace"
	serve cap.bin -n 1
	strace -f -e trace=setsockopt -o trace timeout 20 han-cat -1 "127.0.0.1:$PORT" > out 2> /dev/null || true
	grep -q 'SO_KEEPALIVE, \[1\]' trace
	grep -q 'TCP_KEEPIDLE, \[10\]' trace
	grep -q 'TCP_KEEPINTVL, \[5\]' trace
	grep -q 'TCP_KEEPCNT, \[3\]' trace
}
