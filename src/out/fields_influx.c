/* The InfluxDB line protocol writer of a fields record: one point per record, the meter's
 * identity and the list as tags, every value as a field (numbers exactly as JSON writes
 * them, text as quoted strings), and the capture time (or the meter clock) as the time. */
#include <string.h>
#include "base/rfc3339.h"
#include "cosem/obis.h"
#include "out/clean.h"
#include "out/fields_writer.h"

static struct influx_opt opt = { "hantools", 9, 0 };

/* The keys written as tags, in the sorted order InfluxDB stores fastest. */
static const int tag_keys[] = { K_LIST, K_METER_ID, K_MANUFACTURER };

void
fields_influx_setup(const struct influx_opt *o)
{
	opt = *o;
	if (!opt.measurement)
		opt.measurement = "hantools";
}

int
influx_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != '#' && s[n - 1] != '\\' && clean_ok(s, n);
}

/* A measurement, tag key, tag value or field key: characters the protocol cannot carry
 * (controls, broken UTF-8) become U+FFFD; a comma and a space (and in all but a measurement
 * an equals sign) are escaped with a backslash. A backslash stays as it is, unless it
 * would escape what follows (the end, or one of those characters): InfluxDB 1.x keeps
 * "\\" as two backslashes, so such a backslash cannot be written and becomes U+FFFD. */
static void
put_ident(struct output *o, const char *s, size_t n, int measurement)
{
	const char *special = measurement ? ", " : ",= ";

	for (size_t i = 0, k; i < n; i += k) {
		k = clean_char(s + i, n - i);
		if (k == 0) {
			out_str(o, CLEAN_REPLACEMENT);
			k = 1;
		} else if (s[i] == '\\' && (i + 1 == n || strchr(special, s[i + 1]))) {
			out_str(o, CLEAN_REPLACEMENT);
		} else {
			if (k == 1 && strchr(special, s[i]))
				out_char(o, '\\');
			out_write(o, s + i, k);
		}
	}
}

/* A string field value: cleaned, in double quotes, with '"' and '\' escaped. */
static void
put_string(struct output *o, const char *s, size_t n)
{
	out_char(o, '"');
	for (size_t i = 0, k; i < n; i += k) {
		k = clean_char(s + i, n - i);
		if (k == 0) {
			out_str(o, CLEAN_REPLACEMENT);
			k = 1;
			continue;
		}
		if (s[i] == '"' || s[i] == '\\')
			out_char(o, '\\');
		out_write(o, s + i, k);
	}
	out_char(o, '"');
}

static int
is_tag(int key)
{
	for (size_t i = 0; i < sizeof tag_keys / sizeof tag_keys[0]; i++)
		if (tag_keys[i] == key)
			return 1;
	return 0;
}

/* Whether fd is written as a field: everything but the time and the tags. */
static int
is_field(const struct field *fd)
{
	return fd->key == K_OBIS || fd->key == K_POS ||
	    (fd->key != K_RECEIVED && !is_tag(fd->key));
}

/* The fields in the order written: the -F columns, or the named keys in key order and
 * then the OBIS codes as they came. *i starts at 0; NULL after the last. */
static const struct field *
next_field(const struct fields *f, const struct columns *cols, size_t *i)
{
	const struct field *fd;

	if (cols->n) {
		while (*i < (size_t)cols->n)
			if ((fd = columns_find(f, &cols->c[(*i)++])) && is_field(fd))
				return fd;
		return NULL;
	}
	while (*i < K_NKEYS)
		if ((fd = fields_get(f, (int)(*i)++, NULL)) && is_field(fd))
			return fd;
	while (*i - K_NKEYS < f->n)
		if ((fd = &f->f[(*i)++ - K_NKEYS])->key == K_OBIS || fd->key == K_POS)
			return fd;
	return NULL;
}

static void
put_field(struct output *o, const struct field *fd)
{
	char buf[OBIS_TEXT_MAX];

	if (fd->key == K_OBIS || fd->key == K_POS)
		put_ident(o, buf, fields_obis_name(fd->key, fd->obis, buf), 0);
	else
		out_str(o, keytab[fd->key].name);
	out_char(o, '=');
	switch (fd->kind) {
	case F_NUM:
		fields_put_plain(o, fd);	/* a float field, written with its exact digits */
		break;
	case F_STR:
		put_string(o, fd->str, fd->slen);
		break;
	default:		/* hex bytes and clock times: their text, which needs no escape */
		out_char(o, '"');
		fields_put_plain(o, fd);
		out_char(o, '"');
		break;
	}
}

int
fields_influx_time(const struct fields *f, int meter_time, int64_t *ns)
{
	const struct field *fd = fields_get(f, K_DATETIME, NULL);

	if (meter_time && fd && fd->kind == F_TIME && fd->time.offset != CIVIL_NO_OFFSET) {
		const struct civil *c = &fd->time;
		int64_t ms = civil_ms(c->year, c->month, c->day, c->hour, c->min, c->sec) +
		    (c->hundredths > 0 ? c->hundredths * 10 : 0) - c->offset * 60000LL;
		*ns = ms * 1000000LL;
		return 1;
	}
	if (f->received.str && rfc3339_parse_ns(f->received.str, f->received.slen, ns) == 0)
		return 0;
	return -1;
}

void
fields_influx(struct output *o, const struct fields *f, const struct columns *cols)
{
	const struct field *fd;
	size_t it = 0;
	int64_t ns, div = 1;

	/* a point needs a field: a record with none is not written */
	if (!(fd = next_field(f, cols, &it)))
		return;
	put_ident(o, opt.measurement, strlen(opt.measurement), 1);
	for (size_t i = 0; i < sizeof tag_keys / sizeof tag_keys[0]; i++) {
		const struct field *t = fields_get(f, tag_keys[i], NULL);
		/* an empty tag value is not allowed: such a tag is left out */
		if (!t || (t->kind == F_STR && !t->slen))
			continue;
		out_char(o, ',');
		out_str(o, keytab[tag_keys[i]].name);
		out_char(o, '=');
		if (t->kind == F_STR)
			put_ident(o, t->str, t->slen, 0);
		else
			fields_put_plain(o, t);	/* a number or hex: nothing to escape */
	}
	out_char(o, ' ');
	put_field(o, fd);
	while ((fd = next_field(f, cols, &it))) {
		out_char(o, ',');
		put_field(o, fd);
	}
	if (fields_influx_time(f, opt.meter_time, &ns) >= 0) {
		for (int p = opt.prec; p < 9; p++)
			div *= 10;
		out_char(o, ' ');
		out_i64(o, civil_floordiv(ns, div));
	}
	out_char(o, '\n');
}
