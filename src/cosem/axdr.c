/* A-XDR Data decoding into a flat pre-order tree (see axdr.h). Every read goes through the
 * bounded cursor of base/cursor.h; a count or length larger than the bytes left is an error,
 * never an allocation. */
#include <string.h>
#include "base/cursor.h"
#include "base/fail.h"
#include "cosem/axdr.h"

/* The cursor and where the first error is to be reported: the element's tag byte, or the
 * length byte that cannot be right. */
struct rd {
	struct cursor c;
	size_t errpos;
};

static enum axdr_err
fail_at(struct rd *r, size_t at, enum axdr_err e)
{
	r->errpos = at;
	return e;
}

/* A-XDR length: one byte below 0x80, else 0x8N followed by N big-endian bytes. */
static enum axdr_err
get_len(struct rd *r, uint64_t *len)
{
	size_t at = r->c.pos;
	unsigned b = get_u8(&r->c);

	if (r->c.bad)
		return fail_at(r, at, AXDR_ERR_SHORT);
	if (b < 0x80) {
		*len = b;
		return AXDR_OK;
	}
	b &= 0x7f;
	if (b == 0 || b > 4)
		return fail_at(r, at, AXDR_ERR_LENGTH);
	*len = get_be(&r->c, b);
	if (r->c.bad)
		return fail_at(r, at, AXDR_ERR_SHORT);
	return AXDR_OK;
}

int
axdr_width(int tag)
{
	switch (tag) {
	case AXDR_NULL: return 0;
	case AXDR_BOOLEAN: case AXDR_BCD: case AXDR_INTEGER: case AXDR_UNSIGNED:
	case AXDR_ENUM: return 1;
	case AXDR_LONG: case AXDR_LONG_UNSIGNED: return 2;
	case AXDR_DOUBLE_LONG: case AXDR_DOUBLE_LONG_UNSIGNED: case AXDR_FLOAT32:
	case AXDR_TIME: return 4;
	case AXDR_DATE: return 5;
	case AXDR_LONG64: case AXDR_LONG64_UNSIGNED: case AXDR_FLOAT64: return 8;
	case AXDR_DATE_TIME: return 12;
	default: return -1;
	}
}

/* A compact-array's type description: a simple type tag, an array (long-unsigned count
 * and one description) or a structure (count and that many descriptions). Sets *width to
 * the byte width of one element when every part has a fixed width, else -1. */
static enum axdr_err
type_desc(struct rd *r, int depth, long *width)
{
	unsigned tag;
	size_t at = r->c.pos;

	if (depth > AXDR_MAX_DEPTH)
		return fail_at(r, at, AXDR_ERR_DEPTH);
	tag = get_u8(&r->c);
	if (r->c.bad)
		return fail_at(r, at, AXDR_ERR_SHORT);
	if (tag == AXDR_ARRAY) {
		uint64_t cnt;
		long w;
		enum axdr_err e;
		cnt = get_be(&r->c, 2);
		if (r->c.bad)
			return fail_at(r, at, AXDR_ERR_SHORT);
		if ((e = type_desc(r, depth + 1, &w)) != AXDR_OK)
			return e;
		/* a width beyond any frame is as good as unknown (and must not overflow) */
		*width = (w < 0 || (w > 0 && cnt > (uint64_t)(0x10000 / w))) ? -1 : w * (long)cnt;
		return AXDR_OK;
	}
	if (tag == AXDR_STRUCTURE) {
		uint64_t cnt;
		long sum = 0;
		enum axdr_err e;
		if ((e = get_len(r, &cnt)) != AXDR_OK)
			return e;
		if (cnt > cur_left(&r->c))
			return fail_at(r, at, AXDR_ERR_LENGTH);
		for (uint64_t i = 0; i < cnt; i++) {
			long w;
			if ((e = type_desc(r, depth + 1, &w)) != AXDR_OK)
				return e;
			sum = (sum < 0 || w < 0 || sum + w > 0x10000) ? -1 : sum + w;
		}
		*width = sum;
		return AXDR_OK;
	}
	if (tag == AXDR_COMPACT_ARRAY || axdr_tagname((int)tag) == NULL)
		return fail_at(r, at, AXDR_ERR_COMPACT);
	*width = axdr_width((int)tag);
	return AXDR_OK;
}

