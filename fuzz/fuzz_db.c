/* Fuzz harness for the DB envelope framer (link/dbenv.c, through the framer table) and
 * the -p auto hold (link/hold.c). Checked on every input: chunking never changes what the
 * framer finds; every unit is a DB header that reads back with its own length, at most
 * DBENV_MAX bytes, inside the input; every rejection and junk run is inside the input.
 * Then all four framers run as han-split -p auto runs them (HOLD_SLICE bytes each in turn,
 * the input cut into chunks as well) and what the hold lets out must be exactly the DB
 * units that no checked unit with a payload overlaps, in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "link/framer.h"
#include "link/dbenv.h"
#include "link/hold.h"

#define MAXU 8192

struct span {
	uint64_t off, end;
};

struct tally {
	size_t n;
	const uint8_t *in;
	uint64_t units, rejects, junk;
	uint32_t hash;
	unsigned nu;
	struct span u[MAXU];	/* the units, in the order found */
};

static void
cb(const struct link_report *r, void *ctx)
{
	struct tally *t = ctx;
	struct dbenv_hdr h;
	size_t pos;

	switch (r->ev) {
	case LINK_UNIT:
		if (r->kind != LINK_DB || r->offset + r->len > t->n || r->len > DBENV_MAX ||
		    r->len < 16 || r->p[0] != DBENV_TAG || memcmp(r->p, t->in + r->offset, r->len) ||
		    dbenv_head(r->p, r->len, &h, &pos) != DBENV_OK || h.total != r->len ||
		    r->payload != r->p || r->payload_len != r->len)
			abort();
		t->units++;
		t->hash += (uint32_t)r->offset * 2654435761u + (uint32_t)r->len;
		if (t->nu < MAXU) {
			t->u[t->nu].off = r->offset;
			t->u[t->nu++].end = r->offset + r->len;
		}
		break;
	case LINK_REJECT:
		if (r->err <= DBENV_OK || r->err >= DBENV_NERR || r->err == DBENV_ERR_SHORT ||
		    r->len == 0 || r->offset + r->len > t->n)
			abort();
		t->rejects++;
		break;
	case LINK_JUNK:
		if (r->junk == 0 || r->offset + r->junk > t->n)
			abort();
		t->junk += r->junk;
		break;
	}
}

static struct link lk[LINK_NKINDS];

static void
run(const uint8_t *p, size_t n, size_t chunk, struct tally *t)
{
	memset(t, 0, offsetof(struct tally, u));
	t->n = n;
	t->in = p;
	link_init(&lk[LINK_DB], framer_of(LINK_DB), 0);
	for (size_t i = 0; i < n; i += chunk)
		link_feed(&lk[LINK_DB], p + i, n - i < chunk ? n - i : chunk, cb, t);
	link_finish(&lk[LINK_DB], cb, t);
}

/* ---- -p auto ---- */

static struct hold held;
static struct auto_state {
	unsigned nchecked, nout;
	int full;
	struct span checked[MAXU], out[MAXU];
} au;

static void
on_out(const struct link_report *r, void *ctx)
{
	(void)ctx;
	if (au.nout == MAXU) {
		au.full = 1;
		return;
	}
	au.out[au.nout].off = r->offset;
	au.out[au.nout++].end = r->offset + r->len;
}

static void
on_auto(const struct link_report *r, void *ctx)
{
	if (r->ev != LINK_UNIT)
		return;
	if (r->kind == LINK_DB) {
		hold_unit(&held, r, on_out, ctx);
		return;
	}
	hold_checked(&held, r);
	if (!r->payload)
		return;
	if (au.nchecked == MAXU) {
		au.full = 1;
		return;
	}
	au.checked[au.nchecked].off = r->offset;
	au.checked[au.nchecked++].end = r->offset + r->len;
}

static void
release(void)
{
	uint64_t s = UINT64_MAX;

	for (int k = 0; k < LINK_NKINDS; k++)
		if (framer_of((enum link_kind)k)->checked && link_settled(&lk[k]) < s)
			s = link_settled(&lk[k]);
	hold_release(&held, s, link_settled(&lk[LINK_DB]), on_out, NULL);
}

static void
run_auto(const uint8_t *p, size_t n, size_t chunk, const struct tally *db)
{
	unsigned j = 0;

	memset(&au, 0, offsetof(struct auto_state, checked));
	hold_init(&held);
	for (int k = 0; k < LINK_NKINDS; k++)
		link_init(&lk[k], framer_of((enum link_kind)k), 0);
	for (size_t i = 0; i < n; i += chunk) {
		size_t c = n - i < chunk ? n - i : chunk;
		for (size_t at = 0; at < c; at += HOLD_SLICE) {
			size_t s = c - at < HOLD_SLICE ? c - at : HOLD_SLICE;
			for (int k = 0; k < LINK_NKINDS; k++)
				link_feed(&lk[k], p + i + at, s, on_auto, NULL);
			release();
		}
	}
	for (int k = 0; k < LINK_NKINDS; k++)
		link_finish(&lk[k], on_auto, NULL);
	hold_release(&held, UINT64_MAX, UINT64_MAX, on_out, NULL);
	if (au.full || db->nu == MAXU)
		return;
	/* what comes out: the DB units no checked unit overlaps, in order */
	for (unsigned i = 0; i < db->nu; i++) {
		int over = 0;
		for (unsigned c = 0; c < au.nchecked && !over; c++)
			over = db->u[i].off < au.checked[c].end && au.checked[c].off < db->u[i].end;
		if (over)
			continue;
		if (j >= au.nout || au.out[j].off != db->u[i].off || au.out[j].end != db->u[i].end)
			abort();
		j++;
	}
	if (j != au.nout)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tally whole, parts;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;

	run(data, size, size ? size : 1, &whole);
	run(data, size, chunk, &parts);
	if (whole.units != parts.units || whole.hash != parts.hash ||
	    whole.rejects != parts.rejects || whole.junk != parts.junk)
		abort();
	run_auto(data, size, size ? size : 1, &whole);
	run_auto(data, size, chunk * 61, &whole);
	return 0;
}
