#!/usr/bin/env python3
"""A git repository with a long history and secrets planted where history scanners miss them.

    gen_history.py OUT [--commits 10000] [--seed 14]

Builds OUT (a non-bare repository, `main` checked out) through `git fast-import`: a main line
with files that change over time, feature branches merged back with merge commits, release
branches, renames, and one branch never merged. Author and committer dates are fixed, so the same
seed gives the same commit ids. Planted:

  history-only   an AWS key pair added to a file that a later commit deletes
  unmerged       a Slack token on a branch that is never merged
  renamed        a GitHub token in a file that is later renamed
  merge          a Stripe key that exists in neither parent, added by a merge commit's resolution
  message        a GitLab token in a commit message (path null, line = line of the message)
  live           a database URL still present at HEAD

plus hard negatives (documentation keys, placeholders). The truth file is written beside the
repository, not inside it: dirname(OUT)/.roster-truth.json, with the introducing commit id of each.
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402
from gen_tree import line_pool, snake, WORDS  # noqa: E402

EXTS = ["py", "js", "go", "java", "yaml", "md", "tf"]
T0 = 1_600_000_000
AUTHORS = [("Ada Byron", "ada@example.com"), ("Grace Hopper", "grace@example.com"), ("Ken Thompson", "ken@example.com"),
           ("Barbara Liskov", "barbara@example.com"), ("Dennis Ritchie", "dmr@example.com")]


class Branch:
    def __init__(self, name, tree, head, domain):
        self.name = name
        self.tree = dict(tree)  # path -> tuple of lines; tuples are shared, never mutated
        self.head = head  # mark of the last commit, None before the first
        self.domain = domain  # path prefix this branch edits ("" for main: anything outside features/ and release/)
        self.touched = set()  # paths changed since the branch point (applied to main at merge)


class History:
    def __init__(self, out, commits, seed):
        self.out, self.target, self.r = out, commits, random.Random(seed)
        self.pools = {ext: line_pool(self.r, ext, 3000) for ext in EXTS}
        self.mark = 0
        self.time = T0
        self.stream = []
        self.truth = {"secrets": [], "hardNegatives": []}
        self.pending = []  # truth entries waiting for their commit's mark: (mark, entry)
        self.count = 0

    # -- stream ---------------------------------------------------------------------------------
    def data(self, text):
        b = text.encode()
        self.stream.append(b"data %d\n" % len(b) + b + b"\n")

    def commit(self, branch, message, changes, merge=None):
        """changes: list of ('M', path, lines) / ('D', path) / ('R', old, new)."""
        self.mark += 1
        self.count += 1
        self.time += self.r.randrange(300, 5400)
        name, email = AUTHORS[self.mark % len(AUTHORS)]
        self.stream.append(f"commit refs/heads/{branch.name}\nmark :{self.mark}\n"
                           f"author {name} <{email}> {self.time} +0000\ncommitter {name} <{email}> {self.time} +0000\n".encode())
        self.data(message)
        if branch.head is not None:
            self.stream.append(f"from :{branch.head}\n".encode())
        if merge is not None:
            self.stream.append(f"merge :{merge}\n".encode())
        for change in changes:
            if change[0] == "M":
                self.stream.append(f"M 100644 inline {change[1]}\n".encode())
                self.data("\n".join(change[2]) + "\n")
                branch.tree[change[1]] = tuple(change[2])
                branch.touched.add(change[1])
            elif change[0] == "D":
                self.stream.append(f"D {change[1]}\n".encode())
                branch.tree.pop(change[1], None)
                branch.touched.add(change[1])
            else:
                self.stream.append(f"R {change[1]} {change[2]}\n".encode())
                branch.tree[change[2]] = branch.tree.pop(change[1])
                branch.touched.update((change[1], change[2]))
        branch.head = self.mark
        return self.mark

    # -- content --------------------------------------------------------------------------------
    def new_file(self, prefix):
        ext = self.r.choice(EXTS)
        return f"{prefix}{snake(self.r)}_{self.r.randrange(1000)}.{ext}", self.r.choices(self.pools[ext], k=self.r.randrange(30, 250))

    def edit(self, path, lines):
        ext = path.rsplit(".", 1)[-1]
        pool = self.pools.get(ext, self.pools["md"])
        lines = list(lines)
        for _ in range(self.r.randrange(1, 6)):
            op = self.r.random()
            at = self.r.randrange(len(lines) + 1)
            if op < 0.45 and lines:
                lines[min(at, len(lines) - 1)] = self.r.choice(pool)
            elif op < 0.85:
                lines[at:at] = self.r.choices(pool, k=self.r.randrange(1, 12))
            elif len(lines) > 10:
                del lines[at:at + self.r.randrange(1, 5)]
        return lines

    def work(self, branch, message=None):
        """An ordinary commit: edits one to three files of the branch's domain, sometimes adds one."""
        mine = [p for p in branch.tree if p.startswith(branch.domain) and not p.startswith(("features/", "release/"))] \
            if branch.domain == "" else [p for p in branch.tree if p.startswith(branch.domain)]
        changes = []
        if not mine or self.r.random() < 0.08:
            path, lines = self.new_file(branch.domain or self.r.choice(["src/", "web/", "cmd/", "deploy/", "docs/"]))
            changes.append(("M", path, lines))
        for path in self.r.sample(sorted(mine), min(len(mine), self.r.randrange(1, 4))):
            changes.append(("M", path, self.edit(path, branch.tree[path])))
        verb = self.r.choice(["Fix", "Add", "Refactor", "Update", "Handle", "Speed up", "Document", "Test"])
        return self.commit(branch, message or f"{verb} {self.r.choice(WORDS)} {self.r.choice(WORDS)} handling", changes)

    def plant(self, branch, path, lines, planted, message, kinds, note, group="secrets"):
        """Commits `lines` inserted into `path` (new or existing); records each planted line by kind."""
        base = list(branch.tree.get(path, ()))
        at = self.r.randrange(len(base) + 1) if base else 0
        content = base[:at] + lines + base[at:]
        mark = self.commit(branch, message, [("M", path, content)])
        for offset, kind in planted:
            self.pending.append((mark, group, {"path": path, "line": at + offset + 1, "kind": kind, "note": note}))
        return mark

    # -- the plot -------------------------------------------------------------------------------
    def build(self):
        r = self.r
        main = Branch("main", {}, None, "")
        self.commit(main, "Initial import", [("M", *self.new_file(d)) for d in ["src/", "web/", "cmd/", "deploy/", "docs/"] for _ in range(30)])
        features, releases, merged = [], [], 0
        unmerged = None
        beats = {int(self.target * f): name for f, name in
                 [(0.02, "negatives"), (0.10, "history-only-add"), (0.15, "history-only-delete"), (0.25, "renamed-add"),
                  (0.30, "renamed-move"), (0.40, "message"), (0.55, "unmerged"), (0.60, "live"), (0.70, "merge")]}
        merge_secret_due = False
        while self.count < self.target:
            # A beat may be passed over while a branch made several commits: take the earliest one due.
            due = [k for k in beats if k <= self.count]
            beat = beats.pop(min(due)) if due else None
            if beat == "negatives":
                readme = ["# Deploying", "", "Configure the CLI with your own keys, for example:", "",
                          "    aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                          "    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "",
                          "Set `GITHUB_TOKEN=your-token-here` and `SLACK_TOKEN=<paste token>` in `.env`."]
                mark = self.commit(main, "Document deployment", [("M", "docs/DEPLOYING.md", readme),
                                                                 ("M", "deploy/.env.example", ["API_KEY=${API_KEY}", "DB_PASSWORD=changeme",
                                                                                               "STRIPE_KEY=xxxxxxxxxxxxxxxx"])])
                for path, line, kind in [("docs/DEPLOYING.md", 5, "aws.doc-example-key-id"), ("docs/DEPLOYING.md", 6, "aws.doc-example-secret"),
                                         ("docs/DEPLOYING.md", 8, "placeholder.your-token-here"), ("deploy/.env.example", 1, "placeholder.env-reference"),
                                         ("deploy/.env.example", 2, "placeholder.changeme"), ("deploy/.env.example", 3, "placeholder.xxx")]:
                    self.pending.append((mark, "hardNegatives", {"path": path, "line": line, "kind": kind, "note": "documentation"}))
            elif beat == "history-only-add":
                self.plant(main, "src/legacy_settings.py", ["# TODO move to the vault"] + synth.aws_pair(r) + [""],
                           [(1, "aws.access-key-id"), (2, "aws.secret-access-key")], "Add legacy settings for the batch job",
                           None, "history-only: the file is deleted later")
            elif beat == "history-only-delete":
                self.commit(main, "Remove legacy settings", [("D", "src/legacy_settings.py")])
            elif beat == "renamed-add":
                self.plant(main, "scripts/deploy_helper.sh", ["#!/bin/sh", "set -eu", f"export GITHUB_TOKEN={synth.checksummed(r, 'ghp_')}",
                                                              "gh release create \"$1\""], [(2, "github.pat.classic")],
                           "Add a deploy helper", None, "renamed later to tools/deploy/helper.sh")
                self.pending[-1][2]["renamedTo"] = "tools/deploy/helper.sh"
            elif beat == "renamed-move":
                self.commit(main, "Move the deploy helper under tools/", [("R", "scripts/deploy_helper.sh", "tools/deploy/helper.sh")])
            elif beat == "message":
                token = "glpat-" + synth.pick(r, synth.ALNUM + "-_", 20)
                mark = self.work(main, f"Rotate CI credentials\n\nThe old token was {token} (revoked).\n")
                self.pending.append((mark, "secrets", {"path": None, "line": 3, "kind": "gitlab.pat", "note": "commit message"}))
            elif beat == "unmerged":
                unmerged = Branch("experiment/unmerged-cache", main.tree, main.head, "features/cache-exp/")
                for _ in range(5):
                    self.work(unmerged)
                name, make = synth.SINGLE["slack.bot-token"]
                self.plant(unmerged, "features/cache-exp/notify.py", ["import os", f'{name} = "{make(r)}"'], [(1, "slack.bot-token")],
                           "Notify the cache channel", None, "only on a branch that is never merged")
                for _ in range(5):
                    self.work(unmerged)
            elif beat == "live":
                name, make = synth.SINGLE["postgres.url"]
                self.plant(main, "deploy/production.env", ["APP_ENV=production", f"{name}={make(r)}", "LOG_LEVEL=info"],
                           [(1, "postgres.url")], "Production settings", None, "still present at HEAD")
            elif beat == "merge":
                merge_secret_due = True
            # Branch traffic: open features, work on them, merge some back.
            if r.random() < 0.012 or (merge_secret_due and not features):
                name = f"feature/{r.choice(WORDS)}-{r.choice(WORDS)}-{len(features) + merged}"
                features.append(Branch(name, main.tree, main.head, f"features/{name.split('/')[1]}/"))
            if r.random() < 0.002:
                ver = f"release/{1 + len(releases)}.0"
                releases.append(Branch(ver, main.tree, main.head, f"{ver}/"))
            if features and r.random() < 0.35:
                f = r.choice(features)
                self.work(f)
                if f.head is not None and len(f.touched) > 3 and r.random() < 0.08:
                    self.merge(main, f, merge_secret_due)
                    merge_secret_due = False
                    features.remove(f)
                    merged += 1
                continue
            if releases and r.random() < 0.03:
                rel = r.choice(releases)
                self.work(rel)
                if r.random() < 0.3:
                    self.merge(main, rel, False)
                    releases.remove(rel)
                continue
            self.work(main)
        for f in features + releases:  # leave every branch merged except the experiment
            if f.head is not None and f.touched:
                self.merge(main, f, merge_secret_due)
                merge_secret_due = False
        return self

    def merge(self, main, branch, plant_secret):
        changes = [("D", p) if p not in branch.tree else ("M", p, list(branch.tree[p])) for p in sorted(branch.touched)]
        entry = None
        if plant_secret:
            # The resolution edits a main file: the key exists in neither parent, only in the merge.
            path = "deploy/settings_production.py"
            base = list(main.tree.get(path, ["# Production settings", "DEBUG = False"]))
            name, make = synth.SINGLE["stripe.secret-key"]
            at = len(base)
            changes.append(("M", path, base + [f'{name} = "{make(self.r)}"']))
            entry = {"path": path, "line": at + 1, "kind": "stripe.secret-key", "note": "introduced by a merge commit's resolution"}
        mark = self.commit(main, f"Merge branch '{branch.name}'", changes, merge=branch.head)
        if entry:
            self.pending.append((mark, "secrets", entry))

    def write(self):
        os.makedirs(self.out, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", "main", self.out], check=True)
        marks = os.path.join(self.out, ".git", "roster-marks")
        p = subprocess.Popen(["git", "-C", self.out, "fast-import", "--quiet", f"--export-marks={marks}"], stdin=subprocess.PIPE)
        for chunk in self.stream:
            p.stdin.write(chunk)
        p.stdin.close()
        if p.wait() != 0:
            sys.exit("git fast-import failed")
        sha = dict(line.split() for line in open(marks))
        os.remove(marks)
        subprocess.run(["git", "-C", self.out, "checkout", "-q", "-f", "main"], check=True)
        for mark, group, entry in self.pending:
            self.truth[group].append({"commit": sha[f":{mark}"], **entry})
        self.truth.update({"generator": "gen_history.py", "repo": os.path.abspath(self.out), "commits": self.count})
        truth_path = os.path.join(os.path.dirname(os.path.abspath(self.out)), ".roster-truth.json")
        with open(truth_path, "w") as f:
            json.dump(self.truth, f, indent=1)
        return truth_path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    if os.path.exists(os.path.join(args.out, ".git")):
        sys.exit(f"{args.out} already holds a repository")
    history = History(args.out, args.commits, args.seed).build()
    truth = history.write()
    print(f"{args.out}: {history.count} commits, {len(history.truth['secrets'])} secrets, "
          f"{len(history.truth['hardNegatives'])} hard negatives; truth in {truth}")


if __name__ == "__main__":
    main()
