/* Simulated HAN meters (sim.h). The layouts are the makers' published lists as the meters
 * send them: Aidon {OBIS, value, scaler-unit} arrays, Kaifa KFM_001 positional structures
 * (and the Swedish OBIS/value form), Kamstrup_V0001 OBIS/value pairs with null padding.
 * Values come from a small physical state (load, solar production, voltages, energy
 * registers integrated over time) so that consecutive lists agree with each other. */
#include <string.h>
#include "base/civil.h"
#include "cosem/dlmstime.h"
#include "cosem/axdr_enc.h"
#include "link/hdlc.h"
#include "link/hdlc_enc.h"
#include "sim/sim.h"

#define H 3600000LL
#define L_FAST 1
#define L_TEN 2
#define L_HOUR 4

const struct sim_model sim_models[] = {
	{ "aidon", "Aidon 6534, Norway, 3-phase TN: lists of 1, 13 and 18 elements",
	  "6534", SIM_AIDON, 3, 0, 0, 2500, L_FAST | L_TEN | L_HOUR, 11 },
	{ "aidon-1p", "Aidon 6515, Norway, 1-phase: lists of 1, 9 and 14 elements",
	  "6515", SIM_AIDON, 1, 0, 0, 2500, L_FAST | L_TEN | L_HOUR, 11 },
	{ "aidon-it", "Aidon 6525, Norway, 3-phase IT (no I2): lists of 1, 12 and 17 elements",
	  "6525", SIM_AIDON, 3, 1, 0, 2500, L_FAST | L_TEN | L_HOUR, 11 },
	{ "aidon-se", "Aidon, Sweden: the 27-element list with per-phase powers",
	  "6534", SIM_AIDON, 3, 0, 1, 10000, L_TEN, 11 },
	{ "kaifa", "Kaifa MA304H3E, Norway, 3-phase: KFM_001 lists of 1, 13 and 18 elements",
	  "MA304H3E", SIM_KAIFA, 3, 0, 0, 2000, L_FAST | L_TEN | L_HOUR, 11 },
	{ "kaifa-1p", "Kaifa MA105H2E, Norway, 1-phase: KFM_001 lists of 1, 9 and 14 elements",
	  "MA105H2E", SIM_KAIFA, 1, 0, 0, 2000, L_FAST | L_TEN | L_HOUR, 11 },
	{ "kaifa-it", "Kaifa MA304H3E, Norway, 3-phase IT (U2 sent as 0): lists of 1, 13, 18",
	  "MA304H3E", SIM_KAIFA, 3, 1, 0, 2000, L_FAST | L_TEN | L_HOUR, 11 },
	{ "kaifa-se", "Kaifa MA304H4, Sweden: 36 elements, OBIS/value pairs",
	  "MA304H4", SIM_KAIFA, 3, 0, 1, 10000, L_TEN, 11 },
	{ "kamstrup", "Kamstrup Omnipower, Norway, 3-phase: Kamstrup_V0001, 25 and 35 elements",
	  "6841121BN243101040", SIM_KAMSTRUP, 3, 0, 0, 10000, L_TEN | L_HOUR, 10 },
	{ "kamstrup-1p", "Kamstrup Omnipower, Norway, 1-phase (null padding): 25 and 35 elements",
	  "6861111BN242101040", SIM_KAMSTRUP, 1, 0, 0, 10000, L_TEN | L_HOUR, 10 },
	{ "kamstrup-se", "Kamstrup Omnipower, Sweden, 3-phase: as Norway, energies in Wh",
	  "6841131BN245101092", SIM_KAMSTRUP, 3, 0, 1, 10000, L_TEN | L_HOUR, 10 },
};
const int sim_nmodels = (int)(sizeof sim_models / sizeof sim_models[0]);

int
sim_model_byname(const char *s, size_t n)
{
	for (int i = 0; i < sim_nmodels; i++)
		if (strlen(sim_models[i].name) == n && memcmp(sim_models[i].name, s, n) == 0)
			return i;
	return -1;
}

/* ---- random numbers ---- */

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	r->s = splitmix(&x);
	if (!r->s)
		r->s = 1;
}

