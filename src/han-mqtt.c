/* han-mqtt: ams-fields JSON Lines in, MQTT out: each meter's fields on one state topic
 * and, once per field, a retained Home Assistant discovery config; availability through a
 * last will. Reconnects with back-off; while the broker is away a bounded queue holds the
 * messages, and what does not fit is dropped and counted. Options and the main loop only;
 * the packets are out/mqtt.c, the discovery configs out/ha.c. Over 400 lines: the
 * connection's state machine (connect, in-flight QoS 1 messages, keep-alive, back-off)
 * and the per-meter state are the tool's own. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/io.h"
#include "base/jsonflat.h"
#include "fields/keytab.h"
#include "out/ha.h"
#include "out/mqtt.h"
#include "port/net.h"

static const char usage_line[] =
    "usage: han-mqtt [-hV] [-b host[:port]] [-c id] [-d prefix] [-l count] [-Q 0|1]\n"
    "                [-t prefix] [-u user] [-w seconds] [file ...]\n";
static const char help_text[] =
    "Publish ams-fields JSON Lines to an MQTT broker, with Home Assistant discovery.\n"
    "  -b host[:port]  the broker (default localhost:1883)\n"
    "  -c id           MQTT client id (default hantools-HOSTNAME)\n"
    "  -d prefix       discovery prefix (default homeassistant)\n"
    "  -h              print this help and exit (also --help)\n"
    "  -l count        messages held while the broker is away, 1 to 1000 (default 1000)\n"
    "  -Q qos          0 or 1 (default 1)\n"
    "  -t prefix       topic prefix of states and availability (default hantools)\n"
    "  -u user         user name; the password comes from the file named by\n"
    "                  HAN_MQTT_PASSWORD_FILE or from HAN_MQTT_PASSWORD, never an argument\n"
    "  -V              print the version and exit (also --version)\n"
    "  -w seconds      at the end of the input, wait that long to deliver (default 10)\n";

#define QMAX 1000		/* messages held */
#define PKT_MAX 4096		/* one message: a merged state of every key fits */
#define METERS 16
#define VAL_MAX 96		/* a value's JSON text */
#define OBIS_KEYS 32		/* obis_* keys per meter */
#define KEEPALIVE 60
#define BACKOFF_MAX 60

struct qmsg {
	uint16_t id;		/* packet id (QoS 1) */
	uint8_t qos, sent;	/* sent: written (QoS 0: done; QoS 1: waits for PUBACK) */
	short meter, key;	/* a config's meter and key (-1: a state), unmarked if dropped */
	size_t len;
	uint8_t pkt[PKT_MAX];
};

struct meter {
	int used;
	unsigned long last;	/* for the least recently used */
	char node[64];		/* the meter id safe for topics */
	char id[VAL_MAX], manu[VAL_MAX], model[VAL_MAX];	/* JSON strings, "" if none */
	char val[K_NKEYS + OBIS_KEYS][VAL_MAX];	/* a value's JSON text, "" if none yet */
	char obis[OBIS_KEYS][40];
	unsigned char announced[K_NKEYS + OBIS_KEYS];
};

static struct {
	const char *host, *port, *client, *disc, *prefix, *user;
	char *pass;
	int qos, limit;
	double wait;
} opt = { "localhost", "1883", NULL, "homeassistant", "hantools", NULL, NULL, 1, QMAX, 10 };

static struct qmsg q[QMAX];
static int qhead, qlen, qsend;	/* qsend: messages from the head already written */
static size_t woff;		/* bytes of the next message written */
static uint16_t next_id = 1;
static struct meter meters[METERS];
static unsigned long tick;
static unsigned long dropped, no_meter, bad_lines;
static int sock = -1, connected;	/* connected: CONNACK accepted */
static double last_out, last_in, next_try, backoff = 1, up_since;
static char avail_topic[256], hostname[64];
static struct mqtt_rx rx;
static struct output ob;	/* a payload being built (never written to a file) */

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void
usage(void)
{
	fputs(usage_line, stderr);
	exit(2);
}

