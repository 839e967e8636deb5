/* The receive path; see rx.h. */
#include <string.h>
#include "base/fail.h"
#include "cosem/rx.h"

void
rx_init(struct rx *rx)
{
	rx->tree.n = 0;
}

static enum rx_status
fail(struct rx_msg *m, enum rx_err e, int sub, long pos)
{
	m->err = e;
	m->sub = sub;
	m->errpos = pos;
	m->tree = NULL;
	return RX_ERROR;
}

/* Decode the body at p (off bytes into the payload); it must take every byte. */
static enum rx_status
body(struct rx *rx, const uint8_t *p, size_t n, long off, struct rx_msg *m)
{
	size_t used, errpos;
	enum axdr_err e = axdr_decode(&rx->tree, p, n, &used, &errpos);

	if (e != AXDR_OK)
		return fail(m, RX_ERR_AXDR, e, off + (long)errpos);
	if (used != n)
		return fail(m, RX_ERR_TRAILING, 0, off + (long)used);
	m->tree = &rx->tree;
	return RX_MESSAGE;
}

enum rx_status
rx_payload(struct rx *rx, const uint8_t *p, size_t n, unsigned flags, struct rx_msg *m)
{
	size_t errpos;
	enum apdu_err ae;

	memset(m, 0, sizeof *m);
	m->errpos = -1;
	if (flags & RX_SEGMENT)
		return fail(m, RX_ERR_SEGMENT, 0, -1);
	if (flags & RX_BODY) {
		m->body = 1;
		return body(rx, p, n, 0, m);
	}
	if ((ae = apdu_parse(p, n, &m->a, &errpos)) != APDU_OK)
		return fail(m, RX_ERR_APDU, ae, (long)errpos);
	if (m->a.tag != APDU_DATA_NOTIFICATION)
		return RX_MESSAGE;	/* recognised, not decoded: the caller shows its bytes */
	return body(rx, m->a.body, m->a.body_len, (long)(m->a.body - p), m);
}

const char *
rx_errname(const struct rx_msg *m)
{
	switch (m->err) {
	case RX_OK: return fail_token(FAIL_NONE);
	case RX_ERR_APDU: return apdu_errname((enum apdu_err)m->sub);
	case RX_ERR_AXDR: return axdr_errname((enum axdr_err)m->sub);
	case RX_ERR_TRAILING: return fail_token(FAIL_TRAILING_BYTES);
	case RX_ERR_SEGMENT: return fail_token(FAIL_SEGMENT);
	}
	return fail_token(FAIL_N);
}
