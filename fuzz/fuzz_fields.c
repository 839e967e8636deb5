/* Fuzz harness for the meter-list decoder (lists/, fields/) and ams-fields' writers
 * (out/fields_*.c), behind the receive path as ams-fields runs them.
 * The first input byte picks the options, the rest is an APDU (bit 4 clear) or a bare
 * notification body (bit 4 set):
 *   bit 0 keep unknown OBIS codes; bits 1-2 Kamstrup energy unit auto / Wh / 10 Wh;
 *   bit 3 a CT ratio (1.5, or 99999000 with bit 5: the exact multiplications must not
 *   overflow into wrong digits silently); bit 6: the next two bytes (big-endian) are the
 *   length of a first payload that is decoded before the rest, so that a push's object
 *   list it holds is remembered for a values-only push after it; bit 7 unused.
 * Checked on every input that decodes to a tree:
 *  - lists_decode() keeps every value of a one-frame record (nothing dropped), every key
 *    is known or K_OBIS, a key left out for want of a scale is a key and not in the record, every string lies inside the frame or the record's own buffers
 *    (the manufacturer is the family's label), a time is in range;
 *  - every number formats to a JSON number of exactly its value (read back independently);
 *  - the JSON writer prints one line: an object with balanced quotes and braces and no raw
 *    control characters; the CSV writer prints one line with exactly one cell per column;
 *  - decoding twice gives the same output.
 * A violation calls abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/rx.h"
#include "base/io.h"
#include "base/text.h"
#include "fields/fields.h"
#include "lists/lists.h"
#include "out/fields_writer.h"

static struct rx rx;
static struct lists_state lst;
static struct fields flds;
static struct output out;
static struct columns all_cols, no_cols;	/* no_cols: every field, as JSON does */
static char first[OUT_BUFSZ];

static void
fail(const char *why)
{
	fprintf(stderr, "fuzz_fields: %s\n", why);
	abort();
}

static void
check_json(const char *s, size_t n)
{
	int in_str = 0, depth = 0;

	if (n < 3 || s[0] != '{' || s[n - 1] != '\n' || s[n - 2] != '}')
		fail("JSON record is not an object on one line");
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			fail("raw control character in JSON");
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth < 0)
			fail("JSON brackets unbalanced");
	}
	if (in_str || depth != 0)
		fail("JSON string or object left open");
}

static void
check_csv(const char *s, size_t n, int ncols)
{
	int in_q = 0, cells = 1;

	if (n == 0 || s[n - 1] != '\n')
		fail("CSV row does not end its line");
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '"')
			in_q = !in_q;	/* "" inside quotes toggles twice */
		else if (!in_q && s[i] == ',')
			cells++;
		else if (!in_q && (s[i] == '\n' || s[i] == '\r'))
			fail("CSV row broken over lines");
	}
	if (in_q)
		fail("CSV quote left open");
	if (cells != ncols)
		fail("CSV row has another number of cells than columns");
	/* valid UTF-8, no control character, no cell that starts a formula (a cell starts
	 * after a comma outside quotes, or after its opening quote: ",@" inside a quoted
	 * cell is text) */
	in_q = 0;
	for (size_t i = 0, k, cell = 0; i + 1 < n; i += k) {
		unsigned char c = (unsigned char)s[i];
		k = 1;
		if (c < 0x20 || c == 0x7f)
			fail("control character in CSV");
		if (c >= 0x80 && (k = utf8_seq_len((const unsigned char *)s + i, n - 1 - i)) == 0)
			fail("CSV is not UTF-8");
		if (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)
			fail("C1 control in CSV");
		if ((i == cell || (i == cell + 1 && s[cell] == '"')) &&
		    (c == '=' || c == '+' || c == '@'))
			fail("a CSV cell starts a formula");
		if (c == '"')
			in_q = !in_q;
		else if (c == ',' && !in_q)
			cell = i + 1;
	}
}

/* An InfluxDB point: one line of valid UTF-8 without control characters, three parts
 * (measurement and tags, fields, time) or two (no time) split by the spaces that are
 * neither escaped nor in a string, and no string left open; or nothing at all. */
