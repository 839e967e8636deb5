/* Self-describing push lists (Landis+Gyr E360, E450, E570; Iskraemeco AM550; Switzerland,
 * Cyprus): the body is a structure whose first element is the push setup's object list,
 * an array of capture-object descriptors {long-unsigned class, octet-string(6) OBIS,
 * integer attribute, long-unsigned data index}, and whose elements are the captured values,
 * one per descriptor in the same order. The first descriptor is that array itself (push
 * setup, attribute 2), so value k belongs to descriptor k. Values are mapped by their
 * descriptor's OBIS code through the OBIS table; a capture of a register's scaler_unit
 * (attribute 3) scales the register's value. None of the pushes in the corpus sends one,
 * so the scale comes from the rows below, chosen by the push setup's OBIS code (the list's
 * identity) and the value's type:
 *
 *   push setup 0.6.25.9.0.255 (E360 and AM550, VSE 2026 configuration): U in 0.1 V (2357,
 *     2347 with about 235 V on the phase), I 0.01 A (long-unsigned);
 *   push setup 0.8.25.9.0.255 (E450, E570): U in V (234, 236, 232 as long-unsigned, 229 as
 *     long64: 23.6 V or 2 V on a live phase are impossible), I 0.01 A as long-unsigned
 *     (P 331 W with 0.49 + 1.67 + 0.23 A at 234 V), whole amperes as long64 (the E570 under
 *     load: 400/200/601 A against P 258874 W, U I = 283 kVA; 4 A would be 2.8 kVA), power
 *     factor in 0.001 as long-unsigned (941: 9.41 or 94.1 are no power factor);
 *   every push setup: P, Q in W and var, energies in Wh (scaler 0, what every vector's
 *     registers agree with).
 *
 * A voltage, current or power factor that no row scales is left out and named in the
 * record (fields.unscaled) rather than written off by a power of ten. The clock (class 8,
 * 0.0.1.0.0.255) is the meter's capture time and replaces the header's date-time; the
 * logical device name (0.0.42.0.0.255, "LGZ..." or "ISK...") names the maker. A push that
 * sends its values without the descriptor array (an E450 configured to send the object
 * list only now and then) is not this shape; push_recall() below builds it again
 * from the object list its meter sent last, when one is remembered. */
#include <string.h>
#include "cosem/units.h"
#include "lists/family.h"
#include "lists/lists.h"

#define CLASS_DATA 1
#define CLASS_REGISTER 3
#define CLASS_EXT_REGISTER 4
#define CLASS_CLOCK 8
#define CLASS_PUSH_SETUP 40

/* A scale for a quantity that the push does not send one for. setup: the push setup's B
 * field (0xff: any); tag: the value's A-XDR type (0: any). */
static const struct {
	uint8_t setup;
	uint8_t tag;
	enum quantity q;
	signed char exp10;
} conv[] = {
	{ 0xff, 0, Q_POWER, 0 }, { 0xff, 0, Q_REACTIVE, 0 },
	{ 0xff, 0, Q_ENERGY, 0 }, { 0xff, 0, Q_REACTIVE_ENERGY, 0 },
	{ 6, AXDR_LONG_UNSIGNED, Q_VOLTAGE, -1 }, { 6, AXDR_LONG_UNSIGNED, Q_CURRENT, -2 },
	{ 8, AXDR_LONG_UNSIGNED, Q_VOLTAGE, 0 }, { 8, AXDR_LONG64, Q_VOLTAGE, 0 },
	{ 8, AXDR_LONG_UNSIGNED, Q_CURRENT, -2 }, { 8, AXDR_LONG64, Q_CURRENT, 0 },
	{ 8, AXDR_LONG_UNSIGNED, Q_POWER_FACTOR, -3 },
};

static const uint8_t obis_ldn[OBIS_LEN] = { 0, 0, 42, 0, 0, 255 };

/* Descriptor d (the node of its structure): whether it is {long-unsigned, OBIS, integer,
 * long-unsigned}. */
static int
is_descriptor(const struct axdr_tree *t, size_t d)
{
	const struct axdr_node *nd = axdr_at(t, d);
	size_t o = axdr_next(t, d + 1), a = axdr_next(t, o);

	return nd->tag == AXDR_STRUCTURE && nd->count == 4 &&
	    axdr_at(t, d + 1)->tag == AXDR_LONG_UNSIGNED && list_is_obis(t, o) &&
	    axdr_at(t, a)->tag == AXDR_INTEGER && axdr_at(t, axdr_next(t, a))->tag ==
	    AXDR_LONG_UNSIGNED;
}

