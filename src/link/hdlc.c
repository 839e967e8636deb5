/* HDLC frame checks and the incremental framer; see hdlc.h for the promises. */
#include <stddef.h>
#include <string.h>
#include "base/fail.h"
#include "link/crc.h"
#include "link/hdlc.h"

#define MIN_LEN 7	/* format 2 + dst 1 + src 1 + control 1 + FCS 2 */
#define MAX_HEADER (2 + 4 + 4 + 1 + 2)	/* format, addresses, control, HCS */

static const enum fail tokens[HDLC_NERR] = {
	[HDLC_OK] = FAIL_NONE,
	[HDLC_ERR_TYPE] = FAIL_BAD_TYPE,
	[HDLC_ERR_LENGTH] = FAIL_BAD_LENGTH,
	[HDLC_ERR_ADDR] = FAIL_BAD_ADDRESS,
	[HDLC_ERR_HCS] = FAIL_BAD_HCS,
	[HDLC_ERR_FCS] = FAIL_BAD_FCS,
	[HDLC_ERR_FLAG] = FAIL_NO_CLOSING_FLAG,
	[HDLC_ERR_TRUNCATED] = FAIL_TRUNCATED,
	[HDLC_ERR_STUFFING] = FAIL_BAD_ESCAPE,
};

const char *
hdlc_errname(int e)
{
	return fail_token(e >= 0 && e < HDLC_NERR ? tokens[e] : FAIL_N);
}

static unsigned
le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Parse the header of the frame content c (format field first) with avail bytes read so
 * far. Return HDLC_OK with *hlen (format + addresses + control) set, HDLC_ERR_TRUNCATED
 * when more bytes are needed to tell, or the error; *hlen is then the bytes looked at.
 * Fills the header fields of f. */
static enum hdlc_err
parse_header(const uint8_t *c, size_t avail, struct hdlc_frame *f, size_t *hlen)
{
	size_t i = 2, k;
	unsigned len;

	*hlen = avail < 2 ? avail : 2;
	if (avail < 2)
		return avail && (c[0] >> 4) != HDLC_FORMAT_TYPE ? HDLC_ERR_TYPE : HDLC_ERR_TRUNCATED;
	if ((c[0] >> 4) != HDLC_FORMAT_TYPE)
		return HDLC_ERR_TYPE;
	len = (unsigned)(c[0] & 7) << 8 | c[1];
	if (len < MIN_LEN)
		return HDLC_ERR_LENGTH;
	f->segmented = (c[0] & HDLC_SEGMENT_BIT) != 0;
	for (int a = 0; a < 2; a++) {	/* destination, then source: 1 to 4 bytes each */
		uint8_t *addr = a ? f->src : f->dst;
		for (k = 0;; k++) {
			if (i >= avail)
				return *hlen = i, HDLC_ERR_TRUNCATED;
			if (k == 4)
				return *hlen = i, HDLC_ERR_ADDR;
			addr[k] = c[i];
			if (c[i++] & 1)
				break;
		}
		if (a)
			f->src_len = (uint8_t)(k + 1);
		else
			f->dst_len = (uint8_t)(k + 1);
	}
	if (i >= avail)
		return *hlen = i, HDLC_ERR_TRUNCATED;
	f->control = c[i++];
	*hlen = i;
	/* Either no information field (len = header + FCS) or header + HCS + info + FCS. */
	if (len != i + 2 && len < i + 5)
		return HDLC_ERR_LENGTH;
	return HDLC_OK;
}

/* The header part of a candidate's check: the header as parse_header() reads it and, when
 * there is an information field, the HCS, which is checked as soon as it is in so a damaged
 * length field does not hold the stream back waiting for bytes that never belonged to it.
 * c is the content (format field first) with avail bytes present. Returns HDLC_OK with
 * *len (the length field) and *hlen (format, addresses, control); HDLC_ERR_TRUNCATED when
 * more bytes are needed for the header; or the error. *chk is the content bytes the verdict
 * rests on. */
