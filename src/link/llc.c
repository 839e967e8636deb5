/* LLC header recognition; see llc.h. */
#include <string.h>
#include "link/llc.h"

enum llc_result
llc_parse(const uint8_t *p, size_t n, uint8_t llc[LLC_LEN])
{
	if (n == 0 || (p[0] != LLC_DST_LSAP && p[0] != LLC_SRC_RESPONSE))
		return LLC_NONE;
	if (n < LLC_LEN)
		return LLC_SHORT;
	/* the quality byte is not checked: it is reserved, and meters send 00 */
	if (p[0] != LLC_DST_LSAP || (p[1] != LLC_SRC_COMMAND && p[1] != LLC_SRC_RESPONSE))
		return LLC_BAD;
	memcpy(llc, p, LLC_LEN);
	return LLC_FOUND;
}
