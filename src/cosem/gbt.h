/* General Block Transfer (DLMS, IEC 62056-5-3: the E0 APDU): the blocks of one long APDU,
 * each in its own link frame, joined into it. A block is E0, block-control (80 the last
 * block, 40 streaming, the window in the low six bits), its number (from 1), the number it
 * acknowledges, and its data with an A-XDR length. Per source (the link address), bounded;
 * a block out of order drops the APDU being built with its own token and never glues two. */
#ifndef COSEM_GBT_H
#define COSEM_GBT_H
#include <stddef.h>
#include <stdint.h>
#include "base/fail.h"

#define GBT_MAX 8192		/* bytes of one APDU */
#define GBT_SOURCES 4

struct gbt_src {
	int used;
	uint8_t key[8], keylen;
	unsigned next;		/* the number of the next block */
	size_t len;
	long tag;		/* the caller's tag of its first block */
	uint64_t tick;
	uint8_t buf[GBT_MAX];
};

struct gbt {
	uint64_t tick;
	long tag;		/* set by the caller before each block */
	unsigned blocks;	/* the blocks of the last whole APDU given */
	struct gbt_src s[GBT_SOURCES];
};

enum gbt_status {
	GBT_WHOLE,		/* *out, *outn: the APDU the blocks carried */
	GBT_MORE,		/* stored */
	GBT_ERROR		/* *why; the block is dropped (and the APDU it was part of) */
};

/* Whether the APDU p (n bytes, LLC left out) is a GBT block. */
int gbt_is_block(const uint8_t *p, size_t n);
void gbt_init(struct gbt *g);
enum gbt_status gbt_block(struct gbt *g, const uint8_t *key, size_t kl, const uint8_t *p,
    size_t n, const uint8_t **out, size_t *outn, enum fail *why);
/* An APDU still waiting for blocks: 1 and its tag (it is dropped), 0 when none. */
int gbt_pending(struct gbt *g, long *tag);

#endif
