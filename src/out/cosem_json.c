/* The JSON form of a decoded APDU: header fields and the A-XDR tree, every node with its
 * DLMS type and raw value; integers exact (64-bit included). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cosem/dlmstime.h"
#include "cosem/obis.h"
#include "cosem/units.h"
#include "out/cosem_json.h"
#include "out/json.h"
#include "rec/view.h"

static void
key(struct output *o, const char *k)
{
	out_char(o, ',');
	out_char(o, '"');
	out_str(o, k);
	out_str(o, "\":");
}

static void
datetime_fields(struct output *o, const uint8_t *b)
{
	struct view_time vt;

	view_time(b, &vt);
	key(o, "datetime");
	if (vt.len)
		json_str(o, vt.text, vt.len);
	else
		out_str(o, "null");
	key(o, "deviation");
	if (vt.deviation == DLMSTIME_DEV_UNSPEC)
		out_str(o, "null");
	else
		out_i64(o, vt.deviation);
	key(o, "clock_status");
	if (vt.status == DLMSTIME_UNSPEC)
		out_str(o, "null");
	else
		out_i64(o, vt.status);
	key(o, "dst");
	out_str(o, vt.dst ? "true" : "false");
	if (!vt.plausible) {
		key(o, "plausible");
		out_str(o, "false");
	}
}

static size_t
node(struct output *o, const struct axdr_tree *t, size_t i)
{
	const struct axdr_node *nd = &t->node[i];
	const uint8_t *v = t->buf + nd->voff;
	char buf[48];

	out_str(o, "{\"type\":\"");
	out_str(o, axdr_tagname(nd->tag));
	out_char(o, '"');
	switch (nd->tag) {
	case AXDR_NULL:
		break;
	case AXDR_ARRAY:
	case AXDR_STRUCTURE: {
		size_t j = i + 1;
		int scaler;
		unsigned unit;
		if (axdr_scaler_unit(t, i, &scaler, &unit)) {
			const char *u = unit_name(unit);
			key(o, "scaler");
			out_i64(o, scaler);
			key(o, "unit");
			if (u)
				json_str(o, u, strlen(u));
			else
				out_str(o, "null");
		}
		key(o, "value");
		out_char(o, '[');
		for (unsigned k = 0; k < nd->count; k++) {
			if (k)
				out_char(o, ',');
			j = node(o, t, j);
		}
		out_str(o, "]}");
		return nd->next;
	}
	case AXDR_OCTET_STRING:
	case AXDR_VISIBLE_STRING:
	case AXDR_UTF8_STRING:
		key(o, "hex");
		json_hex(o, v, nd->vlen);
		if (nd->tag != AXDR_OCTET_STRING) {
			key(o, "text");
			json_str(o, (const char *)v, nd->vlen);
		} else if (view_of(t, i) == VIEW_OBIS) {
			key(o, "obis");
			out_char(o, '"');
			out_write(o, buf, obis_format(v, buf));
			out_char(o, '"');
		} else if (view_of(t, i) == VIEW_CLOCK) {
			datetime_fields(o, v);
		}
		break;
	case AXDR_BIT_STRING:
		key(o, "bits");
		out_u64(o, nd->bits);
		key(o, "hex");
		json_hex(o, v, nd->vlen);
		break;
	case AXDR_COMPACT_ARRAY:
	case AXDR_DATE:
	case AXDR_TIME:
		key(o, "hex");
		json_hex(o, v, nd->vlen);
		break;
	case AXDR_DATE_TIME:
		key(o, "hex");
		json_hex(o, v, 12);
		datetime_fields(o, v);
		break;
	case AXDR_BOOLEAN:
		key(o, "value");
		out_str(o, nd->v.i ? "true" : "false");
		break;
	case AXDR_FLOAT32:
	case AXDR_FLOAT64:
		key(o, "hex");
		json_hex(o, v, nd->vlen);
		key(o, "value");
		if (isfinite(nd->v.d)) {
			snprintf(buf, sizeof buf, "%.*g", nd->tag == AXDR_FLOAT32 ? 9 : 17, nd->v.d);
			out_str(o, buf);
		} else {
			out_str(o, "null");
		}
		break;
	default:
		key(o, "value");
		if (axdr_is_unsigned(nd) || nd->tag == AXDR_BCD)
			out_u64(o, nd->v.u);
		else
			out_i64(o, nd->v.i);
		break;
	}
	out_char(o, '}');
	return nd->next;
}

static void
head(struct output *o, long line, const char *time)
{
	out_str(o, "{\"line\":");
	out_i64(o, line);
	if (time && *time) {
		key(o, "time");
		json_str(o, time, strlen(time));
	}
}

/* A ciphered APDU's security header as one object. */
static void
security(struct output *o, const struct rx_sec *s)
{
	char text[48], maker[4];
	size_t n;

	key(o, "security");
	out_str(o, "{\"ciphered\":");
	out_str(o, s->ciphered == APDU_DED_CIPHERING ? "\"ded\"" : "\"glo\"");
	key(o, "system_title");
	json_hex(o, s->systitle, sizeof s->systitle);
	n = cipher_systitle_text(s->systitle, text);
	if (n > 2 * sizeof s->systitle) {
		/* "hex (text)": the text alone */
		key(o, "system_title_text");
		json_str(o, text + 2 * sizeof s->systitle + 2, n - 2 * sizeof s->systitle - 3);
	}
	key(o, "maker");
	if (cipher_maker(s->systitle, maker))
		json_str(o, maker, 3);
	else
		out_str(o, "null");
	key(o, "sc");
	json_hex(o, &s->sc, 1);
	key(o, "ic");
	out_u64(o, s->ic);
	key(o, "authenticated");
	out_str(o, s->auth ? "true" : "false");
	key(o, "ic_went_back");
	out_str(o, s->ic_back ? "true" : "false");
	out_char(o, '}');
}

