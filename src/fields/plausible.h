/* What a meter can physically report, checked on a fields record so that a damaged frame
 * whose CRC happened to match, or a forged one, is marked instead of passed on as truth:
 * voltages and currents in range, the active power no more than the phases' voltage times
 * current allows, and, per meter, energy registers that do not go backwards and a clock
 * that does not run back. Limits in ams-fields(1). Bounded state: the last values of up to
 * PLAUS_METERS meters. */
#ifndef FIELDS_PLAUSIBLE_H
#define FIELDS_PLAUSIBLE_H
#include "base/fail.h"
#include "fields/fields.h"

#define PLAUS_METERS 16
/* this many records in a row that go back start a new baseline: a meter that was reset, or
 * one earlier forged record that set the bar too high, costs that many records, not all */
#define PLAUS_REBASE 3

struct plaus_meter {
	char id[32];
	size_t idlen;
	int have_e[4];		/* A+ A- R+ R- seen */
	struct dec e[4];
	int have_t;
	int64_t t;		/* the meter clock, seconds (UTC when it states an offset) */
	int t_off;		/* it stated an offset */
	int back;		/* records in a row that went back */
	unsigned long used;	/* for replacing the least recently seen */
};

struct plaus {
	struct plaus_meter m[PLAUS_METERS];
	unsigned long tick;
};

/* FAIL_NONE, or why the record is implausible (*key: the key at fault, or -1). The state
 * is updated only by records that pass. */
enum fail plaus_check(struct plaus *st, const struct fields *f, const struct fields_opt *o,
    int *key);

#endif
