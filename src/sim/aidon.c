/* han-sim's Aidon meters: {OBIS, value, {scaler, unit}} structures in an array, lists of
 * 1, 9/12/13 and 14/17/18 elements in Norway, the 27-element list in Sweden. */
#include <string.h>
#include "base/civil.h"
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "link/hdlc_enc.h"
#include "sim/meter.h"

/* Aidon: {OBIS, value, {scaler, unit}} elements in an array. */
static void
aidon_u32(struct enc *e, unsigned c, unsigned d, uint32_t v, int scaler, unsigned unit)
{
	axe_struct(e, 3);
	axe_obis(e, 1, 0, c, d, 0, 255);
	axe_u32(e, v);
	axe_scaler_unit(e, scaler, unit);
}

void
sim_aidon(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
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
	gt_str(gt, key_name(K_MANUFACTURER), "Aidon");
	if (cls == L_FAST) {
		axe_array(e, 1);
		aidon_u32(e, 1, 7, (uint32_t)v.pin, 0, keytab[K_P_IMP].unit);
		gt_num(gt, key_name(k_pow[0]), v.pin, 0);
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
		gt_str(gt, key_name(K_LIST_VER_ID), "AIDON_V0001");
		gt_str(gt, key_name(K_METER_ID), mt->id);
		gt_str(gt, key_name(K_METER_TYPE), mt->type);
		if (cls == L_HOUR) {
			/* list 3 states the hour its values belong to, deviation 0 */
			mktime12(&tm, civil_floordiv(t, H) * H, 0, 0);
			gt_time(gt, &tm);
		}
	}
	{
		int64_t pw[4] = { v.pin, v.pout, v.qin, v.qout };
		for (int k = 0; k < 4; k++) {
			aidon_u32(e, obis_c_pow[k], 7, (uint32_t)pw[k], 0, keytab[k_pow[k]].unit);
			gt_num(gt, key_name(k_pow[k]), pw[k], 0);
		}
	}
	for (int i = 0; i < nphase; i++) {
		int64_t da = round_div(v.ma[i], 100);
		if (m->it && i == 1)
			continue;
		axe_struct(e, 3);
		axe_obis(e, 1, 0, obis_c_cur[i], 7, 0, 255);
		axe_i16(e, (int)da);
		axe_scaler_unit(e, -1, keytab[K_I1].unit);
		gt_num(gt, key_name(k_cur[i]), da, -1);
	}
	for (int i = 0; i < nphase; i++) {
		axe_struct(e, 3);
		axe_obis(e, 1, 0, obis_c_volt[i], 7, 0, 255);
		axe_u16(e, (unsigned)v.dv[i]);
		axe_scaler_unit(e, -1, keytab[K_U1].unit);
		gt_num(gt, key_name(k_volt[i]), v.dv[i], -1);
	}
	if (se) {
		for (int i = 0; i < 3; i++)
			for (int k = 0; k < 4; k++)
				aidon_u32(e, 20 * (unsigned)i + 21 + (unsigned)k, 7, (uint32_t)v.pph[i][k], 0,
				    keytab[k_phase[k][i]].unit);
		for (int k = 0; k < 4; k++)
			for (int i = 0; i < 3; i++)
				gt_num(gt, key_name(k_phase[k][i]), v.pph[i][k], 0);
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
			aidon_u32(e, obis_c_pow[k], 8, (uint32_t)r, energy_exp, keytab[k_tot[k]].unit);
			gt_num(gt, key_name(k_tot[k]), (int64_t)r, energy_exp);
		}
	}
	hdlc_end(e, &hf, 0);
}

