/* Cleaning meter text for the text outputs; see clean.h. */
#include "base/text.h"
#include "out/clean.h"

static const char replacement[] = CLEAN_REPLACEMENT;

/* Bytes of the clean character at s (0: it must be replaced, taking one byte). */
static size_t
clean_len(const unsigned char *s, size_t n)
{
	size_t k;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if ((k = utf8_seq_len(s, n)) == 0)
		return 0;
	/* C1 controls, U+0080 to U+009F: C2 80 .. C2 9F */
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return k;
}

size_t
clean_char(const char *s, size_t n)
{
	return clean_len((const unsigned char *)s, n);
}

int
clean_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k)
		if ((k = clean_len(u + i, n - i)) == 0)
			return 0;
	return 1;
}

void
clean_put(struct output *o, const char *s, size_t n, char quote)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, k;

	while (i < n) {
		k = clean_len(u + i, n - i);
		if (k && !(quote && u[i] == (unsigned char)quote)) {
			run += k;
			i += k;
			continue;
		}
		out_write(o, s + i - run, run);
		run = 0;
		if (k) {
			out_char(o, quote);	/* a quote is doubled */
			out_char(o, quote);
			i++;
		} else {
			out_write(o, replacement, 3);
			i++;
		}
	}
	out_write(o, s + i - run, run);
}
