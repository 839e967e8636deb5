/* General Block Transfer reassembly; see gbt.h. */
#include <string.h>
#include "cosem/gbt.h"

#define GBT_TAG 0xe0
#define GBT_LAST 0x80

int
gbt_is_block(const uint8_t *p, size_t n)
{
	return n >= 1 && p[0] == GBT_TAG;
}

void
gbt_init(struct gbt *g)
{
	g->tick = 0;
	for (int i = 0; i < GBT_SOURCES; i++)
		g->s[i].used = 0;
}

int
gbt_pending(struct gbt *g, long *tag)
{
	struct gbt_src *first = NULL;

	for (int i = 0; i < GBT_SOURCES; i++)
		if (g->s[i].used && (!first || g->s[i].tag < first->tag))
			first = &g->s[i];
	if (!first)
		return 0;
	*tag = first->tag;
	first->used = 0;
	return 1;
}

/* The A-XDR length at p (n bytes): its value, and *hl the bytes it took; -1 if bad. */
static long
xdr_len(const uint8_t *p, size_t n, size_t *hl)
{
	size_t k;
	long v = 0;

	if (n < 1)
		return -1;
	if (p[0] < 0x80) {
		*hl = 1;
		return p[0];
	}
	k = p[0] & 0x7f;
	if (k < 1 || k > 3 || n < 1 + k)
		return -1;
	for (size_t i = 0; i < k; i++)
		v = v << 8 | p[1 + i];
	*hl = 1 + k;
	return v;
}

enum gbt_status
gbt_block(struct gbt *g, const uint8_t *key, size_t kl, const uint8_t *p, size_t n,
    const uint8_t **out, size_t *outn, enum fail *why)
{
	struct gbt_src *s = NULL;
	unsigned ctl, num;
	size_t hl;
	long dl;

	*out = NULL;
	if (kl > sizeof s->key)
		kl = sizeof s->key;
	if (n < 6 || p[0] != GBT_TAG)
		return *why = FAIL_SHORT_APDU, GBT_ERROR;
	ctl = p[1];
	num = (unsigned)p[2] << 8 | p[3];
	if ((dl = xdr_len(p + 6, n - 6, &hl)) < 0 || (size_t)dl != n - 6 - hl)
		return *why = FAIL_BAD_BLOCK, GBT_ERROR;
	p += 6 + hl;
	n = (size_t)dl;
	for (int i = 0; i < GBT_SOURCES; i++)
		if (g->s[i].used && g->s[i].keylen == kl && memcmp(g->s[i].key, key, kl) == 0)
			s = &g->s[i];
	if (num == 1) {
		enum fail lost = FAIL_NONE;
		if (s) {
			lost = FAIL_MISSING_BLOCK;	/* the APDU before never ended */
			s->used = 0;
		}
		if (ctl & GBT_LAST) {
			g->blocks = 1;
			*out = p;
			*outn = n;
			if (lost != FAIL_NONE)
				return *why = lost, GBT_ERROR;
			return GBT_WHOLE;
		}
		if (!s) {
			s = &g->s[0];
			for (int i = 0; i < GBT_SOURCES; i++) {
				if (!g->s[i].used) {
					s = &g->s[i];
					break;
				}
				if (g->s[i].tick < s->tick)
					s = &g->s[i];
			}
		}
		s->used = 1;
		s->keylen = (uint8_t)kl;
		memcpy(s->key, key, kl);
		s->len = 0;
		s->next = 1;
		s->tag = g->tag;
		if (lost != FAIL_NONE) {
			memcpy(s->buf, p, n <= GBT_MAX ? n : 0);
			s->len = n <= GBT_MAX ? n : 0;
			s->next = 2;
			s->tick = ++g->tick;
			*out = NULL;
			return *why = lost, GBT_ERROR;
		}
	} else if (!s) {
		*out = NULL;
		return *why = FAIL_ORPHAN_BLOCK, GBT_ERROR;
	} else if (num == s->next - 1) {
		*out = NULL;
		return *why = FAIL_DUPLICATE_BLOCK, GBT_ERROR;	/* the APDU goes on */
	} else if (num != s->next) {
		s->used = 0;
		*out = NULL;
		return *why = FAIL_MISSING_BLOCK, GBT_ERROR;
	}
	s->tick = ++g->tick;
	if (n > GBT_MAX - s->len) {
		s->used = 0;
		*out = NULL;
		return *why = FAIL_MESSAGE_TOO_LONG, GBT_ERROR;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->next++;
	if (!(ctl & GBT_LAST))
		return GBT_MORE;
	s->used = 0;
	g->blocks = s->next - 1;
	*out = s->buf;
	*outn = s->len;
	return GBT_WHOLE;
}
