/* Fuzz harness for the APDU header parser (apdu.c) and the A-XDR decoder (axdr.c), with the
 * TLV writer and reader behind them. The input is an information field or APDU; it is
 * also decoded as a bare notification body. Checked on every input:
 *  - the tree is well formed: at most AXDR_MAX_NODES nodes, depth at most AXDR_MAX_DEPTH,
 *    pre-order (a container's children are at depth + 1 and its `next` is the index after
 *    its last descendant), every value inside the bytes used and inside its parent's value,
 *    used <= n, fixed-width values equal to their bytes;
 *  - decoding is deterministic, needs only the bytes it used (decoding exactly those gives
 *    the same tree) and no fewer (one byte less never decodes);
 *  - lossless TLV: what tlv_write() prints, read back through the record reader
 *    (input_init_mem, lines, rec_next) as cosem-decode and ams-fields read it, gives bytes
 *    that parse and decode to the same header and tree, and printing those gives the very
 *    same text;
 *  - the JSON writer prints one line with no raw control characters.
 * A violation calls abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/rx.h"
#include "base/io.h"
#include "out/cosem_json.h"
#include "rec/record.h"
#include "rec/tlv.h"

static struct axdr_tree t1, t2;
static struct rx rx;
static struct input in;
static struct lines lines;
static struct recreader rr;
static struct record rec, extra;	/* extra: the look for a second record */

static void
fail(const char *why)
{
	fprintf(stderr, "fuzz_apdu: %s\n", why);
	abort();
}

#include "scratch.h"

static char text1[TEXT_MAX], text2[TEXT_MAX];

/* ---- tree invariants ---- */

static int
is_container(int tag)
{
	return tag == AXDR_ARRAY || tag == AXDR_STRUCTURE;
}

static void
check_node(const struct axdr_tree *t, size_t i, size_t used)
{
	const struct axdr_node *nd = &t->node[i];
	int w = axdr_width(nd->tag);

	if (axdr_tagname(nd->tag) == NULL)
		fail("node with an unknown tag");
	if (nd->depth > AXDR_MAX_DEPTH)
		fail("node deeper than AXDR_MAX_DEPTH");
	if (nd->next <= i || nd->next > t->n)
		fail("next out of range");
	if (nd->off >= used || nd->voff <= nd->off || nd->voff > used ||
	    nd->vlen > used - nd->voff)
		fail("value outside the bytes used");
	/* every node inside the subtree is deeper; the one after it is not */
	for (size_t j = i + 1; j < nd->next; j++)
		if (t->node[j].depth <= nd->depth)
			fail("subtree holds a node that is not deeper");
	if (nd->next < t->n && t->node[nd->next].depth > nd->depth)
		fail("next stops inside the subtree");
	if (is_container(nd->tag)) {
		size_t j = i + 1, end = (size_t)nd->voff + nd->vlen;
		for (unsigned k = 0; k < nd->count; k++) {
			const struct axdr_node *c;
			if (j >= nd->next)
				fail("container with fewer children than its count");
			c = &t->node[j];
			if (c->depth != nd->depth + 1)
				fail("child not at parent depth + 1");
			if (c->off < nd->voff || (size_t)c->voff + c->vlen > end)
				fail("child outside its parent's value");
			if (k == 0 && c->off != nd->voff)
				fail("first child not at the parent's value");
			j = c->next;
		}
		if (j != nd->next)
			fail("container next is not the index after its last descendant");
		if (nd->count == 0 && nd->vlen != 0)
			fail("empty container with value bytes");
	} else {
		if (nd->next != i + 1)
			fail("leaf with descendants");
	}
	if (nd->tag == AXDR_BIT_STRING && nd->vlen != (nd->bits + 7) / 8)
		fail("bit-string vlen != ceil(bits/8)");
	if (w >= 0) {
		const uint8_t *v = t->buf + nd->voff;
		uint64_t x = 0;
		if (nd->vlen != (uint32_t)w)
			fail("fixed-width value of the wrong length");
		for (int k = 0; k < w && k < 8; k++)
			x = x << 8 | v[k];
		switch (nd->tag) {
		case AXDR_BOOLEAN: if (nd->v.i != (x != 0)) fail("boolean value"); break;
		case AXDR_INTEGER: if (nd->v.i != (int8_t)x) fail("integer value"); break;
		case AXDR_LONG: if (nd->v.i != (int16_t)x) fail("long value"); break;
		case AXDR_DOUBLE_LONG: if (nd->v.i != (int32_t)x) fail("double-long value"); break;
		case AXDR_LONG64: if (nd->v.i != (int64_t)x) fail("long64 value"); break;
		case AXDR_UNSIGNED: case AXDR_LONG_UNSIGNED: case AXDR_DOUBLE_LONG_UNSIGNED:
		case AXDR_LONG64_UNSIGNED: case AXDR_ENUM: case AXDR_BCD:
			if (nd->v.u != x)
				fail("unsigned value");
			break;
		default:
			break;
		}
	}
}

