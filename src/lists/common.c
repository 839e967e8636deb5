/* Helpers every meter family uses: putting values, the maker conventions as rows, the
 * OBIS/value pair walker; see family.h. */
#include <string.h>
#include "cosem/dlmstime.h"
#include "fields/obismap.h"
#include "lists/family.h"

/* Whether the header's date-time is the list clock's to the second and states the
 * deviation the list clock leaves unspecified (Sagemcom's Austrian list): then it says
 * more, and stays. */
static int
header_says_more(const struct list_ctx *c, const uint8_t *b)
{
	struct dlmstime h, l;

	if (!c->a || dlmstime_parse(c->a->time, &h) < 0 || dlmstime_parse(b, &l) < 0)
		return 0;
	return l.deviation == DLMSTIME_DEV_UNSPEC && h.deviation != DLMSTIME_DEV_UNSPEC &&
	    memcmp(c->a->time, b, 4) == 0 && memcmp(c->a->time + 5, b + 5, 3) == 0;
}

void
list_put(struct list_ctx *c, int key, const uint8_t *obis, size_t i, int exp10)
{
	if (key == K_DATETIME) {
		const struct axdr_node *nd = axdr_at(c->t, i);
		if (c->have_dt == DT_LIST || !((nd->tag == AXDR_OCTET_STRING && nd->vlen == 12) ||
		    nd->tag == AXDR_DATE_TIME))
			return;
		if (c->have_dt == DT_HEADER && c->a && nd->vlen == DLMSTIME_LEN &&
		    memcmp(c->a->time, axdr_value(c->t, i), DLMSTIME_LEN) == 0) {
			c->have_dt = DT_LIST;	/* the same bytes: set already */
			return;
		}
		if (c->have_dt == DT_HEADER && header_says_more(c, axdr_value(c->t, i)))
			return;
		if (fields_set_clock(c->f, axdr_value(c->t, i)) == 0)
			c->have_dt = DT_LIST;
		return;
	}
	fields_put_node(c->f, key, obis, c->t, i, exp10, c->o);
}

void
list_put_pos(struct list_ctx *c, unsigned pos, size_t i)
{
	fields_put_pos(c->f, pos, c->t, i, c->o);
}

void
list_unscaled(struct list_ctx *c, int key)
{
	struct fields *f = c->f;

	if (key < 0 || key >= K_NKEYS)
		return;		/* only a named key has a convention to miss */
	for (size_t i = 0; i < f->nunscaled; i++)
		if (f->unscaled[i] == (uint8_t)key)
			return;
	if (f->nunscaled < sizeof f->unscaled)
		f->unscaled[f->nunscaled++] = (uint8_t)key;
}

const struct convention conv_none = { "none", { { Q_META, 0, 0, 0, NULL } } };
/* Kaifa KFM_001: U 0.1 V, I 0.001 A, powers W, energies Wh */
const struct convention conv_kaifa = { "kaifa", {
	{ Q_CURRENT, -3, 0, 0, NULL }, { Q_VOLTAGE, -1, 0, 0, NULL } } };
/* Iskraemeco positional lists: U 0.1 V, I 0.01 A */
const struct convention conv_iskra = { "iskra", {
	{ Q_CURRENT, -2, 0, 0, NULL }, { Q_VOLTAGE, -1, 0, 0, NULL } } };
/* Kamstrup_V0001: I 0.01 A, U V, power factors 0.01; energies 10 Wh in the Norwegian
 * firmware, Wh in the Swedish one, whose meter types have 245 at characters 10-12
 * (ams-fields(1) gives the evidence); -K overrides both. The CT meters' rows are in
 * lists/kamstrup.c. */
const struct convention conv_kamstrup = { "kamstrup", {
	{ Q_CURRENT, -2, 0, 0, NULL },
	{ Q_POWER_FACTOR, -2, 0, 0, NULL },
	{ Q_ENERGY, 0, CONV_KAMSTRUP_WH, 9, "245" },
	{ Q_REACTIVE_ENERGY, 0, CONV_KAMSTRUP_WH, 9, "245" },
	{ Q_ENERGY, 1, CONV_KAMSTRUP_WH, 0, NULL },
	{ Q_REACTIVE_ENERGY, 1, CONV_KAMSTRUP_WH, 0, NULL } } };

int
conv_exp(const struct list_ctx *c, const struct convention *cv, int key)
{
	if (key == K_OBIS)
		return 0;
	for (size_t r = 0; r < sizeof cv->row / sizeof cv->row[0]; r++) {
		const struct conv_row *row = &cv->row[r];
		if (row->q == Q_META)
			break;		/* the rows in use come first */
		if (!key_is(key, row->q))
			continue;
		if ((row->flags & CONV_KAMSTRUP_WH) && c->o->kamstrup_wh)
			return c->o->kamstrup_wh == 1 ? 0 : 1;
		if (row->type) {
			size_t tl = strlen(row->type), n = 0;
			const char *ty = list_str(c, K_METER_TYPE, &n);
			if (!ty || n < row->type_at + tl || memcmp(ty + row->type_at, row->type, tl))
				continue;
		}
		return row->exp10;
	}
	return 0;
}

