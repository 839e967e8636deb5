/* Fuzz harness for the HDLC framer (link/hdlc.c, driven through the framer table as the
 * tools drive it): the input is fed whole, then in chunks whose
 * sizes come from the input itself, and in octet-stuffed mode. Checked on every input:
 * the chunking (and reading straight into the framer's buffer) never changes what is found,
 * every reported frame passes hdlc_check() with the same header fields, and frame,
 * rejection and junk reports account for offsets inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "link/crc.h"
#include "link/framer.h"
#include "link/hdlc.h"

struct tally {
	size_t n;
	uint64_t frames, rejects, junk;
	uint32_t hash;		/* over the frames' offsets and CRCs */
};

static void
cb(const struct link_report *r, void *ctx)
{
	struct tally *t = ctx;
	const struct hdlc_frame *rf = r->hdr;
	struct hdlc_frame f;

	switch (r->ev) {
	case LINK_UNIT:
		if (hdlc_check(r->p, r->len, &f) != HDLC_OK)
			abort();
		/* the framer's view of the header agrees with the one-frame check */
		if (rf->p != r->p || rf->len != r->len || rf->offset != r->offset ||
		    rf->info != r->payload || rf->info_len != r->payload_len ||
		    f.info_len != rf->info_len || (f.info == NULL) != (rf->info == NULL) ||
		    (f.info && f.info - f.p != rf->info - rf->p) ||
		    f.dst_len != rf->dst_len || f.src_len != rf->src_len ||
		    memcmp(f.dst, rf->dst, f.dst_len) != 0 ||
		    memcmp(f.src, rf->src, f.src_len) != 0 || f.control != rf->control ||
		    f.segmented != rf->segmented)
			abort();
		if (r->offset + r->len > t->n)
			abort();
		t->frames++;
		/* order-free: a frame inside a frame may come before or after it, by chunking */
		t->hash += ((uint32_t)r->offset * 2654435761u) ^ crc16_x25(r->p, r->len);
		break;
	case LINK_REJECT:
		if (r->err == HDLC_OK || r->len == 0 || r->offset >= t->n || r->payload)
			abort();
		/* a rejection shows what was checked: a header, or a whole frame */
		if (r->len > HDLC_MAX_FRAME || r->offset + r->len > t->n)
			abort();
		/* the framer's FCS from prefix registers agrees with reading the frame again */
		if (r->err == HDLC_ERR_FCS && hdlc_check(r->p, r->len, &f) != HDLC_ERR_FCS)
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
run(const uint8_t *p, size_t n, int stuffed, size_t chunk, struct tally *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	link_init(&lk, framer_byname("hdlc", 4), stuffed ? LINK_STUFFED : 0);
	for (size_t i = 0; i < n; i += chunk)
		link_feed(&lk, p + i, n - i < chunk ? n - i : chunk, cb, t);
	link_finish(&lk, cb, t);
}

/* The same through hdlc_space()/hdlc_commit(), at most chunk bytes per commit. */
static void
run_direct(const uint8_t *p, size_t n, size_t chunk, struct tally *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	link_init(&lk, framer_byname("hdlc", 4), 0);
	for (size_t i = 0; i < n;) {
		size_t room, k;
		uint8_t *w = link_space(&lk, &room);
		if (room == 0)
			abort();
		k = n - i < chunk ? n - i : chunk;
		if (k > room)
			k = room;
		memcpy(w, p + i, k);
		link_commit(&lk, k, cb, t);
		i += k;
	}
	link_finish(&lk, cb, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole, parts;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;

	run(data, size, 0, size ? size : 1, &whole);
	run(data, size, 0, chunk, &parts);
	if (whole.frames != parts.frames || whole.hash != parts.hash ||
	    whole.rejects != parts.rejects || whole.junk != parts.junk)
		abort();
	run_direct(data, size, chunk * 97, &parts);
	if (whole.frames != parts.frames || whole.hash != parts.hash ||
	    whole.rejects != parts.rejects || whole.junk != parts.junk)
		abort();
	run(data, size, 1, size ? size : 1, &whole);
	run(data, size, 1, chunk, &parts);
	if (whole.frames != parts.frames || whole.hash != parts.hash)
		abort();
	return 0;
}