static enum hdlc_err
check_header(const uint8_t *c, size_t avail, struct hdlc_frame *f, size_t *len, size_t *hlen,
    size_t *chk)
{
	enum hdlc_err e = parse_header(c, avail, f, hlen);

	*chk = *hlen;
	if (e != HDLC_OK)
		return e;
	*len = (size_t)(c[0] & 7) << 8 | c[1];
	if (*len != *hlen + 2) {
		if (avail < *hlen + 2)
			return HDLC_ERR_TRUNCATED;
		*chk = *hlen + 2;
		if ((crc16_x25(c, *hlen)) != le16(c + *hlen))
			return HDLC_ERR_HCS;
	}
	return HDLC_OK;
}

/* The information field of a frame whose header check passed. */
static void
set_info(struct hdlc_frame *f, const uint8_t *c, size_t len, size_t hlen)
{
	if (len == hlen + 2) {
		f->info = NULL;
		f->info_len = 0;
	} else {
		f->info = c + hlen + 2;
		f->info_len = len - hlen - 4;
	}
}

enum hdlc_err
hdlc_check(const uint8_t *p, size_t n, struct hdlc_frame *f)
{
	const uint8_t *c = p;
	size_t cn = n, len, hlen, chk;
	enum hdlc_err e;

	memset(f, 0, sizeof *f);
	f->p = p;
	f->len = n;
	if (n && p[0] == HDLC_FLAG) {
		if (n < 2 + MIN_LEN)
			return HDLC_ERR_TRUNCATED;
		c = p + 1;
		cn = n - 2;
	} else if (n < MIN_LEN) {
		return HDLC_ERR_TRUNCATED;
	}
	e = check_header(c, cn, f, &len, &hlen, &chk);
	/* the whole content was given: needing more means the length field is wrong */
	if (e == HDLC_ERR_TRUNCATED)
		return HDLC_ERR_LENGTH;
	if (e != HDLC_OK)
		return e;
	if (len != cn)
		return HDLC_ERR_LENGTH;
	if (crc16_x25(c, len - 2) != le16(c + len - 2))
		return HDLC_ERR_FCS;
	if (c != p && p[n - 1] != HDLC_FLAG)
		return HDLC_ERR_FLAG;
	set_info(f, c, len, hlen);
	return HDLC_OK;
}

/* ---- the framer ----
 *
 * A candidate is a flag followed by a header whose HCS is right. One whose bytes are not all
 * in yet is held as pending while the scan goes on inside it, so a frame that starts inside
 * a candidate cut short (a reconnect, a glitch) comes out as soon as its own closing flag is
 * in, and the long one still comes out if it does complete. Pending candidates wait in a
 * wheel by the offset where they end; each is judged once, in constant time: its FCS comes
 * from two prefix registers of the stream (link/crc.h), never from reading its bytes again.
 * So the time per input byte is bounded on any input: one CRC pass, one memchr, and a
 * constant amount per flag.
 *
 * Rejections and junk inside a pending candidate are held too, and dropped if it turns out
 * a valid frame (its bytes were no junk); frames are never held. The scan goes on inside
 * every candidate, valid ones too, so what is found does not depend on how the bytes were
 * cut into reads: a frame inside a frame (only a forged stream has one) is found either
 * way. */

#define NONE 0xffff
enum { CAND_PENDING, CAND_DONE };

/* The prefix registers: chk[lo..nchk) hold the CRC register, from the chain's origin, at
 * base + 16 i. The chain is made only where a candidate needs it (one still pending when
 * its bytes come in, or one that overlaps the one before: a damaged or hostile stream) and
 * only as far as it is asked for; a frame on its own has its FCS computed directly. */
static void
chain_cover(struct hdlc_framer *fr, uint64_t from, uint64_t to)
{
	size_t lo = (size_t)(from - fr->base) / 16, hi = (size_t)(to - fr->base) / 16;

	if (!fr->chain || fr->chk_lo > lo) {
		fr->chain = 1;
		fr->chk_lo = lo;
		fr->chk[lo] = 0;
		fr->nchk = lo + 1;
	}
	while (fr->nchk <= hi) {
		fr->chk[fr->nchk] = crc16_x25_update(fr->chk[fr->nchk - 1],
		    fr->buf + 16 * (fr->nchk - 1), 16);
		fr->nchk++;
	}
}