uint64_t
sim_rand(struct sim_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t
sim_below(struct sim_rng *r, uint32_t n)
{
	return n ? (uint32_t)((sim_rand(r) >> 32) * n >> 32) : 0;
}

int
sim_chance(struct sim_rng *r, double p)
{
	return (double)(sim_rand(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

/* ---- meters ---- */

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
static void
advance(struct sim_meter *mt, int64_t t)
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
static int64_t
milliamps(const struct sim_meter *mt, int i)
{
	int64_t p = mt->pa[i] < 0 ? -mt->pa[i] : mt->pa[i];
	int64_t q = mt->qa[i] < 0 ? -mt->qa[i] : mt->qa[i];
	int64_t ma = (p + q / 2) * 10000 / mt->volt[i];

	return mt->pa[i] < 0 ? -ma : ma;
}

static int64_t
iabs(int64_t v)
{
	return v < 0 ? -v : v;
}

/* ---- ground truth ---- */

static struct sim_field *
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

static void
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

static void
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
static void
gt_time(struct sim_fields *gt, const struct enc_time *t)
{
	struct civil c = { t->year, t->month, t->day, t->hour, t->min, t->sec,
		t->hundredths == DLMSTIME_UNSPEC ? -1 : t->hundredths,
		t->deviation == DLMSTIME_DEV_UNSPEC ? CIVIL_NO_OFFSET : -t->deviation };
	char b[CIVIL_TEXT_MAX];

	civil_format(&c, b);
	gt_str(gt, "meter_datetime", b);
}

static void
mktime12(struct enc_time *t, int64_t ms, int deviation, int status)
{
	civil_from_ms(ms, &t->year, &t->month, &t->day, &t->hour, &t->min, &t->sec, &t->wday);
	t->hundredths = DLMSTIME_UNSPEC;
	t->deviation = deviation;
	t->status = status;
}

/* ---- the values of one list, quantised as the maker sends them ---- */

struct vals {
	int64_t pin, pout, qin, qout;	/* W, var */
	int64_t ma[3];			/* mA, signed */
	int dv[3];			/* dV */
	int64_t pph[3][4];		/* per phase A+ A- R+ R- */
	uint64_t wh[4];			/* energy registers, Wh / varh */
};

static void
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

static const char *const kcur[3] = { "current_l1", "current_l2", "current_l3" };
static const char *const kvolt[3] = { "voltage_l1", "voltage_l2", "voltage_l3" };
static const char *const kpow[4] = { "active_power_import", "active_power_export",
	"reactive_power_import", "reactive_power_export" };
static const char *const ktot[4] = { "active_power_import_total", "active_power_export_total",
	"reactive_power_import_total", "reactive_power_export_total" };
static const char *const kphase[4][3] = {
	{ "active_power_import_l1", "active_power_import_l2", "active_power_import_l3" },
	{ "active_power_export_l1", "active_power_export_l2", "active_power_export_l3" },
	{ "reactive_power_import_l1", "reactive_power_import_l2", "reactive_power_import_l3" },
	{ "reactive_power_export_l1", "reactive_power_export_l2", "reactive_power_export_l3" },
};

/* OBIS C for the powers: total, then per phase L1..L3 (D = 7 instantaneous, 8 energy) */
static const unsigned cpw[4] = { 1, 2, 3, 4 };
static const unsigned ccur[3] = { 31, 51, 71 };
static const unsigned cvolt[3] = { 32, 52, 72 };

enum { U_W = 27, U_VAR = 29, U_WH = 30, U_VARH = 32, U_A = 33, U_V = 35 };

static int64_t
round_div(int64_t v, int64_t d)
{
	return v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d);
}

/* Aidon: {OBIS, value, {scaler, unit}} elements in an array. */
static void
aidon_u32(struct enc *e, unsigned c, unsigned d, uint32_t v, int scaler, unsigned unit)
{
	axe_struct(e, 3);
	axe_obis(e, 1, 0, c, d, 0, 255);
	axe_u32(e, v);
	axe_scaler_unit(e, scaler, unit);
}

static void
aidon(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const uint8_t dst[] = { 0x41 }, src[] = { 0x08, 0x83 };
	struct hdlc_enc hf;
	const struct sim_model *m = mt->m;
	struct vals v;
	struct enc_time tm;
	uint8_t t12[12];
	int n, nphase = m->phases, se = m->sweden;
	int energy_exp = se ? 0 : 1;

	values(mt, &v);
	hdlc_begin(e, &hf, dst, 1, src, 2, 0x13);
	apdu_notification(e, 1, 0x40000000u, NULL, 0);
	gt_str(gt, "meter_manufacturer", "Aidon");
	if (cls == L_FAST) {
		axe_array(e, 1);
		aidon_u32(e, 1, 7, (uint32_t)v.pin, 0, U_W);
		gt_num(gt, kpow[0], v.pin, 0);
		hdlc_end(e, &hf, 0);
		return;
	}
	if (se)
		n = 27;
	else
		n = 3 + 4 + (nphase == 1 ? 2 : m->it ? 5 : 6) + (cls == L_HOUR ? 5 : 0);
	axe_array(e, (size_t)n);
	if (se) {
		mktime12(&tm, t, DLMSTIME_DEV_UNSPEC, DLMSTIME_UNSPEC);
		enc_datetime(t12, &tm);
		axe_struct(e, 2);
		axe_obis(e, 0, 0, 1, 0, 0, 255);
		axe_octets(e, t12, 12);
		gt_time(gt, &tm);
	} else {
		axe_struct(e, 2);
		axe_obis(e, 1, 1, 0, 2, 129, 255);
		axe_visible(e, "AIDON_V0001", 11);
		axe_struct(e, 2);
		axe_obis(e, 0, 0, 96, 1, 0, 255);
		axe_visible(e, mt->id, 16);
		axe_struct(e, 2);
		axe_obis(e, 0, 0, 96, 1, 7, 255);
		axe_visible(e, mt->type, strlen(mt->type));
		gt_str(gt, "list_ver_id", "AIDON_V0001");
		gt_str(gt, "meter_id", mt->id);
		gt_str(gt, "meter_type", mt->type);
		if (cls == L_HOUR) {
			/* list 3 states the hour its values belong to, deviation 0 */
			mktime12(&tm, civil_floordiv(t, H) * H, 0, 0);
			gt_time(gt, &tm);
		}
	}
	{
		int64_t pw[4] = { v.pin, v.pout, v.qin, v.qout };
		for (int k = 0; k < 4; k++) {
			aidon_u32(e, cpw[k], 7, (uint32_t)pw[k], 0, k < 2 ? U_W : U_VAR);
			gt_num(gt, kpow[k], pw[k], 0);
		}
	}
	for (int i = 0; i < nphase; i++) {
		int64_t da = round_div(v.ma[i], 100);
		if (m->it && i == 1)
			continue;
		axe_struct(e, 3);
		axe_obis(e, 1, 0, ccur[i], 7, 0, 255);
		axe_i16(e, (int)da);
		axe_scaler_unit(e, -1, U_A);
		gt_num(gt, kcur[i], da, -1);
	}
	for (int i = 0; i < nphase; i++) {
		axe_struct(e, 3);
		axe_obis(e, 1, 0, cvolt[i], 7, 0, 255);
		axe_u16(e, (unsigned)v.dv[i]);
		axe_scaler_unit(e, -1, U_V);
		gt_num(gt, kvolt[i], v.dv[i], -1);
	}
	if (se) {
		for (int i = 0; i < 3; i++)
			for (int k = 0; k < 4; k++)
				aidon_u32(e, 20 * (unsigned)i + 21 + (unsigned)k, 7, (uint32_t)v.pph[i][k], 0,
				    k < 2 ? U_W : U_VAR);
		for (int k = 0; k < 4; k++)
			for (int i = 0; i < 3; i++)
				gt_num(gt, kphase[k][i], v.pph[i][k], 0);
	}
	if (se || cls == L_HOUR) {
		if (!se) {
			axe_struct(e, 2);
			axe_obis(e, 0, 0, 1, 0, 0, 255);
			enc_datetime(t12, &tm);
			axe_octets(e, t12, 12);
		}
		for (int k = 0; k < 4; k++) {
			uint64_t r = se ? v.wh[k] : v.wh[k] / 10;
			aidon_u32(e, cpw[k], 8, (uint32_t)r, energy_exp, k < 2 ? U_WH : U_VARH);
			gt_num(gt, ktot[k], (int64_t)r, energy_exp);
		}
	}
	hdlc_end(e, &hf, 0);
}

/* Kaifa KFM_001: positional values in a structure, date-time in the APDU header. The
 * Swedish form pairs every value with its OBIS code and has the clock in the list. */
static void
kaifa(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const uint8_t dst[] = { 0x01 }, src_no[] = { 0x02, 0x01 }, src_se[] = { 0x00, 0x01 };
	struct hdlc_enc hf;
	const struct sim_model *m = mt->m;
	struct vals v;
	struct enc_time tm;
	uint8_t t12[12];
	int se = m->sweden, nphase = m->phases;
	int64_t pw[4];

	values(mt, &v);
	pw[0] = v.pin, pw[1] = v.pout, pw[2] = v.qin, pw[3] = v.qout;
	if (m->it)
		v.dv[1] = 0;	/* L2 is the reference conductor of this IT connection */
	hdlc_begin(e, &hf, dst, 1, se ? src_se : src_no, 2, 0x10);
	gt_str(gt, "meter_manufacturer", "Kaifa");
	if (se) {
		mktime12(&tm, t, -60, 0);
		enc_datetime(t12, &tm);
		apdu_notification(e, 1, 0x40000000u, NULL, 0);
		axe_struct(e, 36);
		axe_obis(e, 1, 0, 0, 2, 129, 255);
		axe_octets(e, "KFM_001", 7);
		axe_obis(e, 0, 0, 96, 1, 0, 255);
		axe_octets(e, mt->id, 16);
		axe_obis(e, 0, 0, 96, 1, 7, 255);
		axe_octets(e, mt->type, strlen(mt->type));
		for (int k = 0; k < 4; k++) {
			axe_obis(e, 1, 0, cpw[k], 7, 0, 255);
			axe_u32(e, (uint32_t)pw[k]);
		}
		for (int i = 0; i < 3; i++) {
			axe_obis(e, 1, 0, ccur[i], 7, 0, 255);
			axe_u32(e, (uint32_t)iabs(v.ma[i]));
		}
		for (int i = 0; i < 3; i++) {
			axe_obis(e, 1, 0, cvolt[i], 7, 0, 255);
			axe_u32(e, (uint32_t)v.dv[i]);
		}
		axe_obis(e, 0, 0, 1, 0, 0, 255);
		axe_octets(e, t12, 12);
		for (int k = 0; k < 4; k++) {
			axe_obis(e, 1, 0, cpw[k], 8, 0, 255);
			axe_u32(e, (uint32_t)v.wh[k]);
		}
	} else {
		mktime12(&tm, t, DLMSTIME_DEV_UNSPEC, 0);
		enc_datetime(t12, &tm);
		apdu_notification(e, 1, 0x40000000u, t12, 0);
		if (cls == L_FAST) {
			axe_struct(e, 1);
			axe_u32(e, (uint32_t)v.pin);
			gt_time(gt, &tm);
			gt_num(gt, kpow[0], v.pin, 0);
			hdlc_end(e, &hf, 0);
			return;
		}
		axe_struct(e, (size_t)((nphase == 1 ? 9 : 13) + (cls == L_HOUR ? 5 : 0)));
		axe_octets(e, "KFM_001", 7);
		axe_octets(e, mt->id, 16);
		axe_octets(e, mt->type, strlen(mt->type));
		for (int k = 0; k < 4; k++)
			axe_u32(e, (uint32_t)pw[k]);
		for (int i = 0; i < nphase; i++)
			axe_u32(e, (uint32_t)iabs(v.ma[i]));
		for (int i = 0; i < nphase; i++)
			axe_u32(e, (uint32_t)v.dv[i]);
		if (cls == L_HOUR) {
			axe_octets(e, t12, 12);
			for (int k = 0; k < 4; k++)
				axe_u32(e, (uint32_t)v.wh[k]);
		}
	}
	gt_str(gt, "list_ver_id", "KFM_001");
	gt_str(gt, "meter_id", mt->id);
	gt_str(gt, "meter_type", mt->type);
	gt_time(gt, &tm);
	for (int k = 0; k < 4; k++)
		gt_num(gt, kpow[k], pw[k], 0);
	for (int i = 0; i < nphase; i++)
		gt_num(gt, kcur[i], iabs(v.ma[i]), -3);
	for (int i = 0; i < nphase; i++)
		gt_num(gt, kvolt[i], v.dv[i], -1);
	if (se || cls == L_HOUR)
		for (int k = 0; k < 4; k++)
			gt_num(gt, ktot[k], (int64_t)v.wh[k], 0);
	hdlc_end(e, &hf, 0);
}

/* Kamstrup_V0001: the list id, then OBIS/value pairs; a one-phase meter sends null-data in
 * place of the L2 and L3 pairs. Currents in 0.01 A, voltages in V, and Norwegian energy
 * registers in 10 Wh. */
static void
kamstrup(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const uint8_t dst[] = { 0x2b }, src[] = { 0x21 };
	struct hdlc_enc hf;
	const struct sim_model *m = mt->m;
	struct vals v;
	struct enc_time tm;
	uint8_t t12[12];
	int64_t pw[4];
	int ph = m->phases;

	values(mt, &v);
	pw[0] = v.pin, pw[1] = v.pout, pw[2] = v.qin, pw[3] = v.qout;
	mktime12(&tm, t, DLMSTIME_DEV_UNSPEC, 0);
	enc_datetime(t12, &tm);
	hdlc_begin(e, &hf, dst, 1, src, 1, 0x13);
	apdu_notification(e, 1, 0, t12, 1);
	axe_struct(e, cls == L_HOUR ? 35 : 25);
	axe_visible(e, "Kamstrup_V0001", 14);
	axe_obis(e, 1, 1, 0, 0, 5, 255);
	axe_visible(e, mt->id, 16);
	axe_obis(e, 1, 1, 96, 1, 1, 255);
	axe_visible(e, mt->type, strlen(mt->type));
	for (int k = 0; k < 4; k++) {
		axe_obis(e, 1, 1, cpw[k], 7, 0, 255);
		axe_u32(e, (uint32_t)pw[k]);
	}
	for (int i = 0; i < 3; i++) {
		if (i >= ph) {
			axe_null(e);
			axe_null(e);
			continue;
		}
		axe_obis(e, 1, 1, ccur[i], 7, 0, 255);
		axe_u32(e, (uint32_t)round_div(iabs(v.ma[i]), 10));
	}
	for (int i = 0; i < 3; i++) {
		if (i >= ph) {
			axe_null(e);
			axe_null(e);
			continue;
		}
		axe_obis(e, 1, 1, cvolt[i], 7, 0, 255);
		axe_u16(e, (unsigned)round_div(v.dv[i], 10));
	}
	if (cls == L_HOUR) {
		axe_obis(e, 0, 1, 1, 0, 0, 255);
		axe_octets(e, t12, 12);
		for (int k = 0; k < 4; k++) {
			axe_obis(e, 1, 1, cpw[k], 8, 0, 255);
			axe_u32(e, (uint32_t)(m->sweden ? v.wh[k] : v.wh[k] / 10));
		}
	}
	gt_str(gt, "meter_manufacturer", "Kamstrup");
	gt_str(gt, "list_ver_id", "Kamstrup_V0001");
	gt_str(gt, "meter_id", mt->id);
	gt_str(gt, "meter_type", mt->type);
	gt_time(gt, &tm);
	for (int k = 0; k < 4; k++)
		gt_num(gt, kpow[k], pw[k], 0);
	for (int i = 0; i < ph; i++)
		gt_num(gt, kcur[i], round_div(iabs(v.ma[i]), 10), -2);
	for (int i = 0; i < ph; i++)
		gt_num(gt, kvolt[i], round_div(v.dv[i], 10), 0);
	if (cls == L_HOUR)
		for (int k = 0; k < 4; k++)
			gt_num(gt, ktot[k], (int64_t)(m->sweden ? v.wh[k] : v.wh[k] / 10),
			    m->sweden ? 0 : 1);
	hdlc_end(e, &hf, 0);
}

/* Which list a tick carries: the first tick at or after XX:00:10 the hourly list, the
 * first at or after each ten-second mark the ten-second list, the others the fast list. */
static int
tick_class(const struct sim_model *m, int64_t t)
{
	int64_t p = m->period_ms;

	if ((m->lists & L_HOUR) && civil_floordiv(t - 10000, H) != civil_floordiv(t - p - 10000, H))
		return L_HOUR;
	if ((m->lists & L_TEN) && (p >= 10000 || civil_floordiv(t, 10000) != civil_floordiv(t - p, 10000)))
		return L_TEN;
	return (m->lists & L_FAST) ? L_FAST : L_TEN;
}

int
sim_meter_step(struct sim_meter *mt, unsigned mask, struct enc *e, struct sim_fields *gt,
    int64_t *sent_ms)
{
	int cls;
	int64_t t;

	if (!(mt->m->lists & (int)mask))
		return 0;
	do {
		t = mt->next_ms;
		cls = tick_class(mt->m, t);
		mt->next_ms += mt->m->period_ms;
	} while (!(cls & (int)mask));
	advance(mt, t);
	gt->n = 0;
	switch (mt->m->maker) {
	case SIM_AIDON: aidon(mt, cls, t, e, gt); break;
	case SIM_KAIFA: kaifa(mt, cls, t, e, gt); break;
	case SIM_KAMSTRUP: kamstrup(mt, cls, t, e, gt); break;
	}
	*sent_ms = t;
	return cls;
}

/* ---- damage ---- */

const char *const sim_damage_names[SIM_ND] = { "flip", "insert", "drop", "crlf", "trunc" };

static int
damage_once(uint8_t *b, size_t *len, size_t cap, enum sim_damage kind, struct sim_rng *r)
{
	size_t n = *len, pos, k;

	switch (kind) {
	case SIM_D_FLIP:
		for (k = 1 + sim_below(r, 3); k > 0; k--) {
			pos = sim_below(r, (uint32_t)n);
			b[pos] ^= (uint8_t)(1u << sim_below(r, 8));
		}
		return 0;
	case SIM_D_INSERT:
		if (n + 1 > cap)
			return -1;
		pos = 1 + sim_below(r, (uint32_t)(n - 1));
		memmove(b + pos + 1, b + pos, n - pos);
		b[pos] = (uint8_t)sim_rand(r);
		*len = n + 1;
		return 0;
	case SIM_D_DROP:
		pos = 1 + sim_below(r, (uint32_t)(n - 2));
		memmove(b + pos, b + pos + 1, n - pos - 1);
		*len = n - 1;
		return 0;
	case SIM_D_CRLF: {
		size_t lf = 0, w;
		for (k = 0; k < n; k++)
			lf += b[k] == 0x0a;
		if (!lf || n + lf > cap)
			return -1;
		w = n + lf;
		for (k = n; k-- > 0;) {
			b[--w] = b[k];
			if (b[k] == 0x0a)
				b[--w] = 0x0d;
		}
		*len = n + lf;
		return 0;
	}
	case SIM_D_TRUNC:
		*len = 1 + sim_below(r, (uint32_t)(n - 2));
		return 0;
	default:
		return -1;
	}
}

static void
count_frames(const struct link_report *rep, void *ctx)
{
	if (rep->ev == LINK_UNIT)
		++*(int *)ctx;
}

int
sim_damage(uint8_t *buf, size_t *len, size_t cap, enum sim_damage kind, struct sim_rng *r)
{
	static struct hdlc_framer fr;
	uint8_t save[HDLC_MAX_FRAME];
	size_t n0 = *len;

	if (n0 < 4 || n0 > sizeof save)
		return -1;
	memcpy(save, buf, n0);
	/* A damage that leaves a frame the framer still accepts is tried again; the framer
	 * itself is the judge, with a flag after the bytes as the next frame brings one: a 7E
	 * inserted right before the closing flag, or a byte dropped from a run of equal bytes
	 * at the end of the FCS (the next frame's flag then closes the intact frame). */
	for (int tries = 0; tries < 16; tries++) {
		static const uint8_t flag = HDLC_FLAG;
		int found = 0;
		if (damage_once(buf, len, cap, kind, r) < 0)
			return -1;
		hdlc_init(&fr, 0);
		hdlc_feed(&fr, buf, *len, count_frames, &found);
		hdlc_feed(&fr, &flag, 1, count_frames, &found);
		hdlc_finish(&fr, count_frames, &found);
		if (!found)
			return 0;
		memcpy(buf, save, n0);
		*len = n0;
	}
	return -1;
}

size_t
sim_junk(uint8_t *buf, size_t cap, struct sim_rng *r)
{
	size_t n = 1 + sim_below(r, 40), i;

	if (n > cap)
		n = cap;
	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)sim_rand(r);
	if (n >= 6 && sim_chance(r, 0.5)) {
		/* a fake frame start: flag, type-3 format, a length that runs into what follows */
		size_t at = sim_below(r, (uint32_t)(n - 5));
		buf[at] = HDLC_FLAG;
		buf[at + 1] = (uint8_t)(0xa0 | sim_below(r, 8));
	}
	if (sim_chance(r, 0.3))
		buf[n - 1] = HDLC_FLAG;
	return n;
}
