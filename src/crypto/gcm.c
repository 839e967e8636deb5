/* AES-128-GCM and GMAC (NIST SP 800-38D) with 96-bit IVs, over aes.c's counter mode.
 * GHASH runs on PCLMULQDQ when aes.c's fast path is on, else on a portable carry-less
 * multiply that, like the portable AES, never branches or indexes on secret values.
 *
 * Representation. GCM numbers the bits of a block from the left: bit 0 (the top bit of
 * byte 0) is the coefficient of x^0. Read as a big-endian 128-bit integer, coefficient i
 * is then integer bit 127 - i, and the plain carry-less product of two such integers A
 * and B, 255 bits wide, holds coefficient k of a(x)b(x) at bit 254 - k. Read as a
 * 256-bit value in the same convention (coefficient k at bit 255 - k) it is x * a * b:
 * one factor of x too many. Rather than shift every product right by one bit, the key
 * is stored as H * x^-1, so products come out exact. Reduction then folds the low 128
 * bits (coefficients 128..255) up with x^128 = x^7 + x^2 + x + 1 (reduce() below). */
#include <string.h>
#include "crypto/gcm.h"

#if defined(__x86_64__) && !defined(HANTOOLS_PORTABLE)
#define HAVE_NI 1
#include <smmintrin.h>
#include <wmmintrin.h>
#define NI __attribute__((target("aes,pclmul,sse4.1")))
#endif

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
	    (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | p[7];
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

int
ct_memeq(const void *a, const void *b, size_t n)
{
	/* volatile keeps the compiler from turning the loop into an early-exit memcmp. */
	const volatile uint8_t *p = a, *q = b;
	unsigned d = 0;

	for (size_t i = 0; i < n; i++)
		d |= p[i] ^ q[i];
	return (int)(1 & ((d - 1) >> 8));
}

/*
 * Portable GHASH. A 32x32-bit carry-less product from integer multiplications: keep
 * only every fourth bit of each operand (four masks each), so a column of an integer
 * product x_a * y_b sums at most 8 one-bits: the sum fits in its own bit and the 3 zero
 * bits above it, and never carries into the next kept bit. Bit k of such a product is
 * then the XOR over its column, and collecting the four products whose kept bits line up
 * with bit k's residue mod 4 gives the carry-less product. A 64-bit multiply takes the
 * same time for any operands on x86-64 and current ARM cores (some old embedded CPUs
 * finish early on small ones, which would leak); nothing else here depends on data.
 */
static uint64_t
clmul32(uint32_t x, uint32_t y)
{
	uint64_t x0 = x & 0x11111111u, x1 = x & 0x22222222u, x2 = x & 0x44444444u,
	    x3 = x & 0x88888888u;
	uint64_t y0 = y & 0x11111111u, y1 = y & 0x22222222u, y2 = y & 0x44444444u,
	    y3 = y & 0x88888888u;
	uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
	uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
	uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
	uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);

	return (z0 & 0x1111111111111111u) | (z1 & 0x2222222222222222u) |
	    (z2 & 0x4444444444444444u) | (z3 & 0x8888888888888888u);
}

/* 64x64 -> 128 by Karatsuba: three 32-bit products instead of four. */
static void
clmul64(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
	uint32_t x0 = (uint32_t)x, x1 = (uint32_t)(x >> 32);
	uint32_t y0 = (uint32_t)y, y1 = (uint32_t)(y >> 32);
	uint64_t a = clmul32(x0, y0), b = clmul32(x1, y1);
	uint64_t c = clmul32(x0 ^ x1, y0 ^ y1) ^ a ^ b;

	*lo = a ^ (c << 32);
	*hi = b ^ (c >> 32);
}

/* The 256-bit product z3:z2:z1:z0 (z3 most significant, coefficients 0..63) reduced to
 * 128 bits: fold z0 into z2:z1, then z1 into z3:z2. A coefficient 128 + m becomes
 * m, m + 1, m + 2, m + 7, which in this bit order is the word moved up by 128 bits and
 * shifted right by 0, 1, 2 and 7. */
static void
reduce(uint64_t r[2], uint64_t z3, uint64_t z2, uint64_t z1, uint64_t z0)
{
	z2 ^= z0 ^ (z0 >> 1) ^ (z0 >> 2) ^ (z0 >> 7);
	z1 ^= (z0 << 63) ^ (z0 << 62) ^ (z0 << 57);
	z3 ^= z1 ^ (z1 >> 1) ^ (z1 >> 2) ^ (z1 >> 7);
	z2 ^= (z1 << 63) ^ (z1 << 62) ^ (z1 << 57);
	r[1] = z3;
	r[0] = z2;
}

/* r = a * b * x (so a * H for b = H * x^-1); halves are {low, high}; r may alias. */
static void
gmul(uint64_t r[2], const uint64_t a[2], const uint64_t b[2])
{
	uint64_t h1, l1, h0, l0, hm, lm;

	clmul64(a[1], b[1], &h1, &l1);
	clmul64(a[0], b[0], &h0, &l0);
	clmul64(a[1] ^ a[0], b[1] ^ b[0], &hm, &lm);
	hm ^= h1 ^ h0;
	lm ^= l1 ^ l0;
	reduce(r, h1, l1 ^ hm, h0 ^ lm, l0);
}

