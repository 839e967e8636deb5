/* The table of fields writers and the column list they share; see fields_writer.h. */
#include <string.h>
#include "cosem/obis.h"
#include "out/fields_writer.h"

const struct fields_writer fields_writers[] = {
	{ "json", NULL, NULL, fields_json },
	{ "csv", "received,list,meter_manufacturer,meter_id,meter_datetime,"
	    "active_power_import,active_power_export,reactive_power_import,"
	    "reactive_power_export,current_l1,current_l2,current_l3,voltage_l1,voltage_l2,"
	    "voltage_l3,active_power_import_total,active_power_export_total,"
	    "reactive_power_import_total,reactive_power_export_total",
	  fields_csv_header, fields_csv },
	{ "influx", NULL, NULL, fields_influx },
};
const int fields_nwriters = (int)(sizeof fields_writers / sizeof fields_writers[0]);

const struct fields_writer *
fields_writer_byname(const char *name)
{
	for (int i = 0; i < fields_nwriters; i++)
		if (strcmp(fields_writers[i].name, name) == 0)
			return &fields_writers[i];
	return NULL;
}

/* "element_N" (N 1 to 65535, no leading zero): N, else 0. */
static unsigned
element_parse(const char *s, size_t n)
{
	unsigned v = 0;

	if (n < 9 || n > 13 || memcmp(s, "element_", 8) != 0 || s[8] == '0')
		return 0;
	for (size_t i = 8; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= 0xffff ? v : 0;
}

size_t
fields_obis_name(int key, const uint8_t *obis, char *buf)
{
	unsigned pos = (unsigned)obis[0] << 8 | obis[1];
	char d[8];
	size_t n = 0;

	if (key != K_POS)
		return obis_key_format(obis, buf);
	memcpy(buf, "element_", 8);
	do
		d[n++] = (char)('0' + pos % 10);
	while ((pos /= 10) && n < sizeof d);
	for (size_t i = 0; i < n; i++)
		buf[8 + i] = d[n - 1 - i];
	buf[8 + n] = '\0';
	return 8 + n;
}

int
columns_parse(struct columns *cols, const char *spec, const char **bad)
{
	const char *p = spec;

	cols->n = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k = key_byname(p, n);
		unsigned pos;
		struct column *c;
		if (cols->n >= COLS_MAX) {
			*bad = p;
			return -1;
		}
		c = &cols->c[cols->n];
		if (k >= 0) {
			c->key = k;
		} else if (obis_key_parse(p, n, c->obis) == 0) {
			c->key = K_OBIS;
		} else if ((pos = element_parse(p, n)) != 0) {
			c->key = K_POS;
			c->obis[0] = (uint8_t)(pos >> 8);
			c->obis[1] = (uint8_t)pos;
		} else {
			*bad = p;
			return -1;
		}
		cols->n++;
		p += n;
		if (*p == ',')
			p++;
	}
	return cols->n ? 0 : (*bad = spec, -1);
}

const struct field *
columns_find(const struct fields *f, const struct column *c)
{
	if (c->key == K_POS) {
		for (size_t i = 0; i < f->n; i++)
			if (f->f[i].key == K_POS && memcmp(f->f[i].obis, c->obis, 2) == 0)
				return &f->f[i];
		return NULL;
	}
	return fields_get(f, c->key, c->obis);
}

void
fields_put_plain(struct output *o, const struct field *fd)
{
	char buf[DEC_TEXT_MAX > CIVIL_TEXT_MAX ? DEC_TEXT_MAX : CIVIL_TEXT_MAX];

	switch (fd->kind) {
	case F_NUM:
		out_write(o, buf, dec_format(&fd->num, buf));
		break;
	case F_TIME:
		out_write(o, buf, civil_format(&fd->time, buf));
		break;
	case F_HEX:
		out_hex(o, fd->str, fd->slen);
		break;
	default:
		out_write(o, fd->str, fd->slen);
		break;
	}
}
