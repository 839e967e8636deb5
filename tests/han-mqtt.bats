#!/usr/bin/env bats
# han-mqtt against a real mosquitto broker that each test starts on 127.0.0.1 and stops:
# every Home Assistant config and state message checked with mosquitto_sub, retained
# configs and availability, the last will, a key that appears later, QoS 0 and 1, the
# broker going away and coming back, the bounded queue, and a password from a file.

load helper

GOLD=$BATS_TEST_DIRNAME/golden

setup() {
	cd "$BATS_TEST_TMPDIR"
	PIDS=
	command -v mosquitto > /dev/null || skip "mosquitto not installed (Debian package mosquitto)"
	command -v mosquitto_sub > /dev/null || skip "mosquitto_sub not installed (mosquitto-clients)"
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
}

teardown() {
	local p
	for p in $PIDS $BROKER; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS $BROKER; do
		wait "$p" 2>/dev/null || true
	done
}

# broker [config lines]: mosquitto on 127.0.0.1:$PORT, in memory, waits until it listens
broker() {
	{
		echo "listener $PORT 127.0.0.1"
		echo "persistence false"
		echo "log_dest stderr"
		echo "user root"	# not mosquitto: the files are in the test's directory
		[ $# -gt 0 ] && printf '%s\n' "$@" || echo "allow_anonymous true"
	} > broker.conf
	mosquitto -c broker.conf 2>> broker.log 3>&- 5>&- &
	BROKER=$!
	for i in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "mosquitto did not start"
	cat broker.log
	return 1
}

stop_broker() {
	kill "$BROKER"
	wait "$BROKER" || true
	BROKER=
}

# sub FILE COUNT TOPIC...: mosquitto_sub -v in the background until COUNT messages
sub() {
	local f=$1 n=$2
	shift 2
	local t args=()
	for t in "$@"; do args+=(-t "$t"); done
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -v -C "$n" -W "${SUB_WAIT:-30}" "${args[@]}" > "$f" 3>&- 5>&- &
	PIDS="$PIDS $!"
	SUB=$!
	sleep 0.3	# subscribed before anything is published
}

# retained TOPIC: the retained messages under TOPIC now, "topic payload" per line
retained() {
	timeout 5 mosquitto_sub -h 127.0.0.1 -p "$PORT" -v --retained-only -W 1 -t "$1" 2>/dev/null || true
}

@test "han-mqtt: every config and state of the golden records, checked message by message" {
	broker
	# meters of the golden records (a list without meter_id goes to its maker's last meter)
	grep -v '"list":"obis-' "$GOLD/ams-fields-lists.jsonl" > in.jsonl
	sub all.txt 10000 'hantools/#' 'homeassistant/#'
	run --separate-stderr han-mqtt -b "127.0.0.1:$PORT" in.jsonl
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	sleep 1
	kill "$SUB" || true
	python3 - all.txt in.jsonl <(ams-fields -L) <<-'EOF'
	import json, sys
	msgs = [l.rstrip('\n').split(' ', 1) for l in open(sys.argv[1])]
	recs = [json.loads(l) for l in open(sys.argv[2])]
	keytab = {l.split('\t')[0]: l.rstrip('\n').split('\t')[1:] for l in open(sys.argv[3])}
	assert msgs[0] == ['hantools/status', 'online'], msgs[0]
	assert msgs[-1] == ['hantools/status', 'offline'], msgs[-1]
	states = [(t, json.loads(p)) for t, p in msgs if t.endswith('/state')]
	configs = [(i, t, json.loads(p)) for i, (t, p) in enumerate(msgs) if t.endswith('/config')]
	# a state per record that has a meter: its meter_id, or its maker's last one
	last, want = {}, []
	for r in recs:
	    mid = r.get('meter_id') or last.get(r['meter_manufacturer'])
	    if mid:
	        last[r['meter_manufacturer']] = mid
	        want.append((mid, r))
	assert len(states) == len(want), (len(states), len(want))
	for (t, s), (mid, r) in zip(states, want):
	    assert t == 'hantools/%s/state' % mid, (t, mid)
	    for k, v in r.items():
	        assert s[k] == v, (t, k, s.get(k), v)
	# one config per meter and entity key, sent before the first state that has the key
	seen = {}
	for i, t, c in configs:
	    parts = t.split('/')
	    assert parts[0] == 'homeassistant' and parts[1] == 'sensor' and parts[4] == 'config', t
	    node, key = parts[2][len('hantools_'):], parts[3]
	    assert (node, key) not in seen, ('config twice', t)
	    seen[node, key] = i
	    assert c['unique_id'] == c['object_id'] == 'hantools_%s_%s' % (node, key), c
	    assert c['state_topic'] == 'hantools/%s/state' % node, c
	    assert c['value_template'] == '{{ value_json.%s }}' % key, c
	    assert c['availability_topic'] == 'hantools/status', c
	    unit, dc, sc = keytab[key] if key in keytab else ('-', '-', 'measurement')
	    assert c.get('unit_of_measurement', '-') == unit, (key, c)
	    assert c.get('device_class', '-') == dc, (key, c)
	    assert c.get('state_class', '-') == sc, (key, c)
	    d = c['device']
	    assert d['identifiers'] == ['hantools_' + node] and d['serial_number'] == node, d
	for j, (i, (t, p)) in enumerate([(i, m) for i, m in enumerate(msgs) if m[0].endswith('/state')]):
	    node = t.split('/')[1]
	    for k in json.loads(p):
	        if k in keytab and keytab[k][2] in ('measurement', 'total_increasing'):
	            assert seen.get((node, k), 1e9) < i, ('state before its config', t, k)
	# every entity key of every meter has its config; labels and clocks have none
	for (t, s) in states:
	    node = t.split('/')[1]
	    for k in s:
	        ent = k.startswith('obis_') or keytab[k][2] != '-' or k.startswith('power_factor')
	        assert ((node, k) in seen) == ent, ('config of', node, k)
	print(len(states), 'states,', len(configs), 'configs checked')
	EOF
	# configs and availability are retained: a new subscriber gets them
	retained 'homeassistant/#' > ret.txt
	[ "$(wc -l < ret.txt)" -eq "$(grep -c '/config ' all.txt)" ]
	[ "$(retained hantools/status)" = "hantools/status offline" ]
}

@test "han-mqtt: a key first seen later (list 3's registers after list 2) gets its config then" {
	broker
	grep -E '"list":"kaifa-list[23]"' "$GOLD/ams-fields-lists.jsonl" | head -2 > in.jsonl
	grep -q '"list":"kaifa-list2"' <(head -1 in.jsonl) && grep -q '_total' <(tail -1 in.jsonl)
	sub all.txt 1000 'hantools/#' 'homeassistant/#'
	han-mqtt -b "127.0.0.1:$PORT" in.jsonl
	sleep 0.5
	kill "$SUB" || true
	n1=$(grep -n '/state ' all.txt | head -1 | cut -d: -f1)
	nt=$(grep -n '/active_power_import_total/config ' all.txt | cut -d: -f1)
	n2=$(grep -n '/state ' all.txt | tail -1 | cut -d: -f1)
	[ "$n1" -lt "$nt" ] && [ "$nt" -lt "$n2" ]
}

@test "han-mqtt: the last will says offline when han-mqtt dies; QoS 0 works too" {
	broker
	mkfifo in
	han-mqtt -Q 0 -b "127.0.0.1:$PORT" in 2> err 3>&- &
	P=$!
	PIDS="$PIDS $P"
	exec 5> in
	head -3 "$GOLD/ams-fields-lists.jsonl" >&5
	for i in $(seq 100); do [ "$(retained hantools/status)" = "hantools/status online" ] && break; sleep 0.1; done
	[ "$(retained hantools/status)" = "hantools/status online" ]
	retained 'homeassistant/#' | grep -q '/hantools_7359992477174354/voltage_l1/config '
	kill -KILL "$P"
	wait "$P" || true
	exec 5>&-
	for i in $(seq 100); do [ "$(retained hantools/status)" = "hantools/status offline" ] && break; sleep 0.1; done
	[ "$(retained hantools/status)" = "hantools/status offline" ]
}

@test "han-mqtt: the broker going away and coming back: no crash, values resume, drops counted" {
	broker
	mkfifo in
	sub first.txt 1000 'hantools/+/state'
	han-mqtt -l 5 -b "127.0.0.1:$PORT" in 2> err 3>&- &
	P=$!
	PIDS="$PIDS $P"
	exec 5> in
	sed -n 1p "$GOLD/ams-fields-lists.jsonl" >&5
	for i in $(seq 100); do [ -s first.txt ] && break; sleep 0.1; done
	[ -s first.txt ]
	stop_broker
	# twenty records while it is away: only the last five messages can be kept
	for i in $(seq 20); do
		sed -n 1p "$GOLD/ams-fields-lists.jsonl" | sed "s/\"active_power_import\":[0-9]*/\"active_power_import\":$i/" >&5
	done
	sleep 0.5
	kill -0 "$P"
	broker
	# (the reconnect back-off may have grown while the broker was away, and a connection
	# lost at once waits longer: the subscriber waits up to two minutes)
	SUB_WAIT=120 sub back.txt 1000 'hantools/+/state'
	for i in $(seq 1200); do grep -q '"active_power_import":20,' back.txt 2>/dev/null && break; sleep 0.1; done
	exec 5>&-
	wait "$P"
	# the newest values came through, the oldest were dropped and that was said
	grep -q '"active_power_import":20,' back.txt
	! grep -q '"active_power_import":1,' back.txt
	grep -q 'han-mqtt: 127.0.0.1:'"$PORT"': the broker closed the connection; reconnecting in' err ||
	    grep -q "han-mqtt: 127.0.0.1:$PORT: .*; re" err
	grep -qE 'han-mqtt: [0-9]+ messages dropped' err
}

@test "han-mqtt: user and password from a file; a wrong password is refused and said" {
	command -v mosquitto_passwd > /dev/null || skip "mosquitto_passwd not installed"
	mosquitto_passwd -b -c passwd meter 's3cret pass'
	chmod 600 passwd
	broker "allow_anonymous false" "password_file $BATS_TEST_TMPDIR/passwd"
	printf 's3cret pass\n' > pass.txt
	# the subscriber needs the user too (the password is mosquitto_sub's business here)
	mosquitto_sub -h 127.0.0.1 -p "$PORT" -u meter -P 's3cret pass' -v -C 1 -W 30 \
	    -t 'hantools/+/state' > got.txt 3>&- &
	SUB=$!
	PIDS="$PIDS $SUB"
	sleep 0.3
	HAN_MQTT_PASSWORD_FILE=pass.txt han-mqtt -u meter -b "127.0.0.1:$PORT" <(sed -n 1p "$GOLD/ams-fields-lists.jsonl")
	wait "$SUB"
	grep -q '^hantools/7359992477174354/state {' got.txt
	HAN_MQTT_PASSWORD=wrong run --separate-stderr han-mqtt -w 1 -u meter -b "127.0.0.1:$PORT" <(sed -n 1p "$GOLD/ams-fields-lists.jsonl")
	[ "$status" -eq 1 ]
	[[ $stderr == *"connection refused: "*"not authorized"* || $stderr == *"connection refused: bad user name or password"* ]]
	[[ $stderr == *"messages not delivered"* ]]
}

@test "han-mqtt: usage errors: ports, counts, QoS, topics, a password without a user" {
	for a in "-b h:0" "-b h:99999" "-l 0" "-l 1001" "-Q 2" "-t a/+" "-d #" "-w -1" "-x"; do
		run --separate-stderr han-mqtt $a < /dev/null
		[ "$status" -eq 2 ] || { echo "$a: $status"; return 1; }
		[[ $stderr == *"usage: han-mqtt"* ]]
	done
	HAN_MQTT_PASSWORD=x run --separate-stderr han-mqtt < /dev/null
	[ "$status" -eq 2 ]
	[[ $stderr == "han-mqtt: a password without a user name (-u)"* ]]
	run --separate-stderr han-mqtt -b h:99999 < /dev/null
	[[ $stderr == "han-mqtt: -b: the port must be from 1 to 65535: 99999"* ]]
}

@test "han-mqtt: valgrind finds no memory error or leak (a broker, then none)" {
	command -v valgrind > /dev/null || skip "valgrind not installed"
	if nm "$HT_BIN/han-mqtt" 2>/dev/null | grep -q __asan_init; then
		skip "sanitizer build"
	fi
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all"
	broker
	$VG han-mqtt -b "127.0.0.1:$PORT" "$GOLD/ams-fields-lists.jsonl" 2> err
	grep -v '^han-mqtt: [0-9]* records before any meter_id were not sent$' err | grep . && return 1
	stop_broker
	run $VG han-mqtt -w 0.5 -b "127.0.0.1:$PORT" "$GOLD/ams-fields-lists.jsonl"
	[ "$status" -eq 1 ]
}

@test "han-mqtt: 'implausible' is about one record and does not stay in the meter's state" {
	broker
	l=$(sed -n 1p "$GOLD/ams-fields-lists.jsonl")
	{ echo "${l%\}},\"implausible\":\"implausible-voltage: voltage_l1\"}"; echo "$l"; } > in.jsonl
	sub got.txt 2 'hantools/+/state'
	han-mqtt -b "127.0.0.1:$PORT" in.jsonl
	wait "$SUB"
	[ "$(sed -n 1p got.txt | grep -c '"implausible":')" -eq 1 ]
	[ "$(sed -n 2p got.txt | grep -c '"implausible":')" -eq 0 ]
}
