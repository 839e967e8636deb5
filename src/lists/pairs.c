/* Lists of OBIS/value pairs in one structure, perhaps with a leading clock, the pairs
 * perhaps followed by their {scaler, unit} (Swedish Kaifa, Austrian Sagemcom and Kaifa).
 * The list id decides the convention for values without a scaler. */
#include "cosem/dlmstime.h"
#include "fields/obismap.h"
#include "lists/family.h"

/* A 12-octet clock without an OBIS code may come first (Sagemcom's Austrian list). */
static int
lead_clock(const struct axdr_tree *t)
{
	return axdr_octets_n(t, 1, DLMSTIME_LEN) && dlmstime_is_clock(axdr_value(t, 1));
}

static int
match(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);

	return (r->tag == AXDR_STRUCTURE || r->tag == AXDR_ARRAY) && r->count >= 2 &&
	    /* a push setup's logical name first: the values of a push sent without its
	     * object list, not a pair (lists/push.c) */
	    ((list_is_obis(t, 1) && !list_is_push_name(t, 1)) || (r->count >= 3 && lead_clock(t) &&
	    list_is_obis(t, axdr_next(t, 1))));
}

/* The list ids that name a convention and a label. */
static const struct {
	const char *id_prefix;
	const struct convention *conv;
	struct list_label label;
} ids[] = {
	{ "KFM", &conv_kaifa, { "Kaifa", "kaifa" } },
};

static struct list_label
map(struct list_ctx *c)
{
	const struct axdr_tree *t = c->t;
	struct list_label label = { NULL, NULL };
	const struct convention *cv = &conv_none;
	size_t i = 1;

	/* the list id decides the convention: find it first */
	for (unsigned k = 0; k + 1 < axdr_at(t, 0)->count; k++, i = axdr_next(t, i)) {
		if (!list_is_obis(t, i) || obismap_key(axdr_value(t, i)) != K_LIST_VER_ID)
			continue;
		for (size_t l = 0; l < sizeof ids / sizeof ids[0]; l++)
			if (list_is_string(t, axdr_next(t, i), ids[l].id_prefix)) {
				cv = ids[l].conv;
				label = ids[l].label;
			}
	}
	if (lead_clock(t))
		list_put(c, K_DATETIME, NULL, 1, 0);
	list_walk_pairs(c, cv);
	return label;
}

const struct list_family list_pairs = {
	"pairs", "structures of OBIS/value pairs (Swedish Kaifa, Austrian Sagemcom and Kaifa)",
	LIST_BY_SHAPE, match, map
};
