/* The typed record a meter list becomes: named keys (keytab.h) or OBIS codes with exact
 * decimal, text, byte or clock values, plus the record's metadata (when it was received).
 * Built by the meter lists (lists/), written by the writers (out/); nothing here prints. */
#ifndef FIELDS_FIELDS_H
#define FIELDS_FIELDS_H
#include <stddef.h>
#include <stdint.h>
#include "base/civil.h"
#include "base/dec.h"
#include "cosem/axdr.h"
#include "cosem/obis.h"
#include "fields/keytab.h"

enum fkind {
	F_NUM,			/* num */
	F_STR,			/* str, slen: text */
	F_HEX,			/* str, slen: bytes, written as hex */
	F_TIME			/* time */
};

struct field {
	uint8_t key;		/* enum fkey, K_OBIS or K_POS */
	uint8_t kind;		/* enum fkind */
	uint8_t obis[OBIS_LEN];	/* K_OBIS; K_POS: the place in the first two bytes */
	struct dec num;
	const char *str;	/* not NUL-terminated: points into the frame or a label */
	size_t slen;
	struct civil time;
};

/* A 2047-byte frame holds at most about 200 OBIS/value pairs, so a record of one frame
 * always fits; a longer message that does not is reported (fields.dropped). */
#define FIELDS_MAX 256

struct fields {
	size_t n;
	struct field f[FIELDS_MAX];
	size_t dropped;		/* values that did not fit */
	uint16_t at[K_NKEYS];	/* 1 + the index of each named key's field, 0 if absent */
	struct field received;	/* metadata: when the record was received (F_STR) */
	char listbuf[32];	/* the list kind's text */
	char unitbuf[4][16];	/* M-Bus channels' unit texts from a scaler_unit (lists) */
	/* what a meter list could not say (lists_decode; the tool reports it, once per
	 * layout): values under no key, and keys left out because no scale is known */
	uint32_t layout;	/* a hash of the list's family and element types and codes */
	size_t unmapped;
	size_t nunscaled;
	uint8_t unscaled[16];
};

struct fields_opt {
	struct dec ct;		/* current-transformer ratio applied to KF_CT keys (mag 0: none) */
	int kamstrup_wh;	/* Kamstrup energies: 0 auto, 1 Wh, 10 10 Wh */
	int keep_unknown;	/* keep OBIS codes without a name */
	int p1_zone;		/* P1 clocks: a zone is given (-z), do not take CET from W/S */
};

void fields_reset(struct fields *f);
/* The field for key (or for the OBIS code when key is K_OBIS): the one already there (a
 * later value replaces an earlier one), or a new one; NULL when the record is full (then
 * counted in f->dropped). */
struct field *fields_add(struct fields *f, int key, const uint8_t *obis);
/* The field of a key (K_RECEIVED is the metadata), or of an OBIS code; NULL if absent. */
const struct field *fields_get(const struct fields *f, int key, const uint8_t *obis);
void fields_set_str(struct fields *f, int key, const char *s, size_t n);

/* Node i of t under key (or obis when key is K_OBIS): an integer as num * 10^exp10
 * (times the CT ratio for KF_CT keys), a string as text (NUL padding dropped) or, when not
 * printable, as bytes; a COSEM clock under K_DATETIME as a time. Containers and null-data
 * give nothing. */
void fields_put_node(struct fields *f, int key, const uint8_t *obis, const struct axdr_tree *t,
    size_t i, int exp10, const struct fields_opt *o);
/* Node i of t as the element at place pos (1 for the list's first element) of a positional
 * list, under K_POS (the key element_<pos>): kept as K_OBIS values are (not with
 * keep_unknown 0). */
void fields_put_pos(struct fields *f, unsigned pos, const struct axdr_tree *t, size_t i,
    const struct fields_opt *o);
/* A COSEM clock (12 bytes) as meter_datetime, hundredths of 0 left out as amshan writes
 * them. 0 set, -1 not a clock a time can be written from. */
int fields_set_clock(struct fields *f, const uint8_t b[12]);

#endif
