/* The P1 telegram framer and check; see p1.h for the promises. */
#include <string.h>
#include "base/fail.h"
#include "link/crc.h"
#include "link/p1.h"

#define NONE ((size_t)-1)

enum { S_IDLE, S_EOL, S_IDENT, S_BLANK, S_LSTART, S_LINE, S_CRC };

static const enum fail tokens[P1_NERR] = {
	[P1_OK] = FAIL_NONE,
	[P1_ERR_CRC] = FAIL_BAD_CRC,
	[P1_ERR_NO_END] = FAIL_NO_END,
	[P1_ERR_TOO_LONG] = FAIL_TOO_LONG,
	[P1_ERR_CHAR] = FAIL_BAD_CHAR,
	[P1_ERR_IDENT] = FAIL_BAD_IDENT,
	[P1_ERR_END_LINE] = FAIL_BAD_END_LINE,
	[P1_ERR_LINE] = FAIL_BAD_LINE,
	[P1_ERR_TRUNCATED] = FAIL_TRUNCATED,
};

const char *
p1_errname(int e)
{
	return fail_token(e >= 0 && e < P1_NERR ? tokens[e] : FAIL_N);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A byte a data line may hold: printable ASCII or a tab. */
static int
text_byte(int c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t';
}

/* A byte the identification line may hold: some meters put a control character there
 * ("/ISk5\2MT382-1000"). */
static int
ident_byte(int c)
{
	return c > 0 && c < 0x7f && c != '\r' && c != '\n';
}

/* "/XXX" then at least one more byte: the maker's flag id is three letters. */
static int
ident_ok(const uint8_t *p, size_t n)
{
	return n >= 5 && n <= P1_IDENT_MAX && alpha(p[1]) && alpha(p[2]) && alpha(p[3]);
}

/* A data line of a telegram without check digits: "code(value)..." with a code of OBIS
 * characters, or "(value)" continuing the line before (the DSMR 2.2 gas reading). */
static int
line_ok(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n < 3 || p[n - 1] != ')')
		return 0;
	if (p[0] == '(')
		return 1;
	for (; i < n && p[i] != '('; i++) {
		int c = p[i];
		if (!(alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '-' ||
		    c == '*' || c == '_' || c == '&'))
			return 0;
	}
	return i > 0 && i < n;
}

void
p1_init(struct p1_framer *fr)
{
	memset(fr, 0, offsetof(struct p1_framer, buf));
	fr->state = S_IDLE;
	fr->alt = NONE;
}

static void
flush_junk(struct p1_framer *fr, link_cb *cb, void *ctx)
{
	link_junk_flush(&fr->junk, LINK_P1, cb, ctx);
}

static void
begin(struct p1_framer *fr, link_cb *cb, void *ctx)
{
	flush_junk(fr, cb, ctx);
	fr->state = S_IDENT;
	fr->start = fr->pos;
	fr->alt = NONE;
	fr->cr = 0;
	fr->malformed = 0;
	fr->crc = crc16_arc_update(0, fr->buf + fr->pos, 1);
	memset(&fr->t, 0, sizeof fr->t);
	fr->pos++;
}

/* The candidate fails at fr->pos; len bytes of it were checked. The search goes on at
 * the "/" inside it, if any (not after a cut-short telegram: what follows that "/" was
 * cut short too), else after what was checked. */
static void
fail(struct p1_framer *fr, enum p1_err e, size_t len, link_cb *cb, void *ctx)
{
	struct link_report r;

	if (len > 1 && fr->buf[fr->start + len - 1] == '/')
		len--;		/* the byte it failed at begins the next */
	flush_junk(fr, cb, ctx);
	memset(&r, 0, sizeof r);
	r.ev = LINK_REJECT;
	r.kind = LINK_P1;
	r.err = e;
	r.p = fr->buf + fr->start;
	r.len = len;
	r.offset = fr->base + fr->start;
	fr->t.past_ident = fr->state >= S_LSTART;
	r.hdr = &fr->t;
	cb(&r, ctx);
	fr->state = S_IDLE;
	if (fr->alt != NONE && e != P1_ERR_NO_END && e != P1_ERR_TRUNCATED) {
		fr->pos = fr->alt;	/* rescanned from its "/" */
	} else {
		fr->pos = fr->start + len;
		if (e == P1_ERR_CRC || e == P1_ERR_LINE) {
			fr->state = S_EOL;	/* the "!" line's CR LF are its own */
			fr->cr = 0;
		}
	}
	fr->alt = NONE;
}

