/* What a link framer reports about the byte stream: a valid unit (an HDLC frame, later a
 * P1 telegram or an M-Bus frame), a candidate that failed its checks, or a run of bytes
 * that belong to no unit. Every framer reports through this, so the tools and the fuzz
 * harnesses handle all of them alike. */
#ifndef LINK_UNIT_H
#define LINK_UNIT_H
#include <stddef.h>
#include <stdint.h>

/* Which framer found a unit: the rows of link/framer.c. */
enum link_kind {
	LINK_HDLC,
	LINK_P1,
	LINK_MBUS,
	LINK_DB
};
#define LINK_NKINDS 4

enum link_event {
	LINK_UNIT,		/* a unit that passed every check */
	LINK_REJECT,		/* a candidate failed: err, and the bytes that were checked */
	LINK_JUNK		/* junk bytes between units (one report per run) */
};

struct link_report {
	enum link_event ev;
	enum link_kind kind;
	int err;		/* LINK_REJECT: the framer's error code (its errname names it) */
	const uint8_t *p;	/* LINK_UNIT: the whole unit; LINK_REJECT: what was checked */
	size_t len;
	uint64_t offset;	/* stream offset of p[0] (LINK_JUNK: of the run) */
	uint64_t junk;		/* LINK_JUNK: bytes in the run */
	const uint8_t *payload;	/* LINK_UNIT: what the unit carries for the next stage
				 * (HDLC: the information field), NULL if nothing */
	size_t payload_len;
	const void *hdr;	/* the framer's own view of the unit (HDLC: struct hdlc_frame) */
};

/* Called for each report; pointers are valid during the call only. */
typedef void link_cb(const struct link_report *r, void *ctx);

/* A run of junk bytes a framer is counting: one LINK_JUNK report when it ends. */
struct link_junk {
	uint64_t n, off;
};

static inline void
link_junk_add(struct link_junk *j, uint64_t off)
{
	if (!j->n)
		j->off = off;
	j->n++;
}

/* Report the run, if any, and start a new one. */
static inline void
link_junk_flush(struct link_junk *j, enum link_kind kind, link_cb *cb, void *ctx)
{
	struct link_report r = { .ev = LINK_JUNK, .kind = kind };

	if (!j->n)
		return;
	r.offset = j->off;
	r.junk = j->n;
	j->n = 0;
	cb(&r, ctx);
}

#endif
