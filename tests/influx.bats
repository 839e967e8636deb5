#!/usr/bin/env bats
# ams-fields -f influx: InfluxDB line protocol against golden output and hand-written
# lines (tags, escaping, exact numbers, timestamps in every precision, the meter clock),
# and against a real influxd (Debian's influxdb 1.6) that the test starts on 127.0.0.1,
# writes to over HTTP, reads every value back from and stops.

load helper

GOLD=$BATS_TEST_DIRNAME/golden
T0='2026-11-23T20:15:02.481+01:00'
NS0=1795461302481000000	# T0 in ns since 1970 (19:15:02.481Z)
# the frame of golden record "aidon-1p aidon-list2"
AIDON1P='7ea0d24108831382d6e6e7000f40000000000109020209060101000281ff0a0b4149444f4e5f5630303031020209060000600100ff0a1037333539393932343737313734333534020209060000600107ff0a0436353135020309060100010700ff0600000d2002020f00161b020309060100020700ff060000000002020f00161b020309060100030700ff060000036402020f00161d020309060100040700ff060000000002020f00161d0203090601001f0700ff1000a402020fff1621020309060100200700ff12091002020fff16237fb77e'

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	if [ -n "${INFLUXD_PID-}" ]; then
		kill "$INFLUXD_PID" 2>/dev/null || true
		wait "$INFLUXD_PID" 2>/dev/null || true
	fi
}

