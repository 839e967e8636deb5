/* Iskraemeco's positional lists (AM550, Slovenian distributors): no OBIS codes, the COSEM
 * logical device name first (octet-string of 16, "ISK" + 13 characters, which holds the
 * serial number), then values in an order that differs between distributors and firmware.
 * A layout is taken only when the element count and the type of every element match, so
 * an unknown list of the same count stays unknown instead of being misread. The second
 * octet-string is a list number shared by all meters (16820005) in some lists and the meter
 * number in others, so it is not reported. Scaling by conv_iskra; P W, A Wh. */
#include <string.h>
#include "lists/family.h"

#define NO_KEY (-1)		/* an element that is not reported */

struct layout {
	const char *sig;	/* per element: o octet-string, U double-long-unsigned,
				 * u long-unsigned, b enum or boolean */
	signed char key[18];
};

static const struct layout layouts[] = {
	/* Elektro Ljubljana, three-phase, 5 s */
	{ "ooUUUUuuuuuuUUUUUU", { K_METER_ID, NO_KEY, K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP,
	    K_U1, K_U2, K_U3, K_I1, K_I2, K_I3, K_P_IMP_L1, K_P_IMP_L2, K_P_IMP_L3,
	    K_P_EXP_L1, K_P_EXP_L2, K_P_EXP_L3 } },
	/* Elektro Celje, three-phase */
	{ "oouuuuuuUUUU", { K_METER_ID, NO_KEY, K_U1, K_U2, K_U3, K_I1, K_I2, K_I3,
	    K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP } },
	/* ED1.21 one-phase; the last two registers are not identified */
	{ "ooUUUUuUU", { K_METER_ID, NO_KEY, K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP, K_U1, NO_KEY,
	    NO_KEY } },
	/* ED1.21 one-phase with current and phase powers */
	{ "ooUUUUuuUU", { K_METER_ID, NO_KEY, K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP, K_U1, K_I1,
	    K_P_IMP_L1, K_P_EXP_L1 } },
	/* the 15-minute energy list (Elektro Ljubljana; amsreader's annotated frame
	 * slovenia-iskra.raw and issue #615): name, device number, the disconnect control's
	 * state (0.0.96.3.10, enum or boolean), the active tariff (0.0.96.14.0, two octets),
	 * A+ A+T1 A+T2 A- A-T1 A-T2 (Wh), R+ R- (varh); the tariff sums hold in the frame */
	{ "ooboUUUUUUUU", { K_METER_ID, NO_KEY, NO_KEY, K_TARIFF, K_A_IMP, K_A_IMP_T1,
	    K_A_IMP_T2, K_A_EXP, K_A_EXP_T1, K_A_EXP_T2, K_R_IMP, K_R_EXP } },
	/* powers and energy registers: A+, A+ T1, A+ T2, A-, A- T1, A- T2 (tariff sums hold) */
	{ "oUUUUUUUU", { K_METER_ID, K_P_IMP, K_P_EXP, K_A_IMP, NO_KEY, NO_KEY, K_A_EXP, NO_KEY,
	    NO_KEY } },
};

static const struct layout *
layout_of(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);

	if (r->tag != AXDR_STRUCTURE || r->count < 2 || !axdr_octets_n(t, 1, 16) ||
	    !list_is_string(t, 1, "ISK"))
		return NULL;
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
		const char *sig = layouts[l].sig;
		size_t i = 1;
		unsigned k = 0;
		if (strlen(sig) != r->count)
			continue;
		for (; k < r->count; k++, i = axdr_next(t, i)) {
			int tag = axdr_at(t, i)->tag;
			int want = sig[k] == 'o' ? AXDR_OCTET_STRING :
			    sig[k] == 'U' ? AXDR_DOUBLE_LONG_UNSIGNED : AXDR_LONG_UNSIGNED;
			if (sig[k] == 'b' ? tag != AXDR_ENUM && tag != AXDR_BOOLEAN : tag != want)
				break;
		}
		if (k == r->count)
			return &layouts[l];
	}
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
	const struct layout *l = layout_of(c->t);
	struct list_label label = { "Iskraemeco", "iskraemeco" };
	size_t i = 1;

	for (unsigned k = 0; k < axdr_at(c->t, 0)->count; k++, i = axdr_next(c->t, i))
		if (l->key[k] != NO_KEY)
			list_put(c, l->key[k], NULL, i, conv_exp(c, &conv_iskra, l->key[k]));
		else
			list_put_pos(c, k + 1, i);	/* no row names it: under its place */
	return label;
}

const struct list_family list_iskra = {
	"iskra", "Iskraemeco positional lists by count and element types (AM550, Slovenia)",
	LIST_BY_NAME, match, map
};
