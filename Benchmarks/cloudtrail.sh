#!/usr/bin/env bash
# CloudTrail import benchmark (issue 15): generates an organisation trail's S3 delivery
# (gzipped, duplicates, records unordered) and times `roster import cloudtrail` on it.
#
#   Benchmarks/cloudtrail.sh [GIB] [DAYS]     (defaults: 1 GiB of uncompressed JSON over 7 days)
#
# The data goes to ${BENCH_DIR:-bench-out/cloudtrail} and is reused while its size and days match.
# ROSTER names the binary (default: a release build of this package, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
gib="${1:-1}"
days="${2:-7}"
out="${BENCH_DIR:-bench-out/cloudtrail}/${gib}gib-${days}d"

if [ ! -d "$out/AWSLogs" ]; then
    echo "generating ${gib} GiB of CloudTrail over ${days} days in $out"
    python3 Benchmarks/cloudtrail/gen_cloudtrail.py "$out" --gib "$gib" --days "$days"
fi
compressed=$(du -sb "$out/AWSLogs" | cut -f1)
echo "on disk: $((compressed / 1048576)) MiB gzipped, $(find "$out/AWSLogs" -name '*.json.gz' | wc -l) files"

roster="${ROSTER:-}"
if [ -z "$roster" ]; then
    swift build -c release --product roster >/dev/null
    roster="$(swift build -c release --show-bin-path)/roster"
fi
if ! "$roster" import --help 2>/dev/null | grep -qi cloudtrail; then
    echo "roster import cloudtrail is missing from $roster: nothing to time yet"
    exit 0
fi

db="$(mktemp -d)/roster.db"
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
echo "roster import cloudtrail $out/AWSLogs"
ROSTER_DB="$db" /usr/bin/time -v "$roster" import cloudtrail "$out/AWSLogs" 2> "$out/time.txt" || { cat "$out/time.txt"; exit 1; }
seconds=$(wall "$out/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/time.txt")
uncompressed=$(python3 -c "import json; print(json.load(open('$out/generated.json'))['uncompressedBytes'])")
python3 -c "print(f'{$uncompressed / 1e6 / $seconds:.0f} MB/s of uncompressed JSON ({$seconds} s), peak memory {$rss / 1024:.0f} MiB')"

# The daily run: every day but the newest imported into a second store, then the folder again
# with the newest day's files back (what a cron job sees), then once more with nothing new.
db2="$(mktemp -d)/roster.db"
last_day=$(find "$out/AWSLogs" -name '*.json.gz' | sed -E 's#.*/([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]*$#\1#' | sort -u | tail -1)
held="$(mktemp -d)"
find "$out/AWSLogs" -path "*/$last_day/*.json.gz" | while read -r f; do mkdir -p "$held/$(dirname "${f#$out/}")"; mv "$f" "$held/${f#$out/}"; done
ROSTER_DB="$db2" "$roster" import cloudtrail "$out/AWSLogs" >/dev/null
cp -r "$held/AWSLogs/." "$out/AWSLogs/" && rm -rf "$held"
ROSTER_DB="$db2" /usr/bin/time -v "$roster" import cloudtrail "$out/AWSLogs" 2> "$out/time-next-day.txt" >/dev/null || { cat "$out/time-next-day.txt"; exit 1; }
ROSTER_DB="$db2" /usr/bin/time -v "$roster" import cloudtrail "$out/AWSLogs" 2> "$out/time-again.txt" >/dev/null || { cat "$out/time-again.txt"; exit 1; }
echo "incremental: the next day ($last_day) in $(wall "$out/time-next-day.txt") s; the folder again with nothing new in $(wall "$out/time-again.txt") s"
rm -rf "$(dirname "$db")" "$(dirname "$db2")"
