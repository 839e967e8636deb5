/* Meter lists to named fields: a small typed key/value record filled from a decoded
 * notification (apdu.h + axdr.h), with exact decimal values. The meter families are
 * descriptors in one table in fields.c; nothing here prints. */
#ifndef FIELDS_H
#define FIELDS_H
#include <stddef.h>
#include <stdint.h>
#include "base/dec.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"

/* Known keys, in output order. */
enum fkey {
	K_RECEIVED, K_LIST, K_MANUFACTURER, K_LIST_VER_ID, K_METER_ID, K_METER_TYPE, K_DATETIME,
	K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP,
	K_I1, K_I2, K_I3, K_U1, K_U2, K_U3,
	K_P_IMP_L1, K_P_IMP_L2, K_P_IMP_L3, K_P_EXP_L1, K_P_EXP_L2, K_P_EXP_L3,
	K_Q_IMP_L1, K_Q_IMP_L2, K_Q_IMP_L3, K_Q_EXP_L1, K_Q_EXP_L2, K_Q_EXP_L3,
	K_A_IMP, K_A_EXP, K_R_IMP, K_R_EXP,
	K_A_IMP_L1, K_A_IMP_L2, K_A_IMP_L3, K_A_EXP_L1, K_A_EXP_L2, K_A_EXP_L3,
	K_PF, K_PF_L1, K_PF_L2, K_PF_L3,
	K_NKEYS,
	K_OBIS = 255		/* an unknown OBIS code: the key is made from it */
};
extern const char *const fkey_name[K_NKEYS];
extern const char *const fkey_unit[K_NKEYS];

enum fkind { F_NUM, F_STR };
struct field {
	uint8_t key;		/* enum fkey, or K_OBIS */
	uint8_t kind;		/* enum fkind */
	uint8_t obis[6];	/* K_OBIS */
	struct dec num;
	const char *str;	/* F_STR: text (not NUL-terminated), points into the frame */
	size_t slen;		/* or into fields.sbuf */
	int hexstr;		/* F_STR: str is bytes to be written as hex */
};

#define FIELDS_MAX 128
struct fields {
	size_t n;
	struct field f[FIELDS_MAX];
	char dtbuf[40];		/* meter_datetime text */
	char listbuf[32];	/* list kind text */
};

struct fields_opt {
	struct dec ct;		/* current-transformer ratio applied to I, P, Q, energies (mag 0: none) */
	int kamstrup_wh;	/* Kamstrup energies: 0 auto, 1 Wh, 10 10 Wh */
	int keep_unknown;	/* keep OBIS codes without a name */
};

enum fields_err {
	FIELDS_OK = 0,
	FIELDS_ERR_UNKNOWN,	/* no meter list recognised */
	FIELDS_ERR_EMPTY	/* recognised but nothing to report */
};

/* Fill f from a decoded body (a: the APDU header or NULL for a bare body). */
enum fields_err fields_from(struct fields *f, const struct apdu *a, const struct axdr_tree *t,
    const struct fields_opt *o);
const char *fields_errname(enum fields_err e);
/* The named key, -1 if unknown ("obis_*" keys are matched by the writers themselves). */
int fkey_byname(const char *s, size_t n);

#endif