static struct qmsg *
qat(int i)
{
	return &q[(qhead + i) % QMAX];
}

/* A full queue with nothing in flight (the broker away) drops its oldest message; one
 * with messages in flight (a slow broker) takes no new one. A dropped config is sent again
 * when its key is next seen. 0 when there is room now. */
static int
make_room(void)
{
	struct qmsg *m;

	if (qlen < opt.limit)
		return 0;
	dropped++;
	if (qsend)
		return -1;
	m = qat(0);
	if (m->meter >= 0)
		meters[m->meter].announced[m->key] = 0;
	qhead = (qhead + 1) % QMAX;
	qlen--;
	return 0;
}

static void
enqueue(const char *topic, const void *payload, size_t plen, int retain, int meter, int key)
{
	struct qmsg *m;
	uint16_t id = 0;

	if (opt.qos) {
		id = next_id++;
		if (!next_id)
			next_id = 1;
	}
	if (make_room() < 0) {
		if (meter >= 0)
			meters[meter].announced[key] = 0;
		return;
	}
	m = qat(qlen++);
	m->len = mqtt_publish(m->pkt, PKT_MAX, topic, strlen(topic), payload, plen, opt.qos,
	    retain, id);
	m->id = id;
	m->qos = (uint8_t)opt.qos;
	m->sent = 0;
	m->meter = (short)meter;
	m->key = (short)key;
	if (!m->len) {		/* too long for a message: not sent */
		qlen--;
		dropped++;
	}
}

static void
drop_connection(const char *why)
{
	if (sock >= 0) {
		fprintf(stderr, "han-mqtt: %s:%s: %s; reconnecting in %g s\n", opt.host, opt.port,
		    why, backoff);
		close(sock);
	}
	sock = -1;
	connected = 0;
	rx.len = 0;
	/* what was in flight is sent again, as a duplicate when it had an id */
	for (int i = 0; i < qsend; i++)
		if (qat(i)->qos)
			mqtt_set_dup(qat(i)->pkt);
	qsend = 0;
	woff = 0;
	next_try = now() + backoff;
	if (now() - up_since < 30)	/* a connection that did not last: wait longer */
		backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2;
	else
		backoff = 1;
}

static void
try_connect(void)
{
	static uint8_t pkt[1024];
	struct mqtt_will will = { avail_topic, "offline", 1, 1 };
	size_t n;
	int gai;

	if ((sock = net_connect(opt.host, opt.port, 10000, -1, &gai)) < 0) {
		fprintf(stderr, "han-mqtt: %s:%s: %s; retrying in %g s\n", opt.host, opt.port,
		    gai ? gai_strerror(gai) : strerror(errno), backoff);
		next_try = now() + backoff;
		backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2;
		return;
	}
	n = mqtt_connect(pkt, sizeof pkt, opt.client, KEEPALIVE, &will, opt.user, opt.pass);
	/* a fresh socket takes a few hundred bytes at once */
	if (!n || write(sock, pkt, n) != (ssize_t)n) {
		drop_connection("cannot send CONNECT");
		return;
	}
	up_since = last_in = last_out = now();
}

