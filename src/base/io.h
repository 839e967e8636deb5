/* Byte I/O for every tool: input files read in order with read(2), a buffered output that
 * is flushed before any read that could block (so a live stream's records go downstream at
 * once, while a file in full flow is written in large blocks), and a line reader on top.
 * The output knows where its last whole record ends (out_end()): a full buffer writes only
 * whole records, and a guarded output (out_guard()) killed by SIGTERM, SIGINT or SIGHUP
 * writes its whole records and no part of the next before the process dies of the signal,
 * so a file appended to never ends in half a line. */
#ifndef IO_H
#define IO_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OUT_BUFSZ (256 * 1024)	/* holds any one record (a TLV block of 2048 elements) */
#define IN_BUFSZ (64 * 1024)
#define LINE_MAX_LEN (64 * 1024)

struct output {
	int fd;
	size_t len;
	volatile size_t mark;	/* end of the last whole record */
	volatile size_t done;	/* bytes of buf already written */
	volatile int writing;	/* inside write(2) */
	int err;		/* errno of the first failed write, 0 if none */
	char buf[OUT_BUFSZ];
};

/* Make sure descriptors 0, 1 and 2 are open before anything else is: one started closed
 * gets /dev/null (read-only, so a write to a closed stdout still fails, with EBADF), and a
 * file the tool opens later can never become its standard output. Call first in main. */
void io_std_open(void);
void out_init(struct output *o, int fd);
/* A record ends here: what is before it may go out on its own. */
void out_end(struct output *o);
/* On SIGTERM, SIGINT and SIGHUP write o's whole records, then die of the signal (the
 * status a shell sees is the signal's). Up to four outputs; a signal the process was
 * started with ignored stays ignored. */
void out_guard(struct output *o);
/* Room for n bytes (n <= OUT_BUFSZ) at the returned pointer; commit what was used. */
char *out_reserve(struct output *o, size_t n);
void out_commit(struct output *o, size_t n);
void out_write(struct output *o, const void *p, size_t n);
void out_str(struct output *o, const char *s);
void out_char(struct output *o, char c);
/* n bytes as lowercase hex digits (the one hex writer onto an output); the same and a
 * newline, in one step (the framer's hot path). */
void out_hex(struct output *o, const void *p, size_t n);
void out_hexline(struct output *o, const void *p, size_t n);
/* Decimal integers. */
void out_u64(struct output *o, uint64_t v);
void out_i64(struct output *o, int64_t v);
/* Write out what is buffered, or only the whole records. -1 (and o->err set) on a write
 * error. */
int out_flush(struct output *o);
int out_flush_records(struct output *o);

/* The input: named files in order, "-" or no names meaning standard input. */
struct input {
	char *const *names;
	int count, idx;
	int fd;
	const char *name;	/* current file's name for messages, "-" for stdin */
	struct output *flush;	/* flushed before a read that would block; may be NULL */
	const char *mem;	/* input_init_mem(): bytes served instead of a file */
	size_t memlen, mempos;
};

void input_init(struct input *in, char *const *names, int count, struct output *flush);
/* An input that serves n bytes from memory as one file (for fuzz harnesses and tests). */
void input_init_mem(struct input *in, const void *p, size_t n);
/* Open the next file: 1 opened, 0 none left, -1 failed (errno set, in->name names it;
 * call again to go on with the one after). */
int input_next(struct input *in);
/* read(2) from the current file, retrying on EINTR: >0 bytes, 0 end of this file,
 * -1 error (errno set). */
ssize_t input_read(struct input *in, void *buf, size_t cap);
void input_close(struct input *in);
/* Whether the current file is standard input. */
int input_is_stdin(const struct input *in);

/* Lines from an input, split on LF (a CR before it is dropped). A line longer than
 * LINE_MAX_LEN is cut there and flagged; the rest of it is skipped. */
struct lines {
	struct input *in;
	size_t start, end;
	long lineno;		/* line number within the current file */
	int toolong;		/* the last line returned was cut */
	int eof;		/* current file at end */
	int skip;		/* dropping the tail of a cut line */
	char buf[IN_BUFSZ + LINE_MAX_LEN + 1];
};

void lines_init(struct lines *l, struct input *in);
/* Next line of the current file (NUL-terminated, *len without the newline) or NULL at its
 * end (check errno != 0 for a read error). Call input_next() and lines_reset() to go on. */
char *lines_get(struct lines *l, size_t *len);
void lines_reset(struct lines *l);

#endif
