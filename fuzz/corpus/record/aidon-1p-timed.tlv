apdu time=2026-12-02T00:51:57.027+00:00 llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=none
0 array 1 -
  1 structure 3 -
    2 octet-string 6 0100010700ff obis=1.0.1.7.0.255
    2 double-long-unsigned 4 967
    2 structure 2 - scaler=0 unit=W
      3 integer 1 0
      3 enum 1 27 unit=W

apdu time=2026-12-02T00:51:57.027+00:00 llc=e6e700 tag=0f kind=data-notification invoke=0x40000000 id=0 priority=normal service=confirmed processing=continue self-descriptive=no dt=none
0 array 1 -
  1 structure 3 -
    2 octet-string 6 0100010700ff obis=1.0.1.7.0.255
    2 double-long-unsigned 4 3771
    2 structure 2 - scaler=0 unit=W
      3 integer 1 0
      3 enum 1 27 unit=W

