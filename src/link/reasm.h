/* Reassembly of link segments into whole messages, bounded: HDLC frames with the
 * segmentation bit (IEC 62056-46: every segment but the last has it; per address pair)
 * and DLMS over wired M-Bus (CI 00 to 1F: the low nibble the segment's number, 10 the
 * last segment; each segment's data after its two transport bytes, STSAP and DTSAP; per
 * M-Bus address). A piece that does not continue the message being built drops that
 * message and is dropped itself, each with its own token, so two messages are never glued
 * together; a stream that starts inside a message loses only that message. */
#ifndef LINK_REASM_H
#define LINK_REASM_H
#include <stddef.h>
#include <stdint.h>
#include "base/fail.h"

#define REASM_MAX 8192		/* bytes of one message: above every push list seen */
#define REASM_SOURCES 8		/* address pairs building a message at once */

struct reasm_src {
	uint8_t kind;		/* 0 free, 'H' HDLC, 'M' M-Bus */
	uint8_t key[8], keylen;
	int next;		/* M-Bus: the number of the next segment */
	long tag;		/* the caller's tag of its first piece (a line number) */
	int pieces;		/* pieces in it so far */
	size_t len;
	uint64_t used;
	uint8_t buf[REASM_MAX];
};

struct reasm {
	uint64_t tick;
	long tag;		/* set by the caller before each piece: kept with a first one */
	int pieces;		/* the pieces of the last whole message given (1: a unit alone) */
	struct reasm_src s[REASM_SOURCES];
};

enum reasm_status {
	REASM_WHOLE,		/* *out, *outn: the whole message */
	REASM_MORE,		/* stored: the message is not whole yet */
	REASM_ERROR		/* *why: what was dropped, and why; when *out is not NULL
				 * the piece itself was a whole message, given there */
};

void reasm_init(struct reasm *ra);
/* A message still waiting for pieces (at the end of the input): 1 and its first piece's
 * tag, and it is dropped; 0 when none is left. */
int reasm_pending(struct reasm *ra, long *tag);
/* An HDLC frame's information field (seg: its S bit), addresses dst then src. */
enum reasm_status reasm_hdlc(struct reasm *ra, const uint8_t *addr, size_t alen, int seg,
    const uint8_t *info, size_t n, const uint8_t **out, size_t *outn, enum fail *why);
/* An M-Bus long frame's CI and the data after it. */
enum reasm_status reasm_mbus(struct reasm *ra, uint8_t a, uint8_t ci, const uint8_t *data,
    size_t n, const uint8_t **out, size_t *outn, enum fail *why);

#endif
