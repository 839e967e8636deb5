/* The DB envelope: a bare general-glo-ciphering APDU (tag DB) sent with no link layer
 * around it, as Luxembourg's P1 ports and some Austrian P1 ports send them: DB, the system
 * title's length (08) and the title, an A-XDR length (one byte below 0x80, 81 xx or
 * 82 xx xx) of what follows, the security control byte (SC), the invocation counter,
 * the ciphertext and, with SC's A bit, a 12-byte tag. The header parse is shared with the
 * decryption (cosem/cipher.c), so both read the same bytes the same way.
 *
 * The framer cuts the stream by those length fields. The envelope has no checksum of its
 * own: only the GCM tag, checked by the decoder, tells a real APDU from bytes that happen
 * to look like one. So a candidate is taken only when its header is one a meter sends (a
 * title of 8, a length that leaves room for SC, IC and the tag, suite 0 or 1, no
 * compression), and a candidate still waiting for its bytes is cut short ("cut-short") by
 * a new header inside it whose system title is one an APDU before had (its own among
 * them), or by any header when its own title is new: a cut APDU, a stream that starts
 * inside one, or a false start in ciphertext, costs that APDU only, and no later one is
 * held back. DBENV_TITLES titles are remembered, the oldest forgotten first. */
#ifndef LINK_DBENV_H
#define LINK_DBENV_H
#include <stddef.h>
#include <stdint.h>
#include "link/unit.h"

#define DBENV_TAG 0xdb
#define DBENV_TITLE_LEN 8
#define DBENV_TAG_LEN 12	/* the GCM tag with SC's A bit */
#define DBENV_MAX 8192		/* bytes of one APDU, as link/reasm.h's REASM_MAX */
#define DBENV_BUFSZ (64 * 1024)
#define DBENV_TITLES 32

/* SC bits */
#define DBENV_SC_AUTH 0x10
#define DBENV_SC_ENC 0x20
#define DBENV_SC_COMPRESS 0x80
#define DBENV_SC_SUITE 0x0f

enum dbenv_err {
	DBENV_OK = 0,
	DBENV_ERR_SHORT,	/* the bytes end inside the header */
	DBENV_ERR_LENGTH,	/* a title that is not 8 bytes, a length that is no A-XDR
				 * length, or one with no room for SC, IC (and the tag) */
	DBENV_ERR_SECURITY,	/* SC: a suite above 1, compression, neither A nor E */
	DBENV_ERR_TOO_LONG,	/* more than DBENV_MAX bytes (the framer's bound) */
	DBENV_ERR_CUT,		/* the framer: a new APDU began inside this one */
	DBENV_ERR_TRUNCATED,	/* the framer: the input ended inside the APDU */
	DBENV_NERR
};

const char *dbenv_errname(int e);

/* The header of a ciphering APDU, as read. */
struct dbenv_hdr {
	uint8_t tag;
	const uint8_t *systitle;	/* DBENV_TITLE_LEN bytes */
	size_t sc_at;		/* offset of SC: the header's length */
	size_t len_at;		/* offset of the length field */
	size_t content;		/* the length field: SC, IC, ciphertext and tag */
	size_t total;		/* bytes of the whole APDU: sc_at + content */
	uint8_t sc;
	uint32_t ic;
};

/* Read the header of the APDU at p (n bytes there, from its tag; the tag itself is not
 * checked). The whole APDU need not be in: h->total says how long it is. *errpos: where
 * a failure is (n for DBENV_ERR_SHORT). */
enum dbenv_err dbenv_head(const uint8_t *p, size_t n, struct dbenv_hdr *h, size_t *errpos);

struct dbenv_framer {
	uint64_t base;		/* stream offset of buf[0] */
	size_t end, pos;	/* bytes in buf; the next to look at (a pending APDU's tag) */
	int pending;		/* an APDU at pos whose bytes are not all in */
	int strong;		/* its title is one seen before */
	size_t inner;		/* where the search for a header inside it goes on */
	unsigned ntitles, next_title;
	uint8_t titles[DBENV_TITLES][DBENV_TITLE_LEN];	/* of the APDUs reported */
	struct link_junk junk;
	struct dbenv_hdr h;
	uint8_t buf[DBENV_BUFSZ];
};

void dbenv_init(struct dbenv_framer *fr);
uint8_t *dbenv_space(struct dbenv_framer *fr, size_t *room);
void dbenv_commit(struct dbenv_framer *fr, size_t n, link_cb *cb, void *ctx);
void dbenv_finish(struct dbenv_framer *fr, link_cb *cb, void *ctx);
/* The stream offset before which no unit can still be reported. */
uint64_t dbenv_settled(const struct dbenv_framer *fr);

#endif