static int
match(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0), *arr = axdr_at(t, 1);
	size_t d = 2;

	if (r->tag != AXDR_STRUCTURE || r->count < 2 || arr->tag != AXDR_ARRAY ||
	    arr->count != r->count)
		return 0;
	for (unsigned k = 0; k < arr->count; k++, d = axdr_next(t, d))
		if (!is_descriptor(t, d))
			return 0;
	return 1;
}

static unsigned
desc_class(const struct axdr_tree *t, size_t d)
{
	return (unsigned)axdr_at(t, d + 1)->v.u;
}

static const uint8_t *
desc_obis(const struct axdr_tree *t, size_t d)
{
	return axdr_value(t, d + 2);
}

static int
desc_attr(const struct axdr_tree *t, size_t d)
{
	return (int)axdr_at(t, d + 3)->v.i;
}

/* The frame's scaler (and unit) for the register obis: a captured scaler_unit
 * (attribute 3). */
static int
frame_scaler(const struct axdr_tree *t, const uint8_t *obis, int *exp10, unsigned *unit)
{
	size_t d = 2, v = 1;

	for (unsigned k = 0; k < axdr_at(t, 1)->count; k++) {
		unsigned cl = desc_class(t, d);
		if ((cl == CLASS_REGISTER || cl == CLASS_EXT_REGISTER) && desc_attr(t, d) == 3 &&
		    memcmp(desc_obis(t, d), obis, OBIS_LEN) == 0 &&
		    axdr_scaler_unit(t, v, exp10, unit))
			return 1;
		d = axdr_next(t, d);
		v = axdr_next(t, v);
	}
	return 0;
}

/* Whether attribute 2 (the value) of obis is captured. */
static int
captured_value(const struct axdr_tree *t, const uint8_t *obis)
{
	size_t d = 2;

	for (unsigned k = 0; k < axdr_at(t, 1)->count; k++, d = axdr_next(t, d))
		if (desc_attr(t, d) == 2 && memcmp(desc_obis(t, d), obis, OBIS_LEN) == 0)
			return 1;
	return 0;
}

/* The row's exponent for key's value of type tag, or 1 when no row gives one. */
static int
conv_scale(uint8_t setup, int key, int tag, int *exp10)
{
	for (size_t r = 0; r < sizeof conv / sizeof conv[0]; r++)
		if ((conv[r].setup == 0xff || conv[r].setup == setup) &&
		    (conv[r].tag == 0 || conv[r].tag == tag) && key_is(key, conv[r].q)) {
			*exp10 = conv[r].exp10;
			return 0;
		}
	return -1;
}

/* Whether a key's values need a scale: the quantities the rows scale, and an M-Bus
 * channel's reading, which only a captured scaler_unit scales. */
static int
needs_scale(int key)
{
	return key != K_OBIS && keytab[key].q >= Q_POWER && keytab[key].q <= Q_READING;
}

/* The meters on M-Bus channels 1 to 4 (A = 0, B = the channel): device id and reading
 * under the keys P1 gives them, anything else of a channel under its OBIS code; -1 for an
 * object of the meter itself. The OBIS table ignores B, so it must not see these. */
static const int mbus_keys[4][3] = {
	{ K_MB1_ID, K_MB1_READING, K_MB1_UNIT }, { K_MB2_ID, K_MB2_READING, K_MB2_UNIT },
	{ K_MB3_ID, K_MB3_READING, K_MB3_UNIT }, { K_MB4_ID, K_MB4_READING, K_MB4_UNIT },
};

static int
channel_key(const uint8_t *obis)
{
	if (obis[0] != 0 || obis[1] < 1 || obis[1] > 4)
		return -1;
	if (obis[2] == 96 && obis[3] == 1 && obis[4] == 0)
		return mbus_keys[obis[1] - 1][0];
	if (obis[2] == 24 && obis[3] == 2)
		return mbus_keys[obis[1] - 1][1];
	return K_OBIS;
}

