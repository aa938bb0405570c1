#!/usr/bin/env python3
"""A recipient decrypts a package from the hub with Python's `cryptography` (48; no other package).

`cryptography` decrypts only EnvelopedData with RSA PKCS#1 v1.5 key transport: declare
`packageFormat: enveloped-aes256-cbc-rsa-pkcs1` (with `allowRsaPkcs1v15: true`) and install an RSA certificate for
this recipient. It reads DER only, and the hub streams its packages as BER (indefinite lengths, chunked OCTET
STRINGs), so the envelope is re-encoded as DER first (`ber_to_der`, below).

`cryptography` CANNOT VERIFY SignedData. What this writes (--signed) is the hub's SignedData, still to be verified;
until it is, its content is not known to come from the hub. Verify it with a CMS library that can, for example

    openssl cms -verify -inform DER -in package.signed.der -CAfile ca.pem -purpose any -out package.json

and check that the signer's CN is `hub`. --unverified-content writes the content without any check, for a
recipient that verifies by other means; never treat it as from the hub otherwise.

    python3 open.py --in package.p7m --cert R.pem --key R.key --signed package.signed.der \
        [--unverified-content package.json]
"""
import argparse
import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7


def _read(buf: bytes, i: int):
    """One TLV at i: (tag bytes, constructed, content start, content end or None if indefinite, header length)."""
    start = i
    first = buf[i]
    i += 1
    if first & 0x1F == 0x1F:
        while buf[i] & 0x80:
            i += 1
        i += 1
    tag = buf[start:i]
    n = buf[i]
    i += 1
    if n == 0x80:
        return tag, bool(first & 0x20), i, None
    if n & 0x80:
        count = n & 0x7F
        n = int.from_bytes(buf[i:i + count], "big")
        i += count
    return tag, bool(first & 0x20), i, i + n


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _element(buf: bytes, i: int, envelope: bool):
    """Re-encodes the element at i with definite lengths; returns (DER bytes, index after it)."""
    tag, constructed, start, end = _read(buf, i)
    if not constructed:
        return tag + _length(end - start) + buf[start:end], end
    children = []
    original = []
    j = start
    while (end is None and buf[j:j + 2] != b"\x00\x00") or (end is not None and j < end):
        original.append(buf[j])
        child, j = _element(buf, j, envelope)
        children.append(child)
    after = j + 2 if end is None else end
    # DER wants one primitive OCTET STRING where BER may chunk it: a constructed OCTET STRING (0x24) and, in an
    # EnvelopedData, the [0] IMPLICIT encrypted content (0xA0 made of OCTET STRING chunks)
    if children and (tag == b"\x24" or (envelope and tag == b"\xa0" and all(t == 0x04 for t in original))):
        octets = b"".join(c[_read(c, 0)[2]:] for c in children)
        return bytes([tag[0] & ~0x20]) + _length(len(octets)) + octets, after
    body = b"".join(children)
    return tag + _length(len(body)) + body, after


def ber_to_der(ber: bytes, envelope: bool = True) -> bytes:
    """BER (as the hub streams it) to DER, for `cryptography`, which reads DER only."""
    der, end = _element(ber, 0, envelope)
    if end != len(ber):
        raise ValueError("bytes after the message")
    return der


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--in", dest="src", required=True, help="the package (DER or BER)")
    p.add_argument("--cert", required=True, help="the recipient's RSA certificate (PEM)")
    p.add_argument("--key", required=True, help="the recipient's unencrypted PKCS#8 PEM key")
    p.add_argument("--signed", required=True, help="where to write the hub's SignedData (DER), to be verified")
    p.add_argument("--unverified-content", help="also write the signed content, NOT verified")
    a = p.parse_args()
    with open(a.src, "rb") as f:
        envelope = ber_to_der(f.read())
    with open(a.cert, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    with open(a.key, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    signed = pkcs7.pkcs7_decrypt_der(envelope, cert, key, [])
    with open(a.signed, "wb") as f:
        f.write(signed)
    if a.unverified_content:
        with open(a.unverified_content, "wb") as f:
            f.write(encapsulated_content(signed))
    return 0


def encapsulated_content(signed: bytes) -> bytes:
    """The eContent of a ContentInfo(SignedData), without verifying anything."""
    der = ber_to_der(signed, envelope=False)
    _, _, ci, _ = _read(der, 0)                 # ContentInfo
    _, _, oid_start, oid_end = _read(der, ci)   # contentType
    _, _, sd0, _ = _read(der, oid_end)          # [0] EXPLICIT
    _, _, sd, _ = _read(der, sd0)               # SignedData
    _, _, _, j = _read(der, sd)                 # version
    _, _, _, j = _read(der, j)                  # digestAlgorithms
    _, _, eci, _ = _read(der, j)                # encapContentInfo
    _, _, _, k = _read(der, eci)                # eContentType
    _, _, e0, _ = _read(der, k)                 # [0] EXPLICIT
    _, _, s, e = _read(der, e0)                 # OCTET STRING
    return der[s:e]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, TypeError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
