/* Test helper: build an HDLC type-3 frame from its parts and print it as hex, so the
 * framer tests can make valid frames (and then damage them) by hand.
 *   mkframe [-f FORMAT] [-H HCS] [-F FCS] DST SRC CONTROL [INFO]
 *       all hex; INFO may be empty or absent. -f sets the 2-byte format field instead of
 *       the right one, -H/-F set the check values (as sent, LSB first); the other check
 *       values are still computed over what is written, so each fault stands alone.
 *   mkframe -k TEXT   print CRC-16/X.25 of TEXT's bytes as 4 hex digits */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "link/crc.h"
#include "base/hex.h"

static size_t
unhex(uint8_t *dst, size_t cap, const char *s)
{
	long n = hex_decode(dst, cap, s, strlen(s), NULL);
	if (n < 0) {
		fprintf(stderr, "mkframe: bad hex: %s\n", s);
		return (size_t)-1;
	}
	return (size_t)n;
}

/* A check value given as it appears on the wire ("abcd" = ab then cd) as the CRC
 * value that is sent LSB first. */
static uint16_t
wire(long v)
{
	return (uint16_t)(((v >> 8) & 0xff) | (v & 0xff) << 8);
}

int
main(int argc, char *argv[])
{
	uint8_t f[4200], a[8], b[8], ctl[2];
	char out[8500];
	size_t da, sa, cl, il = 0, n = 0, len;
	uint16_t c;
	long fmt = -1, hcs = -1, fcs = -1;
	int o;

	while ((o = getopt(argc, argv, "f:F:H:k:")) != -1) {
		switch (o) {
		case 'f': fmt = strtol(optarg, NULL, 16); break;
		case 'F': fcs = strtol(optarg, NULL, 16); break;
		case 'H': hcs = strtol(optarg, NULL, 16); break;
		case 'k':
			printf("%04x\n", crc16_x25((const uint8_t *)optarg, strlen(optarg)));
			return 0;
		default:
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 4 || argc > 5) {
		fputs("usage: mkframe [-f FORMAT] [-H HCS] [-F FCS] DST SRC CONTROL [INFO]\n", stderr);
		return 2;
	}
	if ((da = unhex(a, 8, argv[1])) == (size_t)-1 || (sa = unhex(b, 4, argv[2])) == (size_t)-1 ||
	    (cl = unhex(ctl, 1, argv[3])) != 1)
		return 2;
	if (argc == 5 && (il = unhex(f + 3 + da + sa + 1 + 2, 4000, argv[4])) == (size_t)-1)
		return 2;
	len = 2 + da + sa + 1 + 2 + (il ? il + 2 : 0);
	f[n++] = 0x7e;
	if (fmt < 0)
		fmt = 0xa000 | (long)len;
	f[n++] = (uint8_t)(fmt >> 8);
	f[n++] = (uint8_t)(fmt & 0xff);
	memcpy(f + n, a, da);
	n += da;
	memcpy(f + n, b, sa);
	n += sa;
	f[n++] = ctl[0];
	c = crc16_x25(f + 1, n - 1);
	if (hcs >= 0 && il)
		c = wire(hcs);
	if (fcs >= 0 && !il)
		c = wire(fcs);
	f[n++] = (uint8_t)(c & 0xff);
	f[n++] = (uint8_t)(c >> 8);
	if (il) {
		n += il;
		c = crc16_x25(f + 1, n - 1);
		if (fcs >= 0)
			c = wire(fcs);
		f[n++] = (uint8_t)(c & 0xff);
		f[n++] = (uint8_t)(c >> 8);
	}
	f[n++] = 0x7e;
	*hex_encode(out, f, n) = '\0';
	puts(out);
	return 0;
}
