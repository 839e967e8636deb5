/* Exact decimals; see dec.h. */
#include <string.h>
#include "base/dec.h"

struct dec
dec_make(int64_t v, int exp)
{
	struct dec d;

	d.neg = v < 0;
	d.mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	d.exp = exp;
	return d;
}

struct dec
dec_make_u(uint64_t v, int exp)
{
	struct dec d = { v, 0, exp };

	return d;
}

#define DEC_PLAIN_ZEROS 20	/* more zeros than this before or after the digits: 16e-93 */

size_t
dec_format(const struct dec *d, char *buf)
{
	char dig[24];
	int nd = 0, exp = d->exp;
	uint64_t m = d->mag;
	char *p = buf;

	/* drop trailing zeros of a fraction: 5700 * 10^-4 is 0.57 */
	while (m && exp < 0 && m % 10 == 0)
		m /= 10, exp++;
	if (m == 0)
		exp = 0;	/* zero is 0, whatever its scale */
	do
		dig[nd++] = (char)('0' + m % 10);
	while ((m /= 10) != 0);
	if (d->neg && !(nd == 1 && dig[0] == '0'))
		*p++ = '-';
	if (exp > DEC_PLAIN_ZEROS || -exp - nd > DEC_PLAIN_ZEROS) {
		/* a scale no real meter sends: digits and an exponent, still exact */
		for (int i = nd - 1; i >= 0; i--)
			*p++ = dig[i];
		char ed[12];
		int ne = 0;
		unsigned ue = exp < 0 ? (unsigned)-(long)exp : (unsigned)exp;
		*p++ = 'e';
		if (exp < 0)
			*p++ = '-';
		do
			ed[ne++] = (char)('0' + ue % 10);
		while ((ue /= 10) != 0);
		while (ne)
			*p++ = ed[--ne];
	} else if (exp >= 0) {
		for (int i = nd - 1; i >= 0; i--)
			*p++ = dig[i];
		if (!(nd == 1 && dig[0] == '0'))
			for (int i = 0; i < exp; i++)
				*p++ = '0';
	} else {
		int frac = -exp;
		if (frac >= nd) {
			*p++ = '0';
			*p++ = '.';
			for (int i = 0; i < frac - nd; i++)
				*p++ = '0';
			for (int i = nd - 1; i >= 0; i--)
				*p++ = dig[i];
		} else {
			for (int i = nd - 1; i >= 0; i--) {
				*p++ = dig[i];
				if (i == frac)
					*p++ = '.';
			}
		}
	}
	*p = '\0';
	return (size_t)(p - buf);
}

int
dec_parse_n(const char *s, size_t n, struct dec *d)
{
	int seen = 0, dot = 0;
	size_t i = 0;

	d->mag = 0;
	d->neg = 0;
	d->exp = 0;
	if (n && s[0] == '-')
		d->neg = 1, i = 1;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || d->mag > (UINT64_MAX - 9) / 10 || d->exp < -18)
			return -1;
		d->mag = d->mag * 10 + (uint64_t)(s[i] - '0');
		seen = 1;
		if (dot)
			d->exp--;
	}
	return seen ? 0 : -1;
}

int
dec_parse(const char *s, struct dec *d)
{
	return dec_parse_n(s, strlen(s), d);
}

int
dec_mul(struct dec *a, const struct dec *b)
{
	uint64_t m;

	if (__builtin_mul_overflow(a->mag, b->mag, &m))
		return -1;
	a->mag = m;
	a->neg ^= b->neg;
	a->exp += b->exp;
	return 0;
}