int
list_obis_key(const uint8_t *obis)
{
	int k = obismap_key(obis);

	return k < 0 ? K_OBIS : k;
}

int
list_is_obis(const struct axdr_tree *t, size_t i)
{
	return axdr_octets_n(t, i, OBIS_LEN);
}

int
list_is_push_name(const struct axdr_tree *t, size_t i)
{
	const uint8_t *o = axdr_value(t, i);

	return list_is_obis(t, i) && o[0] == 0 && o[2] == 25 && o[3] == 9 && o[4] == 0 &&
	    o[5] == 255;
}

int
list_is_string(const struct axdr_tree *t, size_t i, const char *prefix)
{
	const struct axdr_node *nd = axdr_at(t, i);
	size_t n = strlen(prefix);

	return (nd->tag == AXDR_VISIBLE_STRING || nd->tag == AXDR_OCTET_STRING) &&
	    nd->vlen >= n && memcmp(axdr_value(t, i), prefix, n) == 0;
}

const char *
list_str(const struct list_ctx *c, int key, size_t *len)
{
	const struct field *fd = fields_get(c->f, key, NULL);

	if (!fd || fd->kind != F_STR)
		return NULL;
	*len = fd->slen;
	return fd->str;
}

static int
is_id_key(int key)
{
	return key == K_METER_TYPE || key == K_METER_ID || key == K_LIST_VER_ID;
}

/* A number whose convention does not know its scale is named, not put. conv: exp10 is the
 * convention's (a frame's scaler of -128 is a scaler like any other). */
static inline void
put_scaled(struct list_ctx *c, int key, const uint8_t *obis, size_t vi, int exp10, int conv)
{
	if (conv && exp10 == CONV_UNKNOWN) {
		if (axdr_is_int(axdr_at(c->t, vi))) {
			list_unscaled(c, key);
			return;
		}
		exp10 = 0;	/* a text or null-data: no scale to know */
	}
	list_put(c, key, obis, vi, exp10);
}

void
list_walk_pairs(struct list_ctx *c, const struct convention *cv)
{
	const struct axdr_tree *t = c->t;

	for (int pass = 0; pass < 2; pass++) {
		size_t i = 1;
		unsigned k = 0, n = axdr_at(t, 0)->count;
		while (k < n) {
			const struct axdr_node *nd = axdr_at(t, i);
			if (list_is_obis(t, i) && k + 1 < n) {
				/* OBIS, null-data padding, value, perhaps {scaler, unit} */
				const uint8_t *obis = axdr_value(t, i);
				size_t vi = axdr_next(t, i), next;
				unsigned kk = k + 1;
				int key = list_obis_key(obis), exp10 = 0, su;
				while (axdr_at(t, vi)->tag == AXDR_NULL && kk + 1 < n)
					vi = axdr_next(t, vi), kk++;
				next = axdr_next(t, vi);
				su = kk + 1 < n && axdr_scaler_unit(t, next, &exp10, NULL);
				if (!su)
					exp10 = conv_exp(c, cv, key);
				if ((pass == 0) == is_id_key(key))
					put_scaled(c, key, obis, vi, exp10, !su);
				i = su ? axdr_next(t, next) : next;
				k = kk + 1 + (unsigned)su;
			} else if (nd->tag == AXDR_STRUCTURE && (nd->count == 2 || nd->count == 3) &&
			    list_is_obis(t, i + 1)) {
				/* {OBIS, value[, {scaler, unit}]} among the pairs */
				const uint8_t *obis = axdr_value(t, i + 1);
				size_t vi = axdr_next(t, i + 1);
				int key = list_obis_key(obis), exp10 = 0, conv = 0;
				if (!(nd->count == 3 && axdr_scaler_unit(t, axdr_next(t, vi), &exp10, NULL)))
					exp10 = conv_exp(c, cv, key), conv = 1;
				if ((pass == 0) == is_id_key(key))
					put_scaled(c, key, obis, vi, exp10, conv);
				i = axdr_next(t, i);
				k++;
			} else {
				/* no OBIS code before it: the family took the first element (a list
				 * id, a clock); anything else (Sagemcom's trailing meter number)
				 * under its place */
				if (pass == 0 && k > 0)
					list_put_pos(c, k + 1, i);
				i = axdr_next(t, i);
				k++;
			}
		}
	}
}
