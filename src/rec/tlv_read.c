/* The TLV text form's reader: a block back to the exact APDU bytes it was written from, so
 * every later stage decodes the same bytes whether it was given frames or TLV. */
#include <string.h>
#include "base/hex.h"
#include "base/rfc3339.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/axdr_enc.h"
#include "link/llc.h"
#include "rec/tlv.h"

static int
starts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && memcmp(s, w, k) == 0 && (n == k || s[k] == ' ' || s[k] == '\t');
}

int
tlv_is_header(const char *s, size_t n)
{
	return starts(s, n, "apdu") || starts(s, n, "body");
}

int
tlv_is_element(const char *s, size_t n)
{
	size_t i = 0;
	size_t d;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	d = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > d && i + 1 < n && s[i] == ' ' && s[i + 1] >= 'a' && s[i + 1] <= 'z';
}

static int
fail(struct tlv_reader *r, const char *why, const char *base, const char *at)
{
	r->err = why;
	r->errcol = (long)(at - base) + 1;
	return -1;
}

/* Every byte is written through the bounded writer; a record that does not fit is an
 * error of its own. */
static int
full(struct tlv_reader *r)
{
	if (!r->e.err)
		return 0;
	r->err = "record too long";
	return -1;
}

/* An A-XDR length of a string (counts are checked by their caller). */
static int
emit_len(struct tlv_reader *r, uint64_t v)
{
	if (v > 0xffff)
		return r->err = "length too large", -1;
	enc_len(&r->e, (size_t)v);
	return full(r);
}

/* Hex token of exactly want bytes (want < 0: any length) appended to the output. */
static int
emit_hex(struct tlv_reader *r, const char *s, size_t n, long want)
{
	long k;

	if (n == 1 && s[0] == '-')
		n = 0;
	if (n % 2 || (want >= 0 && n != (size_t)want * 2))
		return r->err = "hex value of the wrong length", -1;
	if (!enc_room(&r->e, n / 2))
		return full(r);
	k = hex_decode(r->e.p + r->e.len, r->e.cap - r->e.len, s, n, NULL);
	if (k < 0)
		return r->err = "bad hex value", -1;
	r->e.len += (size_t)k;
	return 0;
}

/* Split off the next space-separated token. */
static const char *
token(const char **s, const char *end, size_t *len)
{
	const char *p = *s, *q;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	q = p;
	while (q < end && *q != ' ' && *q != '\t')
		q++;
	*len = (size_t)(q - p);
	*s = q;
	return *len ? p : NULL;
}

static int
parse_dec(const char *s, size_t n, int neg_ok, int64_t *iv, uint64_t *uv)
{
	int neg = 0;
	uint64_t v = 0;
	size_t i = 0;
	if (n && s[0] == '-' && neg_ok)
		neg = 1, i = 1;
	if (i == n)
		return -1;
	for (; i < n; i++) {
		unsigned dg = (unsigned)(s[i] - '0');
		if (s[i] < '0' || s[i] > '9' || v > UINT64_MAX / 10 ||
		    (v == UINT64_MAX / 10 && dg > UINT64_MAX % 10))
			return -1;
		v = v * 10 + dg;
	}
	*uv = v;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		*iv = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		*iv = v > INT64_MAX ? 0 : (int64_t)v;
	}
	return neg;
}

/* The security header of a block that came ciphered (cosem-decode -k): kept, so a stage
 * that reads the block back can say it again. 0 taken or not ours, -1 a bad value. */
static int
sec_token(struct tlv_reader *r, const char *k, size_t kl, const char *v, size_t vl)
{
	struct rx_sec *sec = &r->sec;
	uint64_t u;
	int64_t i;

	if (kl == 8 && memcmp(k, "ciphered", 8) == 0) {
		if (vl == 3 && memcmp(v, "glo", 3) == 0)
			sec->ciphered = APDU_GLO_CIPHERING;
		else if (vl == 3 && memcmp(v, "ded", 3) == 0)
			sec->ciphered = APDU_DED_CIPHERING;
		else
			return -1;
	} else if (kl == 8 && memcmp(k, "systitle", 8) == 0) {
		if (vl != 2 * SYSTITLE_LEN ||
		    hex_decode(sec->systitle, SYSTITLE_LEN, v, vl, NULL) != SYSTITLE_LEN)
			return -1;
		r->sec_title = 1;
	} else if (kl == 2 && memcmp(k, "sc", 2) == 0) {
		if (vl != 2 || hex_decode(&sec->sc, 1, v, 2, NULL) != 1)
			return -1;
	} else if (kl == 2 && memcmp(k, "ic", 2) == 0) {
		if (parse_dec(v, vl, 0, &i, &u) != 0 || u > UINT32_MAX)
			return -1;
		sec->ic = (uint32_t)u;
	} else if (kl == 4 && memcmp(k, "auth", 4) == 0) {
		if (vl == 3 && memcmp(v, "yes", 3) == 0)
			sec->auth = 1;
		else if (vl == 2 && memcmp(v, "no", 2) == 0)
			sec->auth = 0;
		else
			return -1;
	} else if (kl == 12 && memcmp(k, "ic-went-back", 12) == 0) {
		if (vl != 3 || memcmp(v, "yes", 3) != 0)
			return -1;
		sec->ic_back = 1;
	}
	return 0;
}

