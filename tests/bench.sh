#!/bin/sh
# make bench: throughput and peak memory of each stage on a ~100 MB mixed han-sim stream,
# each compared with cat | cat over the same bytes in the same run.
#   sh tests/bench.sh BINDIR
# Environment: BENCH_FRAMES (default 1200000, about 100 MB), BENCH_SEED (default 1),
# BENCH_RUNS (default 3: every time is the best of that many runs, the baseline's too).
# Tools that are not built are skipped with a note. Needs GNU time (/usr/bin/time) for the
# peak RSS; without it that column is "-".
set -eu
bin=${1:?usage: sh tests/bench.sh BINDIR}
bin=$(cd "$bin" && pwd)
frames=${BENCH_FRAMES:-1200000}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hantools-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

now() { date +%s%N; }

# rss FILE...: the largest peak RSS (KB) written by GNU time into the files
rss() {
	[ -n "$TIME" ] || { echo -; return; }
	cat "$@" | awk '$1 ~ /^[0-9]+$/ && $1 > m { m = $1 } END { print m + 0 }'
}

# run1 OUTVAR_PREFIX INPUT CMD...: time CMD < INPUT > /dev/null, the best of $runs runs
# (as for the cat | cat baseline: on a shared machine the fastest run is the least
# disturbed one); sets ${p}_s and ${p}_rss (the largest peak RSS of the runs)
run1() {
	p=$1 in=$2
	shift 2
	best=
	: > "$tmp/rssall"
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		t0=$(now)
		if [ -n "$TIME" ]; then
			$TIME -f %M -o "$tmp/rss" "$@" < "$in" > /dev/null 2> "$tmp/err" || return 1
			cat "$tmp/rss" >> "$tmp/rssall"
		else
			"$@" < "$in" > /dev/null 2> "$tmp/err" || return 1
		fi
		t1=$(now)
		best=$(awk -v a="$t0" -v b="$t1" -v m="$best" \
		    'BEGIN { s = (b - a) / 1e9; if (m != "" && m < s) s = m; printf "%.3f", s }')
	done
	eval "${p}_s=\$best"
	eval "${p}_rss=\$(rss \"$tmp/rssall\")"
}

# catcat INPUT: seconds for cat INPUT | cat > /dev/null, the best of $runs (the baseline
# is the fastest the machine managed)
catcat() {
	best=
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		t0=$(now)
		cat "$1" | cat > /dev/null
		t1=$(now)
		best=$(awk -v a="$t0" -v b="$t1" -v m="$best" \
		    'BEGIN { s = (b - a) / 1e9; if (m != "" && m < s) s = m; printf "%.3f", s }')
	done
	echo "$best"
}

have() { [ -x "$bin/$1" ]; }

echo "hantools benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(uname -sm), $(nproc 2>/dev/null || echo '?') CPUs," \
    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo '?')"

have han-sim || { echo "bench: no han-sim in $bin" >&2; exit 1; }
have hdlc-split || { echo "bench: no hdlc-split in $bin" >&2; exit 1; }

