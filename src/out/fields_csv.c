/* The CSV writer of a fields record (RFC 4180, LF line ends): a fixed column list, an
 * empty cell for a missing value, quotes only where a cell needs them. */
#include <string.h>
#include "cosem/obis.h"
#include "out/clean.h"
#include "out/fields_writer.h"

void
fields_csv_header(struct output *o, const struct columns *cols)
{
	char buf[OBIS_TEXT_MAX];

	for (int i = 0; i < cols->n; i++) {
		if (i)
			out_char(o, ',');
		if (cols->c[i].key == K_OBIS || cols->c[i].key == K_POS)
			out_write(o, buf, fields_obis_name(cols->c[i].key, cols->c[i].obis, buf));
		else
			out_str(o, keytab[cols->c[i].key].name);
	}
	out_char(o, '\n');
}

/* A text cell: cleaned (out/clean.h); quoted when it holds a comma, a quote or a line
 * break; and never a formula: a cell that starts with = + - @ TAB or CR is prefixed with a
 * single quote and quoted, as OWASP's CSV injection guidance asks (the numbers this tool
 * writes itself, such as -0.2, are not text cells and stay as they are). */
static void
put_str(struct output *o, const char *s, size_t n)
{
	int quote = 0, formula = n && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r');

	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote && !formula && clean_ok(s, n)) {
		out_write(o, s, n);
		return;
	}
	out_char(o, '"');
	if (formula)
		out_char(o, '\'');
	clean_put(o, s, n, '"');
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
