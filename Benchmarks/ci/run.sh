#!/usr/bin/env bash
# Times `roster import github` and `roster import gitlab` on a generated CI estate (release build).
#   Benchmarks/ci/run.sh [REPOS]      (default 2000 repositories, ~40 MB)
# ROSTER_TIMINGS=1 prints the read phase (the connector) apart from storing and analysis.
set -euo pipefail
cd "$(dirname "$0")/../.."
repos="${1:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/ci/generate_ci.py "$work/estate" "$repos"
swift build -c release --build-path .build-release --product roster >/dev/null
roster=.build-release/release/roster
for provider in github gitlab; do
  bytes=$(du -sb "$work/estate/$provider" | cut -f1)
  echo "== $provider: $((bytes / 1000000)) MB"
  ROSTER_TIMINGS=1 /usr/bin/time -v "$roster" import "$provider" "$work/estate/$provider" --db "$work/$provider.db" 2>&1 \
    | grep -E "read|Stored .* #1 |Elapsed|Maximum resident" | head -8
done