t0=$(now)
"$bin/han-sim" -m mix -s "$seed" -n "$frames" > "$tmp/raw.bin"
t1=$(now)
raw_mb=$(awk -v n="$(wc -c < "$tmp/raw.bin")" 'BEGIN { printf "%.1f", n / 1e6 }')
echo "input: han-sim -m mix -n $frames: $raw_mb MB of raw bytes, made in" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }') s"
"$bin/hdlc-split" "$tmp/raw.bin" > "$tmp/lines.txt"
nframes=$(wc -l < "$tmp/lines.txt")
lines_mb=$(awk -v n="$(wc -c < "$tmp/lines.txt")" 'BEGIN { printf "%.1f", n / 1e6 }')
echo "frames: $nframes; hdlc-split lines: $lines_mb MB"
# the 1 MB inputs for the memory column
head -c 1000000 "$tmp/raw.bin" > "$tmp/raw1.bin"
"$bin/hdlc-split" "$tmp/raw1.bin" > "$tmp/lines1.txt"
# cosem-decode's target counts list-2 and list-3 frames (the long ones): a second stream
# with only those
"$bin/han-sim" -m mix -s "$seed" -l 2,3 -n $((frames / 6)) | "$bin/hdlc-split" > "$tmp/long.txt"
nlong=$(wc -l < "$tmp/long.txt")
long_mb=$(awk -v n="$(wc -c < "$tmp/long.txt")" 'BEGIN { printf "%.1f", n / 1e6 }')
head -c 1000000 "$tmp/long.txt" | sed '$d' > "$tmp/long1.txt"
echo "list-2/3 frames: $nlong; their hdlc-split lines: $long_mb MB"
# ams-fields per list class: the mixed stream's figure depends on its share of short list-1
# frames, so each class alone too
for l in 1 2 3; do
	"$bin/han-sim" -m mix -s "$seed" -l $l -n $((frames / 6)) | "$bin/hdlc-split" > "$tmp/l$l.txt"
	head -c 1000000 "$tmp/l$l.txt" | sed '$d' > "$tmp/l${l}_1.txt"
	eval "n_l$l=\$(wc -l < \"\$tmp/l\$l.txt\")"
	eval "mb_l$l=\$(awk -v n=\"\$(wc -c < \$tmp/l\$l.txt)\" 'BEGIN { printf \"%.1f\", n / 1e6 }')"
done
echo "list-1, list-2, list-3 streams: $n_l1, $n_l2, $n_l3 frames"
# P1: a DSMR 5 and a Swedish IEC readout, about 100 MB of telegrams
telegrams=${BENCH_TELEGRAMS:-$((frames / 10))}
"$bin/han-sim" -m p1 -s "$seed" -n "$telegrams" > "$tmp/p1raw.bin"
head -c 1000000 "$tmp/p1raw.bin" > "$tmp/p1raw1.bin"
mb_p1raw=$(awk -v n="$(wc -c < "$tmp/p1raw.bin")" 'BEGIN { printf "%.1f", n / 1e6 }')
if have han-split; then
	"$bin/han-split" -p p1 "$tmp/p1raw.bin" > "$tmp/p1txt.txt"
	"$bin/han-split" -p p1 "$tmp/p1raw1.bin" > "$tmp/p1txt1.txt"
	mb_p1txt=$(awk -v n="$(wc -c < "$tmp/p1txt.txt")" 'BEGIN { printf "%.1f", n / 1e6 }')
fi
echo "P1 stream: han-sim -m p1 -n $telegrams: $mb_p1raw MB"
# the same lists cut in pieces: wired M-Bus segments, and HDLC segments, for the framing
# and the reassembly next to the whole frames
nlists=$((frames / 6))
"$bin/han-sim" -m mix -s "$seed" -l 3 -n $nlists -L mbus > "$tmp/mbraw.bin"
head -c 1000000 "$tmp/mbraw.bin" > "$tmp/mbraw1.bin"
mb_mbraw=$(awk -v n="$(wc -c < "$tmp/mbraw.bin")" 'BEGIN { printf "%.1f", n / 1e6 }')
"$bin/han-sim" -m mix -s "$seed" -l 3 -n $nlists -L seg | "$bin/hdlc-split" > "$tmp/seg.txt"
head -c 1000000 "$tmp/seg.txt" | sed '$d' > "$tmp/seg1.txt"
mb_seg=$(awk -v n="$(wc -c < "$tmp/seg.txt")" 'BEGIN { printf "%.1f", n / 1e6 }')
echo "M-Bus stream: $nlists list-3 lists in $mb_mbraw MB; HDLC-segmented lines: $mb_seg MB"
# the same list-3 frames general-glo-ciphered (han-sim -k, SC 0x30 with an AK: decrypted
# and the tag verified), for decryption's cost next to the clear figure
printf '* 000102030405060708090a0b0c0d0e0f d0d1d2d3d4d5d6d7d8d9dadbdcdddedf\n' > "$tmp/keys"
chmod 600 "$tmp/keys"
"$bin/han-sim" -k "$tmp/keys" -m mix -s "$seed" -l 3 -n $((frames / 6)) | "$bin/hdlc-split" > "$tmp/c3.txt"
head -c 1000000 "$tmp/c3.txt" | sed '$d' > "$tmp/c3_1.txt"
n_c3=$(wc -l < "$tmp/c3.txt")
# the same ciphered lists bare, with no link layer (han-sim -L db), for the DB envelope
"$bin/han-sim" -k "$tmp/keys" -m mix -s "$seed" -l 3 -n $nlists -L db > "$tmp/dbraw.bin"
head -c 1000000 "$tmp/dbraw.bin" > "$tmp/dbraw1.bin"
mb_dbraw=$(awk -v n="$(wc -c < "$tmp/dbraw.bin")" 'BEGIN { printf "%.1f", n / 1e6 }')
echo "DB stream: $nlists ciphered list-3 APDUs bare in $mb_dbraw MB"
mb_c3=$(awk -v n="$(wc -c < "$tmp/c3.txt")" 'BEGIN { printf "%.1f", n / 1e6 }')
echo "ciphered list-3 stream: $n_c3 frames"
echo

raw_cat=$(catcat "$tmp/raw.bin")
lines_cat=$(catcat "$tmp/lines.txt")
long_cat=$(catcat "$tmp/long.txt")
for l in 1 2 3; do eval "cat_l$l=\$(catcat \"\$tmp/l\$l.txt\")"; done
cat_p1raw=$(catcat "$tmp/p1raw.bin")
cat_mbraw=$(catcat "$tmp/mbraw.bin")
cat_dbraw=$(catcat "$tmp/dbraw.bin")
cat_seg=$(catcat "$tmp/seg.txt")
[ -f "$tmp/p1txt.txt" ] && cat_p1txt=$(catcat "$tmp/p1txt.txt")
cat_c3=$(catcat "$tmp/c3.txt")

printf '%-28s %8s %8s %8s %10s %9s %9s %7s\n' stage "in MB" s "MB/s" "frames/s" \
    "RSS KB" "1MB RSS" "x cat"
row() {	# name mb seconds cat_seconds rss rss1 [frames]
	awk -v name="$1" -v mb="$2" -v s="$3" -v c="$4" -v r="$5" -v r1="$6" -v n="${7:-$nframes}" '
	    BEGIN {
		if (s <= 0) s = 0.001
		printf "%-28s %8.1f %8.3f %8.1f %10.0f %9s %9s %7.2f\n", name, mb, s, mb / s,
		    n / s, r, r1, c / s
	    }'
}
skip() { printf '%-28s %s\n' "$1" "$2"; }

row "cat | cat (raw)" "$raw_mb" "$raw_cat" "$raw_cat" - -
row "cat | cat (frame lines)" "$lines_mb" "$lines_cat" "$lines_cat" - -
row "cat | cat (list-2/3 lines)" "$long_mb" "$long_cat" "$long_cat" - - "$nlong"
row "cat | cat (P1 stream)" "$mb_p1raw" "$cat_p1raw" "$cat_p1raw" - - "$telegrams"

