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

int
columns_parse(struct columns *cols, const char *spec, const char **bad)
{
	const char *p = spec;

	cols->n = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k = key_byname(p, n);
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
