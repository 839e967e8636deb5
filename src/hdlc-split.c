/* hdlc-split: raw HAN port bytes in, one line per valid HDLC frame out.
 * Options and the main loop only; the framer is hdlc.c. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "link/framer.h"
#include "link/hdlc.h"
#include "base/hex.h"
#include "base/io.h"
#include "out/json.h"
#include "out/msg.h"
#include "base/rfc3339.h"

static const char usage_line[] = "usage: hdlc-split [-abcehjSstuVx] [file ...]\n";
static const char help_text[] =
    "Find the valid HDLC frames (IEC 62056-46 type 3) in raw HAN port bytes.\n"
    "  -a  also print rejected frames and skipped junk as '#' comment lines\n"
    "  -b  write the valid frames as raw bytes (a clean binary capture)\n"
    "  -c  print the information field (LLC + APDU) instead of the whole frame\n"
    "  -e  also print frames without an information field\n"
    "  -h  print this help and exit (also --help)\n"
    "  -j  print JSON Lines with the frame's header fields\n"
    "  -S  the link uses octet stuffing (HDLC transparency)\n"
    "  -s  print summary counts on standard error at the end\n"
    "  -t  prefix each line with the time its last byte was read (local time)\n"
    "  -u  like -t, in UTC\n"
    "  -V  print the version and exit (also --version)\n"
    "  -x  the input is hex text (whitespace and '#' comments ignored)\n";

static struct {
	int all, bin, content, empty, json, stuffed, summary, time, utc, hexin;
} opt;

static struct {
	uint64_t frames, empty, bytes, junk, err[HDLC_NERR];
} st;

static struct output out;
static struct link lk;
static struct timespec tread;	/* when the last read returned */
static char tbuf[RFC3339_LEN];
static size_t tlen;		/* 0: tbuf not yet formatted for tread */

static const char *
stamp(void)
{
	if (!tlen)
		tlen = rfc3339_format(tbuf, &tread, opt.utc);
	return tbuf;
}

static void
put_hexfield(const char *key, const uint8_t *p, size_t n)
{
	out_str(&out, key);
	json_hex(&out, p, n);
}

/* -j: a frame (rejections and junk are put_run() and put_junk()). */
static void
put_json(const struct link_report *r)
{
	const struct hdlc_frame *f = r->hdr;

	out_str(&out, "{\"offset\":");
	out_u64(&out, r->offset);
	if (opt.time) {
		out_str(&out, ",\"time\":\"");
		out_str(&out, stamp());
		out_char(&out, '"');
	}
	out_str(&out, ",\"length\":");
	out_u64(&out, r->len - 2);
	out_str(&out, f->segmented ? ",\"segmented\":true" : ",\"segmented\":false");
	put_hexfield(",\"dst\":", f->dst, f->dst_len);
	put_hexfield(",\"src\":", f->src, f->src_len);
	put_hexfield(",\"control\":", &f->control, 1);
	out_str(&out, ",\"info_length\":");
	out_u64(&out, f->info_len);
	out_str(&out, ",\"ok\":true");
	if (opt.content)
		put_hexfield(",\"hex\":", r->payload, r->payload_len);
	else
		put_hexfield(",\"hex\":", r->p, r->len);
	out_str(&out, "}\n");
}

static void
put_line(const uint8_t *p, size_t n)
{
	if (opt.time) {
		out_str(&out, stamp());
		out_char(&out, ' ');
	}
	out_hexline(&out, p, n);
}

/* -a comment lines are bounded on any input: rejections in a row, with only junk between
 * them, are one line with counts (named by the first one's token), and a dump never shows
 * a byte an earlier comment line showed. A run is held until a frame or the end comes. */
static struct {
	int held, err;
	uint64_t off, count, junk, trail, trail_off;
	uint64_t n[HDLC_NERR];	/* rejections in the run by kind */
	size_t len;
	uint8_t bytes[HDLC_MAX_FRAME];
} run;
static uint64_t shown_until;	/* stream bytes before this were dumped in a comment */

/* The bytes of the held rejection not shown yet: *skip of them were. */
static const uint8_t *
unshown(size_t *n, size_t *skip)
{
	uint64_t from = run.off > shown_until ? run.off : shown_until;

	*skip = from >= run.off + run.len ? run.len : (size_t)(from - run.off);
	*n = run.len - *skip;
	if (run.off + run.len > shown_until)
		shown_until = run.off + run.len;
	return run.bytes + *skip;
}

