/* AES-128 encryption (FIPS-197) and the counter mode GCM needs, on two paths: a
 * bitsliced portable one, and AES-NI chosen at run time on x86-64 CPUs that have it.
 * Over 400 lines because both paths of one cipher and their shared key schedule belong
 * together: the tests check one against the other.
 *
 * Why the portable path is constant time: it never uses a key- or data-dependent value
 * as an index or a branch condition. There is no S-box table; SubBytes is computed. The
 * state of four blocks is held as eight 64-bit "bit planes" (plane k holds bit k of all
 * 64 bytes), so one AND or XOR acts on the same bit of every byte at once; the S-box
 * is the inverse in GF(2^8), computed as a fixed circuit of ANDs and XORs over a tower
 * field (sub_bytes() below), then the affine map of FIPS-197 5.1.1. ShiftRows and
 * MixColumns are fixed shifts and masks. Every key and every input takes the same
 * instructions and touches the same memory, so timing and cache state reveal nothing.
 * AES-NI does the rounds in hardware, also in constant time, and the key expansion with
 * AESKEYGENASSIST. Being four blocks wide is also what makes the bitsliced path fast
 * enough: counter mode asks for four blocks at a time. */
#include <string.h>
#include "crypto/aes.h"

/* gcc -O2 leaves the short loops over planes rolled, which keeps the planes in memory
 * (a third slower); clang unrolls them anyway and does a little worse when told to. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define UNROLL _Pragma("GCC unroll 8")
#else
#define UNROLL
#endif

#if defined(__x86_64__) && !defined(HANTOOLS_PORTABLE)
#define HAVE_NI 1
#include <smmintrin.h>
#include <wmmintrin.h>
#define NI __attribute__((target("aes,pclmul,sse4.1")))
#endif

static int forced_portable;

void
crypto_force_portable(int on)
{
	forced_portable = on != 0;
}

int
crypto_fast(void)
{
#ifdef HAVE_NI
	return !forced_portable && __builtin_cpu_supports("aes") &&
	    __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
#else
	return 0;
#endif
}

void
crypto_wipe(void *p, size_t n)
{
	/* Stores through a volatile pointer are observable behaviour: the compiler must
	 * keep them even though the buffer is never read again. */
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void
aes128_wipe(struct aes128 *k)
{
	crypto_wipe(k, sizeof *k);
}

/*
 * The portable path. Four blocks, 64 bytes, live in q[0..7]: bit k of state byte
 * (row r, column c) of block b is bit 16r + 4c + b of q[k]. Each row is then one
 * 16-bit lane, which makes MixColumns (rows combine with rows) a 64-bit rotation and
 * ShiftRows (a row rotates by whole columns) a rotation inside each lane.
 */

/* Exchange the bits of a selected by m << s with the bits of b selected by m. */
static void
swapmove(uint64_t *a, uint64_t *b, int s, uint64_t m)
{
	uint64_t t = ((*a >> s) ^ *b) & m;

	*b ^= t;
	*a ^= t << s;
}

/* Transpose each of the eight 8x8 bit matrices formed by byte m of q[0..7]: afterwards
 * bit j of byte m of q[k] is what bit k of byte m of q[j] was. It is its own inverse. */
