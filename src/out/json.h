/* JSON text pieces written onto an output buffer: strings escaped per RFC 8259 (every
 * control character, quote and backslash; bytes >= 0x80 passed through when they form valid
 * UTF-8, otherwise written as \u00XX of the byte so the output stays valid UTF-8). */
#ifndef JSON_H
#define JSON_H
#include <stddef.h>
#include <stdint.h>
#include "base/io.h"

/* "s" with quotes. */
void json_str(struct output *o, const char *s, size_t n);
/* Decimal integers. */
void json_i64(struct output *o, int64_t v);
void json_u64(struct output *o, uint64_t v);

#endif
