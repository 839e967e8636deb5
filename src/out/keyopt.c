/* The key option and the words about ciphered APDUs; see keyopt.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/fail.h"
#include "out/keyopt.h"
#include "out/msg.h"

static struct keyring *loaded;

static void
wipe_at_exit(void)
{
	if (loaded)
		keyring_wipe(loaded);
}

int
keyopt_load(struct output *o, struct keyring *kr, const char *path)
{
	struct keyring_info info;
	struct stat sb;
	enum keyring_err e;
	const char *from = "-k";

	if (!path) {
		path = getenv(KEYOPT_ENV);
		if (!path || !*path)
			return 0;
		from = KEYOPT_ENV;
	}
	/* a key typed where the file belongs shows in ps(1) and the shell's history */
	if (stat(path, &sb) < 0 && keyring_looks_like_key(path)) {
		msg_warnx(o, "%s takes a key file, not a key (a key on the command line can be "
		    "read by every user with ps): put \"SYSTEMTITLE EK [AK]\" or \"* EK [AK]\" "
		    "in a file only you can read (chmod 600) and give its name", from);
		return -2;
	}
	if (!loaded) {
		loaded = kr;
		atexit(wipe_at_exit);
	}
	e = keyring_load(kr, path, &info);
	switch (e) {
	case KEYRING_OK:
		break;
	case KEYRING_ERR_OPEN:
		msg_warn(o, "key file %s", path);
		return -1;
	case KEYRING_ERR_SYNTAX:
	case KEYRING_ERR_DUPLICATE:
	case KEYRING_ERR_TOO_MANY:
		/* the line number only: the line holds key bytes */
		msg_warnx(o, "key file %s: line %ld: %s", path, info.line, keyring_errname(e));
		return -1;
	default:
		msg_warnx(o, "key file %s: %s", path, keyring_errname(e));
		return -1;
	}
	if (info.others_can_read)
		msg_warnx(o, "warning: key file %s can be read by others (chmod 600 %s)", path,
		    path);
	return 1;
}

const char *
keyopt_detail(const struct rx_msg *m, char *buf, size_t n)
{
	char st[48];

	if (!m->sec.ciphered)
		return NULL;
	cipher_systitle_text(m->sec.systitle, st);
	if (m->err == RX_ERR_IC_BACK)
		snprintf(buf, n, "system title %s: invocation counter %lu after %lu", st,
		    (unsigned long)m->sec.ic, (unsigned long)m->sec.prev_ic);
	else
		snprintf(buf, n, "system title %s", st);
	return buf;
}

void
keyopt_notices(struct output *o, const char *file, long line, const struct rx_msg *m)
{
	char st[48], why[160];

	if (!m->sec.ciphered)
		return;
	cipher_systitle_text(m->sec.systitle, st);
	if (m->sec.first_unauth) {
		snprintf(why, sizeof why, "system title %s: %s", st,
		    m->sec.sc & CIPHER_SC_AUTH ?
		    "no authentication key: decrypted, tag not verified (said once per meter)" :
		    "sent without a tag: not authenticated (said once per meter)");
		msg_record(o, file, line, fail_token(FAIL_NOT_AUTHENTICATED), why, -1);
	}
	if (m->sec.ic_back) {
		snprintf(why, sizeof why, "system title %s: invocation counter %lu after %lu",
		    st, (unsigned long)m->sec.ic, (unsigned long)m->sec.prev_ic);
		msg_record(o, file, line, fail_token(FAIL_IC_WENT_BACK), why, -1);
	}
}