/* y = (y + X) * H over the blocks of p, the last one zero-padded. */
static void
ghash_portable(const struct gcm *g, uint64_t y[2], const uint8_t *p, size_t n)
{
	uint8_t last[16];

	while (n > 0) {
		const uint8_t *b = p;
		size_t m = n < 16 ? n : 16;

		if (m < 16) {
			memset(last, 0, sizeof last);
			memcpy(last, p, m);
			b = last;
		}
		y[1] ^= be64(b);
		y[0] ^= be64(b + 8);
		gmul(y, y, g->h[0]);
		n -= m;
		if (n)
			p += m;
	}
}

#ifdef HAVE_NI
#define LOADU(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define STOREU(p, x) _mm_storeu_si128((__m128i *)(void *)(p), x)

/* The same reduction on two registers, hi = z3:z2 and lo = z1:z0, lanes = words. */
NI static __m128i
reduce_ni(__m128i hi, __m128i lo)
{
	__m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63),
	    _mm_slli_epi64(lo, 62)), _mm_slli_epi64(lo, 57));

	lo = _mm_xor_si128(lo, _mm_slli_si128(t, 8));	/* z0's spill into z1 */
	hi = _mm_xor_si128(hi, _mm_xor_si128(_mm_xor_si128(lo, _mm_srli_epi64(lo, 1)),
	    _mm_xor_si128(_mm_srli_epi64(lo, 2), _mm_srli_epi64(lo, 7))));
	t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(lo, 63), _mm_slli_epi64(lo, 62)),
	    _mm_slli_epi64(lo, 57));
	return _mm_xor_si128(hi, _mm_srli_si128(t, 8));	/* z1's spill into z2 */
}

/* Karatsuba terms of x * h, added into *hi, *lo, *mid; hk is h's two halves XORed. */
NI static void
mul_acc(__m128i x, __m128i h, __m128i hk, __m128i *hi, __m128i *lo, __m128i *mid)
{
	*lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(x, h, 0x00));
	*hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(x, h, 0x11));
	*mid = _mm_xor_si128(*mid, _mm_clmulepi64_si128(_mm_xor_si128(x,
	    _mm_shuffle_epi32(x, 0x4e)), hk, 0x00));
}

NI static __m128i
finish(__m128i hi, __m128i lo, __m128i mid)
{
	mid = _mm_xor_si128(mid, _mm_xor_si128(hi, lo));
	lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
	hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
	return reduce_ni(hi, lo);
}

/* y over the blocks of p, four at a time: (y + X1) H^4 + X2 H^3 + X3 H^2 + X4 H needs
 * one reduction instead of four. Blocks are byte-reversed on load so that a register
 * holds the big-endian integer the representation above is written in. */
NI static __m128i
ghash_ni(const struct gcm *g, __m128i y, const uint8_t *p, size_t n)
{
	const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	__m128i h[4], hk[4];
	uint8_t last[16];

	for (int i = 0; i < 4; i++) {
		h[i] = LOADU(g->h[i]);
		hk[i] = _mm_xor_si128(h[i], _mm_shuffle_epi32(h[i], 0x4e));
	}
	while (n >= 64) {
		__m128i hi = _mm_setzero_si128(), lo = hi, mid = hi;

		mul_acc(_mm_xor_si128(y, _mm_shuffle_epi8(LOADU(p), rev)), h[3], hk[3], &hi,
		    &lo, &mid);
		mul_acc(_mm_shuffle_epi8(LOADU(p + 16), rev), h[2], hk[2], &hi, &lo, &mid);
		mul_acc(_mm_shuffle_epi8(LOADU(p + 32), rev), h[1], hk[1], &hi, &lo, &mid);
		mul_acc(_mm_shuffle_epi8(LOADU(p + 48), rev), h[0], hk[0], &hi, &lo, &mid);
		y = finish(hi, lo, mid);
		p += 64;
		n -= 64;
	}
	while (n > 0) {
		__m128i hi = _mm_setzero_si128(), lo = hi, mid = hi, x;
		size_t m = n < 16 ? n : 16;

		if (m < 16) {
			memset(last, 0, sizeof last);
			memcpy(last, p, m);
			x = LOADU(last);
		} else {
			x = LOADU(p);
		}
		mul_acc(_mm_xor_si128(y, _mm_shuffle_epi8(x, rev)), h[0], hk[0], &hi, &lo,
		    &mid);
		y = finish(hi, lo, mid);
		n -= m;
		if (n)
			p += m;
	}
	return y;
}

NI static void
tag_ni(const struct gcm *g, const uint8_t *aad, size_t aadlen, const uint8_t *c, size_t n,
    uint8_t s[16])
{
	const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	uint8_t len[16];
	__m128i y = _mm_setzero_si128();

	put_be64(len, (uint64_t)aadlen * 8);
	put_be64(len + 8, (uint64_t)n * 8);
	y = ghash_ni(g, y, aad, aadlen);
	y = ghash_ni(g, y, c, n);
	y = ghash_ni(g, y, len, 16);
	STOREU(s, _mm_shuffle_epi8(y, rev));
}
#endif

