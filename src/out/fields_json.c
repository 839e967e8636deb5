/* The JSON Lines writer of a fields record: only the fields present, named keys in the key
 * table's order, then OBIS codes without a name as they came. */
#include <string.h>
#include "cosem/obis.h"
#include "out/fields_writer.h"
#include "out/json.h"

static void
put_key(struct output *o, const struct field *fd, int first)
{
	char buf[OBIS_TEXT_MAX];

	if (!first)
		out_char(o, ',');
	if (fd->key == K_OBIS || fd->key == K_POS) {
		json_str(o, buf, fields_obis_name(fd->key, fd->obis, buf));
	} else {
		out_char(o, '"');
		out_str(o, keytab[fd->key].name);
		out_char(o, '"');
	}
	out_char(o, ':');
}

static void
put_value(struct output *o, const struct field *fd)
{
	if (fd->kind == F_STR) {
		json_str(o, fd->str, fd->slen);
	} else if (fd->kind == F_NUM) {
		fields_put_plain(o, fd);
	} else {
		out_char(o, '"');
		fields_put_plain(o, fd);
		out_char(o, '"');
	}
}

void
fields_json(struct output *o, const struct fields *f, const struct columns *cols)
{
	const struct field *fd;
	int first = 1;

	out_char(o, '{');
	if (cols->n) {
		for (int i = 0; i < cols->n; i++) {
			if (!(fd = columns_find(f, &cols->c[i])))
				continue;
			put_key(o, fd, first);
			put_value(o, fd);
			first = 0;
		}
	} else {
		for (int k = 0; k < K_NKEYS; k++) {
			if (!(fd = fields_get(f, k, NULL)))
				continue;
			put_key(o, fd, first);
			put_value(o, fd);
			first = 0;
		}
		for (size_t i = 0; i < f->n; i++) {
			if (f->f[i].key != K_OBIS && f->f[i].key != K_POS)
				continue;
			put_key(o, &f->f[i], first);
			put_value(o, &f->f[i]);
			first = 0;
		}
	}
	out_str(o, "}\n");
}
