/* CRC-16/X.25 computed slice-by-8: eight table lookups per eight bytes. The tables are
 * built once, on first use, from the reflected polynomial 0x8408. */
#include "crc16.h"

static uint16_t tab[8][256];
static int ready;

static void
build(void)
{
	for (int i = 0; i < 256; i++) {
		uint16_t c = (uint16_t)i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (uint16_t)((c >> 1) ^ 0x8408) : (uint16_t)(c >> 1);
		tab[0][i] = c;
	}
	for (int i = 0; i < 256; i++)
		for (int s = 1; s < 8; s++)
			tab[s][i] = (uint16_t)((tab[s - 1][i] >> 8) ^ tab[0][tab[s - 1][i] & 0xff]);
	ready = 1;
}

uint16_t
crc16_x25(const uint8_t *p, size_t n)
{
	uint16_t c = 0xffff;

	if (!ready)
		build();
	while (n >= 8) {
		c = (uint16_t)(tab[7][(p[0] ^ c) & 0xff] ^ tab[6][(p[1] ^ (c >> 8)) & 0xff] ^
		    tab[5][p[2]] ^ tab[4][p[3]] ^ tab[3][p[4]] ^ tab[2][p[5]] ^
		    tab[1][p[6]] ^ tab[0][p[7]]);
		p += 8;
		n -= 8;
	}
	while (n--)
		c = (uint16_t)((c >> 8) ^ tab[0][(c ^ *p++) & 0xff]);
	return (uint16_t)(c ^ 0xffff);
}
