/* The receive path: one entry point from a link payload (an HDLC information field, a bare
 * APDU or a bare notification body) to a message, for every tool and fuzz harness, so what
 * is fuzzed is what runs. It parses the APDU header, decodes a data-notification's body and
 * insists that the body fills the APDU. A ciphered APDU (general-glo/ded-ciphering) is
 * decrypted and checked here, with the keys given to rx_keys(), and its plaintext takes
 * the same path. Later stages hold here too (segment reassembly, block transfer),
 * bounded, with their state in struct rx. */
#ifndef COSEM_RX_H
#define COSEM_RX_H
#include <stddef.h>
#include <stdint.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/cipher.h"
#include "cosem/keyring.h"

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
	RX_ERR_SEGMENT,		/* a segment of a longer APDU, not reassembled */
	RX_ERR_CIPHER,		/* a ciphered APDU: m->sub is an enum cipher_err */
	RX_ERR_WRONG_KEY,	/* unauthenticated plaintext that is no notification */
	RX_ERR_P1,		/* the plaintext is a P1 telegram: m->a.p, m->a.len hold its
				 * text for a P1 reader */
	RX_ERR_NOT_AUTH,	/* not authenticated, and RX_REQUIRE_AUTH */
	RX_ERR_IC_BACK		/* the IC did not increase, and RX_REJECT_IC_BACK */
};

/* How a ciphered APDU was received (m->sec; ciphered 0 for a clear one). */
struct rx_sec {
	uint8_t ciphered;	/* the ciphering APDU's tag: 0xdb glo, 0xdc ded; 0 clear */
	uint8_t systitle[SYSTITLE_LEN];
	uint8_t sc;		/* security control byte */
	uint32_t ic;		/* invocation counter */
	int auth;		/* the tag was verified (never set when it was not checked) */
	int ic_back;		/* the IC is not above this system title's last one */
	uint32_t prev_ic;	/* ... which was this */
	int first_unauth;	/* the first unauthenticated APDU of this system title since
				 * the start: say so once */
};

/* Policy for ciphered APDUs (rx_keys). */
enum rx_opts {
	RX_REQUIRE_AUTH = 1,	/* refuse what is not authenticated (RX_ERR_NOT_AUTH) */
	RX_REJECT_IC_BACK = 2	/* refuse an IC that does not increase (RX_ERR_IC_BACK) */
};

struct rx_msg {
	int body;		/* a bare body: a is not set */
	struct apdu a;		/* the APDU header */
	const struct axdr_tree *tree;	/* the decoded body; NULL for an APDU kind that is not
					 * decoded (its bytes are a.p, a.len) */
	enum rx_err err;
	int sub;		/* the layer's own error code */
	long errpos;		/* offset into the payload where it failed, -1 if none */
	struct rx_sec sec;	/* a ciphered APDU's header, also on most of its errors */
	int pieces;		/* set by the caller: the link pieces it came in (0 or 1: one) */
	unsigned blocks;	/* and its GBT blocks (0: not block transfer) */
};

#define RX_TITLES 32		/* system titles whose last IC is remembered */
#define RX_PLAIN_MAX 4096	/* bytes of plaintext one ciphered APDU may hold */

/* What is remembered of a system title: its last IC (in memory only: a restarted tool
 * starts again with the first APDU it sees). */
struct rx_title {
	uint8_t systitle[SYSTITLE_LEN];
	uint32_t ic;
	int used, told_unauth;
};

struct rx {
	struct axdr_tree tree;
	const struct keyring *keys;	/* NULL: no keys */
	unsigned opts;			/* enum rx_opts */
	struct rx_title title[RX_TITLES];
	unsigned ntitle, next;		/* in use; the next to reuse when all are */
	uint8_t plain[RX_PLAIN_MAX + 17];	/* plaintext (m->a points into it) */
};

void rx_init(struct rx *rx);
/* Keys for ciphered APDUs (kept by the caller) and the policy. With keys NULL (the
 * default) a ciphered APDU is a message with no tree, its bytes kept for a later stage. */
void rx_keys(struct rx *rx, const struct keyring *keys, unsigned opts);
/* Take one payload of n bytes (flags: enum rx_flags). */
enum rx_status rx_payload(struct rx *rx, const uint8_t *p, size_t n, unsigned flags,
    struct rx_msg *m);
/* What went wrong: its token of the failure vocabulary (base/fail.def). */
const char *rx_errname(const struct rx_msg *m);

#endif
