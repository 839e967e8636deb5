/* read(2)/write(2) plumbing shared by the tools; see io.h for the promises. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "base/hex.h"
#include "base/io.h"
#include "base/text.h"

void
out_init(struct output *o, int fd)
{
	o->fd = fd;
	o->len = 0;
	o->err = 0;
}

int
out_flush(struct output *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t w = write(o->fd, o->buf + done, o->len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (!o->err)
				o->err = errno;
			o->len = 0;
			return -1;
		}
		done += (size_t)w;
	}
	o->len = 0;
	return o->err ? -1 : 0;
}

char *
out_reserve(struct output *o, size_t n)
{
	if (OUT_BUFSZ - o->len < n)
		out_flush(o);
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
			out_flush(o);
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
		out_flush(o);
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
			out_flush(in->flush);
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
			b[n] = '\0';
			l->lineno++;
			l->toolong = 0;
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
