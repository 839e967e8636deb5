/* Text from a meter, made safe for the text outputs people open in other programs (CSV,
 * InfluxDB line protocol; MQTT later): invalid UTF-8 and control characters (C0, DEL, C1, NUL)
 * become U+FFFD, so no escape sequence, bell or NUL reaches a terminal or a file, and the
 * output is valid UTF-8. JSON escapes controls instead (out/json.c) and replaces invalid
 * UTF-8 the same way. */
#ifndef OUT_CLEAN_H
#define OUT_CLEAN_H
#include <stddef.h>
#include "base/io.h"

/* Bytes of the character at s (n > 0) when it may stay, 0 when it must be replaced (by
 * CLEAN_REPLACEMENT, taking one byte): for writers with escapes of their own. */
size_t clean_char(const char *s, size_t n);
#define CLEAN_REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD in UTF-8 */
/* Whether s[0..n) needs no cleaning. */
int clean_ok(const char *s, size_t n);
/* s[0..n) cleaned; quote characters (if quote is not 0) doubled, as CSV wants. */
void clean_put(struct output *o, const char *s, size_t n, char quote);

#endif
