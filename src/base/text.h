/* Decimal integer text written into a caller's buffer, without stdio. */
#ifndef BASE_TEXT_H
#define BASE_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* Write v in decimal into buf (>= 21 bytes, NUL-terminated); return the length. */
size_t fmt_i64(char *buf, int64_t v);
size_t fmt_u64(char *buf, uint64_t v);

/* Length of the valid multi-byte UTF-8 sequence at s (at most n bytes), 0 if there is
 * none (ASCII bytes are not counted: the caller handles them). */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif
