/* Fuzz harness for the record reader shared by cosem-decode and ams-fields (record.c, with
 * the line reader in io.c and the TLV reader in tlv.c). The input is text: hdlc-split lines
 * (with or without a capture time), hex information fields, APDUs and bodies, hdlc-split -j
 * JSON lines and cosem-decode TLV blocks, mixed. Checked on every input:
 *  - the reader ends: rec_next() returns 0 within one call per line (+1);
 *  - a record is 1 with no error or -1 with one, and records come in line order;
 *  - a good record's apdu lies inside r->bytes (and inside the bytes it rebuilt),
 *    apdu_len <= sizeof r->bytes, and the kind agrees with the body flag;
 * and every good record is decoded as cosem-decode decodes it (rx_payload),
 * printed as TLV and JSON, and the TLV read back must decode to the same tree; a good P1
 * telegram passes its check again and maps to fields as ams-fields maps it.
 * A violation calls abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/rx.h"
#include "fields/p1.h"
#include "base/io.h"
#include "out/cosem_json.h"
#include "rec/record.h"
#include "rec/tlv.h"

static struct input in, in2;
static struct lines lines, lines2;
static struct recreader rr, rr2;
static struct record rec, rec2, extra;	/* extra: the look for a second record */
static struct axdr_tree tree2;
static struct rx rx;

static void
fail(const char *why)
{
	fprintf(stderr, "fuzz_record: %s (line %ld)\n", why, rec.lineno);
	abort();
}

#include "scratch.h"

static char text[TEXT_MAX];

static int
same_tree(const struct axdr_tree *a, const struct axdr_tree *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct axdr_node *x = &a->node[i], *y = &b->node[i];
		if (x->tag != y->tag || x->depth != y->depth || x->count != y->count ||
		    x->next != y->next || x->bits != y->bits ||
		    memcmp(&x->v, &y->v, sizeof x->v) != 0)
			return 0;
		/* a container's bytes are its children's; lengths may come back shorter */
		if (x->tag != AXDR_ARRAY && x->tag != AXDR_STRUCTURE && (x->vlen != y->vlen ||
		    memcmp(a->buf + x->voff, b->buf + y->voff, x->vlen) != 0))
			return 0;
	}
	return 1;
}

/* The TLV of a decoded record (a NULL: a bare body; t NULL: an undecoded APDU kind) read
 * back must give the same APDU header and tree. */
static void
round_trip(const struct apdu *a, const struct axdr_tree *t)
{
	long len;
	struct apdu b;
	size_t used, errpos;

	out_init(&out, sink);
	cosem_json(&out, rec.lineno, rec.time, a, t);
	if ((len = collect(text)) >= 0) {
		if (len == 0 || text[0] != '{' || text[len - 1] != '\n' ||
		    memchr(text, '\n', (size_t)len) != text + len - 1)
			fail("JSON record is not one line");
	}
	out_init(&out, sink);
	if (a)
		tlv_write(&out, rec.time, a, t);
	else
		tlv_write_body(&out, rec.time, t);
	if ((len = collect(text)) < 0)
		return;
	input_init_mem(&in2, text, (size_t)len);
	lines_init(&lines2, &in2);
	if (input_next(&in2) != 1)
		fail("input_next on memory");
	lines_reset(&lines2);
	rec_init(&rr2, &lines2);
	if (rec_next(&rr2, &rec2) != 1) {
		fprintf(stderr, "fuzz_record: TLV not read back: %s\n%.*s",
		    rec2.err ? rec2.err : "no record", (int)(len > 4000 ? 4000 : len), text);
		fail("TLV round trip: the record reader rejected the writer's text");
	}
	if (rec2.body != (a == NULL))
		fail("TLV round trip: kind changed");
	if (strcmp(rec2.time, rec.time) != 0)
		fail("TLV round trip: time changed");
	if (rec_next(&rr2, &extra) != 0)
		fail("TLV round trip: more than one record");
	if (!a) {
		if (axdr_decode(&tree2, rec2.apdu, rec2.apdu_len, &used, &errpos) != AXDR_OK ||
		    used != rec2.apdu_len || !same_tree(t, &tree2))
			fail("TLV round trip: body decodes to another tree");
		return;
	}
	if (apdu_parse(rec2.apdu, rec2.apdu_len, &b, &errpos) != APDU_OK)
		fail("TLV round trip: rebuilt APDU does not parse");
	if (b.has_llc != a->has_llc || (a->has_llc && memcmp(b.llc, a->llc, 3) != 0) ||
	    b.tag != a->tag)
		fail("TLV round trip: LLC or tag changed");
	if (!t) {
		if (b.len != a->len || memcmp(b.p, a->p, a->len) != 0)
			fail("TLV round trip: raw APDU bytes changed");
		return;
	}
	if (b.invoke_raw != a->invoke_raw || b.time_enc != a->time_enc ||
	    memcmp(b.time, a->time, sizeof a->time) != 0)
		fail("TLV round trip: notification header changed");
	if (axdr_decode(&tree2, b.body, b.body_len, &used, &errpos) != AXDR_OK ||
	    used != b.body_len || !same_tree(t, &tree2))
		fail("TLV round trip: body decodes to another tree");
}