/* A broker's packet. */
static void
received(int type, unsigned arg)
{
	last_in = now();
	if (type == MQTT_CONNACK) {
		if (arg != 0) {
			char why[80];
			snprintf(why, sizeof why, "connection refused: %s", mqtt_connack_text(arg));
			drop_connection(why);
			return;
		}
		connected = 1;
		if (dropped)
			fprintf(stderr, "han-mqtt: %lu messages dropped so far (queue full)\n",
			    dropped);
		/* availability first: before anything else goes out */
		{
			struct qmsg *m;
			if (make_room() < 0)
				return;
			/* put "online" at the head of the queue */
			m = &q[(qhead + QMAX - 1) % QMAX];
			m->len = mqtt_publish(m->pkt, PKT_MAX, avail_topic, strlen(avail_topic),
			    "online", 6, opt.qos, 1, opt.qos ? next_id : 0);
			m->id = opt.qos ? next_id : 0;
			if (opt.qos && !++next_id)
				next_id = 1;
			m->qos = (uint8_t)opt.qos;
			m->sent = 0;
			m->meter = m->key = -1;
			qhead = (qhead + QMAX - 1) % QMAX;
			qlen++;
		}
	} else if (type == MQTT_PUBACK) {
		for (int i = 0; i < qsend; i++)
			if (qat(i)->qos && qat(i)->id == arg)
				qat(i)->sent = 2;	/* acknowledged */
	}
	/* done from the head: QoS 0 written, QoS 1 acknowledged */
	while (qlen && qsend && (qat(0)->sent == 2 || (qat(0)->qos == 0 && qat(0)->sent))) {
		qhead = (qhead + 1) % QMAX;
		qlen--;
		qsend--;
	}
}

static void
sock_read(void)
{
	int type, flags, r;
	unsigned arg;
	ssize_t n = read(sock, rx.buf + rx.len, sizeof rx.buf - rx.len);

	if (n == 0) {
		drop_connection("the broker closed the connection");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			drop_connection(strerror(errno));
		return;
	}
	rx.len += (size_t)n;
	while (sock >= 0 && (r = mqtt_rx_next(&rx, &type, &flags, &arg)) != 0) {
		if (r < 0) {
			drop_connection("not an MQTT stream");
			return;
		}
		received(type, arg);
	}
}

/* Write what the socket takes: at most 16 QoS 1 messages in flight. */
static void
sock_write(void)
{
	while (connected && qsend < qlen) {
		struct qmsg *m = qat(qsend);
		int inflight = 0;
		ssize_t w;
		for (int i = 0; i < qsend; i++)
			inflight += qat(i)->qos && qat(i)->sent == 1;
		if (m->qos && inflight >= 16)
			return;
		w = write(sock, m->pkt + woff, m->len - woff);
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				drop_connection(strerror(errno));
			return;
		}
		last_out = now();
		if ((woff += (size_t)w) < m->len)
			return;
		woff = 0;
		m->sent = 1;
		qsend++;
		if (!m->qos)
			received(-1, 0);	/* QoS 0 is done once written */
	}
}

/* The meter a record is about: by its meter_id, or for a list without one (list 1) the
 * one of the same manufacturer seen last. */
static int
find_meter(const struct jmember *id, const struct jmember *manu)
{
	int best = -1, free_one = -1, lru = 0;
	char node[64];

	if (!id) {
		for (int i = 0; i < METERS; i++)
			if (meters[i].used && (!manu || (strlen(meters[i].manu) == manu->vlen &&
			    !memcmp(meters[i].manu, manu->val, manu->vlen))) &&
			    (best < 0 || meters[i].last > meters[best].last))
				best = i;
		return best;
	}
	if (id->vlen >= VAL_MAX || id->vlen <= 2)
		return -1;
	ha_node(node, sizeof node, id->val + 1, id->vlen - 2);
	for (int i = 0; i < METERS; i++) {
		if (meters[i].used && !strcmp(meters[i].node, node))
			return i;
		if (!meters[i].used && free_one < 0)
			free_one = i;
		if (meters[i].last < meters[lru].last)
			lru = i;
	}
	best = free_one >= 0 ? free_one : lru;
	memset(&meters[best], 0, sizeof meters[best]);
	meters[best].used = 1;
	strcpy(meters[best].node, node);
	memcpy(meters[best].id, id->val, id->vlen);
	return best;
}

static void
copy_val(char *dst, const struct jmember *m)
{
	if (m && m->vlen < VAL_MAX) {
		memcpy(dst, m->val, m->vlen);
		dst[m->vlen] = '\0';
	}
}

