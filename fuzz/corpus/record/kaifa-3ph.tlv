apdu llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=tagged:07e9010f030b3b37ff800000 datetime=2025-01-15T11:59:55 deviation=unspecified status=0x00 dst=no
0 structure 1 -
  1 double-long-unsigned 4 1087

apdu llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=tagged:07e9010f030c0001ff800000 datetime=2025-01-15T12:00:01 deviation=unspecified status=0x00 dst=no
0 structure 13 -
  1 octet-string 7 4b464d5f303031
  1 octet-string 16 36393730363331313233313439393631
  1 octet-string 8 4d41333034483345
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 46
  1 double-long-unsigned 4 275
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 968
  1 double-long-unsigned 4 1649
  1 double-long-unsigned 4 2651
  1 double-long-unsigned 4 2282
  1 double-long-unsigned 4 2292
  1 double-long-unsigned 4 2323

apdu llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=tagged:07e9010f030c000bff800000 datetime=2025-01-15T12:00:11 deviation=unspecified status=0x00 dst=no
0 structure 18 -
  1 octet-string 7 4b464d5f303031
  1 octet-string 16 36393730363331313233313439393631
  1 octet-string 8 4d41333034483345
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 1169
  1 double-long-unsigned 4 264
  1 double-long-unsigned 4 0
  1 double-long-unsigned 4 2955
  1 double-long-unsigned 4 2993
  1 double-long-unsigned 4 1104
  1 double-long-unsigned 4 2274
  1 double-long-unsigned 4 2292
  1 double-long-unsigned 4 2317
  1 octet-string 12 07e9010f030c000bff800000 datetime=2025-01-15T12:00:11 deviation=unspecified status=0x00 dst=no
  1 double-long-unsigned 4 57589931
  1 double-long-unsigned 4 28348
  1 double-long-unsigned 4 1280177
  1 double-long-unsigned 4 307929

