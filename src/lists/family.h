/* What a meter family file provides (one row of families.def) and the helpers the family
 * files share: the mapping context, scaling conventions as rows, and the walker of
 * OBIS/value pairs. Only lists/ includes this. */
#ifndef LISTS_FAMILY_H
#define LISTS_FAMILY_H
#include <stddef.h>
#include <stdint.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "fields/fields.h"

struct list_ctx {
	struct fields *f;
	const struct axdr_tree *t;
	const struct apdu *a;		/* the APDU header; NULL for a bare body */
	const struct fields_opt *o;
	int have_dt;			/* meter_datetime is set: DT_HEADER, DT_LIST */
};

/* How sure a match is, which decides who is asked first: a family recognised by a string
 * that names it, before one recognised by its shape, before one chosen by element count
 * alone (Kaifa's positional lists, whose one-element list is any single integer). Within a
 * level the registry's order holds. */
enum list_prio { LIST_BY_NAME, LIST_BY_SHAPE, LIST_BY_COUNT, LIST_NPRIO };

/* The manufacturer label and the list kind's prefix that a family says a list has, from
 * evidence in the frame. */
struct list_label {
	const char *manufacturer;	/* meter_manufacturer, or NULL: not set */
	const char *kind;		/* the "list" prefix: "aidon" gives "aidon-list2" */
};

struct list_family {
	const char *name;
	const char *what;		/* one line, as the man page lists it */
	enum list_prio prio;
	int (*match)(const struct axdr_tree *t);
	/* Fill c->f; return the label (a family's default: its name as the kind). */
	struct list_label (*map)(struct list_ctx *c);
};

/* A value under a key (K_OBIS: under its OBIS code) with a scaler. meter_datetime: the
 * first clock in the list, else the APDU header's: the list's clock is the meter's capture
 * time (the corpus's L+G pushes send a header a second or two before it, the dlms-cosem-rs
 * list the same time with another deviation), the header the notification's; but a header
 * of the same second that states the deviation the list clock does not stays. */
#define DT_HEADER 1
#define DT_LIST 2
void list_put(struct list_ctx *c, int key, const uint8_t *obis, size_t i, int exp10);

/* A value whose scale is not known: counted for the unknown-scale notice, not put. */
void list_unscaled(struct list_ctx *c, int key);

/* An element no row names, at place pos of a positional list (1: the first element), under
 * the key element_<pos>, so that nothing the meter sent is lost. */
void list_put_pos(struct list_ctx *c, unsigned pos, size_t i);

/* A maker's fixed scaling for lists that send no {scaler, unit}: rows of quantity and
 * exponent, the first that applies wins. A row may apply only when the meter type has a
 * text at an offset; a row marked CONV_KAMSTRUP_WH follows -K when it is given. */
#define CONV_KAMSTRUP_WH 1
/* an exponent that says the scale is not known: the value is left out and named in the
 * record's unscaled keys (the unknown-scale notice), never written off by a power of ten */
#define CONV_UNKNOWN (-128)
struct conv_row {
	enum quantity q;
	signed char exp10;
	unsigned char flags;
	unsigned char type_at;		/* with type: offset in meter_type */
	const char *type;		/* NULL: always */
};
struct convention {
	const char *name;
	struct conv_row row[8];
};
extern const struct convention conv_none, conv_kaifa, conv_kamstrup, conv_iskra;
/* The exponent a convention gives a key (0 when no row applies; CONV_UNKNOWN). */
int conv_exp(const struct list_ctx *c, const struct convention *cv, int key);

/* One structure (or array) of OBIS/value pairs, perhaps after a list id, with null-data
 * padding; a pair may be followed by its {scaler, unit}, or be an {OBIS, value[, {scaler,
 * unit}]} structure of its own; the frame's scaler wins over the convention. Ids first, so
 * a convention may depend on the meter type. */
void list_walk_pairs(struct list_ctx *c, const struct convention *cv);

/* Tree tests the families share. */
int list_is_obis(const struct axdr_tree *t, size_t i);
/* An OBIS code of a push setup's logical name, 0.x.25.9.0.255. */
int list_is_push_name(const struct axdr_tree *t, size_t i);
/* A visible- or octet-string that starts with prefix. */
int list_is_string(const struct axdr_tree *t, size_t i, const char *prefix);
/* The text of a string field already set, and its length; NULL if none. */
const char *list_str(const struct list_ctx *c, int key, size_t *len);
/* An OBIS code's key, K_OBIS when it has no name. */
int list_obis_key(const uint8_t *obis);

/* The self-describing pushes' memory (lists/push.c; struct lists_state in lists.h): keep
 * the object list of a push the push family mapped; and for a list no family takes, the
 * whole push put back together from a remembered object list and its values (a tree in
 * st), or NULL. */
struct lists_state;
struct rx_msg;
extern const struct list_family list_push;
void push_remember(struct lists_state *st, const struct rx_msg *m);
const struct axdr_tree *push_recall(struct lists_state *st, const struct rx_msg *m);

#endif
