/* read(2)/write(2) plumbing shared by the tools; see io.h for the promises. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "base/hex.h"
#include "base/io.h"
#include "base/text.h"

void
io_std_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor is fd itself */
		if (open("/dev/null", O_RDONLY) < 0)
			_exit(127);
	}
}

void
out_init(struct output *o, int fd)
{
	o->fd = fd;
	o->len = 0;
	o->mark = 0;
	o->done = 0;
	o->writing = 0;
	o->err = 0;
}

void
out_end(struct output *o)
{
	o->mark = o->len;
}

/* ---- kills: only whole records reach the file ---- */

#define GUARD_MAX 4
static struct output *guarded[GUARD_MAX];
static int nguarded;
static volatile sig_atomic_t pending;	/* a signal that came during a write(2) */

/* Write o's whole records that are not out yet; async-signal-safe. */
static void
write_records(struct output *o)
{
	size_t d = o->done;

	while (d < o->mark) {
		ssize_t w = write(o->fd, o->buf + d, o->mark - d);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		d += (size_t)w;
	}
	o->done = d;
}

/* Every guarded output's whole records out, then the signal's own death. */
static void
die_of(int sig)
{
	sigset_t set;

	for (int i = 0; i < nguarded; i++)
		write_records(guarded[i]);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void
on_signal(int sig)
{
	/* Inside a write(2) the count of bytes out is not known until it returns: leave the
	 * signal to the flush, which finishes its records and dies. A second signal while one
	 * waits dies at once. */
	if (!pending)
		for (int i = 0; i < nguarded; i++)
			if (guarded[i]->writing) {
				pending = sig;
				return;
			}
	die_of(sig);
}

void
out_guard(struct output *o)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;

	if (nguarded == GUARD_MAX)
		return;
	guarded[nguarded++] = o;
	if (nguarded > 1)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		/* a signal the shell had ignored (nohup, a background job) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* Write buf[done..upto) and drop buf[0..upto). -1 on a write error (then everything
 * buffered is dropped). */
static int
flush_to(struct output *o, size_t upto)
{
	sigset_t block, old;

	o->writing = 1;
	while (o->done < upto) {
		ssize_t w = write(o->fd, o->buf + o->done, upto - o->done);
		if (w < 0) {
			if (errno == EINTR && !pending)
				continue;
			if (errno == EINTR)
				break;
			if (!o->err)
				o->err = errno;
			o->writing = 0;
			o->len = o->mark = o->done = 0;
			return -1;
		}
		o->done += (size_t)w;
	}
	o->writing = 0;
	if (pending)
		die_of(pending);
	if (nguarded) {
		sigfillset(&block);
		sigprocmask(SIG_BLOCK, &block, &old);
	}
	memmove(o->buf, o->buf + upto, o->len - upto);
	o->len -= upto;
	o->mark = o->mark > upto ? o->mark - upto : 0;
	o->done = 0;
	if (nguarded)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return o->err ? -1 : 0;
}

int
out_flush(struct output *o)
{
	return flush_to(o, o->len);
}

int
out_flush_records(struct output *o)
{
	return flush_to(o, o->mark);
}

/* Room for n more bytes: the whole records go out; only a record bigger than the buffer
 * is written in pieces. */
static void
make_room(struct output *o, size_t n)
{
	if (OUT_BUFSZ - o->len >= n)
		return;
	flush_to(o, o->mark ? o->mark : o->len);
	if (OUT_BUFSZ - o->len < n)
		flush_to(o, o->len);
}

char *
out_reserve(struct output *o, size_t n)
{
	make_room(o, n);
	return o->buf + o->len;
}

void
out_commit(struct output *o, size_t n)
{
	o->len += n;
}

void
out_write(struct output *o, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		size_t room = OUT_BUFSZ - o->len;
		if (!room) {
			make_room(o, n < OUT_BUFSZ ? n : OUT_BUFSZ);
			continue;
		}
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		s += room;
		n -= room;
	}
}

void
out_str(struct output *o, const char *s)
{
	out_write(o, s, strlen(s));
}

void
out_char(struct output *o, char c)
{
	if (o->len == OUT_BUFSZ)
		make_room(o, 1);
	o->buf[o->len++] = c;
}

void
out_hex(struct output *o, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		size_t k = n > OUT_BUFSZ / 4 ? OUT_BUFSZ / 4 : n;
		char *d = out_reserve(o, 2 * k);
		out_commit(o, (size_t)(hex_encode(d, b, k) - d));
		b += k;
		n -= k;
	}
}

void
out_hexline(struct output *o, const void *p, size_t n)
{
	char *d;

	if (2 * n + 1 > OUT_BUFSZ) {
		out_hex(o, p, n);
		out_char(o, '\n');
		return;
	}
	d = hex_encode(out_reserve(o, 2 * n + 1), p, n);
	*d++ = '\n';
	out_commit(o, (size_t)(d - (o->buf + o->len)));
}

