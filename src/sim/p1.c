/* han-sim's P1 meters: a DSMR 5 meter with a gas meter on M-Bus channel 1 and an
 * IEC 62056-21 mode D readout as Nordic HAN-P1 ports send it, each telegram ending with
 * its CRC-16/ARC; the truth is what ams-fields must take from the text. */
#include <stdio.h>
#include <string.h>
#include "base/civil.h"
#include "fields/keytab.h"
#include "link/crc.h"
#include "sim/meter.h"

/* Whether local Central European time ms is summer time: from the last Sunday of March
 * at 02:00 to the last Sunday of October at 03:00. */
static int
cet_summer(int64_t ms)
{
	int y, mo, d, h, mi, s, wd, last;

	civil_from_ms(ms, &y, &mo, &d, &h, &mi, &s, &wd);
	if (mo < 3 || mo > 10)
		return 0;
	if (mo > 3 && mo < 10)
		return 1;
	/* the last Sunday of the month (31 days in both) */
	{
		int y2, m2, d2, h2, i2, s2, w31;
		civil_from_ms(civil_ms(y, mo, 31, 12, 0, 0), &y2, &m2, &d2, &h2, &i2, &s2, &w31);
		last = 31 - w31 % 7;
	}
	if (mo == 3)
		return d > last || (d == last && h >= 2);
	return d < last || (d == last && h < 3);
}

/* "YYMMDDhhmmssX" of meter time ms, and the truth's text of it. */
static void
p1_time(int64_t ms, char out[64], char truth[64])
{
	int y, mo, d, h, mi, s, wd, summer = cet_summer(ms);

	civil_from_ms(ms, &y, &mo, &d, &h, &mi, &s, &wd);
	snprintf(out, 64, "%02d%02d%02d%02d%02d%02d%c", y % 100, mo, d, h, mi, s,
	    summer ? 'S' : 'W');
	snprintf(truth, 64, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", y, mo, d, h, mi, s,
	    summer ? 2 : 1);
}

static void
line(struct enc *e, const char *s)
{
	enc_bytes(e, s, strlen(s));
	enc_bytes(e, "\r\n", 2);
}

/* "%0*d.%03d" of thousandths v with w digits before the point. */
static void
milli(char *b, size_t n, int w, uint64_t v)
{
	snprintf(b, n, "%0*llu.%03u", w, (unsigned long long)(v / 1000), (unsigned)(v % 1000));
}

static void
finish(struct enc *e, size_t start)
{
	char crc[8];

	enc_bytes(e, "!", 1);
	snprintf(crc, sizeof crc, "%04X\r\n",
	    crc16_arc_update(0, e->p + start, e->len - start));
	enc_bytes(e, crc, 6);
}

static void
ids(struct sim_fields *gt, const char *maker, const char *type)
{
	gt_str(gt, key_name(K_MAKER_ID), maker);
	gt_str(gt, key_name(K_TYPE_ID), type);
}

/* DSMR 5.0: every second, the clock, tariff registers (not the totals), powers per phase,
 * integer amperes, and the gas meter's last five-minute reading. */