static void
check_influx(const char *s, size_t n)
{
	int in_q = 0, parts = 1;

	if (n == 0)
		return;
	if (s[n - 1] != '\n')
		fail("influx point does not end its line");
	for (size_t i = 0, k; i + 1 < n; i += k) {
		unsigned char c = (unsigned char)s[i];
		k = 1;
		if (c < 0x20 || c == 0x7f)
			fail("control character in an influx point");
		if (c >= 0x80 && (k = utf8_seq_len((const unsigned char *)s + i, n - 1 - i)) == 0)
			fail("influx point is not UTF-8");
		if (c == '\\' && i + 2 < n && s[i + 1] && strchr("\"\\ ,=", s[i + 1]))
			k = 2;	/* an escape, or a backslash kept before one */
		else if (c == '"' && parts == 2)
			in_q = !in_q;	/* quotes are literal in tags */
		else if (c == ' ' && !in_q)
			parts++;
	}
	if (in_q)
		fail("influx string left open");
	if (parts != 2 && parts != 3)
		fail("influx point not in two or three parts");
}

/* Normalise mantissa digits and exponent: no leading zeros, no trailing zeros (moved into
 * the exponent); zero is "0" with exponent 0. */
static void
normalise(char *dig, long *exp)
{
	size_t n, lead = strspn(dig, "0");

	memmove(dig, dig + lead, strlen(dig + lead) + 1);
	n = strlen(dig);
	while (n && dig[n - 1] == '0') {
		dig[--n] = '\0';
		(*exp)++;
	}
	if (!n) {
		strcpy(dig, "0");
		*exp = 0;
	}
}

/* dec_format() must print a JSON number (no leading zeros, a digit after a point, an
 * optional exponent) of exactly the value, read back here without dec_parse(). */
static void
check_number(const struct dec *d)
{
	char buf[64], want[32], got[64];
	size_t len = dec_format(d, buf), i = 0, g = 0;
	long wexp = d->exp, gexp = 0;
	int neg = 0;

	if (len >= 48 || strlen(buf) != len)
		fail("number text too long or not ended");
	if (buf[i] == '-')
		neg = 1, i++;
	if (buf[i] < '0' || buf[i] > '9' || (buf[i] == '0' && buf[i + 1] >= '0' && buf[i + 1] <= '9'))
		fail("number does not start with one digit, or has a leading zero");
	while (buf[i] >= '0' && buf[i] <= '9')
		got[g++] = buf[i++];
	if (buf[i] == '.') {
		i++;
		if (buf[i] < '0' || buf[i] > '9')
			fail("no digit after the point");
		while (buf[i] >= '0' && buf[i] <= '9')
			got[g++] = buf[i++], gexp--;
	}
	if (buf[i] == 'e' || buf[i] == 'E') {
		char *end;
		long e = strtol(buf + i + 1, &end, 10);
		if (end == buf + i + 1)
			fail("exponent without digits");
		gexp += e;
		i = (size_t)(end - buf);
	}
	if (buf[i] != '\0')
		fail("junk after the number");
	got[g] = '\0';
	snprintf(want, sizeof want, "%llu", (unsigned long long)d->mag);
	normalise(want, &wexp);
	normalise(got, &gexp);
	if (strcmp(want, got) != 0 || wexp != gexp) {
		fprintf(stderr, "fuzz_fields: \"%s\" for %s%llu * 10^%d\n", buf, d->neg ? "-" : "",
		    (unsigned long long)d->mag, d->exp);
		fail("a number's text is not its value");
	}
	if (neg != (d->neg && d->mag != 0))
		fail("a number's sign is wrong (or zero is negative)");
}

