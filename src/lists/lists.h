/* Meter lists to fields: lists_decode() takes a message from the receive path and fills a
 * fields record by the first meter family whose match accepts it. The families are rows of
 * a registry (families.def), each in a file of its own; see TEMPLATE for adding one. */
#ifndef LISTS_LISTS_H
#define LISTS_LISTS_H
#include "cosem/rx.h"
#include "fields/fields.h"

enum list_err {
	LIST_OK = 0,
	LIST_ERR_UNKNOWN,	/* no family recognises the list */
	LIST_ERR_EMPTY		/* recognised, but nothing in it to report */
};

enum list_err lists_decode(struct fields *f, const struct rx_msg *m, const struct fields_opt *o);
const char *lists_errname(enum list_err e);

/* The registry, for the tools' help and the tests: families in match order. */
struct list_family;
extern const struct list_family *const list_families[];
extern const int list_nfamilies;
const char *list_family_name(const struct list_family *fam);
const char *list_family_what(const struct list_family *fam);

#endif
