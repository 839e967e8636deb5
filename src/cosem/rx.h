/* The receive path: one entry point from a link payload (an HDLC information field, a bare
 * APDU or a bare notification body) to a message, for every tool and fuzz harness, so what
 * is fuzzed is what runs. It parses the APDU header, decodes a data-notification's body and
 * insists that the body fills the APDU. Later stages hold here too (segment reassembly,
 * block transfer, decryption), bounded, with their state in struct rx. */
#ifndef COSEM_RX_H
#define COSEM_RX_H
#include <stddef.h>
#include <stdint.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"

enum rx_flags {
	RX_BODY = 1,		/* the payload is a bare notification body (A-XDR Data) */
	RX_SEGMENT = 2		/* the link marked it as one segment of a longer APDU */
};

enum rx_status {
	RX_ERROR = -1,		/* m->err says why */
	RX_MESSAGE = 0,		/* m holds a message */
	RX_MORE = 1		/* a piece was stored; the message is not whole yet */
};

enum rx_err {
	RX_OK = 0,
	RX_ERR_APDU,		/* the APDU header: m->sub is an enum apdu_err */
	RX_ERR_AXDR,		/* the body: m->sub is an enum axdr_err */
	RX_ERR_TRAILING,	/* bytes after a complete body */
	RX_ERR_SEGMENT		/* a segment of a longer APDU, not reassembled */
};

struct rx_msg {
	int body;		/* a bare body: a is not set */
	struct apdu a;		/* the APDU header */
	const struct axdr_tree *tree;	/* the decoded body; NULL for an APDU kind that is not
					 * decoded (its bytes are a.p, a.len) */
	enum rx_err err;
	int sub;		/* the layer's own error code */
	long errpos;		/* offset into the payload where it failed, -1 if none */
};

struct rx {
	struct axdr_tree tree;
};

void rx_init(struct rx *rx);
/* Take one payload of n bytes (flags: enum rx_flags). */
enum rx_status rx_payload(struct rx *rx, const uint8_t *p, size_t n, unsigned flags,
    struct rx_msg *m);
/* What went wrong: its token of the failure vocabulary (base/fail.def). */
const char *rx_errname(const struct rx_msg *m);

#endif