static void
emit(struct p1_framer *fr, size_t len, link_cb *cb, void *ctx)
{
	struct link_report r;

	flush_junk(fr, cb, ctx);
	memset(&r, 0, sizeof r);
	r.ev = LINK_UNIT;
	r.kind = LINK_P1;
	r.p = r.payload = fr->buf + fr->start;
	r.len = r.payload_len = len;
	r.offset = fr->base + fr->start;
	fr->t.checked = fr->digits > 0;
	fr->t.digits = fr->digits;
	r.hdr = &fr->t;
	cb(&r, ctx);
	fr->pos = fr->start + len;
	fr->state = S_EOL;
	fr->cr = 0;
	fr->alt = NONE;
}

/* The "!" line is complete at fr->pos (exclusive). */
static void
judge(struct p1_framer *fr, link_cb *cb, void *ctx)
{
	size_t len = fr->pos - fr->start;

	if (fr->digits == 0 ? fr->malformed : fr->crcval != fr->crc)
		fail(fr, fr->digits == 0 ? P1_ERR_LINE : P1_ERR_CRC, len, cb, ctx);
	else
		emit(fr, len, cb, ctx);
}

/* The hot path: the plain text of a data line, its CRC folded in, up to the next byte
 * that means something (a line end, a "/", a byte a telegram may not hold) or the bound. */
static void
plain(struct p1_framer *fr)
{
	const uint16_t *t = crc16_arc_table();
	const uint8_t *b = fr->buf;
	size_t i = fr->pos, e = fr->end, lim = fr->start + P1_MAX;
	uint16_t crc = fr->crc;

	if (e > lim)
		e = lim;
	while (i < e) {
		uint8_t c = b[i];
		if (c < 0x20 || c > 0x7e || c == '/')
			break;
		crc = (uint16_t)((crc >> 8) ^ t[(crc ^ c) & 0xff]);
		i++;
	}
	fr->crc = crc;
	fr->pos = i;
}

