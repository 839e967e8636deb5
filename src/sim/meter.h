/* What the pieces of han-sim's meters share (physics.c, truth.c, models.c and one encoder
 * per maker): the list classes, one list's values as the maker quantises them, the truth
 * writers and the OBIS and unit numbers the encoders send. Only sim/ includes this. */
#ifndef SIM_METER_H
#define SIM_METER_H
#include <stdint.h>
#include "cosem/axdr_enc.h"
#include "sim/sim.h"

#define H 3600000LL		/* an hour in ms */
#define L_FAST 1		/* list classes: the fast list, the ten-second list, hourly */
#define L_TEN 2
#define L_HOUR 4

/* The values of one list, quantised as the maker sends them. */
struct vals {
	int64_t pin, pout, qin, qout;	/* W, var */
	int64_t ma[3];			/* mA, signed */
	int dv[3];			/* dV */
	int64_t pph[3][4];		/* per phase A+ A- R+ R- */
	uint64_t wh[4];			/* energy registers, Wh / varh */
};

/* Move the meter's state to time t: integrate the registers, let load, production and
 * voltages wander. */
void sim_advance(struct sim_meter *mt, int64_t t);
void values(const struct sim_meter *mt, struct vals *v);
int64_t milliamps(const struct sim_meter *mt, int i);	/* phase i, signed like its power */
int64_t iabs(int64_t v);
int64_t round_div(int64_t v, int64_t d);	/* to the nearest, halves away from zero */

/* Truth: a string, an exact decimal v * 10^exp10, a COSEM date-time as a decoder states it. */
struct sim_field *gt_add(struct sim_fields *gt, const char *key);
void gt_str(struct sim_fields *gt, const char *key, const char *s);
void gt_num(struct sim_fields *gt, const char *key, int64_t v, int exp10);
void gt_time(struct sim_fields *gt, const struct enc_time *t);
/* The date-time of meter time ms, hundredths not specified. */
void mktime12(struct enc_time *t, int64_t ms, int deviation, int status);
/* Keys by phase and by register (A+ A- R+ R-), from the key table. */
extern const int k_cur[3], k_volt[3], k_pow[4], k_tot[4], k_phase[4][3];

/* OBIS C of the powers (total; D = 7 instantaneous, 8 energy), currents, voltages. */
extern const unsigned obis_c_pow[4], obis_c_cur[3], obis_c_volt[3];

/* One encoder per maker: the whole HDLC frame of list class cls at meter time t into e,
 * its truth into gt. */
void sim_aidon(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt);
void sim_kaifa(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt);
void sim_kamstrup(struct sim_meter *mt, int cls, int64_t t, struct enc *e,
    struct sim_fields *gt);
/* Landis+Gyr (lg.c): a self-describing push. */
void sim_lg(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt);
/* P1 meters (p1.c): the whole telegram, "/" through the CRC line's CR LF. */
void sim_dsmr(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt);
void sim_iec(struct sim_meter *mt, int cls, int64_t t, struct enc *e, struct sim_fields *gt);

#endif
