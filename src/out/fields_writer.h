/* ams-fields' output formats as rows of one table behind -f: each writer turns a fields
 * record into text (JSON Lines, CSV); the column list (-F) is shared. Adding a format is
 * one file in out/ and one row in writer.c. */
#ifndef OUT_FIELDS_WRITER_H
#define OUT_FIELDS_WRITER_H
#include "base/io.h"
#include "fields/fields.h"

#define COLS_MAX 128
struct column {
	int key;		/* enum fkey, or K_OBIS or K_POS with obis set (fields.h) */
	uint8_t obis[OBIS_LEN];
};
struct columns {
	int n;			/* 0: every field present, in key order */
	struct column c[COLS_MAX];
};

/* Parse "a,b,obis_1_0_14_7_0_255": 0 ok, -1 bad name (*bad points at it). */
int columns_parse(struct columns *cols, const char *spec, const char **bad);
/* The field a column names in f, or NULL. */
const struct field *columns_find(const struct fields *f, const struct column *c);
/* The key text of a K_OBIS or K_POS field or column: "obis_1_0_14_7_0_255", or
 * "element_N" for an element of a positional list at place N; buf >= OBIS_TEXT_MAX. */
size_t fields_obis_name(int key, const uint8_t *obis, char *buf);

struct fields_writer {
	const char *name;	/* as -f takes it */
	const char *default_columns;	/* a fixed column list (CSV), or NULL: what is present */
	/* The header, written once unless -n (NULL: none). */
	void (*header)(struct output *o, const struct columns *cols);
	void (*record)(struct output *o, const struct fields *f, const struct columns *cols);
};

extern const struct fields_writer fields_writers[];
extern const int fields_nwriters;
const struct fields_writer *fields_writer_byname(const char *name);

/* The writers' rows (fields_json.c, fields_csv.c, fields_influx.c). */
void fields_json(struct output *o, const struct fields *f, const struct columns *cols);
void fields_csv_header(struct output *o, const struct columns *cols);
void fields_csv(struct output *o, const struct fields *f, const struct columns *cols);
void fields_influx(struct output *o, const struct fields *f, const struct columns *cols);

/* The InfluxDB writer's settings, given once before the first record. */
struct influx_opt {
	const char *measurement;	/* NULL: "hantools" */
	int prec;		/* the timestamp's digits of a second: 0 s, 3 ms, 6 us, 9 ns */
	int meter_time;		/* from meter_datetime when it states an offset */
};
void fields_influx_setup(const struct influx_opt *o);
/* Whether a measurement name can be written (not empty, no '#' first, no control
 * character or broken UTF-8, no backslash last). */
int influx_name_ok(const char *s);
/* A record's time in ns since 1970: 1 from the meter clock (meter_time and the clock
 * states an offset), 0 from received, -1 none (received is no RFC 3339 time). */
int fields_influx_time(const struct fields *f, int meter_time, int64_t *ns);
/* A value as text: a number exactly, a time, bytes as hex; strings are the writer's. */
void fields_put_plain(struct output *o, const struct field *fd);

#endif
