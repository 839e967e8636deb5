/* The APDU inside an HDLC information field: LLC header, data-notification header
 * (long-invoke-id-and-priority, optional date-time in its three encodings), body. */
#include <string.h>
#include "base/cursor.h"
#include "base/fail.h"
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/dlmstime.h"
#include "link/llc.h"

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
	case APDU_OK: return fail_token(FAIL_NONE);
	case APDU_ERR_SHORT: return fail_token(FAIL_SHORT_APDU);
	case APDU_ERR_LLC: return fail_token(FAIL_BAD_LLC);
	case APDU_ERR_TAG: return fail_token(FAIL_UNKNOWN_APDU);
	case APDU_ERR_DATETIME: return fail_token(FAIL_BAD_DATETIME);
	}
	return fail_token(FAIL_N);
}

enum apdu_err
apdu_parse(const uint8_t *p, size_t n, struct apdu *a, size_t *errpos)
{
	struct cursor c;
	size_t pos = 0;
	unsigned dt;

	memset(a, 0, sizeof *a);
	*errpos = 0;
	if (n == 0)
		return APDU_ERR_SHORT;
	switch (llc_parse(p, n, a->llc)) {
	case LLC_SHORT:
		return APDU_ERR_SHORT;
	case LLC_BAD:
		return APDU_ERR_LLC;
	case LLC_FOUND:
		a->has_llc = 1;
		pos = LLC_LEN;
		if (pos >= n)
			return *errpos = pos, APDU_ERR_SHORT;
		break;
	case LLC_NONE:
		break;
	}
	a->tag = p[pos];
	a->p = p + pos;
	a->len = n - pos;
	if (apdu_tagname(a->tag) == NULL)
		return *errpos = pos, APDU_ERR_TAG;
	if (a->tag != APDU_DATA_NOTIFICATION)
		return APDU_OK;
	/* long-invoke-id-and-priority, then the date-time's first byte */
	cur_init(&c, a->p + 1, a->len - 1);
	a->invoke_raw = get_be32(&c);
	dt = get_u8(&c);
	if (c.bad)
		return *errpos = n, APDU_ERR_SHORT;
	a->invoke_id = a->invoke_raw & 0xffffff;
	a->prio_high = a->invoke_raw >> 31 & 1;
	a->confirmed = a->invoke_raw >> 30 & 1;
	a->break_on_error = a->invoke_raw >> 29 & 1;
	a->self_descriptive = a->invoke_raw >> 28 & 1;
	pos += 1 + 4;
	if (dt == 0x00) {
		a->time_enc = APDU_TIME_NONE;
	} else if (dt == AXDR_OCTET_STRING) {
		/* an octet-string: its length must be that of a COSEM date-time */
		unsigned len = get_u8(&c);
		if (c.bad)
			return *errpos = n, APDU_ERR_SHORT;
		if (len != DLMSTIME_LEN)
			return *errpos = pos + 1, APDU_ERR_DATETIME;
		a->time_enc = APDU_TIME_TAGGED;
	} else if (dt == DLMSTIME_LEN) {
		/* the length alone, as Kamstrup sends it */
		a->time_enc = APDU_TIME_BARE;
	} else {
		return *errpos = pos, APDU_ERR_DATETIME;
	}
	if (a->time_enc != APDU_TIME_NONE) {
		const uint8_t *t = get_bytes(&c, DLMSTIME_LEN);
		if (!t)
			return *errpos = n, APDU_ERR_SHORT;
		memcpy(a->time, t, DLMSTIME_LEN);
	}
	a->body = a->p + 1 + c.pos;
	a->body_len = a->len - 1 - c.pos;
	return APDU_OK;
}