static struct list_label
map(struct list_ctx *c)
{
	const struct axdr_tree *t = c->t;
	struct list_label label = { NULL, "push" };
	unsigned n = axdr_at(t, 1)->count;
	uint8_t setup = 0xfe;	/* no push setup descriptor: only the rows for any */
	size_t d = 2, v = 1;

	if (desc_class(t, 2) == CLASS_PUSH_SETUP)
		setup = desc_obis(t, 2)[1];
	for (unsigned k = 0; k < n; k++, d = axdr_next(t, d), v = axdr_next(t, v)) {
		const uint8_t *obis = desc_obis(t, d);
		unsigned cl = desc_class(t, d);
		int attr = desc_attr(t, d), key, exp10 = 0;

		if (cl == CLASS_PUSH_SETUP && attr == 2 && v == 1)
			continue;	/* the descriptor array itself */
		if (cl == CLASS_CLOCK) {
			if (attr == 2) {
				list_put(c, K_DATETIME, NULL, v, 0);
			} else {
				c->f->unmapped++;
			}
			continue;
		}
		if ((cl == CLASS_REGISTER || cl == CLASS_EXT_REGISTER) && attr == 3 &&
		    axdr_scaler_unit(t, v, NULL, NULL))
			continue;	/* used by the value it scales */
		if (cl == CLASS_PUSH_SETUP && attr == 1) {
			/* the push setup's logical name: which push this is */
			list_put(c, K_OBIS, obis, v, 0);
			continue;
		}
		if (attr != 2) {
			/* another attribute (a control state, a capture time): under the OBIS
			 * code when the value itself is not captured too, which has that key */
			if (captured_value(t, obis))
				c->f->unmapped++;
			else
				list_put(c, K_OBIS, obis, v, 0);
			continue;
		}
		if ((key = channel_key(obis)) < 0)
			key = list_obis_key(obis);
		if (key == K_DATETIME)
			key = K_OBIS;	/* a clock outside class 8: kept as it is */
		if (memcmp(obis, obis_ldn, OBIS_LEN) == 0) {
			if (list_is_string(t, v, "LGZ"))
				label.manufacturer = "Landis+Gyr";
			else if (list_is_string(t, v, "ISK"))
				label.manufacturer = "Iskraemeco";
		}
		if (needs_scale(key) && axdr_is_int(axdr_at(t, v))) {
			unsigned unit = 0;
			if (frame_scaler(t, obis, &exp10, &unit)) {
				const char *u = unit_name(unit);
				if (key_is(key, Q_READING) && obis[1] >= 1 && obis[1] <= 4 && u &&
				    strlen(u) < sizeof c->f->unitbuf[0]) {
					char *b = c->f->unitbuf[obis[1] - 1];
					memcpy(b, u, strlen(u));
					fields_set_str(c->f, mbus_keys[obis[1] - 1][2], b, strlen(u));
				}
			} else if (conv_scale(setup, key, axdr_at(t, v)->tag, &exp10) < 0) {
				list_unscaled(c, key);
				continue;
			}
		}
		list_put(c, key, obis, v, exp10);
	}
	return label;
}

const struct list_family list_push = {
	"push", "self-describing push lists: capture-object descriptors, then the values (Landis+Gyr, Iskraemeco)",
	LIST_BY_SHAPE, match, map
};

/* ---- the object lists remembered between records (lists.h: struct lists_state) ---- */

static const uint8_t obis_meter_no[OBIS_LEN] = { 0, 0, 96, 1, 0, 255 };

/* The value that names the meter: the logical device name's, else the meter number's, as
 * a string of at most LISTS_MEMO_ID bytes; its place among the values after the object
 * list (*node: its node), or -1. */
static int
id_value(const struct axdr_tree *t, size_t *node)
{
	size_t d = 2, v = 1;
	int pos = -1, best = 0;

	for (unsigned k = 0; k < axdr_at(t, 1)->count; k++, d = axdr_next(t, d), v = axdr_next(t, v)) {
		const uint8_t *o = desc_obis(t, d);
		const struct axdr_node *nd = axdr_at(t, v);
		int rank = memcmp(o, obis_ldn, OBIS_LEN) == 0 ? 2 :
		    memcmp(o, obis_meter_no, OBIS_LEN) == 0 ? 1 : 0;
		if (k > 0 && desc_attr(t, d) == 2 && rank > best &&
		    (nd->tag == AXDR_OCTET_STRING || nd->tag == AXDR_VISIBLE_STRING) &&
		    nd->vlen > 0 && nd->vlen <= LISTS_MEMO_ID) {
			best = rank;
			pos = (int)k - 1;
			*node = v;
		}
	}
	return pos;
}

static int
same_title(const struct lists_memo *e, const struct rx_msg *m)
{
	return e->titled == (m->sec.ciphered != 0) &&
	    (!e->titled || memcmp(e->systitle, m->sec.systitle, SYSTITLE_LEN) == 0);
}

/* Whether the values of t (the structure's elements from its first, node v) have entry
 * e's count, types and meter name. */
static int
same_values(const struct lists_memo *e, const struct axdr_tree *t, size_t v, unsigned n)
{
	if (e->nvals != n)
		return 0;
	for (unsigned j = 0; j < n; j++, v = axdr_next(t, v)) {
		const struct axdr_node *nd = axdr_at(t, v);
		if (nd->tag != e->tags[j])
			return 0;
		if (j == e->idpos && (nd->vlen != e->idlen ||
		    memcmp(axdr_value(t, v), e->id, e->idlen) != 0))
			return 0;
	}
	return 1;
}