void
out_u64(struct output *o, uint64_t v)
{
	char b[24];

	out_write(o, b, fmt_u64(b, v));
}

void
out_i64(struct output *o, int64_t v)
{
	char b[24];

	out_write(o, b, fmt_i64(b, v));
}

void
input_init(struct input *in, char *const *names, int count, struct output *flush)
{
	in->names = names;
	in->count = count;
	in->idx = 0;
	in->fd = -1;
	in->name = "-";
	in->flush = flush;
	in->mem = NULL;
	in->memlen = in->mempos = 0;
}

void
input_init_mem(struct input *in, const void *p, size_t n)
{
	input_init(in, NULL, 0, NULL);
	in->mem = p;
	in->memlen = n;
	in->name = "(memory)";
}

int
input_is_stdin(const struct input *in)
{
	return in->fd == 0;
}

int
input_next(struct input *in)
{
	input_close(in);
	if (in->mem) {
		if (in->idx++ > 0)
			return 0;
		in->mempos = 0;
		return 1;
	}
	if (in->count == 0) {
		/* no names: standard input, once */
		if (in->idx++ > 0)
			return 0;
		in->fd = 0;
		in->name = "-";
		return 1;
	}
	if (in->idx >= in->count)
		return 0;
	in->name = in->names[in->idx++];
	if (strcmp(in->name, "-") == 0) {
		in->fd = 0;
		return 1;
	}
	do
		in->fd = open(in->name, O_RDONLY | O_CLOEXEC);
	while (in->fd < 0 && errno == EINTR);
	return in->fd < 0 ? -1 : 1;
}

ssize_t
input_read(struct input *in, void *buf, size_t cap)
{
	ssize_t r;

	if (in->mem) {
		size_t k = in->memlen - in->mempos;
		if (k > cap)
			k = cap;
		memcpy(buf, in->mem + in->mempos, k);
		in->mempos += k;
		return (ssize_t)k;
	}
	if (in->flush && in->flush->len) {
		/* Flush now if the read could block, so a live stream's output is not held
		 * back; with input already waiting, keep filling the buffer. */
		struct pollfd p = { .fd = in->fd, .events = POLLIN };
		int k;
		do
			k = poll(&p, 1, 0);
		while (k < 0 && errno == EINTR);
		if (k <= 0)
			out_flush_records(in->flush);
	}
	do
		r = read(in->fd, buf, cap);
	while (r < 0 && errno == EINTR);
	return r;
}

void
input_close(struct input *in)
{
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
}

void
lines_init(struct lines *l, struct input *in)
{
	l->in = in;
	lines_reset(l);
}

void
lines_reset(struct lines *l)
{
	l->start = l->end = 0;
	l->lineno = 0;
	l->toolong = 0;
	l->eof = 0;
	l->skip = 0;
}

char *
lines_get(struct lines *l, size_t *len)
{
	errno = 0;
	for (;;) {
		char *b = l->buf + l->start;
		char *nl = memchr(b, '\n', l->end - l->start);
		size_t n;

		if (nl || (l->eof && l->end > l->start)) {
			n = nl ? (size_t)(nl - b) : l->end - l->start;
			l->start += n + (nl != NULL);
			if (l->skip) {
				/* the tail of a line already returned cut */
				l->skip = 0;
				continue;
			}
			if (n && b[n - 1] == '\r')
				n--;
			/* too long is the line's length, wherever it fell in the buffer */
			l->toolong = n > LINE_MAX_LEN;
			if (l->toolong)
				n = LINE_MAX_LEN;
			b[n] = '\0';
			l->lineno++;
			*len = n;
			return b;
		}
		if (l->eof) {
			l->start = l->end = 0;
			l->skip = 0;
			return NULL;
		}
		if (l->start) {
			memmove(l->buf, l->buf + l->start, l->end - l->start);
			l->end -= l->start;
			l->start = 0;
		}
		if (l->end >= LINE_MAX_LEN) {
			if (l->skip) {
				l->end = 0;	/* still inside the cut line's tail */
			} else {
				/* return the head of an over-long line; drop the rest */
				l->lineno++;
				l->toolong = 1;
				l->skip = 1;
				l->buf[LINE_MAX_LEN] = '\0';
				*len = LINE_MAX_LEN;
				l->start = l->end = 0;
				return l->buf;
			}
		}
		ssize_t r = input_read(l->in, l->buf + l->end, sizeof l->buf - 1 - l->end);
		if (r < 0)
			return NULL;
		if (r == 0)
			l->eof = 1;
		l->end += (size_t)r;
	}
}