static uint16_t
reg_at(const struct hdlc_framer *fr, uint64_t x)
{
	size_t i = (size_t)(x - fr->base);

	return crc16_x25_update(fr->chk[i / 16], fr->buf + (i & ~(size_t)15), i % 16);
}

/* Whether the len content bytes at stream offset a have a good FCS: from two prefix
 * registers (constant time), or read directly. */
static int
fcs_ok(struct hdlc_framer *fr, uint64_t a, size_t len, int prefix)
{
	const uint8_t *c = fr->buf + (size_t)(a - fr->base);
	uint16_t fcs;

	if (prefix) {
		chain_cover(fr, a, a + len - 2);
		fcs = crc16_x25_zeros(CRC16_X25_INIT ^ reg_at(fr, a), len - 2) ^
		    reg_at(fr, a + len - 2) ^ 0xffff;
	} else {
		fcs = crc16_x25(c, len - 2);
	}
	return fcs == le16(c + len - 2);
}

static void
call(const struct hdlc_frame *f, enum link_event ev, int err, uint64_t off, size_t len,
    uint64_t junk, link_cb *cb, void *ctx)
{
	struct link_report r;

	r.ev = ev;
	r.kind = LINK_HDLC;
	r.err = err;
	r.offset = off;
	r.junk = junk;
	if (ev == LINK_JUNK) {
		r.p = NULL;
		r.len = 0;
	} else {
		r.p = f->p;
		r.len = len;
	}
	r.payload = ev == LINK_UNIT ? f->info : NULL;
	r.payload_len = ev == LINK_UNIT ? f->info_len : 0;
	r.hdr = f;
	cb(&r, ctx);
}

/* Report a held event, in a frame view of its own (fr->f may hold the frame about to be
 * reported after it); a rejection's view has its bytes, not its header fields. */
static void
emit_event(struct hdlc_framer *fr, const struct hdlc_event *e, link_cb *cb, void *ctx)
{
	struct hdlc_frame f;

	memset(&f, 0, sizeof f);
	if (e->kind == LINK_JUNK) {
		call(&f, LINK_JUNK, 0, e->off, 0, e->len, cb, ctx);
		return;
	}
	f.p = fr->buf + (size_t)(e->off - fr->base);
	f.offset = e->off;
	f.len = e->len;
	call(&f, LINK_REJECT, e->err, e->off, e->len, 0, cb, ctx);
}

static struct hdlc_cand *
oldest_pending(struct hdlc_framer *fr)
{
	while (fr->ccount && fr->cand[fr->chead].state != CAND_PENDING) {
		fr->chead = (fr->chead + 1) % HDLC_CANDS;
		fr->ccount--;
	}
	return fr->ccount ? &fr->cand[fr->chead] : NULL;
}

/* Report the held events no pending candidate covers (all of them with all). */
static void
emit_ready(struct hdlc_framer *fr, int all, link_cb *cb, void *ctx)
{
	while (fr->ecount) {
		struct hdlc_event *e = &fr->ev[fr->ehead];
		struct hdlc_cand *c = oldest_pending(fr);
		if (!all && c && c->off < e->off && !e->dropped)
			break;
		if (fr->ecount == 1 && fr->junk_open && !all)
			break;	/* a junk run still growing */
		if (!e->dropped)
			emit_event(fr, e, cb, ctx);
		fr->ehead = (fr->ehead + 1) % HDLC_EVENTS;
		fr->ecount--;
		if (!fr->ecount)
			fr->junk_open = 0;
	}
}

static struct hdlc_event *
new_event(struct hdlc_framer *fr, link_cb *cb, void *ctx)
{
	if (fr->ecount == HDLC_EVENTS) {
		/* cannot happen within the bounds above; if it did, the oldest goes out */
		struct hdlc_event *e = &fr->ev[fr->ehead];
		if (!e->dropped)
			emit_event(fr, e, cb, ctx);
		fr->ehead = (fr->ehead + 1) % HDLC_EVENTS;
		fr->ecount--;
	}
	fr->junk_open = 0;
	return &fr->ev[(fr->ehead + fr->ecount++) % HDLC_EVENTS];
}

