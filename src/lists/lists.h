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

/* What lists_decode() remembers from one record to the next: the object lists (capture-
 * object descriptors) of the last self-describing pushes, so that a push that sends its
 * values without them (a push setup configured to send the object list only now and then)
 * is named by the descriptors its meter sent last. Bounded: LISTS_MEMO object lists of at
 * most LISTS_MEMO_BYTES, the least recently used given up first. An entry is taken only
 * for values of the same count and types, from the same system title (a ciphered stream),
 * and with the same logical device name or meter number where the object list has one. */
#define LISTS_MEMO 8
#define LISTS_MEMO_BYTES 2048
#define LISTS_MEMO_VALS 128
#define LISTS_MEMO_ID 32
struct lists_memo {
	uint32_t used;			/* 0: free; else when last stored or taken */
	uint8_t titled;			/* from a ciphered APDU: systitle holds its title */
	uint8_t systitle[SYSTITLE_LEN];
	uint16_t nvals;			/* values after the object list */
	uint16_t alen;			/* bytes of the object list's encoding in arr */
	uint16_t idpos;			/* the value that names the meter, or LISTS_MEMO_VALS */
	uint8_t idlen;
	uint8_t id[LISTS_MEMO_ID];
	uint8_t tags[LISTS_MEMO_VALS];	/* each value's A-XDR type */
	uint8_t arr[LISTS_MEMO_BYTES];
};
struct lists_state {
	uint32_t tick;
	unsigned nmemo;			/* entries in use: none, nothing to look through */
	struct lists_memo memo[LISTS_MEMO];
	uint8_t buf[4 + LISTS_MEMO_BYTES + RX_PLAIN_MAX];	/* a push put back together */
	struct axdr_tree t;
};

/* Map a message's list into f. st: what is remembered between records (lists_state_init),
 * or NULL for nothing. */
enum list_err lists_decode(struct fields *f, const struct rx_msg *m, const struct fields_opt *o,
    struct lists_state *st);
void lists_state_init(struct lists_state *st);
const char *lists_errname(enum list_err e);
/* For an unknown list: a hint at why (the values of a push without its object list), or
 * NULL. */
const char *lists_unknown_hint(const struct axdr_tree *t);

/* The registry, for the tools' help and the tests: families in match order. */
struct list_family;
extern const struct list_family *const list_families[];
extern const int list_nfamilies;
const char *list_family_name(const struct list_family *fam);
const char *list_family_what(const struct list_family *fam);

#endif
