/* A reader for one flat JSON object per line, as ams-fields writes them: string keys with
 * string, number, true, false or null values, no nesting. Nothing is copied or decoded: each
 * member points into the line, a string value with its quotes, so it can be written out again
 * as it came. */
#ifndef BASE_JSONFLAT_H
#define BASE_JSONFLAT_H
#include <stddef.h>

struct jmember {
	const char *key;	/* without quotes; a key with an escape is refused */
	size_t klen;
	const char *val;	/* the value's JSON text: "..." with quotes, or the number */
	size_t vlen;
	int str;		/* the value is a string */
};

/* Members of the object in s[0..n) into m (at most max): their count, or -1 when s is not
 * one flat object (or has more than max members). */
int jsonflat_parse(const char *s, size_t n, struct jmember *m, int max);

#endif
