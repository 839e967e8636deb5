/* HDLC frame format type 3 as HAN meters send it (IEC 62056-46): validation of one frame,
 * and an incremental framer that finds every valid frame in a byte stream, reporting
 * through link/unit.h.
 *
 * Frames are cut by their 11-bit length field; 0x7E and 0x7D inside a frame are data. A
 * candidate that fails any check is dropped and the search resumes at the byte after its
 * opening flag, so a good frame that starts inside damaged bytes is still found. One routine
 * checks a frame for both (hdlc_check() and the framer), so they cannot drift apart. */
#ifndef LINK_HDLC_H
#define LINK_HDLC_H
#include <stddef.h>
#include <stdint.h>
#include "link/unit.h"

#define HDLC_MAX_LEN 2047		/* the length field's limit: bytes between the flags */
#define HDLC_MAX_FRAME (HDLC_MAX_LEN + 2)	/* with both flags */
#define HDLC_FLAG 0x7e
#define HDLC_ESCAPE 0x7d		/* octet-stuffed mode: the next byte is XOR 0x20 */
#define HDLC_FORMAT_TYPE 0xa		/* frame format type 3: the format field's top nibble */
#define HDLC_SEGMENT_BIT 0x08		/* in the format field's first byte */

enum hdlc_err {
	HDLC_OK = 0,
	HDLC_ERR_TYPE,		/* format type is not 0xA */
	HDLC_ERR_LENGTH,	/* length too small for the header, or inconsistent */
	HDLC_ERR_ADDR,		/* an address longer than 4 bytes */
	HDLC_ERR_HCS,
	HDLC_ERR_FCS,
	HDLC_ERR_FLAG,		/* no closing flag where the length says */
	HDLC_ERR_TRUNCATED,	/* the input ended inside the frame */
	HDLC_ERR_STUFFING,	/* octet-stuffed mode: a bad escape */
	HDLC_NERR
};

/* Short name of an error, as the tools print it: "bad-fcs", "truncated" ... */
const char *hdlc_errname(int e);

/* A frame's header as read (a rejection's view has only p, len and offset). Pointers point into
 * the caller's buffer (hdlc_check) or the framer's (valid during the callback). */
struct hdlc_frame {
	const uint8_t *p;	/* from opening flag to closing flag inclusive */
	size_t len;		/* bytes at p: length field + 2 */
	uint64_t offset;	/* stream offset of the opening flag (framer only) */
	int segmented;		/* the format field's S bit */
	uint8_t dst[4], src[4];
	uint8_t dst_len, src_len;
	uint8_t control;
	const uint8_t *info;	/* information field (LLC + APDU), NULL if none */
	size_t info_len;
};

/* Validate one frame. p may start with the opening flag (then it must end with the closing
 * one) or directly with the format field (no flags at all, as some logs give frames).
 * The frame must fill exactly n bytes. On success fills *f. */
enum hdlc_err hdlc_check(const uint8_t *p, size_t n, struct hdlc_frame *f);

#define HDLC_BUFSZ (64 * 1024)
#define HDLC_WINDOW 4096	/* a power of two above HDLC_MAX_FRAME: the wheel's size */
/* Candidates held at once: each starts at its own byte within the last frame's length of
 * the scan, so there are never more than HDLC_MAX_FRAME. */
#define HDLC_CANDS 4096
#define HDLC_EVENTS 8192	/* rejections and junk runs held inside candidates */

/* A candidate frame whose bytes are not all in yet. */
struct hdlc_cand {
	uint64_t off;		/* its opening flag */
	uint16_t len;		/* its length field */
	uint16_t next;		/* the next in its wheel bucket */
	uint8_t state;
	uint8_t inside;		/* it starts inside a valid frame */
};

/* A rejection or junk run held while a pending candidate covers it. */
struct hdlc_event {
	uint64_t off;
	uint32_t len;		/* rejection: bytes checked; junk: bytes in the run */
	uint8_t kind;		/* LINK_REJECT or LINK_JUNK */
	uint8_t err;
	uint8_t dropped;	/* inside a frame that turned out valid */
};

struct hdlc_framer {
	int stuffed;		/* octet-stuffed (transparency) mode */
	uint64_t base;		/* stream offset of buf[0], a multiple of 16 */
	size_t end;		/* bytes in buf */
	uint64_t scan;		/* the next byte to look at */
	uint64_t resolved;	/* the wheel has run up to this offset */
	uint64_t valid_until;	/* bytes before this are inside a valid frame */
	unsigned chead, ccount;	/* pending candidates, in start order */
	unsigned ehead, ecount;	/* held events, in the order they came */
	int junk_open;		/* the last held event is a junk run still growing */
	int chain;		/* chk[chk_lo..nchk) are prefix registers */
	size_t chk_lo, nchk;
	uint64_t last_end;	/* the furthest end a candidate claimed */
	struct hdlc_frame f;	/* the one being reported */
	/* octet-stuffed mode */
	int esc, in_frame;
	uint64_t sframe_offset;
	size_t slen;
	uint16_t wheel[HDLC_WINDOW];	/* candidates by end offset, chained by next */
	uint16_t chk[HDLC_BUFSZ / 16 + 1];	/* the CRC register from an origin at base + 16 i */
	struct hdlc_cand cand[HDLC_CANDS];
	struct hdlc_event ev[HDLC_EVENTS];
	uint8_t sbuf[HDLC_MAX_FRAME + 8];
	uint8_t buf[HDLC_BUFSZ];
};

void hdlc_init(struct hdlc_framer *fr, int stuffed);
/* Read up to *room bytes into the returned space, then commit the count read; the
 * callback runs for each frame, rejection and junk run found, a frame as soon as its
 * closing flag has been committed, whatever candidate cut short came before it (a
 * rejection or junk inside a candidate still pending comes once that is decided). *room is
 * never 0: the framer keeps about two frames' worth of bytes. */
uint8_t *hdlc_space(struct hdlc_framer *fr, size_t *room);
void hdlc_commit(struct hdlc_framer *fr, size_t n, link_cb *cb, void *ctx);
/* End of stream: whatever is pending is reported (truncated candidates, junk), and frames
 * that start inside a truncated candidate are still found. */
void hdlc_finish(struct hdlc_framer *fr, link_cb *cb, void *ctx);
/* The stream offset before which no frame can still be reported: the oldest pending
 * candidate's flag, or the scan's position. */
uint64_t hdlc_settled(const struct hdlc_framer *fr);

#endif
