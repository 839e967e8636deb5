/* Shared by the fuzz harnesses that need a writer's whole text: an output whose overflow
 * beyond out.buf goes to a scratch file, and the text collected back from both. Include
 * once per harness, after <unistd.h>, "io.h" and a fail(const char *) function. */
#ifndef FUZZ_SCRATCH_H
#define FUZZ_SCRATCH_H
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/io.h"

#define TEXT_MAX (1 << 20)

static struct output out;
static int sink = -2;		/* the scratch file; -1: none, overflow is lost and skipped */

static void
sink_open(void)
{
	FILE *f;
	if (sink != -2)
		return;
	f = tmpfile();
	sink = f ? fileno(f) : -1;
}

/* What was written to out since out_init(&out, sink), copied into dst (TEXT_MAX bytes);
 * -1 if it does not fit. */
static long
collect(char *dst)
{
	off_t w = sink >= 0 ? lseek(sink, 0, SEEK_CUR) : 0;
	size_t tot;

	if (out.err)
		return -1;
	if (w <= 0) {
		memcpy(dst, out.buf, out.len);
		return (long)out.len;
	}
	if (out_flush(&out) < 0)
		return -1;
	tot = (size_t)lseek(sink, 0, SEEK_CUR);
	if (tot > TEXT_MAX || pread(sink, dst, tot, 0) != (ssize_t)tot)
		tot = (size_t)-1;
	if (ftruncate(sink, 0) < 0 || lseek(sink, 0, SEEK_SET) != 0)
		fail("cannot reset the scratch file");
	return tot == (size_t)-1 ? -1 : (long)tot;
}

#endif
