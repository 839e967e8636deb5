/* The TLV text form's writer (cosem-decode); the grammar is in hantools(5). */
#include <stdio.h>
#include <string.h>
#include "cosem/dlmstime.h"
#include "cosem/obis.h"
#include "cosem/units.h"
#include "rec/tlv.h"
#include "rec/view.h"

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
	struct view_time vt;
	uint8_t st;

	view_time(b, &vt);
	out_str(o, " datetime=");
	if (vt.len)
		out_write(o, vt.text, vt.len);
	else
		out_str(o, "unspecified");
	out_str(o, " deviation=");
	if (vt.deviation == DLMSTIME_DEV_UNSPEC)
		out_str(o, "unspecified");
	else
		out_i64(o, vt.deviation);
	out_str(o, " status=");
	if (vt.status == DLMSTIME_UNSPEC) {
		out_str(o, "unspecified");
	} else {
		st = (uint8_t)vt.status;
		out_str(o, "0x");
		out_hex(o, &st, 1);
		out_str(o, vt.dst ? " dst=yes" : " dst=no");
	}
}

static void
put_element(struct output *o, const struct axdr_tree *t, size_t i)
{
	const struct axdr_node *nd = &t->node[i];
	const uint8_t *v = t->buf + nd->voff;
	char buf[48];
	const char *u;
	int scaler;
	unsigned unit;

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
		if (axdr_scaler_unit(t, i, &scaler, &unit)) {
			u = unit_name(unit);
			out_str(o, " scaler=");
			out_i64(o, scaler);
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
		} else if (view_of(t, i) == VIEW_OBIS) {
			out_str(o, " obis=");
			out_write(o, buf, obis_format(v, buf));
		} else if (view_of(t, i) == VIEW_CLOCK) {
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
		if ((u = view_unit_after_scaler(t, i)) != NULL) {
			out_str(o, " unit=");
			out_str(o, u);
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

/* The security header of a ciphered APDU, as header tokens. */
static void
put_sec(struct output *o, const struct rx_sec *s)
{
	char maker[4];

	if (!s || !s->ciphered)
		return;
	out_str(o, s->ciphered == APDU_DED_CIPHERING ? " ciphered=ded" : " ciphered=glo");
	out_str(o, " systitle=");
	out_hex(o, s->systitle, sizeof s->systitle);
	if (cipher_maker(s->systitle, maker)) {
		out_str(o, " maker=");
		out_str(o, maker);
	}
	out_str(o, " sc=");
	out_hex(o, &s->sc, 1);
	out_str(o, " ic=");
	out_u64(o, s->ic);
	out_str(o, s->auth ? " auth=yes" : " auth=no");
	if (s->ic_back)
		out_str(o, " ic-went-back=yes");
}

static void
write_apdu(struct output *o, const char *time, const struct apdu *a,
    const struct axdr_tree *t, const struct rx_sec *sec, int pieces, unsigned blocks)
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
	put_sec(o, sec);
	if (pieces > 1) {
		out_str(o, " pieces=");
		out_u64(o, (uint64_t)pieces);
	}
	if (blocks) {
		out_str(o, " gbt=");
		out_u64(o, blocks);
	}
	if (a->tag != APDU_DATA_NOTIFICATION || !t) {
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
tlv_write(struct output *o, const char *time, const struct apdu *a,
    const struct axdr_tree *t)
{
	write_apdu(o, time, a, t, NULL, 0, 0);
}

void
tlv_write_msg(struct output *o, const char *time, const struct rx_msg *m)
{
	if (m->body)
		tlv_write_body(o, time, m->tree);
	else
		write_apdu(o, time, &m->a, m->tree, &m->sec, m->pieces, m->blocks);
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