void
sim_dsmr(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const char *const ph_c[3] = { "21", "41", "61" }, *const ph_e[3] = { "22", "42", "62" };
	struct vals v;
	char b[200], n1[48], n2[48], ts[64], tt[64], eq[40];
	size_t start = e->len;
	uint64_t t1[2], t2[2];
	int hh, y, mo, d, mi, s, wd;
	int64_t gas_ms = t - ((t % 300000) + 300000) % 300000;
	uint64_t gas_l = (uint64_t)(gas_ms / 1000 / 60) % 100000000ULL;	/* a litre a minute */

	(void)cls;
	values(mt, &v);
	civil_from_ms(t, &y, &mo, &d, &hh, &mi, &s, &wd);
	for (int k = 0; k < 2; k++) {
		t1[k] = v.wh[k] * 2 / 5;
		t2[k] = v.wh[k] - t1[k];
	}
	for (int i = 0; i < 16; i++)
		snprintf(eq + 2 * i, 3, "%02x", (unsigned char)mt->id[i]);
	line(e, "/ISK5\\2M550T-1012");
	line(e, "");
	line(e, "1-3:0.2.8(50)");
	p1_time(t, ts, tt);
	snprintf(b, sizeof b, "0-0:1.0.0(%s)", ts);
	line(e, b);
	snprintf(b, sizeof b, "0-0:96.1.1(%s)", eq);
	line(e, b);
	for (int k = 0; k < 2; k++) {
		milli(n1, sizeof n1, 6, t1[k]);
		milli(n2, sizeof n2, 6, t2[k]);
		snprintf(b, sizeof b, "1-0:%d.8.1(%s*kWh)", k + 1, n1);
		line(e, b);
		snprintf(b, sizeof b, "1-0:%d.8.2(%s*kWh)", k + 1, n2);
		line(e, b);
	}
	snprintf(b, sizeof b, "0-0:96.14.0(%s)", hh >= 22 || hh < 7 ? "0001" : "0002");
	line(e, b);
	milli(n1, sizeof n1, 2, (uint64_t)v.pin);
	snprintf(b, sizeof b, "1-0:1.7.0(%s*kW)", n1);
	line(e, b);
	milli(n1, sizeof n1, 2, (uint64_t)v.pout);
	snprintf(b, sizeof b, "1-0:2.7.0(%s*kW)", n1);
	line(e, b);
	line(e, "0-0:96.7.21(00004)");
	line(e, "0-0:96.7.9(00002)");
	line(e, "1-0:99.97.0(1)(0-0:96.7.19)(250311093010W)(0000000240*s)");
	for (int i = 0; i < 3; i++) {
		snprintf(b, sizeof b, "1-0:%d.7.0(%03d.%d*V)", obis_c_volt[i], v.dv[i] / 10,
		    v.dv[i] % 10);
		line(e, b);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(b, sizeof b, "1-0:%d.7.0(%03lld*A)", obis_c_cur[i],
		    (long long)round_div(iabs(v.ma[i]), 1000));
		line(e, b);
	}
	for (int i = 0; i < 3; i++) {
		milli(n1, sizeof n1, 2, (uint64_t)v.pph[i][0]);
		snprintf(b, sizeof b, "1-0:%s.7.0(%s*kW)", ph_c[i], n1);
		line(e, b);
	}
	for (int i = 0; i < 3; i++) {
		milli(n1, sizeof n1, 2, (uint64_t)v.pph[i][1]);
		snprintf(b, sizeof b, "1-0:%s.7.0(%s*kW)", ph_e[i], n1);
		line(e, b);
	}
	line(e, "0-1:24.1.0(003)");
	line(e, "0-1:96.1.0(4730303332353631323831363736353136)");
	{
		char gts[64], gtt[64], gas[128];
		p1_time(gas_ms, gts, gtt);
		milli(n1, sizeof n1, 5, gas_l);
		snprintf(gas, sizeof gas, "(%s)(%s*m3)", gts, n1);
		snprintf(b, sizeof b, "0-1:24.2.1%s", gas);
		line(e, b);
		finish(e, start);
		ids(gt, "ISK", "M550T-1012");
		gt_str(gt, key_name(K_EQUIPMENT_ID), eq);
		gt_str(gt, key_name(K_DATETIME), tt);
		gt_str(gt, key_name(K_TARIFF), hh >= 22 || hh < 7 ? "0001" : "0002");
		gt_num(gt, key_name(K_P_IMP), v.pin, 0);
		gt_num(gt, key_name(K_P_EXP), v.pout, 0);
		for (int i = 0; i < 3; i++)
			gt_num(gt, key_name(k_cur[i]), round_div(iabs(v.ma[i]), 1000), 0);
		for (int i = 0; i < 3; i++)
			gt_num(gt, key_name(k_volt[i]), v.dv[i], -1);
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < 3; i++)
				gt_num(gt, key_name(k_phase[k][i]), v.pph[i][k], 0);
		gt_num(gt, key_name(K_A_IMP_T1), (int64_t)t1[0], 0);
		gt_num(gt, key_name(K_A_IMP_T2), (int64_t)t2[0], 0);
		gt_num(gt, key_name(K_A_EXP_T1), (int64_t)t1[1], 0);
		gt_num(gt, key_name(K_A_EXP_T2), (int64_t)t2[1], 0);
		gt_str(gt, key_name(K_MB1_TYPE), "003");
		gt_str(gt, key_name(K_MB1_ID), "4730303332353631323831363736353136");
		gt_num(gt, key_name(K_MB1_READING), (int64_t)gas_l, -3);
		gt_str(gt, key_name(K_MB1_UNIT), "m3");
		gt_str(gt, key_name(K_MB1_TIME), gtt);
	}
}