results=$tmp/results
: > "$results"
# stage TAG NAME INPUT(raw|lines|long) TOOL ARGS...
stage() {
	tag=$1 name=$2 kind=$3 tool=$4
	shift 4
	if ! have "$tool"; then
		skip "$name" "skipped: $tool not built"
		return 0
	fi
	case $kind in
	raw) in=$tmp/raw.bin in1=$tmp/raw1.bin mb=$raw_mb c=$raw_cat n=$nframes ;;
	lines) in=$tmp/lines.txt in1=$tmp/lines1.txt mb=$lines_mb c=$lines_cat n=$nframes ;;
	long) in=$tmp/long.txt in1=$tmp/long1.txt mb=$long_mb c=$long_cat n=$nlong ;;
	l[123] | c3) in=$tmp/$kind.txt in1=$tmp/${kind}_1.txt
		eval "mb=\$mb_$kind c=\$cat_$kind n=\$n_$kind" ;;
	p1raw) in=$tmp/p1raw.bin in1=$tmp/p1raw1.bin mb=$mb_p1raw c=$cat_p1raw n=$telegrams ;;
	mbraw) in=$tmp/mbraw.bin in1=$tmp/mbraw1.bin mb=$mb_mbraw c=$cat_mbraw n=$nlists ;;
	dbraw) in=$tmp/dbraw.bin in1=$tmp/dbraw1.bin mb=$mb_dbraw c=$cat_dbraw n=$nlists ;;
	seg) in=$tmp/seg.txt in1=$tmp/seg1.txt mb=$mb_seg c=$cat_seg n=$nlists ;;
	p1txt) in=$tmp/p1txt.txt in1=$tmp/p1txt1.txt mb=$mb_p1txt c=$cat_p1txt n=$telegrams ;;
	esac
	if ! run1 big "$in" "$bin/$tool" "$@"; then
		skip "$name" "failed: $(head -c 200 "$tmp/err")"
		return 0
	fi
	run1 small "$in1" "$bin/$tool" "$@" || small_rss=-
	row "$name" "$mb" "$big_s" "$c" "$big_rss" "$small_rss" "$n"
	echo "$tag $n $big_s $big_rss $small_rss $c" >> "$results"
}

stage split "hdlc-split" raw hdlc-split
stage cosem "cosem-decode" lines cosem-decode
stage cosemj "cosem-decode -j" lines cosem-decode -j
stage cosem23 "cosem-decode (lists 2/3)" long cosem-decode
stage cosem23j "cosem-decode -j (lists 2/3)" long cosem-decode -j
stage fields "ams-fields" lines ams-fields
stage fieldscsv "ams-fields -f csv" lines ams-fields -f csv
stage fieldsl1 "ams-fields (list 1 alone)" l1 ams-fields
stage fieldsl2 "ams-fields (list 2 alone)" l2 ams-fields
stage fieldsl3 "ams-fields (list 3 alone)" l3 ams-fields
stage p1split "han-split -p p1" p1raw han-split -p p1
stage p1auto "han-split -p auto (P1 stream)" p1raw han-split -p auto
stage p1fields "ams-fields (P1 telegrams)" p1txt ams-fields
stage mbsplit "han-split -p mbus" mbraw han-split -p mbus
stage mbwhole "han-split -p mbus -A" mbraw han-split -p mbus -A
stage dbsplit "han-split -p db" dbraw han-split -p db
stage dbauto "han-split -p auto (DB stream)" dbraw han-split -p auto
stage segfields "ams-fields (list 3, segments)" seg ams-fields
stage cosemc3 "cosem-decode (list 3)" l3 cosem-decode
stage cosemk3 "cosem-decode -k (ciph. l3)" c3 cosem-decode -k "$tmp/keys"
stage fieldsk3 "ams-fields -k (ciph. l3)" c3 ams-fields -k "$tmp/keys"

