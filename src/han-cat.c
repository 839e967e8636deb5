/* han-cat: the raw bytes of a meter's HAN port, from a serial port or a TCP bridge, to
 * standard output as they arrive; reconnects with back-off when the source goes away.
 * Options and the main loop only; the port set-up is port/tty.c, the connect port/net.c.
 * A little over 400 lines: the reconnect loop with its back-off, breaker and watchdog is
 * the tool's own. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "base/io.h"
#include "port/net.h"
#include "port/tty.h"

static const char usage_line[] =
    "usage: han-cat [-1hV] [-b speed] [-d seconds] [-p parity] [-r count] [-w seconds]\n"
    "               device | host:port\n";
static const char help_text[] =
    "Copy the raw bytes of a smart meter's HAN port from a serial port (set to raw mode)\n"
    "or a TCP bridge to standard output, reconnecting when it goes away.\n"
    "  -1          a single attempt: exit when the open fails or the source is lost\n"
    "  -b speed    line speed of a serial port in bit/s (default 2400)\n"
    "  -d seconds  first back-off delay (default 1); later ones double up to 60 times\n"
    "              it, and a connection lost within 5 times it waits at least that\n"
    "  -h          print this help and exit (also --help)\n"
    "  -p parity   parity of a serial port: N, E or O, with 8 data bits and 1 stop\n"
    "              bit (default E)\n"
    "  -r count    give up (exit 1) after that many failed attempts in a row\n"
    "  -V          print the version and exit (also --version)\n"
    "  -w seconds  reconnect when no byte has arrived for that long (default 30; 0: never)\n";

#define BACKOFF_MAX 60		/* in units of -d: the longest wait */
#define BREAKER 5		/* a connection that lived less is followed by that long a wait */
#define CONNECT_MS 10000	/* time limit of a TCP connect, per address */

/* Meters send a list every 2 to 10 s: three lists missed is a source that stopped (a bridge
 * that lost power without closing the connection, a half-open link, a cable pulled). */
#define HANCAT_IDLE 30.0

static struct {
	int once;
	long baud;
	char parity;
	double unit;		/* -d */
	long retries;		/* -r; 0: never give up */
	double idle;		/* -w; 0: no watchdog */
} opt = { 0, 2400, 'E', 1.0, 0, HANCAT_IDLE };

static const char *target;	/* the argument, as named in messages */
static int tcp;
static char host[256], port[64];
static struct tty tty = { -1, { 0 } };
static int sock = -1;

/* The one place this toolkit installs signal handlers: SIGINT and SIGTERM must not kill
 * han-cat outright, since the serial port would stay in raw mode at the wrong speed for
 * whatever uses it next. The handler only raises a flag and wakes the poll(2) through a
 * pipe (a plain flag could be missed between its test and the poll). */
