/* JSON string escaping and integer writing; see json.h. */
#include <string.h>
#include "base/text.h"
#include "out/json.h"

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
		if (c >= 0x80 && (k = utf8_seq_len(u + i, n - i)) > 0) {
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
			if (c >= 0x80) {
				/* not UTF-8: the replacement character, as in every text output */
				out_write(o, "\\ufffd", 6);
				i++;
				continue;
			}
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
