body
0 structure 24 -
  1 null-data 0 -
  1 boolean 1 1 true
  1 bit-string 12 abc0
  1 double-long 4 -2
  1 double-long-unsigned 4 4294967295
  1 octet-string 6 0100010700ff obis=1.0.1.7.0.255
  1 visible-string 3 41225c "A\x22\x5c"
  1 utf8-string 2 c3a9 "\xc3\xa9"
  1 bcd 1 18
  1 integer 1 -128
  1 long 2 -32768
  1 unsigned 1 255
  1 long-unsigned 2 65535
  1 compact-array 11 0202111206010002030004
  1 long64 8 -9223372036854775808
  1 long64-unsigned 8 18446744073709551609
  1 enum 1 27
  1 float32 4 3f800000 1
  1 float64 8 7ff8000000000000 nan
  1 date-time 12 07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified status=0x00 dst=no
  1 date 5 07e9010f03
  1 time 4 0b3b37ff
  1 structure 2 - scaler=-2 unit=Wh
    2 integer 1 -2
    2 enum 1 30 unit=Wh
  1 array 0 -

