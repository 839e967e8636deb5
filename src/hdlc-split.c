/* han-split (also installed as hdlc-split): raw HAN or P1 port bytes in, one record per
 * valid unit out: a line per HDLC frame, a telegram's own lines per P1 telegram.
 * Options and the main loop only; the framers are rows of link/framer.c. Called as
 * hdlc-split it reads HDLC unless -p says otherwise, byte for byte as it always has. */
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
#include "link/p1.h"
#include "link/mbus.h"
#include "link/dbenv.h"
#include "link/hold.h"
#include "base/fail.h"
#include "link/reasm.h"
#include "cosem/gbt.h"
#include "base/hex.h"
#include "base/io.h"
#include "out/json.h"
#include "out/msg.h"
#include "base/rfc3339.h"

static const char *prog = "hdlc-split";
static const char usage_fmt[] = "usage: %s [-7AabcehjSstuVx] [-p hdlc|p1|mbus|db|auto] [file ...]\n";
static const char help_text[] =
    "Find the valid HDLC frames (IEC 62056-46 type 3) and P1 telegrams (DSMR, IEC 62056-21)\n"
    "in raw HAN or P1 port bytes.\n"
    "  -7  clear the eighth bit of every byte: a 7E1 line read as 8N1 (DSMR 2.2, 3)\n"
    "  -A  write whole APDUs: segments and GBT blocks joined, link headers dropped\n"
    "  -a  also print rejected frames and skipped junk as '#' comment lines\n"
    "  -b  write the valid frames as raw bytes (a clean binary capture)\n"
    "  -c  print the information field (LLC + APDU) instead of the whole frame\n"
    "  -e  also print frames without an information field\n"
    "  -h  print this help and exit (also --help)\n"
    "  -j  print JSON Lines with the frame's header fields\n"
    "  -p  the link: hdlc, p1, mbus, db (bare ciphered APDUs) or auto (each unit by its\n"
    "      first bytes); hdlc-split reads hdlc by default, han-split auto\n"
    "  -S  the link uses octet stuffing (HDLC transparency)\n"
    "  -s  print summary counts on standard error at the end\n"
    "  -t  prefix each line with the time its last byte was read (local time)\n"
    "  -u  like -t, in UTC\n"
    "  -V  print the version and exit (also --version)\n"
    "  -x  the input is hex text (whitespace and '#' comments ignored)\n";

static struct {
	int all, bin, content, empty, json, stuffed, summary, time, utc, hexin;
	int hdlc, p1, mbus, db;	/* the framers that run (-p auto: all) */
	int seven;		/* -7 */
	int whole;		/* -A */
} opt;

/* -A: the pieces of each message joined here, as the decoders would join them. */
static struct reasm ra;
static struct gbt gbt;
static void put_whole(const struct link_report *r);

/* Silence explained: when no unit has come out of the first SNIFF_SAY bytes, say once what
 * the first SNIFF bytes look like, so a wrong speed, parity or -p is found. */
#define SNIFF 4096
#define SNIFF_SAY 8192
static struct {
	size_t n;
	unsigned text, high, text7, flags, slash;
	int said;
} sn;

#define MAXERR 16		/* above every framer's nerr */

static struct {
	uint64_t frames, empty, telegrams, unchecked, mframes, mshort, dbs, bytes, junk;
	uint64_t apdus, lost;	/* -A: whole APDUs written; pieces that made none */
	uint64_t err[LINK_NKINDS][MAXERR];	/* by framer (enum link_kind) */
} st;

static struct output out;
static struct link lk[LINK_NKINDS];	/* by enum link_kind: framers[]'s rows */
static struct hold held;		/* -p auto: the DB envelope's units, until checked */

/* More than one framer runs: -p auto. */
static int
several(void)
{
	return opt.hdlc + opt.p1 + opt.mbus + opt.db > 1;
}

/* Whether the framer of kind k runs. */
static int
runs(enum link_kind k)
{
	return k == LINK_HDLC ? opt.hdlc : k == LINK_P1 ? opt.p1 : k == LINK_MBUS ? opt.mbus :
	    opt.db;
}

static const char *(*errname_of(enum link_kind k))(int)
{
	return framer_of(k)->errname;
}
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

/* -j: what every JSON line starts with: the offset, and the time with -t. */
static void
json_head(uint64_t offset)
{
	out_str(&out, "{\"offset\":");
	out_u64(&out, offset);
	if (opt.time) {
		out_str(&out, ",\"time\":\"");
		out_str(&out, stamp());
		out_char(&out, '"');
	}
}

