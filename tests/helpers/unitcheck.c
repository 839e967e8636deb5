/* unitcheck: the two hot-path primitives against slow references.
 *  - crc16_x25(), and crc16_x25_update() fed in two pieces, against a bit-at-a-time CRC on
 *    every length 0..1100 at every start offset 0..15 (pseudo-random bytes), on runs of
 *    0x00 and 0xFF, and on the standard check value ("123456789" -> 0x906E);
 *  - hex_encode() against snprintf("%02x") on every length 0..300 at every offset 0..15,
 *    with every byte value, checking it writes exactly 2n characters and no more.
 * Prints what it compared; exits 1 at the first mismatch. Built with -DHANTOOLS_PORTABLE
 * (and the sources) it checks the portable hex path instead of the SSE2 one. */
#include <stdio.h>
#include <string.h>
#include "link/crc.h"
#include "base/hex.h"

static uint16_t
bitwise(const uint8_t *p, size_t n)
{
	uint16_t c = 0xffff;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (uint16_t)((c >> 1) ^ 0x8408) : (uint16_t)(c >> 1);
	}
	return (uint16_t)(c ^ 0xffff);
}

static unsigned long crcs, hexes;

static int
crc_one(const uint8_t *p, size_t n, const char *what)
{
	uint16_t want = bitwise(p, n), a = crc16_x25(p, n);
	size_t cut = n / 3;
	uint16_t b = (uint16_t)(crc16_x25_update(crc16_x25_update(CRC16_X25_INIT, p, cut),
	    p + cut, n - cut) ^ 0xffff);

	crcs++;
	if (a != want || b != want) {
		printf("unitcheck: crc of %s, length %zu: want %04x, crc16_x25 %04x, in pieces "
		    "%04x\n", what, n, want, a, b);
		return 1;
	}
	return 0;
}

static int
hex_one(const uint8_t *p, size_t n)
{
	static char want[700], got[700];
	char *end;

	for (size_t i = 0; i < n; i++)
		snprintf(want + 2 * i, 3, "%02x", p[i]);
	memset(got, '!', sizeof got);
	end = hex_encode(got, p, n);
	hexes++;
	if (end != got + 2 * n || memcmp(got, want, 2 * n) != 0 || got[2 * n] != '!') {
		printf("unitcheck: hex of length %zu: want %.*s, got %.*s\n", n, (int)(2 * n), want,
		    (int)(2 * n + 1), got);
		return 1;
	}
	return 0;
}

int
main(void)
{
	static uint8_t buf[1200];
	uint32_t s = 12345;

	if (crc16_x25((const uint8_t *)"123456789", 9) != 0x906e) {
		puts("unitcheck: CRC of \"123456789\" is not 0x906e");
		return 1;
	}
	for (size_t i = 0; i < sizeof buf; i++) {
		s = s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(s >> 16);
	}
	for (size_t i = 0; i < 256; i++)	/* every byte value in the hex range */
		buf[300 + i] = (uint8_t)i;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n + off <= 1100; n++)
			if (crc_one(buf + off, n, "random bytes"))
				return 1;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 300; n++)
			if (hex_one(buf + 256 + off, n))
				return 1;
	/* the register over [a, b) from two prefix registers, as the framer checks FCSs */
	for (size_t a = 0; a < 40; a += 3)
		for (size_t b = a; b <= 1100; b += 7) {
			uint16_t ra = crc16_x25_update(0, buf, a), rb = crc16_x25_update(0, buf, b);
			uint16_t want = crc16_x25_update(CRC16_X25_INIT, buf + a, b - a);
			uint16_t got = crc16_x25_zeros(CRC16_X25_INIT ^ ra, b - a) ^ rb;
			crcs++;
			if (got != want) {
				printf("unitcheck: range [%zu, %zu) from prefixes: want %04x, got %04x\n",
				    a, b, want, got);
				return 1;
			}
		}
	if (crc16_x25_zeros(0x1234, 3000) != crc16_x25_update(0x1234, (const uint8_t[3000]){ 0 }, 3000)) {
		puts("unitcheck: zeros past CRC16_ZEROS_MAX");
		return 1;
	}
	memset(buf, 0, sizeof buf);
	for (size_t n = 0; n <= 300; n++)
		if (crc_one(buf, n, "zeros"))
			return 1;
	memset(buf, 0xff, sizeof buf);
	for (size_t n = 0; n <= 300; n++)
		if (crc_one(buf, n, "0xff bytes"))
			return 1;
	printf("unitcheck: %lu CRCs and %lu hex strings agree\n", crcs, hexes);
	return 0;
}
