/* The physical state behind a simulated meter: household load, solar production,
 * voltages and energy registers integrated over time, so that consecutive lists agree, and
 * the values of one list as the maker quantises them. */
#include <string.h>
#include "base/civil.h"
#include "sim/meter.h"

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void
sim_meter_init(struct sim_meter *mt, const struct sim_model *m, uint64_t seed, int index,
    int64_t start_ms)
{
	/* GS1 company prefixes as the makers use them in the meter id */
	const char *prefix = m->maker == SIM_AIDON ? "7359992" : m->maker == SIM_KAMSTRUP ?
	    "5706567" : m->sweden ? "7340157" : "6970631";
	int64_t phase;

	memset(mt, 0, sizeof *mt);
	mt->m = m;
	sim_rng_seed(&mt->rng, seed, (uint64_t)index + 1);
	memcpy(mt->id, prefix, 7);
	for (int i = 7; i < 16; i++)
		mt->id[i] = (char)('0' + sim_below(&mt->rng, 10));
	mt->type = m->type;
	mt->pv = sim_chance(&mt->rng, 0.3);
	for (int i = 0; i < 3; i++) {
		mt->load[i] = 100 + (int)sim_below(&mt->rng, 1500);
		mt->volt[i] = 2280 + (int)sim_below(&mt->rng, 120);
		mt->pf[i] = 50 + (int)sim_below(&mt->rng, 300);
	}
	mt->e[0] = (uint64_t)(2000000 + sim_below(&mt->rng, 60000000)) * 3600000ULL;
	mt->e[1] = mt->pv ? (uint64_t)sim_below(&mt->rng, 5000000) * 3600000ULL : 0;
	mt->e[2] = (uint64_t)sim_below(&mt->rng, 3000000) * 3600000ULL;
	mt->e[3] = (uint64_t)sim_below(&mt->rng, 9000000) * 3600000ULL;
	phase = (int64_t)sim_below(&mt->rng, (uint32_t)m->period_ms);
	mt->next_ms = start_ms + ((phase - start_ms) % m->period_ms + m->period_ms) % m->period_ms;
	mt->last_ms = mt->next_ms;
}

/* Move the state to time t: integrate the energy registers over the powers that held since
 * the last step, then let the load, production and voltages wander. */
void
sim_advance(struct sim_meter *mt, int64_t t)
{
	struct sim_rng *r = &mt->rng;
	int64_t dt = t - mt->last_ms, p = 0, q = 0;
	int ph = mt->m->phases, y, mo, d, h, mi, s, wd;

	for (int i = 0; i < ph; i++) {
		p += mt->pa[i];
		q += mt->qa[i];
	}
	if (dt > 0) {
		/* registers in W*ms: 3 600 000 of them make one Wh */
		mt->e[p >= 0 ? 0 : 1] += (uint64_t)(p >= 0 ? p : -p) * (uint64_t)dt;
		mt->e[q >= 0 ? 2 : 3] += (uint64_t)(q >= 0 ? q : -q) * (uint64_t)dt;
	}
	mt->last_ms = t;

	civil_from_ms(t, &y, &mo, &d, &h, &mi, &s, &wd);
	if (mt->pv) {
		/* a rough day curve from 08 to 18, peaking at 13 */
		int hm = h * 60 + mi, k = 300 - (hm > 780 ? hm - 780 : 780 - hm);
		int target = k > 0 ? k * 18 : 0;
		mt->pvpow = clampi(mt->pvpow + (target - mt->pvpow) / 8 + (int)sim_below(r, 41) - 20,
		    0, 6000);
		if (!target)
			mt->pvpow = 0;
	}
	for (int i = 0; i < ph; i++) {
		if (sim_chance(r, 0.04))
			mt->load[i] = 60 + (int)sim_below(r, mt->m->phases == 1 ? 5000 : 3200);
		else
			mt->load[i] = clampi(mt->load[i] + (int)sim_below(r, 81) - 40, 30, 9000);
		mt->volt[i] = clampi(mt->volt[i] + (int)sim_below(r, 9) - 4, 2200, 2470);
		if (sim_chance(r, 0.02))
			mt->pf[i] = 20 + (int)sim_below(r, 400);
		mt->pa[i] = mt->load[i] - mt->pvpow / ph;
		/* capacitive loads (chargers, LED drivers) give reactive export */
		mt->qa[i] = (int64_t)mt->load[i] * mt->pf[i] / 1000 * (i == 1 ? -1 : 1);
	}
}

/* Current in mA of phase i, signed like the active power. */
int64_t
milliamps(const struct sim_meter *mt, int i)
{
	int64_t p = mt->pa[i] < 0 ? -mt->pa[i] : mt->pa[i];
	int64_t q = mt->qa[i] < 0 ? -mt->qa[i] : mt->qa[i];
	int64_t ma = (p + q / 2) * 10000 / mt->volt[i];

	return mt->pa[i] < 0 ? -ma : ma;
}

int64_t
iabs(int64_t v)
{
	return v < 0 ? -v : v;
}

void
values(const struct sim_meter *mt, struct vals *v)
{
	int64_t p = 0, q = 0;

	memset(v, 0, sizeof *v);
	for (int i = 0; i < mt->m->phases; i++) {
		p += mt->pa[i];
		q += mt->qa[i];
		v->ma[i] = milliamps(mt, i);
		v->dv[i] = mt->volt[i];
		v->pph[i][0] = mt->pa[i] > 0 ? mt->pa[i] : 0;
		v->pph[i][1] = mt->pa[i] < 0 ? -mt->pa[i] : 0;
		v->pph[i][2] = mt->qa[i] > 0 ? mt->qa[i] : 0;
		v->pph[i][3] = mt->qa[i] < 0 ? -mt->qa[i] : 0;
	}
	v->pin = p > 0 ? p : 0;
	v->pout = p < 0 ? -p : 0;
	v->qin = q > 0 ? q : 0;
	v->qout = q < 0 ? -q : 0;
	for (int k = 0; k < 4; k++)
		v->wh[k] = mt->e[k] / 3600000ULL;
}

int64_t
round_div(int64_t v, int64_t d)
{
	return v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d);
}

