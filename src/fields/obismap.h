/* OBIS codes to named keys, as rows (obismap.c): A, C, D, E of the code decide, B (the
 * channel) and F (the billing period) do not, as every HAN list sends them. */
#ifndef FIELDS_OBISMAP_H
#define FIELDS_OBISMAP_H
#include <stdint.h>
#include "cosem/obis.h"

/* The key of an OBIS code, -1 if it has no name. */
int obismap_key(const uint8_t o[OBIS_LEN]);

#endif
