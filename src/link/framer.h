/* The link framers as rows of one table: a tool picks one by name (-p) and drives it
 * through link_space()/link_commit()/link_finish() without knowing which it is. Each row
 * reads straight into its own buffer (no copy between read(2) and the scan) and reports
 * through link/unit.h. Adding a link layer is one file in link/ and one row in framer.c. */
#ifndef LINK_FRAMER_H
#define LINK_FRAMER_H
#include <stddef.h>
#include <stdint.h>
#include "link/hdlc.h"
#include "link/p1.h"
#include "link/mbus.h"
#include "link/dbenv.h"
#include "link/unit.h"

#define LINK_STUFFED 1		/* HDLC: the line uses octet stuffing */

struct link;

struct framer {
	const char *name;	/* as -p takes it */
	const char *what;	/* one line for -h and the man page */
	enum link_kind kind;
	void (*init)(struct link *lk, unsigned flags);
	uint8_t *(*space)(struct link *lk, size_t *room);
	void (*commit)(struct link *lk, size_t n, link_cb *cb, void *ctx);
	void (*finish)(struct link *lk, link_cb *cb, void *ctx);
	const char *(*errname)(int err);
	int nerr;		/* error codes are 1 .. nerr - 1 */
	/* The stream offset before which no unit can still be reported: every unit that
	 * starts before it has been. */
	uint64_t (*settled)(const struct link *lk);
	int checked;		/* its units carry a check of their own (the DB envelope's do
				 * not: only the decoder's GCM tag checks them) */
};

extern const struct framer framers[];
extern const int nframers;
/* The row of kind k. */
const struct framer *framer_of(enum link_kind k);
/* The row named s (n bytes), or NULL. */
const struct framer *framer_byname(const char *s, size_t n);

/* A framer's state: every row's fits in it. */
struct link {
	const struct framer *fr;
	union {
		struct hdlc_framer hdlc;
		struct p1_framer p1;
		struct mbus_framer mbus;
		struct dbenv_framer db;
	} st;
};

void link_init(struct link *lk, const struct framer *fr, unsigned flags);

/* Copy n bytes in (for input that is not read straight into the space: hex text). */
void link_feed(struct link *lk, const uint8_t *p, size_t n, link_cb *cb, void *ctx);

static inline uint8_t *
link_space(struct link *lk, size_t *room)
{
	return lk->fr->space(lk, room);
}

static inline void
link_commit(struct link *lk, size_t n, link_cb *cb, void *ctx)
{
	lk->fr->commit(lk, n, cb, ctx);
}

static inline uint64_t
link_settled(const struct link *lk)
{
	return lk->fr->settled(lk);
}

static inline void
link_finish(struct link *lk, link_cb *cb, void *ctx)
{
	lk->fr->finish(lk, cb, ctx);
}

#endif
