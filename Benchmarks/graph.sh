#!/usr/bin/env bash
# Access graph (privilege escalation paths) benchmark: Roster beside PMapper (principalmapper 1.1.5)
# on the same generated `get-account-authorization-details` file, and Roster alone on a large
# Kubernetes cluster. Inputs come from Benchmarks/graph/gen_aws.py and gen_kubernetes.py, each with
# an expected.json (admins, planted escalations, look-alikes) that both tools are scored against
# (Benchmarks/graph/score.py).
#   Benchmarks/graph.sh [SIZE…]     SIZE: PRINCIPALS[:POLICIES] (AWS; policies default to 5 per principal)
#                                         or k8s:SERVICEACCOUNTS:ROLES
#   default: 600 1200 10000:50000 k8s:5000:2000
# WORK=dir (default /tmp/roster-graph-bench) holds inputs, databases and logs; inputs are generated once.
# ROSTER=path skips the build. PMapper runs up to 1,200 principals (it is quadratic: 20-28 s at 600,
# 96-118 s at 1,200 on 2 cores); PMAPPER_ALL=1 runs it at every AWS size. PMapper lives in a venv
# under WORK; Benchmarks/graph/pmapper_from_file.py drives it offline (see its header).
# Roster's time is the import plus `roster paths`, from the file to the answer, as PMapper's is.
set -uo pipefail
cd "$(dirname "$0")/.."
here=$PWD/Benchmarks/graph
work=${WORK:-/tmp/roster-graph-bench}
mkdir -p "$work/out"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(600 1200 10000:50000 k8s:5000:2000)

# -- build (skipped when the binary is newer than every source, or when ROSTER names a binary) ----
roster=${ROSTER:-$PWD/.build-release/release/roster}
if [ -z "${ROSTER:-}" ] && { [ ! -x "$roster" ] || [ -n "$(find Sources Package.swift -newer "$roster" -print -quit)" ]; }; then
  swift build -c release --build-path .build-release --product roster >"$work/out/build.log" 2>&1 \
    || echo "roster: release build failed (see $work/out/build.log); its rows stay empty" >&2
fi
has_paths=1
"$roster" --help 2>/dev/null | grep -qE '^ +paths( |$)' || { has_paths=0; echo "roster paths is missing from $roster: its rows stay empty" >&2; }

# -- PMapper (a venv of its own; the Python 3.10+ patch is applied by the driver at run time) -------
pmapper_py=$work/pmapper-venv/bin/python
if [ ! -x "$pmapper_py" ] || ! "$pmapper_py" -c 'import principalmapper' 2>/dev/null; then
  python3 -m venv "$work/pmapper-venv" \
    && { "$work/pmapper-venv/bin/pip" install -q principalmapper==1.1.5 >"$work/out/pmapper-install.log" 2>&1 \
         || "$work/pmapper-venv/bin/pip" install -q 'principalmapper>=1.1,<1.2' >>"$work/out/pmapper-install.log" 2>&1; } \
    || echo "principalmapper not installable (see $work/out/pmapper-install.log); its rows stay empty" >&2
fi
pmapper_version=$("$pmapper_py" -c 'import importlib.metadata as m; print(m.version("principalmapper"))' 2>/dev/null || echo missing)
[ "$pmapper_version" = 1.1.5 ] || echo "note: principalmapper $pmapper_version, not 1.1.5" >&2

