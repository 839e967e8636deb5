/* Lists of OBIS structures: an array (or structure) of {OBIS, value[, {scaler, unit}]},
 * with the scaler from the frame (Aidon in Norway and Sweden, Landis+Gyr, Embriq). */
#include <string.h>
#include "lists/family.h"

static int
match(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);
	size_t i = 1;

	if ((r->tag != AXDR_ARRAY && r->tag != AXDR_STRUCTURE) || r->count == 0)
		return 0;
	for (unsigned k = 0; k < r->count; k++, i = axdr_next(t, i)) {
		const struct axdr_node *nd = axdr_at(t, i);
		if (nd->tag != AXDR_STRUCTURE || nd->count < 2 || nd->count > 3 ||
		    !list_is_obis(t, i + 1))
			return 0;
	}
	return 1;
}

/* amshan's label names the list format: Aidon's own list id, and lists with no list id
 * in that format (Swedish Aidon, L+G E350 list 1); another list id gets no label */
static const struct {
	const char *id_prefix;	/* NULL: the list has no list id */
	struct list_label label;
} labels[] = {
	{ NULL, { "Aidon", "aidon" } },
	{ "AIDON", { "Aidon", "aidon" } },
};

static struct list_label
map(struct list_ctx *c)
{
	const struct axdr_tree *t = c->t;
	struct list_label none = { NULL, NULL };
	size_t i = 1, idlen = 0;
	const char *id;

	for (unsigned k = 0; k < axdr_at(t, 0)->count; k++, i = axdr_next(t, i)) {
		const uint8_t *obis = axdr_value(t, i + 1);
		size_t vi = axdr_next(t, i + 1);
		int exp10 = 0;
		size_t su = axdr_next(t, vi);
		/* the third element: {scaler, unit}, the unit's type not insisted on */
		if (axdr_at(t, i)->count == 3 && axdr_at(t, su)->tag == AXDR_STRUCTURE &&
		    axdr_at(t, su)->count == 2 && axdr_at(t, su + 1)->tag == AXDR_INTEGER)
			exp10 = (int)axdr_at(t, su + 1)->v.i;
		list_put(c, list_obis_key(obis), obis, vi, exp10);
	}
	id = list_str(c, K_LIST_VER_ID, &idlen);
	for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++) {
		const char *p = labels[l].id_prefix;
		if (p ? id && idlen >= strlen(p) && memcmp(id, p, strlen(p)) == 0 : !id)
			return labels[l].label;
	}
	return none;
}

const struct list_family list_obis = {
	"obis", "arrays of {OBIS, value, {scaler, unit}} structures (Aidon, Landis+Gyr, Embriq)",
	LIST_BY_SHAPE, match, map
};
