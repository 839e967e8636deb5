/* han-sim's Kaifa meters: KFM_001 positional structures with the clock in the APDU header
 * (Norway), OBIS/value pairs with the clock in the list (Sweden). */
#include <string.h>
#include "base/civil.h"
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "link/hdlc_enc.h"
#include "sim/meter.h"

/* Kaifa KFM_001: positional values in a structure, date-time in the APDU header. The
 * Swedish form pairs every value with its OBIS code and has the clock in the list. */
void
sim_kaifa(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
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
	gt_str(gt, key_name(K_MANUFACTURER), "Kaifa");
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
			axe_obis(e, 1, 0, obis_c_pow[k], 7, 0, 255);
			axe_u32(e, (uint32_t)pw[k]);
		}
		for (int i = 0; i < 3; i++) {
			axe_obis(e, 1, 0, obis_c_cur[i], 7, 0, 255);
			axe_u32(e, (uint32_t)iabs(v.ma[i]));
		}
		for (int i = 0; i < 3; i++) {
			axe_obis(e, 1, 0, obis_c_volt[i], 7, 0, 255);
			axe_u32(e, (uint32_t)v.dv[i]);
		}
		axe_obis(e, 0, 0, 1, 0, 0, 255);
		axe_octets(e, t12, 12);
		for (int k = 0; k < 4; k++) {
			axe_obis(e, 1, 0, obis_c_pow[k], 8, 0, 255);
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
			gt_num(gt, key_name(k_pow[0]), v.pin, 0);
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
	gt_str(gt, key_name(K_LIST_VER_ID), "KFM_001");
	gt_str(gt, key_name(K_METER_ID), mt->id);
	gt_str(gt, key_name(K_METER_TYPE), mt->type);
	gt_time(gt, &tm);
	for (int k = 0; k < 4; k++)
		gt_num(gt, key_name(k_pow[k]), pw[k], 0);
	for (int i = 0; i < nphase; i++)
		gt_num(gt, key_name(k_cur[i]), iabs(v.ma[i]), -3);
	for (int i = 0; i < nphase; i++)
		gt_num(gt, key_name(k_volt[i]), v.dv[i], -1);
	if (se || cls == L_HOUR)
		for (int k = 0; k < 4; k++)
			gt_num(gt, key_name(k_tot[k]), (int64_t)v.wh[k], 0);
	hdlc_end(e, &hf, 0);
}

