/* The IEC 62056-46 LLC header that precedes an APDU in an HDLC information field:
 * destination LSAP E6, source LSAP E7 (a response, as meters push) or E6 (a command),
 * quality 00. */
#ifndef LINK_LLC_H
#define LINK_LLC_H
#include <stddef.h>
#include <stdint.h>

#define LLC_LEN 3
#define LLC_DST_LSAP 0xe6
#define LLC_SRC_RESPONSE 0xe7
#define LLC_SRC_COMMAND 0xe6
#define LLC_QUALITY 0x00

enum llc_result {
	LLC_NONE = 0,		/* the bytes do not start with an LLC header */
	LLC_FOUND = 1,		/* LLC_LEN bytes of header */
	LLC_BAD = -1,		/* starts like one (E6/E7) but is not */
	LLC_SHORT = -2		/* starts like one but ends inside it */
};

/* Look for the header at p; on LLC_FOUND its bytes are copied to llc. */
enum llc_result llc_parse(const uint8_t *p, size_t n, uint8_t llc[LLC_LEN]);

#endif
