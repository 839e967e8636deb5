/* han-sim's meter models as rows, and the step that sends a model's next list through its
 * maker's encoder (aidon.c, kaifa.c, kamstrup.c, lg.c, p1.c). */
#include <string.h>
#include "base/civil.h"
#include "sim/meter.h"

const struct sim_model sim_models[] = {
	{ "aidon", "Aidon 6534, Norway, 3-phase TN: lists of 1, 13 and 18 elements",
	  "6534", SIM_AIDON, "obis", 3, 0, 0, 2500, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "aidon-1p", "Aidon 6515, Norway, 1-phase: lists of 1, 9 and 14 elements",
	  "6515", SIM_AIDON, "obis", 1, 0, 0, 2500, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "aidon-it", "Aidon 6525, Norway, 3-phase IT (no I2): lists of 1, 12 and 17 elements",
	  "6525", SIM_AIDON, "obis", 3, 1, 0, 2500, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "aidon-se", "Aidon, Sweden: the 27-element list with per-phase powers",
	  "6534", SIM_AIDON, "obis", 3, 0, 1, 10000, L_TEN, 11, 0, 0 },
	{ "kaifa", "Kaifa MA304H3E, Norway, 3-phase: KFM_001 lists of 1, 13 and 18 elements",
	  "MA304H3E", SIM_KAIFA, "kaifa", 3, 0, 0, 2000, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "kaifa-1p", "Kaifa MA105H2E, Norway, 1-phase: KFM_001 lists of 1, 9 and 14 elements",
	  "MA105H2E", SIM_KAIFA, "kaifa", 1, 0, 0, 2000, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "kaifa-it", "Kaifa MA304H3E, Norway, 3-phase IT (U2 sent as 0): lists of 1, 13, 18",
	  "MA304H3E", SIM_KAIFA, "kaifa", 3, 1, 0, 2000, L_FAST | L_TEN | L_HOUR, 11, 0, 0 },
	{ "kaifa-se", "Kaifa MA304H4, Sweden: 36 elements, OBIS/value pairs",
	  "MA304H4", SIM_KAIFA, "pairs", 3, 0, 1, 10000, L_TEN, 11, 0, 0 },
	{ "kamstrup", "Kamstrup Omnipower, Norway, 3-phase: Kamstrup_V0001, 25 and 35 elements",
	  "6841121BN243101040", SIM_KAMSTRUP, "kamstrup", 3, 0, 0, 10000, L_TEN | L_HOUR, 10, 0, 0 },
	{ "kamstrup-1p", "Kamstrup Omnipower, Norway, 1-phase (null padding): 25 and 35 elements",
	  "6861111BN242101040", SIM_KAMSTRUP, "kamstrup", 1, 0, 0, 10000, L_TEN | L_HOUR, 10, 0, 0 },
	{ "kamstrup-se", "Kamstrup Omnipower, Sweden, 3-phase: as Norway, energies in Wh",
	  "6841131BN245101092", SIM_KAMSTRUP, "kamstrup", 3, 0, 1, 10000, L_TEN | L_HOUR, 10, 0, 0 },
	{ "kamstrup-ch", "Kamstrup Omnipower, Switzerland, direct: the 65-element list with power factors",
	  "", SIM_KAMSTRUP, "kamstrup", 3, 0, 0, 10000, L_TEN, 10, 1, 0 },
	{ "kamstrup-ct", "Kamstrup Omnipower CT, Denmark: the same 65 elements, currents in mA, Wh (-K 1)",
	  "", SIM_KAMSTRUP, "kamstrup", 3, 0, 0, 10000, L_TEN, 10, 2, 0 },
	{ "lg-e450", "Landis+Gyr E450, Switzerland, 3-phase: a push of 17 capture objects with its descriptors (-L gbt: in blocks)",
	  "E450", SIM_LG, "push", 3, 0, 0, 5000, L_TEN, 11, 0, 0 },
	{ "lg-e450-v", "Landis+Gyr E450 whose push sends its object list once a minute, the values alone between",
	  "E450", SIM_LG, "push", 3, 0, 0, 5000, L_TEN, 11, 0, 12 },
	{ "dsmr5", "DSMR 5 P1, the Netherlands: a telegram a second, gas on M-Bus channel 1",
	  "M550T-1012", SIM_DSMR, "p1", 3, 0, 0, 1000, L_TEN, 10, 0, 0 },
	{ "p1-se", "IEC 62056-21 readout of a Swedish HAN-P1 port (L+G E360), every 10 s",
	  "E360", SIM_IEC, "p1", 3, 0, 0, 10000, L_TEN, 10, 0, 0 },
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

static const struct {
	enum sim_maker maker;
	void (*encode)(struct sim_meter *mt, int cls, int64_t t, struct enc *e,
	    struct sim_fields *gt);
} encoders[] = {
	{ SIM_AIDON, sim_aidon }, { SIM_KAIFA, sim_kaifa }, { SIM_KAMSTRUP, sim_kamstrup },
	{ SIM_DSMR, sim_dsmr }, { SIM_IEC, sim_iec }, { SIM_LG, sim_lg },
};

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
	sim_advance(mt, t);
	gt->n = 0;
	for (size_t k = 0; k < sizeof encoders / sizeof encoders[0]; k++)
		if (encoders[k].maker == mt->m->maker)
			encoders[k].encode(mt, cls, t, e, gt);
	*sent_ms = t;
	return cls;
}

