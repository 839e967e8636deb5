/* A bounded byte writer (enc.h): every write is checked against the caller's buffer and
 * a write that does not fit is remembered, so a caller checks once; nothing is allocated. */
#include <string.h>
#include "base/enc.h"

void
enc_init(struct enc *e, uint8_t *buf, size_t cap)
{
	e->p = buf;
	e->len = 0;
	e->cap = cap;
	e->err = 0;
}

int
enc_room(struct enc *e, size_t n)
{
	if (e->err || e->cap - e->len < n) {
		e->err = 1;
		return 0;
	}
	return 1;
}

void
enc_u8(struct enc *e, unsigned v)
{
	if (enc_room(e, 1))
		e->p[e->len++] = (uint8_t)v;
}

void
enc_be16(struct enc *e, unsigned v)
{
	enc_be(e, v, 2);
}

void
enc_be32(struct enc *e, uint32_t v)
{
	enc_be(e, v, 4);
}

void
enc_be64(struct enc *e, uint64_t v)
{
	enc_be(e, v, 8);
}

void
enc_be(struct enc *e, uint64_t v, size_t w)
{
	if (enc_room(e, w))
		for (size_t i = w; i-- > 0;)
			e->p[e->len++] = (uint8_t)(v >> (8 * i));
}

void
enc_bytes(struct enc *e, const void *p, size_t n)
{
	if (enc_room(e, n)) {
		memcpy(e->p + e->len, p, n);
		e->len += n;
	}
}

