/* P1 telegram objects to fields; see p1.h. */
#include <stdio.h>
#include <string.h>
#include "fields/obismap.h"
#include "fields/p1.h"

/* Codes whose meaning in a P1 telegram is not what the DLMS lists give them, or that
 * only P1 meters send: DSMR's equipment identifier (0-0:96.1.1, which DLMS lists use for
 * the meter type), its tariff registers and tariff indicator. */
static const struct {
	uint8_t a, b, c, d, e;
	uint8_t key;
} p1rows[] = {
	{ 0, 0, 96, 1, 1, K_EQUIPMENT_ID }, { 0, 0, 96, 14, 0, K_TARIFF },
	{ 1, 0, 1, 8, 1, K_A_IMP_T1 }, { 1, 0, 1, 8, 2, K_A_IMP_T2 },
	{ 1, 0, 2, 8, 1, K_A_EXP_T1 }, { 1, 0, 2, 8, 2, K_A_EXP_T2 },
};

/* The units a telegram writes, as DLMS unit codes and a power of ten. */
static const struct {
	const char *text;
	size_t len;
	unsigned unit;
	int exp;
} units[] = {
	{ "kW", 2, 27, 3 }, { "W", 1, 27, 0 }, { "kvar", 4, 29, 3 }, { "var", 3, 29, 0 },
	{ "kWh", 3, 30, 3 }, { "Wh", 2, 30, 0 }, { "kvarh", 5, 32, 3 }, { "varh", 4, 32, 0 },
	{ "A", 1, 33, 0 }, { "V", 1, 35, 0 },
};