# vs TEXT: a visible-string element (tag 0a) holding TEXT (printf escapes allowed)
vs() {
	local hex
	hex=$(printf "$1" | od -An -tx1 | tr -d ' \n')
	printf '0a%02x%s' $((${#hex} / 2)) "$hex"
}

# aidon2 LISTVER METERID TYPE: an Aidon list 2 APDU (as ams-fields reads a hex line) with
# the three strings given and the values of golden record "aidon-1p aidon-list2"
aidon2() {
	local rest=${AIDON1P#*020309060100010700ff}
	rest=020309060100010700ff${rest%????7e}
	printf 'e6e7000f40000000000109020209060101000281ff%s020209060000600100ff%s020209060000600107ff%s%s\n' \
	    "$(vs "$1")" "$(vs "$2")" "$(vs "$3")" "$rest"
}

@test "influx: golden line protocol for every list shape (tests/golden/ams-fields-lists.influx)" {
	# regenerate after an intended change: bin/ams-fields -f influx
	#   tests/golden/ams-fields-lists.in > tests/golden/ams-fields-lists.influx (check the diff)
	run --separate-stderr ams-fields -f influx "$GOLD/ams-fields-lists.in"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	diff -u "$GOLD/ams-fields-lists.influx" <(printf '%s\n' "$output")
	# as many points as JSON records, every one with the same count of values
	[ "${#lines[@]}" -eq "$(wc -l < "$GOLD/ams-fields-lists.jsonl")" ]
}

@test "influx: one record by hand: tags sorted, numbers as JSON writes them, strings quoted, ns time" {
	run --separate-stderr ams-fields -f influx <<< "$T0 $AIDON1P"
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = 'hantools,list=aidon-list2,meter_id=7359992477174354,meter_manufacturer=Aidon list_ver_id="AIDON_V0001",meter_type="6515",active_power_import=3360,active_power_export=0,reactive_power_import=868,reactive_power_export=0,current_l1=16.4,voltage_l1=232 1795461302481000000' ]
	# every number is the JSON writer's text, digit for digit
	json=$(ams-fields <<< "$T0 $AIDON1P" | jq -r 'to_entries[] | select(.value|type == "number") | "\(.key)=\(.value)"' | sort)
	infl=$(tr ' ,' '\n\n' <<< "$output" | grep -v '"' | grep = | grep -v '^hantools\|^list=\|^meter_' | sort)
	[ "$json" = "$infl" ]
}

@test "influx: exact decimals: milliamperes, energies and a scaled zero keep their digits" {
	run ams-fields -f influx -F current_l1,current_l2,active_power_import_total "$GOLD/ams-fields-lists.in"
	[[ $output == *" current_l1=0.968,current_l2=1.649 "* ]]
	[[ $output == *" current_l1=2.955,current_l2=2.993,active_power_import_total=57589931 "* ]]
	[[ $output == *" current_l1=-3.4 "* ]]
	# no float noise and no e notation anywhere: each value is the JSON writer's text
	! grep -qE '=[-0-9.]*(0000000|9999999)[0-9]|=[-0-9.]*e' <<< "$output"
}

@test "influx: -p s, ms, us, ns: the received time truncated, never rounded" {
	for p in s:1795461302 ms:1795461302481 us:1795461302481000 ns:$NS0; do
		out=$(ams-fields -f influx -p "${p%%:*}" -F voltage_l1 <<< "$T0 $AIDON1P")
		[ "${out##* }" = "${p#*:}" ] || { echo "$p: $out"; return 1; }
	done
	# the default is ns; a UTC capture time and nine fraction digits are read as well
	out=$(ams-fields -f influx -F voltage_l1 <<< "2026-11-23T19:15:02.481000999Z $AIDON1P")
	[ "${out##* }" = 1795461302481000999 ]
	out=$(ams-fields -f influx -p ms -F voltage_l1 <<< "2026-11-23T19:15:02.4819Z $AIDON1P")
	[ "${out##* }" = 1795461302481 ]
	# a record read without a time prefix gets the time it was read
	before=$(date +%s)
	out=$(ams-fields -f influx -p s -F voltage_l1 <<< "$AIDON1P")
	after=$(date +%s)
	[ "${out##* }" -ge "$before" ] && [ "${out##* }" -le "$after" ]
}

@test "influx: -t meter: the meter clock with its offset; without one, received and one message" {
	in=$GOLD/ams-fields-lists.in
	# aidon-3ph list 3: 2025-01-15T12:00:00+00:00
	run --separate-stderr ams-fields -f influx -t meter -p s -F meter_datetime "$in"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == *'meter_datetime="2025-01-15T12:00:00+00:00" 1736942400' ]]
	# the Kaifa clock in hundredths and +01:00: 15:01:02.50 is 14:01:02.5Z
	grep -qx '.* meter_datetime="2026-11-23T15:01:02.50+01:00" 1795442462' <<< "$output"
	run --separate-stderr ams-fields -f influx -t meter -p ms -F meter_datetime "$in"
	grep -qx '.* meter_datetime="2026-11-23T15:01:02.50+01:00" 1795442462500' <<< "$output"
	# Kaifa list 1 without offset: received, said once with the line
	[[ ${lines[1]} == *'meter_datetime="2025-01-15T11:59:55" 1795461302481' ]]
	[ "$stderr" = "ams-fields: line 14: meter_datetime without offset: timestamps from received (-z names the meter's zone)" ]
	# -z gives it the zone's offset, so the meter clock is used and nothing is said
	run --separate-stderr ams-fields -f influx -t meter -p s -z Europe/Oslo -F meter_datetime "$in"
	[[ ${lines[1]} == *'meter_datetime="2025-01-15T11:59:55+01:00" 1736938795' ]]
	[ -z "$stderr" ]
	# a record without a clock (Aidon list 2) has the received time, silently
	run --separate-stderr ams-fields -f influx -t meter -p s <<< "$T0 $AIDON1P"
	[ "${output##* }" = 1795461302 ] && [ -z "$stderr" ]
	# -t received is the default
	[ "$(ams-fields -f influx -t received -F meter_datetime "$in")" = "$(ams-fields -f influx -F meter_datetime "$in")" ]
}

@test "influx: tag values escaped: comma, space, equals; a backslash kept unless it would escape" {
	aidon2 'AIDON_V0001' 'a b,c=d\\e' 6515 > in
	aidon2 'AIDON_V0001' 'id\\' 6515 >> in
	aidon2 'AIDON_V0001' 'x\\ y' 6515 >> in
	aidon2 'AIDON_V0001' 'tab\there' 6515 >> in
	run --separate-stderr ams-fields -f influx -F meter_type in
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "${#lines[@]}" -eq 4 ]
	[[ ${lines[0]} == 'hantools,list=aidon-list2,meter_id=a\ b\,c\=d\e,meter_manufacturer=Aidon meter_type="6515" '* ]]
	[[ ${lines[1]} == 'hantools,list=aidon-list2,meter_id=id'$'\xef\xbf\xbd'',meter_manufacturer=Aidon '* ]]
	[[ ${lines[2]} == 'hantools,list=aidon-list2,meter_id=x'$'\xef\xbf\xbd''\ y,meter_manufacturer=Aidon '* ]]
	[[ ${lines[3]} == 'hantools,list=aidon-list2,meter_id=tab'$'\xef\xbf\xbd''here,meter_manufacturer=Aidon '* ]]
}

