/* P1 telegram objects to fields: each data line "A-B:C.D.E(value*unit)" becomes a named key
 * (the same keys and units as the DLMS lists, converted exactly: 1.011 kW is 1011 W) or,
 * without a name, an obis_ key holding the text between the parentheses as sent. */
#ifndef FIELDS_P1_H
#define FIELDS_P1_H
#include <stddef.h>
#include "base/fail.h"
#include "fields/fields.h"

/* Told about a line that could not be taken as its code asks (a unit that does not fit,
 * a value that is not a number); the line is still kept, under its obis_ key. */
typedef void p1_warn_fn(void *ctx, enum fail why, const char *detail);

/* Fill f from the telegram text[0..n) ("/" through the "!" line; lines end LF or CR LF).
 * Returns the number of fields. Strings in f point into text. */
size_t p1_fields(struct fields *f, const char *text, size_t n, const struct fields_opt *o,
    p1_warn_fn *warn, void *ctx);

#endif
