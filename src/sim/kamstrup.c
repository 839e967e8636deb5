/* han-sim's Kamstrup meters: Kamstrup_V0001, the list id then OBIS/value pairs with
 * null-data padding for a one-phase meter, the clock bare in the APDU header. */
#include <string.h>
#include "base/civil.h"
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "link/hdlc_enc.h"
#include "sim/meter.h"

/* Kamstrup_V0001: the list id, then OBIS/value pairs; a one-phase meter sends null-data in
 * place of the L2 and L3 pairs. Currents in 0.01 A, voltages in V, and Norwegian energy
 * registers in 10 Wh. */
void
sim_kamstrup(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
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
		axe_obis(e, 1, 1, obis_c_pow[k], 7, 0, 255);
		axe_u32(e, (uint32_t)pw[k]);
	}
	for (int i = 0; i < 3; i++) {
		if (i >= ph) {
			axe_null(e);
			axe_null(e);
			continue;
		}
		axe_obis(e, 1, 1, obis_c_cur[i], 7, 0, 255);
		axe_u32(e, (uint32_t)round_div(iabs(v.ma[i]), 10));
	}
	for (int i = 0; i < 3; i++) {
		if (i >= ph) {
			axe_null(e);
			axe_null(e);
			continue;
		}
		axe_obis(e, 1, 1, obis_c_volt[i], 7, 0, 255);
		axe_u16(e, (unsigned)round_div(v.dv[i], 10));
	}
	if (cls == L_HOUR) {
		axe_obis(e, 0, 1, 1, 0, 0, 255);
		axe_octets(e, t12, 12);
		for (int k = 0; k < 4; k++) {
			axe_obis(e, 1, 1, obis_c_pow[k], 8, 0, 255);
			axe_u32(e, (uint32_t)(m->sweden ? v.wh[k] : v.wh[k] / 10));
		}
	}
	gt_str(gt, key_name(K_MANUFACTURER), "Kamstrup");
	gt_str(gt, key_name(K_LIST_VER_ID), "Kamstrup_V0001");
	gt_str(gt, key_name(K_METER_ID), mt->id);
	gt_str(gt, key_name(K_METER_TYPE), mt->type);
	gt_time(gt, &tm);
	for (int k = 0; k < 4; k++)
		gt_num(gt, key_name(k_pow[k]), pw[k], 0);
	for (int i = 0; i < ph; i++)
		gt_num(gt, key_name(k_cur[i]), round_div(iabs(v.ma[i]), 10), -2);
	for (int i = 0; i < ph; i++)
		gt_num(gt, key_name(k_volt[i]), round_div(v.dv[i], 10), 0);
	if (cls == L_HOUR)
		for (int k = 0; k < 4; k++)
			gt_num(gt, key_name(k_tot[k]), (int64_t)(m->sweden ? v.wh[k] : v.wh[k] / 10),
			    m->sweden ? 0 : 1);
	hdlc_end(e, &hf, 0);
}

