/* The failure vocabulary's table; see fail.def. */
#include "base/fail.h"

static const struct {
	const char *token, *what;
} rows[FAIL_N] = {
#define FAIL(id, tok, what) [id] = { tok, what },
#include "base/fail.def"
#undef FAIL
};

const char *
fail_token(enum fail f)
{
	return (unsigned)f < FAIL_N ? rows[f].token : "error";
}

const char *
fail_what(enum fail f)
{
	return (unsigned)f < FAIL_N ? rows[f].what : "";
}
