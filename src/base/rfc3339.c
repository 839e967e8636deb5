/* RFC 3339 formatting; see rfc3339.h. */
#include <stdio.h>
#include <string.h>
#include "base/rfc3339.h"

size_t
rfc3339_format(char *buf, const struct timespec *ts, int utc)
{
	struct tm tm;
	time_t t = ts->tv_sec;
	int ms = (int)(ts->tv_nsec / 1000000);
	int n;

	if (utc ? !gmtime_r(&t, &tm) : !localtime_r(&t, &tm))
		return 0;
	n = snprintf(buf, RFC3339_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	if (n != 23)
		return 0;
	if (utc) {
		buf[n++] = 'Z';
		buf[n] = '\0';
		return (size_t)n;
	}
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	n += snprintf(buf + n, RFC3339_LEN - (size_t)n, "%c%02ld:%02ld", sign, off / 60, off % 60);
	return n == 29 ? (size_t)n : 0;
}

size_t
rfc3339_now(char *buf, int utc)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return rfc3339_format(buf, &ts, utc);
}

int
rfc3339_like(const char *s, size_t n)
{
	/* YYYY-MM-DDTHH:MM:SS at least */
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	if (n < sizeof pat - 1)
		return 0;
	for (size_t i = 0; i < sizeof pat - 1; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

int
rfc3339_plain(const char *s, size_t n)
{
	if (!rfc3339_like(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!memchr("0123456789-:.TZ+", s[i], 16))
			return 0;
	return 1;
}
