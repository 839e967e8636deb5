/* Home Assistant MQTT discovery: the retained config message that makes one key of one
 * meter an entity (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery), with
 * the unit, device class and state class of the key table, a device block per meter and
 * ids that stay the same across restarts, so the entities survive them. */
#ifndef OUT_HA_H
#define OUT_HA_H
#include <stddef.h>
#include "base/io.h"

struct ha_device {
	const char *node;	/* the meter id made safe for a topic and an id ([A-Za-z0-9_-]) */
	const char *manufacturer, *model, *serial;	/* JSON strings with quotes, or NULL */
	size_t manufacturer_len, model_len, serial_len;
};

/* Whether a key (a key table name or obis_*) becomes an entity: measurements and
 * registers do; labels, clocks and the record's metadata are the device's or not values. */
int ha_is_entity(const char *key, size_t n);
/* The config topic: PREFIX/sensor/hantools_NODE/KEY/config. The length, 0 if it does
 * not fit. */
size_t ha_config_topic(char *buf, size_t cap, const char *prefix, const char *node,
    const char *key, size_t klen);
/* The config payload of key for device d, its state in JSON on state_topic, available
 * while avail_topic holds "online"; numeric: whether the value is a number (an obis_*
 * text gets no state class, which would make Home Assistant refuse it). */
void ha_config(struct output *o, const struct ha_device *d, const char *key, size_t klen,
    int numeric, const char *state_topic, const char *avail_topic);
/* s made safe for a topic level and an id: other bytes than [A-Za-z0-9_-] become '_'.
 * The length (at most cap - 1). */
size_t ha_node(char *buf, size_t cap, const char *s, size_t n);

#endif