int
tlv_read_header(struct tlv_reader *r, const char *s, size_t n)
{
	const char *end = s + n, *cur = s, *tk;
	size_t tl;
	int tag = -1, have_invoke = 0, dt = -1;
	uint8_t llc[3], inv[4], dtb[12];
	int has_llc = 0;
	const char *raw = NULL;
	size_t rawlen = 0;

	r->e.len = 0;
	r->e.err = 0;
	r->root = r->top = 0;
	r->time[0] = '\0';
	memset(&r->sec, 0, sizeof r->sec);
	r->sec_title = 0;
	r->pieces = 0;
	r->blocks = 0;
	r->err = NULL;
	r->errcol = -1;
	tk = token(&cur, end, &tl);
	r->body = tl == 4 && memcmp(tk, "body", 4) == 0;
	while ((tk = token(&cur, end, &tl)) != NULL) {
		const char *eq = memchr(tk, '=', tl);
		const char *v;
		size_t k, vl;
		if (!eq)
			continue;	/* not ours: ignored for later extensions */
		k = (size_t)(eq - tk);
		v = eq + 1;
		vl = tl - k - 1;
		if (k == 4 && memcmp(tk, "time", 4) == 0) {
			if (vl >= sizeof r->time)
				return fail(r, "time too long", s, tk);
			if (!rfc3339_plain(v, vl))
				return fail(r, "bad time", s, tk);
			memcpy(r->time, v, vl);
			r->time[vl] = '\0';
		} else if (r->body) {
			continue;
		} else if (k == 3 && memcmp(tk, "llc", 3) == 0) {
			if (vl == 4 && memcmp(v, "none", 4) == 0)
				has_llc = 0;
			else if (vl == 6 && hex_decode(llc, 3, v, 6, NULL) == 3)
				has_llc = 1;
			else
				return fail(r, "bad llc", s, tk);
		} else if (k == 3 && memcmp(tk, "tag", 3) == 0) {
			uint8_t b;
			if (vl != 2 || hex_decode(&b, 1, v, 2, NULL) != 1)
				return fail(r, "bad tag", s, tk);
			tag = b;
		} else if (k == 6 && memcmp(tk, "invoke", 6) == 0) {
			if (vl != 10 || v[0] != '0' || v[1] != 'x' ||
			    hex_decode(inv, 4, v + 2, 8, NULL) != 4)
				return fail(r, "bad invoke", s, tk);
			have_invoke = 1;
		} else if (k == 2 && memcmp(tk, "dt", 2) == 0) {
			if (vl == 4 && memcmp(v, "none", 4) == 0) {
				dt = APDU_TIME_NONE;
			} else if (vl == 7 + 24 && memcmp(v, "tagged:", 7) == 0 &&
			    hex_decode(dtb, 12, v + 7, 24, NULL) == 12) {
				dt = APDU_TIME_TAGGED;
			} else if (vl == 5 + 24 && memcmp(v, "bare:", 5) == 0 &&
			    hex_decode(dtb, 12, v + 5, 24, NULL) == 12) {
				dt = APDU_TIME_BARE;
			} else {
				return fail(r, "bad dt", s, tk);
			}
		} else if (k == 3 && memcmp(tk, "raw", 3) == 0) {
			raw = v;
			rawlen = vl;
		} else if ((k == 6 && memcmp(tk, "pieces", 6) == 0) ||
		    (k == 3 && memcmp(tk, "gbt", 3) == 0)) {
			int64_t i;
			uint64_t u;
			if (parse_dec(v, vl, 0, &i, &u) != 0 || u < 1 || u > 65535)
				return fail(r, k == 3 ? "bad gbt" : "bad pieces", s, tk);
			if (k == 3)
				r->blocks = (unsigned)u;
			else
				r->pieces = (int)u;
		} else if (sec_token(r, tk, k, v, vl) < 0) {
			return fail(r, "bad security header", s, tk);
		}
	}
	if (r->sec.ciphered && !r->sec_title)
		return fail(r, "ciphered without systitle", s, end);
	if (r->body)
		return 0;
	if (tag < 0)
		return fail(r, "header without tag", s, end);
	if (has_llc)
		enc_bytes(&r->e, llc, LLC_LEN);
	if (tag != APDU_DATA_NOTIFICATION || raw) {
		if (!raw)
			return fail(r, "header without raw bytes", s, end);
		if (full(r) < 0 || emit_hex(r, raw, rawlen, -1) < 0)
			return fail(r, r->err, s, raw);
		r->root = 1;	/* nothing follows */
		return 0;
	}
	if (!have_invoke || dt < 0)
		return fail(r, "data-notification header without invoke or dt", s, end);
	apdu_notification(&r->e, 0, (uint32_t)inv[0] << 24 | (uint32_t)inv[1] << 16 |
	    (uint32_t)inv[2] << 8 | inv[3], dt == APDU_TIME_NONE ? NULL : dtb,
	    dt == APDU_TIME_BARE);
	return full(r);
}

