/* Element annotations shared by the two tree writers; see view.h. */
#include "cosem/dlmstime.h"
#include "cosem/units.h"
#include "rec/view.h"

enum view_kind
view_of(const struct axdr_tree *t, size_t i)
{
	const struct axdr_node *nd = axdr_at(t, i);

	if (nd->tag != AXDR_OCTET_STRING)
		return VIEW_PLAIN;
	if (nd->vlen == 6)
		return VIEW_OBIS;
	if (nd->vlen == DLMSTIME_LEN && dlmstime_is_clock(axdr_value(t, i)))
		return VIEW_CLOCK;
	return VIEW_PLAIN;
}

void
view_time(const uint8_t b[12], struct view_time *vt)
{
	struct dlmstime t;

	vt->plausible = dlmstime_parse(b, &t) == 0;
	vt->len = dlmstime_format(&t, vt->text, sizeof vt->text);
	vt->deviation = t.deviation;
	vt->status = t.status;
	vt->dst = t.dst;
}

const char *
view_unit_after_scaler(const struct axdr_tree *t, size_t i)
{
	const struct axdr_node *nd = axdr_at(t, i);

	if (nd->tag != AXDR_ENUM || i == 0 || t->node[i - 1].tag != AXDR_INTEGER ||
	    nd->depth != t->node[i - 1].depth)
		return NULL;
	return unit_name((unsigned)nd->v.u);
}

const char *
view_unit_name(unsigned code)
{
	const char *u = unit_name(code);

	return u ? u : "unknown";
}
