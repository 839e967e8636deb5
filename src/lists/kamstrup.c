/* Kamstrup_V0001 (Omnipower, Norway, Sweden, Denmark, Switzerland): a structure that starts
 * with the list id as a visible-string, then OBIS/value pairs with null-data in place of
 * the phases a one-phase meter lacks; scaling by conv_kamstrup.
 *
 * The 65-element list with power factors and per-phase powers is sent by direct meters,
 * whose currents are 0.01 A (a Swiss Omnipower), and by current transformer meters, whose
 * currents are 0.001 A (a Danish CT meter); the two lists have the same OBIS codes, element
 * types and order, and no meter type. What tells them apart is in the frame all the same:
 * per phase, the active power P, the voltage U, the current I and the power factor PF
 * must agree as P = U I PF, and P can never exceed U I. So the resolution is chosen per
 * frame: 0.01 A when 0.001 A would give some phase less U I than its active power; 0.001 A
 * when every phase with a load agrees with it at least five times better than with 0.01 A;
 * else (no load, or phases that disagree) the currents are not given, as their scale is
 * not known (unknown-scale), rather than given ten times off. A CT meter's energy
 * registers have no known resolution either: left out too, unless -K says it.
 *
 * The voltages are whole volts in the Norwegian firmware, but some Danish and Swedish
 * Omnipower meters changed to 0.01 V with a firmware update (235.65 V sent as 23565),
 * with the same list id, element count, OBIS codes and type: what the frame shows is the
 * value itself. A voltage of 100 to 500 is volts; of 10000 to 50000 it is 0.01 V (as volts
 * it would be above any grid's, in 0.1 V still 1000 V and more); a frame whose voltages
 * are all of one kind is read so (0 is 0 either way), and one that fits neither, or mixes
 * them, leaves its voltages out with the unknown-scale notice. */
#include <string.h>
#include "lists/family.h"

static int
match(const struct axdr_tree *t)
{
	return axdr_at(t, 0)->tag == AXDR_STRUCTURE && axdr_at(t, 0)->count >= 2 &&
	    list_is_string(t, 1, "Kamstrup");
}

/* the CT meter: I 0.001 A, power factors 0.01, energies only as -K says */
static const struct convention conv_kamstrup_ct = { "kamstrup-ct", {
	{ Q_CURRENT, -3, 0, 0, NULL },
	{ Q_POWER_FACTOR, -2, 0, 0, NULL },
	{ Q_ENERGY, CONV_UNKNOWN, CONV_KAMSTRUP_WH, 0, NULL },
	{ Q_REACTIVE_ENERGY, CONV_UNKNOWN, CONV_KAMSTRUP_WH, 0, NULL } } };
/* the 65-element list when the frame cannot tell: neither the currents nor the energies */
static const struct convention conv_kamstrup_unsure = { "kamstrup-unsure", {
	{ Q_CURRENT, CONV_UNKNOWN, 0, 0, NULL },
	{ Q_POWER_FACTOR, -2, 0, 0, NULL },
	{ Q_ENERGY, CONV_UNKNOWN, CONV_KAMSTRUP_WH, 0, NULL },
	{ Q_REACTIVE_ENERGY, CONV_UNKNOWN, CONV_KAMSTRUP_WH, 0, NULL } } };

/* The per-phase values of a pair list, by the C group of their OBIS code 1.x.C.7.0.255:
 * U I P+ P- PF of phases 1, 2, 3. */
enum { PH_U, PH_I, PH_PIMP, PH_PEXP, PH_PF, PH_N };
#define SLOT(p, q) (1 + (p) * PH_N + (q))
static const uint8_t slot_of_c[256] = {	/* C -> 1 + phase * PH_N + quantity, 0: none */
	[32] = SLOT(0, PH_U), [31] = SLOT(0, PH_I), [21] = SLOT(0, PH_PIMP),
	[22] = SLOT(0, PH_PEXP), [33] = SLOT(0, PH_PF),
	[52] = SLOT(1, PH_U), [51] = SLOT(1, PH_I), [41] = SLOT(1, PH_PIMP),
	[42] = SLOT(1, PH_PEXP), [53] = SLOT(1, PH_PF),
	[72] = SLOT(2, PH_U), [71] = SLOT(2, PH_I), [61] = SLOT(2, PH_PIMP),
	[62] = SLOT(2, PH_PEXP), [73] = SLOT(2, PH_PF),
};

struct phases {
	int64_t v[3][PH_N];
	unsigned have[3];	/* bit per PH_ */
};

