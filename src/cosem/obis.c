/* OBIS codes (IEC 62056-6-1) as text: the dotted form the tree writers annotate with, and
 * the obis_A_B_C_D_E_F key under which a value with no name is kept. */
#include <string.h>
#include "cosem/obis.h"

/* The six values in decimal after prefix, with sep between them. */
static size_t
put_obis(char *buf, const uint8_t o[OBIS_LEN], const char *prefix, char sep)
{
	size_t pl = strlen(prefix);
	char *p = buf + pl;

	memcpy(buf, prefix, pl);
	for (int i = 0; i < OBIS_LEN; i++) {
		unsigned v = o[i];
		if (i)
			*p++ = sep;
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
obis_format(const uint8_t o[OBIS_LEN], char *buf)
{
	return put_obis(buf, o, "", '.');
}

size_t
obis_key_format(const uint8_t o[OBIS_LEN], char *buf)
{
	return put_obis(buf, o, "obis_", '_');
}

int
obis_key_parse(const char *s, size_t n, uint8_t o[OBIS_LEN])
{
	size_t i = 4;
	if (n < 15 || memcmp(s, "obis", 4) != 0)
		return -1;
	for (int k = 0; k < 6; k++) {
		unsigned v = 0;
		size_t d = 0;
		if (i >= n || s[i++] != '_')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9' && d < 3)
			v = v * 10 + (unsigned)(s[i++] - '0'), d++;
		if (!d || v > 255)
			return -1;
		o[k] = (uint8_t)v;
	}
	return i == n ? 0 : -1;
}