static void
transpose(uint64_t q[8])
{
	swapmove(&q[0], &q[1], 1, 0x5555555555555555u);
	swapmove(&q[2], &q[3], 1, 0x5555555555555555u);
	swapmove(&q[4], &q[5], 1, 0x5555555555555555u);
	swapmove(&q[6], &q[7], 1, 0x5555555555555555u);
	swapmove(&q[0], &q[2], 2, 0x3333333333333333u);
	swapmove(&q[1], &q[3], 2, 0x3333333333333333u);
	swapmove(&q[4], &q[6], 2, 0x3333333333333333u);
	swapmove(&q[5], &q[7], 2, 0x3333333333333333u);
	swapmove(&q[0], &q[4], 4, 0x0f0f0f0f0f0f0f0fu);
	swapmove(&q[1], &q[5], 4, 0x0f0f0f0f0f0f0f0fu);
	swapmove(&q[2], &q[6], 4, 0x0f0f0f0f0f0f0f0fu);
	swapmove(&q[3], &q[7], 4, 0x0f0f0f0f0f0f0f0fu);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Byte i of x to byte 2i, and back. */
static uint64_t
spread(uint32_t x)
{
	uint64_t w = x;

	w = (w | w << 16) & 0x0000ffff0000ffffu;
	return (w | w << 8) & 0x00ff00ff00ff00ffu;
}

static uint32_t
gather(uint64_t w)
{
	w &= 0x00ff00ff00ff00ffu;
	w = (w | w >> 8) & 0x0000ffff0000ffffu;
	return (uint32_t)(w | w >> 16);
}

/* Byte m of word j before the transpose ends up at bit 8m + j of every plane. So word
 * j = 4(c & 1) + b holds block b's columns c with that low bit, byte m = 2r + (c >> 1)
 * being row r: 8m + j is then 16r + 4c + b. For j < 4 that is the block's bytes 0, 8,
 * 1, 9, 2, 10, 3, 11 (columns 0 and 2), for j >= 4 bytes 4, 12, 5, 13, ... */
static void
pack(uint64_t q[8], const uint8_t in[64])
{
	for (int j = 0; j < 8; j++) {
		const uint8_t *p = in + 16 * (j & 3) + 4 * (j >> 2);

		q[j] = spread(le32(p)) | spread(le32(p + 8)) << 8;
	}
	transpose(q);
}

static void
unpack(uint8_t out[64], uint64_t q[8])
{
	transpose(q);
	for (int j = 0; j < 8; j++) {
		uint8_t *p = out + 16 * (j & 3) + 4 * (j >> 2);

		put_le32(p, gather(q[j]));
		put_le32(p + 8, gather(q[j] >> 8));
	}
}

/* GF(16) = GF(2)[z]/(z^4 + z + 1) on four planes: r = a * b (z^4 = z + 1, so the
 * product's terms z^4, z^5, z^6 fold into z^0..z^3). r may be a or b. */
static void
gf16_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t c0 = a[0] & b[0];
	uint64_t c1 = (a[0] & b[1]) ^ (a[1] & b[0]);
	uint64_t c2 = (a[0] & b[2]) ^ (a[1] & b[1]) ^ (a[2] & b[0]);
	uint64_t c3 = (a[0] & b[3]) ^ (a[1] & b[2]) ^ (a[2] & b[1]) ^ (a[3] & b[0]);
	uint64_t c4 = (a[1] & b[3]) ^ (a[2] & b[2]) ^ (a[3] & b[1]);
	uint64_t c5 = (a[2] & b[3]) ^ (a[3] & b[2]);
	uint64_t c6 = a[3] & b[3];

	r[0] = c0 ^ c4;
	r[1] = c1 ^ c4 ^ c5;
	r[2] = c2 ^ c5 ^ c6;
	r[3] = c3 ^ c6;
}

/*
 * SubBytes on all 64 bytes. Inverting in GF(2^8) directly costs hundreds of gates, so
 * the byte is first mapped to an isomorphic tower field GF(16)[y]/(y^2 + y + L), L = z^3
 * + z^2 + z, where an element is a1 y + a0 with a1, a0 in GF(16) and
 *     (a1 y + a0)^-1 = (a1 y + a1 + a0) / N,  N = a1^2 L + a1 a0 + a0^2,
 * so one GF(16) inversion, three GF(16) products and a few linear maps do it (0 goes
 * to 0, as FIPS-197 wants). The map into the tower sends x to the root 0x39 (a1 = z
 * + 1, a0 = z^3 + 1) of the AES polynomial x^8 + x^4 + x^3 + x + 1, which is a field
 * isomorphism; the map back is merged with the affine step of FIPS-197 5.1.1 (its
 * constant 0x63 is the four NOTs). The GF(16) inverse, a^14, is written out in its
 * algebraic normal form. All of this was derived and checked on every byte value
 * against the FIPS-197 S-box before being written down here.
 */
