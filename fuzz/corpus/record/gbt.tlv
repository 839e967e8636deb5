apdu llc=none tag=e0 kind=general-block-transfer len=12 raw=e0c000010000050102030405

