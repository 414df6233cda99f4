#!/usr/bin/env bash
# X.509 connector throughput: 40,000 distinct certificates (~31 MB of PEM bundles and DER files in
# four folders) imported with a release build. The connector's share is "checking" + "reading" +
# the mapper's part of "mapping" (the rest of that phase is the service preparing the estates).
# Needs python3 with `cryptography` to generate the certificates.
#
#   Benchmarks/x509/run.sh [CERTIFICATES]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 Benchmarks/x509/generate.py --certificates "${1:-40000}" --out "$out/input"
swift build -c release --build-path .build-release --product roster
echo "input: $(du -sb "$out/input" | cut -f1) bytes"
ROSTER_TIMINGS=1 /usr/bin/time -v .build-release/release/roster import x509 "$out/input" --db "$out/roster.db" --as-of 2026-11-20 2>&1 \
  | grep -E "timing:|Elapsed|Maximum resident"
