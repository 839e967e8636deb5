/* The key table; the rows are in keys.def. */
#include <string.h>
#include "cosem/units.h"
#include "fields/keytab.h"

const struct keyrow keytab[K_NKEYS] = {
#define KEY(id, name, unit, q, flags, dc, sc) [id] = { name, unit, q, flags, dc, sc },
#include "fields/keys.def"
#undef KEY
};

int
key_byname(const char *s, size_t n)
{
	for (int i = 0; i < K_NKEYS; i++)
		if (strlen(keytab[i].name) == n && memcmp(keytab[i].name, s, n) == 0)
			return i;
	return -1;
}

const char *
key_name(int k)
{
	return k >= 0 && k < K_NKEYS ? keytab[k].name : NULL;
}

const char *
key_unit(int k)
{
	return k >= 0 && k < K_NKEYS && keytab[k].unit ? unit_name(keytab[k].unit) : NULL;
}

int
key_is(int k, enum quantity q)
{
	return k >= 0 && k < K_NKEYS && keytab[k].q == q;
}
