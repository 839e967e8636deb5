/* cosem-decode's text form ("TLV"): one block per APDU, a header line and one line per
 * A-XDR element, a blank line after. The grammar is in hantools(5). The writer prints it;
 * the reader turns a block back into the exact APDU bytes, so every later stage decodes
 * the same bytes whether it was given frames or TLV. */
#ifndef TLV_H
#define TLV_H
#include <stddef.h>
#include <stdint.h>
#include "base/enc.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/rx.h"
#include "base/io.h"

/* Write one record. time: capture time or NULL/"" for none. a: the parsed APDU, or NULL
 * when body is a bare notification body. t: the body's decoded tree (NULL for an APDU kind
 * that is not decoded: its bytes are written raw). */
void tlv_write(struct output *o, const char *time, const struct apdu *a,
    const struct axdr_tree *t);
void tlv_write_body(struct output *o, const char *time, const struct axdr_tree *t);
/* A message of the receive path: a body, or an APDU with, when it came ciphered, its
 * security header (ciphered=glo systitle=... maker=... sc=.. ic=N auth=yes|no) on the
 * header line; the elements are the plaintext's, so it reads back without a key. */
void tlv_write_msg(struct output *o, const char *time, const struct rx_msg *m);

/* Reader: whether a line starts a TLV block ("apdu ..." or "body ..."). */
int tlv_is_header(const char *s, size_t n);
/* Whether a line is an element line (spaces, then a depth number). */
int tlv_is_element(const char *s, size_t n);

struct tlv_reader {
	struct enc e;		/* the bytes being rebuilt (enc_init by the caller) */
	int body;		/* a "body" block: no APDU header */
	int root;		/* the root element has been read */
	int top;		/* open containers */
	long need[AXDR_MAX_DEPTH + 1];	/* elements still due in each open container */
	char time[64];
	struct rx_sec sec;	/* the security header of a block that came ciphered */
	int sec_title;		/* ... with its systitle */
	int pieces;		/* pieces=N: the link pieces it was joined from */
	unsigned blocks;	/* gbt=N: its General Block Transfer blocks */
	const char *err;
	long errcol;
};
/* Parse a header line into r (r->e set up by the caller). 0 ok, -1 error (r->err). */
int tlv_read_header(struct tlv_reader *r, const char *s, size_t n);
/* Add one element line. 0 ok, -1 error. */
int tlv_read_element(struct tlv_reader *r, const char *s, size_t n);
/* The block ended: 0 if the tree is complete, -1 otherwise. */
int tlv_read_end(struct tlv_reader *r);

#endif
