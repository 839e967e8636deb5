/* Wiener Netze's positional lists (Iskraemeco AM550, Landis+Gyr E450 and Siemens IM350 at
 * the customer interface of Vienna's grid, sent ciphered): a structure of the meter clock
 * as a 12-octet COSEM date-time, then A+ A- (Wh), R+ R- (varh), P+ P- (W) and Q+ Q-
 * (var) as double-long-unsigned; the IM350 sends its logical device name ("SMS" and the
 * serial number, an octet-string of 16) before the clock. Layout from the published test
 * frames of the grid's customer interface and the decoders that take them apart (the
 * element order agrees with their labels); chosen by the type of every element and a
 * clock that is one. The maker is named only where the frame names it (the IM350's
 * logical device name); the AM550 and E450 lists are the same. */
#include "cosem/dlmstime.h"
#include "lists/family.h"

static const signed char keys[8] = { K_A_IMP, K_A_EXP, K_R_IMP, K_R_EXP, K_P_IMP, K_P_EXP,
	K_Q_IMP, K_Q_EXP };

/* The node of the clock, or 0 when the structure is not one of these lists. */
static size_t
clock_at(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);
	size_t i = 1, c;

	if (r->tag != AXDR_STRUCTURE || (r->count != 9 && r->count != 10))
		return 0;
	if (r->count == 10) {
		if (!axdr_octets_n(t, 1, 16) || !list_is_string(t, 1, "SMS"))
			return 0;
		i = axdr_next(t, 1);
	}
	if (!axdr_octets_n(t, i, DLMSTIME_LEN) || !dlmstime_is_clock(axdr_value(t, i)))
		return 0;
	c = i;
	for (int k = 0; k < 8; k++) {
		i = axdr_next(t, i);
		if (axdr_at(t, i)->tag != AXDR_DOUBLE_LONG_UNSIGNED)
			return 0;
	}
	return c;
}

static int
match(const struct axdr_tree *t)
{
	return clock_at(t) != 0;
}

static struct list_label
map(struct list_ctx *c)
{
	struct list_label label = { NULL, "wiener" };
	size_t i = clock_at(c->t);

	if (i != 1) {
		list_put(c, K_METER_ID, NULL, 1, 0);
		label.manufacturer = "Siemens";
	}
	list_put(c, K_DATETIME, NULL, i, 0);
	for (int k = 0; k < 8; k++) {
		i = axdr_next(c->t, i);
		list_put(c, keys[k], NULL, i, 0);
	}
	return label;
}

const struct list_family list_wiener = {
	"wiener", "Wiener Netze's positional lists: the clock, then A+ A- R+ R- P+ P- Q+ Q- (AM550, E450, IM350)",
	LIST_BY_SHAPE, match, map
};
