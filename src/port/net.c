/* TCP connect for a HAN reader; see net.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "port/net.h"

static int
copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int
net_split(const char *arg, char *host, size_t hostcap, char *port, size_t portcap)
{
	const char *colon, *end;

	if (arg[0] == '[') {
		if (!(end = strchr(arg, ']')) || end[1] != ':')
			return -1;
		if (copy(host, hostcap, arg + 1, (size_t)(end - arg - 1)) < 0 ||
		    copy(port, portcap, end + 2, strlen(end + 2)) < 0)
			return -1;
		return 1;
	}
	if (!(colon = strrchr(arg, ':')))
		return 0;
	if (memchr(arg, ':', (size_t)(colon - arg)))
		return -1;
	if (copy(host, hostcap, arg, (size_t)(colon - arg)) < 0 ||
	    copy(port, portcap, colon + 1, strlen(colon + 1)) < 0)
		return -1;
	return 1;
}

int
net_port_ok(const char *port)
{
	long v = 0;
	size_t i;

	if (!port[0])
		return 0;
	for (i = 0; port[i] >= '0' && port[i] <= '9'; i++)
		if ((v = v * 10 + (port[i] - '0')) > 65535)
			return 0;
	if (port[i])
		return i == 0;	/* a name (which getaddrinfo looks up), not digits and junk */
	return v >= 1;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One address: a non-blocking connect waited for with poll, so that it has a time limit
 * and a signal can stop it. */
static int
try_addr(const struct addrinfo *ai, int timeout_ms, int cancel_fd)
{
	struct pollfd p[2];
	struct timespec t0;
	socklen_t len;
	int fd, err, on = 1;

	if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		goto fail;
	/* A bridge that vanishes without a FIN is found out even with -w 0: keepalive probes
	 * after 10 s of silence, every 5 s, 3 unanswered close it (Linux's default would wait
	 * 2 h 11 min). */
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
#ifdef TCP_KEEPIDLE
	{
		int idle = 10, intvl = 5, cnt = 3;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
		(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
		(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	}
#endif
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long left = timeout_ms - ms_since(&t0);
		int n;

		if (left <= 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		p[0].fd = fd;
		p[0].events = POLLOUT;
		p[1].fd = cancel_fd;
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		n = poll(p, cancel_fd >= 0 ? 2 : 1, (int)left);
		if (n < 0 && errno != EINTR)
			goto fail;
		if (n > 0 && p[1].revents) {
			errno = EINTR;
			goto fail;
		}
		if (n > 0 && p[0].revents)
			break;
	}
	len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		goto fail;
	if (err) {
		errno = err;
		goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int
net_connect(const char *host, const char *port, int timeout_ms, int cancel_fd, int *gai)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, err = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	*gai = getaddrinfo(host, port, &hints, &res);
	if (*gai) {
		if (*gai == EAI_SYSTEM)
			*gai = 0;	/* errno says it */
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if ((fd = try_addr(ai, timeout_ms, cancel_fd)) >= 0)
			break;
		err = errno;
		if (err == EINTR)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		errno = err;
	return fd;
}
