/* Austrian positional lists (Siemens IM350 and Iskraemeco AM550 meters behind several
 * Austrian grids' customer interface, all of them sent ciphered): a structure whose first
 * element is the OBIS code 0.6.25.9.0.255, then a number as text, the local time (4
 * bytes) and date (5 bytes) as octet-strings, A+ A- (Wh), R+ R- (varh), P+ P- (W) as
 * double-long-unsigned, and on some meters two empty octet-strings. The clock comes from
 * the APDU header. The text after the OBIS code is not reported: what it numbers is not
 * established. Every element's type must be as listed, or the list is not this one. */
#include <string.h>
#include "lists/family.h"

#define NO_KEY (-1)

static const uint8_t obis_first[6] = { 0, 6, 25, 9, 0, 255 };
/* o octet-string, U double-long-unsigned, e an empty octet-string */
static const char sig10[] = "ooooUUUUUU", sig12[] = "ooooUUUUUUee";
static const signed char keys[] = { NO_KEY, NO_KEY, NO_KEY, NO_KEY, K_A_IMP, K_A_EXP,
	K_R_IMP, K_R_EXP, K_P_IMP, K_P_EXP, NO_KEY, NO_KEY };

static int
match(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);
	const char *sig;
	size_t i = 1;

	if (r->tag != AXDR_STRUCTURE || (r->count != 10 && r->count != 12))
		return 0;
	sig = r->count == 10 ? sig10 : sig12;
	if (!axdr_octets_n(t, 1, 6) || memcmp(axdr_value(t, 1), obis_first, 6) != 0)
		return 0;
	for (unsigned k = 0; k < r->count; k++, i = axdr_next(t, i)) {
		const struct axdr_node *nd = axdr_at(t, i);
		if (sig[k] == 'U' ? nd->tag != AXDR_DOUBLE_LONG_UNSIGNED :
		    nd->tag != AXDR_OCTET_STRING || (sig[k] == 'e' && nd->vlen != 0))
			return 0;
	}
	/* the time and the date by their lengths */
	i = axdr_next(t, axdr_next(t, 1));
	return axdr_octets_n(t, i, 4) && axdr_octets_n(t, axdr_next(t, i), 5);
}

static struct list_label
map(struct list_ctx *c)
{
	struct list_label label = { NULL, "austria" };
	size_t i = 1;

	/* the elements no row names, under their places (the first, the list's OBIS code,
	 * names it; the empty strings hold nothing) */
	for (unsigned k = 0; k < axdr_at(c->t, 0)->count; k++, i = axdr_next(c->t, i))
		if (keys[k] != NO_KEY)
			list_put(c, keys[k], NULL, i, 0);
		else if (k > 0 && axdr_at(c->t, i)->vlen > 0)
			list_put_pos(c, k + 1, i);
	return label;
}

const struct list_family list_austria = {
	"austria", "Austrian positional lists after OBIS 0.6.25.9.0.255 (Siemens IM350, Iskraemeco AM550)",
	LIST_BY_NAME, match, map
};
