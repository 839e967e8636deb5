/* Plausibility of a fields record; see plausible.h. Values are compared exactly, in
 * integer milli-units. */
#include <string.h>
#include "fields/plausible.h"

#define MAX_VOLTS 500		/* V, phase to phase on a 400 V grid is 400 */
#define MAX_AMPS 500		/* A on the meter's own terminals (times -c) */
/* A current transformer meter that reports primary amperes (an E570) may send more, when
 * the record's own powers carry it: at least a tenth of the phases' U I; but not more
 * than this (a 14 MVA feed at 400 V; a 100-fold scaling mistake on a CT meter's current) */
#define MAX_PRIMARY_AMPS 20000
#define CARRY_RATIO 10

/* d in thousandths, saturated to +-2^62. */
static int64_t
milli(const struct dec *d)
{
	int64_t v;
	int exp = d->exp + 3;
	uint64_t m = d->mag;

	for (; exp < 0 && m; exp++)
		m /= 10;
	for (; exp > 0 && m; exp--)
		m = m > ((uint64_t)1 << 62) / 10 ? (uint64_t)1 << 62 : m * 10;
	if (m > (uint64_t)1 << 62)
		m = (uint64_t)1 << 62;
	v = (int64_t)m;
	return d->neg ? -v : v;
}

static int
num(const struct fields *f, int key, int64_t *v)
{
	const struct field *fd = fields_get(f, key, NULL);

	if (!fd || fd->kind != F_NUM)
		return 0;
	*v = milli(&fd->num);
	return 1;
}

static struct plaus_meter *
meter_of(struct plaus *st, const struct fields *f)
{
	const struct field *id = fields_get(f, K_METER_ID, NULL);
	struct plaus_meter *old = &st->m[0];

	if (!id || id->kind != F_STR || id->slen == 0 || id->slen > sizeof st->m[0].id)
		return NULL;
	for (int i = 0; i < PLAUS_METERS; i++) {
		struct plaus_meter *m = &st->m[i];
		if (m->idlen == id->slen && memcmp(m->id, id->str, id->slen) == 0)
			return m;
		if (m->used < old->used)
			old = m;
	}
	memset(old, 0, sizeof *old);
	memcpy(old->id, id->str, id->slen);
	old->idlen = id->slen;
	return old;
}

enum fail
plaus_check(struct plaus *st, const struct fields *f, const struct fields_opt *o, int *key)
{
	static const int kv[3] = { K_U1, K_U2, K_U3 }, ki[3] = { K_I1, K_I2, K_I3 };
	static const int ke[4] = { K_A_IMP, K_A_EXP, K_R_IMP, K_R_EXP };
	int64_t u[3], i[3], ct = o->ct.mag ? milli(&o->ct) : 1000, p, sum = 0;
	int nu = 0, ni = 0, over = -1;
	struct plaus_meter *m;
	const struct field *dt;
	struct dec e[4];
	int have[4], have_t = 0, off = 0;
	int64_t t = 0;
	enum fail bad = FAIL_NONE;

	*key = -1;
	for (int k = 0; k < 3; k++) {
		if (num(f, kv[k], &u[k])) {
			nu++;
			if (u[k] < 0 || u[k] > MAX_VOLTS * 1000)
				return *key = kv[k], FAIL_IMPLAUSIBLE_VOLTAGE;
		} else {
			u[k] = -1;
		}
		if (num(f, ki[k], &i[k])) {
			int64_t a = i[k] < 0 ? -i[k] : i[k];
			ni++;
			if (a / 1000 > (int64_t)MAX_PRIMARY_AMPS * ct / 1000)
				return *key = ki[k], FAIL_IMPLAUSIBLE_CURRENT;
			if (over < 0 && a / 1000 > (int64_t)MAX_AMPS * ct / 1000)
				over = ki[k];
		} else {
			i[k] = -1;
		}
	}
	/* the active power cannot exceed what the phases carry: U I summed (an IT grid's
	 * phase-to-phase voltages only make the bound looser), with room for the lists'
	 * rounding and for the moments between samples */
	if (nu && nu == ni) {
		int64_t umax = 0;
		for (int k = 0; k < 3; k++)
			if (u[k] > umax)
				umax = u[k];
		/* a phase reported at 0 V (the reference conductor of an IT connection, as
		 * Kaifa sends it) carries current all the same: count it at the highest voltage */
		for (int k = 0; k < 3; k++)
			if (u[k] >= 0 && i[k] != -1)
				sum += (u[k] ? u[k] : umax) / 1000 * (i[k] < 0 ? -i[k] : i[k]) / 1000;
		for (int k = 0; k < 2; k++)
			if (num(f, k ? K_P_EXP : K_P_IMP, &p) && p / 1000 > 2 * sum + 1000)
				return *key = k ? K_P_EXP : K_P_IMP, FAIL_IMPLAUSIBLE_POWER;
	}
	if (over >= 0) {
		/* above what a meter's terminals carry: plausible only as a CT meter's primary
		 * current under a load the record's active and reactive power show */
		static const int kp[4] = { K_P_IMP, K_P_EXP, K_Q_IMP, K_Q_EXP };
		double pw[2] = { 0, 0 }, s2;
		for (int k = 0; k < 4; k++)
			if (num(f, kp[k], &p)) {
				double w = (double)(p < 0 ? -p : p) / 1000;
				if (w > pw[k / 2])
					pw[k / 2] = w;
			}
		s2 = pw[0] * pw[0] + pw[1] * pw[1];
		if (!(nu && nu == ni) || s2 * CARRY_RATIO * CARRY_RATIO < (double)sum * (double)sum)
			return *key = over, FAIL_IMPLAUSIBLE_CURRENT;
	}
	if (!(m = meter_of(st, f)))
		return FAIL_NONE;
	for (int k = 0; k < 4; k++) {
		const struct field *fd = fields_get(f, ke[k], NULL);
		have[k] = fd && fd->kind == F_NUM;
		if (have[k]) {
			e[k] = fd->num;
			if (bad == FAIL_NONE && m->have_e[k] && milli(&e[k]) < milli(&m->e[k]))
				*key = ke[k], bad = FAIL_ENERGY_WENT_BACK;
		}
	}
	dt = fields_get(f, K_DATETIME, NULL);
	if (dt && dt->kind == F_TIME) {
		const struct civil *c = &dt->time;
		have_t = 1;
		t = civil_ms(c->year, c->month, c->day, c->hour, c->min, c->sec) / 1000;
		off = c->offset != CIVIL_NO_OFFSET;
		if (off)
			t -= (int64_t)c->offset * 60;
		/* a clock without an offset runs local time: at the end of summer time it repeats
		 * an hour */
		if (bad == FAIL_NONE && m->have_t && off == m->t_off &&
		    t < m->t - (off ? 60 : 3660))
			*key = K_DATETIME, bad = FAIL_CLOCK_WENT_BACK;
	}
	if (bad != FAIL_NONE && ++m->back < PLAUS_REBASE)
		return bad;
	*key = -1;
	if (have_t) {
		m->have_t = 1;
		m->t = t;
		m->t_off = off;
	}
	for (int k = 0; k < 4; k++)
		if (have[k]) {
			m->have_e[k] = 1;
			m->e[k] = e[k];
		}
	m->back = 0;
	m->used = ++st->tick;
	return FAIL_NONE;
}
