apdu llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=tagged:07e9010f030b3b1eff800000 datetime=2025-01-15T11:59:30 deviation=unspecified status=0x00 dst=no
0 structure 13 -
  1 octet-string 7 4b464d5f303031
  1 octet-string 16 36393730363331333236313336353735
  1 octet-string 8 4d41333034483345
  1 double-long-unsigned 4 2964
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 110
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 7175
  1 double-long-unsigned 4 3675
  1 double-long-unsigned 4 2777
  1 double-long-unsigned 4 2308
  1 double-long-unsigned 4 2356
  1 double-long-unsigned 4 2351

apdu llc=e6e700 tag=0f kind=data-notification invoke=0x00000000 id=0 priority=normal service=unconfirmed processing=continue self-descriptive=no dt=bare:07e9010f030b3b1fff800000 datetime=2025-01-15T11:59:31 deviation=unspecified status=0x00 dst=no
0 structure 25 -
  1 visible-string 14 4b616d73747275705f5630303031 "Kamstrup_V0001"
  1 octet-string 6 0101000005ff obis=1.1.0.0.5.255
  1 visible-string 16 35373036353637383334393238383630 "5706567834928860"
  1 octet-string 6 0101600101ff obis=1.1.96.1.1.255
  1 visible-string 18 36383431313231424e323433313031303430 "6841121BN243101040"
  1 octet-string 6 0101010700ff obis=1.1.1.7.0.255
  1 double-long-unsigned 4 3063
  1 octet-string 6 0101020700ff obis=1.1.2.7.0.255
  1 double-long-unsigned 4 0
  1 octet-string 6 0101030700ff obis=1.1.3.7.0.255
  1 double-long-unsigned 4 644
  1 octet-string 6 0101040700ff obis=1.1.4.7.0.255
  1 double-long-unsigned 4 0
  1 octet-string 6 01011f0700ff obis=1.1.31.7.0.255
  1 double-long-unsigned 4 643
  1 octet-string 6 0101330700ff obis=1.1.51.7.0.255
  1 double-long-unsigned 4 293
  1 octet-string 6 0101470700ff obis=1.1.71.7.0.255
  1 double-long-unsigned 4 544
  1 octet-string 6 0101200700ff obis=1.1.32.7.0.255
  1 long-unsigned 2 229
  1 octet-string 6 0101340700ff obis=1.1.52.7.0.255
  1 long-unsigned 2 228
  1 octet-string 6 0101480700ff obis=1.1.72.7.0.255
  1 long-unsigned 2 236

