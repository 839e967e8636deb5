/* Input records for the decoding tools (cosem-decode, ams-fields): one per line of
 * hdlc-split output (optionally prefixed by a capture time), a hex information field or
 * bare APDU or bare notification-body line, an hdlc-split -j JSON line, or a
 * cosem-decode TLV block, or a P1 telegram (its lines from "/" to "!"). '#' comment
 * lines and blank lines are passed over. Every record is brought to its APDU bytes, so both
 * tools decode the same bytes whatever stage they were given. */
#ifndef RECORD_H
#define RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "link/hdlc.h"
#include "link/p1.h"
#include "link/mbus.h"
#include "link/reasm.h"
#include "cosem/gbt.h"
#include "base/io.h"
#include "cosem/rx.h"

enum rec_kind {
	REC_FRAME,		/* an HDLC frame, with or without its flags */
	REC_INFO,		/* an information field: LLC E6 E7 00 then the APDU */
	REC_APDU,		/* a bare APDU */
	REC_BODY,		/* a bare notification body (A-XDR Data, no APDU header) */
	REC_TLV,		/* a cosem-decode TLV block (apdu or body) */
	REC_P1,			/* a P1 telegram: its lines from "/" through "!" (p1[]) */
	REC_MBUS		/* a wired M-Bus long frame (mbus): a DLMS segment */
};

struct record {
	enum rec_kind kind;
	long lineno;		/* line (first line of a block) where the record started */
	char time[64];		/* capture time given with the record, "" if none */
	struct hdlc_frame frame;	/* REC_FRAME: the checked frame */
	struct mbus_frame mbus;		/* REC_MBUS: the checked frame */
	const uint8_t *apdu;	/* what apdu_parse() takes (information field: LLC if any,
				 * then the APDU), or the bare body when .body; within bytes[] */
	size_t apdu_len;
	int has_llc;
	int body;		/* apdu holds a bare notification body */
	const char *err;	/* failure: its token (base/fail.def), e.g. "bad-fcs" */
	const char *detail;	/* and words that say more (bad-tlv: what), or NULL */
	long errpos;		/* failure: byte (or character) offset, -1 if none */
	int pieces;		/* REC_TLV: pieces=N of its header, 0 if none */
	unsigned blocks;	/* REC_TLV: gbt=N of its header, 0 if none */
	struct rx_sec sec;	/* REC_TLV of an APDU that came ciphered: its security header
				 * (sec.ciphered 0 otherwise); the bytes are the plaintext */
	size_t len;
	uint8_t bytes[HDLC_MAX_FRAME + 16];
	/* REC_P1: the telegram as read, lines ending LF, checked (p1_check) */
	struct p1_telegram tg;
	size_t p1_len;
	char p1[P1_MAX + 2];
};

struct recreader {
	struct lines *lines;
	/* private state for multi-line blocks */
	int pending;
	char *pline;
	size_t plen;
	long plineno;
};

void rec_init(struct recreader *rr, struct lines *lines);
/* Next record of the current file: 1 a record, 0 end of this file (check errno for a read
 * error), -1 a bad record (r->err, r->errpos and r->lineno say what and where; the reader
 * goes on with the next one on the following call). */
int rec_next(struct recreader *rr, struct record *r);

/* Make r the P1 telegram of the text p (n bytes, as a meter sends it: CR LF line ends, and
 * perhaps a CR LF after the check digits), as a deciphered APDU gives it: 1, or -1 with
 * r->err when it is no telegram that checks. */
int rec_p1_text(struct record *r, const uint8_t *p, size_t n);

/* What joins records into messages: link segments, then General Block Transfer blocks. */
struct rec_asm {
	struct reasm ra;
	struct gbt gbt;
	int pieces;		/* the last message given: its link pieces (1: a unit alone) */
	unsigned blocks;	/* and its GBT blocks (0: not block transfer) */
};

void rec_asm_init(struct rec_asm *a);
/* The message a good record completes: the record's own APDU, or, for a segment (an HDLC
 * frame with the S bit, an M-Bus DLMS segment) or a GBT block, the whole APDU once its last
 * piece is in. REASM_MORE: stored, nothing to decode yet; REASM_ERROR: *why, and when *p is
 * not NULL a message to decode all the same. */
enum reasm_status rec_message(struct rec_asm *a, const struct record *r, const uint8_t **p,
    size_t *n, enum fail *why);
/* A message still waiting for pieces at the end of the input: 1 and the line of its first
 * piece (it is dropped), 0 when none is left. */
int rec_pending(struct rec_asm *a, long *line);

#endif
