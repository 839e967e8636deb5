/* AES-128 (FIPS-197), encryption direction only: GCM runs the cipher forwards for both
 * directions, so the inverse cipher is never needed. Constant time on every path; AES-NI
 * is used when the CPU has it, chosen at run time (aes.c says how and why). */
#ifndef CRYPTO_AES_H
#define CRYPTO_AES_H
#include <stddef.h>
#include <stdint.h>

/* The expanded key in both forms, so either path can run with the same struct: rk is
 * the FIPS-197 key schedule as bytes (round r is rk[r], in the order AES-NI loads it),
 * bs the same round keys bitsliced for the portable path. No pointers: it may be
 * copied, and aes128_wipe() clears all of it. */
struct aes128 {
	uint8_t rk[11][16];
	uint64_t bs[11][8];
};

void aes128_init(struct aes128 *k, const uint8_t key[16]);
void aes128_encrypt(const struct aes128 *k, const uint8_t in[16], uint8_t out[16]);
/* Counter mode as GCM defines it (SP 800-38D GCTR with inc32): out = in XOR the key
 * stream E(iv || ctr), E(iv || ctr+1), ..., the 32-bit counter big-endian and wrapping
 * mod 2^32. n need not be a multiple of 16; in and out may be the same buffer. The
 * portable path makes four blocks of key stream in the time of one, so give it long runs. */
void aes128_ctr32(const struct aes128 *k, const uint8_t iv[12], uint32_t ctr,
    const uint8_t *in, uint8_t *out, size_t n);
/* Zero the whole struct with writes the compiler may not drop. */
void aes128_wipe(struct aes128 *k);
/* The same for any buffer: key material, key stream, tag masks. */
void crypto_wipe(void *p, size_t n);

/* 1 when the AES-NI/PCLMULQDQ path is in use: built without HANTOOLS_PORTABLE, on
 * x86-64, on a CPU that has AES, PCLMULQDQ and SSE4.1, and not forced off. */
int crypto_fast(void);
/* For tests: on != 0 makes every later call, in aes.c and gcm.c, take the portable path
 * even where the fast one is available; 0 undoes it. A plain global, not synchronised:
 * set it only while no other thread is using the crypto code. */
void crypto_force_portable(int on);

#endif
