/* A bounded reader over a byte string, as tcpdump's GET_ macros: every multi-byte read of
 * a frame goes through it. A read past the end returns 0, leaves the position where it
 * was and latches the error (bad, and badpos the offset of the first failed read), so a
 * parser reads a whole header and checks once; it never reads past n. */
#ifndef BASE_CURSOR_H
#define BASE_CURSOR_H
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p;
	size_t n, pos;
	int bad;		/* a read did not fit */
	size_t badpos;		/* where the first failed read started */
};

static inline void
cur_init(struct cursor *c, const uint8_t *p, size_t n)
{
	c->p = p;
	c->n = n;
	c->pos = 0;
	c->bad = 0;
	c->badpos = 0;
}

static inline size_t
cur_left(const struct cursor *c)
{
	return c->n - c->pos;
}

/* Whether w more bytes can be read; if not, the error is latched. */
static inline int
cur_need(struct cursor *c, size_t w)
{
	if (c->bad || c->n - c->pos < w) {
		if (!c->bad)
			c->badpos = c->pos;
		c->bad = 1;
		return 0;
	}
	return 1;
}

static inline unsigned
get_u8(struct cursor *c)
{
	return cur_need(c, 1) ? c->p[c->pos++] : 0;
}

/* The next byte without taking it (0 at the end, without latching). */
static inline unsigned
peek_u8(const struct cursor *c)
{
	return !c->bad && c->pos < c->n ? c->p[c->pos] : 0;
}

/* w (0..8) bytes big-endian. */
static inline uint64_t
get_be(struct cursor *c, size_t w)
{
	uint64_t x = 0;

	if (!cur_need(c, w))
		return 0;
	for (size_t i = 0; i < w; i++)
		x = x << 8 | c->p[c->pos + i];
	c->pos += w;
	return x;
}

static inline unsigned
get_be16(struct cursor *c)
{
	return (unsigned)get_be(c, 2);
}

static inline uint32_t
get_be32(struct cursor *c)
{
	return (uint32_t)get_be(c, 4);
}

/* n bytes in place: a pointer to them, or NULL (latched) when they are not all there. */
static inline const uint8_t *
get_bytes(struct cursor *c, size_t n)
{
	const uint8_t *q;

	if (!cur_need(c, n))
		return NULL;
	q = c->p + c->pos;
	c->pos += n;
	return q;
}

#endif
