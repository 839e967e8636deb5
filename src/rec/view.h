/* What the tree writers (TLV in rec/tlv_write.c, JSON in out/cosem_json.c) say about an
 * element beyond its type and value, decided in one place so both say the same: a
 * {scaler, unit} pair, an OBIS code, a COSEM clock. */
#ifndef REC_VIEW_H
#define REC_VIEW_H
#include <stddef.h>
#include <stdint.h>
#include "base/civil.h"
#include "cosem/axdr.h"

enum view_kind {
	VIEW_PLAIN,		/* nothing to add */
	VIEW_OBIS,		/* an octet-string of 6: an OBIS code */
	VIEW_CLOCK		/* an octet-string of 12 that is a plausible date-time */
};

/* The annotation of node i. */
enum view_kind view_of(const struct axdr_tree *t, size_t i);

/* A COSEM date-time decoded for display. */
struct view_time {
	char text[CIVIL_TEXT_MAX];
	size_t len;		/* 0: date or time not specified */
	int deviation;		/* minutes, or DLMSTIME_DEV_UNSPEC */
	int status;		/* clock status, or DLMSTIME_UNSPEC */
	int dst;		/* status bit 7 */
	int plausible;		/* every field in range or not specified */
};
void view_time(const uint8_t b[12], struct view_time *vt);

/* The unit name of an enum that follows an integer at the same depth (the enum of a
 * {scaler, unit} pair), or NULL. */
const char *view_unit_after_scaler(const struct axdr_tree *t, size_t i);
/* The unit name of a {scaler, unit} pair's code, "unknown" for an unassigned code. */
const char *view_unit_name(unsigned code);

#endif
