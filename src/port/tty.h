/* A serial port set up for a HAN meter: opened without becoming the controlling terminal,
 * raw (no CR/LF translation, echo, flow control or signal characters), at a given speed and
 * parity with 8 data bits and 1 stop bit; and its settings put back afterwards.
 * Nothing here prints: failures return -1 with errno set and the step that failed. */
#ifndef TTY_H
#define TTY_H
#include <termios.h>

struct tty {
	int fd;
	struct termios saved;	/* the settings found at open, restored by tty_close */
};

/* Whether the line speed in bits per second is one this system can set. */
int tty_speed_ok(long baud);
/* Those speeds as text, "300, 600, ... 921600" (for a message). */
const char *tty_speeds_text(void);

/* Open path and set it up; parity is 'N', 'E' or 'O'. The file descriptor is left
 * non-blocking. 0 on success; -1 with errno set and *step naming what failed ("open",
 * "tcgetattr", "tcsetattr", "speed"), the device closed again. */
int tty_open(struct tty *t, const char *path, long baud, char parity, const char **step);

/* Put the saved settings back and close. */
void tty_close(struct tty *t);

#endif
