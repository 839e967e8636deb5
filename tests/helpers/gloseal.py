#!/usr/bin/env python3
"""Test helper, independent of the C code: a general-glo-ciphering APDU built with
Python's cryptography (AESGCM), printed as hex.
  gloseal.py EK AK|- SYSTITLE SC IC PLAINHEX   (all hex; SC and IC as hex, e.g. 30 0000002a)
SC 0x30: encrypted, tag over SC||AK; 0x20: encrypted, no tag (GCM's counter stream);
0x10: authenticated only, GMAC over SC||AK||plaintext. The tag is the first 12 bytes."""
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ek, ak, st, sc, ic, pt = sys.argv[1:7]
ek = bytes.fromhex(ek)
ak = bytes(16) if ak == "-" else bytes.fromhex(ak)
st = bytes.fromhex(st)
sc = int(sc, 16)
ic = bytes.fromhex(ic)
pt = bytes.fromhex(pt)
iv = st + ic
g = AESGCM(ek)
if sc & 0x20:
    out = g.encrypt(iv, pt, bytes([sc]) + ak)	# ciphertext || 16-byte tag
    body = out[:-16] + (out[-16:-4] if sc & 0x10 else b"")
else:
    tag = g.encrypt(iv, b"", bytes([sc]) + ak + pt)
    body = pt + tag[:12]
content = bytes([sc]) + ic + body
n = len(content)
ln = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 255])
sys.stdout.write((bytes([0xdb, 8]) + st + ln + content).hex() + "\n")
