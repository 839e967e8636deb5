/* general-glo/ded-ciphering, security suite 0; see cipher.h. */
#include <string.h>
#include "base/hex.h"
#include "cosem/axdr_enc.h"
#include "cosem/cipher.h"
#include "crypto/gcm.h"
#include "link/dbenv.h"

enum cipher_err
cipher_parse(const uint8_t *p, size_t n, struct cipher_hdr *h, size_t *errpos)
{
	struct dbenv_hdr d;
	enum dbenv_err e;

	memset(h, 0, sizeof *h);
	/* the header as the DB envelope framer reads it: one parse for both */
	e = dbenv_head(p, n, &d, errpos);
	if (e == DBENV_ERR_SHORT)
		return CIPHER_ERR_SHORT;
	/* the length covers SC, IC, the content and the tag: a cut tag is caught here, not
	 * passed to GCM as a shorter tag. Bytes after it are not the APDU's (amsreader dumps
	 * carry some) and are left out, as the corpus's gh73-3 vector expects. */
	if (d.total > n)
		return *errpos = d.len_at, CIPHER_ERR_LENGTH;
	if (e == DBENV_ERR_LENGTH)
		return CIPHER_ERR_LENGTH;
	if (e != DBENV_OK)
		return CIPHER_ERR_UNSUPPORTED;
	*errpos = 0;
	h->tag = d.tag;
	memcpy(h->systitle, d.systitle, SYSTITLE_LEN);
	h->sc = d.sc;
	h->ic = d.ic;
	h->ct = p + d.sc_at + 5;
	h->ctlen = d.content - 5;
	if (h->sc & CIPHER_SC_AUTH) {
		h->ctlen -= CIPHER_TAG_LEN;
		h->mac = h->ct + h->ctlen;
	}
	return CIPHER_OK;
}

static void
make_iv(uint8_t iv[12], const uint8_t st[SYSTITLE_LEN], uint32_t ic)
{
	memcpy(iv, st, SYSTITLE_LEN);
	iv[8] = (uint8_t)(ic >> 24);
	iv[9] = (uint8_t)(ic >> 16);
	iv[10] = (uint8_t)(ic >> 8);
	iv[11] = (uint8_t)ic;
}

enum cipher_err
cipher_open(const struct cipher_hdr *h, const struct keyent *k, uint8_t *out, size_t cap,
    size_t *outlen, int *auth)
{
	uint8_t iv[12], aad[17];
	int ok;

	*outlen = 0;
	*auth = 0;
	if (!k)
		return CIPHER_ERR_NO_KEY;
	if (h->ctlen > cap || ((h->sc & CIPHER_SC_ENC) == 0 && h->ctlen + sizeof aad > cap))
		return CIPHER_ERR_TOO_LONG;
	make_iv(iv, h->systitle, h->ic);
	aad[0] = h->sc;
	if (k->has_ak)
		memcpy(aad + 1, k->ak, 16);
	if (h->sc & CIPHER_SC_ENC) {
		if ((h->sc & CIPHER_SC_AUTH) && k->has_ak) {
			ok = gcm_decrypt(&k->ek, iv, aad, sizeof aad, h->ct, h->ctlen, out,
			    h->mac, CIPHER_TAG_LEN) == 0;
			crypto_wipe(aad, sizeof aad);
			if (!ok)
				return CIPHER_ERR_BAD_TAG;
			*auth = 1;
		} else {
			/* GCM's counter for the content starts at 2 (1 is the tag's) */
			aes128_ctr32(&k->ek.aes, iv, 2, h->ct, out, h->ctlen);
			crypto_wipe(aad, sizeof aad);
		}
	} else {
		/* authentication only: GMAC over SC || AK || the plaintext */
		if (k->has_ak) {
			memcpy(out, aad, sizeof aad);
			memcpy(out + sizeof aad, h->ct, h->ctlen);
			ok = gcm_decrypt(&k->ek, iv, out, sizeof aad + h->ctlen, NULL, 0, NULL,
			    h->mac, CIPHER_TAG_LEN) == 0;
			crypto_wipe(out, sizeof aad);
			crypto_wipe(aad, sizeof aad);
			if (!ok) {
				crypto_wipe(out, sizeof aad + h->ctlen);
				return CIPHER_ERR_BAD_TAG;
			}
			*auth = 1;
		}
		memmove(out, h->ct, h->ctlen);
	}
	*outlen = h->ctlen;
	return CIPHER_OK;
}

void
cipher_seal(struct enc *e, uint8_t tag, const uint8_t st[SYSTITLE_LEN], uint8_t sc,
    uint32_t ic, const struct keyent *k, const uint8_t *pt, size_t n)
{
	uint8_t iv[12], aad[17], mac[16];
	size_t taglen = sc & CIPHER_SC_AUTH ? CIPHER_TAG_LEN : 0;

	enc_u8(e, tag);
	enc_u8(e, SYSTITLE_LEN);
	enc_bytes(e, st, SYSTITLE_LEN);
	enc_len(e, 5 + n + taglen);
	enc_u8(e, sc);
	enc_be32(e, ic);
	if (!enc_room(e, n + taglen))
		return;
	make_iv(iv, st, ic);
	aad[0] = sc;
	memcpy(aad + 1, k->ak, 16);
	if (sc & CIPHER_SC_ENC) {
		if (taglen)
			gcm_encrypt(&k->ek, iv, aad, sizeof aad, pt, n, e->p + e->len, mac, taglen);
		else
			aes128_ctr32(&k->ek.aes, iv, 2, pt, e->p + e->len, n);
		e->len += n;
	} else {
		/* GMAC: the AAD is SC || AK || the plaintext; built where the tag will go */
		uint8_t buf[17 + 4096];
		if (n > sizeof buf - sizeof aad) {
			e->err = 1;
			return;
		}
		memcpy(buf, aad, sizeof aad);
		memcpy(buf + sizeof aad, pt, n);
		gcm_encrypt(&k->ek, iv, buf, sizeof aad + n, NULL, 0, NULL, mac, taglen);
		crypto_wipe(buf, sizeof aad);
		enc_bytes(e, pt, n);
	}
	crypto_wipe(aad, sizeof aad);
	if (taglen)
		enc_bytes(e, mac, taglen);
}

size_t
cipher_systitle_text(const uint8_t st[SYSTITLE_LEN], char *buf)
{
	char *p = hex_encode(buf, st, SYSTITLE_LEN);
	int show = 1;

	for (int i = 0; i < 3; i++)
		if (st[i] < 0x21 || st[i] > 0x7e)
			show = 0;
	if (show) {
		*p++ = ' ';
		*p++ = '(';
		for (int i = 0; i < SYSTITLE_LEN; i++)
			*p++ = st[i] >= 0x21 && st[i] <= 0x7e ? (char)st[i] : '.';
		*p++ = ')';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

int
cipher_maker(const uint8_t st[SYSTITLE_LEN], char maker[4])
{
	for (int i = 0; i < 3; i++)
		if (st[i] < 'A' || st[i] > 'Z')
			return 0;
	memcpy(maker, st, 3);
	maker[3] = '\0';
	return 1;
}
