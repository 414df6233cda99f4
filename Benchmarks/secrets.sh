#!/usr/bin/env bash
# Secrets scanner speed and accuracy: generates a 1 GiB source tree, a 50 MiB tree of the same
# make (for the slow detect-secrets) and a 10,000-commit history, all with planted secrets and hard
# negatives (Benchmarks/secrets/gen_*.py), then times roster beside ripgrep (the literal anchors
# only: the floor for a keyword prefilter) and detect-secrets, and scores every scanner that
# writes findings against the truth files (Benchmarks/secrets/score.py).
#   Benchmarks/secrets.sh [WORKDIR]     (SIZE_MIB=1024 COMMITS=10000 change the inputs; ROSTER=path skips the build)
# A tool that fails or is missing gets an empty row; the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/roster-secrets-bench}
here=$PWD/Benchmarks/secrets
mkdir -p "$work/out"

# -- build (skipped when the binary is newer than every source, or when ROSTER names a binary) ----
roster=${ROSTER:-$PWD/.build-release/release/roster}
if [ -z "${ROSTER:-}" ] && { [ ! -x "$roster" ] || [ -n "$(find Sources Package.swift -newer "$roster" -print -quit)" ]; }; then
  swift build -c release --build-path .build-release --product roster >"$work/out/build.log" 2>&1 \
    || echo "roster: release build failed (see $work/out/build.log); its rows stay empty" >&2
fi

# -- inputs (each generated once) -----------------------------------------------------------------
gen() {  # gen TRUTHFILE command...
  local truth=$1; shift
  if [ ! -f "$truth" ]; then
    local start=$SECONDS
    "$@" || { echo "generator failed: $*" >&2; exit 1; }
    echo "  generated in $((SECONDS - start)) s"
  fi
}
gen "$work/tree/.roster-truth.json" python3 "$here/gen_tree.py" "$work/tree" --size-mib "${SIZE_MIB:-1024}"
gen "$work/tree-small/.roster-truth.json" python3 "$here/gen_tree.py" "$work/tree-small" --size-mib 50
gen "$work/history/.roster-truth.json" python3 "$here/gen_history.py" "$work/history/repo" --commits "${COMMITS:-10000}"

# -- tools -----------------------------------------------------------------------------------------
if ! command -v rg >/dev/null; then apt-get install -y ripgrep >/dev/null 2>&1 || echo "ripgrep missing and not installable" >&2; fi
if ! command -v detect-secrets >/dev/null; then pip install -q detect-secrets >/dev/null 2>&1 || echo "detect-secrets missing and not installable" >&2; fi

json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }
# What a scanner that honours .gitignore reads of the tree, and all of the small tree (detect-secrets --all-files reads it all).
tree_bytes=$(( $(json_field "$work/tree/.roster-truth.json" bytes) - $(json_field "$work/tree/.roster-truth.json" ignoredBytes) ))
small_bytes=$(json_field "$work/tree-small/.roster-truth.json" bytes)
# Every distinct blob once: the least a history scan must read.
history_bytes=$(git -C "$work/history/repo" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1 == "blob" {s += $2} END {print s}')

printf '%-34s %9s %9s %9s %9s %10s  %s\n' tool "input MB" "wall s" "MB/s" "MB/cpu-s" "peak MB" note
# timed NAME BYTES OUTFILE command...: runs the command with stdout to OUTFILE, prints wall time, MB/s and peak RSS.
slug() { tr -c 'A-Za-z0-9\n' '-' <<<"$1"; }
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$1" 2>/dev/null; }
timed() {
  local name=$1 bytes=$2 out=$3; shift 3
  local log="$work/out/$(slug "$name").time" err="$work/out/$(slug "$name").err"
  /usr/bin/time -v -o "$log" "$@" >"$out" 2>"$err"
  local rc=$?
  local wall peak cpu
  wall=$(wall_of "$log")
  # User plus system seconds, children included: MB per CPU-second is the speed per core.
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log" 2>/dev/null)
  peak=$(awk '/Maximum resident set size/ {print $NF / 1024}' "$log" 2>/dev/null)
  local note="exit $rc"
  if [ -z "$wall" ] || ! grep -q "Exit status: [01]$" "$log" 2>/dev/null; then note="FAILED (exit $rc; $err)"; fi
  printf '%-34s %9.1f %9.2f %9.1f %9.1f %10.1f  %s\n' "$name" "$(bc -l <<<"$bytes/1000000")" "${wall:-0}" \
    "$(bc -l <<<"if (${wall:-0} > 0) $bytes/1000000/${wall:-1} else 0")" \
    "$(bc -l <<<"if (${cpu:-0} > 0) $bytes/1000000/${cpu:-1} else 0")" "${peak:-0}" "$note"
}

timed "roster tree" "$tree_bytes" "$work/out/roster-tree.json" "$roster" secrets scan "$work/tree" --format json
timed "ripgrep anchors -j1" "$tree_bytes" "$work/out/rg-1.txt" \
  rg -j1 -c -i -F --hidden --no-require-git -f "$here/anchors.txt" "$work/tree"
timed "ripgrep anchors (all cores)" "$tree_bytes" "$work/out/rg-n.txt" \
  rg -c -i -F --hidden --no-require-git -f "$here/anchors.txt" "$work/tree"
timed "roster tree-small (50 MiB)" "$small_bytes" "$work/out/roster-small.json" "$roster" secrets scan "$work/tree-small" --format json
(cd "$work/tree-small" && timed "detect-secrets tree-small (50 MiB)" "$small_bytes" "$work/out/detect-secrets-small.json" \
  detect-secrets scan --all-files .)
ds_wall=$(wall_of "$work/out/$(slug "detect-secrets tree-small (50 MiB)").time")
if [ -n "$ds_wall" ]; then
  printf '%-34s %9.1f %9.0f %9s %9s %10s  %s\n' "detect-secrets tree (extrapolated)" "$(bc -l <<<"$tree_bytes/1000000")" \
    "$(bc -l <<<"$tree_bytes / ($small_bytes / $ds_wall)")" "" "" "" "from the 50 MiB rate"
fi
timed "roster --git history" "$history_bytes" "$work/out/roster-git.json" "$roster" secrets scan --git "$work/history/repo" --format json
timed "git log -p --all -m (reference)" "$history_bytes" /dev/null git -C "$work/history/repo" log -p --all -m --no-color
timed "git cat-file --batch-all-objects (floor)" "$history_bytes" /dev/null git -C "$work/history/repo" cat-file --batch-all-objects --batch --unordered

echo
echo "accuracy (a finding counts on the planted line; see Benchmarks/secrets/score.py)"
python3 "$here/score.py" "$work/tree/.roster-truth.json" "$work/out/roster-tree.json" --root "$work/tree" --name "roster tree"
python3 "$here/score.py" "$work/tree-small/.roster-truth.json" "$work/out/roster-small.json" --root "$work/tree-small" --name "roster small"
python3 "$here/score.py" "$work/tree-small/.roster-truth.json" "$work/out/detect-secrets-small.json" --root "$work/tree-small" --name "detect-secrets"
python3 "$here/score.py" "$work/history/.roster-truth.json" "$work/out/roster-git.json" --root "$work/history/repo" --name "roster --git"
exit 0