static void
check_tree(const struct axdr_tree *t, const uint8_t *p, size_t n, enum axdr_err e,
    size_t used, size_t errpos)
{
	if (t->buf != p)
		fail("tree buf is not the input");
	if (t->n > AXDR_MAX_NODES)
		fail("more than AXDR_MAX_NODES nodes");
	if (used > n)
		fail("used > n");
	if (e != AXDR_OK) {
		if (errpos > n)
			fail("errpos > n");
		if (axdr_errname(e) == NULL)
			fail("error without a name");
		return;
	}
	if (t->n == 0 || used == 0)
		fail("decoded nothing");
	if (t->node[0].depth != 0 || t->node[0].off != 0 || t->node[0].next != t->n ||
	    (size_t)t->node[0].voff + t->node[0].vlen != used)
		fail("root does not cover the tree and the bytes used");
	for (size_t i = 0; i < t->n; i++)
		check_node(t, i, used);
}

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
		/* a container's bytes are its children's, compared on their own (lengths may
		 * come back in another form: 81 05 as 05) */
		if (!is_container(x->tag) && (x->vlen != y->vlen ||
		    memcmp(a->buf + x->voff, b->buf + y->voff, x->vlen) != 0))
			return 0;
	}
	return 1;
}

/* Decode p[0..n) into t and check it every way; returns the result. */
static enum axdr_err
decode_checked(struct axdr_tree *t, const uint8_t *p, size_t n, size_t *used)
{
	size_t errpos, u2, e2pos;
	enum axdr_err e = axdr_decode(t, p, n, used, &errpos), e2;

	check_tree(t, p, n, e, *used, errpos);
	e2 = axdr_decode(&t2, p, n, &u2, &e2pos);
	if (e2 != e || u2 != *used || e2pos != errpos || t2.n != t->n ||
	    (t->n && memcmp(t2.node, t->node, t->n * sizeof t->node[0]) != 0))
		fail("decoding twice gave different results");
	if (e != AXDR_OK)
		return e;
	if (*used < n) {
		/* only the bytes used matter */
		e2 = axdr_decode(&t2, p, *used, &u2, &e2pos);
		if (e2 != AXDR_OK || u2 != *used || !same_tree(t, &t2))
			fail("decoding just the bytes used gave another tree");
	}
	/* one byte less cannot hold the same element */
	e2 = axdr_decode(&t2, p, *used - 1, &u2, &e2pos);
	check_tree(&t2, p, *used - 1, e2, u2, e2pos);
	if (e2 == AXDR_OK)
		fail("a strict prefix of an element decoded");
	return e;
}

/* ---- writers ---- */

static void
check_json(const struct apdu *a, const struct axdr_tree *t)
{
	long len;
	out_init(&out, sink);
	cosem_json(&out, 1, NULL, a, t);
	if ((len = collect(text1)) < 0)
		return;
	if (len == 0 || text1[len - 1] != '\n' || text1[0] != '{')
		fail("JSON record is not one line starting with {");
	for (long i = 0; i < len - 1; i++)
		if ((unsigned char)text1[i] < 0x20)
			fail("raw control character in JSON");
}

/* Print (a, t) as TLV (a NULL: bare body; t NULL: undecoded APDU) into dst. */
static long
write_tlv(char *dst, const struct apdu *a, const struct axdr_tree *t)
{
	out_init(&out, sink);
	if (a)
		tlv_write(&out, NULL, a, t);
	else
		tlv_write_body(&out, NULL, t);
	return collect(dst);
}

