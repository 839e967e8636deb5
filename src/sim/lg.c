/* han-sim's Landis+Gyr E450 (Switzerland): a self-describing push as the push setup
 * 0.8.25.9.0.255 sends it, its object list of capture-object descriptors first, then the
 * captured values; han-sim -L gbt cuts it into General Block Transfer blocks as the meter
 * sends it. lg-e450-v sends the object list in every twelfth push only (once a minute),
 * the values alone in the others, as a push setup configured so does. */
#include <string.h>
#include "cosem/axdr_enc.h"
#include "cosem/dlmstime.h"
#include "fields/keytab.h"
#include "link/hdlc_enc.h"
#include "sim/meter.h"

#define CLASS_DATA 1
#define CLASS_REGISTER 3
#define CLASS_CLOCK 8
#define CLASS_PUSH_SETUP 40

/* The capture objects: class, OBIS code, attribute (2, the value, unless said). */
static const struct {
	unsigned cls;
	uint8_t obis[6];
	int attr;
} objects[] = {
	{ CLASS_PUSH_SETUP, { 0, 8, 25, 9, 0, 255 }, 2 },	/* this object list */
	{ CLASS_PUSH_SETUP, { 0, 8, 25, 9, 0, 255 }, 1 },	/* its logical name */
	{ CLASS_DATA, { 0, 0, 42, 0, 0, 255 }, 2 },		/* logical device name */
	{ CLASS_DATA, { 0, 0, 96, 1, 0, 255 }, 2 },		/* meter number */
	{ CLASS_CLOCK, { 0, 0, 1, 0, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 1, 1, 8, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 1, 2, 8, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 1, 3, 8, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 1, 4, 8, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 0, 1, 7, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 0, 2, 7, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 0, 32, 7, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 0, 52, 7, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 0, 72, 7, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 0, 31, 7, 0, 255 }, 2 },
	{ CLASS_REGISTER, { 1, 0, 51, 7, 0, 255 }, 2 }, { CLASS_REGISTER, { 1, 0, 71, 7, 0, 255 }, 2 },
};
#define NOBJ (sizeof objects / sizeof objects[0])

/* One push: energies Wh and powers W as double-long-unsigned, voltages V and currents
 * 0.01 A as long-unsigned, no scaler sent (as the corpus's E450 pushes). The header's
 * date-time is stamped a second before the captured clock, as the E450 does. */
void
sim_lg(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt)
{
	static const uint8_t dst[] = { 0xce, 0xff }, src[] = { 0x03 };
	struct hdlc_enc hf;
	struct vals v;
	struct enc_time tm, th;
	uint8_t t12[12], h12[12];
	char ldn[17], id[9];
	int64_t pw[2];
	int whole;

	(void)cls;
	values(mt, &v);
	pw[0] = v.pin, pw[1] = v.pout;
	/* the logical device name: LGZ, a type code, then digits of the serial number */
	memcpy(ldn, "LGZ1030", 7);
	memcpy(ldn + 7, mt->id + 7, 9);
	ldn[16] = '\0';
	memcpy(id, mt->id + 8, 8);
	id[8] = '\0';
	mktime12(&tm, t, DLMSTIME_DEV_UNSPEC, 0);
	mktime12(&th, t - 1000, DLMSTIME_DEV_UNSPEC, 0);
	enc_datetime(t12, &tm);
	enc_datetime(h12, &th);
	/* a meter whose push setup sends the object list only now and then: the values alone
	 * in the others, the first push of all holding it */
	whole = !mt->m->desc_every || mt->pushes % (unsigned)mt->m->desc_every == 0;
	mt->pushes++;
	hdlc_begin(e, &hf, dst, sizeof dst, src, sizeof src, 0x13);
	apdu_notification(e, 1, (uint32_t)(t / 1000) & 0x00ffffffu, h12, 1);
	axe_struct(e, whole ? NOBJ : NOBJ - 1);
	if (whole) {
		axe_array(e, NOBJ);
		for (size_t k = 0; k < NOBJ; k++) {
			axe_struct(e, 4);
			axe_u16(e, objects[k].cls);
			axe_octets(e, objects[k].obis, 6);
			axe_i8(e, objects[k].attr);
			axe_u16(e, 0);
		}
	}
	axe_octets(e, objects[0].obis, 6);
	axe_octets(e, ldn, 16);
	axe_octets(e, id, 8);
	axe_octets(e, t12, 12);
	for (int k = 0; k < 4; k++)
		axe_u32(e, (uint32_t)v.wh[k]);
	for (int k = 0; k < 2; k++)
		axe_u32(e, (uint32_t)pw[k]);
	for (int i = 0; i < 3; i++)
		axe_u16(e, (unsigned)round_div(v.dv[i], 10));
	for (int i = 0; i < 3; i++)
		axe_u16(e, (unsigned)round_div(iabs(v.ma[i]), 10));
	hdlc_end(e, &hf, 0);
	gt_str(gt, key_name(K_MANUFACTURER), "Landis+Gyr");
	gt_str(gt, key_name(K_METER_ID), id);
	gt_time(gt, &tm);
	for (int k = 0; k < 2; k++)
		gt_num(gt, key_name(k_pow[k]), pw[k], 0);
	for (int i = 0; i < 3; i++)
		gt_num(gt, key_name(k_cur[i]), round_div(iabs(v.ma[i]), 10), -2);
	for (int i = 0; i < 3; i++)
		gt_num(gt, key_name(k_volt[i]), round_div(v.dv[i], 10), 0);
	for (int k = 0; k < 4; k++)
		gt_num(gt, key_name(k_tot[k]), (int64_t)v.wh[k], 0);
}
