/* The TLV text form: writer (cosem-decode) and reader (every later stage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cosem/dlmstime.h"
#include "base/hex.h"
#include "base/rfc3339.h"
#include "rec/tlv.h"
#include "cosem/units.h"

/* ---- writer ---- */

/* A string as a double-quoted token: quote, backslash and anything outside printable
 * ASCII as \xHH, so one element stays one line. */
static void
put_quoted(struct output *o, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	out_char(o, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			out_char(o, (char)c);
		} else {
			char e[4] = { '\\', 'x', hx[c >> 4], hx[c & 15] };
			out_write(o, e, 4);
		}
	}
	out_char(o, '"');
}

static void
put_datetime(struct output *o, const uint8_t *b)
{
	struct dlmstime t;
	char buf[40];
	size_t n;
	dlmstime_parse(b, &t);
	n = dlmstime_format(&t, buf, sizeof buf);
	out_str(o, " datetime=");
	if (n)
		out_write(o, buf, n);
	else
		out_str(o, "unspecified");
	out_str(o, " deviation=");
	if (t.deviation == DLMSTIME_DEV_UNSPEC)
		out_str(o, "unspecified");
	else
		out_i64(o, t.deviation);
	out_str(o, " status=");
	if (t.status == DLMSTIME_UNSPEC) {
		out_str(o, "unspecified");
	} else {
		char s[5] = { '0', 'x', "0123456789abcdef"[t.status >> 4],
		    "0123456789abcdef"[t.status & 15], 0 };
		out_str(o, s);
		out_str(o, t.dst ? " dst=yes" : " dst=no");
	}
}

static void
put_element(struct output *o, const struct axdr_tree *t, size_t i)
{
	const struct axdr_node *nd = &t->node[i];
	const uint8_t *v = t->buf + nd->voff;
	char buf[48];

	for (int d = 0; d < nd->depth; d++)
		out_write(o, "  ", 2);
	out_u64(o, nd->depth);
	out_char(o, ' ');
	out_str(o, axdr_tagname(nd->tag));
	out_char(o, ' ');
	switch (nd->tag) {
	case AXDR_NULL:
		out_str(o, "0 -");
		break;
	case AXDR_ARRAY:
	case AXDR_STRUCTURE:
		out_u64(o, nd->count);
		out_str(o, " -");
		/* a {scaler, unit} pair */
		if (nd->tag == AXDR_STRUCTURE && nd->count == 2 && i + 2 < t->n &&
		    t->node[i + 1].tag == AXDR_INTEGER && t->node[i + 2].tag == AXDR_ENUM) {
			const char *u = unit_name((unsigned)t->node[i + 2].v.u);
			out_str(o, " scaler=");
			out_i64(o, t->node[i + 1].v.i);
			out_str(o, " unit=");
			out_str(o, u ? u : "unknown");
		}
		break;
	case AXDR_OCTET_STRING:
	case AXDR_VISIBLE_STRING:
	case AXDR_UTF8_STRING:
		out_u64(o, nd->vlen);
		out_char(o, ' ');
		if (nd->vlen)
			out_hex(o, v, nd->vlen);
		else
			out_char(o, '-');
		if (nd->tag != AXDR_OCTET_STRING) {
			out_char(o, ' ');
			put_quoted(o, v, nd->vlen);
		} else if (nd->vlen == 6) {
			out_str(o, " obis=");
			out_write(o, buf, obis_format(v, buf));
		} else if (nd->vlen == 12 && dlmstime_is_clock(v)) {
			put_datetime(o, v);
		}
		break;
	case AXDR_BIT_STRING:
		out_u64(o, nd->bits);
		out_char(o, ' ');
		if (nd->vlen)
			out_hex(o, v, nd->vlen);
		else
			out_char(o, '-');
		break;
	case AXDR_COMPACT_ARRAY:
		out_u64(o, nd->vlen);
		out_char(o, ' ');
		out_hex(o, v, nd->vlen);
		break;
	case AXDR_BOOLEAN:
	case AXDR_BCD:
		out_str(o, "1 ");
		out_u64(o, v[0]);
		if (nd->tag == AXDR_BOOLEAN)
			out_str(o, v[0] ? " true" : " false");
		break;
	case AXDR_FLOAT32:
	case AXDR_FLOAT64:
		out_u64(o, nd->vlen);
		out_char(o, ' ');
		out_hex(o, v, nd->vlen);
		snprintf(buf, sizeof buf, " %.*g", nd->tag == AXDR_FLOAT32 ? 9 : 17, nd->v.d);
		out_str(o, buf);
		break;
	case AXDR_DATE_TIME:
		out_str(o, "12 ");
		out_hex(o, v, 12);
		put_datetime(o, v);
		break;
	case AXDR_DATE:
	case AXDR_TIME:
		out_u64(o, nd->vlen);
		out_char(o, ' ');
		out_hex(o, v, nd->vlen);
		break;
	default:		/* integers and enum */
		out_u64(o, nd->vlen);
		out_char(o, ' ');
		if (axdr_is_unsigned(nd))
			out_u64(o, nd->v.u);
		else
			out_i64(o, nd->v.i);
		if (nd->tag == AXDR_ENUM && i > 0 && t->node[i - 1].tag == AXDR_INTEGER &&
		    nd->depth == t->node[i - 1].depth && unit_name((unsigned)nd->v.u)) {
			out_str(o, " unit=");
			out_str(o, unit_name((unsigned)nd->v.u));
		}
		break;
	}
	out_char(o, '\n');
}