static void
scan(struct p1_framer *fr, link_cb *cb, void *ctx)
{
	while (fr->pos < fr->end) {
		int c;

		if (fr->state == S_LINE && !fr->cr) {
			plain(fr);
			if (fr->pos == fr->end)
				break;
		}
		c = fr->buf[fr->pos];

		switch (fr->state) {
		case S_EOL:	/* the CR LF that end a reported telegram's "!" line */
			if ((c == '\r' && !fr->cr) || c == '\n') {
				fr->cr = c == '\r';
				fr->pos++;
				if (c == '\n')
					fr->state = S_IDLE;
				continue;
			}
			fr->state = S_IDLE;
			/* fall through */
		case S_IDLE:
			if (c == '/') {
				begin(fr, cb, ctx);
				continue;
			}
			link_junk_add(&fr->junk, fr->base + fr->pos);
			fr->pos++;
			continue;
		}
		if (fr->pos - fr->start >= P1_MAX) {
			fail(fr, P1_ERR_TOO_LONG, fr->pos - fr->start, cb, ctx);
			continue;
		}
		if (fr->cr && c != '\n') {	/* a CR only ends a line */
			fail(fr, P1_ERR_CHAR, fr->pos + 1 - fr->start, cb, ctx);
			continue;
		}
		switch (fr->state) {
		case S_IDENT:
			if (c == '\n') {
				size_t n = fr->pos - fr->cr - fr->start;
				if (!ident_ok(fr->buf + fr->start, n)) {
					fail(fr, P1_ERR_IDENT, fr->pos + 1 - fr->start, cb, ctx);
					continue;
				}
				fr->t.ident_len = n;
				fr->crlf = fr->cr;
				fr->state = S_BLANK;
			} else if (c == '/') {
				fr->alt = fr->pos;	/* cut short in its first line? */
			} else if (c != '\r' && !ident_byte(c)) {
				fail(fr, P1_ERR_CHAR, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			} else if (c != '\r' && fr->pos - fr->start >= P1_IDENT_MAX) {
				fail(fr, P1_ERR_IDENT, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			}
			break;
		case S_BLANK:
			if (c == '\n' && fr->cr != fr->crlf) {
				/* CR LF and LF in one telegram: a CR lost or added */
				fail(fr, P1_ERR_CHAR, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			} else if (c == '\n') {
				fr->state = S_LSTART;
			} else if (c != '\r') {
				fail(fr, P1_ERR_IDENT, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			}
			break;
		case S_LSTART:
			if (c == '!') {
				fr->crc = crc16_arc_update(fr->crc, fr->buf + fr->pos, 1);
				fr->state = S_CRC;
				fr->digits = 0;
				fr->crcval = 0;
				fr->pos++;
				continue;
			}
			if (c == '/') {
				/* the next telegram: this one was cut short */
				fail(fr, P1_ERR_NO_END, fr->pos - fr->start, cb, ctx);
				continue;
			}
			fr->line = fr->pos;
			fr->state = S_LINE;
			/* fall through */
		case S_LINE:
			if (c == '\n' && fr->cr != fr->crlf) {
				fail(fr, P1_ERR_CHAR, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			} else if (c == '\n') {
				if (!line_ok(fr->buf + fr->line, fr->pos - fr->cr - fr->line))
					fr->malformed = 1;
				fr->state = S_LSTART;
			} else if (c == '/') {
				fr->alt = fr->pos;
			} else if (c != '\r' && !text_byte(c)) {
				fail(fr, P1_ERR_CHAR, fr->pos + 1 - fr->start, cb, ctx);
				continue;
			}
			break;
		case S_CRC: {
			int d = hexval(c);
			if (d >= 0 && fr->digits < 4) {
				fr->crcval = fr->crcval << 4 | (unsigned)d;
				fr->pos++;
				if (++fr->digits == 4)
					judge(fr, cb, ctx);
				continue;
			}
			if (c == '\r' || c == '\n') {
				judge(fr, cb, ctx);
				continue;
			}
			fail(fr, P1_ERR_END_LINE, fr->pos + 1 - fr->start, cb, ctx);
			continue;
		}
		}
		fr->cr = c == '\r';
		fr->crc = crc16_arc_update(fr->crc, fr->buf + fr->pos, 1);
		fr->pos++;
	}
}

uint8_t *
p1_space(struct p1_framer *fr, size_t *room)
{
	size_t keep = fr->state == S_IDLE || fr->state == S_EOL ? fr->pos : fr->start;

	if (P1_BUFSZ - fr->end < P1_BUFSZ / 2 && keep > 0) {
		memmove(fr->buf, fr->buf + keep, fr->end - keep);
		fr->base += keep;
		fr->end -= keep;
		fr->pos -= keep;
		if (fr->state != S_IDLE && fr->state != S_EOL) {
			fr->start -= keep;
			fr->line = fr->line >= keep ? fr->line - keep : 0;
			if (fr->alt != NONE)
				fr->alt -= keep;
		}
	}
	*room = P1_BUFSZ - fr->end;
	return fr->buf + fr->end;
}

void
p1_commit(struct p1_framer *fr, size_t n, link_cb *cb, void *ctx)
{
	fr->end += n;
	scan(fr, cb, ctx);
}

void
p1_finish(struct p1_framer *fr, link_cb *cb, void *ctx)
{
	scan(fr, cb, ctx);
	while (fr->state != S_IDLE && fr->state != S_EOL) {
		if (fr->state == S_CRC)
			judge(fr, cb, ctx);	/* the "!" line ends with the input */
		else
			fail(fr, P1_ERR_TRUNCATED, fr->end - fr->start, cb, ctx);
		scan(fr, cb, ctx);
	}
	flush_junk(fr, cb, ctx);
}

uint64_t
p1_settled(const struct p1_framer *fr)
{
	return fr->base + (fr->state == S_IDLE || fr->state == S_EOL ? fr->pos : fr->start);
}

enum p1_err
p1_check(const uint8_t *p, size_t n, struct p1_telegram *t)
{
	const uint16_t *tab = crc16_arc_table();
	const uint8_t *last;
	size_t ls = 0, bang;
	uint16_t with_cr = 0;
	unsigned val = 0;
	int malformed = 0, digits = 0, cr_kept = 0;

	memset(t, 0, sizeof *t);
	if (n == 0 || p[0] != '/')
		return P1_ERR_IDENT;
	if (n > P1_MAX)
		return P1_ERR_TOO_LONG;
	/* the last line is the "!" line: 1 to 4 hex digits or none */
	for (last = p + n; last > p && last[-1] != '\n'; last--)
		;
	if (last == p)
		return P1_ERR_IDENT;
	bang = (size_t)(last - p);
	if (bang >= n || p[bang] != '!')
		return P1_ERR_TRUNCATED;
	for (size_t i = bang + 1; i < n; i++) {
		int d = hexval(p[i]);
		if (d < 0 || digits == 4)
			return P1_ERR_END_LINE;
		val = val << 4 | (unsigned)d;
		digits++;
	}
	t->digits = digits;
	/* line by line up to it: the bytes each line may hold, and the CRC of each line's
	 * text and a CR LF (the wire's line end) */
	for (int line = 0; ls < bang; line++) {
		const uint8_t *nl = memchr(p + ls, '\n', bang - ls);
		size_t le = (size_t)(nl - p), e = le > ls && p[le - 1] == '\r' ? le - 1 : le;
		uint16_t c = with_cr;
		cr_kept |= e != le;
		if (line == 0) {
			for (size_t i = ls; i < e; i++)
				if (!ident_byte(p[i]))
					return P1_ERR_CHAR;
			if (!ident_ok(p, e))
				return P1_ERR_IDENT;
			t->ident_len = e;
		} else if (line == 1 && e != ls) {
			return P1_ERR_IDENT;
		} else if (e > ls && (p[ls] == '/' || p[ls] == '!')) {
			return p[ls] == '/' ? P1_ERR_NO_END : P1_ERR_END_LINE;
		}
		for (size_t i = ls; i < e; i++) {
			uint8_t b = p[i];
			if (line && !((b >= 0x20 && b < 0x7f) || b == '\t'))
				return P1_ERR_CHAR;
			c = (uint16_t)((c >> 8) ^ tab[(c ^ b) & 0xff]);
		}
		c = (uint16_t)((c >> 8) ^ tab[(c ^ '\r') & 0xff]);
		with_cr = (uint16_t)((c >> 8) ^ tab[(c ^ '\n') & 0xff]);
		if (line >= 2 && digits == 0 && !line_ok(p + ls, e - ls))
			malformed = 1;
		if (line == 0 && le + 1 >= bang)
			return P1_ERR_IDENT;
		ls = le + 1;
	}
	if (digits == 0)
		return malformed ? P1_ERR_LINE : P1_OK;
	with_cr = crc16_arc_update(with_cr, p + bang, 1);
	/* a meter whose lines end in LF alone: its CRC is over the text as it is */
	if (val != with_cr && (cr_kept || val != crc16_arc_update(0, p, bang + 1)))
		return P1_ERR_CRC;
	t->checked = 1;
	return P1_OK;
}
