/* cosem-decode -j: one JSON object per record with the APDU header and the typed tree. */
#ifndef OUT_COSEM_H
#define OUT_COSEM_H
#include "cosem/apdu.h"
#include "cosem/axdr.h"
#include "cosem/rx.h"
#include "base/io.h"

/* a NULL: a bare notification body. t NULL: an APDU kind that is not decoded. */
void cosem_json(struct output *o, long line, const char *time, const struct apdu *a,
    const struct axdr_tree *t);
/* A message of the receive path; a ciphered one gets "security": {"ciphered": "glo",
 * "system_title", "system_title_text", "maker", "sc", "ic", "authenticated",
 * "ic_went_back"} after "llc". */
void cosem_json_msg(struct output *o, long line, const char *time, const struct rx_msg *m);
/* An error record: the failure's token, the words that say more (or NULL), the byte (or
 * -1). */
void cosem_json_error(struct output *o, long line, const char *time, const char *token,
    const char *detail, long byte);

#endif