static void
sub_bytes(uint64_t q[8])
{
	uint64_t a0[4], a1[4], n[4], d[4], lo[4], hi[4], x[4];
	uint64_t b23 = q[2] ^ q[3], b67 = q[6] ^ q[7], b57 = q[5] ^ q[7];
	uint64_t n01, n02, n12, n03, n13, n23;
	uint64_t u01, u45, u27;

	/* Into the tower. */
	a0[0] = q[0] ^ q[1] ^ q[6];
	a0[1] = b23 ^ b67;
	a0[2] = q[2] ^ q[4] ^ q[7];
	a0[3] = q[1] ^ q[2] ^ b67;
	a1[0] = q[1] ^ b23 ^ b57;
	a1[1] = q[1] ^ q[4] ^ q[5] ^ q[6];
	a1[2] = b23;
	a1[3] = b57;

	/* N = a1 a0 + a1^2 L + a0^2, the last two linear. */
	gf16_mul(n, a1, a0);
	n[0] ^= a1[1] ^ a1[2] ^ a0[0] ^ a0[2];
	n[1] ^= a1[0] ^ a0[2];
	n[2] ^= a1[0] ^ a1[1] ^ a1[3] ^ a0[1] ^ a0[3];
	n[3] ^= a1[0] ^ a1[1] ^ a0[3];

	/* d = N^-1 = N^14. */
	n01 = n[0] & n[1];
	n02 = n[0] & n[2];
	n12 = n[1] & n[2];
	n03 = n[0] & n[3];
	n13 = n[1] & n[3];
	n23 = n[2] & n[3];
	d[0] = n[0] ^ n[1] ^ n[2] ^ n[3] ^ n02 ^ n12 ^ (n01 & n[2]) ^ (n12 & n[3]);
	d[1] = n01 ^ n02 ^ n12 ^ n[3] ^ n13 ^ (n01 & n[3]);
	d[2] = n01 ^ n[2] ^ n02 ^ n[3] ^ n03 ^ (n02 & n[3]);
	d[3] = n[1] ^ n[2] ^ n[3] ^ n03 ^ n13 ^ n23 ^ (n12 & n[3]);

	/* The inverse: a1 d, (a1 + a0) d. */
	gf16_mul(hi, a1, d);
	UNROLL
	for (int i = 0; i < 4; i++)
		x[i] = a1[i] ^ a0[i];
	gf16_mul(lo, x, d);

	/* Out of the tower and through the affine map. */
	u01 = lo[0] ^ lo[1];
	u45 = hi[0] ^ hi[1];
	u27 = lo[2] ^ hi[3];
	q[0] = ~(u01 ^ hi[1] ^ hi[2]);
	q[1] = ~(lo[0] ^ hi[3]);
	q[2] = u01 ^ lo[2] ^ u45;
	q[3] = u01;
	q[4] = lo[0] ^ lo[3] ^ hi[0] ^ u27;
	q[5] = ~(lo[1] ^ lo[3] ^ u27);
	q[6] = ~(u45 ^ hi[3]);
	q[7] = lo[1] ^ u27;
}

/* Row r (lane r) rotates left by r columns: new column c is old column c + r, which
 * inside the lane is a right rotation by 4r bits. */
static void
shift_rows(uint64_t q[8])
{
	UNROLL
	for (int k = 0; k < 8; k++) {
		uint64_t x = q[k];

		q[k] = (x & 0x000000000000ffffu) |
		    ((x >> 4) & 0x000000000fff0000u) | ((x << 12) & 0x00000000f0000000u) |
		    ((x >> 8) & 0x000000ff00000000u) | ((x << 8) & 0x0000ff0000000000u) |
		    ((x >> 12) & 0x000f000000000000u) | ((x << 4) & 0xfff0000000000000u);
	}
}

static uint64_t
rotr(uint64_t x, int n)
{
	return (x >> n) | (x << (64 - n));
}

/* out_r = 2 a_r + 3 a_(r+1) + a_(r+2) + a_(r+3) = 2 t_r + a_(r+1) + t_(r+2), with
 * t_r = a_r + a_(r+1); "row r + 1 in row r's place" is a rotation by one lane. The
 * doubling (xtime) moves plane k to k + 1 and folds plane 7 into 0, 1, 3, 4 (0x1b). */
static void
mix_columns(uint64_t q[8])
{
	uint64_t a1[8], t[8];

	UNROLL
	for (int k = 0; k < 8; k++) {
		a1[k] = rotr(q[k], 16);
		t[k] = q[k] ^ a1[k];
	}
	UNROLL
	for (int k = 0; k < 8; k++)
		q[k] = a1[k] ^ rotr(t[k], 32);
	q[0] ^= t[7];
	q[1] ^= t[0] ^ t[7];
	q[2] ^= t[1];
	q[3] ^= t[2] ^ t[7];
	q[4] ^= t[3] ^ t[7];
	q[5] ^= t[4];
	q[6] ^= t[5];
	q[7] ^= t[6];
}

static void
add_round_key(uint64_t q[8], const uint64_t rk[8])
{
	UNROLL
	for (int k = 0; k < 8; k++)
		q[k] ^= rk[k];
}

static void
encrypt4_portable(const struct aes128 *k, const uint8_t in[64], uint8_t out[64])
{
	uint64_t q[8];

	pack(q, in);
	add_round_key(q, k->bs[0]);
	for (int r = 1; r < 10; r++) {
		sub_bytes(q);
		shift_rows(q);
		mix_columns(q);
		add_round_key(q, k->bs[r]);
	}
	sub_bytes(q);
	shift_rows(q);
	add_round_key(q, k->bs[10]);
	unpack(out, q);
}

