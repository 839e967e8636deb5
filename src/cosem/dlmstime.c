/* COSEM date-time: decoding the 12 bytes and writing them as the meter states them. */
#include <string.h>
#include "base/civil.h"
#include "cosem/dlmstime.h"

/* One byte field: 0xFF is "not specified"; anything else must lie in [lo, hi]. */
static int
byte_field(int v, int lo, int hi, int *out)
{
	if (v == 0xff) {
		*out = DLMSTIME_UNSPEC;
		return 1;
	}
	*out = v;
	return v >= lo && v <= hi;
}

int
dlmstime_parse(const uint8_t b[DLMSTIME_LEN], struct dlmstime *t)
{
	int ok = 1;
	int y = b[0] << 8 | b[1];
	int dev = (int16_t)(b[9] << 8 | b[10]);

	t->year = y == 0xffff ? DLMSTIME_UNSPEC : y;
	/* month 0xFD/0xFE and day 0xFD/0xFE (DST begin/end, last day) are schedule forms,
	 * not the clock of a reading: they count as implausible here */
	ok &= byte_field(b[2], 1, 12, &t->month);
	ok &= byte_field(b[3], 1, 31, &t->day);
	ok &= byte_field(b[4], 0, 7, &t->wday);	/* some meters send 0 */
	ok &= byte_field(b[5], 0, 23, &t->hour);
	ok &= byte_field(b[6], 0, 59, &t->min);
	ok &= byte_field(b[7], 0, 59, &t->sec);
	ok &= byte_field(b[8], 0, 99, &t->hundredths);
	if ((uint16_t)dev == DLMSTIME_DEV_UNSPEC) {
		t->deviation = DLMSTIME_DEV_UNSPEC;
	} else {
		t->deviation = dev;
		if (dev < -720 || dev > 840)
			ok = 0;
	}
	t->status = b[11] == 0xff ? DLMSTIME_UNSPEC : b[11];
	t->dst = b[11] != 0xff && (b[11] & 0x80);
	return ok ? 0 : -1;
}

int
dlmstime_to_civil(const struct dlmstime *t, struct civil *c)
{
	if (t->year < 0 || t->month < 1 || t->day < 1 || t->hour < 0 ||
	    t->min < 0 || t->year > 9999 || t->month > 12 || t->day > 31 || t->hour > 23 ||
	    t->min > 59 || t->sec > 59 || t->hundredths > 99)
		return -1;
	c->year = t->year;
	c->month = t->month;
	c->day = t->day;
	c->hour = t->hour;
	c->min = t->min;
	c->sec = t->sec < 0 ? 0 : t->sec;
	c->hundredths = t->hundredths;
	c->offset = t->deviation != DLMSTIME_DEV_UNSPEC && t->deviation >= -840 &&
	    t->deviation <= 840 ? -t->deviation : CIVIL_NO_OFFSET;
	return 0;
}

size_t
dlmstime_format(const struct dlmstime *t, char *buf, size_t cap)
{
	struct civil c;

	if (cap < CIVIL_TEXT_MAX || dlmstime_to_civil(t, &c) < 0)
		return 0;
	return civil_format(&c, buf);
}

int
dlmstime_is_clock(const uint8_t b[DLMSTIME_LEN])
{
	struct dlmstime t;
	return dlmstime_parse(b, &t) == 0 && t.year != DLMSTIME_UNSPEC && t.month > 0;
}