/* -j: a P1 telegram, its text as one JSON string (line ends LF, as in the text form). */
static void
put_json_p1(const struct link_report *r)
{
	const struct p1_telegram *t = r->hdr;
	static char text[P1_MAX];
	size_t n = 0;

	for (size_t i = 0; i < r->len; i++)
		if (!(r->p[i] == '\r' && i + 1 < r->len && r->p[i + 1] == '\n'))
			text[n++] = (char)r->p[i];
	json_head(r->offset);
	out_str(&out, ",\"link\":\"p1\",\"length\":");
	out_u64(&out, r->len);
	out_str(&out, t->checked ? ",\"crc\":true" : ",\"crc\":false");
	out_str(&out, ",\"ok\":true,\"text\":");
	json_str(&out, text, n);
	out_str(&out, "}\n");
}

/* A P1 telegram as text: its own lines, the CR of each CR LF left out, the capture time
 * before the "/". */
static void
put_telegram(const struct link_report *r)
{
	size_t from = 0;

	if (opt.time) {
		out_str(&out, stamp());
		out_char(&out, ' ');
	}
	for (size_t i = 0; i < r->len; i++)
		if (r->p[i] == '\r' && i + 1 < r->len && r->p[i + 1] == '\n') {
			out_write(&out, r->p + from, i - from);
			from = i + 1;
		}
	out_write(&out, r->p + from, r->len - from);
	out_char(&out, '\n');
}

/* -j: an M-Bus frame. */
static void
put_json_mbus(const struct link_report *r)
{
	const struct mbus_frame *f = r->hdr;

	json_head(r->offset);
	out_str(&out, ",\"link\":\"mbus\",\"length\":");
	out_u64(&out, r->len);
	put_hexfield(",\"c\":", &f->c, 1);
	put_hexfield(",\"a\":", &f->a, 1);
	if (f->kind == 'L') {
		put_hexfield(",\"ci\":", &f->ci, 1);
		out_str(&out, ",\"data_length\":");
		out_u64(&out, f->data_len);
	}
	out_str(&out, ",\"ok\":true");
	if (opt.content && r->payload)
		put_hexfield(",\"hex\":", r->payload, r->payload_len);
	else
		put_hexfield(",\"hex\":", r->p, r->len);
	out_str(&out, "}\n");
}

/* -j: a bare ciphered APDU: its header fields (never anything of a key: there is none). */
static void
put_json_db(const struct link_report *r)
{
	const struct dbenv_hdr *h = r->hdr;
	char sc[8];

	json_head(r->offset);
	out_str(&out, ",\"link\":\"db\",\"length\":");
	out_u64(&out, r->len);
	put_hexfield(",\"system_title\":", h->systitle, DBENV_TITLE_LEN);
	snprintf(sc, sizeof sc, "%02x", h->sc);
	out_str(&out, ",\"security\":\"");
	out_str(&out, sc);
	out_str(&out, "\",\"invocation_counter\":");
	out_u64(&out, h->ic);
	out_str(&out, ",\"ok\":true");
	put_hexfield(",\"hex\":", r->p, r->len);
	out_str(&out, "}\n");
}

