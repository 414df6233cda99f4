#!/usr/bin/env python3
"""Scores an access-graph answer against a generator's expected.json.

    score.py ANSWER.json EXPECTED.json [--name roster] [--misses 5]

ANSWER is either `roster paths --format json` output (an array of
{"principal", "adminReachable", "path"}; an object holding such an array is accepted too) or
pmapper_from_file.py's --json output. EXPECTED is gen_aws.py's or gen_kubernetes.py's.

Prints one human line, then one `SCORE key=value …` line for Benchmarks/graph.sh:
  reachable   principals the tool marks admin-reachable (Roster: adminReachable true; PMapper: is_admin or reaching one)
  gaining     those that do not already hold admin (expected.json's admins left out)
  found       planted escalations among them, of how many
  lookalikes  look-alikes among them (each a false positive), of how many
  unexpected  other principals among them (neither planted nor admin: false positives or a generator slip)
Kubernetes principals match by Roster's id (kubernetes:<cluster>/<ns>/<name>), `ns/name` or
`system:serviceaccount:ns:name`.
"""

import argparse
import json
import sys


def keys(entry):
    """The names one expected principal may go by."""
    if isinstance(entry, str):
        return [entry]
    out = [entry.get("arn") or entry.get("id")]
    if "serviceAccount" in entry:
        ns, name = entry["serviceAccount"].split("/", 1)
        out += [entry["serviceAccount"], f"system:serviceaccount:{ns}:{name}"]
    return [k for k in out if k]


def canonical(principal, index):
    if principal in index:
        return index[principal]
    if principal.startswith("system:serviceaccount:"):
        parts = principal.split(":")
        if len(parts) == 4 and f"{parts[2]}/{parts[3]}" in index:
            return index[f"{parts[2]}/{parts[3]}"]
    parts = principal.rstrip("/").split("/")
    if len(parts) >= 2 and f"{parts[-2]}/{parts[-1]}" in index:
        return index[f"{parts[-2]}/{parts[-1]}"]
    return principal


def answer_set(data):
    """The principals the answer marks admin-reachable."""
    if isinstance(data, dict) and "gainingAdmin" in data:  # pmapper_from_file.py --json
        return set(data["admins"]) | set(data["reachAdmin"]), "pmapper"
    rows = data
    if isinstance(data, dict):
        rows = next((v for v in data.values() if isinstance(v, list)), [])
    reach = set()
    for row in rows:
        if isinstance(row, dict) and row.get("adminReachable"):
            reach.add(row.get("principal") or row.get("id") or row.get("arn"))
    return reach, "roster"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("answer")
    ap.add_argument("expected")
    ap.add_argument("--name")
    ap.add_argument("--misses", type=int, default=5, help="how many misses and false positives to list")
    a = ap.parse_args()
    try:
        with open(a.answer) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{a.name or a.answer}: no answer to score ({e})")
        print("SCORE reachable= gaining= found= lookalikes= unexpected=")
        return
    with open(a.expected) as f:
        exp = json.load(f)
    index = {}
    for group in ("admins", "vulnerable", "lookalikes", "lateral"):
        for entry in exp.get(group, []):
            for k in keys(entry):
                index[k] = keys(entry)[0]
    reach, kind = answer_set(data)
    reach = {canonical(p, index) for p in reach if p}
    admins = {keys(e)[0] for e in exp["admins"]}
    planted = {keys(e)[0]: e for e in exp["vulnerable"]}
    look = {keys(e)[0]: e for e in exp["lookalikes"]}
    gaining = reach - admins
    found = gaining & set(planted)
    flagged = gaining & set(look)
    unexpected = sorted(gaining - set(planted) - set(look))
    name = a.name or kind
    print(f"{name}: {len(reach)} admin-reachable, {len(gaining)} not already admin; planted found {len(found)}/{len(planted)}, "
          f"look-alikes flagged {len(flagged)}/{len(look)}, unexpected {len(unexpected)}")
    for p in sorted(set(planted) - found)[: a.misses]:
        print(f"    missed {p} ({planted[p].get('technique')})")
    for p in sorted(flagged)[: a.misses]:
        print(f"    look-alike flagged {p} ({look[p].get('kind')}: {look[p].get('why')})")
    for p in unexpected[: a.misses]:
        print(f"    unexpected {p}")
    print(f"SCORE reachable={len(reach)} gaining={len(gaining)} found={len(found)}/{len(planted)} "
          f"lookalikes={len(flagged)}/{len(look)} unexpected={len(unexpected)}")


if __name__ == "__main__":
    sys.exit(main())