static void
put_junk(uint64_t n, uint64_t off)
{
	char num[64];

	if (opt.json) {
		out_str(&out, "{\"offset\":");
		out_u64(&out, off);
		if (opt.time) {
			out_str(&out, ",\"time\":\"");
			out_str(&out, stamp());
			out_char(&out, '"');
		}
		out_str(&out, ",\"junk\":");
		out_u64(&out, n);
		out_str(&out, "}\n");
	} else {
		snprintf(num, sizeof num, "# junk %llu bytes @%llu\n", (unsigned long long)n,
		    (unsigned long long)off);
		out_str(&out, num);
	}
	out_end(&out);
}

/* Write the held run (and the junk after its last rejection). */
static void
put_run(void)
{
	size_t n, skip;
	const uint8_t *p;
	char num[256];

	if (!run.held)
		return;
	run.held = 0;
	p = unshown(&n, &skip);
	if (opt.json) {
		out_str(&out, "{\"offset\":");
		out_u64(&out, run.off);
		if (opt.time) {
			out_str(&out, ",\"time\":\"");
			out_str(&out, stamp());
			out_char(&out, '"');
		}
		out_str(&out, ",\"ok\":false,\"error\":\"");
		out_str(&out, lk.fr->errname(run.err));
		out_char(&out, '"');
		if (run.count > 1) {
			const char *sep = "{";
			out_str(&out, ",\"count\":");
			out_u64(&out, run.count);
			out_str(&out, ",\"errors\":");
			for (int e = 1; e < HDLC_NERR; e++) {
				if (!run.n[e])
					continue;
				out_str(&out, sep);
				out_char(&out, '"');
				out_str(&out, lk.fr->errname(e));
				out_str(&out, "\":");
				out_u64(&out, run.n[e]);
				sep = ",";
			}
			out_char(&out, '}');
		}
		if (run.junk) {
			out_str(&out, ",\"junk_between\":");
			out_u64(&out, run.junk);
		}
		if (skip) {
			out_str(&out, ",\"bytes_offset\":");
			out_u64(&out, run.off + skip);
		}
		put_hexfield(",\"bytes\":", p, n);
		out_str(&out, "}\n");
	} else {
		int k = snprintf(num, sizeof num, "# %s @%llu", lk.fr->errname(run.err),
		    (unsigned long long)run.off);
		if (run.count > 1) {
			k += snprintf(num + k, sizeof num - (size_t)k, " x%llu",
			    (unsigned long long)run.count);
			if (run.n[run.err] != run.count) {
				/* other kinds in the run too: each with its count */
				for (int e = 1; e < HDLC_NERR; e++)
					if (run.n[e] && k < (int)sizeof num - 24)
						k += snprintf(num + k, sizeof num - (size_t)k, " %s=%llu",
						    lk.fr->errname(e), (unsigned long long)run.n[e]);
			}
		}
		if (run.junk)
			k += snprintf(num + k, sizeof num - (size_t)k, " junk=%llu",
			    (unsigned long long)run.junk);
		if (skip)
			k += snprintf(num + k, sizeof num - (size_t)k, " +%zu", skip);
		out_str(&out, num);
		out_char(&out, ' ');
		put_line(p, n);
	}
	out_end(&out);
	if (run.trail)
		put_junk(run.trail, run.trail_off);
	run.trail = 0;
}

static void
put_report(const struct link_report *r)
{
	switch (r->ev) {
	case LINK_JUNK:
		st.junk += r->junk;
		if (!opt.all)
			return;
		if (run.held) {
			/* junk after a rejection: between two of a run, or after its last */
			if (!run.trail)
				run.trail_off = r->offset;
			run.trail += r->junk;
			return;
		}
		put_junk(r->junk, r->offset);
		return;
	case LINK_REJECT:
		st.err[r->err]++;
		if (!opt.all)
			return;
		if (run.held) {
			run.count++;
			run.n[r->err]++;
			run.junk += run.trail;
			run.trail = 0;
			return;
		}
		run.held = 1;
		run.err = r->err;
		run.off = r->offset;
		run.count = 1;
		memset(run.n, 0, sizeof run.n);
		run.n[r->err] = 1;
		run.junk = run.trail = 0;
		run.len = r->len <= sizeof run.bytes ? r->len : sizeof run.bytes;
		memcpy(run.bytes, r->p, run.len);
		return;
	case LINK_UNIT:
		put_run();
		if (!r->payload) {
			st.empty++;
			if (!opt.empty)
				return;
		} else {
			st.frames++;
		}
		if (opt.bin)
			out_write(&out, r->p, r->len);
		else if (opt.json)
			put_json(r);
		else if (opt.content)
			put_line(r->payload, r->payload_len);
		else
			put_line(r->p, r->len);
		return;
	}
}
/* Each report is one record of the output. */
static void
on_report(const struct link_report *r, void *ctx)
{
	(void)ctx;
	put_report(r);
	out_end(&out);
}