# -- timing ------------------------------------------------------------------------------------------
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$1" 2>/dev/null; }
peak_of() { awk '/Maximum resident set size/ {printf "%.0f", $NF / 1024}' "$1" 2>/dev/null; }
slug() { tr -c 'A-Za-z0-9\n' '-' <<<"$1"; }
# timed NAME OUTFILE command...: stdout to OUTFILE; sets WALL (s), PEAK (MB) and OK (1 when it exited 0) and prints a row.
timed() {
  local name=$1 out=$2; shift 2
  local log="$work/out/$(slug "$name").time" err="$work/out/$(slug "$name").err"
  /usr/bin/time -v -o "$log" "$@" >"$out" 2>"$err"
  local rc=$?
  WALL=$(wall_of "$log"); PEAK=$(peak_of "$log"); OK=0
  local note="ok"
  if [ "$rc" -eq 0 ] && [ -n "$WALL" ]; then OK=1; else note="FAILED (exit $rc; $err)"; fi
  printf '  %-44s %9.2f s %8s MB  %s\n' "$name" "${WALL:-0}" "${PEAK:-?}" "$note"
}
score_field() { local v; v=$(sed -n "s/^SCORE .*\b$1=\([^ ]*\).*/\1/p" "$2" 2>/dev/null); echo "${v:--}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.0fx", a / b; else print "-" }'; }
f2() { [ -n "${1:-}" ] && printf '%.2f' "$1" || echo -; }
# verdict PATHS_S TOTAL_S LIMIT_S [PEAK_MB LIMIT_MB]: the target checked on `paths` alone and on import + paths.
verdict() {
  awk -v p="$1" -v t="$2" -v l="$3" -v m="${4:-0}" -v lm="${5:-0}" 'BEGIN {
    if (p == "") { print "-"; exit }
    mem = lm == 0 || m < lm
    printf "< %s s%s: graph %s, import+paths %s", l, lm ? sprintf(" & < %d MB", lm) : "", p < l && mem ? "met" : "MISSED", t < l && mem ? "met" : "MISSED" }'
}