static struct rec_asm ra;

/* As cosem-decode decodes a record: the message it completes (segments, GBT blocks), then
 * the receive path. A record that is a piece of a longer message is checked as a message
 * of its own too, so the checks below still see every record's bytes. */
static void
decode(void)
{
	struct rx_msg m;
	unsigned flags = rec.body ? RX_BODY : 0;
	const uint8_t *ap;
	size_t an;
	enum fail why;

	switch (rec_message(&ra, &rec, &ap, &an, &why)) {
	case REASM_WHOLE:
		if (!ap || an > REASM_MAX + sizeof rec.bytes)
			fail("a whole message without bytes, or too long");
		(void)rx_payload(&rx, ap, an, flags, &m);
		break;
	case REASM_ERROR:
		if (why == FAIL_NONE)
			fail("a reassembly error without a reason");
		if (ap)
			(void)rx_payload(&rx, ap, an, flags, &m);
		break;
	case REASM_MORE:
		break;
	}
	if (rx_payload(&rx, rec.apdu, rec.apdu_len, flags, &m) != RX_MESSAGE) {
		if (m.err == RX_OK || m.tree || m.errpos > (long)rec.apdu_len)
			fail("receive error without a reason or beyond the record");
		return;
	}
	if (m.body) {
		round_trip(NULL, m.tree);
		return;
	}
	if (m.a.has_llc != rec.has_llc)
		fail("record and APDU disagree about the LLC");
	if (m.a.p < rec.apdu || m.a.p + m.a.len != rec.apdu + rec.apdu_len)
		fail("APDU outside the record");
	if (m.tree && (m.a.tag != APDU_DATA_NOTIFICATION || m.a.body < rec.apdu ||
	    m.a.body + m.a.body_len != rec.apdu + rec.apdu_len))
		fail("notification body outside the record");
	round_trip(&m.a, m.tree);
}

static void
p1_quiet(void *ctx, enum fail why, const char *detail)
{
	(void)ctx;
	(void)why;
	(void)detail;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long nlines = 1, calls = 0, last = 0;
	int r;

	sink_open();
	for (size_t i = 0; i < size; i++)
		nlines += data[i] == '\n';
	input_init_mem(&in, data, size);
	lines_init(&lines, &in);
	if (input_next(&in) != 1)
		fail("input_next on memory");
	lines_reset(&lines);
	rec_init(&rr, &lines);
	while ((r = rec_next(&rr, &rec)) != 0) {
		if (++calls > nlines + 1)
			fail("rec_next does not end");
		if (rec.lineno <= last || rec.lineno > nlines)
			fail("record line numbers out of order");
		last = rec.lineno;
		if (r < 0) {
			if (r != -1 || rec.err == NULL)
				fail("bad record without a reason");
			continue;
		}
		if (r != 1 || rec.err != NULL)
			fail("good record with an error");
		if (rec.kind == REC_P1) {
			static struct fields flds;
			static struct fields_opt fopt;
			struct p1_telegram t;
			if (rec.p1_len > P1_MAX || rec.p1[0] != '/' ||
			    p1_check((const uint8_t *)rec.p1, rec.p1_len, &t) != P1_OK ||
			    t.checked != rec.tg.checked)
				fail("a P1 record that does not check again");
			fopt.keep_unknown = 1;
			p1_fields(&flds, rec.p1, rec.p1_len, &fopt, p1_quiet, NULL);
			continue;
		}
		if (rec.apdu_len > sizeof rec.bytes || rec.len > sizeof rec.bytes ||
		    rec.apdu < rec.bytes || rec.apdu_len > sizeof rec.bytes ||
		    (size_t)(rec.apdu - rec.bytes) > sizeof rec.bytes - rec.apdu_len ||
		    (size_t)(rec.apdu - rec.bytes) + rec.apdu_len > rec.len)
			fail("apdu outside the record's bytes");
		if (rec.body != (rec.kind == REC_BODY || (rec.kind == REC_TLV && rec.body)))
			fail("body flag and kind disagree");
		if (rec.kind != REC_TLV && rec.kind != REC_FRAME && rec.apdu != rec.bytes)
			fail("a hex record's apdu is not its bytes");
		if (memchr(rec.time, '\0', sizeof rec.time) == NULL)
			fail("time not terminated");
		decode();
	}
	if (calls > nlines + 1)
		fail("rec_next does not end");
	input_close(&in);
	return 0;
}
