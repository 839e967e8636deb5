/* TCP client side of a HAN reader: HOST:PORT and [IPv6]:PORT arguments, and a connect that
 * tries every address of a name in turn, with a time limit, and can be called off.
 * Nothing here prints: failures return -1 with errno or a getaddrinfo code. */
#ifndef NET_H
#define NET_H
#include <stddef.h>

/* Split "host:port" or "[v6addr]:port" into its parts (host without brackets).
 * 1 split; 0 not of that form (no colon, no bracket); -1 a bad one: a part empty or too
 * long, no ":port" after the brackets, or an unbracketed IPv6 address. */
int net_split(const char *arg, char *host, size_t hostcap, char *port, size_t portcap);
/* Whether a port as net_split() gives it can be connected to: a number from 1 to 65535
 * (getaddrinfo would take 99999 as 99999 % 65536), or a service name. */
int net_port_ok(const char *port);

/* Connect to host:port over TCP. Each address is given at most timeout_ms; a byte to read
 * on cancel_fd (or -1 for none) abandons the attempt with EINTR. Returns a non-blocking
 * socket; or -1 with *gai set to a getaddrinfo error (see gai_strerror) or to 0 and errno
 * set to the last address's error. */
int net_connect(const char *host, const char *port, int timeout_ms, int cancel_fd, int *gai);

#endif