/* -x: hex text to bytes, keeping a half byte and a comment across reads. */
static struct {
	int nib;		/* pending high nibble, or -1 */
	int comment;		/* inside a '#' comment */
	uint64_t badchars;
} hx = { -1, 0, 0 };

static size_t
unhex(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int c = src[i], d;
		if (hx.comment) {
			if (c == '\n')
				hx.comment = 0;
			continue;
		}
		if ((d = hex_digit(c)) >= 0) {
			if (hx.nib < 0) {
				hx.nib = d;
			} else {
				dst[k++] = (uint8_t)(hx.nib << 4 | d);
				hx.nib = -1;
			}
		} else if (c == '#') {
			hx.comment = 1;
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' &&
		    c != '\f') {
			hx.badchars++;
			hx.nib = -1;
		}
	}
	return k;
}

static void
summary(void)
{
	fprintf(stderr, "hdlc-split: frames=%llu empty=%llu bytes=%llu",
	    (unsigned long long)st.frames, (unsigned long long)st.empty,
	    (unsigned long long)st.bytes);
	for (int e = HDLC_ERR_TYPE + 1; e < HDLC_NERR; e++) {
		if (e == HDLC_ERR_STUFFING && !opt.stuffed)
			continue;
		fprintf(stderr, " %s=%llu", hdlc_errname((enum hdlc_err)e),
		    (unsigned long long)st.err[e]);
	}
	fprintf(stderr, " junk=%llu\n", (unsigned long long)st.junk);
}

static void
write_failed(void)
{
	errno = out.err;
	err(1, "write error");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t buf[IN_BUFSZ], hbuf[IN_BUFSZ / 2 + 1];
	struct input in;
	int c, rc = 0, r;

	io_std_open();
	while ((c = getopt_long(argc, argv, "abcehjSstuVx", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': opt.all = 1; break;
		case 'b': opt.bin = 1; break;
		case 'c': opt.content = 1; break;
		case 'e': opt.empty = 1; break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'j': opt.json = 1; break;
		case 'S': opt.stuffed = 1; break;
		case 's': opt.summary = 1; break;
		case 't': opt.time = 1; break;
		case 'u': opt.time = opt.utc = 1; break;
		case 'x': opt.hexin = 1; break;
		case 'V':
			printf("%s (hantools) %s\n", "hdlc-split", HAN_VERSION);
			return 0;
		default:
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (opt.bin && (opt.all || opt.json || opt.time || opt.content)) {
		fputs("hdlc-split: -b cannot be combined with -a, -c, -j, -t or -u\n", stderr);
		fputs(usage_line, stderr);
		return 2;
	}

	out_init(&out, 1);
	out_guard(&out);
	link_init(&lk, &framers[0], opt.stuffed ? LINK_STUFFED : 0);
	input_init(&in, argv + optind, argc - optind, &out);
	while ((r = input_next(&in)) != 0) {
		if (r < 0) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
			continue;
		}
		for (;;) {
			/* bytes are read straight into the framer's buffer; hex text is decoded
			 * into it */
			size_t room = sizeof buf;
			uint8_t *dst = opt.hexin ? buf : link_space(&lk, &room);
			ssize_t n = input_read(&in, dst, room);
			if (n < 0) {
				msg_warn(&out, "%s", in.name);
				rc = 1;
				break;
			}
			if (n == 0)
				break;
			if (opt.time) {
				clock_gettime(CLOCK_REALTIME, &tread);
				tlen = 0;
			}
			st.bytes += (uint64_t)n;
			if (opt.hexin)
				link_feed(&lk, hbuf, unhex(hbuf, buf, (size_t)n), on_report, NULL);
			else
				link_commit(&lk, (size_t)n, on_report, NULL);
			if (out.err)
				write_failed();
		}
	}
	link_finish(&lk, on_report, NULL);
	put_run();
	if (hx.badchars) {
		msg_warnx(&out, "%llu characters that are not hex skipped",
		    (unsigned long long)hx.badchars);
	}
	if (out_flush(&out) < 0)
		write_failed();
	if (opt.summary) {
		summary();
		if (fflush(stderr) == EOF || ferror(stderr))
			return 1;	/* the counts asked for could not be written */
	}
	return rc;
}
