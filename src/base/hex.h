/* Hex text <-> bytes. Encoding is lowercase and table-driven (it is on every tool's hot
 * path); decoding accepts either case. */
#ifndef HEX_H
#define HEX_H
#include <stddef.h>
#include <stdint.h>

/* Write 2*n lowercase hex digits to dst (no NUL); return the end. */
char *hex_encode(char *dst, const uint8_t *src, size_t n);

/* Value of one hex digit, or -1. */
int hex_digit(int c);

/* Decode exactly len hex digits (len even) into dst (cap bytes).
 * Return the byte count, or -1 on a non-hex character, odd length or overflow;
 * *bad gets the index of the first offending character when not NULL. */
long hex_decode(uint8_t *dst, size_t cap, const char *src, size_t len, size_t *bad);

#endif
