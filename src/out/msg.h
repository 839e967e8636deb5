/* The tools' messages on standard error, as warn(3) writes them ("prog: ..."). Standard
 * output is flushed first, so a message never lands inside a line of data. */
#ifndef OUT_MSG_H
#define OUT_MSG_H
#include "base/io.h"

/* A record that could not be decoded: "[file: ]line N: token[: detail][ (byte K)]";
 * file NULL when there is one input, detail NULL when there is none, byte < 0 for none. */
void msg_record(struct output *o, const char *file, long line, const char *token,
    const char *detail, long byte);
/* warnx(3) and warn(3), after the flush. */
void msg_warnx(struct output *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_warn(struct output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
