/* The named keys of a fields record, as rows (keys.def): name, unit, quantity, whether a
 * current-transformer ratio multiplies it, and how Home Assistant classes it. Everything
 * that needs a key's properties asks this table: the lists' scaling conventions, the CT
 * ratio, the writers, han-sim's truth. */
#ifndef FIELDS_KEYTAB_H
#define FIELDS_KEYTAB_H
#include <stddef.h>

/* What a value is. */
enum quantity {
	Q_META,			/* about the record, not from the meter (received, list) */
	Q_TEXT,			/* an identifier or label */
	Q_TIME,			/* a clock */
	Q_POWER,		/* active power */
	Q_REACTIVE,		/* reactive power */
	Q_CURRENT,
	Q_VOLTAGE,
	Q_ENERGY,		/* active energy register */
	Q_REACTIVE_ENERGY,	/* reactive energy register */
	Q_POWER_FACTOR,
	Q_READING,		/* a sub-meter's register (gas, water, heat), in the unit it states */
	Q_NQUANTITY
};

#define KF_CT 1			/* scaled by a current-transformer ratio */

enum fkey {
#define KEY(id, name, unit, q, flags, dc, sc) id,
#include "fields/keys.def"
#undef KEY
	K_NKEYS,
	K_POS = 254,		/* an element of a positional list at a place no row names:
				 * the place in obis[0..1] (big-endian), the key element_N */
	K_OBIS = 255		/* an OBIS code without a name: the key is made from it */
};

struct keyrow {
	const char *name;
	unsigned unit;		/* DLMS unit code, 0 for none */
	enum quantity q;
	unsigned flags;
	const char *device_class;	/* Home Assistant, or NULL */
	const char *state_class;	/* Home Assistant, or NULL */
};

extern const struct keyrow keytab[K_NKEYS];

/* The key named s (n bytes), -1 if none (obis_ keys are not in the table). */
int key_byname(const char *s, size_t n);
/* A key's name; its unit's text ("W"), NULL for none. */
const char *key_name(int k);
const char *key_unit(int k);
/* Whether k holds the quantity q. */
int key_is(int k, enum quantity q);

#endif
