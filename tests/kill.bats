#!/usr/bin/env bats
# Kills: SIGTERM, SIGINT or SIGHUP at random moments never leave an output that ends inside
# a record; the tool dies of the signal. A cron job appending CSV must never get half a row.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# kill_at TOOL-COMMAND OUT SIGNAL: start the command (output to OUT), kill it after a
# random 20..220 ms, and return its status.
kill_at() {
	bash -c "exec $1 > $2" &
	pid=$!
	sleep "0.$(printf '%03d' $((20 + RANDOM % 200)))"
	kill -"$3" "$pid" 2>/dev/null || true
	wait "$pid"
}

@test "kill: hdlc-split, cosem-decode and ams-fields end at a record boundary, and die of the signal" {
	han-sim -m mix -n 200000 > big.bin
	hdlc-split big.bin > big.txt
	n=0
	for sig in TERM INT HUP TERM INT; do
		for t in "hdlc-split big.bin" "hdlc-split -j big.bin" "cosem-decode big.txt" \
		    "ams-fields big.txt" "ams-fields -f csv big.txt"; do
			st=0
			kill_at "$t" out "$sig" || st=$?
			[ -s out ] || continue
			n=$((n + 1))
			# killed: the status is the signal's (or 0 when it had finished)
			[ "$st" -eq 0 ] || [ "$st" -eq $((128 + $(kill -l "$sig"))) ] ||
			    { echo "$t: status $st after SIG$sig"; return 1; }
			[ "$(tail -c 1 out | xxd -p)" = 0a ] || { echo "$t: ends mid-line after SIG$sig"; return 1; }
			case $t in
			cosem-decode*)
				# a TLV block ends with an empty line
				[ "$(tail -c 2 out | xxd -p)" = 0a0a ] || { echo "$t: ends inside a block"; return 1; }
				tail -n 400 out | sed -n '/^$/,$p' | sed 1d | cosem-decode > /dev/null ;;
			"ams-fields big.txt" | "hdlc-split -j"*)
				tail -n 50 out | jq -e . > /dev/null ;;
			"ams-fields -f csv"*)
				awk -F, 'NR > 1 && NF != 19 { exit 1 }' out ;;
			*)
				! grep -qv '^7e[0-9a-f]*7e$' out ;;
			esac
		done
	done
	[ "$n" -ge 12 ]
}

@test "kill: han-sim's stream, truth and -w files all end at a frame" {
	for i in 1 2 3; do
		st=0
		kill_at "han-sim -m mix -n 2000000 -g gt.jsonl -w w.txt" raw.bin TERM || st=$?
		[ "$st" -eq 143 ] || [ "$st" -eq 0 ]
		[ "$(tail -c 1 gt.jsonl | xxd -p)" = 0a ] && tail -n 20 gt.jsonl | jq -e . > /dev/null
		[ "$(tail -c 1 w.txt | xxd -p)" = 0a ]
		# the binary stream ends with a whole frame: nothing truncated at its end
		hdlc-split -s raw.bin > /dev/null 2> s
		grep -q ' truncated=0 ' s || { cat s; return 1; }
	done
}

@test "kill: a signal while the writer is blocked on a stalled reader still ends at a record" {
	han-sim -m mix -n 200000 | hdlc-split > big.txt
	# the reader takes nothing for a second, so ams-fields blocks in write(2) with a full
	# pipe when the signal comes; then it drains what ams-fields still writes
	{ ams-fields big.txt & echo $! > pid; wait; } | { sleep 1.5; cat > out; } &
	reader=$!
	sleep 0.7
	kill -TERM "$(cat pid)"
	wait "$reader"
	[ -s out ]
	[ "$(tail -c 1 out | xxd -p)" = 0a ]
	tail -n 50 out | jq -e . > /dev/null
}
