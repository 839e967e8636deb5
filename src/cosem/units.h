/* DLMS/COSEM physical units: the "unit" enum of a scaler_unit (IEC 62056-6-2). A table
 * only: no I/O. */
#ifndef UNITS_H
#define UNITS_H
#include <stddef.h>
#include <stdint.h>

/* Short ASCII name of a unit code ("W", "varh", "degC"), or NULL if unassigned. */
const char *unit_name(unsigned code);

#endif