/* One ams-fields record: the meter's values updated, a config for each key not announced
 * yet, and the meter's state (every value it has sent, the latest of each). */
static void
record(const char *line, size_t n)
{
	struct jmember mb[K_NKEYS + 64], *id = NULL, *manu = NULL, *model = NULL;
	char topic[512], state_topic[256];
	int nm = jsonflat_parse(line, n, mb, (int)(sizeof mb / sizeof mb[0])), mi;
	struct meter *me;

	if (nm < 0) {
		bad_lines++;
		return;
	}
	for (int i = 0; i < nm; i++) {
		if (mb[i].klen == 8 && !memcmp(mb[i].key, "meter_id", 8) && mb[i].str)
			id = &mb[i];
		else if (mb[i].klen == 18 && !memcmp(mb[i].key, "meter_manufacturer", 18) && mb[i].str)
			manu = &mb[i];
		else if (mb[i].klen == 10 && !memcmp(mb[i].key, "meter_type", 10) && mb[i].str)
			model = &mb[i];
	}
	if ((mi = find_meter(id, manu)) < 0) {
		no_meter++;
		return;
	}
	me = &meters[mi];
	me->last = ++tick;
	me->val[K_IMPLAUSIBLE][0] = '\0';	/* about one record: it does not carry over */
	copy_val(me->manu, manu);
	copy_val(me->model, model);
	snprintf(state_topic, sizeof state_topic, "%s/%s/state", opt.prefix, me->node);
	for (int i = 0; i < nm; i++) {
		int k = key_byname(mb[i].key, mb[i].klen), slot = k;
		if (mb[i].vlen >= VAL_MAX)
			continue;
		if (k < 0) {
			if (mb[i].klen >= sizeof me->obis[0])
				continue;
			for (slot = K_NKEYS; slot < K_NKEYS + OBIS_KEYS; slot++)
				if (!me->obis[slot - K_NKEYS][0] ||
				    (strlen(me->obis[slot - K_NKEYS]) == mb[i].klen &&
				    !memcmp(me->obis[slot - K_NKEYS], mb[i].key, mb[i].klen)))
					break;
			if (slot == K_NKEYS + OBIS_KEYS)
				continue;
			memcpy(me->obis[slot - K_NKEYS], mb[i].key, mb[i].klen);
			me->obis[slot - K_NKEYS][mb[i].klen] = '\0';
		}
		copy_val(me->val[slot], &mb[i]);
		if (!me->announced[slot] && ha_is_entity(mb[i].key, mb[i].klen)) {
			struct ha_device d = { me->node, me->manu[0] ? me->manu : NULL,
				me->model[0] ? me->model : NULL, me->id, strlen(me->manu),
				strlen(me->model), strlen(me->id) };
			if (!ha_config_topic(topic, sizeof topic, opt.disc, me->node, mb[i].key,
			    mb[i].klen))
				continue;
			ob.len = 0;
			ha_config(&ob, &d, mb[i].key, mb[i].klen, !mb[i].str, state_topic,
			    avail_topic);
			me->announced[slot] = 1;
			enqueue(topic, ob.buf, ob.len, 1, mi, slot);
		}
	}
	/* the state: every key the meter has sent, in key table order, obis_* last */
	ob.len = 0;
	out_char(&ob, '{');
	for (int s = 0, first = 1; s < K_NKEYS + OBIS_KEYS; s++) {
		if (!me->val[s][0])
			continue;
		if (!first)
			out_char(&ob, ',');
		first = 0;
		out_char(&ob, '"');
		out_str(&ob, s < K_NKEYS ? keytab[s].name : me->obis[s - K_NKEYS]);
		out_str(&ob, "\":");
		out_str(&ob, me->val[s]);
	}
	out_char(&ob, '}');
	enqueue(state_topic, ob.buf, ob.len, 0, -1, -1);
}