static enum axdr_err
decode(struct axdr_tree *t, struct rd *r, int depth)
{
	unsigned tag;
	size_t at = r->c.pos;
	struct axdr_node *nd;
	size_t idx;
	enum axdr_err e;
	uint64_t x;

	if (depth >= AXDR_MAX_DEPTH)
		return fail_at(r, at, AXDR_ERR_DEPTH);
	if (t->n >= AXDR_MAX_NODES)
		return fail_at(r, at, AXDR_ERR_NODES);
	tag = get_u8(&r->c);
	if (r->c.bad)
		return fail_at(r, at, AXDR_ERR_SHORT);
	if (axdr_tagname((int)tag) == NULL)
		return fail_at(r, at, AXDR_ERR_TAG);
	idx = t->n++;
	nd = &t->node[idx];
	memset(nd, 0, sizeof *nd);
	nd->tag = (uint8_t)tag;
	nd->depth = (uint8_t)depth;
	nd->off = (uint32_t)at;

	switch (tag) {
	case AXDR_ARRAY:
	case AXDR_STRUCTURE:
		if ((e = get_len(r, &x)) != AXDR_OK)
			return e;
		/* every element takes at least its tag byte */
		if (x > cur_left(&r->c) || x > 0xffff)
			return fail_at(r, at, AXDR_ERR_LENGTH);
		nd->count = (uint16_t)x;
		nd->voff = (uint32_t)r->c.pos;
		for (uint64_t i = 0; i < x; i++)
			if ((e = decode(t, r, depth + 1)) != AXDR_OK)
				return e;
		nd = &t->node[idx];
		nd->vlen = (uint32_t)(r->c.pos - nd->voff);
		break;
	case AXDR_OCTET_STRING:
	case AXDR_VISIBLE_STRING:
	case AXDR_UTF8_STRING:
		if ((e = get_len(r, &x)) != AXDR_OK)
			return e;
		if (x > cur_left(&r->c))
			return fail_at(r, at, AXDR_ERR_LENGTH);
		nd->voff = (uint32_t)r->c.pos;
		nd->vlen = (uint32_t)x;
		r->c.pos += x;
		break;
	case AXDR_BIT_STRING:
		if ((e = get_len(r, &x)) != AXDR_OK)
			return e;
		if ((x + 7) / 8 > cur_left(&r->c))
			return fail_at(r, at, AXDR_ERR_LENGTH);
		nd->voff = (uint32_t)r->c.pos;
		nd->bits = (uint32_t)x;
		nd->vlen = (uint32_t)((x + 7) / 8);
		r->c.pos += nd->vlen;
		break;
	case AXDR_COMPACT_ARRAY: {
		long w;
		uint64_t clen;
		nd->voff = (uint32_t)r->c.pos;
		if ((e = type_desc(r, depth + 1, &w)) != AXDR_OK)
			return e;
		if ((e = get_len(r, &clen)) != AXDR_OK)
			return e;
		if (clen > cur_left(&r->c))
			return fail_at(r, at, AXDR_ERR_LENGTH);
		if (w > 0) {
			if (clen % (uint64_t)w)
				return fail_at(r, at, AXDR_ERR_COMPACT);
			nd->count = (uint16_t)(clen / (uint64_t)w > 0xffff ? 0xffff : clen / (uint64_t)w);
		}
		r->c.pos += clen;
		nd->vlen = (uint32_t)(r->c.pos - nd->voff);
		break;
	}
	default: {
		int w = axdr_width((int)tag);
		nd->voff = (uint32_t)r->c.pos;
		nd->vlen = (uint32_t)w;
		x = get_be(&r->c, (size_t)w);
		if (r->c.bad)
			return fail_at(r, at, AXDR_ERR_SHORT);
		switch (tag) {
		case AXDR_BOOLEAN: nd->v.i = x != 0; break;
		case AXDR_INTEGER: nd->v.i = (int8_t)x; break;
		case AXDR_LONG: nd->v.i = (int16_t)x; break;
		case AXDR_DOUBLE_LONG: nd->v.i = (int32_t)x; break;
		case AXDR_LONG64: nd->v.i = (int64_t)x; break;
		case AXDR_FLOAT32: {
			uint32_t u = (uint32_t)x;
			float f;
			memcpy(&f, &u, sizeof f);
			nd->v.d = f;
			break;
		}
		case AXDR_FLOAT64: memcpy(&nd->v.d, &x, sizeof nd->v.d); break;
		default: nd->v.u = x; break;	/* unsigned types, enum, bcd, dates */
		}
	}
	}
	t->node[idx].next = (uint32_t)t->n;
	return AXDR_OK;
}

