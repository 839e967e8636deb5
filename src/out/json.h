/* JSON text pieces written onto an output buffer: strings escaped per RFC 8259 (every
 * control character, quote and backslash; bytes >= 0x80 passed through when they form valid
 * UTF-8, otherwise written as U+FFFD, so the output is always valid UTF-8). */
#ifndef OUT_JSON_H
#define OUT_JSON_H
#include <stddef.h>
#include <stdint.h>
#include "base/io.h"

/* "s" with quotes. */
void json_str(struct output *o, const char *s, size_t n);
/* Bytes as a quoted string of hex digits. */
void json_hex(struct output *o, const void *p, size_t n);

#endif
