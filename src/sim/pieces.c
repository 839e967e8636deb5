/* han-sim's meters over links that cut a message in pieces: HDLC segments (the S bit), DLMS
 * General Block Transfer blocks in frames of their own (as Landis+Gyr and Iskraemeco push),
 * wired M-Bus segments (as the Austrian Kaifa and Sagemcom meters send them), and the bare
 * ciphered APDU with no link layer at all (Luxembourg's and some Austrian P1 ports). */
#include <string.h>
#include "link/hdlc.h"
#include "link/hdlc_enc.h"
#include "sim/sim.h"

#define SEG_INFO 64		/* information field bytes per HDLC segment */
#define GBT_DATA 96		/* APDU bytes per GBT block */
#define MBUS_DATA 200		/* APDU bytes per M-Bus segment */

const char *const sim_link_names[SIM_NLINK] = { "hdlc", "seg", "gbt", "mbus", "db" };

static void
mbus_frame(struct enc *e, unsigned ci, const uint8_t *p, size_t n)
{
	uint8_t h[9] = { 0x68, 0, 0, 0x68, 0x53, 0xff, 0, 0x01, 0x67 };
	unsigned sum = 0;
	size_t l = 5 + n;

	h[1] = h[2] = (uint8_t)l;
	h[6] = (uint8_t)ci;
	for (int i = 4; i < 9; i++)
		sum += h[i];
	for (size_t i = 0; i < n; i++)
		sum += p[i];
	enc_bytes(e, h, sizeof h);
	enc_bytes(e, p, n);
	enc_u8(e, sum & 0xff);
	enc_u8(e, 0x16);
}

int
sim_pieces(enum sim_link link, const uint8_t *f, size_t n, uint8_t *out, size_t cap,
    size_t *len, size_t *starts, int max)
{
	struct hdlc_frame fr;
	struct enc e;
	const uint8_t *apdu;
	size_t an, off = 0;
	int k = 0;

	if (hdlc_check(f, n, &fr) != HDLC_OK || !fr.info || fr.info_len < 4)
		return -1;
	apdu = fr.info + 3;	/* after the LLC */
	an = fr.info_len - 3;
	enc_init(&e, out, cap);
	do {
		size_t chunk, left;
		struct hdlc_enc h;
		if (k == max)
			return -1;
		starts[k] = e.len;
		switch (link) {
		case SIM_L_SEG:
			left = fr.info_len - off;
			chunk = left < SEG_INFO ? left : SEG_INFO;
			hdlc_begin(&e, &h, fr.dst, fr.dst_len, fr.src, fr.src_len, fr.control);
			enc_bytes(&e, fr.info + off, chunk);
			hdlc_end(&e, &h, chunk < left);
			break;
		case SIM_L_GBT:
			left = an - off;
			chunk = left < GBT_DATA ? left : GBT_DATA;
			hdlc_begin(&e, &h, fr.dst, fr.dst_len, fr.src, fr.src_len, fr.control);
			if (k == 0)
				enc_bytes(&e, fr.info, 3);
			enc_u8(&e, 0xe0);
			enc_u8(&e, (chunk == left ? 0x80 : 0) | 0x40);
			enc_be16(&e, (unsigned)k + 1);
			enc_be16(&e, 0);
			if (chunk >= 0x80)
				enc_u8(&e, 0x81);
			enc_u8(&e, (unsigned)chunk);
			enc_bytes(&e, apdu + off, chunk);
			hdlc_end(&e, &h, 0);
			break;
		case SIM_L_MBUS:
			left = an - off;
			chunk = left < MBUS_DATA ? left : MBUS_DATA;
			mbus_frame(&e, (unsigned)(k & 0x0f) | (chunk == left ? 0x10 : 0), apdu + off,
			    chunk);
			break;
		case SIM_L_DB:
			if (apdu[0] != 0xdb)
				return -1;	/* only a ciphered APDU goes bare */
			chunk = an;
			enc_bytes(&e, apdu, an);
			break;
		default:
			return -1;
		}
		off += chunk;
		k++;
	} while (off < (link == SIM_L_SEG ? fr.info_len : an));
	starts[k] = e.len;
	if (e.err)
		return -1;
	*len = e.len;
	return k;
}
