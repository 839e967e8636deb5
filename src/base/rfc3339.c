/* RFC 3339 formatting; see rfc3339.h. */
#include <stdio.h>
#include <string.h>
#include "base/civil.h"
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

/* n digits at s as a number, -1 if one is not a digit. */
static int
num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
rfc3339_parse_ns(const char *s, size_t n, int64_t *ns)
{
	int y, mo, d, h, mi, sec, off;
	int64_t frac = 0;
	size_t i = 19;

	if (!rfc3339_like(s, n))
		return -1;
	y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
	h = num(s + 11, 2), mi = num(s + 14, 2), sec = num(s + 17, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (i < n && s[i] == '.') {
		int k = 0;
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++) {
			if (k >= 9)
				return -1;
			frac = frac * 10 + (s[i] - '0');
		}
		if (k == 0)
			return -1;
		for (; k < 9; k++)
			frac *= 10;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		off = 0;
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
	} else {
		return -1;
	}
	/* a leap second is taken as the second after it, as POSIX time has none */
	*ns = (civil_ms(y, mo, d, h, mi, sec) - off * 60000LL) * 1000000LL + frac;
	return 0;
}
