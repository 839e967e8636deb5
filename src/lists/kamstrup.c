/* Kamstrup_V0001 (Omnipower, Norway, Sweden, Denmark): a structure that starts with the
 * list id as a visible-string, then OBIS/value pairs with null-data in place of the
 * phases a one-phase meter lacks; scaling by conv_kamstrup. */
#include "lists/family.h"

static int
match(const struct axdr_tree *t)
{
	return axdr_at(t, 0)->tag == AXDR_STRUCTURE && axdr_at(t, 0)->count >= 2 &&
	    list_is_string(t, 1, "Kamstrup");
}

static struct list_label
map(struct list_ctx *c)
{
	struct list_label l = { "Kamstrup", "kamstrup" };

	list_put(c, K_LIST_VER_ID, NULL, 1, 0);
	list_walk_pairs(c, &conv_kamstrup);
	return l;
}

const struct list_family list_kamstrup = {
	"kamstrup", "Kamstrup_V0001: the list id, then OBIS/value pairs (Kamstrup Omnipower)",
	LIST_BY_NAME, match, map
};