@test "influx: string fields quoted, '\"' and '\\' escaped, controls and broken UTF-8 replaced" {
	aidon2 'say "hi" \\o/' 7359992477174354 '65\n5' > in
	aidon2 'caf\xc3\xa9 \xff' 7359992477174354 '=1+1' >> in
	run --separate-stderr ams-fields -f influx -F list_ver_id,meter_type in
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[[ ${lines[0]} == *' list_ver_id="say \"hi\" \\o/",meter_type="65'$'\xef\xbf\xbd''5" '* ]]
	[[ ${lines[1]} == *' list_ver_id="café '$'\xef\xbf\xbd''",meter_type="=1+1" '* ]]
	# the golden record with a quote, a comma and a line feed in its strings
	tail -1 "$GOLD/ams-fields-lists.influx" | grep -qF ' list_ver_id="AI,DON\"V001",meter_type="65'$'\xef\xbf\xbd''5",'
	# an empty tag is left out (the protocol has none)
	aidon2 'AIDON_V0001' '' 6515 > empty
	run ams-fields -f influx -F meter_type empty
	[[ $output == 'hantools,list=aidon-list2,meter_manufacturer=Aidon meter_type="6515" '* ]]
}

@test "influx: -m names the measurement (comma and space escaped); a name it cannot carry is refused" {
	run --separate-stderr ams-fields -f influx -m 'home meter,1' -F voltage_l1 <<< "$T0 $AIDON1P"
	[ "$status" -eq 0 ]
	[[ $output == 'home\ meter\,1,list=aidon-list2,'* ]]
	run ams-fields -f influx --measurement=power -F voltage_l1 <<< "$T0 $AIDON1P"
	[[ $output == 'power,list='* ]]
	for m in '' '#x' 'a\' $'a\tb' $'a\nb'; do
		run --separate-stderr ams-fields -f influx -m "$m" < /dev/null
		[ "$status" -eq 2 ] && [ -z "$output" ] || { echo "-m '$m': $status"; return 1; }
		[[ $stderr == "ams-fields: -m: "* ]]
	done
}

@test "influx: usage errors: -p and -t values, and influx options without -f influx" {
	for args in "-f influx -p m" "-f influx -p" "-f influx -t clock" "-p s" "-m x" \
	    "-f csv -t meter" "--precision=ns" "-f influx --time=x"; do
		run --separate-stderr ams-fields $args < /dev/null
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] && [[ $stderr == *ams-fields* || $stderr == usage:* ]] ||
		    { echo "$args: '$stderr'"; return 1; }
	done
	run --separate-stderr ams-fields -p s < /dev/null
	[ "$stderr" = "ams-fields: -m, -p and -t go with -f influx" ]
}

@test "influx: -F picks the fields; tags stay tags; a record with no field writes no point" {
	run --separate-stderr ams-fields -f influx -F meter_id,voltage_l1,list <<< "$T0 $AIDON1P"
	[ "$output" = "hantools,list=aidon-list2,meter_id=7359992477174354,meter_manufacturer=Aidon voltage_l1=232 $NS0" ]
	# Aidon list 2 has no clock: with only meter_datetime asked for there is nothing to write
	run --separate-stderr ams-fields -f influx -F meter_datetime <<< "$T0 $AIDON1P"
	[ "$status" -eq 0 ] && [ -z "$output" ] && [ -z "$stderr" ]
	# an unknown OBIS code is a field of its obis_ name
	grep -q ',obis_1_0_14_7_0_255=49.98 ' "$GOLD/ams-fields-lists.influx"
}

@test "influx: hdlc-split | ams-fields -f influx on every sample: one point per record, no message" {
	for s in aidon-3ph kaifa-3ph kamstrup-3ph swedish; do
		pipe "hdlc-split -t '$SAMPLES/$s.bin'" "ams-fields -f influx"
		[ "$status" -eq 0 ]
		assert_empty "$BATS_TEST_TMPDIR/err"
		n=$(hdlc-split "$SAMPLES/$s.bin" | ams-fields | wc -l)
		[ "${#lines[@]}" -eq "$n" ] || { echo "$s: ${#lines[@]} points, $n records"; return 1; }
		# measurement,tags fields timestamp
		grep -vqE '^hantools(,[a-z_]+=[^ ]+)* [^ ]+ [0-9]{19}$' <<< "$output" && return 1
	done
	true
}

