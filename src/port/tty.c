/* Serial port set-up for a HAN reader; see tty.h. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "port/tty.h"

static const struct {
	long baud;
	speed_t code;
} speeds[] = {
	{ 300, B300 }, { 600, B600 }, { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 },
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
#ifdef B57600
	{ 57600, B57600 },
#endif
#ifdef B115200
	{ 115200, B115200 },
#endif
#ifdef B230400
	{ 230400, B230400 },
#endif
#ifdef B460800
	{ 460800, B460800 },
#endif
#ifdef B921600
	{ 921600, B921600 },
#endif
};

static int
speed_code(long baud, speed_t *code)
{
	for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
		if (speeds[i].baud == baud) {
			*code = speeds[i].code;
			return 0;
		}
	}
	return -1;
}

const char *
tty_speeds_text(void)
{
	static char buf[160];
	size_t n = 0;

	if (buf[0])
		return buf;
	for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
		char num[24], *p = num + sizeof num;
		long v = speeds[i].baud;
		*--p = '\0';
		do
			*--p = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		if (i && n + 2 < sizeof buf)
			buf[n++] = ',', buf[n++] = ' ';
		for (; *p && n + 1 < sizeof buf; p++)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return buf;
}

int
tty_speed_ok(long baud)
{
	speed_t code;

	return speed_code(baud, &code) == 0;
}

/* cfmakeraw() by hand (it is not POSIX), plus the line settings: every byte is passed
 * through as it came, parity is not checked (the HDLC checksums catch a damaged byte, and a
 * checked one would arrive as 00 or be dropped), and reads return as soon as one byte is
 * there. */
static void
make_raw(struct termios *tio, speed_t code, char parity)
{
	tio->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK | ISTRIP | INLCR |
	    IGNCR | ICRNL | IXON | IXOFF | IXANY);
	tio->c_oflag &= ~(tcflag_t)OPOST;
	tio->c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ICANON | ISIG | IEXTEN |
	    NOFLSH | TOSTOP);
	tio->c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB);
#ifdef CRTSCTS
	tio->c_cflag &= ~(tcflag_t)CRTSCTS;
#endif
	tio->c_cflag |= CS8 | CREAD | CLOCAL;
	if (parity == 'E')
		tio->c_cflag |= PARENB;
	else if (parity == 'O')
		tio->c_cflag |= PARENB | PARODD;
	tio->c_cc[VMIN] = 1;
	tio->c_cc[VTIME] = 0;
	cfsetispeed(tio, code);
	cfsetospeed(tio, code);
}

int
tty_open(struct tty *t, const char *path, long baud, char parity, const char **step)
{
	struct termios tio, got;
	speed_t code;
	int e;

	if (speed_code(baud, &code) < 0) {
		*step = "speed";
		errno = EINVAL;
		return -1;
	}
	/* Non-blocking so that open does not wait for a modem's carrier. */
	*step = "open";
	if ((t->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)) < 0)
		return -1;
	*step = "tcgetattr";
	if (tcgetattr(t->fd, &t->saved) < 0)
		goto fail;
	tio = t->saved;
	make_raw(&tio, code, parity);
	/* TCSAFLUSH: bytes that came in under the old settings are not the meter's. */
	*step = "tcsetattr";
	if (tcsetattr(t->fd, TCSAFLUSH, &tio) < 0 || tcgetattr(t->fd, &got) < 0)
		goto fail_restore;
	/* tcsetattr succeeds when any one change was made; the speed must have taken. (The
	 * parity is not checked: a pseudo-terminal keeps the speed but never the parity bit.) */
	*step = "speed";
	if (cfgetispeed(&got) != code || cfgetospeed(&got) != code ||
	    (got.c_cflag & CSIZE) != CS8 || (got.c_lflag & ICANON)) {
		errno = EINVAL;
		goto fail_restore;
	}
#ifdef TIOCEXCL
	/* A second reader on the same port would take bytes out of the first one's frames. */
	(void)ioctl(t->fd, TIOCEXCL);
#endif
	return 0;

fail_restore:
	e = errno;
	(void)tcsetattr(t->fd, TCSANOW, &t->saved);
	errno = e;
fail:
	e = errno;
	close(t->fd);
	t->fd = -1;
	errno = e;
	return -1;
}

void
tty_close(struct tty *t)
{
	if (t->fd < 0)
		return;
#ifdef TIOCNXCL
	(void)ioctl(t->fd, TIOCNXCL);
#endif
	(void)tcsetattr(t->fd, TCSANOW, &t->saved);
	close(t->fd);
	t->fd = -1;
}
