/* han-sim's pseudo-random numbers: xorshift64*, seeded through splitmix64, so a seed gives
 * the same stream on every machine. */
#include "sim/sim.h"

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	r->s = splitmix(&x);
	if (!r->s)
		r->s = 1;
}

uint64_t
sim_rand(struct sim_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t
sim_below(struct sim_rng *r, uint32_t n)
{
	return n ? (uint32_t)((sim_rand(r) >> 32) * n >> 32) : 0;
}

int
sim_chance(struct sim_rng *r, double p)
{
	return (double)(sim_rand(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