static void
put_tree(struct output *o, const struct axdr_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		put_element(o, t, i);
}

void
tlv_write(struct output *o, const char *time, const struct apdu *a,
    const struct axdr_tree *t)
{
	const char *kind = apdu_tagname(a->tag);
	char tag[3] = { "0123456789abcdef"[a->tag >> 4], "0123456789abcdef"[a->tag & 15], 0 };

	out_str(o, "apdu");
	if (time && *time) {
		out_str(o, " time=");
		out_str(o, time);
	}
	out_str(o, " llc=");
	if (a->has_llc)
		out_hex(o, a->llc, 3);
	else
		out_str(o, "none");
	out_str(o, " tag=");
	out_str(o, tag);
	out_str(o, " kind=");
	out_str(o, kind ? kind : "unknown");
	if (a->tag != 0x0f || !t) {
		out_str(o, " len=");
		out_u64(o, a->len);
		out_str(o, " raw=");
		out_hex(o, a->p, a->len);
		out_str(o, "\n\n");
		return;
	}
	{
		uint8_t inv[4] = { (uint8_t)(a->invoke_raw >> 24), (uint8_t)(a->invoke_raw >> 16),
		    (uint8_t)(a->invoke_raw >> 8), (uint8_t)a->invoke_raw };
		out_str(o, " invoke=0x");
		out_hex(o, inv, 4);
	}
	out_str(o, " id=");
	out_u64(o, a->invoke_id);
	out_str(o, a->prio_high ? " priority=high" : " priority=normal");
	out_str(o, a->confirmed ? " service=confirmed" : " service=unconfirmed");
	out_str(o, a->break_on_error ? " processing=break" : " processing=continue");
	out_str(o, a->self_descriptive ? " self-descriptive=yes" : " self-descriptive=no");
	switch (a->time_enc) {
	case APDU_TIME_NONE:
		out_str(o, " dt=none");
		break;
	case APDU_TIME_TAGGED:
	case APDU_TIME_BARE:
		out_str(o, a->time_enc == APDU_TIME_TAGGED ? " dt=tagged:" : " dt=bare:");
		out_hex(o, a->time, 12);
		put_datetime(o, a->time);
		break;
	}
	out_char(o, '\n');
	put_tree(o, t);
	out_char(o, '\n');
}

void
tlv_write_body(struct output *o, const char *time, const struct axdr_tree *t)
{
	out_str(o, "body");
	if (time && *time) {
		out_str(o, " time=");
		out_str(o, time);
	}
	out_char(o, '\n');
	put_tree(o, t);
	out_char(o, '\n');
}

/* ---- reader ---- */

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

static int
emit(struct tlv_reader *r, const void *p, size_t n)
{
	if (r->cap - r->len < n) {
		r->err = "record too long";
		return -1;
	}
	memcpy(r->out + r->len, p, n);
	r->len += n;
	return 0;
}

static int
emit_len(struct tlv_reader *r, uint64_t v)
{
	uint8_t b[5];
	size_t n = 0;
	if (v < 0x80) {
		b[n++] = (uint8_t)v;
	} else if (v <= 0xff) {
		b[n++] = 0x81;
		b[n++] = (uint8_t)v;
	} else if (v <= 0xffff) {
		b[n++] = 0x82;
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
	} else {
		return r->err = "length too large", -1;
	}
	return emit(r, b, n);
}

