#!/usr/bin/env python3
"""Generate many distinct X.509 certificates for benchmarking the X.509 connector.

    python3 Benchmarks/x509/generate.py --certificates 40000 --out /tmp/bench-x509

Writes <out>/<folder>/bundle-<n>.pem (PEM bundles of --per-file certificates each) and some DER
files, across four folders, every certificate distinct (its own serial and subject), issued by
one CA. Needs the `cryptography` package (pip install cryptography); keys are made here and
never written.
"""

import argparse
import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=40000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme"), x509.NameAttribute(NameOID.COMMON_NAME, "Bench CA")])
    leaf_keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key(), ec.generate_private_key(ec.SECP256R1()).public_key()]
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    folders = ["production", "staging", "edge-east", "edge-west"]
    for folder in folders:
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    written = 0
    file_index = 0
    while written < args.certificates:
        folder = folders[file_index % len(folders)]
        der = file_index % 10 == 9
        count = 1 if der else min(args.per_file, args.certificates - written)
        chunks = []
        for _ in range(count):
            n = written
            written += 1
            usage = ExtendedKeyUsageOID.CLIENT_AUTH if n % 2 else ExtendedKeyUsageOID.SERVER_AUTH
            subject = x509.Name([
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme"),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"team-{n % 37}"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"workload-{n}.acme.internal"),
            ])
            builder = (
                x509.CertificateBuilder()
                .subject_name(subject).issuer_name(ca_name).public_key(leaf_keys[n % 2])
                .serial_number(10_000 + n)
                .not_valid_before(start + datetime.timedelta(days=n % 300))
                .not_valid_after(start + datetime.timedelta(days=365 + n % 700))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(f"workload-{n}.acme.internal")]), critical=False)
            )
            certificate = builder.sign(ca_key, hashes.SHA256())
            chunks.append(certificate.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM))
        name = f"cert-{file_index}.der" if der else f"bundle-{file_index}.pem"
        with open(os.path.join(args.out, folder, name), "wb") as out:
            out.write(b"".join(chunks))
        file_index += 1


if __name__ == "__main__":
    main()
