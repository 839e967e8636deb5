/* DLMS/COSEM physical units (the "unit" enum of a scaler_unit, IEC 62056-6-2) and OBIS code
 * text. Tables only: no I/O. */
#ifndef UNITS_H
#define UNITS_H
#include <stddef.h>
#include <stdint.h>

/* Short ASCII name of a unit code ("W", "varh", "degC"), or NULL if unassigned. */
const char *unit_name(unsigned code);
/* "A.B.C.D.E.F" of a 6-byte OBIS code into buf (>= 24 bytes); return the length. */
size_t obis_format(const uint8_t o[6], char *buf);

#endif