static void
check_fields(const uint8_t *p, size_t n)
{
	if (flds.dropped)
		fail("a one-frame record dropped values");
	/* what the list could not give: keys that exist and are not in the record */
	if (flds.nunscaled > sizeof flds.unscaled)
		fail("more unscaled keys than the record holds");
	for (size_t i = 0; i < flds.nunscaled; i++)
		if (flds.unscaled[i] >= K_NKEYS || fields_get(&flds, flds.unscaled[i], NULL))
			fail("an unscaled key is not a key, or is in the record all the same");
	if ((flds.unmapped || flds.nunscaled) && !flds.layout)
		fail("values not given, but no layout to say them once for");
	for (size_t i = 0; i < flds.n; i++) {
		const struct field *f = &flds.f[i];
		if (f->key >= K_NKEYS && f->key != K_OBIS && f->key != K_POS)
			fail("unknown key");
		if (f->kind == F_STR) {
			const char *s = f->str;
			int in_frame = (const uint8_t *)s >= p && (const uint8_t *)s + f->slen <= p + n;
			int in_own = ((const char *)s >= (const char *)&flds &&
			    s + f->slen <= (const char *)(&flds + 1)) ||
			    ((const uint8_t *)s >= lst.buf && (const uint8_t *)s + f->slen <=
			    lst.buf + sizeof lst.buf);
			if (f->key == K_MANUFACTURER) {	/* the family's own label */
				if (strlen(s) != f->slen)
					fail("manufacturer label length");
			} else if (f->slen && !in_frame && !in_own) {
				fail("string outside the frame and the record");
			}
		} else if (f->kind == F_NUM) {
			check_number(&f->num);
		} else if (f->kind == F_TIME) {
			const struct civil *t = &f->time;
			if (t->year < 0 || t->year > 9999 || t->month < 1 || t->month > 12 ||
			    t->day < 1 || t->day > 31 || t->hour > 23 || t->min > 59 ||
			    t->sec > 59 || t->hundredths > 99)
				fail("a time out of range");
		} else if (f->kind == F_HEX) {
			const uint8_t *h = (const uint8_t *)f->str;
			if ((h < p || h + f->slen > p + n) &&
			    (h < lst.buf || h + f->slen > lst.buf + sizeof lst.buf))
				fail("bytes outside the frame (and the push put back together)");
		} else {
			fail("unknown field kind");
		}
	}
}

/* Decode and write; the text goes to text (JSON, CSV, then line protocol). 0 if not a recognised list. */
static size_t
decode(const uint8_t *p, size_t n, int bare, const struct fields_opt *o, char *text)
{
	struct rx_msg m;
	size_t jl;

	if (rx_payload(&rx, p, n, bare ? RX_BODY : 0, &m) != RX_MESSAGE || !m.tree)
		return 0;
	if (lists_decode(&flds, &m, o, &lst) != LIST_OK)
		return 0;
	check_fields(p, n);
	out_init(&out, -1);
	fields_json(&out, &flds, &no_cols);
	jl = out.len;
	check_json(out.buf, jl);
	fields_csv(&out, &flds, &all_cols);
	check_csv(out.buf + jl, out.len - jl, all_cols.n);
	jl = out.len;
	fields_influx(&out, &flds, &no_cols);
	check_influx(out.buf + jl, out.len - jl);
	if (out.err)
		fail("a record overflowed the output buffer");
	memcpy(text, out.buf, out.len);
	return out.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char second[OUT_BUFSZ];
	struct fields_opt o;
	const char *bad;
	size_t n1, n2;
	int bare;

	if (size < 1)
		return 0;
	if (!all_cols.n) {
		static char spec[4096];
		size_t k = 0;
		for (int i = 0; i < K_NKEYS; i++)
			k += (size_t)snprintf(spec + k, sizeof spec - k, "%s,", keytab[i].name);
		snprintf(spec + k, sizeof spec - k, "obis_1_0_99_7_0_255");
		if (columns_parse(&all_cols, spec, &bad) != 0)
			fail("the harness's own column list does not parse");
	}
	memset(&o, 0, sizeof o);
	o.keep_unknown = data[0] & 1;
	o.kamstrup_wh = ((data[0] >> 1) & 3) == 1 ? 1 : ((data[0] >> 1) & 3) == 2 ? 10 : 0;
	if (data[0] & 8) {
		o.ct.mag = data[0] & 32 ? 99999 : 15;
		o.ct.exp = data[0] & 32 ? 3 : -1;
	}
	bare = data[0] & 16;
	lists_state_init(&lst);
	if (data[0] & 64) {
		size_t l;
		if (size < 3)
			return 0;
		l = (size_t)data[1] << 8 | data[2];
		if (l > size - 3)
			l = size - 3;
		decode(data + 3, l, bare, &o, first);
		data += 2 + l, size -= 2 + l;
	}
	n1 = decode(data + 1, size - 1, bare, &o, first);
	n2 = decode(data + 1, size - 1, bare, &o, second);
	if (n1 != n2 || memcmp(first, second, n1) != 0)
		fail("decoding twice gives different output");
	return 0;
}
