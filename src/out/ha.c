/* Home Assistant MQTT discovery; see ha.h. */
#include <stdio.h>
#include <string.h>
#include "fields/keytab.h"
#include "out/ha.h"
#include "out/json.h"

int
ha_is_entity(const char *key, size_t n)
{
	int k = key_byname(key, n);

	if (k < 0)
		return n > 5 && memcmp(key, "obis_", 5) == 0;
	return !key_is(k, Q_META) && !key_is(k, Q_TEXT) && !key_is(k, Q_TIME);
}

size_t
ha_config_topic(char *buf, size_t cap, const char *prefix, const char *node, const char *key,
    size_t klen)
{
	int n = snprintf(buf, cap, "%s/sensor/hantools_%s/%.*s/config", prefix, node, (int)klen,
	    key);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t
ha_node(char *buf, size_t cap, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++) {
		char c = s[i];
		buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' ? c : '_';
	}
	buf[i] = '\0';
	return i;
}

static void
member(struct output *o, const char *name, const char *val, size_t n, int first)
{
	if (!first)
		out_char(o, ',');
	out_char(o, '"');
	out_str(o, name);
	out_str(o, "\":");
	out_write(o, val, n);
}

static void
member_str(struct output *o, const char *name, const char *s)
{
	out_str(o, ",\"");
	out_str(o, name);
	out_str(o, "\":");
	json_str(o, s, strlen(s));
}

void
ha_config(struct output *o, const struct ha_device *d, const char *key, size_t klen,
    int numeric, const char *state_topic, const char *avail_topic)
{
	char name[80], id[160], tmpl[160];
	int k = key_byname(key, klen);
	size_t i;

	/* "active_power_import" -> "Active power import": the entity's name on its device */
	for (i = 0; i < klen && i + 1 < sizeof name; i++)
		name[i] = key[i] == '_' ? ' ' : key[i];
	name[i] = '\0';
	if (name[0] >= 'a' && name[0] <= 'z')
		name[0] = (char)(name[0] - 'a' + 'A');
	snprintf(id, sizeof id, "hantools_%s_%.*s", d->node, (int)klen, key);
	snprintf(tmpl, sizeof tmpl, "{{ value_json.%.*s }}", (int)klen, key);
	out_char(o, '{');
	out_str(o, "\"name\":");
	json_str(o, name, strlen(name));
	member_str(o, "unique_id", id);
	member_str(o, "object_id", id);
	member_str(o, "state_topic", state_topic);
	member_str(o, "value_template", tmpl);
	member_str(o, "availability_topic", avail_topic);
	if (k >= 0 && key_unit(k))
		member_str(o, "unit_of_measurement", key_unit(k));
	if (k >= 0 && keytab[k].device_class)
		member_str(o, "device_class", keytab[k].device_class);
	if (k >= 0 && keytab[k].state_class)
		member_str(o, "state_class", keytab[k].state_class);
	else if (k < 0 && numeric)
		member_str(o, "state_class", "measurement");
	out_str(o, ",\"device\":{\"identifiers\":[");
	snprintf(id, sizeof id, "hantools_%s", d->node);
	json_str(o, id, strlen(id));
	out_char(o, ']');
	if (d->manufacturer)
		member(o, "manufacturer", d->manufacturer, d->manufacturer_len, 0);
	if (d->model)
		member(o, "model", d->model, d->model_len, 0);
	if (d->serial)
		member(o, "serial_number", d->serial, d->serial_len, 0);
	snprintf(name, sizeof name, "Meter %s", d->node);
	member_str(o, "name", name);
	out_str(o, "}}");
}
