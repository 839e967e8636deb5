#!/bin/sh
# Regenerate the samples from han-sim with fixed seeds and start times.
#   sh samples/regen.sh [BINDIR [OUTDIR]]
# BINDIR holds han-sim (default: the one on PATH); OUTDIR defaults to this directory.
# Each NAME.bin is a raw HAN port capture and NAME.jsonl the fields of its frames, one line
# per frame in order (damaged frames marked "damaged"); damaged.frames lists the frames as
# hdlc-split prints them, with the damaged ones as comments.
set -eu
bin=${1:-}
out=${2:-$(dirname "$0")}
sim=${bin:+$bin/}han-sim

gen() {
	name=$1
	shift
	"$sim" "$@" -g "$out/$name.jsonl" > "$out/$name.bin"
}

# Each maker's three lists around a full hour (the hourly list comes at 12:00:10).
T=2025-01-15T11:59:55
gen aidon-3ph -s 1 -m aidon -T $T -t 25
gen aidon-1p -s 2 -m aidon-1p -T $T -t 25
gen aidon-it -s 3 -m aidon-it -T $T -t 25
gen kaifa-3ph -s 4 -m kaifa -T $T -t 20
gen kaifa-1p -s 5 -m kaifa-1p -T $T -t 20
gen kaifa-it -s 6 -m kaifa-it -T $T -t 20
gen kamstrup-3ph -s 7 -m kamstrup -T 2025-01-15T11:59:40 -t 40
gen kamstrup-1p -s 8 -m kamstrup-1p -T 2025-01-15T11:59:40 -t 40
# The Swedish lists, two of each.
gen swedish -s 9 -m se -l 2 -n 6
# A minute of three Norwegian meters on one stream, across the hour.
gen mixed -s 10 -m aidon,kaifa,kamstrup -T 2025-01-15T11:59:30 -t 60
# Hostile: a quarter of the frames damaged, junk in a third of the gaps.
gen damaged -s 11 -m mix -n 40 -d any:25% -d junk:33% -w "$out/damaged.frames"
