/* The DB envelope framer and the ciphering header parse; see dbenv.h for the promises. */
#include <string.h>
#include "base/cursor.h"
#include "base/fail.h"
#include "link/dbenv.h"

static const enum fail tokens[DBENV_NERR] = {
	[DBENV_OK] = FAIL_NONE,
	[DBENV_ERR_SHORT] = FAIL_TRUNCATED,
	[DBENV_ERR_LENGTH] = FAIL_CIPHER_LENGTH,
	[DBENV_ERR_SECURITY] = FAIL_UNSUPPORTED_SECURITY,
	[DBENV_ERR_TOO_LONG] = FAIL_MESSAGE_TOO_LONG,
	[DBENV_ERR_CUT] = FAIL_CUT_SHORT,
	[DBENV_ERR_TRUNCATED] = FAIL_TRUNCATED,
};

const char *
dbenv_errname(int e)
{
	return fail_token(e >= 0 && e < DBENV_NERR ? tokens[e] : FAIL_N);
}

/* An A-XDR length: one byte below 0x80, else 0x81 xx or 0x82 xx xx. -1 when it is none. */
static long
get_len(struct cursor *c)
{
	unsigned b = get_u8(c);

	if (b < 0x80)
		return (long)b;
	if (b == 0x81)
		return (long)get_u8(c);
	if (b == 0x82)
		return (long)get_be16(c);
	return -1;
}

enum dbenv_err
dbenv_head(const uint8_t *p, size_t n, struct dbenv_hdr *h, size_t *errpos)
{
	struct cursor c;
	long stlen, len;

	memset(h, 0, sizeof *h);
	*errpos = n;
	cur_init(&c, p, n);
	h->tag = (uint8_t)get_u8(&c);
	stlen = get_len(&c);
	if (c.bad)
		return DBENV_ERR_SHORT;
	if (stlen != DBENV_TITLE_LEN)
		return *errpos = 1, DBENV_ERR_LENGTH;
	if (!(h->systitle = get_bytes(&c, DBENV_TITLE_LEN)))
		return DBENV_ERR_SHORT;
	h->len_at = c.pos;
	len = get_len(&c);
	if (c.bad)
		return DBENV_ERR_SHORT;
	if (len < 0)
		return *errpos = h->len_at, DBENV_ERR_LENGTH;
	h->sc_at = c.pos;
	h->content = (size_t)len;
	h->total = h->sc_at + h->content;
	h->sc = (uint8_t)get_u8(&c);
	h->ic = get_be32(&c);
	if (c.bad)
		return DBENV_ERR_SHORT;
	if (len < 5)
		return *errpos = h->len_at, DBENV_ERR_LENGTH;
	/* suites 0 and 1 both cipher with AES-GCM-128 (suite 1 adds ECDSA and ECDH, which a
	 * broadcast push does not use); Austrian Kaifa meters send SC 0x21 */
	if ((h->sc & DBENV_SC_SUITE) > 1 || (h->sc & DBENV_SC_COMPRESS) ||
	    !(h->sc & (DBENV_SC_AUTH | DBENV_SC_ENC)))
		return *errpos = h->sc_at, DBENV_ERR_SECURITY;
	if ((h->sc & DBENV_SC_AUTH) && h->content - 5 < DBENV_TAG_LEN)
		return *errpos = h->len_at, DBENV_ERR_LENGTH;
	return DBENV_OK;
}

/* ---- the framer ---- */

void
dbenv_init(struct dbenv_framer *fr)
{
	memset(fr, 0, offsetof(struct dbenv_framer, buf));
}

static void
flush_junk(struct dbenv_framer *fr, link_cb *cb, void *ctx)
{
	link_junk_flush(&fr->junk, LINK_DB, cb, ctx);
}

static void
report(struct dbenv_framer *fr, enum link_event ev, int err, size_t len, link_cb *cb,
    void *ctx)
{
	struct link_report r;

	flush_junk(fr, cb, ctx);
	memset(&r, 0, sizeof r);
	r.ev = ev;
	r.kind = LINK_DB;
	r.err = err;
	r.p = fr->buf + fr->pos;
	r.len = len;
	r.offset = fr->base + fr->pos;
	r.hdr = &fr->h;
	if (ev == LINK_UNIT) {
		r.payload = r.p;	/* the APDU is what the next stage reads */
		r.payload_len = len;
	}
	cb(&r, ctx);
}

/* The header at p (have bytes there), if it is a candidate: DBENV_OK, DBENV_ERR_SHORT
 * when more bytes decide, else why not (-1: not even "DB 08", which is junk). */
static int
candidate(const uint8_t *p, size_t have, struct dbenv_hdr *h, size_t *checked)
{
	enum dbenv_err e;

	if (have >= 2 && p[1] != DBENV_TITLE_LEN)
		return -1;
	e = dbenv_head(p, have, h, checked);
	if (e == DBENV_ERR_SHORT)
		return e;
	if (e == DBENV_OK && h->total > DBENV_MAX)
		e = DBENV_ERR_TOO_LONG, *checked = h->len_at;
	if (e != DBENV_OK)
		(*checked)++;	/* through the byte that failed */
	return e;
}

static int
known(const struct dbenv_framer *fr, const uint8_t *t)
{
	for (unsigned i = 0; i < fr->ntitles; i++)
		if (memcmp(fr->titles[i], t, DBENV_TITLE_LEN) == 0)
			return 1;
	return 0;
}

/* Whether a header at p, of which only have bytes are in (fewer than a whole one), may
 * still turn out one that cuts the pending APDU short. */
