/* Segment reassembly; see reasm.h. */
#include <string.h>
#include "link/reasm.h"

void
reasm_init(struct reasm *ra)
{
	ra->tick = 0;
	for (int i = 0; i < REASM_SOURCES; i++) {
		ra->s[i].kind = 0;
		ra->s[i].len = 0;
	}
}

int
reasm_pending(struct reasm *ra, long *tag)
{
	struct reasm_src *first = NULL;

	for (int i = 0; i < REASM_SOURCES; i++)
		if (ra->s[i].kind && (!first || ra->s[i].tag < first->tag))
			first = &ra->s[i];
	if (!first)
		return 0;
	*tag = first->tag;
	first->kind = 0;
	return 1;
}

/* The message being built for this source, or NULL. */
static struct reasm_src *
find(struct reasm *ra, uint8_t kind, const uint8_t *key, size_t kl)
{
	for (int i = 0; i < REASM_SOURCES; i++) {
		struct reasm_src *s = &ra->s[i];
		if (s->kind == kind && s->keylen == kl && memcmp(s->key, key, kl) == 0)
			return s;
	}
	return NULL;
}

/* A slot for a new message: a free one, or the least recently used (its message is lost:
 * more sources at once than the bound). */
static struct reasm_src *
take(struct reasm *ra, uint8_t kind, const uint8_t *key, size_t kl)
{
	struct reasm_src *old = &ra->s[0];

	for (int i = 0; i < REASM_SOURCES; i++) {
		struct reasm_src *s = &ra->s[i];
		if (!s->kind) {
			old = s;
			break;
		}
		if (s->used < old->used)
			old = s;
	}
	old->kind = kind;
	old->keylen = (uint8_t)kl;
	memcpy(old->key, key, kl);
	old->len = 0;
	old->next = 0;
	old->pieces = 0;
	old->used = ++ra->tick;
	old->tag = ra->tag;
	return old;
}

static int
append(struct reasm_src *s, const uint8_t *p, size_t n)
{
	if (n > REASM_MAX - s->len)
		return -1;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->pieces++;
	return 0;
}

static enum reasm_status
drop(struct reasm_src *s, enum fail f, enum fail *why)
{
	if (s)
		s->kind = 0;
	*why = f;
	return REASM_ERROR;
}

enum reasm_status
reasm_hdlc(struct reasm *ra, const uint8_t *addr, size_t alen, int seg, const uint8_t *info,
    size_t n, const uint8_t **out, size_t *outn, enum fail *why)
{
	struct reasm_src *s;
	int first;

	*out = NULL;
	ra->pieces = 1;
	first = n >= 3 && info[0] == 0xe6 && (info[1] == 0xe7 || info[1] == 0xe6) &&
	    info[2] == 0;

	if (alen > sizeof s->key)
		alen = sizeof s->key;
	s = find(ra, 'H', addr, alen);
	if (!s && !seg) {	/* a frame on its own */
		*out = info;
		*outn = n;
		return REASM_WHOLE;
	}
	if (s && first) {
		/* a new message begins while one is unfinished: its last segment was lost */
		s->kind = 0;
		*why = FAIL_MISSING_SEGMENT;
		if (!seg) {
			/* ... and this one is whole: it goes through, the loss is said first */
			*out = info;
			*outn = n;
		} else {
			s = take(ra, 'H', addr, alen);
			(void)append(s, info, n);
		}
		return REASM_ERROR;
	}
	if (!s) {
		if (!first)
			return drop(NULL, FAIL_ORPHAN_SEGMENT, why);
		s = take(ra, 'H', addr, alen);
	}
	s->used = ++ra->tick;
	if (append(s, info, n) < 0)
		return drop(s, FAIL_MESSAGE_TOO_LONG, why);
	if (seg)
		return REASM_MORE;
	s->kind = 0;
	ra->pieces = s->pieces;
	*out = s->buf;
	*outn = s->len;
	return REASM_WHOLE;
}

enum reasm_status
reasm_mbus(struct reasm *ra, uint8_t a, uint8_t ci, const uint8_t *data, size_t n,
    const uint8_t **out, size_t *outn, enum fail *why)
{
	struct reasm_src *s = find(ra, 'M', &a, 1);
	int num = ci & 0x0f, last = (ci & 0x10) != 0;

	*out = NULL;
	ra->pieces = 1;
	if (ci > 0x1f)
		return drop(NULL, FAIL_MBUS_RECORDS, why);
	if (n < 2)
		return drop(s, FAIL_SHORT_APDU, why);
	data += 2;	/* STSAP, DTSAP */
	n -= 2;
	if (num == 0) {
		if (s) {
			/* the message before did not end: it is lost, this one starts */
			s->kind = 0;
			*why = FAIL_MISSING_SEGMENT;
			if (last) {
				*out = data;
				*outn = n;
			} else {
				s = take(ra, 'M', &a, 1);
				(void)append(s, data, n);
				s->next = 1;
			}
			return REASM_ERROR;
		}
		if (last) {
			*out = data;
			*outn = n;
			return REASM_WHOLE;
		}
		s = take(ra, 'M', &a, 1);
	} else if (!s) {
		return drop(NULL, FAIL_ORPHAN_SEGMENT, why);
	} else if (num != s->next) {
		return drop(s, FAIL_MISSING_SEGMENT, why);
	}
	s->used = ++ra->tick;
	if (append(s, data, n) < 0)
		return drop(s, FAIL_MESSAGE_TOO_LONG, why);
	s->next = (num + 1) & 0x0f;
	if (!last)
		return REASM_MORE;
	s->kind = 0;
	ra->pieces = s->pieces;
	*out = s->buf;
	*outn = s->len;
	return REASM_WHOLE;
}