static volatile sig_atomic_t stop;
static int wake[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int e = errno;
	ssize_t r;

	(void)sig;
	stop = 1;
	r = write(wake[1], "", 1);
	(void)r;
	errno = e;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
drain_wake(void)
{
	char b[64];

	while (read(wake[0], b, sizeof b) > 0)
		;
}

static void
disconnect(void)
{
	tty_close(&tty);
	if (sock >= 0) {
		close(sock);
		sock = -1;
	}
}

static void
usage(void)
{
	fputs(usage_line, stderr);
	exit(2);
}

/* A serial port that cannot be opened for want of permission: when the port's group is
 * one this user is not in (dialout on Debian), say so, which is the usual fix. */
static int
group_hint(char *msg, size_t cap)
{
	gid_t groups[256];
	struct stat st;
	struct group *g;
	int n, i;

	if (stat(target, &st) != 0 || st.st_gid == getegid())
		return 0;
	if ((n = getgroups(sizeof groups / sizeof groups[0], groups)) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == st.st_gid)
			return 0;
	if ((g = getgrgid(st.st_gid)) == NULL)
		return 0;
	snprintf(msg, cap, "open: %s (the port belongs to group %s, which this user is not in:"
	    " sudo usermod -aG %s USER, then log in again)", strerror(EACCES), g->gr_name,
	    g->gr_name);
	return 1;
}

/* Open the device or connect; the file descriptor, or -1 with the reason in msg. */
static int
attempt(char *msg, size_t cap)
{
	const char *step;
	int gai;

	if (tcp) {
		if ((sock = net_connect(host, port, CONNECT_MS, wake[0], &gai)) >= 0)
			return sock;
		if (gai)
			snprintf(msg, cap, "%s", gai_strerror(gai));
		else
			snprintf(msg, cap, "connect: %s", strerror(errno));
		return -1;
	}
	if (tty_open(&tty, target, opt.baud, opt.parity, &step) == 0)
		return tty.fd;
	if (errno == EACCES && !strcmp(step, "open") && group_hint(msg, cap))
		return -1;
	if (errno == ENOTTY)
		snprintf(msg, cap, "not a terminal");
	else if (!strcmp(step, "speed"))
		snprintf(msg, cap, "the port does not take %ld bit/s 8%c1", opt.baud,
		    opt.parity);
	else
		snprintf(msg, cap, "%s: %s", step, strerror(errno));
	return -1;
}

/* Wait that many seconds, or less when a signal asks to stop. */
static void
pause_for(double secs)
{
	double end = now() + secs;
	struct pollfd p = { wake[0], POLLIN, 0 };

	while (!stop) {
		double left = end - now();
		if (left <= 0)
			break;
		if (poll(&p, 1, (int)(left * 1000) + 1) > 0)
			drain_wake();
	}
}

static void
finish(void)
{
	disconnect();
	exit(0);
}

/* Write all of buf to standard output, at once: nothing is held back. */
static void
put(const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, buf, n);
		if (w > 0) {
			buf += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR) {
			if (stop)
				finish();
			continue;
		}
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { 1, POLLOUT, 0 };
			(void)poll(&p, 1, 1000);
			continue;
		}
		if (w < 0 && errno == EPIPE) {
			/* The reader is gone: end as quietly as the default SIGPIPE would,
			 * after putting the port back. */
			disconnect();
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		fprintf(stderr, "han-cat: write error: %s\n", w < 0 ? strerror(errno) : "short write");
		disconnect();
		exit(1);
	}
}

enum end { END_STOP, END_EOF, END_ERROR, END_IDLE };

/* Copy from fd to standard output until the source ends, fails or is idle too long. */
static enum end
pump(int fd, int *err)
{
	static char buf[4096];
	struct pollfd p[2];
	double last = now();

	for (;;) {
		int timeout = -1, n;
		ssize_t r;

		if (stop)
			return END_STOP;
		if (opt.idle > 0) {
			double left = last + opt.idle - now();
			if (left <= 0)
				return END_IDLE;
			timeout = (int)(left * 1000) + 1;
		}
		p[0].fd = fd;
		p[0].events = POLLIN;
		p[1].fd = wake[0];
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		n = poll(p, 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return END_ERROR;
		}
		if (p[1].revents)
			drain_wake();
		if (!p[0].revents)
			continue;
		/* POLLHUP and POLLERR too: the read says which it is. */
		r = read(fd, buf, sizeof buf);
		if (r > 0) {
			put(buf, (size_t)r);
			last = now();
		} else if (r == 0) {
			return END_EOF;
		} else if (errno != EINTR && errno != EAGAIN) {
			*err = errno;
			return END_ERROR;
		}
	}
}

/* The number s for option -letter, in lo..hi (a whole one if whole): a usage error that names
 * the option and the range otherwise. */
static double
number(int letter, const char *s, double lo, double hi, int whole, const char *what)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (e == s || *e || errno || !(v >= lo && v <= hi) || (whole && v != (double)(long)v)) {
		fprintf(stderr, "han-cat: -%c: %s must be a %snumber from %.15g to %.15g: %s\n", letter,
		    what, whole ? "whole " : "", lo, hi, s);
		usage();
	}
	return v;
}

static void
parse_target(const char *arg)
{
	target = arg;
	if (strchr(arg, '/'))
		return;		/* a path, even if it has colons, as /dev/serial/by-path ones do */
	switch (net_split(arg, host, sizeof host, port, sizeof port)) {
	case 1:
		if (!net_port_ok(port)) {
			fprintf(stderr, "han-cat: host:port: the port must be from 1 to 65535: %s\n",
			    port);
			usage();
		}
		tcp = 1;
		return;
	case 0:
		return;
	default:
		fprintf(stderr, "han-cat: bad host:port (an IPv6 address is written [ADDR]:PORT): %s\n",
		    arg);
		usage();
	}
}

