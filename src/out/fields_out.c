/* Writers for a fields record: JSON Lines (only the fields present, stable key order) and
 * CSV (a fixed column list, an empty cell for a missing value). */
#include <string.h>
#include "cosem/obis.h"
#include "base/hex.h"
#include "out/json.h"
#include "out/fields_out.h"

int
columns_parse(struct columns *cols, const char *spec, const char **bad)
{
	const char *p = spec;
	cols->n = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k = fkey_byname(p, n);
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

static const struct field *
find(const struct fields *f, const struct column *c)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->f[i].key == c->key &&
		    (c->key != K_OBIS || memcmp(f->f[i].obis, c->obis, 6) == 0))
			return &f->f[i];
	return NULL;
}

static void
put_key(struct output *o, const struct field *fd, int first)
{
	char buf[40];
	if (!first)
		out_char(o, ',');
	if (fd->key == K_OBIS) {
		size_t n = obis_key_format(fd->obis, buf);
		json_str(o, buf, n);
	} else {
		out_char(o, '"');
		out_str(o, fkey_name[fd->key]);
		out_char(o, '"');
	}
	out_char(o, ':');
}

static void
put_json_value(struct output *o, const struct field *fd)
{
	char buf[48];
	if (fd->kind == F_NUM) {
		out_write(o, buf, dec_format(&fd->num, buf));
	} else if (fd->hexstr) {
		json_hex(o, fd->str, fd->slen);
	} else {
		json_str(o, fd->str, fd->slen);
	}
}

void
fields_json(struct output *o, const struct fields *f, const struct columns *cols)
{
	int first = 1;
	out_char(o, '{');
	if (cols->n) {
		for (int i = 0; i < cols->n; i++) {
			const struct field *fd = find(f, &cols->c[i]);
			if (!fd)
				continue;
			put_key(o, fd, first);
			put_json_value(o, fd);
			first = 0;
		}
	} else {
		/* named keys in their order, then unknown OBIS codes as they came */
		for (int k = 0; k < K_NKEYS; k++) {
			for (size_t i = 0; i < f->n; i++) {
				if (f->f[i].key != k)
					continue;
				put_key(o, &f->f[i], first);
				put_json_value(o, &f->f[i]);
				first = 0;
			}
		}
		for (size_t i = 0; i < f->n; i++) {
			if (f->f[i].key != K_OBIS)
				continue;
			put_key(o, &f->f[i], first);
			put_json_value(o, &f->f[i]);
			first = 0;
		}
	}
	out_str(o, "}\n");
}

void
fields_csv_header(struct output *o, const struct columns *cols)
{
	char buf[40];
	for (int i = 0; i < cols->n; i++) {
		if (i)
			out_char(o, ',');
		if (cols->c[i].key == K_OBIS)
			out_write(o, buf, obis_key_format(cols->c[i].obis, buf));
		else
			out_str(o, fkey_name[cols->c[i].key]);
	}
	out_char(o, '\n');
}

static void
put_csv_str(struct output *o, const char *s, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote) {
		out_write(o, s, n);
		return;
	}
	out_char(o, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			out_char(o, '"');
		out_char(o, s[i]);
	}
	out_char(o, '"');
}

void
fields_csv(struct output *o, const struct fields *f, const struct columns *cols)
{
	char buf[48];
	for (int i = 0; i < cols->n; i++) {
		const struct field *fd = find(f, &cols->c[i]);
		if (i)
			out_char(o, ',');
		if (!fd)
			continue;
		if (fd->kind == F_NUM)
			out_write(o, buf, dec_format(&fd->num, buf));
		else if (fd->hexstr)
			out_hex(o, fd->str, fd->slen);
		else
			put_csv_str(o, fd->str, fd->slen);
	}
	out_char(o, '\n');
}