static void
add_junk(struct hdlc_framer *fr, uint64_t off, uint64_t n, link_cb *cb, void *ctx)
{
	struct hdlc_event *e;

	if (!n)
		return;
	if (fr->junk_open) {
		fr->ev[(fr->ehead + fr->ecount - 1) % HDLC_EVENTS].len += n;
		return;
	}
	e = new_event(fr, cb, ctx);
	e->kind = LINK_JUNK;
	e->off = off;
	e->len = n;
	e->err = 0;
	e->dropped = 0;
	fr->junk_open = 1;
}

static void
add_reject(struct hdlc_framer *fr, enum hdlc_err err, uint64_t off, size_t len, link_cb *cb,
    void *ctx)
{
	struct hdlc_event *e = new_event(fr, cb, ctx);

	e->kind = LINK_REJECT;
	e->err = (uint8_t)err;
	e->off = off;
	e->len = len;
	e->dropped = 0;
	emit_ready(fr, 0, cb, ctx);
}

/* A valid frame at stream offset off whose header fr->f holds: what it follows goes out
 * first, then the frame, at once. */
static void
emit_frame(struct hdlc_framer *fr, uint64_t off, size_t len, link_cb *cb, void *ctx)
{
	fr->junk_open = 0;
	emit_ready(fr, 0, cb, ctx);
	call(&fr->f, LINK_UNIT, HDLC_OK, off, len, 0, cb, ctx);
}

/* Judge a candidate whose bytes are all in: the closing flag, then the FCS. */
static enum hdlc_err
judge(struct hdlc_framer *fr, uint64_t off, size_t len, int prefix)
{
	const uint8_t *q = fr->buf + (size_t)(off - fr->base);

	if (q[len + 1] != HDLC_FLAG)
		return HDLC_ERR_FLAG;
	return fcs_ok(fr, off + 1, len, prefix) ? HDLC_OK : HDLC_ERR_FCS;
}

/* A pending candidate whose end has come in (or the stream ended: truncated). */
static void
resolve(struct hdlc_framer *fr, struct hdlc_cand *c, int eof, link_cb *cb, void *ctx)
{
	const uint8_t *q = fr->buf + (size_t)(c->off - fr->base);
	size_t len, hlen, chk;
	enum hdlc_err e = eof ? HDLC_ERR_TRUNCATED : judge(fr, c->off, c->len, 1);

	c->state = CAND_DONE;
	memset(&fr->f, 0, sizeof fr->f);
	fr->f.p = q;
	fr->f.offset = c->off;
	check_header(q + 1, eof ? (size_t)(fr->base + fr->end - c->off - 1) : (size_t)c->len + 0,
	    &fr->f, &len, &hlen, &chk);
	if (e != HDLC_OK) {
		/* a candidate that starts inside a valid frame is no rejection of its own */
		if (!c->inside)
			add_reject(fr, e, c->off, e == HDLC_ERR_TRUNCATED ? 1 + chk :
			    (size_t)c->len + 2, cb, ctx);
		return;
	}
	/* its bytes were no junk and no rejects: drop what was held inside it, and what is
	 * still pending inside it will be no rejection either */
	for (unsigned k = 0; k < fr->ecount; k++) {
		struct hdlc_event *ev = &fr->ev[(fr->ehead + k) % HDLC_EVENTS];
		if (ev->off > c->off && ev->off < c->off + c->len + 1)
			ev->dropped = 1;
	}
	for (unsigned k = 0; k < fr->ccount; k++) {
		struct hdlc_cand *in = &fr->cand[(fr->chead + k) % HDLC_CANDS];
		if (in->off > c->off && in->off < c->off + c->len + 1)
			in->inside = 1;
	}
	fr->junk_open = 0;
	if (fr->valid_until < c->off + c->len + 1)
		fr->valid_until = c->off + c->len + 1;
	set_info(&fr->f, q + 1, c->len, hlen);
	fr->f.len = (size_t)c->len + 2;
	emit_frame(fr, c->off, fr->f.len, cb, ctx);
}

