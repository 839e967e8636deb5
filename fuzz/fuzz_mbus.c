/* Fuzz harness for the wired M-Bus framer (link/mbus.c, through the framer table) and
 * segment reassembly (link/reasm.c). The input is fed whole and in chunks whose sizes come
 * from the input itself. Checked on every input: chunking never changes what is found;
 * every frame passes mbus_check() alone; reports stay inside the input; every long frame's
 * CI and data go through reassembly, whose messages are bounded and made only of the data
 * of frames that were found. Then the input is read as a sequence of HDLC-like pieces
 * (address, S bit, bytes) for the HDLC side of reassembly, and every message it gives
 * that is a GBT block goes through block reassembly (cosem/gbt.c), bounded the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "link/framer.h"
#include "link/mbus.h"
#include "link/reasm.h"
#include "cosem/gbt.h"

struct tally {
	size_t n;
	uint64_t units, rejects, junk;
	uint32_t hash;
	size_t data_total;	/* bytes of DLMS segment data found */
};

static struct reasm ra;
static struct gbt gbt;

static void
cb(const struct link_report *r, void *ctx)
{
	struct tally *t = ctx;
	const struct mbus_frame *f = r->hdr;
	struct mbus_frame c;
	const uint8_t *out;
	size_t outn;
	enum fail why;

	switch (r->ev) {
	case LINK_UNIT:
		if (r->kind != LINK_MBUS || r->offset + r->len > t->n || r->len > MBUS_MAX_FRAME ||
		    mbus_check(r->p, r->len, &c) != MBUS_OK || c.kind != f->kind)
			abort();
		t->units++;
		t->hash += (uint32_t)r->offset * 2654435761u + (uint32_t)r->len;
		if (f->kind == 'L') {
			if (!r->payload || r->payload_len != f->data_len + 1)
				abort();
			if (f->ci <= 0x1f && f->data_len >= 2)
				t->data_total += f->data_len - 2;
			ra.tag = (long)t->units;
			switch (reasm_mbus(&ra, f->a, f->ci, f->data, f->data_len, &out, &outn,
			    &why)) {
			case REASM_WHOLE:
				if (!out || outn > REASM_MAX || outn > t->data_total)
					abort();
				break;
			case REASM_ERROR:
				if (why == FAIL_NONE || (out && outn > t->data_total))
					abort();
				break;
			case REASM_MORE:
				break;
			}
		}
		break;
	case LINK_REJECT:
		if (r->err <= MBUS_OK || r->err >= MBUS_NERR || r->len == 0 ||
		    r->offset + r->len > t->n)
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
	reasm_init(&ra);
	link_init(&lk, framer_byname("mbus", 4), 0);
	for (size_t i = 0; i < n; i += chunk)
		link_feed(&lk, p + i, n - i < chunk ? n - i : chunk, cb, t);
	link_finish(&lk, cb, t);
}

/* Pieces: [addr byte][S bit byte][len byte][len bytes]... */
static void
hdlc_pieces(const uint8_t *p, size_t n)
{
	const uint8_t *out;
	size_t outn, i = 0, total = 0;
	enum fail why;
	long tag;

	reasm_init(&ra);
	gbt_init(&gbt);
	while (i + 3 <= n) {
		uint8_t addr = p[i];
		int seg = p[i + 1] & 1;
		size_t len = p[i + 2];
		i += 3;
		if (len > n - i)
			len = n - i;
		total += len;
		switch (reasm_hdlc(&ra, &addr, 1, seg, p + i, len, &out, &outn, &why)) {
		case REASM_WHOLE:
			if (!out || outn > REASM_MAX || outn > total)
				abort();
			if (gbt_is_block(out, outn)) {
				const uint8_t *a;
				size_t an;
				gbt.tag = (long)i;
				switch (gbt_block(&gbt, &addr, 1, out, outn, &a, &an, &why)) {
				case GBT_WHOLE:
					if (!a || an > GBT_MAX || an > total)
						abort();
					break;
				case GBT_ERROR:
					if (why == FAIL_NONE || (a && an > total))
						abort();
					break;
				case GBT_MORE:
					break;
				}
			}
			break;
		case REASM_ERROR:
			if (why == FAIL_NONE || (out && outn > total))
				abort();
			break;
		case REASM_MORE:
			break;
		}
		i += len;
	}
	while (reasm_pending(&ra, &tag) || gbt_pending(&gbt, &tag))
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole, parts;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;

	run(data, size, size ? size : 1, &whole);
	run(data, size, chunk, &parts);
	if (whole.units != parts.units || whole.hash != parts.hash ||
	    whole.rejects != parts.rejects || whole.junk != parts.junk)
		abort();
	hdlc_pieces(data, size);
	return 0;
}
