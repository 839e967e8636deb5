/* COSEM date-time (12 bytes: year, month, day, weekday, hour, minute, second, hundredths,
 * deviation, clock status) decoded and written as ISO 8601 / RFC 3339. */
#ifndef DLMSTIME_H
#define DLMSTIME_H
#include <stddef.h>
#include <stdint.h>
#include "base/civil.h"

#define DLMSTIME_LEN 12			/* bytes of a COSEM date-time */
#define DLMSTIME_UNSPEC (-1)		/* a "not specified" field */
#define DLMSTIME_DEV_UNSPEC 0x8000	/* deviation not specified */

struct dlmstime {
	int year, month, day, wday, hour, min, sec, hundredths;	/* or DLMSTIME_UNSPEC */
	int deviation;		/* minutes (local = UTC + deviation... as sent), or DLMSTIME_DEV_UNSPEC */
	int status;		/* clock status byte, or DLMSTIME_UNSPEC (0xFF) */
	int dst;		/* status bit 7: daylight saving active */
};

/* Decode 12 bytes. Return 0 if they form a plausible COSEM date-time (fields in range or
 * "not specified"), -1 otherwise (t is still filled). */
int dlmstime_parse(const uint8_t b[DLMSTIME_LEN], struct dlmstime *t);

/* Whether 12 bytes are a plausible COSEM date-time with at least a year and a month: what
 * the decoders annotate a 12-byte octet-string as. */
int dlmstime_is_clock(const uint8_t b[DLMSTIME_LEN]);

/* The date and time as a civil time (seconds not specified: 0; the offset -deviation
 * when the deviation is specified); -1 when the date or time part is not specified. */
int dlmstime_to_civil(const struct dlmstime *t, struct civil *c);

/* Write as the meter states it: YYYY-MM-DDTHH:MM:SS, ".hh" when hundredths are given, and
 * a numeric offset (offset = -deviation minutes, e.g. deviation -60 -> "+01:00") only when
 * the deviation is specified. Return the length written (cap must be >= 32), 0 if the date
 * or time part is not specified. */
size_t dlmstime_format(const struct dlmstime *t, char *buf, size_t cap);

#endif
