/* Integer printers: the one place decimal integers are written (JSON, TLV, CSV, messages
 * built in buffers). */
#include "base/text.h"

size_t
fmt_u64(char *buf, uint64_t v)
{
	char t[24];
	size_t n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	buf[n] = '\0';
	return n;
}

size_t
fmt_i64(char *buf, int64_t v)
{
	if (v < 0) {
		buf[0] = '-';
		return 1 + fmt_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
	}
	return fmt_u64(buf, (uint64_t)v);
}
