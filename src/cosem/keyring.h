/* Keys of encrypted meters: a key file of lines "SYSTEMTITLE EK [AK]" (hex; '*' or no
 * system title: for every meter), '#' comments, read once at start. The bytes are kept
 * only as GCM key schedules and the AK itself, wiped by keyring_wipe(); nothing here
 * prints, and no function returns key bytes to a caller that could print them. */
#ifndef COSEM_KEYRING_H
#define COSEM_KEYRING_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/gcm.h"

#define KEYRING_MAX 64		/* key lines in one file */
#define KEYRING_FILE_MAX 65536	/* bytes in a key file */
#define SYSTITLE_LEN 8

struct keyent {
	int any;			/* the key for every meter ('*' or no system title) */
	uint8_t systitle[SYSTITLE_LEN];
	int has_ak;
	uint8_t ak[16];
	struct gcm ek;			/* the encryption key, expanded */
};

struct keyring {
	int n;
	struct keyent k[KEYRING_MAX];
};

enum keyring_err {
	KEYRING_OK = 0,
	KEYRING_ERR_OPEN,	/* open, fstat or read failed: errno says why */
	KEYRING_ERR_NOT_FILE,	/* a directory or other non-regular file */
	KEYRING_ERR_TOO_BIG,	/* more than KEYRING_FILE_MAX bytes */
	KEYRING_ERR_SYNTAX,	/* a line that is not "[SYSTEMTITLE|*] EK [AK]" */
	KEYRING_ERR_DUPLICATE,	/* a second key for the same system title (or for every meter) */
	KEYRING_ERR_TOO_MANY,	/* more than KEYRING_MAX keys */
	KEYRING_ERR_EMPTY	/* no key in the file */
};

/* What keyring_load found besides its result. */
struct keyring_info {
	long line;		/* the line of a syntax or duplicate error */
	int others_can_read;	/* the file is readable by its group or by others */
};

/* Read the key file at path into kr (emptied first). On an error kr holds no key. */
enum keyring_err keyring_load(struct keyring *kr, const char *path, struct keyring_info *info);
/* The same from text in memory (tests, fuzz harnesses). */
enum keyring_err keyring_parse(struct keyring *kr, const char *s, size_t n,
    struct keyring_info *info);
/* Words for an error, without the path ("not a regular file", "line 3: ..."). */
const char *keyring_errname(enum keyring_err e);
/* The key for a system title: its own line, else the line for every meter, else NULL. */
const struct keyent *keyring_find(const struct keyring *kr, const uint8_t st[SYSTITLE_LEN]);
/* Whether an option argument looks like a key given on the command line (it holds a run
 * of 32 hex digits: "EK", "EK:AK", "0xEK", "ST EK AK"), rather than a path; asked only
 * for an argument that is not an existing file. */
int keyring_looks_like_key(const char *arg);
/* Zero every key byte with writes the compiler may not drop. */
void keyring_wipe(struct keyring *kr);

#endif
