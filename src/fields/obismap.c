/* The OBIS-to-key rows. The lookup goes through an index by C built on first use, so a
 * list of 40 elements costs a few comparisons each, not a scan of the table. */
#include <string.h>
#include "fields/keytab.h"
#include "fields/obismap.h"

static const struct {
	uint8_t a, c, d, e;
	uint8_t key;
} rows[] = {
	/* abstract objects: the clock and the identifiers */
	{ 0, 1, 0, 0, K_DATETIME }, { 0, 96, 1, 0, K_METER_ID },
	{ 0, 96, 1, 7, K_METER_TYPE }, { 0, 96, 1, 1, K_METER_TYPE },
	/* electricity: the list id (Aidon, Kaifa), Kamstrup's id objects, the clock */
	{ 1, 0, 2, 129, K_LIST_VER_ID }, { 1, 0, 0, 5, K_METER_ID },
	{ 1, 96, 1, 1, K_METER_TYPE }, { 1, 1, 0, 0, K_DATETIME },
	/* instantaneous values (D = 7): totals, then L1, L2, L3 (C + 20 per phase) */
	{ 1, 1, 7, 0, K_P_IMP }, { 1, 2, 7, 0, K_P_EXP },
	{ 1, 3, 7, 0, K_Q_IMP }, { 1, 4, 7, 0, K_Q_EXP }, { 1, 13, 7, 0, K_PF },
	{ 1, 21, 7, 0, K_P_IMP_L1 }, { 1, 22, 7, 0, K_P_EXP_L1 },
	{ 1, 23, 7, 0, K_Q_IMP_L1 }, { 1, 24, 7, 0, K_Q_EXP_L1 },
	{ 1, 31, 7, 0, K_I1 }, { 1, 32, 7, 0, K_U1 }, { 1, 33, 7, 0, K_PF_L1 },
	{ 1, 41, 7, 0, K_P_IMP_L2 }, { 1, 42, 7, 0, K_P_EXP_L2 },
	{ 1, 43, 7, 0, K_Q_IMP_L2 }, { 1, 44, 7, 0, K_Q_EXP_L2 },
	{ 1, 51, 7, 0, K_I2 }, { 1, 52, 7, 0, K_U2 }, { 1, 53, 7, 0, K_PF_L2 },
	{ 1, 61, 7, 0, K_P_IMP_L3 }, { 1, 62, 7, 0, K_P_EXP_L3 },
	{ 1, 63, 7, 0, K_Q_IMP_L3 }, { 1, 64, 7, 0, K_Q_EXP_L3 },
	{ 1, 71, 7, 0, K_I3 }, { 1, 72, 7, 0, K_U3 }, { 1, 73, 7, 0, K_PF_L3 },
	/* energy registers (D = 8), totals and per phase */
	{ 1, 1, 8, 0, K_A_IMP }, { 1, 2, 8, 0, K_A_EXP },
	{ 1, 3, 8, 0, K_R_IMP }, { 1, 4, 8, 0, K_R_EXP },
	{ 1, 21, 8, 0, K_A_IMP_L1 }, { 1, 22, 8, 0, K_A_EXP_L1 },
	{ 1, 41, 8, 0, K_A_IMP_L2 }, { 1, 42, 8, 0, K_A_EXP_L2 },
	{ 1, 61, 8, 0, K_A_IMP_L3 }, { 1, 62, 8, 0, K_A_EXP_L3 },
};
#define NROWS (sizeof rows / sizeof rows[0])

/* first[c]: the first row with that C, 0 for none (rows are counted from 1 here); chain[r]
 * the next row with the same C. */
static uint8_t first[256], chain[NROWS + 1];
static int indexed;

static void
build(void)
{
	for (size_t r = NROWS; r-- > 0;) {
		chain[r + 1] = first[rows[r].c];
		first[rows[r].c] = (uint8_t)(r + 1);
	}
	indexed = 1;
}

int
obismap_key(const uint8_t o[OBIS_LEN])
{
	if (!indexed)
		build();
	for (unsigned r = first[o[2]]; r; r = chain[r]) {
		const unsigned i = r - 1;
		if (rows[i].a == o[0] && rows[i].d == o[3] && rows[i].e == o[4])
			return rows[i].key;
	}
	return -1;
}
