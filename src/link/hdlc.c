/* HDLC frame checks and the incremental framer; see hdlc.h for the promises. */
#include <stddef.h>
#include <string.h>
#include "link/crc.h"
#include "link/hdlc.h"

#define MIN_LEN 7	/* format 2 + dst 1 + src 1 + control 1 + FCS 2 */

static const char *const errnames[HDLC_NERR] = {
	[HDLC_OK] = "ok",
	[HDLC_ERR_TYPE] = "bad-type",
	[HDLC_ERR_LENGTH] = "bad-length",
	[HDLC_ERR_ADDR] = "bad-address",
	[HDLC_ERR_HCS] = "bad-hcs",
	[HDLC_ERR_FCS] = "bad-fcs",
	[HDLC_ERR_FLAG] = "no-closing-flag",
	[HDLC_ERR_TRUNCATED] = "truncated",
	[HDLC_ERR_STUFFING] = "bad-escape",
};

const char *
hdlc_errname(enum hdlc_err e)
{
	return (unsigned)e < HDLC_NERR ? errnames[e] : "unknown";
}

static unsigned
le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Parse the header of the frame content c (format field first) with avail bytes read so
 * far. Return HDLC_OK with *hlen (format + addresses + control) set, HDLC_ERR_TRUNCATED
 * when more bytes are needed to tell, or the error. Fills the address fields of f. */
static enum hdlc_err
parse_header(const uint8_t *c, size_t avail, struct hdlc_frame *f, size_t *hlen)
{
	size_t i = 2, k;
	unsigned len;

	if (avail < 2)
		return HDLC_ERR_TRUNCATED;
	if ((c[0] >> 4) != 0xa)
		return HDLC_ERR_TYPE;
	len = (unsigned)(c[0] & 7) << 8 | c[1];
	if (len < MIN_LEN)
		return HDLC_ERR_LENGTH;
	f->segmented = (c[0] >> 3) & 1;
	for (k = 0;; k++) {	/* destination */
		if (i >= avail)
			return HDLC_ERR_TRUNCATED;
		if (k == 4)
			return HDLC_ERR_ADDR;
		f->dst[k] = c[i];
		if (c[i++] & 1)
			break;
	}
	f->dst_len = (uint8_t)(k + 1);
	for (k = 0;; k++) {	/* source */
		if (i >= avail)
			return HDLC_ERR_TRUNCATED;
		if (k == 4)
			return HDLC_ERR_ADDR;
		f->src[k] = c[i];
		if (c[i++] & 1)
			break;
	}
	f->src_len = (uint8_t)(k + 1);
	if (i >= avail)
		return HDLC_ERR_TRUNCATED;
	f->control = c[i++];
	*hlen = i;
	/* Either no information field (len = header + FCS) or header + HCS + info + FCS. */
	if (len != i + 2 && len < i + 5)
		return HDLC_ERR_LENGTH;
	return HDLC_OK;
}

/* Check frame content c of n bytes (format field .. FCS); n must equal the length field. */
static enum hdlc_err
check_content(const uint8_t *c, size_t n, struct hdlc_frame *f)
{
	size_t hlen;
	uint16_t reg = CRC16_X25_INIT;
	enum hdlc_err e = parse_header(c, n, f, &hlen);

	if (e == HDLC_ERR_TRUNCATED)
		return HDLC_ERR_LENGTH;
	if (e)
		return e;
	if ((((size_t)(c[0] & 7) << 8) | c[1]) != n)
		return HDLC_ERR_LENGTH;
	if (n == hlen + 2) {
		f->info = NULL;
		f->info_len = 0;
		hlen = 0;	/* no HCS: the FCS register starts at the format field */
	} else {
		reg = crc16_x25_update(reg, c, hlen);
		if ((reg ^ 0xffff) != le16(c + hlen))
			return HDLC_ERR_HCS;
		f->info = c + hlen + 2;
		f->info_len = n - hlen - 4;
	}
	if ((crc16_x25_update(reg, c + hlen, n - 2 - hlen) ^ 0xffff) != le16(c + n - 2))
		return HDLC_ERR_FCS;
	return HDLC_OK;
}

