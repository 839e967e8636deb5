/* Fuzz harness for what han-mqtt reads: a line as a flat JSON object (base/jsonflat.c)
 * and bytes from a broker cut into MQTT packets (out/mqtt.c). Every member must lie inside
 * the line, a string value must be quoted, and the packet reader must consume what it
 * says it did. The input's first byte chooses which. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonflat.h"
#include "out/mqtt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mqtt_rx rx;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jmember m[128];
	const char *s = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;
	int k, type, flags;
	unsigned arg;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		k = jsonflat_parse(s, n, m, 128);
		for (int i = 0; i < k; i++) {
			if (m[i].key < s || m[i].key + m[i].klen > s + n || m[i].val < s ||
			    m[i].val + m[i].vlen > s + n || m[i].vlen == 0)
				abort();
			if (m[i].str && (m[i].vlen < 2 || m[i].val[0] != '"' ||
			    m[i].val[m[i].vlen - 1] != '"'))
				abort();
		}
		return 0;
	}
	rx.len = 0;
	while (n) {
		size_t take = n < sizeof rx.buf - rx.len ? n : sizeof rx.buf - rx.len;
		int r;
		memcpy(rx.buf + rx.len, s, take);
		rx.len += take;
		s += take;
		n -= take;
		while ((r = mqtt_rx_next(&rx, &type, &flags, &arg)) == 1)
			if (type < 0 || type > 15 || flags < 0 || flags > 15 || rx.len > sizeof rx.buf)
				abort();
		if (r < 0 || (take == 0 && rx.len == sizeof rx.buf))
			break;
		if (rx.len == sizeof rx.buf)
			break;
	}
	return 0;
}
