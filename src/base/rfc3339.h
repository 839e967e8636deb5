/* RFC 3339 timestamps with milliseconds: local time with a "+01:00"-style offset written
 * by hand (strftime's %z gives "+0100"), or UTC with "Z". */
#ifndef RFC3339_H
#define RFC3339_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define RFC3339_LEN 30		/* "2026-11-23T20:15:02.481+01:00" + NUL */

/* Format ts into buf (>= RFC3339_LEN bytes); return the length, 0 on failure. */
size_t rfc3339_format(char *buf, const struct timespec *ts, int utc);
/* The current time (CLOCK_REALTIME) formatted. */
size_t rfc3339_now(char *buf, int utc);
/* Whether s[0..n) looks like an RFC 3339 date-time (used to spot a time prefix). */
int rfc3339_like(const char *s, size_t n);
/* Whether s[0..n) is a capture time the tools carry on: RFC 3339-like and only the
 * characters of one (digits, - : . T Z +), so it stays one token and needs no escaping. */
int rfc3339_plain(const char *s, size_t n);
/* The instant s[0..n) names, "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]" with up to
 * nine fraction digits, as nanoseconds since 1970 (UTC): 0 ok, -1 not such a time or one
 * without an offset (a local time names no instant). */
int rfc3339_parse_ns(const char *s, size_t n, int64_t *ns);

#endif
