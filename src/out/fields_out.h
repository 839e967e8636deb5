/* ams-fields output: a fields record as a JSON object or a CSV row (RFC 4180). */
#ifndef OUT_FIELDS_H
#define OUT_FIELDS_H
#include "fields/fields.h"
#include "base/io.h"

#define COLS_MAX 64
struct column {
	int key;		/* enum fkey, or K_OBIS with obis set */
	uint8_t obis[6];
};
struct columns {
	int n;			/* 0: every field present, in key order (JSON only) */
	struct column c[COLS_MAX];
};

/* Parse "a,b,obis_1_0_14_7_0_255": 0 ok, -1 bad name (*bad points at it). */
int columns_parse(struct columns *cols, const char *spec, const char **bad);
void fields_json(struct output *o, const struct fields *f, const struct columns *cols);
void fields_csv_header(struct output *o, const struct columns *cols);
void fields_csv(struct output *o, const struct fields *f, const struct columns *cols);

#endif
