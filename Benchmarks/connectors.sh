#!/usr/bin/env bash
# Connector speed: generates a large input per provider, imports each with a release build, and
# prints the phases before writing (ROSTER_TIMINGS) as MB/s of input, beside wall time and peak memory.
# The target is 50 MB/s per connector on one core.
#   Benchmarks/connectors.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/roster-connector-bench}
mkdir -p "$work"
swift build -c release --build-path .build-release --product roster >/dev/null
roster=$PWD/.build-release/release/roster

# Generates an input once: skipped when its folder already holds files.
generate() {
  local name=$1; shift
  if [ -z "$(ls -A "$work/$name" 2>/dev/null)" ]; then mkdir -p "$work/$name"; "$@"; fi
}
generate aws python3 Benchmarks/generate_estate.py --identities 100000 --out "$work/aws"
generate gcp python3 Benchmarks/gcp/generate.py "$work/gcp" 60000
generate azure python3 Benchmarks/azure/generate.py "$work/azure" 20000
generate kubernetes python3 Benchmarks/kubernetes/generate.py --namespaces 2000 --out "$work/kubernetes"
generate ci python3 Benchmarks/ci/generate_ci.py "$work/ci" 2000
generate jenkins python3 Benchmarks/jenkins/generate.py --out "$work/jenkins"
generate x509 python3 Benchmarks/x509/generate.py --out "$work/x509"

run() {
  local provider=$1 input=$2
  local bytes seconds
  bytes=$(du -sb "$input" | cut -f1)
  rm -f "$work/$provider.db"
  local log
  log=$(ROSTER_TIMINGS=1 /usr/bin/time -v "$roster" import "$provider" "$input" --db "$work/$provider.db" --as-of 2026-11-20 2>&1 >/dev/null || true)
  # Every phase before the snapshot is written is the connector's (finding files, checking, reading, mapping).
  seconds=$(awk '/^timing: writing/ {exit} /^timing: / {gsub("s$", "", $NF); t += $NF} END {printf "%.2f", t}' <<<"$log")
  printf '%-11s %8.1f MB  read+map %6ss  %6.1f MB/s  wall %s  peak %s KB\n' "$provider" "$(bc -l <<<"$bytes/1000000")" "$seconds" \
    "$(bc -l <<<"$bytes/1000000/$seconds")" "$(grep -m1 'Elapsed' <<<"$log" | awk '{print $NF}')" "$(grep -m1 'Maximum resident' <<<"$log" | awk '{print $NF}')"
}

run aws "$work/aws"
run gcp "$work/gcp"
run azure "$work/azure"
run kubernetes "$work/kubernetes"
run github "$work/ci/github"
run gitlab "$work/ci/gitlab"
run jenkins "$work/jenkins"
run x509 "$work/x509"
