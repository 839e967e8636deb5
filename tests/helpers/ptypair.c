/* Test helper: a pseudo-terminal for han-cat to open. Writes the slave's path to FILE, waits
 * until a reader has put the slave in raw mode, prints the slave's settings as one line,
 * copies stdin to the master (in writes of N bytes, USEC apart), waits until the reader has
 * taken it all, and then with -R waits until the settings are back as they were, printing
 * "restored", or with -k keeps the master open SECS longer. Waits give up after -t SECS.
 *   ptypair -o FILE [-R] [-d USEC] [-k SECS] [-n N] [-t SECS] */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double timeout_s = 15;

static void
nap(long usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long
baud(speed_t s)
{
	static const struct { speed_t s; long b; } t[] = {
		{ B1200, 1200 }, { B2400, 2400 }, { B4800, 4800 }, { B9600, 9600 },
		{ B19200, 19200 }, { B38400, 38400 }, { B57600, 57600 }, { B115200, 115200 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].s == s)
			return t[i].b;
	return -1;
}

static void
report(const struct termios *t)
{
#define F(name, field, bit) printf(" %s=%d", name, !!(t->field & (bit)))
	printf("speed=%ld csize=%d", baud(cfgetispeed(t)), (t->c_cflag & CSIZE) == CS8 ? 8 : 7);
	F("parenb", c_cflag, PARENB); F("parodd", c_cflag, PARODD); F("cstopb", c_cflag, CSTOPB);
	F("cread", c_cflag, CREAD); F("clocal", c_cflag, CLOCAL); F("crtscts", c_cflag, CRTSCTS);
	F("icanon", c_lflag, ICANON); F("echo", c_lflag, ECHO); F("isig", c_lflag, ISIG);
	F("iexten", c_lflag, IEXTEN); F("opost", c_oflag, OPOST); F("icrnl", c_iflag, ICRNL);
	F("inlcr", c_iflag, INLCR); F("igncr", c_iflag, IGNCR); F("istrip", c_iflag, ISTRIP);
	F("inpck", c_iflag, INPCK); F("ixon", c_iflag, IXON); F("ixoff", c_iflag, IXOFF);
	printf(" vmin=%d vtime=%d\n", t->c_cc[VMIN], t->c_cc[VTIME]);
	fflush(stdout);
#undef F
}

static int
same(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	    a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	    cfgetispeed(a) == cfgetispeed(b) && a->c_cc[VMIN] == b->c_cc[VMIN] &&
	    a->c_cc[VTIME] == b->c_cc[VTIME];
}

static void
fail(const char *what)
{
	fprintf(stderr, "ptypair: %s\n", what);
	exit(1);
}

int
main(int argc, char *argv[])
{
	static char buf[65536];
	const char *pathfile = NULL;
	char tmp[4096];
	struct termios orig, t;
	long chunk = 0, usec = 0;
	double keep = 0, end;
	int restore = 0, o, m, s;
	ssize_t r;
	FILE *f;

	while ((o = getopt(argc, argv, "Rd:k:n:o:t:")) != -1) {
		switch (o) {
		case 'R': restore = 1; break;
		case 'd': usec = atol(optarg); break;
		case 'k': keep = atof(optarg); break;
		case 'n': chunk = atol(optarg); break;
		case 'o': pathfile = optarg; break;
		case 't': timeout_s = atof(optarg); break;
		default: return 2;
		}
	}
	if (!pathfile || chunk < 0 || chunk > (long)sizeof buf)
		return 2;
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		fail("posix_openpt failed");
	/* Held open so that the pty lives while the reader closes and reopens it, and to read
	 * its settings. A distinct speed, so that a restore of the speed shows. */
	if ((s = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0 || tcgetattr(s, &orig) < 0)
		fail("cannot open the slave");
	cfsetispeed(&orig, B4800);
	cfsetospeed(&orig, B4800);
	if (tcsetattr(s, TCSANOW, &orig) < 0 || tcgetattr(s, &orig) < 0)
		fail("cannot set the slave");
	snprintf(tmp, sizeof tmp, "%s.tmp", pathfile);
	if (!(f = fopen(tmp, "w")) || fprintf(f, "%s\n", ptsname(m)) < 0 || fclose(f) != 0 ||
	    rename(tmp, pathfile) < 0)
		fail("cannot write the path file");

	/* The line discipline works on bytes as they arrive: nothing is written before the
	 * reader has made the port raw. */
	for (end = now() + timeout_s;; nap(5000)) {
		if (tcgetattr(s, &t) < 0)
			fail("tcgetattr failed");
		if (!(t.c_lflag & (ICANON | ECHO)))
			break;
		if (now() > end)
			fail("timed out waiting for raw mode");
	}
	report(&t);

	while ((r = read(0, buf, sizeof buf)) > 0) {
		size_t k = chunk ? (size_t)chunk : (size_t)r;
		for (ssize_t i = 0; i < r; i += (ssize_t)k) {
			size_t n = (size_t)(r - i) < k ? (size_t)(r - i) : k;
			if (write(m, buf + i, n) != (ssize_t)n)
				fail("write to the master failed");
			if (usec)
				nap(usec);
		}
	}
	/* Until the reader has taken every byte (twice empty, for bytes still in transit). */
	end = now() + timeout_s;
	for (int empty = 0; empty < 2; nap(20000)) {
		int n = 0;
		if (ioctl(s, FIONREAD, &n) < 0)
			fail("FIONREAD failed");
		empty = n == 0 ? empty + 1 : 0;
		if (now() > end)
			fail("timed out waiting for the reader to take the bytes");
	}
	if (restore) {
		for (end = now() + timeout_s;; nap(5000)) {
			if (tcgetattr(s, &t) < 0)
				fail("tcgetattr failed");
			if (same(&t, &orig))
				break;
			if (now() > end)
				fail("timed out waiting for the settings to be restored");
		}
		puts("restored");
		fflush(stdout);
	}
	if (keep > 0)
		nap((long)(keep * 1e6));
	return 0;
}