enum axdr_err
axdr_decode(struct axdr_tree *t, const uint8_t *p, size_t n, size_t *used, size_t *errpos)
{
	struct rd r;
	enum axdr_err e;

	cur_init(&r.c, p, n);
	r.errpos = 0;
	t->buf = p;
	t->n = 0;
	e = decode(t, &r, 0);
	if (used)
		*used = r.c.pos;
	if (errpos)
		*errpos = e == AXDR_OK ? 0 : r.errpos;
	return e;
}

const char *
axdr_errname(enum axdr_err e)
{
	switch (e) {
	case AXDR_OK: return fail_token(FAIL_NONE);
	case AXDR_ERR_SHORT: return fail_token(FAIL_TRUNCATED_DATA);
	case AXDR_ERR_TAG: return fail_token(FAIL_UNKNOWN_TYPE);
	case AXDR_ERR_DEPTH: return fail_token(FAIL_TOO_DEEP);
	case AXDR_ERR_NODES: return fail_token(FAIL_TOO_MANY_ELEMENTS);
	case AXDR_ERR_LENGTH: return fail_token(FAIL_BAD_COUNT);
	case AXDR_ERR_COMPACT: return fail_token(FAIL_BAD_COMPACT_ARRAY);
	}
	return fail_token(FAIL_N);
}

static const char *const names[28] = {
	[AXDR_NULL] = "null-data", [AXDR_ARRAY] = "array", [AXDR_STRUCTURE] = "structure",
	[AXDR_BOOLEAN] = "boolean", [AXDR_BIT_STRING] = "bit-string",
	[AXDR_DOUBLE_LONG] = "double-long", [AXDR_DOUBLE_LONG_UNSIGNED] = "double-long-unsigned",
	[AXDR_OCTET_STRING] = "octet-string", [AXDR_VISIBLE_STRING] = "visible-string",
	[AXDR_UTF8_STRING] = "utf8-string", [AXDR_BCD] = "bcd", [AXDR_INTEGER] = "integer",
	[AXDR_LONG] = "long", [AXDR_UNSIGNED] = "unsigned", [AXDR_LONG_UNSIGNED] = "long-unsigned",
	[AXDR_COMPACT_ARRAY] = "compact-array", [AXDR_LONG64] = "long64",
	[AXDR_LONG64_UNSIGNED] = "long64-unsigned", [AXDR_ENUM] = "enum",
	[AXDR_FLOAT32] = "float32", [AXDR_FLOAT64] = "float64", [AXDR_DATE_TIME] = "date-time",
	[AXDR_DATE] = "date", [AXDR_TIME] = "time",
};

const char *
axdr_tagname(int tag)
{
	if (tag < 0 || tag >= (int)(sizeof names / sizeof names[0]))
		return NULL;
	return names[tag];
}

int
axdr_tagbyname(const char *name, size_t len)
{
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (names[i] && strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return -1;
}

int
axdr_is_int(const struct axdr_node *nd)
{
	switch (nd->tag) {
	case AXDR_BOOLEAN: case AXDR_DOUBLE_LONG: case AXDR_DOUBLE_LONG_UNSIGNED:
	case AXDR_INTEGER: case AXDR_LONG: case AXDR_UNSIGNED: case AXDR_LONG_UNSIGNED:
	case AXDR_LONG64: case AXDR_LONG64_UNSIGNED: case AXDR_ENUM:
		return 1;
	}
	return 0;
}

int
axdr_is_unsigned(const struct axdr_node *nd)
{
	switch (nd->tag) {
	case AXDR_DOUBLE_LONG_UNSIGNED: case AXDR_UNSIGNED: case AXDR_LONG_UNSIGNED:
	case AXDR_LONG64_UNSIGNED: case AXDR_ENUM:
		return 1;
	}
	return 0;
}

const struct axdr_node axdr_none = { .tag = AXDR_NONE };

int
axdr_scaler_unit(const struct axdr_tree *t, size_t i, int *scaler, unsigned *unit)
{
	const struct axdr_node *nd = axdr_at(t, i);

	if (nd->tag != AXDR_STRUCTURE || nd->count != 2 || axdr_at(t, i + 1)->tag != AXDR_INTEGER ||
	    axdr_at(t, i + 2)->tag != AXDR_ENUM)
		return 0;
	if (scaler)
		*scaler = (int)t->node[i + 1].v.i;
	if (unit)
		*unit = (unsigned)t->node[i + 2].v.u;
	return 1;
}

int
axdr_octets_n(const struct axdr_tree *t, size_t i, size_t n)
{
	const struct axdr_node *nd = axdr_at(t, i);

	return nd->tag == AXDR_OCTET_STRING && nd->vlen == n;
}
