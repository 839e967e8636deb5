/* The registry of meter families (families.def) and lists_decode(): the first family
 * that accepts a list, by match priority, maps it; then the label and the list kind. */
#include <string.h>
#include "base/fail.h"
#include "lists/family.h"
#include "lists/lists.h"

#define FAMILY(n) extern const struct list_family list_##n;
#include "lists/families.def"
#undef FAMILY

const struct list_family *const list_families[] = {
#define FAMILY(n) &list_##n,
#include "lists/families.def"
#undef FAMILY
};
const int list_nfamilies = (int)(sizeof list_families / sizeof list_families[0]);

const char *
list_family_name(const struct list_family *fam)
{
	return fam->name;
}

const char *
list_family_what(const struct list_family *fam)
{
	return fam->what;
}

const char *
lists_errname(enum list_err e)
{
	switch (e) {
	case LIST_OK: return fail_token(FAIL_NONE);
	case LIST_ERR_UNKNOWN: return fail_token(FAIL_UNKNOWN_LIST);
	case LIST_ERR_EMPTY: return fail_token(FAIL_NO_FIELDS);
	}
	return fail_token(FAIL_N);
}

/* The families in the order they are asked: by priority, then the registry's order
 * (made once, on the first list). */
static const struct list_family *by_prio[sizeof list_families / sizeof list_families[0]];

static const struct list_family *
pick(const struct axdr_tree *t)
{
	if (!by_prio[0]) {
		int n = 0;
		for (int p = 0; p < LIST_NPRIO; p++)
			for (int k = 0; k < list_nfamilies; k++)
				if (list_families[k]->prio == (enum list_prio)p)
					by_prio[n++] = list_families[k];
	}
	for (int k = 0; k < list_nfamilies; k++)
		if (by_prio[k] && by_prio[k]->match(t))
			return by_prio[k];
	return NULL;
}

/* A value from the meter rather than an identifier, label or clock. */
static int
is_measurement(const struct field *fd)
{
	return fd->key == K_OBIS || fd->key == K_POS || keytab[fd->key].q >= Q_POWER;
}

/* FNV-1a over the family's name and each node's depth, type and (for an OBIS code) the
 * code: two records of one layout hash alike whatever their values. */
static uint32_t
layout_hash(const struct list_family *fam, const struct axdr_tree *t)
{
	uint32_t h = 2166136261u;
	const char *s;

	for (s = fam->name; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	for (size_t i = 0; i < t->n; i++) {
		const struct axdr_node *nd = &t->node[i];
		h = (h ^ nd->tag) * 16777619u;
		h = (h ^ nd->depth) * 16777619u;
		if (list_is_obis(t, i))
			for (size_t k = 0; k < OBIS_LEN; k++)
				h = (h ^ axdr_value(t, i)[k]) * 16777619u;
	}
	return h;
}

enum list_err
lists_decode(struct fields *f, const struct rx_msg *m, const struct fields_opt *o,
    struct lists_state *st)
{
	struct list_ctx c = { f, m->tree, m->body ? NULL : &m->a, o, 0 };
	const struct list_family *fam;
	struct list_label label;
	size_t nmeas = 0, n;
	int cls;

	fields_reset(f);
	if (!m->tree || m->tree->n == 0)
		return LIST_ERR_UNKNOWN;
	/* a push's values alone, of the very count, types and meter name of a push whose
	 * object list was remembered: named by it (before the families, as a shape such as
	 * OBIS/value pairs may take them) */
	if (st && st->nmemo && (c.t = push_recall(st, m))) {
		fam = &list_push;
	} else if ((fam = pick((c.t = m->tree))) == &list_push) {
		push_remember(st, m);
	} else if (!fam) {
		return LIST_ERR_UNKNOWN;
	}
	if (c.a && c.a->time_enc != APDU_TIME_NONE && fields_set_clock(f, c.a->time) == 0)
		c.have_dt = DT_HEADER;
	label = fam->map(&c);
	/* a key that another element gave a scaled value for (two channels of one quantity,
	 * an OBIS code sent twice) is not missing (list_unscaled names each key once) */
	for (size_t i = 0; i < f->nunscaled;) {
		if (fields_get(f, f->unscaled[i], NULL))
			memmove(f->unscaled + i, f->unscaled + i + 1, --f->nunscaled - i);
		else
			i++;
	}
	if (f->unmapped || f->nunscaled)
		f->layout = layout_hash(fam, c.t);
	for (size_t i = 0; i < f->n; i++)
		nmeas += is_measurement(&f->f[i]);
	if (!nmeas && !fields_get(f, K_METER_ID, NULL) && !fields_get(f, K_LIST_VER_ID, NULL))
		return LIST_ERR_EMPTY;
	if (label.manufacturer)
		fields_set_str(f, K_MANUFACTURER, label.manufacturer, strlen(label.manufacturer));
	/* the list kind: the family's, and in the Norwegian sense list 1, 2 or 3 (the meter
	 * sent energies also when their scale is not known and they are left out) */
	cls = fields_get(f, K_A_IMP, NULL) || fields_get(f, K_A_EXP, NULL) ||
	    memchr(f->unscaled, K_A_IMP, f->nunscaled) || memchr(f->unscaled, K_A_EXP, f->nunscaled) ? 3 :
	    nmeas == 1 && fields_get(f, K_P_IMP, NULL) ? 1 : 2;
	n = strlen(label.kind ? label.kind : fam->name);
	if (n > sizeof f->listbuf - 7)
		n = sizeof f->listbuf - 7;
	memcpy(f->listbuf, label.kind ? label.kind : fam->name, n);
	memcpy(f->listbuf + n, "-list", 5);
	f->listbuf[n + 5] = (char)('0' + cls);
	fields_set_str(f, K_LIST, f->listbuf, n + 6);
	return LIST_OK;
}
