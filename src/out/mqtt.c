/* MQTT 3.1.1 packets; see mqtt.h. */
#include <string.h>
#include "out/mqtt.h"

/* A packet under construction: bytes past cap are counted but not written. */
struct pk {
	uint8_t *b;
	size_t cap, n;
};

static void
put(struct pk *p, const void *s, size_t n)
{
	if (p->n + n <= p->cap)
		memcpy(p->b + p->n, s, n);
	p->n += n;
}

static void
put8(struct pk *p, unsigned v)
{
	uint8_t c = (uint8_t)v;
	put(p, &c, 1);
}

static void
put16(struct pk *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v & 0xff);
}

static int
putstr(struct pk *p, const char *s, size_t n)
{
	if (n > 65535)
		return -1;
	put16(p, (unsigned)n);
	put(p, s, n);
	return 0;
}

/* The fixed header (type and flags, the remaining length as 1 to 4 digits of 7 bits)
 * before a body of rest bytes already written at b + 5: moved into place. */
static size_t
finish(uint8_t *b, size_t cap, unsigned first, size_t rest, size_t body_at)
{
	uint8_t hdr[5];
	size_t h = 0, r = rest;

	if (rest > 268435455 || body_at + rest > cap)
		return 0;
	hdr[h++] = (uint8_t)first;
	do {
		uint8_t d = r % 128;
		r /= 128;
		hdr[h++] = (uint8_t)(d | (r ? 0x80 : 0));
	} while (r);
	memmove(b + h, b + body_at, rest);
	memcpy(b, hdr, h);
	return h + rest;
}

size_t
mqtt_connect(uint8_t *buf, size_t cap, const char *client_id, unsigned keepalive_s,
    const struct mqtt_will *will, const char *user, const char *pass)
{
	struct pk p = { buf + 5, cap > 5 ? cap - 5 : 0, 0 };
	unsigned flags = 0x02;	/* clean session: a publisher keeps no state on the broker */

	if (will && will->topic)
		flags |= 0x04 | (unsigned)(will->qos & 3) << 3 | (will->retain ? 0x20 : 0);
	if (user)
		flags |= 0x80;
	if (user && pass)
		flags |= 0x40;
	putstr(&p, "MQTT", 4);
	put8(&p, 4);		/* protocol level: 3.1.1 */
	put8(&p, flags);
	put16(&p, keepalive_s);
	if (putstr(&p, client_id, strlen(client_id)) < 0)
		return 0;
	if (will && will->topic && (putstr(&p, will->topic, strlen(will->topic)) < 0 ||
	    putstr(&p, will->msg, strlen(will->msg)) < 0))
		return 0;
	if (user && putstr(&p, user, strlen(user)) < 0)
		return 0;
	if (user && pass && putstr(&p, pass, strlen(pass)) < 0)
		return 0;
	if (p.n > p.cap)
		return 0;
	return finish(buf, cap, MQTT_CONNECT << 4, p.n, 5);
}

size_t
mqtt_publish(uint8_t *buf, size_t cap, const char *topic, size_t tlen, const void *payload,
    size_t plen, int qos, int retain, uint16_t id)
{
	struct pk p = { buf + 5, cap > 5 ? cap - 5 : 0, 0 };

	if (putstr(&p, topic, tlen) < 0)
		return 0;
	if (qos > 0)
		put16(&p, id);
	put(&p, payload, plen);
	if (p.n > p.cap)
		return 0;
	return finish(buf, cap, MQTT_PUBLISH << 4 | (unsigned)(qos & 3) << 1 | (retain ? 1 : 0),
	    p.n, 5);
}

size_t
mqtt_simple(uint8_t *buf, size_t cap, int type)
{
	if (cap < 2)
		return 0;
	buf[0] = (uint8_t)(type << 4);
	buf[1] = 0;
	return 2;
}

void
mqtt_set_dup(uint8_t *pkt)
{
	pkt[0] |= 0x08;
}

int
mqtt_rx_next(struct mqtt_rx *r, int *type, int *flags, unsigned *arg)
{
	size_t rest = 0, h = 1, mul = 1, total;

	if (r->len < 2)
		return 0;
	for (;;) {
		if (h >= r->len)
			return 0;
		if (h > 4)
			return -1;
		rest += (r->buf[h] & 0x7f) * mul;
		mul *= 128;
		if (!(r->buf[h++] & 0x80))
			break;
	}
	total = h + rest;
	if (total > MQTT_RX_MAX)
		return -1;
	if (r->len < total)
		return 0;
	*type = r->buf[0] >> 4;
	*flags = r->buf[0] & 0x0f;
	*arg = 0;
	if (*type == MQTT_CONNACK && rest >= 2)
		*arg = r->buf[h + 1];
	else if (*type == MQTT_PUBACK && rest >= 2)
		*arg = (unsigned)r->buf[h] << 8 | r->buf[h + 1];
	memmove(r->buf, r->buf + total, r->len - total);
	r->len -= total;
	return 1;
}

const char *
mqtt_connack_text(unsigned code)
{
	static const char *const text[] = {
		"accepted", "unacceptable protocol version", "client identifier rejected",
		"server unavailable", "bad user name or password", "not authorized",
	};
	return code < sizeof text / sizeof text[0] ? text[code] : "refused";
}