/* -j: a frame (rejections and junk are put_run() and put_junk()). */
static void
put_json(const struct link_report *r)
{
	const struct hdlc_frame *f = r->hdr;

	json_head(r->offset);
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
	const char *(*errname)(int);	/* the framer whose rejections the run holds */
	int nerr;
	uint64_t off, count, junk, trail, trail_off;
	uint64_t n[MAXERR];	/* rejections in the run by kind */
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
		json_head(off);
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
		json_head(run.off);
		out_str(&out, ",\"ok\":false,\"error\":\"");
		out_str(&out, run.errname(run.err));
		out_char(&out, '"');
		if (run.count > 1) {
			const char *sep = "{";
			out_str(&out, ",\"count\":");
			out_u64(&out, run.count);
			out_str(&out, ",\"errors\":");
			for (int e = 1; e < run.nerr; e++) {
				if (!run.n[e])
					continue;
				out_str(&out, sep);
				out_char(&out, '"');
				out_str(&out, run.errname(e));
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
		int k = snprintf(num, sizeof num, "# %s @%llu", run.errname(run.err),
		    (unsigned long long)run.off);
		if (run.count > 1) {
			k += snprintf(num + k, sizeof num - (size_t)k, " x%llu",
			    (unsigned long long)run.count);
			if (run.n[run.err] != run.count) {
				/* other kinds in the run too: each with its count */
				for (int e = 1; e < run.nerr; e++)
					if (run.n[e] && k < (int)sizeof num - 24)
						k += snprintf(num + k, sizeof num - (size_t)k, " %s=%llu",
						    run.errname(e), (unsigned long long)run.n[e]);
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
put_report1(const struct link_report *r)
{
	switch (r->ev) {
	case LINK_JUNK:
		if (several())
			return;	/* -p auto: one framer's junk is another's units */
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
		if (r->kind == LINK_P1 && several() && !((const struct p1_telegram *)r->hdr)->past_ident)
			return;	/* -p auto: a "/" inside binary data, not a telegram */
		if (r->kind == LINK_DB && several())
			return;	/* -p auto: a DB byte inside a frame or in junk, unchecked */
		st.err[r->kind][r->err]++;
		if (!opt.all)
			return;
		if (run.held && run.errname != errname_of(r->kind))
			put_run();
		if (run.held) {
			run.count++;
			run.n[r->err]++;
			run.junk += run.trail;
			run.trail = 0;
			return;
		}
		run.held = 1;
		run.errname = errname_of(r->kind);
		run.nerr = framer_of(r->kind)->nerr;
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
		if (r->kind == LINK_P1) {
			st.telegrams++;
			if (!((const struct p1_telegram *)r->hdr)->checked)
				st.unchecked++;
			if (opt.bin) {
				out_write(&out, r->p, r->len);
				out_str(&out, "\r\n");
			} else if (opt.json) {
				put_json_p1(r);
			} else {
				put_telegram(r);
			}
			return;
		}
		if (r->kind == LINK_DB) {
			st.dbs++;
			if (opt.whole) {
				st.apdus++;
				put_line(r->p, r->len);
			} else if (opt.bin) {
				out_write(&out, r->p, r->len);
			} else if (opt.json) {
				put_json_db(r);
			} else {
				put_line(r->p, r->len);	/* the APDU, as -c and -A write it too */
			}
			return;
		}
		/* an HDLC or M-Bus frame: counted by kind, written alike */
		if (!r->payload) {
			++*(r->kind == LINK_MBUS ? &st.mshort : &st.empty);
			if (!opt.empty)
				return;
		} else {
			++*(r->kind == LINK_MBUS ? &st.mframes : &st.frames);
		}
		if (opt.whole) {
			if (r->payload)
				put_whole(r);
			return;
		}
		if (opt.bin)
			out_write(&out, r->p, r->len);
		else if (opt.json)
			(r->kind == LINK_MBUS ? put_json_mbus : put_json)(r);
		else if (opt.content && (r->payload || r->kind == LINK_HDLC))
			put_line(r->payload, r->payload_len);	/* HDLC -c -e: an empty line, as ever */
		else
			put_line(r->p, r->len);
		return;
	}
}
/* -A: a piece that made no APDU, as a comment line with -a. */
static void
put_lost(enum fail why, uint64_t off)
{
	char num[96];

	st.lost++;
	if (!opt.all)
		return;
	snprintf(num, sizeof num, "# %s @%llu\n", fail_token(why), (unsigned long long)off);
	out_str(&out, num);
}

/* -A: the link payload of a unit (an HDLC information field, or an M-Bus segment's CI and
 * data) through segment and block reassembly; a whole APDU is written, without its LLC. */
static void
put_whole(const struct link_report *r)
{
	const uint8_t *p = NULL, *key;
	size_t n = 0, kl;
	uint8_t addr[8];
	enum fail why = FAIL_NONE;
	enum reasm_status rs;

	ra.tag = gbt.tag = (long)(r->offset & 0x7fffffff);
	if (r->kind == LINK_MBUS) {
		const struct mbus_frame *f = r->hdr;
		addr[0] = f->a;
		kl = 1;
		rs = reasm_mbus(&ra, f->a, f->ci, f->data, f->data_len, &p, &n, &why);
	} else {
		const struct hdlc_frame *f = r->hdr;
		memcpy(addr, f->dst, f->dst_len);
		memcpy(addr + f->dst_len, f->src, f->src_len);
		kl = (size_t)f->dst_len + f->src_len;
		rs = reasm_hdlc(&ra, addr, kl, f->segmented, r->payload, r->payload_len, &p, &n,
		    &why);
	}
	key = addr;
	if (rs == REASM_ERROR)
		put_lost(why, r->offset);
	if (rs == REASM_MORE || !p)
		return;
	if (n >= 3 && p[0] == 0xe6 && (p[1] == 0xe7 || p[1] == 0xe6) && p[2] == 0)
		p += 3, n -= 3;
	if (gbt_is_block(p, n) && n >= 4 && (p[2] | p[3])) {
		switch (gbt_block(&gbt, key, kl, p, n, &p, &n, &why)) {
		case GBT_MORE:
			return;
		case GBT_ERROR:
			put_lost(why, r->offset);
			if (!p)
				return;
			break;
		case GBT_WHOLE:
			break;
		}
	}
	st.apdus++;
	put_line(p, n);
}

/* Junk held back: a framer may report the junk inside a candidate it could not yet judge
 * before that candidate's rejection, and in two parts when a read ended inside it. Runs
 * that touch are joined, and a report of bytes before the held junk goes first, so the
 * output is the same whatever the read boundaries. */
static struct {
	int held;
	enum link_kind kind;
	uint64_t off, n;
} pj;

static void
flush_junk(void)
{
	struct link_report j;

	if (!pj.held)
		return;
	memset(&j, 0, sizeof j);
	j.ev = LINK_JUNK;
	j.kind = pj.kind;
	j.offset = pj.off;
	j.junk = pj.n;
	pj.held = 0;
	put_report1(&j);
}

static void
put_report(const struct link_report *r)
{
	if (r->ev == LINK_JUNK) {
		if (pj.held && pj.kind == r->kind && pj.off + pj.n == r->offset) {
			pj.n += r->junk;
			return;
		}
		flush_junk();
		pj.held = 1;
		pj.kind = r->kind;
		pj.off = r->offset;
		pj.n = r->junk;
		return;
	}
	if (pj.held && r->offset < pj.off) {
		/* this report is of bytes before the held junk: it goes first */
		struct link_report later;
		memset(&later, 0, sizeof later);
		later.ev = LINK_JUNK;
		later.kind = pj.kind;
		later.offset = pj.off;
		later.junk = pj.n;
		pj.held = 0;
		put_report1(r);
		put_report(&later);
		return;
	}
	flush_junk();
	put_report1(r);
}

/* A DB unit let go by the hold. */
static void
on_released(const struct link_report *r, void *ctx)
{
	(void)ctx;
	put_report(r);
	out_end(&out);
}

/* Each report is one record of the output; -p auto holds the DB envelope's units until
 * the checked framers have passed their bytes (link/hold.h). */
static void
on_report(const struct link_report *r, void *ctx)
{
	(void)ctx;
	if (several() && opt.db && r->ev == LINK_UNIT) {
		if (r->kind == LINK_DB) {
			hold_unit(&held, r, on_released, NULL);
			return;
		}
		hold_checked(&held, r);
	}
	put_report(r);
	out_end(&out);
}

/* -p auto: the held DB units no checked framer can still claim. */
static void
release_held(void)
{
	uint64_t settled = UINT64_MAX;

	if (!several() || !opt.db)
		return;
	for (int k = 0; k < LINK_NKINDS; k++)
		if (runs((enum link_kind)k) && framer_of((enum link_kind)k)->checked) {
			uint64_t s = link_settled(&lk[k]);
			if (s < settled)
				settled = s;
		}
	hold_release(&held, settled, link_settled(&lk[LINK_DB]), on_released, NULL);
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
	fprintf(stderr, "%s:", prog);
	if (opt.hdlc)
		fprintf(stderr, " frames=%llu empty=%llu", (unsigned long long)st.frames,
		    (unsigned long long)st.empty);
	if (opt.p1)
		fprintf(stderr, " telegrams=%llu unchecked=%llu", (unsigned long long)st.telegrams,
		    (unsigned long long)st.unchecked);
	if (opt.mbus)
		fprintf(stderr, " mbus-frames=%llu mbus-short=%llu", (unsigned long long)st.mframes,
		    (unsigned long long)st.mshort);
	if (opt.db)
		fprintf(stderr, " db-apdus=%llu", (unsigned long long)st.dbs);
	if (opt.whole)
		fprintf(stderr, " apdus=%llu lost-pieces=%llu", (unsigned long long)st.apdus,
		    (unsigned long long)st.lost);
	fprintf(stderr, " bytes=%llu", (unsigned long long)st.bytes);
	if (opt.hdlc)
		for (int e = HDLC_ERR_TYPE + 1; e < HDLC_NERR; e++) {
			if (e == HDLC_ERR_STUFFING && !opt.stuffed)
				continue;
			fprintf(stderr, " %s=%llu", hdlc_errname((enum hdlc_err)e),
			    (unsigned long long)st.err[LINK_HDLC][e]);
		}
	if (opt.p1)
		for (int e = P1_ERR_CRC; e < P1_NERR; e++) {
			if (opt.hdlc && e == P1_ERR_TRUNCATED)
				continue;	/* shown once, as the HDLC count */
			fprintf(stderr, " %s=%llu", p1_errname(e),
			    (unsigned long long)st.err[LINK_P1][e]);
		}
	if (opt.mbus)
		for (int e = MBUS_ERR_CHECKSUM; e < MBUS_NERR; e++) {
			if ((opt.hdlc || opt.p1) && e == MBUS_ERR_TRUNCATED)
				continue;
			fprintf(stderr, " %s=%llu", mbus_errname(e),
			    (unsigned long long)st.err[LINK_MBUS][e]);
		}
	if (opt.db && !several())	/* -p auto leaves their rejections out */
		for (int e = DBENV_ERR_LENGTH; e < DBENV_NERR; e++)
			fprintf(stderr, " %s=%llu", dbenv_errname(e),
			    (unsigned long long)st.err[LINK_DB][e]);
	if (!several())
		fprintf(stderr, " junk=%llu", (unsigned long long)st.junk);
	fputc('\n', stderr);
}

static void
write_failed(void)
{
	errno = out.err;
	err(1, "write error");
}

static void
sniff(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && sn.n < SNIFF; i++, sn.n++) {
		int c = p[i], c7 = c & 0x7f;
		sn.text += (c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t';
		sn.text7 += (c7 >= 0x20 && c7 < 0x7f) || c7 == '\r' || c7 == '\n' || c7 == '\t';
		sn.high += c >= 0x80;
		sn.flags += c == HDLC_FLAG;
		sn.slash += c7 == '/';
	}
}

static void
sniff_say(int at_end)
{
	const char *what;
	size_t n = sn.n;

	if (sn.said || st.frames || st.empty || st.telegrams || st.mframes || st.mshort || st.dbs ||
	    st.bytes < (at_end ? SNIFF : SNIFF_SAY))
		return;
	sn.said = 1;
	if (sn.text * 10 >= n * 9 && sn.slash)
		what = opt.p1 ? "they look like P1 text, but no telegram passed its checks (-a "
		    "shows why)" : "they look like P1 text: read them with -p p1 (han-split reads "
		    "both)";
	else if (sn.text7 * 10 >= n * 9 && sn.high * 5 >= n && !opt.seven)
		what = "they look like 7-bit text with a parity bit, a 7E1 line read as 8N1 (DSMR "
		    "2.2 and 3 at 9600 baud): try -7";
	else if (sn.flags * 100 >= n)
		what = opt.hdlc ? "HDLC flags but no frame that checks: wrong speed or parity? (-a "
		    "shows the rejects)" : "they look like HDLC frames: read them with -p hdlc";
	else
		what = opt.hdlc ? "next to no HDLC flags: wrong speed or parity, or not a HAN port?" :
		    "neither HDLC nor P1: wrong speed or parity?";
	msg_warnx(&out, "no valid %s in the first %llu bytes: %s",
	    several() ? "frame or telegram" : opt.p1 ? "telegram" : "frame",
	    (unsigned long long)st.bytes, what);
}

static void
usage(FILE *f)
{
	fprintf(f, usage_fmt, prog);
}

/* Feed bytes to every framer that runs (-p auto: all of them see the same bytes). */
static void
feed(const uint8_t *p, size_t n)
{
	/* with the DB row, in slices, so the checked units whose spans the hold keeps are
	 * never more than it keeps (link/hold.h) */
	size_t step = several() && opt.db ? HOLD_SLICE : n;

	for (size_t at = 0; at < n; at += step) {
		size_t k = n - at < step ? n - at : step;
		for (int i = 0; i < LINK_NKINDS; i++)
			if (runs((enum link_kind)i))
				link_feed(&lk[i], p + at, k, on_report, NULL);
		release_held();
	}
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
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	const char *link = "hdlc";

	base = base ? base + 1 : argv[0];
	if (base && strcmp(base, "han-split") == 0) {
		prog = "han-split";
		link = "auto";
	}
	io_std_open();
	while ((c = getopt_long(argc, argv, "7Aabcehjp:SstuVx", longopts, NULL)) != -1) {
		switch (c) {
		case '7': opt.seven = 1; break;
		case 'A': opt.whole = 1; break;
		case 'a': opt.all = 1; break;
		case 'b': opt.bin = 1; break;
		case 'c': opt.content = 1; break;
		case 'e': opt.empty = 1; break;
		case 'h':
			usage(stdout);
			fputs(help_text, stdout);
			return 0;
		case 'j': opt.json = 1; break;
		case 'p':
			if (strcmp(optarg, "auto") && !framer_byname(optarg, strlen(optarg))) {
				fprintf(stderr, "%s: -p takes hdlc, p1, mbus, db or auto, not '%s'\n",
				    prog, optarg);
				usage(stderr);
				return 2;
			}
			link = optarg;
			break;
		case 'S': opt.stuffed = 1; break;
		case 's': opt.summary = 1; break;
		case 't': opt.time = 1; break;
		case 'u': opt.time = opt.utc = 1; break;
		case 'x': opt.hexin = 1; break;
		case 'V':
			printf("%s (hantools) %s\n", prog, HAN_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (opt.whole && (opt.bin || opt.json || opt.content || opt.stuffed)) {
		fprintf(stderr, "%s: -A cannot be combined with -b, -c, -j or -S\n", prog);
		usage(stderr);
		return 2;
	}
	if (opt.bin && (opt.all || opt.json || opt.time || opt.content)) {
		fprintf(stderr, "%s: -b cannot be combined with -a, -c, -j, -t or -u\n", prog);
		usage(stderr);
		return 2;
	}
	opt.hdlc = !strcmp(link, "hdlc") || !strcmp(link, "auto");
	opt.p1 = !strcmp(link, "p1") || !strcmp(link, "auto");
	opt.mbus = !strcmp(link, "mbus") || !strcmp(link, "auto");
	opt.db = !strcmp(link, "db") || !strcmp(link, "auto");

	out_init(&out, 1);
	out_guard(&out);
	for (int k = 0; k < LINK_NKINDS; k++)
		if (runs((enum link_kind)k))
			link_init(&lk[k], framer_of((enum link_kind)k), opt.stuffed ? LINK_STUFFED : 0);
	hold_init(&held);
	input_init(&in, argv + optind, argc - optind, &out);
	while ((r = input_next(&in)) != 0) {
		if (r < 0) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
			continue;
		}
		for (;;) {
			/* one framer: bytes are read straight into its buffer; hex text, and the
			 * bytes both framers of -p auto see, are copied in */
			int direct = !opt.hexin && !several() && !opt.seven;
			struct link *one = &lk[opt.hdlc ? LINK_HDLC : opt.p1 ? LINK_P1 : opt.mbus ?
			    LINK_MBUS : LINK_DB];
			size_t room = sizeof buf;
			uint8_t *dst = direct ? link_space(one, &room) : buf;
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
			if (sn.n < SNIFF)
				sniff(dst, (size_t)n);
			if (opt.seven)
				for (ssize_t i = 0; i < n; i++)
					dst[i] &= 0x7f;
			if (direct)
				link_commit(one, (size_t)n, on_report, NULL);
			else if (opt.hexin)
				feed(hbuf, unhex(hbuf, buf, (size_t)n));
			else
				feed(buf, (size_t)n);
			if (out.err)
				write_failed();
			if (!sn.said)
				sniff_say(0);
		}
	}
	for (int k = 0; k < LINK_NKINDS; k++)
		if (runs((enum link_kind)k))
			link_finish(&lk[k], on_report, NULL);
	hold_release(&held, UINT64_MAX, UINT64_MAX, on_released, NULL);
	flush_junk();
	put_run();
	if (opt.whole) {
		long tag;
		while (reasm_pending(&ra, &tag) || gbt_pending(&gbt, &tag)) {
			put_lost(FAIL_SEGMENT, (uint64_t)tag);
			out_end(&out);
		}
	}
	sniff_say(1);
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
