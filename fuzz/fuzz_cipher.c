/* Fuzz harness for the cipher layer (cosem/cipher.c, the ciphered path of rx_payload) and
 * the key file parser, with fixed keys so the fuzzer reaches the plaintext path too.
 * Every input is used three ways:
 *  - as a payload (information field or APDU) to rx_payload with the keys: a message
 *    that came ciphered has auth set only where a tag was checked (SC has A and the key
 *    an AK), its tree (when there is one) is the one the clear plaintext gives;
 *  - as a plaintext: sealed with the fixed key under SC 0x30, 0x20 and 0x10 (first byte
 *    picks which), the ciphered APDU must give what the clear plaintext gives (status,
 *    error token and tree), authenticated where it has a tag; one flipped bit (the input
 *    says where) of a tagged APDU must be refused, never decode;
 *  - as a key file: keyring_parse never reads outside the text, and every key it accepts
 *    is found again for its system title;
 *  - a sealed APDU that decodes is written as TLV (security header and all), read back
 *    through the record reader as the tools read it, and must give the same security
 *    header and print the very same text.
 * A violation calls abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/enc.h"
#include "base/io.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/cipher.h"
#include "cosem/keyring.h"
#include "cosem/rx.h"
#include "rec/record.h"
#include "rec/tlv.h"

static struct keyring keys, parsed;
static struct rx rxk, rxc;		/* with the keys; without (the clear reference) */
static int ready;
static uint8_t sealed[8192];
static const uint8_t st_ak[8] = { 'K', 'F', 'M', 1, 2, 3, 4, 5 };	/* EK and AK */
static const uint8_t st_ek[8] = { 'I', 'S', 'K', 9, 8, 7, 6, 5 };	/* EK only */

static void
fail(const char *why)
{
	fprintf(stderr, "fuzz_cipher: %s\n", why);
	abort();
}

#include "scratch.h"

static char text1[TEXT_MAX], text2[TEXT_MAX];
static struct input in;
static struct lines lines;
static struct recreader rr;
static struct record rec, extra;

/* TLV of a deciphered message into dst. */
static long
write_msg(char *dst, const struct rx_msg *m)
{
	out_init(&out, sink);
	tlv_write_msg(&out, NULL, m);
	return collect(dst);
}

/* The TLV of a message that came ciphered reads back with its security header, and
 * printing what was read gives the same text. */
static void
round_trip(const struct rx_msg *m)
{
	static struct rx rxr;
	struct rx_msg b;
	long len1, len2;

	if ((len1 = write_msg(text1, m)) < 0)
		return;
	input_init_mem(&in, text1, (size_t)len1);
	lines_init(&lines, &in);
	if (input_next(&in) != 1)
		fail("input_next on memory");
	lines_reset(&lines);
	rec_init(&rr, &lines);
	if (rec_next(&rr, &rec) != 1 || rec.kind != REC_TLV)
		fail("TLV of a ciphered message not read back");
	if (rec_next(&rr, &extra) != 0)
		fail("TLV of a ciphered message read as more than one record");
	input_close(&in);
	if (rec.sec.ciphered != m->sec.ciphered || rec.sec.sc != m->sec.sc ||
	    rec.sec.ic != m->sec.ic || rec.sec.auth != m->sec.auth ||
	    rec.sec.ic_back != m->sec.ic_back ||
	    memcmp(rec.sec.systitle, m->sec.systitle, SYSTITLE_LEN) != 0)
		fail("the security header changed on the way through TLV");
	if (rx_payload(&rxr, rec.apdu, rec.apdu_len, 0, &b) != RX_MESSAGE)
		fail("the TLV's plaintext does not decode");
	b.sec = rec.sec;
	if ((len2 = write_msg(text2, &b)) < 0)
		return;
	if (len2 != len1 || memcmp(text1, text2, (size_t)len1) != 0)
		fail("the TLV read back prints other text");
}

static void
setup(void)
{
	static const char text[] =
	    "# fixed keys of the harness\n"
	    "4b464d0102030405 000102030405060708090a0b0c0d0e0f d0d1d2d3d4d5d6d7d8d9dadbdcdddedf\n"
	    "49534b0908070605 0f0e0d0c0b0a09080706050403020100\n"
	    "* 00112233445566778899aabbccddeeff 8899aabbccddeeff0011223344556677\n";
	struct keyring_info info;

	if (keyring_parse(&keys, text, sizeof text - 1, &info) != KEYRING_OK || keys.n != 3)
		fail("the harness's key file does not parse");
	rx_init(&rxk);
	rx_keys(&rxk, &keys, 0);
	rx_init(&rxc);
	ready = 1;
}

static int
same_tree(const struct axdr_tree *a, const struct axdr_tree *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct axdr_node *x = &a->node[i], *y = &b->node[i];
		if (x->tag != y->tag || x->depth != y->depth || x->count != y->count ||
		    x->vlen != y->vlen || memcmp(a->buf + x->voff, b->buf + y->voff, x->vlen) != 0)
			return 0;
	}
	return 1;
}