static void
emit(struct output *o, long line, const char *time, const struct apdu *a,
    const struct axdr_tree *t, const struct rx_sec *sec, int pieces, unsigned blocks)
{
	head(o, line, time);
	if (a) {
		const char *kind = apdu_tagname(a->tag);
		uint8_t tag = a->tag;
		key(o, "kind");
		json_str(o, kind, strlen(kind));
		key(o, "tag");
		json_hex(o, &tag, 1);
		key(o, "llc");
		if (a->has_llc)
			json_hex(o, a->llc, 3);
		else
			out_str(o, "null");
		if (sec && sec->ciphered)
			security(o, sec);
		if (pieces > 1) {
			key(o, "pieces");
			out_u64(o, (uint64_t)pieces);
		}
		if (blocks) {
			key(o, "gbt_blocks");
			out_u64(o, blocks);
		}
		if (a->tag != APDU_DATA_NOTIFICATION || !t) {
			key(o, "length");
			out_u64(o, a->len);
			key(o, "hex");
			json_hex(o, a->p, a->len);
			out_str(o, "}\n");
			return;
		}
		key(o, "invoke_id");
		out_u64(o, a->invoke_id);
		key(o, "invoke_raw");
		out_u64(o, a->invoke_raw);
		key(o, "priority");
		out_str(o, a->prio_high ? "\"high\"" : "\"normal\"");
		key(o, "service_class");
		out_str(o, a->confirmed ? "\"confirmed\"" : "\"unconfirmed\"");
		key(o, "processing");
		out_str(o, a->break_on_error ? "\"break-on-error\"" : "\"continue-on-error\"");
		key(o, "self_descriptive");
		out_str(o, a->self_descriptive ? "true" : "false");
		key(o, "date_time");
		if (a->time_enc == APDU_TIME_NONE) {
			out_str(o, "null");
		} else {
			out_str(o, "{\"encoding\":");
			out_str(o, a->time_enc == APDU_TIME_TAGGED ? "\"tagged\"" : "\"bare\"");
			key(o, "hex");
			json_hex(o, a->time, 12);
			datetime_fields(o, a->time);
			out_char(o, '}');
		}
	} else {
		key(o, "kind");
		out_str(o, "\"body\"");
	}
	key(o, "body");
	node(o, t, 0);
	out_str(o, "}\n");
}

void
cosem_json(struct output *o, long line, const char *time, const struct apdu *a,
    const struct axdr_tree *t)
{
	emit(o, line, time, a, t, NULL, 0, 0);
}

void
cosem_json_msg(struct output *o, long line, const char *time, const struct rx_msg *m)
{
	emit(o, line, time, m->body ? NULL : &m->a, m->tree, &m->sec, m->pieces, m->blocks);
}

void
cosem_json_error(struct output *o, long line, const char *time, const char *token,
    const char *detail, long byte)
{
	head(o, line, time);
	key(o, "error");
	json_str(o, token, strlen(token));
	if (detail) {
		key(o, "detail");
		json_str(o, detail, strlen(detail));
	}
	if (byte >= 0) {
		key(o, "byte");
		out_i64(o, byte);
	}
	out_str(o, "}\n");
}