/* S = GHASH(A || pad || C || pad || [len(A)]64 || [len(C)]64), SP 800-38D 7.1 step 5. */
static void
ghash_tag(const struct gcm *g, const uint8_t *aad, size_t aadlen, const uint8_t *c,
    size_t n, uint8_t s[16])
{
	uint64_t y[2] = { 0, 0 };
	uint8_t len[16];

#ifdef HAVE_NI
	if (crypto_fast()) {
		tag_ni(g, aad, aadlen, c, n, s);
		return;
	}
#endif
	put_be64(len, (uint64_t)aadlen * 8);
	put_be64(len + 8, (uint64_t)n * 8);
	ghash_portable(g, y, aad, aadlen);
	ghash_portable(g, y, c, n);
	ghash_portable(g, y, len, 16);
	put_be64(s, y[1]);
	put_be64(s + 8, y[0]);
	crypto_wipe(y, sizeof y);
}

void
gcm_init(struct gcm *g, const uint8_t key[16])
{
	uint8_t h[16] = { 0 };
	uint64_t hi, lo, m;

	aes128_init(&g->aes, key);
	aes128_encrypt(&g->aes, h, h);
	hi = be64(h);
	lo = be64(h + 8);
	/* H * x^-1: a left shift in this bit order, and when the x^0 bit (the top one)
	 * falls out, add x^-1 = x^127 + x^6 + x + 1, which is 0xc2000...0001. The mask
	 * keeps it branch-free. */
	m = 0 - (hi >> 63);
	g->h[0][1] = ((hi << 1) | (lo >> 63)) ^ (m & 0xc200000000000000u);
	g->h[0][0] = (lo << 1) ^ (m & 1);
	/* (H^i) x^-1 = (H x^-1) (H^(i-1) x^-1) x, which is what gmul computes. */
	for (int i = 1; i < 4; i++)
		gmul(g->h[i], g->h[0], g->h[i - 1]);
	crypto_wipe(h, sizeof h);
}

void
gcm_wipe(struct gcm *g)
{
	crypto_wipe(g, sizeof *g);
}

/* The first aes128_ctr32 call makes E(J0), J0 = IV || 1, together with the key stream
 * for the first three blocks (counters 2..4): the portable path computes four blocks in
 * one pass, so the tag mask costs nothing extra. */
#define FIRST 48

void
gcm_encrypt(const struct gcm *g, const uint8_t iv[12], const uint8_t *aad, size_t aadlen,
    const uint8_t *pt, size_t n, uint8_t *ct, uint8_t *tag, size_t taglen)
{
	uint8_t first[16 + FIRST] = { 0 }, s[16];
	size_t m = n < FIRST ? n : FIRST;

	if (m)
		memcpy(first + 16, pt, m);
	aes128_ctr32(&g->aes, iv, 1, first, first, 16 + m);
	if (m)
		memcpy(ct, first + 16, m);
	if (n > FIRST)
		aes128_ctr32(&g->aes, iv, 2 + FIRST / 16, pt + FIRST, ct + FIRST, n - FIRST);
	if (taglen > 0) {
		ghash_tag(g, aad, aadlen, ct, n, s);
		for (int i = 0; i < 16; i++)
			s[i] ^= first[i];
		memcpy(tag, s, taglen < 16 ? taglen : 16);
		crypto_wipe(s, sizeof s);
	}
	crypto_wipe(first, sizeof first);
}

/* The tag is checked before any plaintext is written: the first blocks are decrypted
 * into a local buffer only, and the rest only after the tag matched. */
int
gcm_decrypt(const struct gcm *g, const uint8_t iv[12], const uint8_t *aad, size_t aadlen,
    const uint8_t *ct, size_t n, uint8_t *pt, const uint8_t *tag, size_t taglen)
{
	uint8_t first[16 + FIRST] = { 0 }, s[16];
	size_t m = n < FIRST ? n : FIRST;
	int ok = taglen <= 16;

	if (ok) {
		if (m)
			memcpy(first + 16, ct, m);
		aes128_ctr32(&g->aes, iv, 1, first, first, 16 + m);
	}
	if (ok && taglen > 0) {
		ghash_tag(g, aad, aadlen, ct, n, s);
		for (int i = 0; i < 16; i++)
			s[i] ^= first[i];
		ok = ct_memeq(s, tag, taglen);
		crypto_wipe(s, sizeof s);
	}
	if (ok) {
		if (m)
			memcpy(pt, first + 16, m);
		if (n > FIRST)
			aes128_ctr32(&g->aes, iv, 2 + FIRST / 16, ct + FIRST, pt + FIRST,
			    n - FIRST);
	} else if (n) {
		memset(pt, 0, n);
	}
	crypto_wipe(first, sizeof first);
	return ok ? 0 : -1;
}