# ---------------------------------------------------------------- a real InfluxDB

# start_influxd: influxd with its data, meta and WAL in the test's directory, HTTP on a free
# port of 127.0.0.1 ($PORT); waits until /ping answers. Stopped in teardown.
start_influxd() {
	command -v influxd > /dev/null || skip "influxd not installed (Debian package influxdb)"
	command -v curl > /dev/null || skip "curl not installed"
	local d=$BATS_TEST_TMPDIR/influx i
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	RPC=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$d"
	cat > "$d/influxdb.conf" <<-EOF
	reporting-disabled = true
	bind-address = "127.0.0.1:$RPC"
	[meta]
	  dir = "$d/meta"
	[data]
	  dir = "$d/data"
	  wal-dir = "$d/wal"
	  query-log-enabled = false
	[http]
	  bind-address = "127.0.0.1:$PORT"
	  log-enabled = false
	[monitor]
	  store-enabled = false
	[subscriber]
	  enabled = false
	[continuous_queries]
	  enabled = false
	EOF
	influxd run -config "$d/influxdb.conf" > "$d/log" 2>&1 &
	INFLUXD_PID=$!
	for i in $(seq 100); do
		curl -sf -o /dev/null "http://127.0.0.1:$PORT/ping" && return 0
		kill -0 "$INFLUXD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "influxd did not start:"
	tail -20 "$d/log"
	return 1
}

# query Q: InfluxQL against database x, times in ns
query() {
	curl -sf -G "http://127.0.0.1:$PORT/query" --data-urlencode db=x \
	    --data-urlencode epoch=ns --data-urlencode "q=$1"
}

@test "influxd: every point written over HTTP reads back exactly (values, strings, tags, ns times)" {
	start_influxd
	# the golden records, one second apart, so no two points share series and time
	awk '!/^#/ { sub(/^[^ ]* /, ""); printf "2026-11-23T19:15:%02d.481Z %s\n", n++, $0 }' \
	    "$GOLD/ams-fields-lists.in" > in
	aidon2 'say "hi" \\o/' 'a b,c=d\\e' '65\n5' | sed 's/^/2026-11-23T19:16:00.000000001Z /' >> in
	ams-fields -f influx in > points 2> err
	assert_empty err
	ams-fields in > records.jsonl
	[ "$(wc -l < points)" -eq "$(wc -l < records.jsonl)" ]
	curl -sf -XPOST "http://127.0.0.1:$PORT/query" --data-urlencode 'q=CREATE DATABASE x' > /dev/null
	run curl -s -w '%{http_code}' -XPOST "http://127.0.0.1:$PORT/write?db=x&precision=ns" --data-binary @points
	[ "$output" = 204 ] || { echo "write: $output"; return 1; }
	query 'SELECT * FROM hantools' > got.json
	python3 - got.json records.jsonl <<-'EOF'
	import datetime, decimal, json, sys
	D = decimal.Decimal
	got = json.load(open(sys.argv[1]), parse_float=D, parse_int=D)
	series = got['results'][0]['series']
	assert len(series) == 1, series
	cols, rows = series[0]['columns'], series[0]['values']
	points = {}
	for r in rows:
	    p = {c: v for c, v in zip(cols, r) if v is not None}
	    points[int(p.pop('time'))] = p
	want = [json.loads(l, parse_float=D, parse_int=D) for l in open(sys.argv[2])]
	assert len(points) == len(want), (len(points), len(want))
	epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
	for w in want:
	    t = w.pop('received')
	    frac = t[20:].rstrip('Z').split('+')[0].split('-')[0].ljust(9, '0') if t[19] == '.' else '0'
	    base = datetime.datetime.fromisoformat(t[:19] + '+00:00')
	    ns = (base - epoch) // datetime.timedelta(seconds=1) * 10**9 + int(frac)
	    assert ns in points, ('no point at', ns, t)
	    p = points[ns]
	    # strings as cleaned: a line feed is U+FFFD in every text output but JSON
	    w = {k: v.replace('\n', '\ufffd') if isinstance(v, str) else v for k, v in w.items()}
	    assert p == w, ('differs at', t, {k: (p.get(k), w.get(k)) for k in set(p) | set(w) if p.get(k) != w.get(k)})
	print(len(want), 'points equal')
	EOF
	# list and the meter's identity are tags, everything else fields
	query 'SHOW TAG KEYS FROM hantools' > tags.json
	jq -e '.results[0].series[0].values == [["list"], ["meter_id"], ["meter_manufacturer"]]' tags.json
	# the escaped tag and string came back as they were
	query "SELECT meter_type, list_ver_id FROM hantools WHERE meter_id = 'a b,c=d\\\\e'" > one.json
	jq -e '.results[0].series[0].values == [[1795461360000000001, "65\ufffd5", "say \"hi\" \\o/"]]' one.json
	# stopped at the end: nothing listens any more
	kill "$INFLUXD_PID"
	wait "$INFLUXD_PID" || true
	INFLUXD_PID=
	! curl -sf -o /dev/null "http://127.0.0.1:$PORT/ping"
}

