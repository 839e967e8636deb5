/* Flat JSON objects; see jsonflat.h. */
#include <string.h>
#include "base/jsonflat.h"

static size_t
ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* The end of the string starting at s[i] == '"' (one past its closing quote), 0 if none;
 * *esc set when it holds an escape. */
static size_t
string_end(const char *s, size_t n, size_t i, int *esc)
{
	*esc = 0;
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			*esc = 1;
			if (++i >= n)
				return 0;
		} else if (c == '"') {
			return i + 1;
		}
	}
	return 0;
}

int
jsonflat_parse(const char *s, size_t n, struct jmember *m, int max)
{
	size_t i = ws(s, n, 0), e;
	int k = 0, esc;

	if (i >= n || s[i] != '{')
		return -1;
	i = ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return ws(s, n, i + 1) == n ? 0 : -1;
	for (;;) {
		if (k >= max || i >= n || s[i] != '"' || !(e = string_end(s, n, i, &esc)) || esc)
			return -1;
		m[k].key = s + i + 1;
		m[k].klen = e - i - 2;
		i = ws(s, n, e);
		if (i >= n || s[i] != ':')
			return -1;
		i = ws(s, n, i + 1);
		if (i >= n)
			return -1;
		m[k].val = s + i;
		m[k].str = s[i] == '"';
		if (m[k].str) {
			if (!(e = string_end(s, n, i, &esc)))
				return -1;
		} else {
			for (e = i; e < n && s[e] && strchr("-+.0123456789eEtruefalsn", s[e]); e++)
				;
			if (e == i)
				return -1;
		}
		m[k].vlen = e - i;
		k++;
		i = ws(s, n, e);
		if (i < n && s[i] == ',') {
			i = ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}')
			return ws(s, n, i + 1) == n ? k : -1;
		return -1;
	}
}
