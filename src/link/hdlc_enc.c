/* HDLC type-3 frames built around what a caller writes (hdlc_enc.h), for han-sim and the
 * tests: format field, addresses, control, HCS, FCS and flags. */
#include "base/enc.h"
#include "link/crc.h"
#include "link/hdlc.h"
#include "link/hdlc_enc.h"

void
hdlc_begin(struct enc *e, struct hdlc_enc *h, const uint8_t *dst, size_t dst_len,
    const uint8_t *src, size_t src_len, uint8_t control)
{
	h->start = e->len;
	enc_u8(e, HDLC_FLAG);
	enc_be16(e, 0);
	enc_bytes(e, dst, dst_len);
	enc_bytes(e, src, src_len);
	enc_u8(e, control);
	h->hcs = e->len;
	enc_be16(e, 0);
}

static void
put_crc(uint8_t *p, uint16_t c)
{
	p[0] = (uint8_t)(c & 0xff);	/* least significant byte first */
	p[1] = (uint8_t)(c >> 8);
}

void
hdlc_end(struct enc *e, const struct hdlc_enc *h, int segmented)
{
	size_t s = h->start, between;
	unsigned fmt;

	if (e->err)
		return;
	if (e->len == h->hcs + 2)
		e->len = h->hcs;	/* no information field: the FCS is the only check */
	between = e->len - (s + 1) + 2;
	if (between > HDLC_MAX_LEN) {
		e->err = 1;
		return;
	}
	fmt = 0xa000u | (segmented ? 0x0800u : 0) | (unsigned)between;
	e->p[s + 1] = (uint8_t)(fmt >> 8);
	e->p[s + 2] = (uint8_t)fmt;
	if (e->len > h->hcs)
		put_crc(e->p + h->hcs, crc16_x25(e->p + s + 1, h->hcs - (s + 1)));
	if (!enc_room(e, 3))
		return;
	put_crc(e->p + e->len, crc16_x25(e->p + s + 1, e->len - (s + 1)));
	e->len += 2;
	e->p[e->len++] = HDLC_FLAG;
}
