/* A-XDR Data elements, COSEM date-times and the data-notification header written through
 * the bounded byte writer (base/enc.h). Used by han-sim, the TLV reader and tests that
 * need frames built from parts. */
#ifndef COSEM_AXDR_ENC_H
#define COSEM_AXDR_ENC_H
#include <stddef.h>
#include <stdint.h>
#include "base/enc.h"

/* An A-XDR length or element count: one byte below 0x80, else 0x81 xx / 0x82 xx xx. */
void enc_len(struct enc *e, size_t n);

/* A-XDR elements, each with its type tag (axdr.h's enum axdr_tag). */
void axe_null(struct enc *e);
void axe_array(struct enc *e, size_t count);
void axe_struct(struct enc *e, size_t count);
void axe_octets(struct enc *e, const void *p, size_t n);
void axe_visible(struct enc *e, const char *s, size_t n);
void axe_obis(struct enc *e, unsigned a, unsigned b, unsigned c, unsigned d, unsigned e5,
    unsigned f);
void axe_i8(struct enc *e, int v);		/* integer */
void axe_u8(struct enc *e, unsigned v);		/* unsigned */
void axe_i16(struct enc *e, int v);		/* long */
void axe_u16(struct enc *e, unsigned v);	/* long-unsigned */
void axe_i32(struct enc *e, int32_t v);		/* double-long */
void axe_u32(struct enc *e, uint32_t v);	/* double-long-unsigned */
void axe_u64(struct enc *e, uint64_t v);	/* long64-unsigned */
void axe_enum(struct enc *e, unsigned v);
/* A scaler-unit structure {integer scaler, enum unit}. */
void axe_scaler_unit(struct enc *e, int scaler, unsigned unit);

/* A COSEM date-time as its 12 bytes. Fields take DLMSTIME_UNSPEC (-1) for "not
 * specified" (0xFF, year 0xFFFF); deviation in minutes or DLMSTIME_DEV_UNSPEC; status -1
 * for 0xFF. */
struct enc_time {
	int year, month, day, wday, hour, min, sec, hundredths, deviation, status;
};
void enc_datetime(uint8_t out[12], const struct enc_time *t);	/* 12: DLMSTIME_LEN */

/* The data-notification header: LLC E6 E7 00 (when llc), tag 0x0F, the 4-byte
 * long-invoke-id-and-priority and the date-time: NULL for none (00), else 09 0C + 12
 * bytes or, when bare, 0C + 12 bytes as Kamstrup sends it. */
void apdu_notification(struct enc *e, int llc, uint32_t invoke, const uint8_t *time12,
    int bare);

#endif