/* Hex token of exactly want bytes (want < 0: any length, *got set) appended to the output. */
static int
emit_hex(struct tlv_reader *r, const char *s, size_t n, long want, size_t *got)
{
	long k;
	if (n == 1 && s[0] == '-')
		n = 0;
	if (n % 2 || (want >= 0 && n != (size_t)want * 2))
		return r->err = "hex value of the wrong length", -1;
	if (r->cap - r->len < n / 2)
		return r->err = "record too long", -1;
	k = hex_decode(r->out + r->len, r->cap - r->len, s, n, NULL);
	if (k < 0)
		return r->err = "bad hex value", -1;
	r->len += (size_t)k;
	if (got)
		*got = (size_t)k;
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

	r->len = 0;
	r->root = r->top = 0;
	r->time[0] = '\0';
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
		}
	}
	if (r->body)
		return 0;
	if (tag < 0)
		return fail(r, "header without tag", s, end);
	if (has_llc && emit(r, llc, 3) < 0)
		return -1;
	if (tag != 0x0f || raw) {
		if (!raw)
			return fail(r, "header without raw bytes", s, end);
		if (emit_hex(r, raw, rawlen, -1, NULL) < 0)
			return fail(r, r->err, s, raw);
		r->root = 1;	/* nothing follows */
		return 0;
	}
	if (!have_invoke || dt < 0)
		return fail(r, "data-notification header without invoke or dt", s, end);
	{
		uint8_t t = 0x0f;
		if (emit(r, &t, 1) < 0 || emit(r, inv, 4) < 0)
			return -1;
		if (dt == APDU_TIME_NONE) {
			t = 0;
			if (emit(r, &t, 1) < 0)
				return -1;
		} else {
			uint8_t h[2] = { 0x09, 0x0c };
			if (dt == APDU_TIME_TAGGED ? emit(r, h, 2) : emit(r, h + 1, 1))
				return -1;
			if (emit(r, dtb, 12) < 0)
				return -1;
		}
	}
	return 0;
}

int
tlv_read_element(struct tlv_reader *r, const char *s, size_t n)
{
	const char *end = s + n, *cur = s, *tk;
	size_t tl;
	int64_t depth, iv;
	uint64_t uv, len;
	int tag, w;
	uint8_t b[9];

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
	b[0] = (uint8_t)tag;
	if (emit(r, b, 1) < 0)
		return -1;
	switch (tag) {
	case AXDR_NULL:
		return 0;
	case AXDR_ARRAY:
	case AXDR_STRUCTURE:
		if (len > 0xffff)
			return fail(r, "count too large", s, tk);
		if (emit_len(r, len) < 0)
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
		if (emit_len(r, len) < 0 || emit_hex(r, tk, tl, (long)len, NULL) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_BIT_STRING:
		if (emit_len(r, len) < 0 || emit_hex(r, tk, tl, (long)((len + 7) / 8), NULL) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_COMPACT_ARRAY:
		if (emit_hex(r, tk, tl, (long)len, NULL) < 0)
			return fail(r, r->err, s, tk);
		return 0;
	case AXDR_FLOAT32: case AXDR_FLOAT64: case AXDR_DATE_TIME: case AXDR_DATE:
	case AXDR_TIME:
		w = tag == AXDR_FLOAT32 ? 4 : tag == AXDR_FLOAT64 ? 8 : tag == AXDR_DATE_TIME ? 12 :
		    tag == AXDR_DATE ? 5 : 4;
		if (len != (uint64_t)w || emit_hex(r, tk, tl, w, NULL) < 0)
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
		switch (tag) {
		case AXDR_BOOLEAN: case AXDR_BCD: case AXDR_INTEGER: case AXDR_UNSIGNED:
		case AXDR_ENUM: w = 1; break;
		case AXDR_LONG: case AXDR_LONG_UNSIGNED: w = 2; break;
		case AXDR_DOUBLE_LONG: case AXDR_DOUBLE_LONG_UNSIGNED: w = 4; break;
		default: w = 8; break;
		}
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
		for (int i = 0; i < w; i++)
			b[i] = (uint8_t)(x >> (8 * (w - 1 - i)));
		if (emit(r, b, (size_t)w) < 0)
			return -1;
	}
	return 0;
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
