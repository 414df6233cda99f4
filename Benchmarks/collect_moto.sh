#!/usr/bin/env bash
# Live-collection benchmark: `roster collect aws` against moto with 1,000 users (one key each)
# and 1,000 roles, timed with /usr/bin/time -v.
#
#   Benchmarks/collect_moto.sh [USERS] [ROLES]
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-1000}"
roles="${2:-1000}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$port" >/tmp/roster-bench-moto.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null; do sleep 0.2; done
echo "seeding $users users and $roles roles…"
python3 Tests/Fixtures/moto/seed.py "http://127.0.0.1:$port" --users "$users" --roles "$roles" >/dev/null
swift build -c release --scratch-path .build-release --product roster
db=$(mktemp -d)/roster.db
for concurrency in 1 8; do
  rm -f "$db"
  echo "== collect, --concurrency $concurrency"
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 ROSTER_TIMINGS=1 \
    /usr/bin/time -v .build-release/release/roster collect aws --endpoint-url "http://127.0.0.1:$port" \
    --concurrency "$concurrency" --db "$db" 2>&1 | grep -E "Stored|timing:|Elapsed|Maximum resident"
done
