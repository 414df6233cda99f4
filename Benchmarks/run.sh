#!/usr/bin/env bash
# Import + analysis benchmark: a synthetic AWS account in the real export formats.
#
#   Benchmarks/run.sh [IDENTITIES]      # default 100000
#
# Generates the account with Benchmarks/generate_estate.py, builds roster in release mode,
# then times `roster import aws` (parse, map, analyse, store) and `roster findings`
# with /usr/bin/time -v (wall time and peak memory). ROSTER_TIMINGS=1 prints each phase.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
out="${BENCH_DIR:-/tmp/roster-bench-$n}"
python3 Benchmarks/generate_estate.py --identities "$n" --out "$out"
swift build -c release --scratch-path .build-release --product roster
bin=.build-release/release/roster
db="$out/roster.db"
rm -f "$db"
echo "== import ($n identities)"
ROSTER_TIMINGS=1 /usr/bin/time -v "$bin" import aws "$out" --db "$db" 2>&1 \
  | grep -E "Imported|timing:|Elapsed|Maximum resident"
echo "== re-import (unchanged)"
/usr/bin/time -v "$bin" import aws "$out" --db "$db" 2>&1 | grep -E "unchanged|Elapsed|Maximum resident"
echo "== findings --format json"
/usr/bin/time -v "$bin" findings --db "$db" --format json --fail-on none 2>&1 >/dev/null | grep -E "Elapsed|Maximum resident"
