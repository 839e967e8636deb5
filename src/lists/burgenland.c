/* Netz Burgenland's L+G list (Landis+Gyr E450 behind its customer interface, sent
 * ciphered; layout from amsreader issue #501, where the grid's decrypted frames were
 * taken apart): a structure of 14 elements without OBIS codes, U1 U2 U3 (V) and I1 I2 I3
 * (0.01 A) as long-unsigned, P+ P- (W) and A+ A- (Wh) as double-long-unsigned, three
 * long-unsigned values whose meaning is not established and the meter number as an
 * octet-string of digits. Chosen by the type of every element; the three unknown values
 * and the meter number are not reported (not established, and the corpus leaves them
 * out). The clock is the APDU header's. */
#include "lists/family.h"

#define NO_KEY (-1)

static const char sig[] = "uuuuuuUUUUuuuo";
static const signed char keys[] = { K_U1, K_U2, K_U3, K_I1, K_I2, K_I3, K_P_IMP, K_P_EXP,
	K_A_IMP, K_A_EXP, NO_KEY, NO_KEY, NO_KEY, NO_KEY };

static int
match(const struct axdr_tree *t)
{
	const struct axdr_node *r = axdr_at(t, 0);
	size_t i = 1;

	if (r->tag != AXDR_STRUCTURE || r->count != sizeof sig - 1)
		return 0;
	for (unsigned k = 0; k < r->count; k++, i = axdr_next(t, i)) {
		int want = sig[k] == 'u' ? AXDR_LONG_UNSIGNED :
		    sig[k] == 'U' ? AXDR_DOUBLE_LONG_UNSIGNED : AXDR_OCTET_STRING;
		if (axdr_at(t, i)->tag != want)
			return 0;
	}
	/* the meter number: digits only */
	i = axdr_at(t, 0)->next - 1;
	for (size_t k = 0; k < axdr_at(t, i)->vlen; k++) {
		uint8_t ch = axdr_value(t, i)[k];
		if (ch < '0' || ch > '9')
			return 0;
	}
	return axdr_at(t, i)->vlen > 0;
}

static struct list_label
map(struct list_ctx *c)
{
	struct list_label label = { NULL, "burgenland" };
	size_t i = 1;

	for (unsigned k = 0; k < axdr_at(c->t, 0)->count; k++, i = axdr_next(c->t, i))
		if (keys[k] != NO_KEY)
			list_put(c, keys[k], NULL, i, keytab[keys[k]].q == Q_CURRENT ? -2 : 0);
		else
			list_put_pos(c, k + 1, i);	/* not established: under its place */
	return label;
}

const struct list_family list_burgenland = {
	"burgenland", "Netz Burgenland's L+G list of 14 elements without OBIS codes",
	LIST_BY_SHAPE, match, map
};
