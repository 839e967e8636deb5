/* P1 telegrams (DSMR, and IEC 62056-21 mode D readouts as Nordic HAN-P1 ports send them):
 * an incremental framer that finds every intact telegram in a byte stream, reporting
 * through link/unit.h.
 *
 * A telegram is "/XXXn ident" CR LF, an empty line, data lines, and "!" with the
 * CRC-16/ARC of everything from "/" through "!" as 1 to 4 hex digits (DSMR 4 and 5, most
 * IEC meters), or "!" alone (DSMR 2.2 and 3, some IEC meters): such a telegram is passed
 * unchecked, and only when every data line has the shape "code(value)...". A telegram is
 * reported as soon as its check digits are in (the fourth digit, or the end of the line).
 *
 * Resynchronisation: a "/" at the start of a line ends the telegram in progress (it was
 * cut short: "no-end") and begins the next; a "/" inside a line is remembered, and when the
 * telegram around it fails its check the search starts again there, so a telegram whose
 * first bytes follow a damaged one without a line break is still found. No byte is scanned
 * more than twice. */
#ifndef LINK_P1_H
#define LINK_P1_H
#include <stddef.h>
#include <stdint.h>
#include "link/unit.h"

#define P1_MAX 16384		/* bytes from "/" through the check digits */
#define P1_IDENT_MAX 128	/* the identification line */
#define P1_BUFSZ (64 * 1024)

enum p1_err {
	P1_OK = 0,
	P1_ERR_CRC,		/* the check digits do not match */
	P1_ERR_NO_END,		/* a new telegram began before this one's "!" line */
	P1_ERR_TOO_LONG,	/* more than P1_MAX bytes without a "!" line */
	P1_ERR_CHAR,		/* a NUL, control or 8-bit byte inside the telegram */
	P1_ERR_IDENT,		/* not "/XXX..." then an empty line */
	P1_ERR_END_LINE,	/* something other than hex digits after "!" */
	P1_ERR_LINE,		/* no check digits, and a data line is not "code(value)" */
	P1_ERR_TRUNCATED,	/* the input ended inside the telegram */
	P1_NERR
};

const char *p1_errname(int e);

/* The framer's view of a telegram (LINK_UNIT) or of a rejected candidate (LINK_REJECT). */
struct p1_telegram {
	int checked;		/* it carried check digits and they match */
	int digits;		/* how many (0: none) */
	int past_ident;		/* a rejection: the identification line and empty line were
				 * right (a "/" inside binary data never gets that far) */
	size_t ident_len;	/* "/" through the last byte before the CR LF */
};

struct p1_framer {
	uint64_t base;		/* stream offset of buf[0] */
	size_t end, pos;	/* bytes in buf; the next to scan */
	int state, cr;
	int crlf;		/* the identification line ended CR LF: so must every line */
	size_t start, line, alt;	/* the candidate's "/", its current line, a "/" inside */
	uint16_t crc;
	int malformed;		/* a data line that is not "code(value)" */
	int digits;
	unsigned crcval;
	struct link_junk junk;	/* the junk run being counted */
	struct p1_telegram t;
	uint8_t buf[P1_BUFSZ];
};

void p1_init(struct p1_framer *fr);
/* As hdlc_space()/hdlc_commit()/hdlc_finish(): read into the space, commit the count. */
uint8_t *p1_space(struct p1_framer *fr, size_t *room);
void p1_commit(struct p1_framer *fr, size_t n, link_cb *cb, void *ctx);
void p1_finish(struct p1_framer *fr, link_cb *cb, void *ctx);
/* The stream offset before which no unit can still be reported. */
uint64_t p1_settled(const struct p1_framer *fr);

/* Check one telegram as hdlc-split writes it (line ends LF; the CR is put back for the
 * CRC, and a telegram whose check only matches without CRs passes too). n bytes from "/"
 * through the check digits. Returns P1_OK and fills *t, or the error. */
enum p1_err p1_check(const uint8_t *p, size_t n, struct p1_telegram *t);

#endif
