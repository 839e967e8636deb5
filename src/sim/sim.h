/* Simulated HAN meters for han-sim: each model sends its maker's HDLC header, APDU header
 * and list layouts on its maker's cadence, with plausible, varying values, and states the
 * fields a correct decoder must find (amshan's keys, exact decimals). Also the damage that
 * robustness tests put on a stream. Deterministic for a seed; no allocation. */
#ifndef SIM_H
#define SIM_H
#include <stddef.h>
#include <stdint.h>
#include "base/enc.h"
#include "cosem/keyring.h"

enum sim_maker { SIM_AIDON, SIM_KAIFA, SIM_KAMSTRUP, SIM_DSMR, SIM_IEC, SIM_LG };

struct sim_model {
	const char *name;	/* "aidon", "kaifa-1p" ... */
	const char *what;	/* one line for -h */
	const char *type;	/* meter type as the list states it (0.0.96.1.7 / 1.1.96.1.1) */
	enum sim_maker maker;
	const char *family;	/* the ams-fields family that reads it (lists/families.def) */
	int phases;		/* 1 or 3 */
	int it;			/* IT grid (3-wire, phase-to-phase voltages) */
	int sweden;		/* Swedish list instead of the Norwegian ones */
	int period_ms;		/* the fastest list's interval */
	int lists;		/* bit mask of list classes sent: 1 fast, 2 ten-second, 4 hourly */
	int bits;		/* bits per byte on the line: 11 for 8E1, 10 for 8N1 */
	int pf_list;		/* Kamstrup's 65-element list with power factors: 1 from a
				 * direct meter (0.01 A), 2 from a CT meter (mA, Wh) */
	int desc_every;		/* L+G: the object list in every Nth push only, the values
				 * alone in the others (0: in every push) */
};

extern const struct sim_model sim_models[];
extern const int sim_nmodels;
/* Index of a model by name (n bytes), or -1. */
int sim_model_byname(const char *s, size_t n);

/* Pseudo-random numbers (xorshift64*), seeded through splitmix64. */
struct sim_rng {
	uint64_t s;
};
void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream);
uint64_t sim_rand(struct sim_rng *r);
/* Uniform in [0, n). */
uint32_t sim_below(struct sim_rng *r, uint32_t n);
/* True with probability p. */
int sim_chance(struct sim_rng *r, double p);

/* Expected fields of one list, in output order: a string, or the exact decimal
 * v * 10^exp10. */
struct sim_field {
	const char *key;
	int is_str;
	int64_t v;
	int exp10;
	char s[48];
};

#define SIM_MAX_FIELDS 40
struct sim_fields {
	int n;
	struct sim_field f[SIM_MAX_FIELDS];
};

struct sim_meter {
	const struct sim_model *m;
	struct sim_rng rng;
	int64_t next_ms;	/* meter clock (local civil time, ms since 1970) of the next tick */
	int64_t last_ms;	/* when the state was last advanced */
	char id[17];
	const char *type;
	int pv;			/* has solar production: exports in daytime */
	int load[3];		/* household load per phase, W */
	int pvpow;		/* production, W (split over the phases) */
	int volt[3];		/* dV */
	int pf[3];		/* reactive share of the load, per mille */
	int64_t pa[3], qa[3];	/* net active / reactive power per phase, W / var (+ import) */
	uint64_t e[4];		/* energy registers A+ A- R+ R- in mWh / mvarh */
	unsigned pushes;	/* lists sent (L+G: which push holds its object list) */
};

/* Set up meter number index of a model, its clock starting at start_ms. */
void sim_meter_init(struct sim_meter *mt, const struct sim_model *m, uint64_t seed, int index,
    int64_t start_ms);
/* Emit the next list of a class in mask (1 fast, 2 ten-second, 4 hourly): the whole HDLC
 * frame into e, its fields into gt. Returns the class sent; mt->next_ms is then the tick
 * after it. 0 if the model sends no list of the mask. */
int sim_meter_step(struct sim_meter *mt, unsigned mask, struct enc *e, struct sim_fields *gt,
    int64_t *sent_ms);

/* Encrypted meters (han-sim -k): the meter's system title (its maker's FLAG id, then
 * five bytes from its meter number), and the finished clear frame in frame[0..*len)
 * rewritten in place (capacity cap) with its APDU general-glo-ciphered: SC 0x30 when
 * the key has an AK, else 0x20. -1 if it is no frame with an APDU or does not fit. */
void sim_systitle(const struct sim_meter *mt, uint8_t st[8]);
int sim_seal(uint8_t *frame, size_t *len, size_t cap, const struct keyent *k,
    const uint8_t st[8], uint32_t ic);

/* Damage kinds, in the order of their names. */
enum sim_damage { SIM_D_FLIP, SIM_D_INSERT, SIM_D_DROP, SIM_D_CRLF, SIM_D_TRUNC, SIM_ND };

/* The link a meter's frames go out on (pieces.c): whole HDLC frames as made, or each list
 * cut in pieces: HDLC segments, GBT blocks, wired M-Bus segments. */
enum sim_link { SIM_L_HDLC, SIM_L_SEG, SIM_L_GBT, SIM_L_MBUS, SIM_L_DB, SIM_NLINK };
extern const char *const sim_link_names[SIM_NLINK];
/* The HDLC frame f (n bytes) as the pieces of link, into out: *len bytes, piece i at
 * starts[i] .. starts[i + 1]; the number of pieces, or -1 (it does not fit, or max). */
int sim_pieces(enum sim_link link, const uint8_t *f, size_t n, uint8_t *out, size_t cap,
    size_t *len, size_t *starts, int max);
extern const char *const sim_damage_names[SIM_ND];
/* Damage the frame in buf[0..*len) (capacity cap) in the given way so that it no longer
 * passes the HDLC checks. Return 0, or -1 if this kind cannot damage it (CRLF on a frame
 * without 0A). */
int sim_damage(uint8_t *buf, size_t *len, size_t cap, enum sim_damage kind, struct sim_rng *r);
/* Junk for a gap between frames: 1..40 bytes, sometimes with flags and fake frame
 * starts. Return the length (cap >= 48). */
size_t sim_junk(uint8_t *buf, size_t cap, struct sim_rng *r);

#endif
