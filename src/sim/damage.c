/* Damage as robustness tests put it on a stream: flipped bits, inserted and dropped bytes,
 * LF turned into CR LF, truncation, junk between frames. The framer itself judges that a
 * damaged frame no longer passes. */
#include <string.h>
#include "link/framer.h"
#include "sim/sim.h"

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
	static struct link lk;
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
		link_init(&lk, framer_byname("hdlc", 4), 0);
		link_feed(&lk, buf, *len, count_frames, &found);
		link_feed(&lk, &flag, 1, count_frames, &found);
		link_finish(&lk, count_frames, &found);
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
