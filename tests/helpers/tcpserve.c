/* Test helper: a TCP server on 127.0.0.1 (or ::1 with -6) that sends FILE to each of
 * COUNT connections in turn and closes it, then exits. The port, chosen by the system, is
 * written to PORTFILE. With -k it waits up to SECS after sending for the client to close
 * first. Exit 3 when the address cannot be bound (no IPv6 loopback); waits for a client
 * give up after -t SECS (default 20).
 *   tcpserve [-6] [-k SECS] [-n COUNT] [-t SECS] -o PORTFILE FILE */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
fail(const char *what, int code)
{
	fprintf(stderr, "tcpserve: %s\n", what);
	exit(code);
}

int
main(int argc, char *argv[])
{
	static char data[1 << 20];
	struct sockaddr_storage ss;
	socklen_t len;
	const char *portfile = NULL;
	char tmp[4096], b[256];
	double keep = 0, tmo = 20;
	long count = 1;
	size_t n = 0;
	int v6 = 0, o, l, fd, on = 1;
	ssize_t r;
	FILE *f;

	while ((o = getopt(argc, argv, "6k:n:o:t:")) != -1) {
		switch (o) {
		case '6': v6 = 1; break;
		case 'k': keep = atof(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'o': portfile = optarg; break;
		case 't': tmo = atof(optarg); break;
		default: return 2;
		}
	}
	if (!portfile || argc - optind != 1)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if ((fd = open(argv[optind], O_RDONLY)) < 0)
		fail("cannot open the file", 1);
	while ((r = read(fd, data + n, sizeof data - n)) > 0)
		n += (size_t)r;
	close(fd);

	memset(&ss, 0, sizeof ss);
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	}
	if ((l = socket(ss.ss_family, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
	    bind(l, (struct sockaddr *)&ss, len) < 0 || listen(l, 4) < 0 ||
	    getsockname(l, (struct sockaddr *)&ss, &len) < 0)
		fail("cannot listen on the loopback address", 3);
	snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
	if (!(f = fopen(tmp, "w")) ||
	    fprintf(f, "%d\n", ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port)) < 0 || fclose(f) != 0 ||
	    rename(tmp, portfile) < 0)
		fail("cannot write the port file", 1);

	for (long i = 0; i < count; i++) {
		struct pollfd p = { l, POLLIN, 0 };
		int c;

		if (poll(&p, 1, (int)(tmo * 1000)) <= 0)
			fail("no client came", 1);
		if ((c = accept(l, NULL, NULL)) < 0)
			fail("accept failed", 1);
		for (size_t done = 0; done < n; done += (size_t)r)
			if ((r = write(c, data + done, n - done)) <= 0)
				fail("write failed", 1);
		if (keep > 0) {
			struct pollfd q = { c, POLLIN, 0 };
			while (poll(&q, 1, (int)(keep * 1000)) > 0 && read(c, b, sizeof b) > 0)
				;
		}
		close(c);
	}
	close(l);
	return 0;
}
