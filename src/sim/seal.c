/* han-sim's encrypted meters (-k): a finished clear frame rebuilt with the same HDLC
 * header around its APDU as a general-glo-ciphering APDU, so every maker's encoder stays
 * as it is and the truth (the plaintext's fields) does not change. */
#include <string.h>
#include "cosem/cipher.h"
#include "link/hdlc.h"
#include "link/hdlc_enc.h"
#include "link/llc.h"
#include "sim/sim.h"

void
sim_systitle(const struct sim_meter *mt, uint8_t st[8])
{
	static const char *const flag[] = { [SIM_AIDON] = "ADN", [SIM_KAIFA] = "KFM",
		[SIM_KAMSTRUP] = "KAM", [SIM_LG] = "LGZ" };
	uint64_t h = 0xcbf29ce484222325u;	/* FNV-1a of the meter number */

	for (const char *p = mt->id; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3u;
	memcpy(st, flag[mt->m->maker], 3);
	for (int i = 3; i < 8; i++, h >>= 8)
		st[i] = (uint8_t)h;
}

int
sim_seal(uint8_t *frame, size_t *len, size_t cap, const struct keyent *k,
    const uint8_t st[8], uint32_t ic)
{
	static uint8_t apdu[HDLC_MAX_FRAME];
	struct hdlc_frame f;
	struct hdlc_enc h;
	struct enc e;
	size_t n;

	if (hdlc_check(frame, *len, &f) != HDLC_OK || !f.info || f.info_len < LLC_LEN)
		return -1;
	/* the information field is LLC + APDU; the APDU is copied out, the frame rewritten */
	n = f.info_len - LLC_LEN;
	memcpy(apdu, f.info + LLC_LEN, n);
	{
		uint8_t dst[4], src[4], llc[LLC_LEN], dl = f.dst_len, sl = f.src_len, ctl = f.control;
		memcpy(dst, f.dst, dl);
		memcpy(src, f.src, sl);
		memcpy(llc, f.info, LLC_LEN);
		enc_init(&e, frame, cap);
		hdlc_begin(&e, &h, dst, dl, src, sl, ctl);
		enc_bytes(&e, llc, LLC_LEN);
		cipher_seal(&e, 0xdb, st, k->has_ak ? CIPHER_SC_AUTH | CIPHER_SC_ENC :
		    CIPHER_SC_ENC, ic, k, apdu, n);
		hdlc_end(&e, &h, 0);
	}
	if (e.err)
		return -1;
	*len = e.len;
	return 0;
}
