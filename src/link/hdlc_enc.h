/* HDLC type-3 frames built around what a caller writes through the bounded byte writer
 * (base/enc.h): format field, addresses, control, HCS, FCS and both flags. */
#ifndef LINK_HDLC_ENC_H
#define LINK_HDLC_ENC_H
#include <stddef.h>
#include <stdint.h>
#include "base/enc.h"

struct hdlc_enc {
	size_t start;		/* offset of the opening flag */
	size_t hcs;		/* offset of the HCS */
};

/* hdlc_begin writes the opening flag, a format field to be filled in, the addresses (1 to
 * 4 bytes each, given as sent, last byte with bit 0 set), the control byte and room for
 * the HCS; hdlc_end fills in the format field (type 0xA, segmentation bit, length) and
 * HCS, and appends the FCS and the closing flag. With nothing written in between the frame
 * has no information field and a single check sequence. */
void hdlc_begin(struct enc *e, struct hdlc_enc *h, const uint8_t *dst, size_t dst_len,
    const uint8_t *src, size_t src_len, uint8_t control);
void hdlc_end(struct enc *e, const struct hdlc_enc *h, int segmented);

#endif
