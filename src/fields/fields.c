/* The fields record and the conversion of tree nodes into it; see fields.h. */
#include <string.h>
#include "cosem/dlmstime.h"
#include "fields/fields.h"

void
fields_reset(struct fields *f)
{
	f->n = 0;
	f->dropped = 0;
	f->layout = 0;
	f->unmapped = 0;
	f->nunscaled = 0;
	memset(f->at, 0, sizeof f->at);
	memset(&f->received, 0, sizeof f->received);
	f->received.key = K_RECEIVED;
	f->received.kind = F_STR;
}

struct field *
fields_add(struct fields *f, int key, const uint8_t *obis)
{
	struct field *fd;

	if (key != K_OBIS) {
		if (f->at[key])
			return &f->f[f->at[key] - 1];
	} else {
		for (size_t i = 0; i < f->n; i++) {
			fd = &f->f[i];
			if (fd->key == K_OBIS && memcmp(fd->obis, obis, OBIS_LEN) == 0)
				return fd;
		}
	}
	if (f->n >= FIELDS_MAX) {
		f->dropped++;
		return NULL;
	}
	fd = &f->f[f->n++];
	memset(fd, 0, sizeof *fd);
	fd->key = (uint8_t)key;
	if (key == K_OBIS)
		memcpy(fd->obis, obis, OBIS_LEN);
	else
		f->at[key] = (uint16_t)f->n;
	return fd;
}

const struct field *
fields_get(const struct fields *f, int key, const uint8_t *obis)
{
	if (key == K_RECEIVED)
		return f->received.slen ? &f->received : NULL;
	if (key != K_OBIS)
		return key >= 0 && key < K_NKEYS && f->at[key] ? &f->f[f->at[key] - 1] : NULL;
	for (size_t i = 0; i < f->n; i++)
		if (f->f[i].key == K_OBIS && memcmp(f->f[i].obis, obis, OBIS_LEN) == 0)
			return &f->f[i];
	return NULL;
}

void
fields_set_str(struct fields *f, int key, const char *s, size_t n)
{
	struct field *fd = fields_add(f, key, NULL);

	if (fd) {
		fd->kind = F_STR;
		fd->str = s;
		fd->slen = n;
	}
}

int
fields_set_clock(struct fields *f, const uint8_t b[12])
{
	struct dlmstime t;
	struct civil c;
	struct field *fd;

	if (dlmstime_parse(b, &t) < 0 || dlmstime_to_civil(&t, &c) < 0)
		return -1;
	/* written without ".00", as amshan writes it and the corpus states it: the
	 * Iskraemeco, Sagemcom and Austrian Kaifa clocks send 0 in every frame */
	if (c.hundredths == 0)
		c.hundredths = -1;
	if (!(fd = fields_add(f, K_DATETIME, NULL)))
		return 0;
	fd->kind = F_TIME;
	fd->time = c;
	return 0;
}

static int
node_dec(const struct axdr_node *nd, struct dec *d)
{
	if (!axdr_is_int(nd) || nd->tag == AXDR_BOOLEAN)
		return -1;
	*d = axdr_is_unsigned(nd) ? dec_make_u(nd->v.u, 0) : dec_make(nd->v.i, 0);
	return 0;
}

static int
printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* The value of node i into fd (a key's or an OBIS code's field). */
static inline void
fill(struct field *fd, int key, const struct axdr_tree *t, size_t i, int exp10,
    const struct fields_opt *o)
{
	const struct axdr_node *nd = axdr_at(t, i);
	const uint8_t *v = axdr_value(t, i);
	struct dec d;

	if (node_dec(nd, &d) == 0) {
		d.exp += exp10;
		if (key != K_OBIS && (keytab[key].flags & KF_CT) && o->ct.mag)
			dec_mul(&d, &o->ct);	/* on overflow d is left as it was */
		fd->kind = F_NUM;
		fd->num = d;
		return;
	}
	if (nd->tag == AXDR_VISIBLE_STRING || nd->tag == AXDR_UTF8_STRING ||
	    nd->tag == AXDR_OCTET_STRING) {
		/* ids padded with NUL bytes (Embriq) are stated without them */
		size_t s = 0, n = nd->vlen;
		while (n && v[n - 1] == 0)
			n--;
		while (s < n && v[s] == 0)
			s++;
		if (nd->tag != AXDR_OCTET_STRING || printable(v + s, n - s)) {
			fd->kind = F_STR;
			fd->str = (const char *)v + s;
			fd->slen = n - s;
			return;
		}
	}
	fd->kind = F_HEX;
	fd->str = (const char *)v;
	fd->slen = nd->vlen;
}

/* Whether a node holds a value a field can take (not a container, not null-data). */
static int
has_value(const struct axdr_node *nd)
{
	return !(nd->tag == AXDR_NULL || nd->tag == AXDR_ARRAY || nd->tag == AXDR_STRUCTURE ||
	    nd->tag == AXDR_COMPACT_ARRAY || nd->tag == AXDR_NONE);
}

void
fields_put_node(struct fields *f, int key, const uint8_t *obis, const struct axdr_tree *t,
    size_t i, int exp10, const struct fields_opt *o)
{
	const struct axdr_node *nd = axdr_at(t, i);
	const uint8_t *v = axdr_value(t, i);
	struct field *fd;

	if (key == K_DATETIME) {
		if ((nd->tag == AXDR_OCTET_STRING && nd->vlen == DLMSTIME_LEN) ||
		    nd->tag == AXDR_DATE_TIME)
			fields_set_clock(f, v);
		return;
	}
	if (key == K_OBIS && !o->keep_unknown)
		return;
	if (!has_value(nd) || !(fd = fields_add(f, key, obis)))
		return;
	fill(fd, key, t, i, exp10, o);
}

void
fields_put_pos(struct fields *f, unsigned pos, const struct axdr_tree *t, size_t i,
    const struct fields_opt *o)
{
	struct field *fd = NULL;
	uint8_t at[2] = { (uint8_t)(pos >> 8), (uint8_t)pos };

	if (!o->keep_unknown || !has_value(axdr_at(t, i)) || pos == 0 || pos > 0xffff)
		return;
	for (size_t k = 0; k < f->n && !fd; k++)
		if (f->f[k].key == K_POS && memcmp(f->f[k].obis, at, 2) == 0)
			fd = &f->f[k];
	if (!fd) {
		if (f->n >= FIELDS_MAX) {
			f->dropped++;
			return;
		}
		fd = &f->f[f->n++];
		memset(fd, 0, sizeof *fd);
		fd->key = K_POS;
		memcpy(fd->obis, at, 2);
	}
	fill(fd, K_OBIS, t, i, 0, o);
}

