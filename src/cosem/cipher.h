/* general-glo-ciphering (0xDB) and general-ded-ciphering (0xDC) APDUs, security suites 0
 * and 1 (both AES-128-GCM for these APDUs, 12-byte tag): system title, security control byte (SC), invocation counter
 * (IC), ciphertext, tag. IV = system title || IC; AAD = SC || AK, and for authentication
 * only (SC 0x10) SC || AK || the plaintext. The green book (DLMS UA 1000-2) 9.2.7 is the
 * reference. Nothing is printed; key bytes stay in keyring.h's entries. */
#ifndef COSEM_CIPHER_H
#define COSEM_CIPHER_H
#include <stddef.h>
#include <stdint.h>
#include "base/enc.h"
#include "cosem/keyring.h"

#define CIPHER_TAG_LEN 12
#define CIPHER_SC_AUTH 0x10	/* A: a tag follows */
#define CIPHER_SC_ENC 0x20	/* E: the content is encrypted */
#define CIPHER_SC_BROADCAST 0x40	/* key set: broadcast rather than unicast */
#define CIPHER_SC_COMPRESS 0x80
#define CIPHER_SC_SUITE 0x0f

enum cipher_err {
	CIPHER_OK = 0,
	CIPHER_ERR_SHORT,	/* ends inside the header */
	CIPHER_ERR_LENGTH,	/* the length is more than the bytes (bytes after it are
				 * left out), or leaves no room
				 * for the tag; a system title that is not 8 bytes */
	CIPHER_ERR_UNSUPPORTED,	/* SC: a suite above 1, compression, neither A nor E */
	CIPHER_ERR_NO_KEY,	/* no key for this system title */
	CIPHER_ERR_BAD_TAG,	/* the tag does not match */
	CIPHER_ERR_TOO_LONG	/* more content than the plaintext buffer holds */
};

struct cipher_hdr {
	uint8_t tag;		/* 0xdb or 0xdc */
	uint8_t systitle[SYSTITLE_LEN];
	uint8_t sc;
	uint32_t ic;
	const uint8_t *ct;	/* ciphertext (or the plaintext when SC has no E bit) */
	size_t ctlen;
	const uint8_t *mac;	/* the tag, NULL when SC has no A bit */
};

/* Parse the APDU at p (from its tag). *errpos: offset of a failure. */
enum cipher_err cipher_parse(const uint8_t *p, size_t n, struct cipher_hdr *h, size_t *errpos);

/* Decrypt and/or verify into out (cap bytes; at least ctlen + 17 for SC 0x10). *auth is
 * 1 when the tag was verified, 0 when it could not be (no AK, or SC 0x20). On an error
 * nothing of the plaintext is left in out. */
enum cipher_err cipher_open(const struct cipher_hdr *h, const struct keyent *k, uint8_t *out,
    size_t cap, size_t *outlen, int *auth);

/* Write the ciphering APDU (tag 0xdb or 0xdc, no LLC) of plaintext pt[0..n) with SC sc
 * and IC ic into e: for han-sim and tests. The key must have an AK when sc has A. */
void cipher_seal(struct enc *e, uint8_t tag, const uint8_t st[SYSTITLE_LEN], uint8_t sc,
    uint32_t ic, const struct keyent *k, const uint8_t *pt, size_t n);

/* The system title as hex, then as text in parentheses where it is printable: the first
 * three bytes are the maker's FLAG id ("4b464d6d00001234 (KFM)"). buf: at least 40. */
size_t cipher_systitle_text(const uint8_t st[SYSTITLE_LEN], char *buf);
/* Whether the first three bytes are a FLAG id (three capital letters): *maker gets them. */
int cipher_maker(const uint8_t st[SYSTITLE_LEN], char maker[4]);

#endif