static void
phases_of(const struct axdr_tree *t, struct phases *ph)
{
	unsigned n = axdr_at(t, 0)->count;
	size_t i = 1;

	memset(ph, 0, sizeof *ph);
	for (unsigned k = 0; k < n; k++, i = axdr_next(t, i)) {
		const uint8_t *o;
		const struct axdr_node *nd;
		size_t vi;
		int slot, p, q;
		if (!list_is_obis(t, i))
			continue;
		o = axdr_value(t, i);
		if (o[0] != 1 || o[3] != 7 || o[4] != 0 || !(slot = slot_of_c[o[2]]))
			continue;
		for (vi = axdr_next(t, i); axdr_at(t, vi)->tag == AXDR_NULL; vi = axdr_next(t, vi))
			;
		nd = axdr_at(t, vi);
		if (!axdr_is_int(nd))
			continue;
		p = (slot - 1) / PH_N, q = (slot - 1) % PH_N;
		ph->v[p][q] = !axdr_is_unsigned(nd) ? nd->v.i :
		    nd->v.u > INT64_MAX ? INT64_MAX : (int64_t)nd->v.u;
		ph->have[p] |= 1u << q;
	}
}

/* The voltage exponent of the list: 0, -2 or CONV_UNKNOWN. */
static int
voltage_exp(const struct phases *ph)
{
	int volts = 0, cv = 0, other = 0;

	for (int p = 0; p < 3; p++) {
		int64_t u = ph->v[p][PH_U];
		if (!(ph->have[p] & 1u << PH_U) || u == 0)
			continue;
		if (u >= 100 && u <= 500)
			volts++;
		else if (u >= 10000 && u <= 50000)
			cv++;
		else
			other++;
	}
	return other || (volts && cv) ? CONV_UNKNOWN : cv ? -2 : 0;
}

/* The current exponent of the list: -2, -3, or CONV_UNKNOWN (then *sure is 0); uexp the
 * voltages' exponent (0, -2, or CONV_UNKNOWN, which leaves a list with power factors
 * nothing to judge its currents by). */
#define LOAD_W 20		/* a phase with less active power says nothing */
#define AGREE 5			/* how much better one resolution must agree */
static int
current_exp(const struct phases *ph, int uexp, int *sure)
{
	int any_i = 0, ca = 0, ma = 0, ca_only = 0;

	*sure = 1;
	if (!((ph->have[0] | ph->have[1] | ph->have[2]) & 1u << PH_PF))
		return -2;	/* a list without power factors: only direct meters send it */
	if (uexp == CONV_UNKNOWN) {
		*sure = 0;	/* no voltage to judge the currents by */
		return CONV_UNKNOWN;
	}
	for (int p = 0; p < 3; p++) {
		const int64_t *v = ph->v[p];
		double u, p_w, ui_ma, pf, r, f_ma, f_ca;
		if (!(ph->have[p] & 1u << PH_I) || v[PH_I] == 0)
			continue;
		any_i = 1;
		u = (double)v[PH_U] / (uexp == -2 ? 100 : 1);
		p_w = (double)(v[PH_PIMP] > 0 ? v[PH_PIMP] : 0) + (double)(v[PH_PEXP] > 0 ? v[PH_PEXP] : 0);
		if (u <= 0 || p_w < LOAD_W)
			continue;
		ui_ma = u * (double)(v[PH_I] < 0 ? -v[PH_I] : v[PH_I]) / 1000;
		/* at 0.001 A this phase would deliver more than U I: it cannot be (half again
		 * for the moments between samples) */
		if (p_w > 1.5 * ui_ma) {
			ca_only = 1;
			continue;
		}
		if ((pf = (double)v[PH_PF] / 100) <= 0)
			continue;
		r = p_w / (ui_ma * pf);		/* 1 when 0.001 A agrees */
		f_ma = r >= 1 ? r : 1 / r;
		f_ca = r / 10 >= 1 ? r / 10 : 10 / r;
		if (f_ca * AGREE <= f_ma)
			ca++;
		else if (f_ma * AGREE <= f_ca)
			ma++;
	}
	if (!any_i || ca_only || (ca && !ma))
		return -2;
	if (ma && !ca)
		return -3;
	*sure = 0;
	return CONV_UNKNOWN;
}

static struct list_label
map(struct list_ctx *c)
{
	struct list_label l = { "Kamstrup", "kamstrup" };
	struct phases ph;
	struct convention with_u;
	const struct convention *cv;
	int sure, ue, e;
	size_t r;

	phases_of(c->t, &ph);
	ue = voltage_exp(&ph);
	e = current_exp(&ph, ue, &sure);
	cv = !sure ? &conv_kamstrup_unsure : e == -3 ? &conv_kamstrup_ct : &conv_kamstrup;
	if (ue != 0) {
		/* the convention with a voltage row after its own (none of them scales a
		 * voltage) */
		with_u = *cv;
		for (r = 0; r + 1 < sizeof with_u.row / sizeof with_u.row[0] &&
		    with_u.row[r].q != Q_META; r++)
			;
		with_u.row[r] = (struct conv_row){ Q_VOLTAGE, (signed char)ue, 0, 0, NULL };
		cv = &with_u;
	}
	list_put(c, K_LIST_VER_ID, NULL, 1, 0);
	list_walk_pairs(c, cv);
	return l;
}

const struct list_family list_kamstrup = {
	"kamstrup", "Kamstrup_V0001: the list id, then OBIS/value pairs (Kamstrup Omnipower)",
	LIST_BY_NAME, match, map
};