# the whole pipeline from raw bytes to JSON
if have ams-fields; then
	pipe_run() {	# INPUT -> seconds, and rss files r1 r2
		t0=$(now)
		if [ -n "$TIME" ]; then
			$TIME -f %M -o "$tmp/r1" "$bin/hdlc-split" < "$1" |
			    $TIME -f %M -o "$tmp/r2" "$bin/ams-fields" > /dev/null
		else
			"$bin/hdlc-split" < "$1" | "$bin/ams-fields" > /dev/null
		fi
		t1=$(now)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
	}
	ps=
	: > "$tmp/rssall"
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		s1=$(pipe_run "$tmp/raw.bin")
		[ -n "$TIME" ] && cat "$tmp/r1" "$tmp/r2" >> "$tmp/rssall"
		ps=$(awk -v s="$s1" -v m="$ps" 'BEGIN { if (m != "" && m < s) s = m; printf "%.3f", s }')
	done
	prss=$(rss "$tmp/rssall")
	pipe_run "$tmp/raw1.bin" > /dev/null
	prss1=$(rss "$tmp/r1" "$tmp/r2")
	row "hdlc-split | ams-fields" "$raw_mb" "$ps" "$raw_cat" "$prss" "$prss1"
	echo "pipeline $nframes $ps $prss $prss1 $raw_cat" >> "$results"
	if have han-split; then
		t0=$(now)
		"$bin/han-split" -p p1 < "$tmp/p1raw.bin" | "$bin/ams-fields" > /dev/null
		t1=$(now)
		p1s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
		row "han-split -p p1 | ams-fields" "$mb_p1raw" "$p1s" "$cat_p1raw" - - "$telegrams"
		echo "p1pipe $telegrams $p1s - - $cat_p1raw" >> "$results"
	fi
else
	skip "hdlc-split | ams-fields" "skipped: ams-fields not built"
fi

# decryption's cost per frame: the ciphered run's extra time over the clear one's, next to
# the clear run's whole time (reading, A-XDR decode, writing)
c3=$(grep '^cosemc3 ' "$results" || true)
k3=$(grep '^cosemk3 ' "$results" || true)
if [ -n "$c3" ] && [ -n "$k3" ]; then
	echo "$c3 $k3" | awk '{ nc = $2; sc = $3; nk = $8; sk = $9
	    dc = sc / nc * 1e6; dk = sk / nk * 1e6
	    printf "decryption (list 3, SC 0x30): %.2f us/frame more than the clear %.2f us/frame (%.0f%%)\n",
	        dk - dc, dc, (dk - dc) / dc * 100 }'
fi

echo
echo "targets:"
# target TAG description awk-condition (s = seconds, c = cat seconds, f = frames/s)
target() {
	line=$(grep "^$1 " "$results" || true)
	if [ -z "$line" ]; then
		printf '  %-46s %s\n' "$2" "not measured"
		return
	fi
	echo "$line" | awk -v d="$2" "{
	    n = \$(NF - 4); s = \$(NF - 3); c = \$NF; f = n / (s > 0 ? s : 0.001)
	    ok = ($3) ? \"met\" : \"NOT met\"
	    printf \"  %-46s %s\\n\", d, ok }"
}
target split "hdlc-split >= half of cat | cat" "c / s >= 0.5"
target cosem23 "cosem-decode >= 200000 list-2/3 frames/s" "f >= 200000"
target fields "ams-fields >= 500000 frames/s (mixed)" "f >= 500000"
target pipeline "hdlc-split | ams-fields >= 300000 frames/s" "f >= 300000"
target p1split "han-split -p p1 within 2x of cat | cat" "c / s >= 0.5"
target mbsplit "han-split -p mbus within 2x of cat | cat" "c / s >= 0.5"
target dbsplit "han-split -p db within 2x of cat | cat" "c / s >= 0.5"
target p1pipe "han-split -p p1 | ams-fields >= 200000 telegrams/s" "f >= 200000"
if [ -n "$c3" ] && [ -n "$k3" ]; then
	echo "$c3 $k3" | awk '{ dc = $3 / $2; dk = $9 / $8
	    printf "  %-46s %s\n", "decryption < the A-XDR decode of the same frame",
	        (dk - dc < dc) ? "met" : "NOT met" }'
fi
if [ -n "$TIME" ]; then
	over=$(awk '{ for (i = NF - 2; i <= NF - 1; i++) if ($i != "-" && $i > 4096) print $1 }' \
	    "$results" | sort -u | tr '\n' ' ')
	if [ -z "$over" ]; then
		echo "  peak RSS <= 4 MB (1 MB and 100 MB inputs)      met"
	else
		echo "  peak RSS <= 4 MB (1 MB and 100 MB inputs)      NOT met: $over"
	fi
fi
