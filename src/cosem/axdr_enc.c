/* A-XDR encoders for han-sim and the TLV reader (axdr_enc.h); every write goes through the
 * bounded byte writer of base/enc.h. */
#include "base/enc.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "link/llc.h"

void
enc_len(struct enc *e, size_t n)
{
	if (n < 0x80) {
		enc_u8(e, (unsigned)n);
	} else if (n < 0x100) {
		enc_u8(e, 0x81);
		enc_u8(e, (unsigned)n);
	} else {
		enc_u8(e, 0x82);
		enc_be16(e, (unsigned)(n & 0xffff));
	}
}

void axe_null(struct enc *e) { enc_u8(e, AXDR_NULL); }

void
axe_array(struct enc *e, size_t count)
{
	enc_u8(e, AXDR_ARRAY);
	enc_len(e, count);
}

void
axe_struct(struct enc *e, size_t count)
{
	enc_u8(e, AXDR_STRUCTURE);
	enc_len(e, count);
}

void
axe_octets(struct enc *e, const void *p, size_t n)
{
	enc_u8(e, AXDR_OCTET_STRING);
	enc_len(e, n);
	enc_bytes(e, p, n);
}

void
axe_visible(struct enc *e, const char *s, size_t n)
{
	enc_u8(e, AXDR_VISIBLE_STRING);
	enc_len(e, n);
	enc_bytes(e, s, n);
}

void
axe_obis(struct enc *e, unsigned a, unsigned b, unsigned c, unsigned d, unsigned e5,
    unsigned f)
{
	uint8_t o[6] = { (uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d, (uint8_t)e5, (uint8_t)f };

	axe_octets(e, o, 6);
}

void
axe_i8(struct enc *e, int v)
{
	enc_u8(e, AXDR_INTEGER);
	enc_u8(e, (unsigned)v & 0xff);
}

void
axe_u8(struct enc *e, unsigned v)
{
	enc_u8(e, AXDR_UNSIGNED);
	enc_u8(e, v & 0xff);
}

void
axe_i16(struct enc *e, int v)
{
	enc_u8(e, AXDR_LONG);
	enc_be16(e, (unsigned)v & 0xffff);
}

void
axe_u16(struct enc *e, unsigned v)
{
	enc_u8(e, AXDR_LONG_UNSIGNED);
	enc_be16(e, v & 0xffff);
}

void
axe_i32(struct enc *e, int32_t v)
{
	enc_u8(e, AXDR_DOUBLE_LONG);
	enc_be32(e, (uint32_t)v);
}

void
axe_u32(struct enc *e, uint32_t v)
{
	enc_u8(e, AXDR_DOUBLE_LONG_UNSIGNED);
	enc_be32(e, v);
}

void
axe_u64(struct enc *e, uint64_t v)
{
	enc_u8(e, AXDR_LONG64_UNSIGNED);
	enc_be64(e, v);
}

void
axe_enum(struct enc *e, unsigned v)
{
	enc_u8(e, AXDR_ENUM);
	enc_u8(e, v & 0xff);
}

void
axe_scaler_unit(struct enc *e, int scaler, unsigned unit)
{
	axe_struct(e, 2);
	axe_i8(e, scaler);
	axe_enum(e, unit);
}

static uint8_t
unspec_byte(int v)
{
	return v == DLMSTIME_UNSPEC ? 0xff : (uint8_t)v;
}

void
enc_datetime(uint8_t out[DLMSTIME_LEN], const struct enc_time *t)
{
	unsigned y = t->year == DLMSTIME_UNSPEC ? 0xffff : (unsigned)t->year;
	unsigned dev = t->deviation == DLMSTIME_DEV_UNSPEC ? 0x8000 : (unsigned)t->deviation & 0xffff;

	out[0] = (uint8_t)(y >> 8);
	out[1] = (uint8_t)y;
	out[2] = unspec_byte(t->month);
	out[3] = unspec_byte(t->day);
	out[4] = unspec_byte(t->wday);
	out[5] = unspec_byte(t->hour);
	out[6] = unspec_byte(t->min);
	out[7] = unspec_byte(t->sec);
	out[8] = unspec_byte(t->hundredths);
	out[9] = (uint8_t)(dev >> 8);
	out[10] = (uint8_t)dev;
	out[11] = unspec_byte(t->status);
}

void
apdu_notification(struct enc *e, int llc, uint32_t invoke, const uint8_t *time12, int bare)
{
	if (llc) {
		enc_u8(e, LLC_DST_LSAP);
		enc_u8(e, LLC_SRC_RESPONSE);
		enc_u8(e, LLC_QUALITY);
	}
	enc_u8(e, APDU_DATA_NOTIFICATION);
	enc_be32(e, invoke);
	if (!time12) {
		enc_u8(e, 0x00);
		return;
	}
	if (!bare)
		enc_u8(e, AXDR_OCTET_STRING);
	enc_u8(e, DLMSTIME_LEN);
	enc_bytes(e, time12, DLMSTIME_LEN);
}