enum hdlc_err
hdlc_check(const uint8_t *p, size_t n, struct hdlc_frame *f)
{
	enum hdlc_err e;

	memset(f, 0, sizeof *f);
	f->p = p;
	f->len = n;
	if (n && p[0] == HDLC_FLAG) {
		if (n < 2 + MIN_LEN)
			return HDLC_ERR_TRUNCATED;
		e = check_content(p + 1, n - 2, f);
		if (e == HDLC_OK && p[n - 1] != HDLC_FLAG)
			return HDLC_ERR_FLAG;
		return e;
	}
	if (n < MIN_LEN)
		return HDLC_ERR_TRUNCATED;
	return check_content(p, n, f);
}

void
hdlc_init(struct hdlc_framer *fr, int stuffed)
{
	memset(fr, 0, offsetof(struct hdlc_framer, sbuf));
	fr->stuffed = stuffed;
}

static void
report_junk(struct hdlc_framer *fr, hdlc_cb *cb, void *ctx)
{
	struct hdlc_report r;

	if (!fr->junk)
		return;
	memset(&r, 0, sizeof r);
	r.ev = HDLC_EV_JUNK;
	r.junk = fr->junk;
	r.junk_offset = fr->junk_offset;
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

/* Hand r (ev, err and f filled in) to the callback, after any junk run before it. */
static void
report(struct hdlc_framer *fr, struct hdlc_report *r, hdlc_cb *cb, void *ctx)
{
	if (fr->junk)
		report_junk(fr, cb, ctx);
	r->junk = 0;
	r->junk_offset = 0;
	cb(r, ctx);
}

/* The same for a frame checked elsewhere (octet-stuffed mode). */
static void
report_frame(struct hdlc_framer *fr, enum hdlc_event ev, enum hdlc_err err,
    const struct hdlc_frame *f, hdlc_cb *cb, void *ctx)
{
	struct hdlc_report r;

	r.ev = ev;
	r.err = err;
	r.f = *f;
	if (ev == HDLC_EV_REJECT) {	/* as in scan(): a rejected frame has no information */
		r.f.info = NULL;
		r.f.info_len = 0;
	}
	report(fr, &r, cb, ctx);
}

/* Scan buf[start..end). With eof, candidates that cannot complete are rejected as truncated
 * instead of waited for. */
static void
scan(struct hdlc_framer *fr, int eof, hdlc_cb *cb, void *ctx)
{
	uint8_t *b = fr->buf;

	while (fr->start < fr->end) {
		size_t pos, avail, hlen = 0, len;
		uint8_t *q = memchr(b + fr->start, HDLC_FLAG, fr->end - fr->start);
		struct hdlc_report r;
		struct hdlc_frame *f = &r.f;
		uint16_t reg = CRC16_X25_INIT;
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

		f->p = b + pos;
		f->offset = fr->base + pos;
		f->segmented = 0;
		f->dst_len = f->src_len = f->control = 0;
		e = parse_header(b + pos + 1, avail - 1, f, &hlen);
		if (e == HDLC_ERR_TYPE || (e == HDLC_ERR_TRUNCATED && avail == 1)) {
			/* a flag not followed by a frame start (or nothing yet): just a flag */
			if (e == HDLC_ERR_TRUNCATED && !eof)
				return;
			fr->start = pos + 1;
			continue;
		}
		len = avail >= 3 ? ((size_t)(b[pos + 1] & 7) << 8 | b[pos + 2]) : 0;
		if (e == HDLC_ERR_TRUNCATED) {
			if (!eof)
				return;
			f->len = avail;
			goto reject;
		}
		if (e != HDLC_OK) {
			f->len = avail < len + 2 ? avail : len + 2;
			goto reject;
		}
		/* Header complete: check the HCS as soon as it is in, so a damaged length field
		 * does not hold the stream back waiting for bytes that never belonged to it. The
		 * CRC register over the header goes on into the FCS. */
		if (len != hlen + 2) {
			if (avail < 1 + hlen + 2) {
				if (!eof)
					return;
				f->len = avail;
				e = HDLC_ERR_TRUNCATED;
				goto reject;
			}
			reg = crc16_x25_update(reg, b + pos + 1, hlen);
			if ((reg ^ 0xffff) != le16(b + pos + 1 + hlen)) {
				f->len = avail < len + 2 ? avail : len + 2;
				e = HDLC_ERR_HCS;
				goto reject;
			}
		} else {
			hlen = 0;	/* no HCS: the FCS register starts at the format field */
		}
		if (avail < len + 2) {
			if (!eof)
				return;
			f->len = avail;
			e = HDLC_ERR_TRUNCATED;
			goto reject;
		}
		f->len = len + 2;
		if (b[pos + len + 1] != HDLC_FLAG) {
			e = HDLC_ERR_FLAG;
			goto reject;
		}
		if ((crc16_x25_update(reg, b + pos + 1 + hlen, len - 2 - hlen) ^ 0xffff) !=
		    le16(b + pos + len - 1)) {
			e = HDLC_ERR_FCS;
			goto reject;
		}
		if (!hlen) {
			f->info = NULL;
			f->info_len = 0;
		} else {
			f->info = b + pos + 1 + hlen + 2;
			f->info_len = len - hlen - 4;
		}
		r.ev = HDLC_EV_FRAME;
		r.err = HDLC_OK;
		report(fr, &r, cb, ctx);
		fr->start = pos + len + 1;	/* the closing flag may open the next frame */
		continue;
reject:
		f->info = NULL;
		f->info_len = 0;
		r.ev = HDLC_EV_REJECT;
		r.err = e;
		report(fr, &r, cb, ctx);
		fr->start = pos + 1;	/* a good frame may start inside the bad one */
	}
}

/* Octet-stuffed mode: frames are the unescaped bytes between two flags. */
static void
stuffed_byte(struct hdlc_framer *fr, uint8_t c, uint64_t off, hdlc_cb *cb, void *ctx)
{
	struct hdlc_frame f;
	enum hdlc_err e;

	if (c == HDLC_FLAG) {
		if (fr->in_frame && fr->slen > 1) {
			memset(&f, 0, sizeof f);
			fr->sbuf[fr->slen++] = HDLC_FLAG;
			e = fr->esc ? HDLC_ERR_STUFFING : fr->slen > HDLC_MAX_FRAME ? HDLC_ERR_LENGTH :
			    hdlc_check(fr->sbuf, fr->slen, &f);
			f.p = fr->sbuf;
			f.len = fr->slen;
			f.offset = fr->sframe_offset;
			report_frame(fr, e ? HDLC_EV_REJECT : HDLC_EV_FRAME, e, &f, cb, ctx);
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
	if (c == 0x7d && !fr->esc) {
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

void
hdlc_feed(struct hdlc_framer *fr, const uint8_t *p, size_t n, hdlc_cb *cb, void *ctx)
{
	if (fr->stuffed) {
		for (size_t i = 0; i < n; i++)
			stuffed_byte(fr, p[i], fr->base + i, cb, ctx);
		fr->base += n;
		return;
	}
	while (n) {
		size_t room, k;
		uint8_t *w = hdlc_space(fr, &room);

		k = n < room ? n : room;
		memcpy(w, p, k);
		p += k;
		n -= k;
		hdlc_commit(fr, k, cb, ctx);
	}
}

uint8_t *
hdlc_space(struct hdlc_framer *fr, size_t *room)
{
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
hdlc_commit(struct hdlc_framer *fr, size_t n, hdlc_cb *cb, void *ctx)
{
	fr->end += n;
	scan(fr, 0, cb, ctx);
}

void
hdlc_finish(struct hdlc_framer *fr, hdlc_cb *cb, void *ctx)
{
	if (fr->stuffed) {
		if (fr->in_frame && fr->slen > 1) {
			struct hdlc_frame f;
			memset(&f, 0, sizeof f);
			f.p = fr->sbuf;
			f.len = fr->slen;
			f.offset = fr->sframe_offset;
			report_frame(fr, HDLC_EV_REJECT, HDLC_ERR_TRUNCATED, &f, cb, ctx);
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
