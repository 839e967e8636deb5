/* The key option both decoding tools share (-k FILE, else $HAN_KEYS): the key file read
 * once, a warning when others may read it, the keys wiped at exit; and the words the tools
 * say about ciphered APDUs (which system title has no key, an unauthenticated meter once,
 * an invocation counter that went back). */
#ifndef OUT_KEYOPT_H
#define OUT_KEYOPT_H
#include <stddef.h>
#include "base/io.h"
#include "cosem/keyring.h"
#include "cosem/rx.h"

#define KEYOPT_ENV "HAN_KEYS"

/* Load the keys of path (the -k argument; NULL: $HAN_KEYS, or no keys when it is not
 * set). Returns 1 keys loaded, 0 none asked for, or the exit status of a failure after
 * saying why: -2 a key on the command line (a usage error), -1 a key file that cannot be
 * read or parsed. The keys are wiped at exit. */
int keyopt_load(struct output *o, struct keyring *kr, const char *path);

/* The detail of a failed ciphered APDU (m->sec set): its system title, as hex and text,
 * and for ic-went-back the two counters. NULL when there is nothing to add. */
const char *keyopt_detail(const struct rx_msg *m, char *buf, size_t n);

/* What is said on standard error about an APDU that was received: once per system title
 * that it is not authenticated, and every invocation counter that did not increase. */
void keyopt_notices(struct output *o, const char *file, long line, const struct rx_msg *m);

#endif
