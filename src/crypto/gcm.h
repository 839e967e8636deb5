/* AES-128-GCM (NIST SP 800-38D) as DLMS general-glo-ciphering uses it: a 12-byte IV
 * (system title || invocation counter), tags of up to 16 bytes (DLMS sends 12), and
 * GMAC for authentication-only messages. Constant time; nothing allocated or printed. */
#ifndef CRYPTO_GCM_H
#define CRYPTO_GCM_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/aes.h"

/* h[i] is H^(i+1) * x^-1 in GF(2^128), as {low, high} 64-bit halves of the bit string
 * read as a big-endian number (gcm.c explains the x^-1); h[1..3] let the fast path fold
 * four blocks per reduction. */
struct gcm {
	struct aes128 aes;
	uint64_t h[4][2];
};

void gcm_init(struct gcm *g, const uint8_t key[16]);
void gcm_wipe(struct gcm *g);

/* 96-bit IV only (all DLMS uses); taglen 0..16 (DLMS uses 12; 0 = no tag computed, and
 * tag may then be NULL). A taglen above 16 writes 16 bytes. ct may be pt (in place);
 * partly overlapping buffers are not allowed. n = 0 with everything in aad is GMAC (DLMS
 * security control 0x10). aad, pt and ct may be NULL when their length is 0. One key and
 * IV pair must never encrypt two messages: GCM's security rests on it. n is at most
 * 2^36 - 32 bytes (SP 800-38D); a meter message is a few kilobytes. */
void gcm_encrypt(const struct gcm *g, const uint8_t iv[12], const uint8_t *aad,
    size_t aadlen, const uint8_t *pt, size_t n, uint8_t *ct, uint8_t *tag, size_t taglen);

/* Returns 0 when the first taglen bytes of the tag match (or taglen is 0), -1 when they
 * do not or taglen is above 16. taglen is the caller's fixed policy (12 for DLMS), never
 * a length taken from the message: a forger would pick 1. On -1 the n bytes at pt are
 * zeroed, so no unauthenticated plaintext is ever written there. pt may be ct. */
int gcm_decrypt(const struct gcm *g, const uint8_t iv[12], const uint8_t *aad,
    size_t aadlen, const uint8_t *ct, size_t n, uint8_t *pt, const uint8_t *tag,
    size_t taglen);

/* 1 when the n bytes at a and b are equal, else 0, in time that depends on n only. */
int ct_memeq(const void *a, const void *b, size_t n);

#endif
