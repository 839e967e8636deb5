/* The APDU inside an HDLC information field: LLC header, data-notification header
 * (long-invoke-id-and-priority, optional date-time in its three encodings), body. */
#include <string.h>
#include "cosem/apdu.h"

static const struct { uint8_t tag; const char *name; } tags[] = {
	{ 0x01, "initiate-request" }, { 0x08, "initiate-response" },
	{ 0x0e, "confirmed-service-error" }, { 0x0f, "data-notification" },
	{ 0x60, "aarq" }, { 0x61, "aare" }, { 0x62, "rlrq" }, { 0x63, "rlre" },
	{ 0xc0, "get-request" }, { 0xc1, "set-request" }, { 0xc2, "event-notification-request" },
	{ 0xc3, "action-request" }, { 0xc4, "get-response" }, { 0xc5, "set-response" },
	{ 0xc7, "action-response" }, { 0xd8, "exception-response" },
	{ 0xdb, "general-glo-ciphering" }, { 0xdc, "general-ded-ciphering" },
	{ 0xdd, "general-ciphering" }, { 0xdf, "general-signing" },
	{ 0xe0, "general-block-transfer" },
};

const char *
apdu_tagname(uint8_t tag)
{
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (tags[i].tag == tag)
			return tags[i].name;
	return NULL;
}

const char *
apdu_errname(enum apdu_err e)
{
	switch (e) {
	case APDU_OK: return "ok";
	case APDU_ERR_SHORT: return "truncated APDU header";
	case APDU_ERR_LLC: return "bad LLC header";
	case APDU_ERR_TAG: return "unknown APDU tag";
	case APDU_ERR_DATETIME: return "bad date-time field";
	}
	return "unknown error";
}

enum apdu_err
apdu_parse(const uint8_t *p, size_t n, struct apdu *a, size_t *errpos)
{
	size_t pos = 0;
	memset(a, 0, sizeof *a);
	*errpos = 0;
	if (n == 0)
		return APDU_ERR_SHORT;
	/* LLC: destination LSAP E6, source LSAP E7 (response) or E6 (command), quality 00 */
	if (p[0] == 0xe6 || p[0] == 0xe7) {
		if (n < 3)
			return APDU_ERR_SHORT;
		if (p[0] != 0xe6 || (p[1] != 0xe6 && p[1] != 0xe7))
			return APDU_ERR_LLC;
		a->has_llc = 1;
		memcpy(a->llc, p, 3);
		pos = 3;
		if (pos >= n)
			return *errpos = pos, APDU_ERR_SHORT;
	}
	a->tag = p[pos];
	a->p = p + pos;
	a->len = n - pos;
	if (apdu_tagname(a->tag) == NULL)
		return *errpos = pos, APDU_ERR_TAG;
	if (a->tag != 0x0f)
		return APDU_OK;
	pos++;
	if (n - pos < 5)
		return *errpos = n, APDU_ERR_SHORT;
	a->invoke_raw = (uint32_t)p[pos] << 24 | (uint32_t)p[pos + 1] << 16 |
	    (uint32_t)p[pos + 2] << 8 | p[pos + 3];
	pos += 4;
	a->invoke_id = a->invoke_raw & 0xffffff;
	a->prio_high = a->invoke_raw >> 31 & 1;
	a->confirmed = a->invoke_raw >> 30 & 1;
	a->break_on_error = a->invoke_raw >> 29 & 1;
	a->self_descriptive = a->invoke_raw >> 28 & 1;
	if (p[pos] == 0x00) {
		a->time_enc = APDU_TIME_NONE;
		pos++;
	} else if (p[pos] == 0x09) {
		if (n - pos < 2)
			return *errpos = n, APDU_ERR_SHORT;
		if (p[pos + 1] != 0x0c)
			return *errpos = pos + 1, APDU_ERR_DATETIME;
		if (n - pos < 14)
			return *errpos = n, APDU_ERR_SHORT;
		a->time_enc = APDU_TIME_TAGGED;
		memcpy(a->time, p + pos + 2, 12);
		pos += 14;
	} else if (p[pos] == 0x0c) {
		if (n - pos < 13)
			return *errpos = n, APDU_ERR_SHORT;
		a->time_enc = APDU_TIME_BARE;
		memcpy(a->time, p + pos + 1, 12);
		pos += 13;
	} else {
		return *errpos = pos, APDU_ERR_DATETIME;
	}
	a->body = p + pos;
	a->body_len = n - pos;
	return APDU_OK;
}
