/* The wired M-Bus framer and frame check; see mbus.h for the promises. */
#include <string.h>
#include "base/fail.h"
#include "link/mbus.h"

static const enum fail tokens[MBUS_NERR] = {
	[MBUS_OK] = FAIL_NONE,
	[MBUS_ERR_CHECKSUM] = FAIL_BAD_CHECKSUM,
	[MBUS_ERR_STOP] = FAIL_NO_STOP_BYTE,
	[MBUS_ERR_TRUNCATED] = FAIL_TRUNCATED,
};

const char *
mbus_errname(int e)
{
	return fail_token(e >= 0 && e < MBUS_NERR ? tokens[e] : FAIL_N);
}

/* The length of the long frame whose header is at p (4 bytes there), or 0 if it is none. */
static size_t
long_len(const uint8_t *p)
{
	size_t l = p[1];

	if (p[0] != 0x68 || p[3] != 0x68 || p[1] != p[2])
		return 0;
	if (l < 3)
		l += 256;	/* Sagemcom: L = 01 for 257 bytes */
	return l + 6;
}

/* Check the long frame of total bytes at p. */
static enum mbus_err
check_long(const uint8_t *p, size_t total, struct mbus_frame *f)
{
	size_t l = total - 6;
	unsigned sum = 0;

	for (size_t i = 0; i < l; i++)
		sum += p[4 + i];
	if ((sum & 0xff) != p[4 + l])
		return MBUS_ERR_CHECKSUM;
	if (p[5 + l] != 0x16)
		return MBUS_ERR_STOP;
	f->p = p;
	f->len = total;
	f->kind = 'L';
	f->c = p[4];
	f->a = p[5];
	f->ci = p[6];
	f->data = p + 7;
	f->data_len = l - 3;
	return MBUS_OK;
}

static int
short_ok(const uint8_t *p)
{
	return p[0] == 0x10 && p[4] == 0x16 && ((p[1] + p[2]) & 0xff) == p[3];
}

enum mbus_err
mbus_check(const uint8_t *p, size_t n, struct mbus_frame *f)
{
	size_t total;

	memset(f, 0, sizeof *f);
	if (n == 5 && short_ok(p)) {
		f->p = p;
		f->len = 5;
		f->kind = 'S';
		f->c = p[1];
		f->a = p[2];
		return MBUS_OK;
	}
	if (n < 9 || !(total = long_len(p)))
		return n < 9 ? MBUS_ERR_TRUNCATED : MBUS_ERR_STOP;
	if (total != n)
		return total > n ? MBUS_ERR_TRUNCATED : MBUS_ERR_STOP;
	return check_long(p, total, f);
}

void
mbus_init(struct mbus_framer *fr)
{
	memset(fr, 0, offsetof(struct mbus_framer, buf));
}

static void
flush_junk(struct mbus_framer *fr, link_cb *cb, void *ctx)
{
	link_junk_flush(&fr->junk, LINK_MBUS, cb, ctx);
}

static void
junk(struct mbus_framer *fr)
{
	link_junk_add(&fr->junk, fr->base + fr->pos);
	fr->pos++;
}

static void
report(struct mbus_framer *fr, enum link_event ev, int err, size_t len, link_cb *cb,
    void *ctx)
{
	struct link_report r;

	flush_junk(fr, cb, ctx);
	memset(&r, 0, sizeof r);
	r.ev = ev;
	r.kind = LINK_MBUS;
	r.err = err;
	r.p = fr->buf + fr->pos;
	r.len = len;
	r.offset = fr->base + fr->pos;
	if (ev == LINK_UNIT) {
		r.hdr = &fr->f;
		if (fr->f.kind == 'L') {
			r.payload = fr->f.p + 6;	/* CI and what follows */
			r.payload_len = fr->f.len - 8;
		}
	}
	cb(&r, ctx);
}

static void
scan(struct mbus_framer *fr, int eof, link_cb *cb, void *ctx)
{
	while (fr->pos < fr->end) {
		const uint8_t *p = fr->buf + fr->pos;
		size_t have = fr->end - fr->pos, total;
		enum mbus_err e;

		if (p[0] == 0x10) {
			if (have < 5) {
				if (!eof)
					return;
				junk(fr);
				continue;
			}
			if (!short_ok(p)) {
				junk(fr);
				continue;
			}
			memset(&fr->f, 0, sizeof fr->f);
			fr->f.p = p;
			fr->f.len = 5;
			fr->f.kind = 'S';
			fr->f.c = p[1];
			fr->f.a = p[2];
			report(fr, LINK_UNIT, 0, 5, cb, ctx);
			fr->pos += 5;
			continue;
		}
		if (p[0] != 0x68) {
			junk(fr);
			continue;
		}
		if (have < 4) {
			if (!eof)
				return;
			junk(fr);
			continue;
		}
		if (!(total = long_len(p))) {
			junk(fr);
			continue;
		}
		if (have < total) {
			if (!eof)
				return;
			report(fr, LINK_REJECT, MBUS_ERR_TRUNCATED, have, cb, ctx);
			fr->pos++;
			continue;
		}
		if ((e = check_long(p, total, &fr->f)) != MBUS_OK) {
			report(fr, LINK_REJECT, e, total, cb, ctx);
			fr->pos++;	/* a frame may begin inside it */
			continue;
		}
		report(fr, LINK_UNIT, 0, total, cb, ctx);
		fr->pos += total;
	}
}

uint8_t *
mbus_space(struct mbus_framer *fr, size_t *room)
{
	if (MBUS_BUFSZ - fr->end < MBUS_BUFSZ / 2 && fr->pos > 0) {
		memmove(fr->buf, fr->buf + fr->pos, fr->end - fr->pos);
		fr->base += fr->pos;
		fr->end -= fr->pos;
		fr->pos = 0;
	}
	*room = MBUS_BUFSZ - fr->end;
	return fr->buf + fr->end;
}

void
mbus_commit(struct mbus_framer *fr, size_t n, link_cb *cb, void *ctx)
{
	fr->end += n;
	scan(fr, 0, cb, ctx);
}

void
mbus_finish(struct mbus_framer *fr, link_cb *cb, void *ctx)
{
	scan(fr, 1, cb, ctx);
	flush_junk(fr, cb, ctx);
}

uint64_t
mbus_settled(const struct mbus_framer *fr)
{
	return fr->base + fr->pos;
}
