/* Holding the DB envelope's units in -p auto; see hold.h. */
#include <string.h>
#include "link/hold.h"

_Static_assert(HOLD_BYTES >= P1_MAX + DBENV_MAX, "a held unit's bytes fit");
_Static_assert(HOLD_SPANS >= (DBENV_MAX + HOLD_SLICE) / 10 + 2, "the spans fit");

void
hold_init(struct hold *h)
{
	h->qh = h->qn = 0;
	h->rh = h->rn = 0;
	h->sn = 0;
}

static int
overlaps(uint64_t a, uint64_t ae, uint64_t b, uint64_t be)
{
	return a < be && b < ae;
}

/* The index of the first span that ends after x. */
static unsigned
first_after(const struct hold *h, uint64_t x)
{
	unsigned lo = 0, hi = h->sn;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (h->sp[mid].end <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
covered(const struct hold *h, uint64_t a, uint64_t ae)
{
	unsigned i = first_after(h, a);

	return i < h->sn && h->sp[i].off < ae;
}

/* Add [a, ae) to the union. */
static void
add_span(struct hold *h, uint64_t a, uint64_t ae)
{
	unsigned i = first_after(h, a > 0 ? a - 1 : 0), j = i;

	/* spans i .. j-1 touch or overlap it: merged into one */
	while (j < h->sn && h->sp[j].off <= ae) {
		if (h->sp[j].off < a)
			a = h->sp[j].off;
		if (h->sp[j].end > ae)
			ae = h->sp[j].end;
		j++;
	}
	if (i == j) {
		if (h->sn == HOLD_SPANS) {
			/* beyond the bound (cannot happen): the oldest is forgotten */
			memmove(h->sp, h->sp + 1, (h->sn - 1) * sizeof h->sp[0]);
			h->sn--;
			if (i > 0)
				i--;
		}
		memmove(h->sp + i + 1, h->sp + i, (h->sn - i) * sizeof h->sp[0]);
		h->sn++;
	} else if (j > i + 1) {
		memmove(h->sp + i + 1, h->sp + j, (h->sn - j) * sizeof h->sp[0]);
		h->sn -= j - i - 1;
	}
	h->sp[i].off = a;
	h->sp[i].end = ae;
}

/* Take the oldest held unit off, and report it unless it was dropped. */
static void
pop(struct hold *h, link_cb *cb, void *ctx)
{
	struct link_report r;
	struct dbenv_hdr d;
	size_t at = h->q[h->qh].at, len = h->q[h->qh].len, k, pos;
	int dropped = h->q[h->qh].dropped;
	uint64_t off = h->q[h->qh].off;

	k = HOLD_BYTES - at < len ? HOLD_BYTES - at : len;
	if (!dropped) {
		memcpy(h->out, h->ring + at, k);
		memcpy(h->out + k, h->ring, len - k);
	}
	h->qh = (h->qh + 1) % HOLD_UNITS;
	h->qn--;
	h->rh = (h->rh + len) % HOLD_BYTES;
	h->rn -= len;
	if (dropped)
		return;
	memset(&r, 0, sizeof r);
	r.ev = LINK_UNIT;
	r.kind = LINK_DB;
	r.p = r.payload = h->out;
	r.len = r.payload_len = len;
	r.offset = off;
	(void)dbenv_head(r.p, r.len, &d, &pos);	/* it passed before */
	r.hdr = &d;
	cb(&r, ctx);
}

void
hold_unit(struct hold *h, const struct link_report *r, link_cb *cb, void *ctx)
{
	size_t at, k;
	unsigned i;

	if (r->len > DBENV_MAX || covered(h, r->offset, r->offset + r->len))
		return;
	/* beyond the bounds (cannot happen): the oldest goes out as it is */
	while (h->qn && (h->qn == HOLD_UNITS || HOLD_BYTES - h->rn < r->len))
		pop(h, cb, ctx);
	at = (h->rh + h->rn) % HOLD_BYTES;
	k = HOLD_BYTES - at < r->len ? HOLD_BYTES - at : r->len;
	memcpy(h->ring + at, r->p, k);
	memcpy(h->ring, r->p + k, r->len - k);
	h->rn += r->len;
	i = (h->qh + h->qn++) % HOLD_UNITS;
	h->q[i].off = r->offset;
	h->q[i].len = r->len;
	h->q[i].at = at;
	h->q[i].dropped = 0;
}

void
hold_checked(struct hold *h, const struct link_report *r)
{
	if (!r->payload)
		return;
	for (unsigned k = 0; k < h->qn; k++) {
		unsigned i = (h->qh + k) % HOLD_UNITS;
		if (overlaps(r->offset, r->offset + r->len, h->q[i].off, h->q[i].off + h->q[i].len))
			h->q[i].dropped = 1;
	}
	add_span(h, r->offset, r->offset + r->len);
}

void
hold_release(struct hold *h, uint64_t settled, uint64_t from, link_cb *cb, void *ctx)
{
	unsigned n;

	while (h->qn && (h->q[h->qh].dropped || h->q[h->qh].off + h->q[h->qh].len <= settled))
		pop(h, cb, ctx);
	if ((n = first_after(h, from)) > 0) {
		memmove(h->sp, h->sp + n, (h->sn - n) * sizeof h->sp[0]);
		h->sn -= n;
	}
}