/* An IEC 62056-21 mode D readout as Swedish and Norwegian HAN-P1 ports send it (the
 * Swedish H1 layout): every ten seconds, energies in kWh, powers in kW and kvar per phase,
 * currents in 0.1 A. */
void
sim_iec(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const unsigned pc[4][3] = { { 21, 41, 61 }, { 22, 42, 62 }, { 23, 43, 63 },
		{ 24, 44, 64 } };
	static const char *const eu[4] = { "kWh", "kWh", "kvarh", "kvarh" };
	static const char *const pu[4] = { "kW", "kW", "kvar", "kvar" };
	struct vals v;
	char b[200], n1[48], ts[64], tt[64];
	size_t start = e->len;
	int64_t pw[4];

	(void)cls;
	(void)mt->id;
	values(mt, &v);
	pw[0] = v.pin, pw[1] = v.pout, pw[2] = v.qin, pw[3] = v.qout;
	line(e, "/LGF5E360");
	line(e, "");
	p1_time(t, ts, tt);
	snprintf(b, sizeof b, "0-0:1.0.0(%s)", ts);
	line(e, b);
	for (int k = 0; k < 4; k++) {
		milli(n1, sizeof n1, 8, v.wh[k]);
		snprintf(b, sizeof b, "1-0:%u.8.0(%s*%s)", obis_c_pow[k], n1, eu[k]);
		line(e, b);
	}
	for (int k = 0; k < 4; k++) {
		milli(n1, sizeof n1, 4, (uint64_t)pw[k]);
		snprintf(b, sizeof b, "1-0:%u.7.0(%s*%s)", obis_c_pow[k], n1, pu[k]);
		line(e, b);
	}
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 3; i++) {
			milli(n1, sizeof n1, 4, (uint64_t)v.pph[i][k]);
			snprintf(b, sizeof b, "1-0:%u.7.0(%s*%s)", pc[k][i], n1, pu[k]);
			line(e, b);
		}
	for (int i = 0; i < 3; i++) {
		snprintf(b, sizeof b, "1-0:%u.7.0(%03d.%d*V)", obis_c_volt[i], v.dv[i] / 10,
		    v.dv[i] % 10);
		line(e, b);
	}
	for (int i = 0; i < 3; i++) {
		int64_t da = round_div(iabs(v.ma[i]), 100);
		snprintf(b, sizeof b, "1-0:%u.7.0(%03lld.%lld*A)", obis_c_cur[i],
		    (long long)(da / 10), (long long)(da % 10));
		line(e, b);
	}
	finish(e, start);
	ids(gt, "LGF", "E360");
	gt_str(gt, key_name(K_DATETIME), tt);
	for (int k = 0; k < 4; k++)
		gt_num(gt, key_name(k_pow[k]), pw[k], 0);
	for (int i = 0; i < 3; i++)
		gt_num(gt, key_name(k_cur[i]), round_div(iabs(v.ma[i]), 100), -1);
	for (int i = 0; i < 3; i++)
		gt_num(gt, key_name(k_volt[i]), v.dv[i], -1);
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 3; i++)
			gt_num(gt, key_name(k_phase[k][i]), v.pph[i][k], 0);
	for (int k = 0; k < 4; k++)
		gt_num(gt, key_name(k_tot[k]), (int64_t)v.wh[k], 0);
}
