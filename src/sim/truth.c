/* Ground truth: the fields a correct decoder must find in a simulated list, under the key
 * names of the key table (fields/keys.def), with exact decimals. */
#include <string.h>
#include "base/civil.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "sim/meter.h"

const unsigned obis_c_pow[4] = { 1, 2, 3, 4 };
const unsigned obis_c_cur[3] = { 31, 51, 71 };
const unsigned obis_c_volt[3] = { 32, 52, 72 };

const int k_cur[3] = { K_I1, K_I2, K_I3 };
const int k_volt[3] = { K_U1, K_U2, K_U3 };
const int k_pow[4] = { K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP };
const int k_tot[4] = { K_A_IMP, K_A_EXP, K_R_IMP, K_R_EXP };
const int k_phase[4][3] = {
	{ K_P_IMP_L1, K_P_IMP_L2, K_P_IMP_L3 }, { K_P_EXP_L1, K_P_EXP_L2, K_P_EXP_L3 },
	{ K_Q_IMP_L1, K_Q_IMP_L2, K_Q_IMP_L3 }, { K_Q_EXP_L1, K_Q_EXP_L2, K_Q_EXP_L3 },
};

struct sim_field *
gt_add(struct sim_fields *gt, const char *key)
{
	struct sim_field *f;

	if (gt->n >= SIM_MAX_FIELDS)
		return NULL;
	f = &gt->f[gt->n++];
	memset(f, 0, sizeof *f);
	f->key = key;
	return f;
}

void
gt_str(struct sim_fields *gt, const char *key, const char *s)
{
	struct sim_field *f = gt_add(gt, key);
	size_t n = strlen(s);

	if (!f)
		return;
	if (n >= sizeof f->s)
		n = sizeof f->s - 1;
	memcpy(f->s, s, n);
	f->s[n] = 0;
	f->is_str = 1;
}

void
gt_num(struct sim_fields *gt, const char *key, int64_t v, int exp10)
{
	struct sim_field *f = gt_add(gt, key);

	if (f) {
		f->v = v;
		f->exp10 = exp10;
	}
}

/* The date-time as a decoder states it (corpus README section 3): no hundredths when not
 * specified, an offset of -deviation minutes only when the deviation is specified. */
void
gt_time(struct sim_fields *gt, const struct enc_time *t)
{
	struct civil c = { t->year, t->month, t->day, t->hour, t->min, t->sec,
		t->hundredths == DLMSTIME_UNSPEC ? -1 : t->hundredths,
		t->deviation == DLMSTIME_DEV_UNSPEC ? CIVIL_NO_OFFSET : -t->deviation };
	char b[CIVIL_TEXT_MAX];

	civil_format(&c, b);
	gt_str(gt, key_name(K_DATETIME), b);
}

void
mktime12(struct enc_time *t, int64_t ms, int deviation, int status)
{
	civil_from_ms(ms, &t->year, &t->month, &t->day, &t->hour, &t->min, &t->sec, &t->wday);
	t->hundredths = DLMSTIME_UNSPEC;
	t->deviation = deviation;
	t->status = status;
}

