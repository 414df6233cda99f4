#!/usr/bin/env bash
# Import, storage and read benchmark: a synthetic AWS account in the real export formats.
#
#   Benchmarks/run.sh [IDENTITIES]      # default 100000; 1000000 for the large figure
#
# Generates the account with Benchmarks/generate_estate.py, builds roster in release mode, then
# times with /usr/bin/time -v (wall time and peak memory):
#   - import (parse, map, save, analyse), and the same files again (recognised, nothing read);
#   - the read commands over the stored analysis: show, findings --severity critical,
#     findings --format json, inventory --format json (streamed), metrics;
#   - a next-day import with one identity in a hundred changed, and how much the database grew.
# ROSTER_TIMINGS=1 prints each import phase.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
out="${BENCH_DIR:-/tmp/roster-bench-$n}"
[ -f "$out/authorization-details.json" ] || python3 Benchmarks/generate_estate.py --identities "$n" --out "$out"
swift build -c release --scratch-path .build-release --product roster
bin=.build-release/release/roster
db="$out/roster.db"
rm -f "$db" "$db-wal" "$db-shm"
timed() {  # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -v l="$label" '
    /Elapsed \(wall clock\)/ { w=$NF } /Maximum resident/ { m=$NF }
    END { printf "%-42s %10s wall %8.0f MB peak\n", l, w, m/1024 }'
}
size() { du -b "$db" | cut -f1; }

echo "== $n identities"
ROSTER_TIMINGS=1 /usr/bin/time -v "$bin" import aws "$out" --db "$db" --as-of 2026-11-20 2>&1 \
  | grep -E "timing:|Elapsed|Maximum resident" || true
timed "re-import of the same files" "$bin" import aws "$out" --db "$db" --as-of 2026-11-20
name=$("$bin" inventory --db "$db" --format json --limit 1 --offset $((n / 2)) | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')
timed "show $name" "$bin" show "$name" --db "$db"
timed "findings --severity critical" "$bin" findings --db "$db" --severity critical --fail-on none
timed "findings --format json" "$bin" findings --db "$db" --format json --fail-on none
timed "inventory --format json" "$bin" inventory --db "$db" --format json
timed "metrics" "$bin" metrics --db "$db"

before=$(size)
next="$out-next-day"
[ -f "$next/authorization-details.json" ] || python3 Benchmarks/mutate_estate.py "$out" "$next"
timed "next-day import, 1% changed" "$bin" import aws "$next" --db "$db" --as-of 2026-11-21
after=$(size)
python3 -c "b,a=$before,$after; print('database: %.1f MB -> %.1f MB, +%.2f%% for the next day' % (b/1e6, a/1e6, (a-b)*100/b))"
