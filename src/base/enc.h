/* A bounded byte writer: big-endian integers and byte runs written into a caller's fixed
 * buffer. Writes past the end are refused and remembered in e->err, so a caller checks
 * once. The A-XDR and HDLC encoders (cosem/axdr_enc.h, link/hdlc_enc.h) write through it. */
#ifndef BASE_ENC_H
#define BASE_ENC_H
#include <stddef.h>
#include <stdint.h>

struct enc {
	uint8_t *p;
	size_t len, cap;
	int err;		/* a write did not fit */
};

void enc_init(struct enc *e, uint8_t *buf, size_t cap);
/* Whether n more bytes fit; if not, e->err is set. */
int enc_room(struct enc *e, size_t n);
void enc_u8(struct enc *e, unsigned v);
void enc_be16(struct enc *e, unsigned v);
void enc_be32(struct enc *e, uint32_t v);
void enc_be64(struct enc *e, uint64_t v);
/* The low w (0..8) bytes of v, big-endian. */
void enc_be(struct enc *e, uint64_t v, size_t w);
void enc_bytes(struct enc *e, const void *p, size_t n);

#endif