/* Run the wheel up to the stream's end: every pending candidate whose bytes are in. With
 * few pending (the usual case: a frame cut by the end of a read) the earliest end is
 * found among them and the wheel jumps there; with many (a hostile stream) it steps. */
static void
run_wheel(struct hdlc_framer *fr, link_cb *cb, void *ctx)
{
	uint64_t end = fr->base + fr->end;

	while (fr->resolved < end) {
		uint16_t *head, i;
		if (!oldest_pending(fr)) {
			fr->resolved = end;
			return;
		}
		if (fr->ccount <= 16) {
			uint64_t first = UINT64_MAX;
			for (unsigned k = 0; k < fr->ccount; k++) {
				const struct hdlc_cand *c = &fr->cand[(fr->chead + k) % HDLC_CANDS];
				if (c->state == CAND_PENDING && c->off + c->len + 2 < first)
					first = c->off + c->len + 2;
			}
			if (first > end) {
				fr->resolved = end;
				return;
			}
			fr->resolved = first - 1;	/* the buckets before it are empty */
		}
		head = &fr->wheel[++fr->resolved % HDLC_WINDOW];
		i = *head;
		*head = NONE;
		while (i != NONE) {
			struct hdlc_cand *c = &fr->cand[i];
			i = c->next;
			if (c->state == CAND_PENDING)
				resolve(fr, c, 0, cb, ctx);
		}
	}
}

static int
add_pending(struct hdlc_framer *fr, uint64_t off, size_t len)
{
	unsigned i;
	uint64_t e = off + len + 2;
	struct hdlc_cand *c;

	oldest_pending(fr);
	if (fr->ccount == HDLC_CANDS)
		return -1;
	i = (fr->chead + fr->ccount++) % HDLC_CANDS;
	c = &fr->cand[i];
	c->off = off;
	c->len = (uint16_t)len;
	c->state = CAND_PENDING;
	c->inside = off < fr->valid_until;
	c->next = fr->wheel[e % HDLC_WINDOW];
	fr->wheel[e % HDLC_WINDOW] = (uint16_t)i;
	return 0;
}

/* Look at the bytes from fr->scan on. With eof, candidates that cannot complete are
 * rejected as truncated instead of held. */
static void
scan(struct hdlc_framer *fr, int eof, link_cb *cb, void *ctx)
{
	uint64_t end = fr->base + fr->end;

	while (fr->scan < end) {
		size_t at = (size_t)(fr->scan - fr->base), avail, len = 0, hlen, chk;
		uint8_t *q = memchr(fr->buf + at, HDLC_FLAG, fr->end - at);
		uint64_t off, j0;
		enum hdlc_err e;
		int inside, overlap;

		off = q ? fr->base + (size_t)(q - fr->buf) : end;
		/* inside a valid frame nothing is junk and no rejection is reported */
		j0 = fr->scan > fr->valid_until ? fr->scan : fr->valid_until;
		if (off > j0)
			add_junk(fr, j0, off - j0, cb, ctx);
		fr->scan = off;
		if (!q)
			break;
		inside = off < fr->valid_until;
		avail = (size_t)(end - off);
		if (avail >= 2 && (q[1] >> 4) != HDLC_FORMAT_TYPE) {
			fr->scan = off + 1;	/* just a flag: most flags inside frames are */
			continue;
		}
		fr->f.p = q;
		fr->f.offset = off;
		fr->f.segmented = 0;
		fr->f.dst_len = fr->f.src_len = fr->f.control = 0;
		e = check_header(q + 1, avail - 1, &fr->f, &len, &hlen, &chk);
		if (e == HDLC_ERR_TYPE || (e == HDLC_ERR_TRUNCATED && avail == 1)) {
			/* a flag not followed by a frame start (or nothing yet): just a flag */
			if (e == HDLC_ERR_TRUNCATED && !eof)
				return;
			fr->scan = off + 1;
			continue;
		}
		if (e == HDLC_ERR_TRUNCATED && !eof)
			return;		/* a few header bytes more decide it */
		fr->scan = off + 1;
		if (e != HDLC_OK) {
			if (!inside)
				add_reject(fr, e, off, 1 + chk, cb, ctx);
			continue;
		}
		/* a candidate that overlaps the one before is judged from prefix registers, so
		 * a stream of overlapping candidates costs a constant per byte */
		overlap = off < fr->last_end;
		if (off + len + 2 > fr->last_end)
			fr->last_end = off + len + 2;
		if (avail >= len + 2) {
			e = judge(fr, off, len, overlap);
			if (e == HDLC_OK) {
				set_info(&fr->f, q + 1, len, hlen);
				fr->f.len = len + 2;
				if (fr->valid_until < off + len + 1)
					fr->valid_until = off + len + 1;
				emit_frame(fr, off, len + 2, cb, ctx);
			} else if (!inside) {
				add_reject(fr, e, off, len + 2, cb, ctx);
			}
			continue;
		}
		if (eof) {
			if (!inside)
				add_reject(fr, HDLC_ERR_TRUNCATED, off, 1 + chk, cb, ctx);
		} else if (add_pending(fr, off, len) < 0) {
			fr->scan = off;
			return;		/* cannot happen: see HDLC_CANDS */
		} else {
			fr->junk_open = 0;	/* a junk run never straddles a candidate */
		}
	}
}

