/* Fuzz harness for the P1 telegram framer (link/p1.c, through the framer table as the
 * tools drive it) and the P1 field mapper (fields/p1.c). The input is fed whole and in
 * chunks whose sizes come from the input itself. Checked on every input: chunking never
 * changes what is found; every telegram, in the record form the tools write (CR of each
 * CR LF dropped), passes p1_check() the same way (checked or not); reports stay inside the
 * input; and every telegram maps to fields without a fault, strings inside its text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fields/p1.h"
#include "link/crc.h"
#include "link/framer.h"
#include "link/p1.h"

struct tally {
	size_t n;
	uint64_t units, rejects, junk;
	uint32_t hash;
};

static struct fields flds;
static struct fields_opt fopt;
static char text[P1_MAX + 1];

static void
quiet(void *ctx, enum fail why, const char *detail)
{
	(void)ctx;
	if (why == FAIL_NONE || !detail)
		abort();
}

static void
cb(const struct link_report *r, void *ctx)
{
	struct tally *t = ctx;
	const struct p1_telegram *tg = r->hdr;
	struct p1_telegram c;
	size_t n = 0;

	switch (r->ev) {
	case LINK_UNIT:
		if (r->kind != LINK_P1 || r->len > P1_MAX || r->offset + r->len > t->n ||
		    r->payload != r->p || r->payload_len != r->len || r->p[0] != '/')
			abort();
		for (size_t i = 0; i < r->len; i++)
			if (!(r->p[i] == '\r' && i + 1 < r->len && r->p[i + 1] == '\n'))
				text[n++] = (char)r->p[i];
		if (p1_check((const uint8_t *)text, n, &c) != P1_OK || c.checked != tg->checked)
			abort();
		p1_fields(&flds, text, n, &fopt, quiet, NULL);
		for (size_t i = 0; i < flds.n; i++)
			if (flds.f[i].kind == F_STR && flds.f[i].slen &&
			    (flds.f[i].str < text || flds.f[i].str + flds.f[i].slen > text + n) &&
			    flds.f[i].key != K_LIST)
				abort();
		t->units++;
		t->hash += ((uint32_t)r->offset * 2654435761u) ^ crc16_arc_update(0, r->p, r->len);
		break;
	case LINK_REJECT:
		if (r->err <= P1_OK || r->err >= P1_NERR || r->len == 0 || r->offset >= t->n ||
		    r->offset + r->len > t->n || r->len > P1_MAX + 8)
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

static struct link lk;

static void
run(const uint8_t *p, size_t n, size_t chunk, struct tally *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	link_init(&lk, framer_byname("p1", 2), 0);
	for (size_t i = 0; i < n; i += chunk)
		link_feed(&lk, p + i, n - i < chunk ? n - i : chunk, cb, t);
	link_finish(&lk, cb, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole, parts;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;

	fopt.keep_unknown = 1;
	fopt.p1_zone = size && (data[0] & 0x80);
	run(data, size, size ? size : 1, &whole);
	run(data, size, chunk, &parts);
	if (whole.units != parts.units || whole.hash != parts.hash ||
	    whole.rejects != parts.rejects || whole.junk != parts.junk)
		abort();
	/* the record form read back by the one-telegram check: every input too */
	{
		struct p1_telegram c;
		(void)p1_check(data, size, &c);
	}
	return 0;
}
