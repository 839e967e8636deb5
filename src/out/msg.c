/* Messages on standard error; see msg.h. */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "out/msg.h"

void
msg_record(struct output *o, const char *file, long line, const char *token,
    const char *detail, long byte)
{
	char at[32] = "";

	if (byte >= 0)
		snprintf(at, sizeof at, " (byte %ld)", byte);
	out_flush_records(o);
	warnx("%s%sline %ld: %s%s%s%s", file ? file : "", file ? ": " : "", line, token,
	    detail ? ": " : "", detail ? detail : "", at);
}

void
msg_warnx(struct output *o, const char *fmt, ...)
{
	va_list ap;

	out_flush_records(o);
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

void
msg_warn(struct output *o, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	out_flush_records(o);
	va_start(ap, fmt);
	errno = e;
	vwarn(fmt, ap);
	va_end(ap);
}