/* The password: from the file HAN_MQTT_PASSWORD_FILE names (its first line), or from
 * HAN_MQTT_PASSWORD; never from the command line, where ps(1) would show it. */
static char *
password(void)
{
	static char buf[256];
	const char *f = getenv("HAN_MQTT_PASSWORD_FILE"), *p = getenv("HAN_MQTT_PASSWORD");
	ssize_t n;
	int fd;

	if (f && *f) {
		if ((fd = open(f, O_RDONLY | O_CLOEXEC)) < 0) {
			fprintf(stderr, "han-mqtt: %s: %s\n", f, strerror(errno));
			exit(1);
		}
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n < 0) {
			fprintf(stderr, "han-mqtt: %s: %s\n", f, strerror(errno));
			exit(1);
		}
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		return buf;
	}
	return p ? strncpy(buf, p, sizeof buf - 1) : NULL;
}

static double
number(int letter, const char *s, double lo, double hi, int whole, const char *what)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (e == s || *e || errno || !(v >= lo && v <= hi) || (whole && v != (double)(long)v)) {
		fprintf(stderr, "han-mqtt: -%c: %s must be a %snumber from %.15g to %.15g: %s\n",
		    letter, what, whole ? "whole " : "", lo, hi, s);
		usage();
	}
	return v;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char lbuf[LINE_MAX_LEN + 1], client[128];
	static char host[256], port[32];
	struct input in;
	size_t llen = 0;
	int c, rc = 0, r, eof = 0, skipping = 0;
	double deadline = 0;

	io_std_open();
	while ((c = getopt_long(argc, argv, "b:c:d:hl:Q:t:u:Vw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			r = net_split(optarg, host, sizeof host, port, sizeof port);
			if (r == 0 && strlen(optarg) < sizeof host && *optarg) {
				strcpy(host, optarg);
				strcpy(port, "1883");
			} else if (r < 0) {
				fprintf(stderr, "han-mqtt: -b: not host[:port]: %s\n", optarg);
				usage();
			}
			if (!net_port_ok(port)) {
				fprintf(stderr, "han-mqtt: -b: the port must be from 1 to 65535: %s\n",
				    port);
				usage();
			}
			opt.host = host;
			opt.port = port;
			break;
		case 'c': opt.client = optarg; break;
		case 'd': opt.disc = optarg; break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'l': opt.limit = (int)number('l', optarg, 1, QMAX, 1, "the count"); break;
		case 'Q': opt.qos = (int)number('Q', optarg, 0, 1, 1, "the QoS"); break;
		case 't': opt.prefix = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'V':
			printf("%s (hantools) %s\n", "han-mqtt", HAN_VERSION);
			return 0;
		case 'w': opt.wait = number('w', optarg, 0, 3600, 0, "the time in seconds"); break;
		default:
			usage();
		}
	}
	for (const char *s = opt.prefix; *s; s++)
		if (*s == '+' || *s == '#') {
			fprintf(stderr, "han-mqtt: -t: no + or # in a topic: %s\n", opt.prefix);
			usage();
		}
	for (const char *s = opt.disc; *s; s++)
		if (*s == '+' || *s == '#') {
			fprintf(stderr, "han-mqtt: -d: no + or # in a topic: %s\n", opt.disc);
			usage();
		}
	opt.pass = password();
	if (opt.pass && !opt.user) {
		fputs("han-mqtt: a password without a user name (-u)\n", stderr);
		usage();
	}
	if (!opt.client) {
		if (gethostname(hostname, sizeof hostname - 1) < 0)
			strcpy(hostname, "host");
		snprintf(client, sizeof client, "hantools-%s", hostname);
		opt.client = client;
	}
	snprintf(avail_topic, sizeof avail_topic, "%s/status", opt.prefix);
	out_init(&ob, -1);
	input_init(&in, argv + optind, argc - optind, NULL);
	if ((r = input_next(&in)) <= 0)
		eof = 1;
	if (r < 0) {
		fprintf(stderr, "han-mqtt: %s: %s\n", in.name, strerror(errno));
		rc = 1;
	}
	next_try = now();
	for (;;) {
		struct pollfd p[2];
		int np = 0, timeout = 1000;
		double t = now();

		if (eof && !deadline)
			deadline = t + opt.wait;
		if (eof && (qlen == 0 || t >= deadline))
			break;
		if (sock < 0 && t >= next_try)
			try_connect();
		if (sock >= 0 && connected && t - last_out > KEEPALIVE / 2) {
			uint8_t ping[2];
			if (write(sock, ping, mqtt_simple(ping, 2, MQTT_PINGREQ)) == 2)
				last_out = t;
		}
		if (sock >= 0 && t - last_in > KEEPALIVE * 1.5)
			drop_connection("no answer from the broker");
		if (sock >= 0)
			sock_write();
		if (sock >= 0) {
			p[np].fd = sock;
			p[np].events = POLLIN | (connected && qsend < qlen ? POLLOUT : 0);
			np++;
		}
		if (!eof) {
			p[np].fd = in.fd;
			p[np].events = POLLIN;
			np++;
		}
		if (sock < 0 && next_try > t)
			timeout = (int)((next_try - t) * 1000) + 1;
		if (timeout > 1000)
			timeout = 1000;
		if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "han-mqtt: poll: %s\n", strerror(errno));
			return 1;
		}
		if (sock >= 0 && p[0].revents & (POLLIN | POLLHUP | POLLERR))
			sock_read();
		if (sock >= 0 && p[0].revents & POLLOUT)
			sock_write();
		if (!eof && p[np - 1].revents) {
			ssize_t got = input_read(&in, lbuf + llen, sizeof lbuf - 1 - llen);
			if (got <= 0) {
				if (got < 0) {
					fprintf(stderr, "han-mqtt: %s: %s\n", in.name, strerror(errno));
					rc = 1;
				}
				if (llen && !skipping)
					record(lbuf, llen);
				llen = 0;
				skipping = 0;
				input_close(&in);
				while ((r = input_next(&in)) < 0) {
					fprintf(stderr, "han-mqtt: %s: %s\n", in.name, strerror(errno));
					rc = 1;
				}
				if (r == 0)
					eof = 1;
				continue;
			}
			llen += (size_t)got;
			for (;;) {
				char *nl = memchr(lbuf, '\n', llen);
				size_t len;
				if (!nl) {
					if (llen == sizeof lbuf - 1) {	/* longer than any record */
						skipping = 1;
						bad_lines++;
						llen = 0;
					}
					break;
				}
				len = (size_t)(nl - lbuf);
				if (!skipping && len)
					record(lbuf, len);
				skipping = 0;
				llen -= len + 1;
				memmove(lbuf, nl + 1, llen);
			}
		}
	}
	if (sock >= 0 && connected) {
		/* a clean end: offline, retained, then DISCONNECT (so the will is not sent) */
		uint8_t pkt[512];
		size_t n = mqtt_publish(pkt, sizeof pkt, avail_topic, strlen(avail_topic),
		    "offline", 7, 0, 1, 0);
		n += mqtt_simple(pkt + n, sizeof pkt - n, MQTT_DISCONNECT);
		if (write(sock, pkt, n) != (ssize_t)n)
			rc = 1;
		close(sock);
	}
	if (bad_lines)
		fprintf(stderr, "han-mqtt: %lu lines were not ams-fields JSON\n", bad_lines);
	if (no_meter)
		fprintf(stderr, "han-mqtt: %lu records before any meter_id were not sent\n",
		    no_meter);
	if (dropped)
		fprintf(stderr, "han-mqtt: %lu messages dropped (queue full)\n", dropped);
	if (qlen) {
		fprintf(stderr, "han-mqtt: %d messages not delivered\n", qlen);
		rc = 1;
	}
	return rc;
}
