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

/* The one check of a candidate, for hdlc_check() and the framer alike. c is the frame
 * content (format field first) with avail bytes of it present; with exact, the content
 * must be exactly avail bytes. Returns HDLC_OK (a valid frame of *n content bytes, f
 * filled); HDLC_ERR_TRUNCATED with *n the content bytes needed to get further; or the
 * error. *chk is the content bytes the verdict rests on: the header (and HCS) for a
 * header fault or a wait, the whole frame once the FCS has been computed. The HCS is checked as soon as it is
 * in, so a damaged length field does not hold the stream back waiting for bytes that never
 * belonged to it, and the CRC register over the header goes on into the FCS. */
static enum hdlc_err
check(const uint8_t *c, size_t avail, int exact, struct hdlc_frame *f, size_t *n,
    size_t *chk)
{
	size_t hlen, len;
	uint16_t reg = CRC16_X25_INIT;
	enum hdlc_err e = parse_header(c, avail, f, &hlen);

	f->info = NULL;
	f->info_len = 0;
	*chk = hlen;
	if (e != HDLC_OK) {
		*n = hlen + 1;
		return e;
	}
	len = (size_t)(c[0] & 7) << 8 | c[1];
	if (exact && len != avail)
		return HDLC_ERR_LENGTH;
	if (len != hlen + 2) {
		*chk = hlen + 2 < avail ? hlen + 2 : avail;
		if (avail < hlen + 2) {
			*n = hlen + 2;
			return HDLC_ERR_TRUNCATED;
		}
		reg = crc16_x25_update(reg, c, hlen);
		if ((reg ^ 0xffff) != le16(c + hlen))
			return HDLC_ERR_HCS;
	}
	*n = len;
	if (avail < len)
		return HDLC_ERR_TRUNCATED;
	*chk = len;
	if (len == hlen + 2) {
		hlen = 0;	/* no HCS: the FCS register starts at the format field */
	}
	if ((crc16_x25_update(reg, c + hlen, len - 2 - hlen) ^ 0xffff) != le16(c + len - 2))
		return HDLC_ERR_FCS;
	if (hlen) {
		f->info = c + hlen + 2;
		f->info_len = len - hlen - 4;
	}
	return HDLC_OK;
}

enum hdlc_err
hdlc_check(const uint8_t *p, size_t n, struct hdlc_frame *f)
{
	enum hdlc_err e;
	size_t k, chk;

	memset(f, 0, sizeof *f);
	f->p = p;
	f->len = n;
	if (n && p[0] == HDLC_FLAG) {
		if (n < 2 + MIN_LEN)
			return HDLC_ERR_TRUNCATED;
		e = check(p + 1, n - 2, 1, f, &k, &chk);
		if (e == HDLC_OK && p[n - 1] != HDLC_FLAG)
			return HDLC_ERR_FLAG;
	} else {
		if (n < MIN_LEN)
			return HDLC_ERR_TRUNCATED;
		e = check(p, n, 1, f, &k, &chk);
	}
	/* the whole content was given: needing more means the length field is wrong */
	return e == HDLC_ERR_TRUNCATED ? HDLC_ERR_LENGTH : e;
}

void
hdlc_init(struct hdlc_framer *fr, int stuffed)
{
	memset(fr, 0, offsetof(struct hdlc_framer, sbuf));
	fr->stuffed = stuffed;
}

static void
report_junk(struct hdlc_framer *fr, link_cb *cb, void *ctx)
{
	struct link_report r;

	if (!fr->junk)
		return;
	memset(&r, 0, sizeof r);
	r.ev = LINK_JUNK;
	r.kind = LINK_HDLC;
	r.junk = fr->junk;
	r.offset = fr->junk_offset;
	fr->junk = 0;
	cb(&r, ctx);
}

static void
add_junk(struct hdlc_framer *fr, uint64_t off, uint64_t n)
{
	if (!n)
		return;
	if (!fr->junk)
		fr->junk_offset = off;
	fr->junk += n;
}

/* Report the frame in fr->f (its p, len, offset and header filled in), after any junk run
 * before it. A rejection carries no information field. */
static void
report(struct hdlc_framer *fr, enum hdlc_err e, link_cb *cb, void *ctx)
{
	struct link_report r;

	if (fr->junk)
		report_junk(fr, cb, ctx);
	if (e != HDLC_OK) {
		fr->f.info = NULL;
		fr->f.info_len = 0;
	}
	r.ev = e == HDLC_OK ? LINK_UNIT : LINK_REJECT;
	r.kind = LINK_HDLC;
	r.err = e;
	r.p = fr->f.p;
	r.len = fr->f.len;
	r.offset = fr->f.offset;
	r.junk = 0;
	r.payload = fr->f.info;
	r.payload_len = fr->f.info_len;
	r.hdr = &fr->f;
	cb(&r, ctx);
}

/* Scan buf[start..end). With eof, candidates that cannot complete are rejected as truncated
 * instead of waited for. A rejection reports the bytes its verdict rests on, never more
 * than its header unless the FCS was computed over the whole frame. */
static void
scan(struct hdlc_framer *fr, int eof, link_cb *cb, void *ctx)
{
	uint8_t *b = fr->buf;
	struct hdlc_frame *f = &fr->f;

	while (fr->start < fr->end) {
		size_t pos, avail, n, chk;
		int whole;
		uint8_t *q = memchr(b + fr->start, HDLC_FLAG, fr->end - fr->start);
		enum hdlc_err e;

		if (!q) {
			add_junk(fr, fr->base + fr->start, fr->end - fr->start);
			fr->start = fr->end;
			break;
		}
		pos = (size_t)(q - b);
		add_junk(fr, fr->base + fr->start, pos - fr->start);
		fr->start = pos;
		avail = fr->end - pos;

		/* check() fills in what it reads of the header */
		f->p = b + pos;
		f->offset = fr->base + pos;
		f->segmented = 0;
		f->dst_len = f->src_len = f->control = 0;
		e = check(b + pos + 1, avail - 1, 0, f, &n, &chk);
		if (e == HDLC_ERR_TYPE || (e == HDLC_ERR_TRUNCATED && avail == 1)) {
			/* a flag not followed by a frame start (or nothing yet): just a flag */
			if (e == HDLC_ERR_TRUNCATED && !eof)
				return;
			fr->start = pos + 1;
			continue;
		}
		/* a frame whose content is all there still needs its closing flag, which is
		 * looked at before the FCS verdict */
		whole = e == HDLC_OK || e == HDLC_ERR_FCS;
		if (whole && avail < n + 2)
			e = HDLC_ERR_TRUNCATED, whole = 0;
		if (e == HDLC_ERR_TRUNCATED && !eof)
			return;
		if (whole && b[pos + n + 1] != HDLC_FLAG)
			e = HDLC_ERR_FLAG;
		f->len = 1 + (whole ? n + 1 : chk);
		if (f->len > avail)
			f->len = avail;
		report(fr, e, cb, ctx);
		/* after a frame its closing flag may open the next one; after a rejection a
		 * good frame may start inside the bad one */
		fr->start = e == HDLC_OK ? pos + n + 1 : pos + 1;
	}
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
			report(fr, e, cb, ctx);
		}
		fr->in_frame = 1;
		fr->esc = 0;
		fr->sbuf[0] = HDLC_FLAG;
		fr->slen = 1;
		fr->sframe_offset = off;
		return;
	}
	if (!fr->in_frame) {
		add_junk(fr, off, 1);
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
	if (fr->stuffed) {
		/* unescaped byte by byte on commit: buf is only a staging area */
		*room = HDLC_BUFSZ;
		return fr->buf;
	}
	if (fr->start == fr->end) {
		fr->base += fr->end;
		fr->start = fr->end = 0;
	} else if (fr->end == HDLC_BUFSZ || fr->start > HDLC_BUFSZ / 2) {
		memmove(fr->buf, fr->buf + fr->start, fr->end - fr->start);
		fr->base += fr->start;
		fr->end -= fr->start;
		fr->start = 0;
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
	scan(fr, 0, cb, ctx);
}

void
hdlc_finish(struct hdlc_framer *fr, link_cb *cb, void *ctx)
{
	if (fr->stuffed) {
		if (fr->in_frame && fr->slen > 1) {
			memset(&fr->f, 0, sizeof fr->f);
			fr->f.p = fr->sbuf;
			fr->f.len = fr->slen;
			fr->f.offset = fr->sframe_offset;
			report(fr, HDLC_ERR_TRUNCATED, cb, ctx);
		}
		fr->in_frame = 0;
		fr->slen = 0;
	} else {
		scan(fr, 1, cb, ctx);
		fr->base += fr->end;
		fr->start = fr->end = 0;
	}
	report_junk(fr, cb, ctx);
}