static uint32_t
tick(struct lists_state *st)
{
	if (++st->tick == 0)
		st->tick = 1;
	return st->tick;
}

void
push_remember(struct lists_state *st, const struct rx_msg *m)
{
	const struct axdr_tree *t = m->tree;
	const struct axdr_node *r = axdr_at(t, 0), *arr = axdr_at(t, 1);
	struct lists_memo *e, *slot = NULL;
	size_t alen, v, idn = 0;
	unsigned nvals = r->count - 1u;
	int idpos;

	/* only an object list that describes itself first: the values then follow it */
	if (!st || desc_class(t, 2) != CLASS_PUSH_SETUP || desc_attr(t, 2) != 2 ||
	    r->count < 2 || nvals > LISTS_MEMO_VALS)
		return;
	alen = arr->voff + arr->vlen - arr->off;
	if (alen > LISTS_MEMO_BYTES)
		return;
	idpos = id_value(t, &idn);
	/* the same meter's push of this shape is refreshed; else a free entry, else the one
	 * used longest ago */
	for (e = st->memo; e < st->memo + LISTS_MEMO && !slot; e++)
		if (e->used && same_title(e, m) && same_values(e, t, axdr_next(t, 1), nvals) &&
		    (int)e->idpos == (idpos < 0 ? LISTS_MEMO_VALS : idpos))
			slot = e;
	for (e = st->memo; e < st->memo + LISTS_MEMO && !slot; e++)
		if (!e->used)
			slot = e, st->nmemo++;
	if (!slot) {
		slot = st->memo;
		for (e = st->memo; e < st->memo + LISTS_MEMO; e++)
			if (e->used < slot->used)
				slot = e;
	}
	memset(slot, 0, sizeof *slot);
	slot->titled = m->sec.ciphered != 0;
	if (slot->titled)
		memcpy(slot->systitle, m->sec.systitle, SYSTITLE_LEN);
	slot->nvals = (uint16_t)nvals;
	slot->alen = (uint16_t)alen;
	memcpy(slot->arr, t->buf + arr->off, alen);
	v = axdr_next(t, 1);
	for (unsigned j = 0; j < nvals; j++, v = axdr_next(t, v))
		slot->tags[j] = axdr_at(t, v)->tag;
	slot->idpos = LISTS_MEMO_VALS;
	if (idpos >= 0) {
		slot->idpos = (uint16_t)idpos;
		slot->idlen = (uint8_t)axdr_at(t, idn)->vlen;
		memcpy(slot->id, axdr_value(t, idn), slot->idlen);
	}
	slot->used = tick(st);
}

const struct axdr_tree *
push_recall(struct lists_state *st, const struct rx_msg *m)
{
	const struct axdr_tree *t = m->tree;
	const struct axdr_node *r = axdr_at(t, 0);
	struct lists_memo *e, *best = NULL;
	size_t vbytes, n, used, ep;
	uint8_t *b;

	if (!st || !st->nmemo || r->tag != AXDR_STRUCTURE || r->count < 1 ||
	    r->count > LISTS_MEMO_VALS)
		return NULL;
	for (e = st->memo; e < st->memo + LISTS_MEMO; e++)
		if (e->used && same_title(e, m) && same_values(e, t, 1, r->count) &&
		    (!best || e->used > best->used))
			best = e;
	if (!best)
		return NULL;
	/* a structure of the object list and then the values, as the full push sends it */
	vbytes = r->voff + r->vlen - axdr_at(t, 1)->off;
	if (4 + best->alen + vbytes > sizeof st->buf)
		return NULL;
	b = st->buf;
	n = 0;
	b[n++] = AXDR_STRUCTURE;
	if (r->count + 1u >= 0x80)
		b[n++] = 0x81;
	b[n++] = (uint8_t)(r->count + 1u);
	memcpy(b + n, best->arr, best->alen);
	n += best->alen;
	memcpy(b + n, t->buf + axdr_at(t, 1)->off, vbytes);
	n += vbytes;
	if (axdr_decode(&st->t, b, n, &used, &ep) != AXDR_OK || used != n || !match(&st->t))
		return NULL;
	best->used = tick(st);
	return &st->t;
}

void
lists_state_init(struct lists_state *st)
{
	memset(st->memo, 0, sizeof st->memo);
	st->tick = 0;
	st->nmemo = 0;
}

const char *
lists_unknown_hint(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);

	/* a push's values start with its push setup's logical name */
	if (r->tag == AXDR_STRUCTURE && r->count >= 2 && list_is_push_name(t, 1))
		return "a push's values without its object list, and none remembered for them";
	return NULL;
}
