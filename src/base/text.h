/* Decimal integer text written into a caller's buffer, without stdio. */
#ifndef BASE_TEXT_H
#define BASE_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* Write v in decimal into buf (>= 21 bytes, NUL-terminated); return the length. */
size_t fmt_i64(char *buf, int64_t v);
size_t fmt_u64(char *buf, uint64_t v);

#endif