void
hdlc_init(struct hdlc_framer *fr, int stuffed)
{
	fr->stuffed = stuffed;
	fr->base = 0;
	fr->end = 0;
	fr->scan = 0;
	fr->resolved = 0;
	fr->valid_until = 0;
	fr->chead = fr->ccount = 0;
	fr->ehead = fr->ecount = 0;
	fr->junk_open = 0;
	memset(fr->wheel, 0xff, sizeof fr->wheel);
	fr->chain = 0;
	fr->chk_lo = fr->nchk = 0;
	fr->last_end = 0;
	fr->esc = fr->in_frame = 0;
	fr->slen = 0;
	fr->sframe_offset = 0;
}

/* Octet-stuffed mode: frames are the unescaped bytes between two flags. */
static void
stuffed_byte(struct hdlc_framer *fr, uint8_t c, uint64_t off, link_cb *cb, void *ctx)
{
	enum hdlc_err e;

	if (c == HDLC_FLAG) {
		if (fr->in_frame && fr->slen > 1) {
			fr->sbuf[fr->slen++] = HDLC_FLAG;
			memset(&fr->f, 0, sizeof fr->f);
			e = fr->esc ? HDLC_ERR_STUFFING : fr->slen > HDLC_MAX_FRAME ? HDLC_ERR_LENGTH :
			    hdlc_check(fr->sbuf, fr->slen, &fr->f);
			fr->f.p = fr->sbuf;
			fr->f.len = fr->slen;
			fr->f.offset = fr->sframe_offset;
			fr->junk_open = 0;
			emit_ready(fr, 1, cb, ctx);
			if (e != HDLC_OK) {
				fr->f.info = NULL;
				fr->f.info_len = 0;
			}
			call(&fr->f, e == HDLC_OK ? LINK_UNIT : LINK_REJECT, e, fr->sframe_offset, fr->slen, 0,
			    cb, ctx);
		}
		fr->in_frame = 1;
		fr->esc = 0;
		fr->sbuf[0] = HDLC_FLAG;
		fr->slen = 1;
		fr->sframe_offset = off;
		return;
	}
	if (!fr->in_frame) {
		add_junk(fr, off, 1, cb, ctx);
		return;
	}
	if (c == HDLC_ESCAPE && !fr->esc) {
		fr->esc = 1;
		return;
	}
	if (fr->esc) {
		c ^= 0x20;
		fr->esc = 0;
	}
	if (fr->slen < HDLC_MAX_FRAME + 1)
		fr->sbuf[fr->slen++] = c;
	else
		fr->slen = HDLC_MAX_FRAME + 2;	/* over-long: rejected at its closing flag */
}

uint8_t *
hdlc_space(struct hdlc_framer *fr, size_t *room)
{
	uint64_t keep = fr->scan;
	struct hdlc_cand *c;
	size_t k;

	if (fr->stuffed) {
		/* unescaped byte by byte on commit: buf is only a staging area */
		*room = HDLC_BUFSZ;
		return fr->buf;
	}
	if ((c = oldest_pending(fr)) && c->off < keep)
		keep = c->off;
	/* a held rejection still needs its bytes (a junk run does not) */
	for (unsigned i = 0; i < fr->ecount; i++) {
		const struct hdlc_event *e = &fr->ev[(fr->ehead + i) % HDLC_EVENTS];
		if (e->kind == LINK_REJECT && !e->dropped) {
			if (e->off < keep)
				keep = e->off;
			break;
		}
	}
	/* drop what is no longer needed, in whole 16-byte steps so the prefix registers stay
	 * at multiples of 16 */
	k = (size_t)(keep - fr->base) & ~(size_t)15;
	if (k && (fr->end == HDLC_BUFSZ || k > HDLC_BUFSZ / 2 || k == fr->end)) {
		memmove(fr->buf, fr->buf + k, fr->end - k);
		if (fr->chain && fr->nchk > k / 16) {
			memmove(fr->chk, fr->chk + k / 16, (fr->nchk - k / 16) * sizeof fr->chk[0]);
			fr->nchk -= k / 16;
			fr->chk_lo = fr->chk_lo > k / 16 ? fr->chk_lo - k / 16 : 0;
		} else {
			fr->chain = 0;
		}
		fr->base += k;
		fr->end -= k;
	}
	*room = HDLC_BUFSZ - fr->end;
	return fr->buf + fr->end;
}

void
hdlc_commit(struct hdlc_framer *fr, size_t n, link_cb *cb, void *ctx)
{
	if (fr->stuffed) {
		for (size_t i = 0; i < n; i++)
			stuffed_byte(fr, fr->buf[i], fr->base + i, cb, ctx);
		fr->base += n;
		return;
	}
	fr->end += n;
	run_wheel(fr, cb, ctx);
	scan(fr, 0, cb, ctx);
	emit_ready(fr, 0, cb, ctx);
}

void
hdlc_finish(struct hdlc_framer *fr, link_cb *cb, void *ctx)
{
	struct hdlc_cand *c;

	if (fr->stuffed) {
		if (fr->in_frame && fr->slen > 1) {
			memset(&fr->f, 0, sizeof fr->f);
			fr->f.p = fr->sbuf;
			fr->f.offset = fr->sframe_offset;
			fr->junk_open = 0;
			emit_ready(fr, 1, cb, ctx);
			call(&fr->f, LINK_REJECT, HDLC_ERR_TRUNCATED, fr->sframe_offset, fr->slen, 0, cb, ctx);
		}
		fr->in_frame = 0;
		fr->slen = 0;
	} else {
		/* whatever is still pending was cut short; then the rest with nothing to wait for */
		while ((c = oldest_pending(fr)) != NULL)
			resolve(fr, c, 1, cb, ctx);
		scan(fr, 1, cb, ctx);
		fr->base += fr->end;
		fr->end = 0;
		fr->scan = fr->resolved = fr->base;
		fr->chain = 0;	/* a new stream's registers start again */
		fr->last_end = fr->base;
		memset(fr->wheel, 0xff, sizeof fr->wheel);
	}
	emit_ready(fr, 1, cb, ctx);
	fr->junk_open = 0;
}

uint64_t
hdlc_settled(const struct hdlc_framer *fr)
{
	uint64_t s = fr->scan;

	if (fr->stuffed)
		return fr->in_frame ? fr->sframe_offset : fr->base;
	for (unsigned k = 0; k < fr->ccount; k++) {
		const struct hdlc_cand *c = &fr->cand[(fr->chead + k) % HDLC_CANDS];
		if (c->state == CAND_PENDING) {
			if (c->off < s)
				s = c->off;
			break;	/* in start order */
		}
	}
	return s;
}