/* The input as a payload, ciphered or not, through the keyed receive path. */
static void
as_payload(const uint8_t *data, size_t size)
{
	struct rx_msg m;
	enum rx_status st = rx_payload(&rxk, data, size, 0, &m);

	if (st == RX_ERROR) {
		if (!rx_errname(&m))
			fail("an error without a token");
		return;
	}
	if (st != RX_MESSAGE)
		fail("rx_payload returned neither a message nor an error");
	if (m.sec.ciphered) {
		const struct keyent *k = keyring_find(&keys, m.sec.systitle);
		if (m.sec.auth && (!(m.sec.sc & CIPHER_SC_AUTH) || !k || !k->has_ak))
			fail("auth=yes for a tag that was not checked");
		if (m.a.tag == APDU_GLO_CIPHERING || m.a.tag == APDU_DED_CIPHERING)
			fail("a ciphered plaintext passed as a message");
		if (!m.sec.auth && m.a.tag != APDU_DATA_NOTIFICATION)
			fail("unauthenticated plaintext that is no notification passed");
	}
	if (m.a.tag == APDU_DATA_NOTIFICATION && !m.body && !m.tree)
		fail("a notification without a tree");
}

/* The input as a plaintext: sealed, it must decode as it does in the clear. */
static void
as_plaintext(const uint8_t *data, size_t size)
{
	static const uint8_t scs[] = { 0x30, 0x20, 0x10, 0x31, 0x21 };
	struct rx_msg clear, ciph;
	struct enc e;
	enum rx_status cs, ks;
	uint8_t sc;
	const uint8_t *st;
	const struct keyent *k;
	uint32_t ic;

	if (size < 2)
		return;
	sc = scs[data[0] % sizeof scs];
	st = data[0] & 0x80 ? st_ek : st_ak;
	k = keyring_find(&keys, st);
	/* a fresh counter, above every earlier one of the title */
	ic = (uint32_t)(rxk.ntitle + 1) * 0x01000000u;
	for (unsigned i = 0; i < rxk.ntitle; i++)
		if (memcmp(rxk.title[i].systitle, st, 8) == 0)
			ic = rxk.title[i].ic + 1;
	if (ic == 0)
		return;
	data++, size--;
	enc_init(&e, sealed, sizeof sealed);
	cipher_seal(&e, APDU_GLO_CIPHERING, st, sc, ic, k, data, size);
	if (e.err)
		return;
	cs = rx_payload(&rxc, data, size, 0, &clear);
	ks = rx_payload(&rxk, sealed, e.len, 0, &ciph);
	if (ks == RX_MESSAGE) {
		int tagged = (sc & CIPHER_SC_AUTH) && k->has_ak;
		if (!ciph.sec.ciphered || ciph.sec.ic != ic || ciph.sec.sc != sc)
			fail("a sealed APDU without its security header");
		if (ciph.sec.auth != tagged)
			fail("auth differs from whether a tag was checked");
		if (cs != RX_MESSAGE)
			fail("a sealed plaintext decoded that does not decode in the clear");
		if (clear.a.tag != ciph.a.tag || (clear.tree == NULL) != (ciph.tree == NULL))
			fail("sealed and clear give other APDUs");
		if (clear.tree && !same_tree(clear.tree, ciph.tree))
			fail("sealed and clear give other trees");
		if (ciph.sec.ic_back)
			fail("a fresh counter flagged as gone back");
		if (e.len <= sizeof rec.bytes)
			round_trip(&ciph);
	} else if (cs == RX_MESSAGE && ((sc & CIPHER_SC_AUTH) && k->has_ak) &&
	    ciph.err != RX_ERR_P1) {
		/* with a verified tag only what fails in the clear may fail */
		if (!(ciph.err == RX_ERR_CIPHER && ciph.sub == CIPHER_ERR_UNSUPPORTED &&
		    (clear.a.tag == APDU_GLO_CIPHERING || clear.a.tag == APDU_DED_CIPHERING)))
			fail("a sealed plaintext with a good tag failed that decodes in the clear");
	}
	/* one flipped bit of a tagged APDU after the header: never decoded */
	if ((sc & CIPHER_SC_AUTH) && k->has_ak && size > 0) {
		size_t hdr = e.len - size - CIPHER_TAG_LEN;
		size_t at = hdr + (size_t)data[0] % (size + CIPHER_TAG_LEN);
		sealed[at] ^= (uint8_t)(1u << (data[size - 1] & 7));
		ks = rx_payload(&rxk, sealed, e.len, 0, &ciph);
		if (ks == RX_MESSAGE || ciph.err != RX_ERR_CIPHER || ciph.sub != CIPHER_ERR_BAD_TAG)
			fail("a flipped bit was not bad-tag");
	}
}

/* The input as a key file. */
static void
as_keyfile(const uint8_t *data, size_t size)
{
	struct keyring_info info;

	if (keyring_parse(&parsed, (const char *)data, size, &info) != KEYRING_OK) {
		if (parsed.n != 0)
			fail("a key file that failed left keys behind");
		return;
	}
	for (int i = 0; i < parsed.n; i++)
		if (!parsed.k[i].any && keyring_find(&parsed, parsed.k[i].systitle) != &parsed.k[i])
			fail("a key is not found for its own system title");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		setup();
	sink_open();
	as_payload(data, size);
	as_plaintext(data, size);
	as_keyfile(data, size);
	return 0;
}
