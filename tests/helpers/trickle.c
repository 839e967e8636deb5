/* Test helper: copy stdin to stdout in writes of at most N bytes (default 1), sleeping
 * USEC microseconds after each, so a reader sees many short reads; with -p SECS it keeps
 * stdout open that long after the input ends (for latency tests).
 *   trickle [-n N] [-d USEC] [-p SECS] */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	static unsigned char buf[65536];
	long chunk = 1, usec = 0, pause_s = 0;
	int o;
	ssize_t r;

	while ((o = getopt(argc, argv, "d:n:p:")) != -1) {
		switch (o) {
		case 'd': usec = atol(optarg); break;
		case 'n': chunk = atol(optarg); break;
		case 'p': pause_s = atol(optarg); break;
		default: return 2;
		}
	}
	if (chunk < 1 || chunk > (long)sizeof buf)
		return 2;
	while ((r = read(0, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < r; i += chunk) {
			size_t k = (size_t)(r - i < chunk ? r - i : chunk);
			if (write(1, buf + i, k) != (ssize_t)k)
				return 1;
			if (usec) {
				struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };
				nanosleep(&ts, NULL);
			}
		}
	}
	if (pause_s)
		sleep((unsigned)pause_s);
	return r < 0;
}