/* SubWord of the key expansion, through the same bitsliced S-box (bytes at bits 0..3). */
static void
sub_word(uint8_t w[4])
{
	uint64_t q[8];

	for (int k = 0; k < 8; k++) {
		q[k] = 0;
		for (int p = 0; p < 4; p++)
			q[k] |= (uint64_t)((w[p] >> k) & 1) << p;
	}
	sub_bytes(q);
	for (int p = 0; p < 4; p++) {
		unsigned v = 0;

		for (int k = 0; k < 8; k++)
			v |= (unsigned)((q[k] >> p) & 1) << k;
		w[p] = (uint8_t)v;
	}
	crypto_wipe(q, sizeof q);
}

/* FIPS-197 5.2 KeyExpansion, on bytes: w[i] = w[i-4] ^ (i % 4 ? w[i-1] :
 * SubWord(RotWord(w[i-1])) ^ Rcon[i/4]). */
static void
expand_portable(struct aes128 *k, const uint8_t key[16])
{
	static const uint8_t rcon[10] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,
		0x1b, 0x36 };
	uint8_t *w = &k->rk[0][0], t[4];

	memcpy(w, key, 16);
	for (int i = 4; i < 44; i++) {
		memcpy(t, w + 4 * (i - 1), 4);
		if (i % 4 == 0) {
			uint8_t t0 = t[0];

			t[0] = t[1];
			t[1] = t[2];
			t[2] = t[3];
			t[3] = t0;
			sub_word(t);
			t[0] ^= rcon[i / 4 - 1];
		}
		for (int j = 0; j < 4; j++)
			w[4 * i + j] = w[4 * (i - 4) + j] ^ t[j];
	}
	crypto_wipe(t, sizeof t);
}

#ifdef HAVE_NI
/* One step of the expansion: t's word 3 is SubWord(RotWord(w3)) ^ rcon; spread it
 * over all four words, and x ^= x << 32 ^ x << 64 ^ x << 96 makes the running XOR
 * w[i-4] ^ ... that FIPS-197's recurrence unrolls to. */
#define EXPAND_STEP(i, rcon) do { \
	__m128i t = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(x, rcon), 0xff); \
	x = _mm_xor_si128(x, _mm_slli_si128(x, 4)); \
	x = _mm_xor_si128(x, _mm_slli_si128(x, 8)); \
	x = _mm_xor_si128(x, t); \
	_mm_storeu_si128((__m128i *)(void *)k->rk[i], x); \
} while (0)

NI static void
expand_ni(struct aes128 *k, const uint8_t key[16])
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)key);

	_mm_storeu_si128((__m128i *)(void *)k->rk[0], x);
	EXPAND_STEP(1, 0x01);
	EXPAND_STEP(2, 0x02);
	EXPAND_STEP(3, 0x04);
	EXPAND_STEP(4, 0x08);
	EXPAND_STEP(5, 0x10);
	EXPAND_STEP(6, 0x20);
	EXPAND_STEP(7, 0x40);
	EXPAND_STEP(8, 0x80);
	EXPAND_STEP(9, 0x1b);
	EXPAND_STEP(10, 0x36);
}

#define LOADU(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define STOREU(p, x) _mm_storeu_si128((__m128i *)(void *)(p), x)

NI static void
encrypt_ni(const struct aes128 *k, const uint8_t in[16], uint8_t out[16])
{
	__m128i x = _mm_xor_si128(LOADU(in), LOADU(k->rk[0]));

	for (int r = 1; r < 10; r++)
		x = _mm_aesenc_si128(x, LOADU(k->rk[r]));
	STOREU(out, _mm_aesenclast_si128(x, LOADU(k->rk[10])));
}

/* Counter blocks differ only in their last word: insert the big-endian counter there.
 * Four blocks go through the rounds side by side to keep the AES unit busy. */