static void
setup_signals(void)
{
	struct sigaction sa;

	if (pipe(wake) < 0) {
		fprintf(stderr, "han-cat: pipe: %s\n", strerror(errno));
		exit(1);
	}
	for (int i = 0; i < 2; i++)
		fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked write(2) must give way */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* EPIPE instead, so that the port is put back before han-cat ends (see put()). */
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char msg[512];
	double next = 1;	/* the next back-off wait, in units of -d */
	long fails = 0;
	int trouble = 0, c;

	io_std_open();
	while ((c = getopt_long(argc, argv, "1b:d:hp:r:Vw:", longopts, NULL)) != -1) {
		switch (c) {
		case '1': opt.once = 1; break;
		case 'b':
			opt.baud = (long)number('b', optarg, 1, 1e8, 1, "the speed in bit/s");
			if (!tty_speed_ok(opt.baud)) {
				fprintf(stderr, "han-cat: -b: not a speed the serial port takes (%s): "
				    "%s\n", tty_speeds_text(), optarg);
				usage();
			}
			break;
		case 'd': opt.unit = number('d', optarg, 0.001, 3600, 0, "the delay in seconds"); break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'p':
			if (strlen(optarg) != 1 || !strchr("NEOneo", optarg[0])) {
				fprintf(stderr, "han-cat: parity is N, E or O: %s\n", optarg);
				usage();
			}
			opt.parity = optarg[0] & ~0x20;
			break;
		case 'r': opt.retries = (long)number('r', optarg, 1, 1e9, 1, "the count"); break;
		case 'w': opt.idle = number('w', optarg, 0, 1e6, 0, "the time in seconds"); break;
		case 'V':
			printf("%s (hantools) %s\n", "han-cat", HAN_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (argc - optind != 1) {
		if (argc == optind)
			fputs("han-cat: no device or host:port given\n", stderr);
		else
			fprintf(stderr, "han-cat: one device or host:port, not %d arguments\n",
			    argc - optind);
		usage();
	}
	parse_target(argv[optind]);
	setup_signals();

	for (;;) {
		enum end end;
		double t0, lived, wait;
		int fd, err = 0;

		if (stop)
			finish();
		if ((fd = attempt(msg, sizeof msg)) < 0) {
			if (stop)
				finish();
			if (opt.once) {
				fprintf(stderr, "han-cat: %s: %s\n", target, msg);
				return 1;
			}
			if (opt.retries && ++fails >= opt.retries) {
				fprintf(stderr, "han-cat: %s: %s; giving up after %ld failed attempt%s\n",
				    target, msg, fails, fails == 1 ? "" : "s");
				return 1;
			}
			fprintf(stderr, "han-cat: %s: %s; retrying in %g s\n", target, msg,
			    next * opt.unit);
			pause_for(next * opt.unit);
			next = 2 * next < BACKOFF_MAX ? 2 * next : BACKOFF_MAX;
			trouble = 1;
			continue;
		}
		if (trouble)
			fprintf(stderr, "han-cat: %s: connected\n", target);
		trouble = 0;
		fails = 0;
		t0 = now();
		end = pump(fd, &err);
		lived = now() - t0;
		disconnect();
		switch (end) {
		case END_STOP:
			finish();
			break;
		case END_EOF:
			if (tcp && opt.once)
				return 0;	/* the peer ended the stream in order */
			snprintf(msg, sizeof msg, "%s", tcp ? "connection closed by peer" :
			    "hangup (end of file)");
			break;
		case END_ERROR:
			snprintf(msg, sizeof msg, "read: %s", strerror(err));
			break;
		case END_IDLE:
			snprintf(msg, sizeof msg, "no data for %g s", opt.idle);
			break;
		}
		if (opt.once) {
			fprintf(stderr, "han-cat: %s: %s\n", target, msg);
			return 1;
		}
		/* Back-off starts over after a connection that lasted; one that was lost at
		 * once (a bridge that accepts and drops) waits at least the breaker time. */
		if (lived >= BREAKER * opt.unit)
			next = 1;
		wait = lived < BREAKER * opt.unit && next < BREAKER ? BREAKER : next;
		fprintf(stderr, "han-cat: %s: %s; reconnecting in %g s\n", target, msg,
		    wait * opt.unit);
		pause_for(wait * opt.unit);
		next = 2 * next < BACKOFF_MAX ? 2 * next : BACKOFF_MAX;
		trouble = 1;
	}
}
