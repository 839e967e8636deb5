/* CRC-16/X.25 (the HDLC HCS and FCS): poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF.
 * crc16_x25() returns the finished value; on the wire it is sent LSB first.
 * crc16_x25_update() carries the register across pieces: start from CRC16_X25_INIT, feed
 * the pieces in order, XOR the result with 0xFFFF to finish. So the FCS can continue from
 * the register the HCS was checked with instead of reading the header twice.
 */
#ifndef CRC16_H
#define CRC16_H
#include <stddef.h>
#include <stdint.h>

#define CRC16_X25_INIT 0xffffu

uint16_t crc16_x25(const uint8_t *p, size_t n);
uint16_t crc16_x25_update(uint16_t reg, const uint8_t *p, size_t n);
/* The register after n zero bytes, in constant time for n <= CRC16_ZEROS_MAX. The register
 * is linear in its start and its bytes, so with R(x) the register over a stream's first x
 * bytes from 0, the register over bytes [a, b) from r is zeros(r ^ R(a), b - a) ^ R(b):
 * any range's CRC from two prefix registers, which is how the framer checks every
 * candidate frame without reading its bytes again. */
#define CRC16_ZEROS_MAX 2049
uint16_t crc16_x25_zeros(uint16_t reg, size_t n);

/* CRC-16/ARC (the P1 telegram check): poly 0x8005 reflected, init 0, no final XOR, so the
 * register is the value and pieces chain: crc16_arc_update(crc16_arc_update(0, a), b). */
uint16_t crc16_arc_update(uint16_t reg, const uint8_t *p, size_t n);
/* Its table, for a scanner that folds the CRC into its own loop:
 * reg = (reg >> 8) ^ t[(reg ^ byte) & 0xff]. */
const uint16_t *crc16_arc_table(void);

#endif
