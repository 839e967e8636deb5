/* The receive path; see rx.h. */
#include <string.h>
#include "base/fail.h"
#include "cosem/rx.h"

void
rx_init(struct rx *rx)
{
	rx->tree.n = 0;
	rx->keys = NULL;
	rx->opts = 0;
	rx->ntitle = rx->next = 0;
}

void
rx_keys(struct rx *rx, const struct keyring *keys, unsigned opts)
{
	rx->keys = keys;
	rx->opts = opts;
}

/* The remembered state of a system title, made when it is new (the oldest is given up
 * when all are in use). */
static struct rx_title *
title_of(struct rx *rx, const uint8_t st[SYSTITLE_LEN])
{
	struct rx_title *t;

	for (unsigned i = 0; i < rx->ntitle; i++)
		if (memcmp(rx->title[i].systitle, st, SYSTITLE_LEN) == 0)
			return &rx->title[i];
	if (rx->ntitle < RX_TITLES) {
		t = &rx->title[rx->ntitle++];
	} else {
		t = &rx->title[rx->next];
		rx->next = (rx->next + 1) % RX_TITLES;
	}
	memset(t, 0, sizeof *t);
	memcpy(t->systitle, st, SYSTITLE_LEN);
	return t;
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

static int
is_letter(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Whether plaintext is a P1 telegram: text only, '/' and the maker's three letters first,
 * the '!' of its end line in it (random bytes from a wrong key are never all text). */
static int
is_p1(const uint8_t *p, size_t n)
{
	if (n < 6 || p[0] != '/' || !is_letter(p[1]) || !is_letter(p[2]) || !is_letter(p[3]) ||
	    memchr(p, '!', n) == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 || p[i] > 0x7e) && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* The APDU m->a is ciphered: decrypt and check it, then take the plaintext as the APDU.
 * p is the payload (for error offsets). */
static enum rx_status
deciphered(struct rx *rx, const uint8_t *p, struct rx_msg *m)
{
	struct cipher_hdr h;
	struct rx_title *t;
	struct apdu outer = m->a;
	size_t errpos, len;
	enum cipher_err ce;
	enum apdu_err ae;
	enum rx_status st;
	int auth, p1;
	long at = (long)(outer.p - p);

	if ((ce = cipher_parse(outer.p, outer.len, &h, &errpos)) != CIPHER_OK)
		return fail(m, RX_ERR_CIPHER, ce, at + (long)errpos);
	m->sec.ciphered = h.tag;
	memcpy(m->sec.systitle, h.systitle, SYSTITLE_LEN);
	m->sec.sc = h.sc;
	m->sec.ic = h.ic;
	ce = cipher_open(&h, keyring_find(rx->keys, h.systitle), rx->plain, sizeof rx->plain,
	    &len, &auth);
	if (ce != CIPHER_OK)
		return fail(m, RX_ERR_CIPHER, ce, ce == CIPHER_ERR_BAD_TAG ?
		    at + (long)(h.mac - outer.p) : -1);
	/* Luxembourg and Austrian Sagemcom meters cipher a DSMR telegram: "/XXX5..." */
	p1 = is_p1(rx->plain, len);
	if (!p1) {
		/* plaintext that no tag vouches for must look like what meters send, or the key is
		 * most likely not the meter's */
		ae = apdu_parse(rx->plain, len, &m->a, &errpos);
		if (!auth && (ae != APDU_OK || m->a.tag != APDU_DATA_NOTIFICATION || m->a.has_llc))
			return fail(m, RX_ERR_WRONG_KEY, 0, -1);
		if (ae != APDU_OK)
			return fail(m, RX_ERR_APDU, ae, -1);
		if (m->a.tag == APDU_GLO_CIPHERING || m->a.tag == APDU_DED_CIPHERING)
			return fail(m, RX_ERR_CIPHER, CIPHER_ERR_UNSUPPORTED, -1);
		m->a.has_llc = outer.has_llc;
		memcpy(m->a.llc, outer.llc, sizeof m->a.llc);
		if (m->a.tag == APDU_DATA_NOTIFICATION) {
			st = body(rx, m->a.body, m->a.body_len, -1, m);
			if (st != RX_MESSAGE) {
				m->errpos = -1;
				if (!auth)
					return fail(m, RX_ERR_WRONG_KEY, 0, -1);
				return st;
			}
		}
	}
	/* only now, with the plaintext accepted, is the title's state touched */
	m->sec.auth = auth;
	if (!auth && (rx->opts & RX_REQUIRE_AUTH))
		return fail(m, RX_ERR_NOT_AUTH, 0, -1);
	t = title_of(rx, h.systitle);
	if (t->used && h.ic <= t->ic) {
		m->sec.ic_back = 1;
		m->sec.prev_ic = t->ic;
		if (rx->opts & RX_REJECT_IC_BACK)
			return fail(m, RX_ERR_IC_BACK, 0, -1);
	}
	t->used = 1;
	t->ic = h.ic;
	if (!auth && !t->told_unauth) {
		t->told_unauth = 1;
		m->sec.first_unauth = 1;
	}
	if (p1) {
		/* the caller takes it to its P1 reader (its CRC checks the text): m->a.p and
		 * m->a.len are the telegram */
		m->a.p = rx->plain;
		m->a.len = len;
		return fail(m, RX_ERR_P1, 0, -1);
	}
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
	/* without keys a ciphered APDU is kept as it is, for a later stage that has them */
	if ((m->a.tag == APDU_GLO_CIPHERING || m->a.tag == APDU_DED_CIPHERING) && rx->keys)
		return deciphered(rx, p, m);
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
	case RX_ERR_CIPHER:
		switch ((enum cipher_err)m->sub) {
		case CIPHER_OK: return fail_token(FAIL_NONE);
		case CIPHER_ERR_SHORT: return fail_token(FAIL_SHORT_APDU);
		case CIPHER_ERR_LENGTH: return fail_token(FAIL_CIPHER_LENGTH);
		case CIPHER_ERR_UNSUPPORTED: return fail_token(FAIL_UNSUPPORTED_SECURITY);
		case CIPHER_ERR_NO_KEY: return fail_token(FAIL_NO_KEY);
		case CIPHER_ERR_BAD_TAG: return fail_token(FAIL_BAD_TAG);
		case CIPHER_ERR_TOO_LONG: return fail_token(FAIL_RECORD_TOO_LONG);
		}
		break;
	case RX_ERR_WRONG_KEY: return fail_token(FAIL_WRONG_KEY);
	case RX_ERR_P1: return fail_token(FAIL_P1_PLAINTEXT);
	case RX_ERR_NOT_AUTH: return fail_token(FAIL_NOT_AUTHENTICATED);
	case RX_ERR_IC_BACK: return fail_token(FAIL_IC_WENT_BACK);
	}
	return fail_token(FAIL_N);
}
