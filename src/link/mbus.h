/* Wired M-Bus (EN 13757-2, FT1.2 frames) as the Austrian and Polish meters send DLMS over
 * it: validation of one long frame, and an incremental framer that finds every valid frame
 * in a byte stream, reporting through link/unit.h.
 *
 * A long frame is 68 L L 68, then L bytes (C, A, CI and data), the checksum (their sum
 * modulo 256) and 16. Sagemcom meters send 257-byte first segments with L = 01: an L below
 * 3, which no long frame can have, is taken as L + 256. The short frame 10 C A CS 16 and
 * the single character E5 are valid units without a payload (shown with -e). A candidate
 * that fails is dropped and the search goes on at its next byte; a candidate is at most
 * MBUS_MAX_FRAME bytes, so a cut frame holds the frames after it back by no more than
 * that. */
#ifndef LINK_MBUS_H
#define LINK_MBUS_H
#include <stddef.h>
#include <stdint.h>
#include "link/unit.h"

#define MBUS_MAX_FRAME (2 + 256 + 6)	/* L + 256, with the 6 bytes around it */
#define MBUS_BUFSZ (64 * 1024)

enum mbus_err {
	MBUS_OK = 0,
	MBUS_ERR_CHECKSUM,	/* the checksum byte does not match */
	MBUS_ERR_STOP,		/* no 16 where the length ends the frame */
	MBUS_ERR_TRUNCATED,	/* the input ended inside the frame */
	MBUS_NERR
};

const char *mbus_errname(int e);

/* A frame as read. */
struct mbus_frame {
	const uint8_t *p;	/* from the first 68 (or 10, E5) through the 16 */
	size_t len;
	uint8_t c, a, ci;	/* control, address, control information */
	int kind;		/* 'L' long frame, 'S' short frame, 'E' single character */
	const uint8_t *data;	/* after CI (long frames) */
	size_t data_len;
};

/* Validate one whole frame of exactly n bytes. */
enum mbus_err mbus_check(const uint8_t *p, size_t n, struct mbus_frame *f);

struct mbus_framer {
	uint64_t base;		/* stream offset of buf[0] */
	size_t end, pos;	/* bytes in buf; the next to look at */
	struct link_junk junk;
	struct mbus_frame f;
	uint8_t buf[MBUS_BUFSZ];
};

void mbus_init(struct mbus_framer *fr);
uint8_t *mbus_space(struct mbus_framer *fr, size_t *room);
void mbus_commit(struct mbus_framer *fr, size_t n, link_cb *cb, void *ctx);
void mbus_finish(struct mbus_framer *fr, link_cb *cb, void *ctx);
/* The stream offset before which no unit can still be reported. */
uint64_t mbus_settled(const struct mbus_framer *fr);

#endif
