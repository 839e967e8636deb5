/* han-sim's Kamstrup meters: Kamstrup_V0001, the list id then OBIS/value pairs with
 * null-data padding for a one-phase meter, the clock bare in the APDU header. */
#include <string.h>
#include "base/civil.h"
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "link/hdlc_enc.h"
#include "sim/meter.h"

/* A power factor in 0.01 from W and V times mA (0 with no current), at most 1. */
static unsigned
pf100(int64_t w, int64_t vma)
{
	int64_t pf = vma ? round_div(iabs(w) * 100000, vma) : 0;

	return (unsigned)(pf > 100 ? 100 : pf);
}

/* The 65-element list of the Swiss direct and the Danish CT Omnipower (no meter id or
 * type): A+ A- R+ R-, the serial number, P+ P- Q+ Q-, the clock, U, I, P+ per phase,
 * power factors per phase and in all, P- per phase, A- and A+ per phase. Per-phase
 * registers are a third of the meter's each. Direct: I 0.01 A, energies 10 Wh; CT: I mA,
 * energies Wh. */
static void
sim_kamstrup_pf(struct sim_meter *mt, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const uint8_t dst[] = { 0x2b }, src[] = { 0x21 };
	static const unsigned c_pimp[3] = { 21, 41, 61 }, c_pexp[3] = { 22, 42, 62 },
	    c_pf[3] = { 33, 53, 73 };
	static const int k_pf[3] = { K_PF_L1, K_PF_L2, K_PF_L3 };
	static const int k_aph[2][3] = { { K_A_IMP_L1, K_A_IMP_L2, K_A_IMP_L3 },
		{ K_A_EXP_L1, K_A_EXP_L2, K_A_EXP_L3 } };
	struct hdlc_enc hf;
	int ct = mt->m->pf_list == 2;
	struct vals v;
	struct enc_time tm;
	uint8_t t12[12];
	int64_t pw[4], cur[3], reg[4], vma = 0, p = 0;
	unsigned pf[3], pft;
	uint32_t serial = 0;

	values(mt, &v);
	pw[0] = v.pin, pw[1] = v.pout, pw[2] = v.qin, pw[3] = v.qout;
	for (int i = 0; i < 16; i++)
		serial = serial * 10 + (uint32_t)(mt->id[i] - '0') % 10;
	serial %= 100000000;
	for (int i = 0; i < 3; i++) {
		int64_t pa = v.pph[i][0] - v.pph[i][1], u = round_div(v.dv[i], 10);
		cur[i] = ct ? iabs(v.ma[i]) : round_div(iabs(v.ma[i]), 10);
		pf[i] = pf100(pa, u * iabs(v.ma[i]));
		vma += u * iabs(v.ma[i]);
		p += pa;
	}
	pft = pf100(p, vma);
	for (int k = 0; k < 4; k++)
		reg[k] = (int64_t)(ct ? v.wh[k] : v.wh[k] / 10);
	mktime12(&tm, t, DLMSTIME_DEV_UNSPEC, 0);
	enc_datetime(t12, &tm);
	hdlc_begin(e, &hf, dst, 1, src, 1, 0x13);
	apdu_notification(e, 1, 0, t12, 1);
	axe_struct(e, 65);
	axe_visible(e, "Kamstrup_V0001", 14);
	for (int k = 0; k < 4; k++) {
		axe_obis(e, 1, 1, obis_c_pow[k], 8, 0, 255);
		axe_u32(e, (uint32_t)reg[k]);
	}
	axe_obis(e, 1, 1, 0, 0, 1, 255);
	axe_u32(e, serial);
	for (int k = 0; k < 4; k++) {
		axe_obis(e, 1, 1, obis_c_pow[k], 7, 0, 255);
		axe_u32(e, (uint32_t)pw[k]);
	}
	axe_obis(e, 0, 1, 1, 0, 0, 255);
	axe_octets(e, t12, 12);
	for (int i = 0; i < 3; i++) {
		axe_obis(e, 1, 1, obis_c_volt[i], 7, 0, 255);
		axe_u16(e, (unsigned)round_div(v.dv[i], 10));
	}
	for (int i = 0; i < 3; i++) {
		axe_obis(e, 1, 1, obis_c_cur[i], 7, 0, 255);
		axe_u32(e, (uint32_t)cur[i]);
	}
	for (int i = 0; i < 3; i++) {
		axe_obis(e, 1, 1, c_pimp[i], 7, 0, 255);
		axe_u32(e, (uint32_t)v.pph[i][0]);
	}
	for (int i = 0; i < 3; i++) {
		axe_obis(e, 1, 1, c_pf[i], 7, 0, 255);
		axe_u16(e, pf[i]);
	}
	axe_obis(e, 1, 1, 13, 7, 0, 255);
	axe_u16(e, pft);
	for (int i = 0; i < 3; i++) {
		axe_obis(e, 1, 1, c_pexp[i], 7, 0, 255);
		axe_u32(e, (uint32_t)v.pph[i][1]);
	}
	for (int d = 1; d >= 0; d--)
		for (int i = 0; i < 3; i++) {
			axe_obis(e, 1, 1, d ? c_pexp[i] : c_pimp[i], 8, 0, 255);
			axe_u32(e, (uint32_t)(reg[d] / 3));
		}
	gt_str(gt, key_name(K_MANUFACTURER), "Kamstrup");
	gt_str(gt, key_name(K_LIST_VER_ID), "Kamstrup_V0001");
	gt_time(gt, &tm);
	gt_num(gt, "obis_1_1_0_0_1_255", serial, 0);
	for (int k = 0; k < 4; k++) {
		gt_num(gt, key_name(k_pow[k]), pw[k], 0);
		gt_num(gt, key_name(k_tot[k]), reg[k], ct ? 0 : 1);
	}
	for (int i = 0; i < 3; i++) {
		gt_num(gt, key_name(k_cur[i]), cur[i], ct ? -3 : -2);
		gt_num(gt, key_name(k_volt[i]), round_div(v.dv[i], 10), 0);
		gt_num(gt, key_name(k_phase[0][i]), v.pph[i][0], 0);
		gt_num(gt, key_name(k_phase[1][i]), v.pph[i][1], 0);
		gt_num(gt, key_name(k_pf[i]), pf[i], -2);
		gt_num(gt, key_name(k_aph[0][i]), reg[0] / 3, ct ? 0 : 1);
		gt_num(gt, key_name(k_aph[1][i]), reg[1] / 3, ct ? 0 : 1);
	}
	gt_num(gt, key_name(K_PF), pft, -2);
	hdlc_end(e, &hf, 0);
}

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

	if (m->pf_list) {
		sim_kamstrup_pf(mt, t, e, gt);
		return;
	}
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

