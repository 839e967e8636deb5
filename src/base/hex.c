/* Hex conversion: encoding sixteen bytes per step with SSE2 where the compiler targets it
 * (every x86-64; -DHANTOOLS_PORTABLE turns it off, for tests), four per step from a table
 * of digit pairs elsewhere, the table for the rest; decoding by a digit function. */
#include <string.h>
#include "base/hex.h"

static const char digits[] = "0123456789abcdef";
static char pairs[256][2];
static int ready;

static void
build(void)
{
	for (int i = 0; i < 256; i++) {
		pairs[i][0] = digits[i >> 4];
		pairs[i][1] = digits[i & 15];
	}
	ready = 1;
}

#if defined(__SSE2__) && !defined(HANTOOLS_PORTABLE)
#include <emmintrin.h>

/* Sixteen nibbles in x (0..15 each) to their lowercase digits. */
static __m128i
digits16(__m128i x)
{
	__m128i gt9 = _mm_cmpgt_epi8(x, _mm_set1_epi8(9));

	x = _mm_add_epi8(x, _mm_set1_epi8('0'));
	return _mm_add_epi8(x, _mm_and_si128(gt9, _mm_set1_epi8('a' - '0' - 10)));
}

/* 16 bytes at a time: split into high and low nibbles, interleave them (high first), map
 * each to its digit; 32 characters per two stores. */
static size_t
encode_wide(char *dst, const uint8_t *src, size_t n)
{
	const __m128i mask = _mm_set1_epi8(0x0f);
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
		__m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), mask);
		__m128i lo = _mm_and_si128(v, mask);
		_mm_storeu_si128((__m128i *)(void *)(dst + 2 * i), digits16(_mm_unpacklo_epi8(hi, lo)));
		_mm_storeu_si128((__m128i *)(void *)(dst + 2 * i + 16),
		    digits16(_mm_unpackhi_epi8(hi, lo)));
	}
	return i;
}
#else
/* Four bytes at a time: eight characters gathered from the table, one store. */
static size_t
encode_wide(char *dst, const uint8_t *src, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		char w[8];
		memcpy(w, pairs[src[i]], 2);
		memcpy(w + 2, pairs[src[i + 1]], 2);
		memcpy(w + 4, pairs[src[i + 2]], 2);
		memcpy(w + 6, pairs[src[i + 3]], 2);
		memcpy(dst + 2 * i, w, 8);
	}
	return i;
}
#endif

char *
hex_encode(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	if (!ready)
		build();
	i = encode_wide(dst, src, n);
	if (i < n && i >= 16) {
		/* the last bytes: encode the last full width again, overlapping what is done */
		encode_wide(dst + 2 * (n - 16), src + n - 16, 16);
		return dst + 2 * n;
	}
	for (; i < n; i++)
		memcpy(dst + 2 * i, pairs[src[i]], 2);
	return dst + 2 * n;
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A digit's value + 1, 0 for a character that is none: by table, because ciphertext's
 * hex mixes digits and letters at random, and the branches of hex_digit() then cost more
 * than the decryption itself. */
static const uint8_t digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

long
hex_decode(uint8_t *dst, size_t cap, const char *src, size_t len, size_t *bad)
{
	size_t n = len / 2;

	if (len % 2 || n > cap) {
		if (bad)
			*bad = len % 2 ? len : cap * 2;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned hv = digit1[(unsigned char)src[2 * i]];
		unsigned lv = digit1[(unsigned char)src[2 * i + 1]];
		if (!hv || !lv) {
			int h = (int)hv - 1;
			if (bad)
				*bad = 2 * i + (h < 0 ? 0 : 1);
			return -1;
		}
		dst[i] = (uint8_t)((hv - 1) << 4 | (lv - 1));
	}
	return (long)n;
}
