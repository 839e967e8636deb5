/* A-XDR typed data (DLMS/COSEM "Data", IEC 62056-6-2) decoded into a flat tree held in a
 * fixed arena: no allocation, bounded depth and node count. Nodes are in pre-order; a
 * container's children follow it, and node.next skips its whole subtree. */
#ifndef AXDR_H
#define AXDR_H
#include <stddef.h>
#include <stdint.h>

#define AXDR_MAX_NODES 2048	/* a 2047-byte frame cannot hold more elements */
#define AXDR_MAX_DEPTH 16

enum axdr_tag {
	AXDR_NULL = 0, AXDR_ARRAY = 1, AXDR_STRUCTURE = 2, AXDR_BOOLEAN = 3,
	AXDR_BIT_STRING = 4, AXDR_DOUBLE_LONG = 5, AXDR_DOUBLE_LONG_UNSIGNED = 6,
	AXDR_OCTET_STRING = 9, AXDR_VISIBLE_STRING = 10, AXDR_UTF8_STRING = 12, AXDR_BCD = 13,
	AXDR_INTEGER = 15, AXDR_LONG = 16, AXDR_UNSIGNED = 17, AXDR_LONG_UNSIGNED = 18,
	AXDR_COMPACT_ARRAY = 19, AXDR_LONG64 = 20, AXDR_LONG64_UNSIGNED = 21, AXDR_ENUM = 22,
	AXDR_FLOAT32 = 23, AXDR_FLOAT64 = 24, AXDR_DATE_TIME = 25, AXDR_DATE = 26, AXDR_TIME = 27
};

enum axdr_err {
	AXDR_OK = 0,
	AXDR_ERR_SHORT,		/* the bytes end inside an element */
	AXDR_ERR_TAG,		/* unknown type tag */
	AXDR_ERR_DEPTH,		/* nesting deeper than AXDR_MAX_DEPTH */
	AXDR_ERR_NODES,		/* more than AXDR_MAX_NODES elements */
	AXDR_ERR_LENGTH,	/* a length or count that cannot be right (e.g. > bytes left) */
	AXDR_ERR_COMPACT	/* a malformed compact-array type description */
};

struct axdr_node {
	uint8_t tag;		/* enum axdr_tag */
	uint8_t depth;		/* 0 for the root */
	uint16_t count;		/* array, structure, compact-array: number of elements */
	uint32_t next;		/* index of the first node after this subtree */
	uint32_t off;		/* offset of the element's tag byte in the decoded buffer */
	uint32_t voff;		/* offset of its value (after tag and any length) */
	uint32_t vlen;		/* value bytes (strings: their length; bit-string: ceil(bits/8)) */
	uint32_t bits;		/* bit-string: number of bits */
	union {
		int64_t i;	/* boolean, integer types, enum */
		uint64_t u;	/* unsigned types */
		double d;	/* float32, float64 */
	} v;
};

struct axdr_tree {
	const uint8_t *buf;	/* the decoded bytes (not copied) */
	size_t n;		/* nodes used */
	struct axdr_node node[AXDR_MAX_NODES];
};

/* Checked access for code that walks a tree by index (the meter lists): node i, or a
 * sentinel whose tag is AXDR_NONE when i is past the tree, so a wrong index fails to match
 * instead of reading nodes an earlier frame left in the arena. */
#define AXDR_NONE 0xff
extern const struct axdr_node axdr_none;

static inline const struct axdr_node *
axdr_at(const struct axdr_tree *t, size_t i)
{
	return i < t->n ? &t->node[i] : &axdr_none;
}

/* The index after node i's subtree (its next sibling), t->n past the end. */
static inline size_t
axdr_next(const struct axdr_tree *t, size_t i)
{
	return i < t->n ? t->node[i].next : t->n;
}

/* The value bytes of node i (NULL past the tree). */
static inline const uint8_t *
axdr_value(const struct axdr_tree *t, size_t i)
{
	return i < t->n ? t->buf + t->node[i].voff : NULL;
}
/* Decode one Data element (with everything nested in it) from p. *used gets the bytes it
 * took; on error *errpos gets the offset of the offending byte. */
enum axdr_err axdr_decode(struct axdr_tree *t, const uint8_t *p, size_t n, size_t *used,
    size_t *errpos);

const char *axdr_errname(enum axdr_err e);
/* DLMS name of a type tag ("double-long-unsigned"), or NULL for an unknown tag. */
const char *axdr_tagname(int tag);
/* Tag for a DLMS type name, or -1. */
int axdr_tagbyname(const char *name, size_t len);
/* Whether node i is a {scaler, unit} pair: a structure of exactly an integer and an enum;
 * then *scaler and *unit are set (either may be NULL). */
int axdr_scaler_unit(const struct axdr_tree *t, size_t i, int *scaler, unsigned *unit);
/* Whether node i is an octet-string of n bytes. */
int axdr_octets_n(const struct axdr_tree *t, size_t i, size_t n);

/* Byte width of a fixed-width type's value (0 for null-data), -1 for the others: the one
 * width table. */
int axdr_width(int tag);
/* Whether a node holds an integer value (v.i or v.u), and that value as signed/unsigned. */
int axdr_is_int(const struct axdr_node *nd);
int axdr_is_unsigned(const struct axdr_node *nd);

#endif
