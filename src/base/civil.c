/* Civil time arithmetic and its one text form; see civil.h. */
#include <string.h>
#include <time.h>
#include "base/civil.h"

int64_t
civil_floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t
civil_days(int y, int m, int d)
{
	int64_t yy = y - (m <= 2), era = civil_floordiv(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int64_t
civil_ms(int y, int mo, int d, int h, int mi, int s)
{
	return ((civil_days(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

void
civil_from_ms(int64_t ms, int *y, int *mo, int *d, int *h, int *mi, int *s, int *wday)
{
	int64_t days = civil_floordiv(ms, 86400000LL), rest = ms - days * 86400000LL;
	int64_t z = days + 719468, era = civil_floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1, mm = mp < 10 ? mp + 3 : mp - 9;

	*y = (int)(yoe + era * 400 + (mm <= 2));
	*mo = (int)mm;
	*d = (int)dd;
	*h = (int)(rest / 3600000);
	*mi = (int)(rest / 60000 % 60);
	*s = (int)(rest / 1000 % 60);
	*wday = (int)(civil_floordiv(days + 3, 7) * -7 + days + 3) + 1;
}

static char *
digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

size_t
civil_format(const struct civil *c, char *buf)
{
	char *p = buf;

	p = digits(p, c->year, 4);
	*p++ = '-';
	p = digits(p, c->month, 2);
	*p++ = '-';
	p = digits(p, c->day, 2);
	*p++ = 'T';
	p = digits(p, c->hour, 2);
	*p++ = ':';
	p = digits(p, c->min, 2);
	*p++ = ':';
	p = digits(p, c->sec, 2);
	if (c->hundredths >= 0) {
		*p++ = '.';
		p = digits(p, c->hundredths, 2);
	}
	if (c->offset != CIVIL_NO_OFFSET) {
		int off = c->offset;
		*p++ = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		p = digits(p, off / 60, 2);
		*p++ = ':';
		p = digits(p, off % 60, 2);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

int
civil_zone_offset(const struct civil *c, int *offset)
{
	struct tm tm, lt;
	time_t t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = c->year - 1900;
	tm.tm_mon = c->month - 1;
	tm.tm_mday = c->day;
	tm.tm_hour = c->hour;
	tm.tm_min = c->min;
	tm.tm_sec = c->sec;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || !localtime_r(&t, &lt))
		return -1;
	*offset = (int)(lt.tm_gmtoff / 60);
	return 0;
}
