/* The record reader shared by cosem-decode and ams-fields: every accepted input form is
 * brought to the same APDU bytes (see record.h). */
#include <errno.h>
#include <string.h>
#include "base/fail.h"
#include "base/hex.h"
#include "rec/record.h"
#include "base/rfc3339.h"
#include "cosem/axdr.h"
#include "link/llc.h"
#include "rec/tlv.h"

void
rec_init(struct recreader *rr, struct lines *lines)
{
	memset(rr, 0, sizeof *rr);
	rr->lines = lines;
}

static char *
next_line(struct recreader *rr, size_t *len, long *lineno, int *toolong)
{
	char *s;
	if (rr->pending) {
		rr->pending = 0;
		*len = rr->plen;
		*lineno = rr->plineno;
		*toolong = 0;
		return rr->pline;
	}
	s = lines_get(rr->lines, len);
	*lineno = rr->lines->lineno;
	*toolong = rr->lines->toolong;
	return s;
}

static void
trim(char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int
bad(struct record *r, enum fail why, long pos)
{
	r->err = fail_token(why);
	r->errpos = pos;
	return -1;
}

/* A TLV block that does not read back: the reader's words are the detail. */
static int
bad_tlv(struct record *r, const char *detail, long pos)
{
	r->detail = detail;
	return bad(r, FAIL_BAD_TLV, pos);
}

/* Classify decoded bytes r->bytes[0..r->len) and point r->apdu at what is to be decoded. */
static int
classify(struct record *r)
{
	const uint8_t *b = r->bytes;
	size_t n = r->len;
	if (n == 0)
		return bad(r, FAIL_EMPTY_RECORD, -1);
	if (b[0] == 0x68 || (b[0] == 0x10 && n == 5)) {
		enum mbus_err e = mbus_check(b, n, &r->mbus);
		if (e != MBUS_OK) {
			r->err = mbus_errname(e);
			r->errpos = -1;
			return -1;
		}
		if (r->mbus.kind != 'L')
			return bad(r, FAIL_NO_INFO, -1);
		r->kind = REC_MBUS;
		r->apdu = r->mbus.data;
		r->apdu_len = r->mbus.data_len;
		r->body = 0;
		r->has_llc = 0;
		return 1;
	}
	if (b[0] == HDLC_FLAG || (b[0] & 0xf0) == 0xa0) {
		enum hdlc_err e = hdlc_check(b, n, &r->frame);
		if (e != HDLC_OK) {
			r->err = hdlc_errname(e);
			r->errpos = -1;
			return -1;
		}
		if (!r->frame.info || r->frame.info_len == 0)
			return bad(r, FAIL_NO_INFO, -1);
		r->kind = REC_FRAME;
		r->apdu = r->frame.info;
		r->apdu_len = r->frame.info_len;
	} else {
		r->kind = b[0] == LLC_DST_LSAP ? REC_INFO :
		    (b[0] == AXDR_ARRAY || b[0] == AXDR_STRUCTURE) ? REC_BODY : REC_APDU;
		r->apdu = b;
		r->apdu_len = n;
	}
	r->body = r->kind == REC_BODY;
	r->has_llc = !r->body && r->apdu_len >= 1 && r->apdu[0] == LLC_DST_LSAP;
	return 1;
}

static int
from_hex(struct record *r, const char *s, size_t n, long col)
{
	size_t badc = 0;
	long k;
	if (n % 2)
		return bad(r, FAIL_ODD_HEX, col + (long)n);
	if (n / 2 > sizeof r->bytes)
		return bad(r, FAIL_RECORD_TOO_LONG, -1);
	k = hex_decode(r->bytes, sizeof r->bytes, s, n, &badc);
	if (k < 0)
		return bad(r, FAIL_NOT_HEX, col + (long)badc);
	r->len = (size_t)k;
	return classify(r);
}

/* The value of a top-level member "key" of the JSON object in s[0..n): *vl and a pointer
 * to the value's first character (for a string: inside its quotes, *vl without them);
 * NULL if the object has no such member. Members of nested objects and arrays, and text
 * inside strings, are never taken for it: only what hdlc-split -j writes at the top. */
static const char *
json_member(const char *s, size_t n, const char *key, size_t *vl)
{
	size_t kl = strlen(key), i = 0;
	int depth = 0;

	while (i < n) {
		char c = s[i];
		if (c == '"') {
			/* a string: a key when at depth 1 and followed by ':' */
			size_t st = ++i;
			while (i < n && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			if (i >= n)
				return NULL;
			size_t sl = i - st, j = ++i;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (depth != 1 || j >= n || s[j] != ':')
				continue;
			i = j + 1;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (sl != kl || memcmp(s + st, key, kl) != 0)
				continue;
			if (i < n && s[i] == '"') {
				const char *v = s + i + 1;
				const char *e = memchr(v, '"', n - (size_t)(v - s));
				if (!e)
					return NULL;
				*vl = (size_t)(e - v);
				return v;
			}
			*vl = 0;
			while (i + *vl < n && !memchr(",}] \t", s[i + *vl], 5))
				++*vl;
			return s + i;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		i++;
	}
	return NULL;
}

static int
from_json(struct record *r, const char *s, size_t n)
{
	const char *v;
	size_t vl;
	/* only a real time is carried on: it becomes one token of the TLV header */
	if ((v = json_member(s, n, "time", &vl)) != NULL && vl < sizeof r->time &&
	    rfc3339_plain(v, vl)) {
		memcpy(r->time, v, vl);
		r->time[vl] = '\0';
	}
	if (!(v = json_member(s, n, "hex", &vl)))
		return bad(r, FAIL_JSON_NO_HEX, -1);
	return from_hex(r, v, vl, (long)(v - s) + 1);
}

/* hdlc-split -j rejects and junk reports are information for people, like '#' lines. */
static int
json_comment(const char *s, size_t n)
{
	size_t vl;
	const char *v = json_member(s, n, "ok", &vl);

	return (v && vl == 5 && memcmp(v, "false", 5) == 0) || json_member(s, n, "junk", &vl);
}

static int
read_block(struct recreader *rr, struct record *r, const char *hdr, size_t hlen)
{
	struct tlv_reader tr;
	char *s;
	size_t n;
	long ln;
	int toolong, ok = 1;

	memset(&tr, 0, sizeof tr);
	enc_init(&tr.e, r->bytes, sizeof r->bytes);
	r->kind = REC_TLV;
	if (tlv_read_header(&tr, hdr, hlen) < 0) {
		ok = 0;
		bad_tlv(r, tr.err, tr.errcol);
	}
	while ((s = next_line(rr, &n, &ln, &toolong)) != NULL) {
		char *t = s;
		size_t tn = n;
		trim(&t, &tn);
		if (tn == 0)
			break;
		if (!tlv_is_element(s, n)) {
			rr->pending = 1;
			rr->pline = s;
			rr->plen = n;
			rr->plineno = ln;
			break;
		}
		if (ok && (toolong || tlv_read_element(&tr, s, n) < 0)) {
			ok = 0;
			if (toolong)
				bad(r, FAIL_LINE_TOO_LONG, -1);
			else
				bad_tlv(r, tr.err, -1);
			r->lineno = ln;
		}
	}
	if (ok && tlv_read_end(&tr) < 0) {
		ok = 0;
		bad_tlv(r, tr.err, -1);
	}
	memcpy(r->time, tr.time, sizeof r->time);	/* error records keep it too */
	r->sec = tr.sec;
	r->pieces = tr.pieces;
	r->blocks = tr.blocks;
	if (!ok)
		return -1;
	r->len = tr.e.len;
	r->apdu = r->bytes;
	r->apdu_len = tr.e.len;
	r->body = tr.body;
	r->has_llc = !r->body && tr.e.len && r->bytes[0] == LLC_DST_LSAP;
	if (!r->body && tr.e.len == 0)
		return bad(r, FAIL_EMPTY_RECORD, -1);
	return 1;
}

/* Whether a line starts a P1 telegram: "/" first, or after a capture time. */
static int
p1_start(const char *s, size_t n)
{
	const char *sp = memchr(s, ' ', n);

	if (n && s[0] == '/')
		return 1;
	return sp && sp + 1 < s + n && sp[1] == '/' && rfc3339_plain(s, (size_t)(sp - s));
}

/* A P1 telegram: the line s (its "/" line) and those after it through the "!" line. A
 * line that starts another telegram ends this one cut short, and is read again next. */
static int
read_p1(struct recreader *rr, struct record *r, const char *s, size_t n)
{
	size_t len = 0;
	long ln;
	int toolong, over = 0;
	char *l;

	r->kind = REC_P1;
	for (;;) {
		if (len + n + 1 > P1_MAX)
			over = 1;
		else {
			memcpy(r->p1 + len, s, n);
			len += n;
			if (n && s[0] == '!')
				break;
			r->p1[len++] = '\n';
		}
		if (!(l = next_line(rr, &n, &ln, &toolong)))
			return bad(r, FAIL_TRUNCATED, -1);
		while (n && (l[n - 1] == '\r'))
			n--;
		if (toolong)
			over = 1;
		if (p1_start(l, n)) {
			rr->pending = 1;
			rr->pline = l;
			rr->plen = n;
			rr->plineno = ln;
			return bad(r, over ? FAIL_TOO_LONG : FAIL_NO_END, -1);
		}
		s = l;
		if (n && s[0] == '!' && over)
			return bad(r, FAIL_TOO_LONG, -1);
	}
	r->p1_len = len;
	r->p1[len] = '\0';
	{
		enum p1_err e = p1_check((const uint8_t *)r->p1, len, &r->tg);
		if (e != P1_OK) {
			r->err = p1_errname(e);
			r->errpos = -1;
			return -1;
		}
	}
	return 1;
}

int
rec_next(struct recreader *rr, struct record *r)
{
	char *s;
	size_t n;
	long ln;
	int toolong;

	r->err = NULL;
	r->detail = NULL;
	r->errpos = -1;
	r->time[0] = '\0';
	r->len = 0;
	r->apdu = NULL;
	r->apdu_len = 0;
	r->body = 0;
	memset(&r->sec, 0, sizeof r->sec);
	r->pieces = 0;
	r->blocks = 0;
	for (;;) {
		errno = 0;
		if (!(s = next_line(rr, &n, &ln, &toolong)))
			return 0;
		r->lineno = ln;
		trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		if (toolong)
			return bad(r, FAIL_LINE_TOO_LONG, -1);
		if (tlv_is_header(s, n))
			return read_block(rr, r, s, n);
		if (tlv_is_element(s, n))
			return bad(r, FAIL_STRAY_ELEMENT, -1);
		if (s[0] == '{') {
			if (json_comment(s, n))
				continue;
			return from_json(r, s, n);
		}
		/* an optional capture-time prefix, then the hex */
		{
			const char *sp = memchr(s, ' ', n);
			long col = 1;
			if (sp && rfc3339_plain(s, (size_t)(sp - s))) {
				size_t tl = (size_t)(sp - s);
				if (tl < sizeof r->time) {
					memcpy(r->time, s, tl);
					r->time[tl] = '\0';
				}
				col += (long)(tl + 1);
				n -= tl + 1;
				s += tl + 1;
				trim(&s, &n);
			}
			if (n && s[0] == '/')
				return read_p1(rr, r, s, n);
			return from_hex(r, s, n, col);
		}
	}
}

void
rec_asm_init(struct rec_asm *a)
{
	reasm_init(&a->ra);
	gbt_init(&a->gbt);
}

int
rec_pending(struct rec_asm *a, long *line)
{
	return reasm_pending(&a->ra, line) || gbt_pending(&a->gbt, line);
}

enum reasm_status
rec_message(struct rec_asm *a, const struct record *r, const uint8_t **p, size_t *n,
    enum fail *why)
{
	uint8_t addr[8];
	size_t al = 0, k;
	enum reasm_status st = REASM_WHOLE;
	const uint8_t *q;

	a->ra.tag = a->gbt.tag = r->lineno;
	a->pieces = 1;
	a->blocks = 0;
	*p = r->apdu;
	*n = r->apdu_len;
	if (r->kind == REC_MBUS) {
		addr[0] = r->mbus.a;
		al = 1;
		st = reasm_mbus(&a->ra, r->mbus.a, r->mbus.ci, r->mbus.data, r->mbus.data_len, p,
		    n, why);
	} else if (r->kind == REC_FRAME) {
		memcpy(addr, r->frame.dst, r->frame.dst_len);
		memcpy(addr + r->frame.dst_len, r->frame.src, r->frame.src_len);
		al = (size_t)r->frame.dst_len + r->frame.src_len;
		st = reasm_hdlc(&a->ra, addr, al, r->frame.segmented, r->apdu, r->apdu_len, p, n,
		    why);
	}
	if (st == REASM_MORE || !*p)
		return st;
	if (r->kind == REC_MBUS || r->kind == REC_FRAME)
		a->pieces = a->ra.pieces;
	/* a GBT block (after the LLC, if any) waits for the rest of its APDU */
	q = *p;
	k = *n;
	if (k >= 3 && q[0] == LLC_DST_LSAP)
		q += 3, k -= 3;
	/* (block number 0 is no block of a transfer: such an APDU is shown as it is) */
	if (!r->body && gbt_is_block(q, k) && k >= 4 && (q[2] | q[3])) {
		enum fail gw;
		switch (gbt_block(&a->gbt, addr, al, q, k, p, n, &gw)) {
		case GBT_MORE:
			return st == REASM_ERROR ? REASM_ERROR : REASM_MORE;
		case GBT_ERROR:
			if (st != REASM_ERROR)
				*why = gw;
			return REASM_ERROR;
		case GBT_WHOLE:
			a->blocks = a->gbt.blocks;
			break;
		}
	}
	return st;
}

int
rec_p1_text(struct record *r, const uint8_t *p, size_t n)
{
	size_t k = 0;
	enum p1_err e;

	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (n > P1_MAX)
		return bad(r, FAIL_TOO_LONG, -1);
	for (size_t i = 0; i < n; i++)
		if (!(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
			r->p1[k++] = (char)p[i];
	r->p1[k] = '\0';
	r->p1_len = k;
	r->kind = REC_P1;
	if ((e = p1_check((const uint8_t *)r->p1, k, &r->tg)) != P1_OK) {
		r->err = p1_errname(e);
		r->errpos = -1;
		return -1;
	}
	return 1;
}
