/* Kaifa KFM_001 positional lists (Norway): no OBIS codes, chosen by element count, the
 * list id "KFM_001" first (the one-element list 1 is a bare integer, so this family is
 * asked last); the clock is in the APDU header or at a fixed place. Scaling by conv_kaifa.
 * An element of the wrong type for its place is skipped, never misread. */
#include "lists/family.h"

static const signed char kfm9[] = { K_LIST_VER_ID, K_METER_ID, K_METER_TYPE, K_P_IMP, K_P_EXP,
	K_Q_IMP, K_Q_EXP, K_I1, K_U1 };
static const signed char kfm13[] = { K_LIST_VER_ID, K_METER_ID, K_METER_TYPE, K_P_IMP,
	K_P_EXP, K_Q_IMP, K_Q_EXP, K_I1, K_I2, K_I3, K_U1, K_U2, K_U3 };
static const signed char kfm14[] = { K_LIST_VER_ID, K_METER_ID, K_METER_TYPE, K_P_IMP,
	K_P_EXP, K_Q_IMP, K_Q_EXP, K_I1, K_U1, K_DATETIME, K_A_IMP, K_A_EXP, K_R_IMP, K_R_EXP };
static const signed char kfm18[] = { K_LIST_VER_ID, K_METER_ID, K_METER_TYPE, K_P_IMP,
	K_P_EXP, K_Q_IMP, K_Q_EXP, K_I1, K_I2, K_I3, K_U1, K_U2, K_U3, K_DATETIME, K_A_IMP,
	K_A_EXP, K_R_IMP, K_R_EXP };

/* Layouts by element count: list 1 (active power alone), then the one-phase and
 * three-phase lists 2 and 3. */
static const struct {
	unsigned count;
	const signed char *keys;
} layouts[] = {
	{ 1, kfm9 + 3 }, { 9, kfm9 }, { 13, kfm13 }, { 14, kfm14 }, { 18, kfm18 },
};

static int
is_number(const struct axdr_node *nd)
{
	return axdr_is_int(nd) && nd->tag != AXDR_BOOLEAN;
}

static const signed char *
layout_of(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);

	if (r->tag != AXDR_STRUCTURE && r->tag != AXDR_ARRAY)
		return NULL;
	if (r->count == 1 && !is_number(axdr_at(t, 1)))
		return NULL;
	if (r->count != 1 && !list_is_string(t, 1, "KFM"))
		return NULL;
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++)
		if (layouts[l].count == r->count)
			return layouts[l].keys;
	return NULL;
}

static int
match(const struct axdr_tree *t)
{
	return layout_of(t) != NULL;
}

static struct list_label
map(struct list_ctx *c)
{
	const signed char *keys = layout_of(c->t);
	struct list_label label = { "Kaifa", "kaifa" };
	size_t i = 1;

	for (unsigned k = 0; k < axdr_at(c->t, 0)->count; k++, i = axdr_next(c->t, i)) {
		int key = keys[k], num = is_number(axdr_at(c->t, i));
		if ((key_is(key, Q_TEXT) && num) || (keytab[key].q >= Q_POWER && !num)) {
			c->f->unmapped++;	/* of the wrong type for its place */
			list_put_pos(c, k + 1, i);
			continue;
		}
		list_put(c, key, NULL, i, conv_exp(c, &conv_kaifa, key));
	}
	return label;
}

const struct list_family list_kaifa = {
	"kaifa", "Kaifa KFM_001 positional lists of 1, 9, 13, 14 and 18 elements",
	LIST_BY_COUNT, match, map
};
