/* OBIS codes: six bytes A.B.C.D.E.F naming a COSEM object (IEC 62056-6-1). */
#ifndef COSEM_OBIS_H
#define COSEM_OBIS_H
#include <stddef.h>
#include <stdint.h>

#define OBIS_LEN 6
#define OBIS_TEXT_MAX 32

/* "1.0.32.7.0.255" into buf (>= OBIS_TEXT_MAX bytes); return the length. */
size_t obis_format(const uint8_t o[OBIS_LEN], char *buf);
/* "obis_1_0_32_7_0_255", the key of a value with no name, and back (0 ok, -1 not one). */
size_t obis_key_format(const uint8_t o[OBIS_LEN], char *buf);
int obis_key_parse(const char *s, size_t n, uint8_t o[OBIS_LEN]);

#endif
