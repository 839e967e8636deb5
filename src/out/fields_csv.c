/* The CSV writer of a fields record (RFC 4180, LF line ends): a fixed column list, an
 * empty cell for a missing value, quotes only where a cell needs them. */
#include <string.h>
#include "cosem/obis.h"
#include "out/fields_writer.h"

void
fields_csv_header(struct output *o, const struct columns *cols)
{
	char buf[OBIS_TEXT_MAX];

	for (int i = 0; i < cols->n; i++) {
		if (i)
			out_char(o, ',');
		if (cols->c[i].key == K_OBIS)
			out_write(o, buf, obis_key_format(cols->c[i].obis, buf));
		else
			out_str(o, keytab[cols->c[i].key].name);
	}
	out_char(o, '\n');
}

static void
put_str(struct output *o, const char *s, size_t n)
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
	for (int i = 0; i < cols->n; i++) {
		const struct field *fd = columns_find(f, &cols->c[i]);
		if (i)
			out_char(o, ',');
		if (!fd)
			continue;
		if (fd->kind == F_STR)
			put_str(o, fd->str, fd->slen);
		else
			fields_put_plain(o, fd);
	}
	out_char(o, '\n');
}