/* a[0..n) is b, in either case; b is n bytes long. */
static int
ieq(const char *a, size_t n, const char *b)
{
	for (size_t i = 0; i < n; i++) {
		int x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

/* "A-B:C.D.E" or "A-B:C.D.E*F" (F 255 when left out) into o; 0 ok. */
static int
parse_code(const char *s, size_t n, uint8_t o[OBIS_LEN])
{
	static const char sep[] = "-:..*";
	size_t i = 0;
	int g = 0;

	o[5] = 255;
	for (; g < 6; g++) {
		unsigned v = 0;
		size_t d = 0;
		for (; i < n && s[i] >= '0' && s[i] <= '9' && d < 3; i++, d++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (!d || v > 255)
			return -1;
		o[g] = (uint8_t)v;
		if (i == n)
			return g >= 4 ? 0 : -1;
		if (g == 5 || s[i] != sep[g])
			return -1;
		i++;
	}
	return -1;
}

/* "YYMMDDhhmmss" and a W (winter) or S (summer) letter. */
static int
parse_time(const char *s, size_t n, struct civil *c, const struct fields_opt *o)
{
	int v[6];

	if (n != 12 && n != 13)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (s[2 * i] < '0' || s[2 * i] > '9' || s[2 * i + 1] < '0' || s[2 * i + 1] > '9')
			return -1;
		v[i] = (s[2 * i] - '0') * 10 + s[2 * i + 1] - '0';
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	if (n == 13 && s[12] != 'W' && s[12] != 'S')
		return -1;
	c->year = 2000 + v[0];
	c->month = v[1];
	c->day = v[2];
	c->hour = v[3];
	c->min = v[4];
	c->sec = v[5];
	c->hundredths = -1;
	/* DSMR meters run Central European time, the letter telling winter (+01:00) from
	 * summer (+02:00); with -z the zone gives the offset instead */
	c->offset = CIVIL_NO_OFFSET;
	if (n == 13 && !o->p1_zone)
		c->offset = s[12] == 'S' ? 120 : 60;
	return 0;
}

static struct field *
put_raw(struct fields *f, const uint8_t obis[OBIS_LEN], const char *s, size_t n)
{
	struct field *fd = fields_add(f, K_OBIS, obis);

	if (fd) {
		fd->kind = F_STR;
		fd->str = s;
		fd->slen = n;
	}
	return fd;
}

/* A line of a known key with one value: 0 taken, else what was wrong. */
static enum fail
put_key(struct fields *f, int key, const char *v, size_t n, const struct fields_opt *o)
{
	const char *star = memchr(v, '*', n);
	size_t vl = star ? (size_t)(star - v) : n;
	struct field *fd;
	struct dec d;
	struct civil c;

	switch (keytab[key].q) {
	case Q_TEXT:
		fields_set_str(f, key, v, n);
		return FAIL_NONE;
	case Q_TIME:
		if (parse_time(v, n, &c, o) < 0)
			return FAIL_BAD_VALUE;
		if ((fd = fields_add(f, key, NULL))) {
			fd->kind = F_TIME;
			fd->time = c;
		}
		return FAIL_NONE;
	default:
		break;
	}
	if (vl == 0 || dec_parse_n(v, vl, &d) < 0)
		return FAIL_BAD_VALUE;
	if (star) {
		const char *u = star + 1;
		size_t ul = n - vl - 1, i;
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (units[i].len == ul && ieq(u, ul, units[i].text))
				break;
		if (i == sizeof units / sizeof units[0] || units[i].unit != keytab[key].unit)
			return FAIL_BAD_UNIT;
		d.exp += units[i].exp;
	} else if (keytab[key].unit != 0) {
		return FAIL_BAD_UNIT;	/* a quantity with a unit sent without one */
	}
	if ((keytab[key].flags & KF_CT) && o->ct.mag && dec_mul(&d, &o->ct) < 0)
		return FAIL_BAD_VALUE;
	if ((fd = fields_add(f, key, NULL))) {
		fd->kind = F_NUM;
		fd->num = d;
	}
	return FAIL_NONE;
}

/* The keys of M-Bus channel b (1 to 4): device type, id, reading, unit, reading time. */
static const uint8_t mbkeys[4][5] = {
	{ K_MB1_TYPE, K_MB1_ID, K_MB1_READING, K_MB1_UNIT, K_MB1_TIME },
	{ K_MB2_TYPE, K_MB2_ID, K_MB2_READING, K_MB2_UNIT, K_MB2_TIME },
	{ K_MB3_TYPE, K_MB3_ID, K_MB3_READING, K_MB3_UNIT, K_MB3_TIME },
	{ K_MB4_TYPE, K_MB4_ID, K_MB4_READING, K_MB4_UNIT, K_MB4_TIME },
};

/* A channel's timestamped reading "(YYMMDDhhmmssX)(value*unit)" (0-n:24.2.1, DSMR 4 and
 * 5): 0 taken. */
static int
put_reading(struct fields *f, int b, const char *s, size_t n, const struct fields_opt *o)
{
	const char *c1 = memchr(s, ')', n), *star, *c2;
	struct civil c;
	struct dec d;
	struct field *fd;

	if (n < 2 || s[0] != '(' || !c1 || c1 + 1 >= s + n || c1[1] != '(' || s[n - 1] != ')')
		return -1;
	c2 = s + n - 1;
	star = memchr(c1 + 2, '*', (size_t)(c2 - c1 - 2));
	if (!star || memchr(c1 + 2, ')', (size_t)(c2 - c1 - 2)) ||
	    parse_time(s + 1, (size_t)(c1 - s - 1), &c, o) < 0 ||
	    dec_parse_n(c1 + 2, (size_t)(star - c1 - 2), &d) < 0 || star + 1 == c2)
		return -1;
	if ((fd = fields_add(f, mbkeys[b - 1][4], NULL))) {
		fd->kind = F_TIME;
		fd->time = c;
	}
	if ((fd = fields_add(f, mbkeys[b - 1][2], NULL))) {
		fd->kind = F_NUM;
		fd->num = d;
	}
	fields_set_str(f, mbkeys[b - 1][3], star + 1, (size_t)(c2 - star - 1));
	return 0;
}

static int
key_of(const uint8_t o[OBIS_LEN])
{
	if (o[0] == 0 && o[1] >= 1 && o[1] <= 4 && o[2] == 24 && o[3] == 1 && o[4] == 0)
		return mbkeys[o[1] - 1][0];
	if (o[0] == 0 && o[1] >= 1 && o[1] <= 4 && o[2] == 96 && o[3] == 1 && o[4] == 0)
		return mbkeys[o[1] - 1][1];
	for (size_t i = 0; i < sizeof p1rows / sizeof p1rows[0]; i++)
		if (p1rows[i].a == o[0] && p1rows[i].b == o[1] && p1rows[i].c == o[2] &&
		    p1rows[i].d == o[3] && p1rows[i].e == o[4])
			return p1rows[i].key;
	/* channel 0 is the meter itself; the M-Bus channels (gas, water, heat) keep their
	 * codes */
	return o[1] == 0 ? obismap_key(o) : -1;
}

/* The identification line "/XXXnident": the maker's flag id and the meter type, an
 * IEC 62056-21 escape ("\2": enhanced capabilities) before the type left out. A line
 * with control characters in it is no identification and gives neither. */
static void
put_ident(struct fields *f, const char *s, size_t n)
{
	size_t t = 5;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return;
	if (n < 4)
		return;
	fields_set_str(f, K_MAKER_ID, s + 1, 3);
	if (n > 6 && s[5] == '\\')
		t = 7;
	if (n > t && s[4] >= '0' && s[4] <= '9')
		fields_set_str(f, K_TYPE_ID, s + t, n - t);
}

size_t
p1_fields(struct fields *f, const char *text, size_t n, const struct fields_opt *o,
    p1_warn_fn *tell, void *ctx)
{
	size_t i = 0, line = 0;
	char why[96];
	struct field *last = NULL;	/* the raw value a "(" line continues */

	fields_reset(f);
	memcpy(f->listbuf, "p1", 3);
	fields_set_str(f, K_LIST, f->listbuf, 2);
	while (i < n) {
		const char *s = text + i, *nl = memchr(s, '\n', n - i);
		size_t len = nl ? (size_t)(nl - s) : n - i;
		i += len + 1;
		if (len && s[len - 1] == '\r')
			len--;
		if (line++ == 0) {
			put_ident(f, s, len);
			continue;
		}
		if (len == 0)
			continue;
		if (s[0] == '!')
			break;
		if (s[0] == '(') {
			/* DSMR 2.2 and 3: the gas reading continues the line before; its raw
			 * value takes this line in too */
			if (last)
				last->slen = (size_t)(s + len - last->str);
			else
				tell(ctx, FAIL_BAD_LINE, "a continuation line after no value");
			continue;
		}
		last = NULL;
		const char *par = memchr(s, '(', len);
		uint8_t obis[OBIS_LEN];
		if (!par || parse_code(s, (size_t)(par - s), obis) < 0) {
			snprintf(why, sizeof why, "%.*s", (int)(len < 60 ? len : 60), s);
			tell(ctx, FAIL_BAD_LINE, why);
			continue;
		}
		const char *v = par + 1, *end = s + len;
		const char *close = memchr(v, ')', (size_t)(end - v));
		int key = key_of(obis);
		/* one value: the text inside the parentheses; several: all of them */
		int one = close && close + 1 == end;
		if (obis[0] == 0 && obis[1] >= 1 && obis[1] <= 4 && obis[2] == 24 && obis[3] == 2 &&
		    obis[4] == 1) {
			if (put_reading(f, obis[1], par, (size_t)(end - par), o) == 0)
				continue;
			snprintf(why, sizeof why, "mbus%d_reading: %.*s", obis[1],
			    (int)((end - par) < 40 ? (end - par) : 40), par);
			tell(ctx, FAIL_BAD_VALUE, why);
		}
		if (key >= 0 && one) {
			enum fail e = put_key(f, key, v, (size_t)(close - v), o);
			if (e == FAIL_NONE)
				continue;
			snprintf(why, sizeof why, "%s: %.*s", key_name(key),
			    (int)((close - v) < 40 ? (close - v) : 40), v);
			tell(ctx, e, why);
		}
		if (one)
			last = put_raw(f, obis, v, (size_t)(close - v));
		else
			last = put_raw(f, obis, par, (size_t)(end - par));
	}
	return f->n;
}