summary=()
for size in "${sizes[@]}"; do
  if [[ $size == k8s:* ]]; then
    IFS=: read -r _ sas roles <<<"$size"
    dir=$work/k8s-$sas-$roles
    if [ ! -f "$dir/expected.json" ]; then
      start=$SECONDS
      python3 "$here/gen_kubernetes.py" "$sas" "$roles" "$dir" || { echo "generator failed: $size" >&2; exit 1; }
      echo "  generated in $((SECONDS - start)) s"
    fi
    echo "Kubernetes: $sas service accounts, $roles roles ($(du -m "$dir/bench-k8s.json" | cut -f1) MB)"
    db=$dir/roster.db; rm -f "$db" "$db-wal" "$db-shm"
    timed "roster import kubernetes ($sas SAs)" /dev/null env ROSTER_TIMINGS=1 "$roster" import kubernetes "$dir/bench-k8s.json" --db "$db" --as-of 2025-11-20
    iw=$WALL ip=$PEAK pw="" pp="" rscore=""
    gw=$(sed -n 's/^timing: building \([0-9.]*\)s$/\1/p' "$work/out/$(slug "roster import kubernetes ($sas SAs)").err" | head -1)
    echo "  of which the access graph: ${gw:-?} s"
    if [ "$OK" = 1 ] && [ "$has_paths" = 1 ]; then
      timed "roster paths --provider kubernetes" "$dir/paths.json" "$roster" paths --provider kubernetes --format json --db "$db"
      [ "$OK" = 1 ] && pw=$WALL pp=$PEAK
      python3 "$here/score.py" "$dir/paths.json" "$dir/expected.json" --name "  roster" | tee "$work/out/score-k8s-$sas.txt" | grep -v '^SCORE'
      rscore=$work/out/score-k8s-$sas.txt
    fi
    total=$(awk -v a="${iw:-0}" -v b="${pw:-0}" 'BEGIN { print a + b }')
    summary+=("$(printf '%-22s %7s %7s %7s %8s %8s %6s %12s %10s %13s %11s  %s' "k8s $sas SA/$roles roles" "$(f2 "$iw")" "$(f2 "$pw")" \
      "$([ -n "$pw" ] && f2 "$total" || echo -)" "$(( ${ip:-0} > ${pp:-0} ? ${ip:-0} : ${pp:-0} ))" "n/a" "-" \
      "$(score_field gaining "$rscore")" "n/a" "$(score_field found "$rscore")" "$(score_field lookalikes "$rscore")" \
      "$(verdict "$gw" "$total" 2)")")
    continue
  fi

  IFS=: read -r principals policies <<<"$size"
  policies=${policies:-$((principals * 5))}
  dir=$work/aws-$principals-$policies
  file=$dir/authorization-details.json
  if [ ! -f "$dir/expected.json" ]; then
    start=$SECONDS
    python3 "$here/gen_aws.py" "$principals" "$policies" "$file" || { echo "generator failed: $size" >&2; exit 1; }
    echo "  generated in $((SECONDS - start)) s"
  fi
  echo "AWS: $principals principals, $policies policies ($(du -m "$file" | cut -f1) MB)"
  db=$dir/roster.db; rm -f "$db" "$db-wal" "$db-shm"
  timed "roster import aws ($principals)" /dev/null env ROSTER_TIMINGS=1 "$roster" import aws "$file" --db "$db" --as-of 2025-11-20
  iw=$WALL ip=$PEAK pw="" pp="" rscore="" mw="" mscore=""
  # The access graph alone (edge rules and the search for paths), from the import's phase timings.
  gw=$(sed -n 's/^timing: building \([0-9.]*\)s$/\1/p' "$work/out/$(slug "roster import aws ($principals)").err" | head -1)
  echo "  of which the access graph: ${gw:-?} s"
  if [ "$OK" = 1 ] && [ "$has_paths" = 1 ]; then
    timed "roster paths ($principals)" "$dir/paths.json" "$roster" paths --format json --db "$db"
    [ "$OK" = 1 ] && pw=$WALL pp=$PEAK
    python3 "$here/score.py" "$dir/paths.json" "$dir/expected.json" --name "  roster" | tee "$work/out/score-roster-$principals.txt" | grep -v '^SCORE'
    rscore=$work/out/score-roster-$principals.txt
  fi
  if [ "$principals" -le 1200 ] || [ "${PMAPPER_ALL:-0}" = 1 ]; then
    timed "pmapper $pmapper_version ($principals)" "$dir/pmapper.out" "$pmapper_py" "$here/pmapper_from_file.py" "$file" \
      --expected "$dir/expected.json" --json "$dir/pmapper.json"
    if [ "$OK" = 1 ]; then
      mw=$WALL
      sed -n '1,2p' "$dir/pmapper.out" | sed 's/^/  /'
      python3 "$here/score.py" "$dir/pmapper.json" "$dir/expected.json" --name "  pmapper" | tee "$work/out/score-pmapper-$principals.txt" | grep -v '^SCORE'
      mscore=$work/out/score-pmapper-$principals.txt
    fi
  fi
  total=$(awk -v a="${iw:-0}" -v b="${pw:-0}" 'BEGIN { print a + b }')
  peak=$(( ${ip:-0} > ${pp:-0} ? ${ip:-0} : ${pp:-0} ))
  case $principals:$policies in
    1200:*) target=$(verdict "$gw" "$total" 1) ;;
    10000:50000) target=$(verdict "$gw" "$total" 10 "$peak" 1024) ;;
    *) target="" ;;
  esac
  summary+=("$(printf '%-22s %7s %7s %7s %8s %8s %6s %12s %10s %13s %11s  %s' "aws $principals/$policies" "$(f2 "$iw")" "$(f2 "$pw")" \
    "$([ -n "$pw" ] && f2 "$total" || echo -)" "$peak" "$([ -n "$mw" ] && f2 "$mw" || echo skipped)" "$([ -n "$pw" ] && ratio "${mw:-0}" "$total" || echo -)" \
    "$(score_field gaining "$rscore")" "$(score_field gaining "$mscore")" \
    "$(score_field found "$rscore")|$(score_field found "$mscore")" "$(score_field lookalikes "$rscore")|$(score_field lookalikes "$mscore")" "$target")")
done

echo
echo "Side by side (seconds are wall time; escalating = admin-reachable principals that are not already admin;"
echo "found = planted escalations found, roster|pmapper; look-alikes = harmless look-alikes flagged, roster|pmapper)"
printf '%-22s %7s %7s %7s %8s %8s %6s %12s %10s %13s %11s  %s\n' size import paths roster "peak MB" pmapper ratio \
  "escal.roster" escal.pmap found look-alikes target
for row in "${summary[@]}"; do echo "$row"; done
exit 0
