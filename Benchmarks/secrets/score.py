#!/usr/bin/env python3
"""Scores a scanner's findings against a generator's truth file.

    score.py TRUTH FINDINGS [--root DIR] [--name roster] [--json]

FINDINGS is roster's JSON (an array of objects, or {"findings": [...]}, each with at least `rule`,
`path`, `line`, and `commit` for history scans) or detect-secrets' JSON ({"results": {path: [...]}}).
A finding counts for a planted secret when it is in the same file (and commit, when both have one)
on a line the secret spans; a renamed file's secret may be reported under either name, and a
commit message's under no path. Prints recall over planted secrets, false positives over planted
hard negatives, secrets reported from ignored files, and findings on no planted line.
"""
import argparse
import collections
import json
import os
import sys


def load_findings(path):
    with open(path) as f:
        text = f.read().strip()
    if not text:
        return []
    data = json.loads(text)
    if isinstance(data, dict) and "results" in data:  # detect-secrets
        return [{"rule": r.get("type"), "path": p, "line": r.get("line_number")} for p, rs in data["results"].items() for r in rs]
    if isinstance(data, dict):
        data = data.get("findings", [])
    out = []
    sha = lambda c: c.get("sha") if isinstance(c, dict) else c
    for f in data:
        rule = f.get("rule") or f.get("ruleId") or f.get("rule_id")
        # roster reports a secret once with every place it occurs, and an AWS key's secret with the key.
        # In history, later versions of the same file hold the same secret: the introducing
        # commit's location is the finding, the rest are where it stayed.
        places = ([f] if f.get("commit") else f.get("locations")) or [f.get("location") if isinstance(f.get("location"), dict) else f]
        for loc in places:
            out.append({"rule": rule, "path": loc.get("path"), "line": loc.get("line"), "commit": sha(loc.get("commit"))})
        paired = f.get("paired")
        if isinstance(paired, dict) and paired.get("line"):
            out.append({"rule": paired.get("rule"), "path": f.get("path"), "line": paired["line"], "commit": sha(f.get("commit"))})
    return out


class Index:
    """Truth entries by path, for lookups by (path, line)."""

    def __init__(self, entries):
        self.by_path = collections.defaultdict(list)
        for e in entries:
            names = [e.get("path")] + ([e["renamedTo"]] if e.get("renamedTo") else [])
            for p in names:
                self.by_path[p].append(e)
        self.paths = {p for p in self.by_path if p}

    def normalise(self, path, root):
        if not path or path in self.paths:
            return path
        if root and path.startswith(root.rstrip("/") + "/"):
            path = path[len(root.rstrip("/")) + 1:]
        path = path[2:] if path.startswith("./") else path
        parts = path.split("/")
        for i in range(len(parts)):  # a suffix of the reported path that names a planted file
            if "/".join(parts[i:]) in self.paths:
                return "/".join(parts[i:])
        return path

    def hits(self, finding, root):
        path = self.normalise(finding["path"], root)
        line = finding.get("line")
        commit = finding.get("commit")
        # How a history scan names a commit message is not settled: no path, or a marker such as "<commit message>".
        message = not path or str(path).strip("<>()").lower().replace("_", " ") in ("commit message", "commit msg", "message")
        found = []
        for e in self.by_path.get(None if message else path, []):
            if line is None or not (e["line"] <= int(line) <= e.get("endLine", e["line"])):
                continue
            if commit and e.get("commit") and not (e["commit"].startswith(commit) or commit.startswith(e["commit"])):
                continue
            found.append(e)
        return found


def score(truth, findings, root):
    groups = {g: Index(truth.get(g, [])) for g in ("secrets", "hardNegatives", "ignored")}
    hit = {g: set() for g in groups}
    unplanned = collections.Counter()
    for f in findings:
        if f["path"] and os.path.basename(str(f["path"])) == ".roster-truth.json":
            continue
        matched = False
        for g, index in groups.items():
            for e in index.hits(f, root):
                hit[g].add(id(e))
                matched = True
        if not matched:
            unplanned[f["rule"]] += 1
    secrets = truth.get("secrets", [])
    missed = collections.Counter(e["kind"] for e in secrets if id(e) not in hit["secrets"])
    fp = collections.Counter(e["kind"] for e in truth.get("hardNegatives", []) if id(e) in hit["hardNegatives"])
    return {
        "findings": len(findings),
        "recall": len(hit["secrets"]) / len(secrets) if secrets else None,
        "found": len(hit["secrets"]), "planted": len(secrets),
        "missedKinds": dict(missed.most_common()),
        "hardNegatives": len(truth.get("hardNegatives", [])), "falsePositives": len(hit["hardNegatives"]),
        "falsePositiveKinds": dict(fp.most_common()),
        "ignoredPlanted": len(truth.get("ignored", [])), "ignoredReported": len(hit["ignored"]),
        "unplanned": sum(unplanned.values()), "unplannedRules": dict(unplanned.most_common(8)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth")
    ap.add_argument("findings")
    ap.add_argument("--root", help="the scanned folder, stripped from absolute finding paths")
    ap.add_argument("--name", default="roster")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    truth = json.load(open(args.truth))
    try:
        findings = load_findings(args.findings)
    except (OSError, ValueError) as e:
        print(f"{args.name:15} no findings to score ({e.__class__.__name__}: {e})")
        return 1
    s = score(truth, findings, args.root)
    if args.json:
        json.dump(s, sys.stdout, indent=1)
        print()
        return 0
    recall = f"{100 * s['recall']:5.1f}%" if s["recall"] is not None else "  n/a"
    print(f"{args.name:15} recall {recall} ({s['found']}/{s['planted']})  hard-negative FPs {s['falsePositives']}/{s['hardNegatives']}  "
          f"ignored reported {s['ignoredReported']}/{s['ignoredPlanted']}  unplanned findings {s['unplanned']}  (findings {s['findings']})")
    if s["missedKinds"]:
        print(f"{'':15} missed: " + ", ".join(f"{k}×{n}" for k, n in s["missedKinds"].items()))
    if s["falsePositiveKinds"]:
        print(f"{'':15} false positives: " + ", ".join(f"{k}×{n}" for k, n in s["falsePositiveKinds"].items()))
    if s["unplannedRules"]:
        print(f"{'':15} unplanned by rule: " + ", ".join(f"{k}×{n}" for k, n in s["unplannedRules"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