/* The TLV of (a, t) read back must give the same header and tree, and print the same. */
static void
round_trip(const struct apdu *a, const struct axdr_tree *t)
{
	long len1, len2;
	struct apdu b;
	size_t used, errpos;
	int r;

	if ((len1 = write_tlv(text1, a, t)) < 0)
		return;
	input_init_mem(&in, text1, (size_t)len1);
	lines_init(&lines, &in);
	if (input_next(&in) != 1)
		fail("input_next on memory");
	lines_reset(&lines);
	rec_init(&rr, &lines);
	r = rec_next(&rr, &rec);
	if (r != 1) {
		fprintf(stderr, "fuzz_apdu: TLV not read back: %s (line %ld, pos %ld)\n%.*s",
		    rec.err ? rec.err : "no record", rec.lineno, rec.errpos,
		    (int)(len1 > 4000 ? 4000 : len1), text1);
		fail("TLV round trip: the record reader rejected the writer's text");
	}
	if (rec.kind != REC_TLV || rec.body != (a == NULL))
		fail("TLV round trip: wrong record kind");
	if (rec_next(&rr, &extra) != 0)
		fail("TLV round trip: more than one record");
	input_close(&in);
	if (!a) {
		if (axdr_decode(&t2, rec.apdu, rec.apdu_len, &used, &errpos) != AXDR_OK ||
		    used != rec.apdu_len || !same_tree(t, &t2))
			fail("TLV round trip: body decodes to another tree");
	} else {
		if (apdu_parse(rec.apdu, rec.apdu_len, &b, &errpos) != APDU_OK)
			fail("TLV round trip: rebuilt APDU does not parse");
		if (b.has_llc != a->has_llc || (a->has_llc && memcmp(b.llc, a->llc, 3) != 0) ||
		    b.tag != a->tag)
			fail("TLV round trip: LLC or tag changed");
		if (!t) {
			if (b.len != a->len || memcmp(b.p, a->p, a->len) != 0)
				fail("TLV round trip: raw APDU bytes changed");
		} else {
			if (b.invoke_raw != a->invoke_raw || b.time_enc != a->time_enc ||
			    memcmp(b.time, a->time, sizeof a->time) != 0)
				fail("TLV round trip: notification header changed");
			if (axdr_decode(&t2, b.body, b.body_len, &used, &errpos) != AXDR_OK ||
			    used != b.body_len || !same_tree(t, &t2))
				fail("TLV round trip: body decodes to another tree");
		}
	}
	/* the rebuilt record prints the same text */
	if ((len2 = write_tlv(text2, a ? &b : NULL, a && !t ? NULL : &t2)) < 0)
		return;
	if (len2 != len1 || memcmp(text1, text2, (size_t)len1) != 0)
		fail("TLV round trip: the rebuilt record prints other text");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apdu a;
	size_t errpos, used;
	/* the record reader rebuilds at most sizeof rec.bytes; a bigger input cannot come back */
	int fits = size <= sizeof rec.bytes;
	enum apdu_err ae;

	sink_open();

	/* as an information field or APDU */
	ae = apdu_parse(data, size, &a, &errpos);
	if (ae != APDU_OK) {
		if (errpos > size || apdu_errname(ae) == NULL)
			fail("apdu error position beyond the input");
	} else {
		if (a.p < data || a.len > size || a.p + a.len != data + size ||
		    a.tag != a.p[0] || apdu_tagname(a.tag) == NULL)
			fail("apdu outside the input");
		if (a.has_llc != (data[0] == 0xe6) || (a.has_llc && a.p != data + 3))
			fail("apdu LLC");
		if (a.tag == 0x0f) {
			if (a.body < a.p || a.body + a.body_len != data + size)
				fail("notification body outside the APDU");
			if (decode_checked(&t1, a.body, a.body_len, &used) == AXDR_OK) {
				check_json(&a, &t1);
				if (fits)
					round_trip(&a, &t1);
			}
		} else {
			check_json(&a, NULL);
			if (fits)
				round_trip(&a, NULL);
		}
	}

	/* the receive path agrees with the parts checked above */
	{
		struct rx_msg m;
		enum rx_status st = rx_payload(&rx, data, size, 0, &m);
		int want = ae == APDU_OK && (a.tag != APDU_DATA_NOTIFICATION ||
		    (axdr_decode(&t2, a.body, a.body_len, &used, &errpos) == AXDR_OK &&
		    used == a.body_len));
		if ((st == RX_MESSAGE) != want || (st == RX_MESSAGE && (m.tree != NULL) !=
		    (a.tag == APDU_DATA_NOTIFICATION)))
			fail("rx_payload disagrees with apdu_parse and axdr_decode");
		st = rx_payload(&rx, data, size, RX_BODY, &m);
		want = axdr_decode(&t2, data, size, &used, &errpos) == AXDR_OK && used == size;
		if ((st == RX_MESSAGE) != want)
			fail("rx_payload disagrees with axdr_decode on a bare body");
	}

	/* as a bare notification body */
	if (decode_checked(&t1, data, size, &used) == AXDR_OK) {
		check_json(NULL, &t1);
		if (fits)
			round_trip(NULL, &t1);
	}
	return 0;
}
