/* Civil (calendar) time without a zone library: days and milliseconds since 1970 in the
 * proleptic Gregorian calendar, the one writer of "YYYY-MM-DDTHH:MM:SS[.hh][+HH:MM]", and
 * the offset the process's zone (TZ) had at a given local time. */
#ifndef BASE_CIVIL_H
#define BASE_CIVIL_H
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define CIVIL_NO_OFFSET INT_MIN	/* a time stated without an offset */
#define CIVIL_TEXT_MAX 32

struct civil {
	int year, month, day, hour, min, sec;
	int hundredths;		/* 0..99, or -1 when not stated */
	int offset;		/* minutes east of UTC, or CIVIL_NO_OFFSET */
};

int64_t civil_days(int y, int m, int d);	/* days since 1970-01-01 */
/* ms since 1970 of a civil time (no zone), and back; *wday is ISO (Monday 1). */
int64_t civil_ms(int y, int mo, int d, int h, int mi, int s);
void civil_from_ms(int64_t ms, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday);
/* Floor division, for times before 1970 too. */
int64_t civil_floordiv(int64_t a, int64_t b);

/* Write c into buf (>= CIVIL_TEXT_MAX bytes, NUL-terminated); return the length. Fields
 * must be in range (the caller checks): hundredths are written only when stated, the
 * offset only when there is one. */
size_t civil_format(const struct civil *c, char *buf);

/* The offset of the zone in TZ at local time c (seconds and offset ignored): 0 and
 * *offset set, or -1 when the C library cannot tell. */
int civil_zone_offset(const struct civil *c, int *offset);

#endif
