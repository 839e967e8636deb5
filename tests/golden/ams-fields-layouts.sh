#!/bin/sh
# Writes ams-fields-layouts.in: hand-built frames, one per positional layout that
# ams-fields(1) knows by its type signature (Iskraemeco), with a Kaifa list of the same
# element count beside them, and the Austrian OBIS lists (Sagemcom: a clock, then OBIS,
# value, {scaler, unit} in one structure; Kaifa: pairs and {OBIS, value, {scaler, unit}}
# structures mixed). The values are made up; only the layouts come from the meters.
# Prints the input; with -u it writes it and regenerates the expected
# ams-fields-layouts.jsonl and .csv instead (check the diff).
#   usage: tests/golden/ams-fields-layouts.sh [-u]     (after make)
set -eu
cd "$(dirname "$0")"
BIN=../../bin
T0='2026-11-23T20:15:02.481+01:00'
CLOCK=07ea0b17010f010200ffc400	# 2026-11-23 15:01:02.00, deviation -60 (+01:00)

os() { printf '09%02x' "${#1}"; printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
U() { printf '06%08x' "$1"; }	# double-long-unsigned
u() { printf '12%04x' "$1"; }	# long-unsigned
ob() { printf '0906%s' "$1"; }	# OBIS code
su() { printf '02020f%02x16%02x' $(((256 + $1) % 256)) "$2"; }	# {scaler, unit}

# rec COMMENT COUNT ELEMENTS...: a data-notification in an HDLC frame, as an hdlc-split -t line
rec() {
	c=$1 n=$2
	shift 2
	printf '# %s\n%s %s\n' "$c" "$T0" \
	    "$("$BIN/test/mkframe" 41 0883 13 "e6e7000f000000010c${CLOCK}02$(printf %02x "$n")$(printf %s "$@")")"
}

{
	echo '# Golden input for tests/ams-fields.bats, written by ams-fields-layouts.sh (do not edit).'
	echo '# Expected: ams-fields-layouts.jsonl/.csv'
	rec 'Iskraemeco 18: ldn, list no, P+ P- Q+ Q-, U1-3, I1-3, P+ L1-3, P- L1-3' 18 \
	    "$(os ISK1030700000001)" "$(os 00000001)" \
	    "$(U 2345)" "$(U 0)" "$(U 12)" "$(U 456)" \
	    "$(u 2301)" "$(u 2298)" "$(u 2315)" "$(u 512)" "$(u 7)" "$(u 1050)" \
	    "$(U 1178)" "$(U 16)" "$(U 1151)" "$(U 0)" "$(U 0)" "$(U 0)"
	rec 'Iskraemeco 12: ldn, list name, U1-3, I1-3, P+ P- Q+ Q-' 12 \
	    "$(os ISK1030700000002)" "$(os XY_1a)" \
	    "$(u 2330)" "$(u 2325)" "$(u 2340)" "$(u 100)" "$(u 45)" "$(u 1999)" \
	    "$(U 0)" "$(U 1500)" "$(U 3)" "$(U 77)"
	rec 'Iskraemeco 9: ldn, meter no, P+ P- Q+ Q-, U1, two registers not reported' 9 \
	    "$(os ISK1020700000003)" "$(os ISK00000003)" \
	    "$(U 812)" "$(U 0)" "$(U 5)" "$(U 90)" "$(u 2289)" "$(U 11)" "$(U 22)"
	rec 'Kaifa 9 (KFM_001 list 2, one phase) between the Iskraemeco lists of 9' 9 \
	    "$(os KFM_001)" "$(os 6970631400000009)" "$(os MA105H2E)" \
	    "$(U 1203)" "$(U 0)" "$(U 0)" "$(U 191)" "$(U 5130)" "$(U 2291)"
	rec 'Iskraemeco 10: ldn, meter no, P+ P- Q+ Q-, U1, I1, P+ L1, P- L1' 10 \
	    "$(os ISK1020700000004)" "$(os ISK00000004)" \
	    "$(U 1234)" "$(U 0)" "$(U 0)" "$(U 300)" "$(u 2317)" "$(u 533)" "$(U 1234)" "$(U 0)"
	rec 'Iskraemeco 9: ldn, P+ P-, A+ A+T1 A+T2, A- A-T1 A-T2 (Wh)' 9 \
	    "$(os ISK1030700000005)" \
	    "$(U 640)" "$(U 0)" "$(U 1500000)" "$(U 900000)" "$(U 600000)" \
	    "$(U 4321)" "$(U 4000)" "$(U 321)"
	rec 'Sagemcom (Austria): clock, then OBIS value {scaler unit} x 6, meter number' 20 \
	    090c07ea0b17010f0102ff800000 \
	    "$(ob 0100010800ff)" "$(U 7654321)" "$(su 0 30)" \
	    "$(ob 0100020700ff)" "$(U 1520)" "$(su 0 27)" \
	    "$(ob 0100200700ff)" "$(u 2337)" "$(su -1 35)" \
	    "$(ob 01001f0700ff)" "$(u 657)" "$(su -2 33)" \
	    "$(ob 0100470700ff)" "$(u 3)" "$(su -2 33)" \
	    "$(ob 01000d0700ff)" "$(u 987)" "$(su -3 255)" \
	    "$(os 000000000042)"
	rec 'Kaifa (Austria): clock pair, then {OBIS, id} and {OBIS, value, {scaler, unit}}' 8 \
	    "$(ob 0000010000ff)" "090c$CLOCK" \
	    "0202$(ob 0000600100ff)$(os 1KFM0000000042)" \
	    "0202$(ob 00002a0000ff)$(os KFM1000000000042)" \
	    "0203$(ob 0100340700ff)$(u 2291)$(su -1 35)" \
	    "0203$(ob 0100330700ff)$(u 1234)$(su -2 33)" \
	    "0203$(ob 0100010700ff)$(U 2841)$(su 0 27)" \
	    "0203$(ob 0100040800ff)$(U 99000)$(su 0 32)"
} > "${TMPDIR:-/tmp}/ams-fields-layouts.$$"

if [ "${1-}" != -u ]; then
	cat "${TMPDIR:-/tmp}/ams-fields-layouts.$$"
	rm -f "${TMPDIR:-/tmp}/ams-fields-layouts.$$"
else
	mv "${TMPDIR:-/tmp}/ams-fields-layouts.$$" ams-fields-layouts.in
	"$BIN/ams-fields" ams-fields-layouts.in > ams-fields-layouts.jsonl
	"$BIN/ams-fields" -f csv ams-fields-layouts.in > ams-fields-layouts.csv
fi
