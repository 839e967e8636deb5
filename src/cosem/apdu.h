/* The DLMS APDU carried in an HDLC information field: the optional LLC header
 * (E6 E7 00) and, for a data-notification (0x0F), its long-invoke-id-and-priority, its
 * optional date-time and the A-XDR body. Other APDU kinds are recognised, not decoded. */
#ifndef APDU_H
#define APDU_H
#include <stddef.h>
#include <stdint.h>
#include "cosem/dlmstime.h"

/* APDU tags the receive path acts on */
#define APDU_DATA_NOTIFICATION 0x0f
#define APDU_GLO_CIPHERING 0xdb
#define APDU_DED_CIPHERING 0xdc
#define APDU_GENERAL_BLOCK_TRANSFER 0xe0

enum apdu_err {
	APDU_OK = 0,
	APDU_ERR_SHORT,		/* ends inside the header */
	APDU_ERR_LLC,		/* starts like an LLC header (E6/E7) but is not E6 E7 00 */
	APDU_ERR_TAG,		/* not an APDU tag we know */
	APDU_ERR_DATETIME	/* the date-time field is neither 00, 09 0C nor 0C */
};

enum apdu_time { APDU_TIME_NONE, APDU_TIME_TAGGED /* 09 0C */, APDU_TIME_BARE /* 0C */ };

struct apdu {
	int has_llc;		/* E6 E7 00 present */
	uint8_t llc[3];
	uint8_t tag;		/* 0x0F data-notification, 0xDB general-glo-ciphering, 0xE0 GBT ... */
	const uint8_t *p;	/* the APDU from its tag */
	size_t len;
	/* data-notification only: */
	uint32_t invoke_raw;	/* long-invoke-id-and-priority as sent */
	uint32_t invoke_id;	/* bits 0-23 */
	int prio_high;		/* bit 31 */
	int confirmed;		/* bit 30: service class */
	int break_on_error;	/* bit 29: processing option */
	int self_descriptive;	/* bit 28 */
	enum apdu_time time_enc;
	uint8_t time[DLMSTIME_LEN];	/* COSEM date-time when time_enc != APDU_TIME_NONE */
	const uint8_t *body;	/* the notification body (A-XDR Data) */
	size_t body_len;
};

/* Parse an information field or bare APDU. *errpos gets the offset of a failure. */
enum apdu_err apdu_parse(const uint8_t *p, size_t n, struct apdu *a, size_t *errpos);
const char *apdu_errname(enum apdu_err e);
/* Name of an APDU tag ("data-notification", "general-glo-ciphering" ...), NULL if unknown. */
const char *apdu_tagname(uint8_t tag);

#endif