int
tlv_read_element(struct tlv_reader *r, const char *s, size_t n)
{
	const char *end = s + n, *cur = s, *tk;
	size_t tl;
	int64_t depth, iv;
	uint64_t uv, len;
	int tag, w;

	/* depth */
	if (!(tk = token(&cur, end, &tl)) || parse_dec(tk, tl, 0, &depth, &uv) != 0 ||
	    depth > AXDR_MAX_DEPTH)
		return fail(r, "bad depth", s, tk ? tk : s);
	while (r->top > 0 && r->need[r->top - 1] == 0)
		r->top--;
	if (r->top == 0 && r->root)
		return fail(r, "element after a complete tree", s, tk);
	if (depth != r->top)
		return fail(r, "depth does not fit the tree", s, tk);
	/* type */
	if (!(tk = token(&cur, end, &tl)) || (tag = axdr_tagbyname(tk, tl)) < 0)
		return fail(r, "unknown type", s, tk ? tk : end);
	/* length */
	if (!(tk = token(&cur, end, &tl)) || parse_dec(tk, tl, 0, &iv, &len) != 0)
		return fail(r, "bad length", s, tk ? tk : end);
	if (!(tk = token(&cur, end, &tl)))
		return fail(r, "missing value", s, end);
	if (r->top > 0)
		r->need[r->top - 1]--;
	r->root = 1;
	enc_u8(&r->e, (unsigned)tag);
	if (full(r) < 0)
		return -1;
	switch (tag) {
	case AXDR_NULL:
		return 0;
	case AXDR_ARRAY:
	case AXDR_STRUCTURE:
		if (len > 0xffff)
			return fail(r, "count too large", s, tk);
		enc_len(&r->e, (size_t)len);
		if (full(r) < 0)
			return -1;
		if (len) {
			if (r->top >= AXDR_MAX_DEPTH)
				return fail(r, "nesting too deep", s, tk);
			r->need[r->top++] = (long)len;
		}
		return 0;
	case AXDR_OCTET_STRING:
	case AXDR_VISIBLE_STRING:
	case AXDR_UTF8_STRING:
		if (emit_len(r, len) < 0 || emit_hex(r, tk, tl, (long)len) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_BIT_STRING:
		if (emit_len(r, len) < 0 || emit_hex(r, tk, tl, (long)((len + 7) / 8)) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_COMPACT_ARRAY:
		if (emit_hex(r, tk, tl, (long)len) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_FLOAT32: case AXDR_FLOAT64: case AXDR_DATE_TIME: case AXDR_DATE:
	case AXDR_TIME:
		w = axdr_width(tag);
		if (len != (uint64_t)w || emit_hex(r, tk, tl, w) < 0)
			return fail(r, "bad value", s, tk);
		return 0;
	default:
		break;
	}
	/* integers, enum, boolean, bcd: big-endian of the stated width */
	{
		int neg = parse_dec(tk, tl, 1, &iv, &uv);
		int sgn = tag == AXDR_INTEGER || tag == AXDR_LONG || tag == AXDR_DOUBLE_LONG ||
		    tag == AXDR_LONG64;
		uint64_t x;

		w = axdr_width(tag);
		if (neg < 0 || (neg && !sgn) || len != (uint64_t)w)
			return fail(r, "bad value", s, tk);
		if (sgn) {
			int64_t lo = w == 8 ? INT64_MIN : -((int64_t)1 << (8 * w - 1));
			int64_t hi = w == 8 ? INT64_MAX : ((int64_t)1 << (8 * w - 1)) - 1;
			if ((!neg && uv > (uint64_t)hi) || iv < lo)
				return fail(r, "value out of range", s, tk);
			x = (uint64_t)iv;
		} else {
			if (w < 8 && uv >> (8 * w))
				return fail(r, "value out of range", s, tk);
			x = uv;
		}
		enc_be(&r->e, x, (size_t)w);
	}
	return full(r);
}

int
tlv_read_end(struct tlv_reader *r)
{
	while (r->top > 0 && r->need[r->top - 1] == 0)
		r->top--;
	if (!r->root || r->top > 0) {
		r->err = "incomplete element tree";
		return -1;
	}
	return 0;
}
