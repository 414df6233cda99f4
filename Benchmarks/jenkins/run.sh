#!/usr/bin/env bash
# Jenkins connector throughput: a generated credentials.xml (150,000 credentials, ~163 MB) imported
# with a release build, phases timed (ROSTER_TIMINGS) and the whole run with /usr/bin/time -v.
# The connector's share is "checking" (input digest) + "reading" (parse and map).
#
#   Benchmarks/jenkins/run.sh [CREDENTIALS]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 Benchmarks/jenkins/generate.py --credentials "${1:-150000}" --out "$out/input/ci-bench"
swift build -c release --build-path .build-release --product roster
echo "input: $(du -sb "$out/input" | cut -f1) bytes"
ROSTER_TIMINGS=1 /usr/bin/time -v .build-release/release/roster import jenkins "$out/input" --db "$out/roster.db" --as-of 2026-11-20 2>&1 \
  | grep -E "Stored|timing:|Elapsed|Maximum resident"
