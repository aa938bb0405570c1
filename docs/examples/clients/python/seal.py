#!/usr/bin/env python3
"""A partner seals a submission for the hub with Python's `cryptography` (48; no other package).

SignedData (SHA-256, signed attributes, the partner's RSA or EC key), then EnvelopedData, AES-256-CBC, with RSA
PKCS#1 v1.5 key transport to the hub's RSA encryption certificate: `cryptography` encrypts in no other way, so the
partnership must allow it for this partner (`allowRsaPkcs1v15: true` in partnership.yaml).

    python3 seal.py --in submission.json --cert P.pem --key P.key --recip hub-rsa.pem --out submission.p7m
"""
import argparse
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--in", dest="src", required=True, help="the submission JSON")
    p.add_argument("--cert", required=True, help="the partner's certificate (PEM)")
    p.add_argument("--key", required=True, help="the partner's unencrypted PKCS#8 PEM key")
    p.add_argument("--recip", required=True, help="the hub's RSA encryption certificate (PEM)")
    p.add_argument("--out", required=True, help="where to write the DER envelope")
    a = p.parse_args()
    with open(a.src, "rb") as f:
        content = f.read()
    with open(a.cert, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    with open(a.key, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(a.recip, "rb") as f:
        hub = x509.load_pem_x509_certificate(f.read())

    # Binary: the JSON bytes as they are (no S/MIME text canonicalisation); the content is encapsulated.
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())
              .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    sealed = (pkcs7.PKCS7EnvelopeBuilder().set_data(signed).add_recipient(hub)
              .set_content_encryption_algorithm(algorithms.AES256)
              .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    with open(a.out, "wb") as f:
        f.write(sealed)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, TypeError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
