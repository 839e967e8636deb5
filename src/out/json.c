/* JSON string escaping and integer writing; see json.h. */
#include <string.h>
#include "out/json.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	unsigned c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (c == 0xe0 && s[1] < 0xa0)
		return 0;	/* overlong */
	if (c == 0xed && s[1] >= 0xa0)
		return 0;	/* surrogate */
	if (c == 0xf0 && s[1] < 0x90)
		return 0;
	if (c == 0xf4 && s[1] >= 0x90)
		return 0;
	return k;
}

void
json_str(struct output *o, const char *s, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	out_char(o, '"');
	while (i < n) {
		unsigned c = u[i];
		size_t k;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			run++;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_len(u + i, n - i)) > 0) {
			run += k;
			i += k;
			continue;
		}
		out_write(o, u + i - run, run);
		run = 0;
		char e[6] = { '\\', 0 };
		size_t el = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hexd[c >> 4];
			e[5] = hexd[c & 15];
			el = 6;
		}
		out_write(o, e, el);
		i++;
	}
	out_write(o, u + i - run, run);
	out_char(o, '"');
}

void
json_hex(struct output *o, const void *p, size_t n)
{
	out_char(o, '"');
	out_hex(o, p, n);
	out_char(o, '"');
}
