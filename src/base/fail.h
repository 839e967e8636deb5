/* Failure tokens: the one vocabulary (fail.def) every layer reports its errors in. */
#ifndef BASE_FAIL_H
#define BASE_FAIL_H

enum fail {
#define FAIL(id, tok, what) id,
#include "base/fail.def"
#undef FAIL
	FAIL_N
};

/* The token ("bad-fcs") and its meaning in a few words. */
const char *fail_token(enum fail f);
const char *fail_what(enum fail f);

#endif
