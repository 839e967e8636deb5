/* Exact decimals: a value is (-1)^neg * mag * 10^exp, so a meter's scaled integer and a
 * P1 text value keep every digit they were sent with; no floating point anywhere. The one
 * place decimals are parsed, multiplied and written. */
#ifndef BASE_DEC_H
#define BASE_DEC_H
#include <stddef.h>
#include <stdint.h>

struct dec {
	uint64_t mag;
	int neg;
	int exp;
};

#define DEC_TEXT_MAX 48		/* dec_format() never writes more, NUL included */

/* v * 10^exp. */
struct dec dec_make(int64_t v, int exp);
struct dec dec_make_u(uint64_t v, int exp);
/* Shortest exact text ("0.57", "230", "-7.4"; "16e-93" past 20 zeros) into buf (>=
 * DEC_TEXT_MAX bytes); return the length. Zero is "0" whatever its scale or sign. */
size_t dec_format(const struct dec *d, char *buf);
/* Parse a decimal like "1.5", "-0.2" or "200": 0 ok, -1 not a number (or more digits
 * than 64 bits hold). */
int dec_parse(const char *s, struct dec *d);
/* Parse exactly n characters. */
int dec_parse_n(const char *s, size_t n, struct dec *d);
/* *a = *a * *b; -1 on overflow (a unchanged). */
int dec_mul(struct dec *a, const struct dec *b);

#endif