static int
may_cut(const struct dbenv_framer *fr, const uint8_t *p, size_t have)
{
	size_t n = have > 2 ? have - 2 : 0;

	if (have >= 2 && p[1] != DBENV_TITLE_LEN)
		return 0;
	if (!fr->strong || n == 0)
		return 1;
	if (n > DBENV_TITLE_LEN)
		n = DBENV_TITLE_LEN;
	for (unsigned i = 0; i < fr->ntitles; i++)
		if (memcmp(fr->titles[i], p + 2, n) == 0)
			return 1;
	return 0;
}

static void
remember(struct dbenv_framer *fr, const uint8_t *t)
{
	if (known(fr, t))
		return;
	memcpy(fr->titles[fr->next_title], t, DBENV_TITLE_LEN);
	fr->next_title = (fr->next_title + 1) % DBENV_TITLES;
	if (fr->ntitles < DBENV_TITLES)
		fr->ntitles++;
}

/* Look inside the pending APDU, from fr->inner to its end or the bytes in, for a header
 * that cuts it short; returns 1 when one does (fr->pos is left at the pending one), 0 when
 * none does yet, -1 when more bytes are needed to tell. */
static int
cut_inside(struct dbenv_framer *fr, int eof)
{
	size_t stop = fr->pos + fr->h.total;
	struct dbenv_hdr h;
	size_t checked;

	if (stop > fr->end)
		stop = fr->end;
	while (fr->inner < stop) {
		const uint8_t *q = memchr(fr->buf + fr->inner, DBENV_TAG, stop - fr->inner);
		int e;
		if (!q) {
			fr->inner = stop;
			break;
		}
		fr->inner = (size_t)(q - fr->buf);
		e = candidate(q, fr->end - fr->inner, &h, &checked);
		/* a header not all in yet: wait for it while the APDU is not all in either;
		 * once it is, only while what is in may still make one that cuts it (a cut
		 * APDU followed by the next: its bytes are on their way), so what is found
		 * does not depend on how the bytes were cut into reads */
		if (e == DBENV_ERR_SHORT && !eof &&
		    (fr->end - fr->pos < fr->h.total || may_cut(fr, q, fr->end - fr->inner)))
			return -1;
		if (e == DBENV_OK && (!fr->strong || known(fr, h.systitle)))
			return 1;
		fr->inner++;
	}
	return 0;
}

static void
scan(struct dbenv_framer *fr, int eof, link_cb *cb, void *ctx)
{
	while (fr->pos < fr->end) {
		const uint8_t *p = fr->buf + fr->pos;
		size_t have = fr->end - fr->pos, checked;
		int e;

		if (fr->pending) {
			int cut = cut_inside(fr, eof);
			if (cut < 0)
				return;
			if (cut) {
				size_t at = fr->inner;
				fr->pending = 0;
				report(fr, LINK_REJECT, DBENV_ERR_CUT, at - fr->pos, cb, ctx);
				fr->pos = at;
				continue;
			}
			if (have >= fr->h.total) {
				fr->pending = 0;
				remember(fr, fr->h.systitle);
				report(fr, LINK_UNIT, 0, fr->h.total, cb, ctx);
				fr->pos += fr->h.total;
				continue;
			}
			if (!eof)
				return;
			fr->pending = 0;
			report(fr, LINK_REJECT, DBENV_ERR_TRUNCATED, have, cb, ctx);
			fr->pos++;	/* an APDU may begin inside it */
			continue;
		}
		if (p[0] != DBENV_TAG) {
			const uint8_t *q = memchr(p, DBENV_TAG, have);
			size_t skip = q ? (size_t)(q - p) : have;
			for (size_t i = 0; i < skip; i++) {
				link_junk_add(&fr->junk, fr->base + fr->pos);
				fr->pos++;
			}
			continue;
		}
		e = candidate(p, have, &fr->h, &checked);
		if (e == DBENV_ERR_SHORT && !eof)
			return;
		if (e < 0 || e == DBENV_ERR_SHORT) {
			link_junk_add(&fr->junk, fr->base + fr->pos);
			fr->pos++;
			continue;
		}
		if (e != DBENV_OK) {
			report(fr, LINK_REJECT, e, checked, cb, ctx);
			fr->pos++;
			continue;
		}
		fr->pending = 1;
		fr->strong = known(fr, fr->h.systitle);
		fr->inner = fr->pos + 1;
	}
}

uint8_t *
dbenv_space(struct dbenv_framer *fr, size_t *room)
{
	if (DBENV_BUFSZ - fr->end < DBENV_BUFSZ / 2 && fr->pos > 0) {
		size_t keep = fr->pos;
		memmove(fr->buf, fr->buf + keep, fr->end - keep);
		fr->base += keep;
		fr->end -= keep;
		fr->pos = 0;
		if (fr->pending) {
			fr->inner -= keep;
			fr->h.systitle = fr->buf + 2;
		}
	}
	*room = DBENV_BUFSZ - fr->end;
	return fr->buf + fr->end;
}

void
dbenv_commit(struct dbenv_framer *fr, size_t n, link_cb *cb, void *ctx)
{
	fr->end += n;
	scan(fr, 0, cb, ctx);
}

void
dbenv_finish(struct dbenv_framer *fr, link_cb *cb, void *ctx)
{
	scan(fr, 1, cb, ctx);
	flush_junk(fr, cb, ctx);
}

uint64_t
dbenv_settled(const struct dbenv_framer *fr)
{
	return fr->base + fr->pos;
}