NI static void
ctr_ni(const struct aes128 *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in,
    uint8_t *out, size_t n)
{
	uint8_t base[16] = { 0 }, ks[16];
	__m128i rk[11], iv0;

	for (int r = 0; r < 11; r++)
		rk[r] = LOADU(k->rk[r]);
	memcpy(base, iv, 12);
	iv0 = LOADU(base);
	while (n >= 64) {
		__m128i b0 = _mm_insert_epi32(iv0, (int)__builtin_bswap32(ctr), 3);
		__m128i b1 = _mm_insert_epi32(iv0, (int)__builtin_bswap32(ctr + 1), 3);
		__m128i b2 = _mm_insert_epi32(iv0, (int)__builtin_bswap32(ctr + 2), 3);
		__m128i b3 = _mm_insert_epi32(iv0, (int)__builtin_bswap32(ctr + 3), 3);

		b0 = _mm_xor_si128(b0, rk[0]);
		b1 = _mm_xor_si128(b1, rk[0]);
		b2 = _mm_xor_si128(b2, rk[0]);
		b3 = _mm_xor_si128(b3, rk[0]);
		for (int r = 1; r < 10; r++) {
			b0 = _mm_aesenc_si128(b0, rk[r]);
			b1 = _mm_aesenc_si128(b1, rk[r]);
			b2 = _mm_aesenc_si128(b2, rk[r]);
			b3 = _mm_aesenc_si128(b3, rk[r]);
		}
		b0 = _mm_aesenclast_si128(b0, rk[10]);
		b1 = _mm_aesenclast_si128(b1, rk[10]);
		b2 = _mm_aesenclast_si128(b2, rk[10]);
		b3 = _mm_aesenclast_si128(b3, rk[10]);
		STOREU(out, _mm_xor_si128(b0, LOADU(in)));
		STOREU(out + 16, _mm_xor_si128(b1, LOADU(in + 16)));
		STOREU(out + 32, _mm_xor_si128(b2, LOADU(in + 32)));
		STOREU(out + 48, _mm_xor_si128(b3, LOADU(in + 48)));
		ctr += 4;
		in += 64;
		out += 64;
		n -= 64;
	}
	while (n > 0) {
		__m128i b = _mm_xor_si128(_mm_insert_epi32(iv0, (int)__builtin_bswap32(ctr), 3),
		    rk[0]);
		size_t m = n < 16 ? n : 16;

		for (int r = 1; r < 10; r++)
			b = _mm_aesenc_si128(b, rk[r]);
		b = _mm_aesenclast_si128(b, rk[10]);
		if (m == 16) {
			STOREU(out, _mm_xor_si128(b, LOADU(in)));
		} else {
			STOREU(ks, b);
			for (size_t i = 0; i < m; i++)
				out[i] = in[i] ^ ks[i];
			crypto_wipe(ks, sizeof ks);
		}
		ctr++;
		n -= m;
		if (n) {
			in += m;
			out += m;
		}
	}
}
#endif

static void
ctr_portable(const struct aes128 *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in,
    uint8_t *out, size_t n)
{
	uint8_t cb[64], ks[64];

	for (int b = 0; b < 4; b++)
		memcpy(cb + 16 * b, iv, 12);
	while (n > 0) {
		size_t m = n < 64 ? n : 64;

		for (int b = 0; b < 4; b++) {
			uint32_t c = ctr + (uint32_t)b;

			cb[16 * b + 12] = (uint8_t)(c >> 24);
			cb[16 * b + 13] = (uint8_t)(c >> 16);
			cb[16 * b + 14] = (uint8_t)(c >> 8);
			cb[16 * b + 15] = (uint8_t)c;
		}
		encrypt4_portable(k, cb, ks);
		for (size_t i = 0; i < m; i++)
			out[i] = in[i] ^ ks[i];
		ctr += 4;
		n -= m;
		if (n) {
			in += m;
			out += m;
		}
	}
	crypto_wipe(ks, sizeof ks);
}

void
aes128_init(struct aes128 *k, const uint8_t key[16])
{
	uint8_t four[64];

#ifdef HAVE_NI
	if (crypto_fast())
		expand_ni(k, key);
	else
#endif
		expand_portable(k, key);
	/* Both forms are always kept so that crypto_force_portable() can switch paths
	 * under an initialised key. */
	for (int r = 0; r < 11; r++) {
		for (int b = 0; b < 4; b++)
			memcpy(four + 16 * b, k->rk[r], 16);
		pack(k->bs[r], four);
	}
	crypto_wipe(four, sizeof four);
}

void
aes128_encrypt(const struct aes128 *k, const uint8_t in[16], uint8_t out[16])
{
	uint8_t four[64] = { 0 };

#ifdef HAVE_NI
	if (crypto_fast()) {
		encrypt_ni(k, in, out);
		return;
	}
#endif
	memcpy(four, in, 16);
	encrypt4_portable(k, four, four);
	memcpy(out, four, 16);
	crypto_wipe(four, sizeof four);
}

void
aes128_ctr32(const struct aes128 *k, const uint8_t iv[12], uint32_t ctr, const uint8_t *in,
    uint8_t *out, size_t n)
{
#ifdef HAVE_NI
	if (crypto_fast()) {
		ctr_ni(k, iv, ctr, in, out, n);
		return;
	}
#endif
	ctr_portable(k, iv, ctr, in, out, n);
}
