/* -p auto: the units of the framer with no checksum of its own (the DB envelope), held
 * until every checked framer (HDLC, P1, M-Bus) has judged their bytes, and dropped when
 * they overlap a unit one of those reported. A ciphered APDU inside an HDLC or M-Bus frame,
 * or cut across several, then comes out once, as those frames; a bare one comes out as
 * soon as the checked framers have passed its bytes, which on a stream of bare APDUs is at
 * once. Units that carry nothing (an M-Bus ack, an empty HDLC frame) do not count: five
 * such bytes turn up by chance inside ciphertext.
 *
 * Exact and bounded on any input. A held unit ends after the point every checked framer
 * has settled (a candidate still pending is at most P1_MAX bytes long, the longest), so
 * held units lie within the last P1_MAX + DBENV_MAX bytes: HOLD_BYTES holds them. The
 * checked units are kept as their union, a sorted list of disjoint spans, from where the
 * DB framer may still begin a unit on (at most DBENV_MAX + HOLD_SLICE bytes behind the
 * input, as the framers are fed HOLD_SLICE bytes each in turn); spans there are apart by
 * a byte at least and 9 bytes long at least (an M-Bus long frame with one data byte), so
 * HOLD_SPANS holds them. */
#ifndef LINK_HOLD_H
#define LINK_HOLD_H
#include <stddef.h>
#include <stdint.h>
#include "link/dbenv.h"
#include "link/p1.h"
#include "link/unit.h"

#define HOLD_SLICE 512		/* bytes fed to every framer in turn */
#define HOLD_BYTES (32 * 1024)	/* >= P1_MAX + DBENV_MAX */
#define HOLD_UNITS 2048		/* the smallest unit is 16 bytes */
#define HOLD_SPANS 1024		/* >= (DBENV_MAX + HOLD_SLICE) / 10 + 2 */

struct hold {
	struct {
		uint64_t off;
		size_t len, at;	/* its bytes at ring[at], wrapping */
		int dropped;
	} q[HOLD_UNITS];
	unsigned qh, qn;
	size_t rh, rn;		/* ring bytes in use from rh */
	struct {
		uint64_t off, end;
	} sp[HOLD_SPANS];
	unsigned sn;
	uint8_t ring[HOLD_BYTES];
	uint8_t out[DBENV_MAX];	/* a unit being reported, made whole */
};

void hold_init(struct hold *h);
/* A unit of the DB envelope framer: held, unless a checked unit overlaps it. */
void hold_unit(struct hold *h, const struct link_report *r, link_cb *cb, void *ctx);
/* A unit of a checked framer: the held units it overlaps are dropped, and its span is kept
 * for those that come later. */
void hold_checked(struct hold *h, const struct link_report *r);
/* Report the held units whose bytes end at or before settled (UINT64_MAX: all); from is
 * where the DB framer may still begin a unit (spans that end before it are forgotten). */
void hold_release(struct hold *h, uint64_t settled, uint64_t from, link_cb *cb, void *ctx);

#endif