@test "influxd: -p s written with precision=s and -t meter read back as the meter's instants" {
	start_influxd
	curl -sf -XPOST "http://127.0.0.1:$PORT/query" --data-urlencode 'q=CREATE DATABASE x' > /dev/null
	ams-fields -f influx -p s -t meter -z Europe/Oslo -m clock -F meter_datetime,active_power_import \
	    "$GOLD/ams-fields-lists.in" > points
	run curl -s -w '%{http_code}' -XPOST "http://127.0.0.1:$PORT/write?db=x&precision=s" --data-binary @points
	[ "$output" = 204 ]
	# Kaifa 3ph list 1: 2025-01-15T11:59:55 in Oslo is 10:59:55Z
	query "SELECT active_power_import FROM clock WHERE meter_datetime = '2025-01-15T11:59:55+01:00'" > one.json
	jq -e '.results[0].series[0].values == [[1736938795000000000, 1087]]' one.json
}

@test "influxd: the influx -import recipe of ams-fields(1) loads every point (influxdb-client)" {
	command -v influx > /dev/null || skip "influx not installed (Debian package influxdb-client)"
	start_influxd
	# frames with their capture times, as hdlc-split -t writes them from a live stream
	awk '!/^#/ { sub(/^[^ ]* /, ""); printf "2026-11-23T19:15:%02d.481Z %s\n", n++, $0 }' \
	    "$GOLD/ams-fields-lists.in" > frames.txt
	# as the man page has it
	{
		printf '# DDL\nCREATE DATABASE power\n# DML\n# CONTEXT-DATABASE: power\n'
		ams-fields -f influx frames.txt
	} > points.txt
	n=$(ams-fields frames.txt | wc -l)
	run influx -port "$PORT" -import -path=points.txt -precision=ns
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $output == *"Processed $n inserts"* && $output == *"Failed 0 inserts"* ]] ||
	    { echo "$output"; return 1; }
	curl -sf -G "http://127.0.0.1:$PORT/query" --data-urlencode db=power \
	    --data-urlencode 'q=SELECT count(voltage_l1) FROM hantools' > n.json
	jq -e --argjson n "$(ams-fields frames.txt | grep -c voltage_l1)" \
	    '.results[0].series[0].values[0][1] == $n' n.json
}

@test "influx: an obis_* octet string is a string field (hex), an obis_* number a float" {
	# golden record aidon-1p with a 10th element: an unknown OBIS code holding 6 bytes
	a=${AIDON1P#7ea0d24108831382d6}
	a=${a%????7e}
	a=$(sed 's/^\(e6e7000f40000000000\)109/\110a/' <<< "$a")0202090601006363ffff0906010203040506
	run --separate-stderr ams-fields -f influx -F voltage_l1,obis_1_0_99_99_255_255 <<< "$T0 $a"
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[ "$output" = "hantools,list=aidon-list2,meter_id=7359992477174354,meter_manufacturer=Aidon voltage_l1=232,obis_1_0_99_99_255_255=\"010203040506\" $NS0" ]
	grep -q ',obis_1_0_14_7_0_255=49.98 ' "$GOLD/ams-fields-lists.influx"
}
