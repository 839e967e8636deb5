/* CRC-16/X.25 (the HDLC HCS and FCS): poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF.
 * crc16_x25() returns the finished value; on the wire it is sent LSB first. */
#ifndef CRC16_H
#define CRC16_H
#include <stddef.h>
#include <stdint.h>

uint16_t crc16_x25(const uint8_t *p, size_t n);

#endif
