/* MQTT 3.1.1 packets for a publisher (OASIS mqtt-v3.1.1): CONNECT with a will and
 * credentials, PUBLISH at QoS 0 or 1, PINGREQ and DISCONNECT written into a caller's
 * buffer, and the packets a broker sends back (CONNACK, PUBACK, PINGRESP) cut from a byte
 * stream. No I/O and no printing: the tool owns the socket. */
#ifndef OUT_MQTT_H
#define OUT_MQTT_H
#include <stddef.h>
#include <stdint.h>

enum {
	MQTT_CONNECT = 1, MQTT_CONNACK = 2, MQTT_PUBLISH = 3, MQTT_PUBACK = 4,
	MQTT_PINGREQ = 12, MQTT_PINGRESP = 13, MQTT_DISCONNECT = 14
};

struct mqtt_will {
	const char *topic, *msg;	/* topic NULL: no will */
	int qos, retain;
};

/* Each writer returns the packet's length, or 0 when it does not fit in cap (or a
 * string is longer than 65535 bytes). user and pass may be NULL. */
size_t mqtt_connect(uint8_t *buf, size_t cap, const char *client_id, unsigned keepalive_s,
    const struct mqtt_will *will, const char *user, const char *pass);
size_t mqtt_publish(uint8_t *buf, size_t cap, const char *topic, size_t tlen,
    const void *payload, size_t plen, int qos, int retain, uint16_t id);
/* PINGREQ or DISCONNECT: two bytes. */
size_t mqtt_simple(uint8_t *buf, size_t cap, int type);
/* A PUBLISH packet sent again after a reconnect: its DUP flag set. */
void mqtt_set_dup(uint8_t *pkt);

/* Packets from the broker, cut from what was read. */
#define MQTT_RX_MAX 4096
struct mqtt_rx {
	size_t len;
	uint8_t buf[MQTT_RX_MAX];
};
/* Take the next whole packet out of r: 1 and *type, *flags, its id (PUBACK) or return
 * code (CONNACK) in *arg; 0 when more bytes are needed; -1 when the stream is not MQTT
 * (a bad length, or a packet longer than MQTT_RX_MAX). */
int mqtt_rx_next(struct mqtt_rx *r, int *type, int *flags, unsigned *arg);
/* Why a CONNACK refused, as the standard names it. */
const char *mqtt_connack_text(unsigned code);

#endif
