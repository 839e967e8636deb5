/* Hex conversion tables: one 2-byte entry per byte value for encoding, a 256-entry digit
 * map for decoding. */
#include <string.h>
#include "hex.h"

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

char *
hex_encode(char *dst, const uint8_t *src, size_t n)
{
	if (!ready)
		build();
	for (size_t i = 0; i < n; i++) {
		memcpy(dst, pairs[src[i]], 2);
		dst += 2;
	}
	return dst;
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
		int h = hex_digit((unsigned char)src[2 * i]);
		int l = hex_digit((unsigned char)src[2 * i + 1]);
		if (h < 0 || l < 0) {
			if (bad)
				*bad = 2 * i + (h < 0 ? 0 : 1);
			return -1;
		}
		dst[i] = (uint8_t)(h << 4 | l);
	}
	return (long)n;
}
