/* Fuzz harness for the HDLC framer (hdlc.c): the input is fed whole, then in chunks whose
 * sizes come from the input itself, and in octet-stuffed mode. Checked on every input:
 * the chunking (and reading straight into the framer's buffer) never changes what is found,
 * every reported frame passes hdlc_check() with the same header fields, and frame,
 * rejection and junk reports account for offsets inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "link/crc.h"
#include "link/hdlc.h"

struct tally {
	size_t n;
	uint64_t frames, rejects, junk;
	uint32_t hash;		/* over the frames' offsets and CRCs, in order */
};

static void
cb(const struct hdlc_report *r, void *ctx)
{
	struct tally *t = ctx;
	struct hdlc_frame f;

	switch (r->ev) {
	case HDLC_EV_FRAME:
		if (hdlc_check(r->f.p, r->f.len, &f) != HDLC_OK)
			abort();
		/* the framer's view of the header agrees with the one-frame check */
		if (f.info_len != r->f.info_len || (f.info == NULL) != (r->f.info == NULL) ||
		    (f.info && f.info - f.p != r->f.info - r->f.p) ||
		    f.dst_len != r->f.dst_len || f.src_len != r->f.src_len ||
		    memcmp(f.dst, r->f.dst, f.dst_len) != 0 ||
		    memcmp(f.src, r->f.src, f.src_len) != 0 || f.control != r->f.control ||
		    f.segmented != r->f.segmented)
			abort();
		if (r->f.offset + r->f.len > t->n)
			abort();
		t->frames++;
		t->hash = t->hash * 31 + (uint32_t)r->f.offset * 7 + crc16_x25(r->f.p, r->f.len);
		break;
	case HDLC_EV_REJECT:
		if (r->err == HDLC_OK || r->f.len == 0 || r->f.offset >= t->n || r->f.info)
			abort();
		t->rejects++;
		break;
	case HDLC_EV_JUNK:
		if (r->junk == 0 || r->junk_offset + r->junk > t->n)
			abort();
		t->junk += r->junk;
		break;
	}
}

static struct hdlc_framer fr;

static void
run(const uint8_t *p, size_t n, int stuffed, size_t chunk, struct tally *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	hdlc_init(&fr, stuffed);
	for (size_t i = 0; i < n; i += chunk)
		hdlc_feed(&fr, p + i, n - i < chunk ? n - i : chunk, cb, t);
	hdlc_finish(&fr, cb, t);
}

/* The same through hdlc_space()/hdlc_commit(), at most chunk bytes per commit. */
static void
run_direct(const uint8_t *p, size_t n, size_t chunk, struct tally *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	hdlc_init(&fr, 0);
	for (size_t i = 0; i < n;) {
		size_t room, k;
		uint8_t *w = hdlc_space(&fr, &room);
		if (room == 0)
			abort();
		k = n - i < chunk ? n - i : chunk;
		if (k > room)
			k = room;
		memcpy(w, p + i, k);
		hdlc_commit(&fr, k, cb, t);
		i += k;
	}
	hdlc_finish(&fr, cb, t);
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
