/* The key file; see keyring.h. Read with one open/fstat/read, parsed in place, the read
 * buffer wiped before returning. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/hex.h"
#include "cosem/keyring.h"

const char *
keyring_errname(enum keyring_err e)
{
	switch (e) {
	case KEYRING_OK: return "ok";
	case KEYRING_ERR_OPEN: return "cannot read";
	case KEYRING_ERR_NOT_FILE: return "not a regular file";
	case KEYRING_ERR_TOO_BIG: return "too big for a key file";
	case KEYRING_ERR_SYNTAX:
		return "not \"SYSTEMTITLE EK [AK]\" (16 hex digits or *, then 32, then 32)";
	case KEYRING_ERR_DUPLICATE: return "a second key for the same meter";
	case KEYRING_ERR_TOO_MANY: return "more keys than a file may hold";
	case KEYRING_ERR_EMPTY: return "no key in it";
	}
	return "?";
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Whether s[0..n) is all hex digits. */
static int
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hex_digit((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

/* One line: 0 nothing on it, 1 a key added, -1 a syntax error, -2 duplicate, -3 full. */
static int
parse_line(struct keyring *kr, const char *s, size_t n)
{
	const char *tok[4];
	size_t len[4], nt = 0, i = 0, t = 0;
	struct keyent *k;
	uint8_t ek[16];
	int any;

	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		if (i == n || s[i] == '#')
			break;
		if (nt == 4)
			return -1;
		tok[nt] = s + i;
		while (i < n && !is_space(s[i]))
			i++;
		len[nt] = (size_t)(s + i - tok[nt]);
		nt++;
	}
	if (nt == 0)
		return 0;
	/* the system title, or '*', or nothing (the first token is the EK) */
	if (len[0] == 1 && tok[0][0] == '*') {
		any = 1;
		t = 1;
	} else if (len[0] == 2 * SYSTITLE_LEN && all_hex(tok[0], len[0])) {
		any = 0;
		t = 1;
	} else {
		any = 1;
	}
	if (nt - t < 1 || nt - t > 2)
		return -1;
	for (size_t j = t; j < nt; j++)
		if (len[j] != 32 || !all_hex(tok[j], 32))
			return -1;
	if (kr->n == KEYRING_MAX)
		return -3;
	k = &kr->k[kr->n];
	memset(k, 0, sizeof *k);
	k->any = any;
	if (!any)
		hex_decode(k->systitle, SYSTITLE_LEN, tok[0], 2 * SYSTITLE_LEN, NULL);
	for (int j = 0; j < kr->n; j++)
		if (kr->k[j].any == any &&
		    (any || memcmp(kr->k[j].systitle, k->systitle, SYSTITLE_LEN) == 0))
			return -2;
	hex_decode(ek, 16, tok[t], 32, NULL);
	gcm_init(&k->ek, ek);
	crypto_wipe(ek, sizeof ek);
	if (nt - t == 2) {
		hex_decode(k->ak, 16, tok[t + 1], 32, NULL);
		k->has_ak = 1;
	}
	kr->n++;
	return 1;
}

enum keyring_err
keyring_parse(struct keyring *kr, const char *s, size_t n, struct keyring_info *info)
{
	const char *end = s + n;
	long line = 0;

	keyring_wipe(kr);
	info->line = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		int r = parse_line(kr, s, len);
		line++;
		if (r < 0) {
			info->line = line;
			keyring_wipe(kr);
			return r == -1 ? KEYRING_ERR_SYNTAX : r == -2 ? KEYRING_ERR_DUPLICATE :
			    KEYRING_ERR_TOO_MANY;
		}
		s += len + (nl != NULL);
	}
	return kr->n ? KEYRING_OK : KEYRING_ERR_EMPTY;
}

enum keyring_err
keyring_load(struct keyring *kr, const char *path, struct keyring_info *info)
{
	static char buf[KEYRING_FILE_MAX + 1];
	struct stat sb;
	size_t got = 0;
	ssize_t r;
	int fd, saved;
	enum keyring_err e;

	keyring_wipe(kr);
	info->line = 0;
	info->others_can_read = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return KEYRING_ERR_OPEN;
	if (fstat(fd, &sb) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return KEYRING_ERR_OPEN;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return KEYRING_ERR_NOT_FILE;
	}
	info->others_can_read = (sb.st_mode & (S_IRGRP | S_IROTH)) != 0;
	while (got <= KEYRING_FILE_MAX &&
	    (r = read(fd, buf + got, sizeof buf - got)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			crypto_wipe(buf, got);
			errno = saved;
			return KEYRING_ERR_OPEN;
		}
		got += (size_t)r;
	}
	close(fd);
	if (got > KEYRING_FILE_MAX) {
		crypto_wipe(buf, got);
		return KEYRING_ERR_TOO_BIG;
	}
	e = keyring_parse(kr, buf, got, info);
	crypto_wipe(buf, got);
	return e;
}

const struct keyent *
keyring_find(const struct keyring *kr, const uint8_t st[SYSTITLE_LEN])
{
	const struct keyent *any = NULL;

	if (!kr)
		return NULL;
	for (int i = 0; i < kr->n; i++) {
		if (kr->k[i].any)
			any = &kr->k[i];
		else if (memcmp(kr->k[i].systitle, st, SYSTITLE_LEN) == 0)
			return &kr->k[i];
	}
	return any;
}

int
keyring_looks_like_key(const char *arg)
{
	size_t run = 0;

	/* a run of 32 or more hex digits anywhere: "EK", "EK:AK", "0xEK", "ST EK AK" */
	for (const char *p = arg; *p; p++) {
		run = hex_digit((unsigned char)*p) >= 0 ? run + 1 : 0;
		if (run >= 32)
			return 1;
	}
	return 0;
}

void
keyring_wipe(struct keyring *kr)
{
	crypto_wipe(kr, sizeof *kr);
}
