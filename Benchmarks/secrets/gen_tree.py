#!/usr/bin/env python3
"""A realistic source tree with planted secrets and hard negatives, for Benchmarks/secrets.sh.

    gen_tree.py OUT [--size-mib 1024] [--seed 14]

Writes source and config files (Python, JS, Go, Java, YAML, JSON, Terraform, Markdown; 1 KB to
2 MB), minified bundles with lines over 1 MB, package-lock.json / yarn.lock / go.sum with
integrity hashes, PNG files with NUL bytes, and a `.gitignore` excluding `node_modules/`, `/dist/`
and `*.log` (all present, with secrets in them). Planted secrets and hard negatives are recorded in
OUT/.roster-truth.json (ignored by the tree's own .gitignore):

    {"secrets": [{"path", "line", "endLine", "kind"}], "hardNegatives": [...], "ignored": [...], ...}

The same seed and size give the same bytes.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

WORDS = ("account order invoice user session cache queue worker token client server request response handler config "
         "payment report export import record batch stream event metric alert policy role bucket object region zone "
         "cluster node pod service deploy build release version schema table index query filter mapper reader writer "
         "parser logger tracer retry timeout limit offset page cursor result status error message payload header body "
         "customer product catalog price tax shipment address email phone profile avatar image upload download file "
         "path folder archive backup restore migrate rollback health probe ready live metrics store repo model view").split()
TEXT_EXT = ["py", "js", "ts", "go", "java", "yaml", "json", "tf", "md"]
TEXT_WEIGHTS = [18, 14, 8, 12, 12, 10, 8, 6, 12]
MIB = 1 << 20


def ident(r):
    return r.choice(WORDS) + r.choice(WORDS).capitalize()


def snake(r):
    return r.choice(WORDS) + "_" + r.choice(WORDS)


def line_pool(r, ext, n):
    """Lines in the shape of the language, with varied identifiers, numbers and strings."""
    out = []
    for _ in range(n):
        a, b, c, s = ident(r), ident(r), snake(r), snake(r)
        num = r.randrange(100000)
        t = r.randrange(10)
        if ext == "py":
            out.append([f"def {c}({s}, timeout={num % 60}):", f"    {s} = self.{c}.get('{a}', {num})", f"    if {s} is None:",
                        f"        raise ValueError('missing {a} for %s' % {c})", f"    logger.info('{c} done in %d ms', {num})",
                        f"from {c}.{s} import {a.capitalize()}", f"# {a} is refreshed every {num} seconds by the {b} worker",
                        f"    return [{c}.{b}(x) for x in {s} if x.{a} > {num}]", "", f"class {a.capitalize()}{b}(Base):"][t])
        elif ext in ("js", "ts"):
            out.append([f"export function {a}({b}, opts = {{}}) {{", f"  const {b} = await fetch(`/api/{c}/${{{a}}}`);",
                        f"  if (!{b}.ok) throw new Error('{c} failed: ' + {b}.status);", "}", f"import {{ {a} }} from './{c}';",
                        f"  return {b}.map((x) => x.{a} * {num});", f"// {a}: keep in sync with the {c} schema", "",
                        f"  {a}.{b} = {{ id: {num}, name: '{c}', enabled: {str(num % 2 == 0).lower()} }};",
                        f"const {c.upper()} = {num};"][t])
        elif ext == "go":
            out.append([f"func ({a[0]} *{a.capitalize()}) {b.capitalize()}(ctx context.Context, {a} string) error {{",
                        f"\tif err := {a}.{b.capitalize()}(ctx); err != nil {{", f'\t\treturn fmt.Errorf("{c}: %w", err)', "\t}",
                        f"\t{a} := make(map[string]int, {num % 512})", "}", f"// {a.capitalize()} reads the {c} from the store.",
                        "", f'\tlog.Printf("{c} %d", {num})', f"type {a.capitalize()} struct {{ {b.capitalize()} string `json:\"{c}\"` }}"][t])
        elif ext == "java":
            out.append([f"    public {a.capitalize()} {b}(final String {a}) {{", f"        final int {a} = {b}.{c.replace('_', '')}({num});",
                        f"        if ({a} == null) {{ throw new IllegalStateException(\"{c}\"); }}", "    }",
                        f"import com.example.{c.replace('_', '.')}.{a.capitalize()};", f"        LOG.debug(\"{c} took {{}} ms\", {num});",
                        f"    /** Returns the {a} for the {c}. */", "", f"    private final Map<String, {a.capitalize()}> {b} = new HashMap<>();",
                        f"        return {a}.stream().filter(x -> x.get{b.capitalize()}() > {num}).collect(Collectors.toList());"][t])
        elif ext == "yaml":
            out.append([f"  {c}:", f"    {s}: {num}", f"    image: registry.example.com/{c}:{num % 20}.{num % 7}.{num % 11}",
                        f"    - name: {c.upper()}", f"      value: \"{a}\"", "---", f"  # {a} settings for the {c} service",
                        f"    replicas: {num % 9 + 1}", f"  labels: {{app: {c}, tier: {b}}}", f"    port: {num % 60000 + 1024}"][t])
        elif ext == "json":
            out.append([f'    "{a}": "{c}",', f'    "{b}": {num},', '  },', '  {', f'    "{c}": [{num}, {num * 7 % 1000}, {num % 97}],',
                        f'    "{a}Enabled": {str(num % 2 == 1).lower()},', f'    "id": "{synth.pick(r, synth.HEX, 12)}",',
                        f'    "updatedAt": "2024-{num % 12 + 1:02d}-{num % 28 + 1:02d}T10:{num % 60:02d}:00Z",',
                        f'    "{s}": null,', f'    "url": "https://{c.replace("_", "-")}.example.com/{a}"'][t])
        elif ext == "tf":
            out.append([f'resource "aws_s3_bucket" "{c}" {{', f'  bucket = "{c.replace("_", "-")}-{num}"', "}",
                        f'  tags = {{ Name = "{c}", Team = "{b}" }}', f"  {s} = var.{c}", f'variable "{c}" {{',
                        f'  default = {num}', f"# {a} for the {c} stack", "", f'  source = "./modules/{c}"'][t])
        else:  # md
            out.append([f"The {a} {b} is refreshed every {num} seconds; see the {c} section for the limits.",
                        f"## {a.capitalize()} {b}", "", f"- `{c}`: the {s} of the {a} (default {num})",
                        f"Run `make {c}` to rebuild the {b} before releasing {num % 10}.{num % 20}.", "```sh",
                        f"curl -s https://api.example.com/v1/{c}?limit={num % 100}", "```",
                        f"| {a} | {b} | {num} |", f"When the {c} fails, the {b} retries with backoff."][t])
    return out


def minified_line(r, nbytes):
    tokens = ["function(e,t,n){", "return ", "e.exports=", "var ", "=", "t[", "]", "n(", ")", ";", "}", ",", "&&", "||",
              "null", "void 0", "!0", "!1", "this.", "Object.defineProperty(", "prototype.", ".call(", "new ", "typeof ",
              '"use strict"', "0x", "a", "b", "c", "d", "o", "r", "i", "s", "u", "l", "f", "p", "h", "m", "y", "g"]
    tokens += [str(r.randrange(10**6)) for _ in range(40)] + ['"' + ident(r) + '"' for _ in range(80)]
    chunk = "".join(r.choices(tokens, k=4096))
    reps = nbytes // len(chunk) + 1
    # Rotate the chunk each time so the line is not one repeated block (which compression and caches would flatter).
    return "".join(chunk[i * 37 % len(chunk):] + chunk[:i * 37 % len(chunk)] for i in range(reps))[:nbytes]


def lockfile_lines(r, kind, entries):
    out = []
    if kind == "package-lock.json":
        out += ["{", '  "name": "web",', '  "lockfileVersion": 3,', '  "packages": {']
        for i in range(entries):
            name = f"{r.choice(WORDS)}-{r.choice(WORDS)}"
            v = f"{r.randrange(10)}.{r.randrange(30)}.{r.randrange(20)}"
            out += [f'    "node_modules/{name}": {{', f'      "version": "{v}",',
                    f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-{v}.tgz",',
                    f'      "integrity": "{synth.sha512_integrity(r)}",', '      "dev": true', "    },"]
        out += ["  }", "}"]
    elif kind == "yarn.lock":
        out += ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.", "# yarn lockfile v1", ""]
        for i in range(entries):
            name = f"{r.choice(WORDS)}-{r.choice(WORDS)}"
            v = f"{r.randrange(10)}.{r.randrange(30)}.{r.randrange(20)}"
            out += [f'{name}@^{v}:', f'  version "{v}"',
                    f'  resolved "https://registry.yarnpkg.com/{name}/-/{name}-{v}.tgz#{synth.pick(r, synth.HEX, 40)}"',
                    f"  integrity {synth.sha512_integrity(r)}", ""]
    else:  # go.sum
        for i in range(entries):
            mod = f"github.com/{r.choice(WORDS)}/{r.choice(WORDS)}-{r.choice(WORDS)}"
            v = f"v{r.randrange(3)}.{r.randrange(40)}.{r.randrange(20)}"
            h = synth.base64.b64encode(r.randbytes(32)).decode()
            out += [f"{mod} {v} h1:{h}", f"{mod} {v}/go.mod h1:{synth.base64.b64encode(r.randbytes(32)).decode()}"]
    return out


def png_bytes(r, n):
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    return head + r.randbytes(max(0, n - len(head)))


def assignment(ext, name, value):
    """One line that sets `name` to `value`, as a file of this type would write it."""
    if ext == "py":
        return f'{name} = "{value}"'
    if ext in ("js", "ts"):
        return f'const {name} = "{value}";'
    if ext == "go":
        return f'\t{name} := "{value}"'
    if ext == "java":
        return f'    private static final String {name.upper()} = "{value}";'
    if ext == "yaml":
        return f"  {name.lower()}: \"{value}\""
    if ext == "json":
        return f'    "{name}": "{value}",'
    if ext == "tf":
        return f'  {name.lower()} = "{value}"'
    if ext in ("md", "log", "txt"):
        return f"export {name}={value}"
    return f"{name}={value}"


class Tree:
    def __init__(self, out, size_mib, seed):
        self.out = out
        self.r = random.Random(seed)
        self.budget = size_mib * MIB
        self.size_mib = size_mib
        self.files = {}  # path -> (ext, list of lines) for text files; written at the end
        self.binary = {}
        self.plants = []  # (path, kind, lines, group) group: secrets / hardNegatives / ignored
        self.pools = {ext: line_pool(self.r, ext, 4000) for ext in TEXT_EXT}
        self.mean = {ext: sum(len(x) + 1 for x in pool) / len(pool) for ext, pool in self.pools.items()}

    def body(self, ext, nbytes):
        return self.r.choices(self.pools[ext], k=max(3, int(nbytes / self.mean[ext])))

    def size(self):
        r = self.r.random()
        if r < 0.8:
            return int(1024 * 16 ** self.r.random())  # 1-16 KB
        if r < 0.97:
            return int(16384 * 16 ** self.r.random())  # 16-256 KB
        return int(262144 * 8 ** self.r.random())  # 256 KB-2 MB

    def build(self):
        r = self.r
        services = [f"services/{r.choice(WORDS)}-{r.choice(WORDS)}" for _ in range(max(4, self.size_mib // 16))]
        layout = {"py": "src/{svc}", "js": "web/src", "ts": "web/src/components", "go": "cmd", "java": "src/main/java/com/acme",
                  "yaml": "deploy/k8s", "json": "fixtures", "tf": "infra/terraform", "md": "docs"}
        used = 0
        # Fixed shares first: node_modules (ignored), lockfiles, bundles, images.
        used += self.node_modules(int(self.budget * 0.08))
        used += self.lockfiles(int(self.budget * 0.04))
        used += self.bundles()
        used += self.images(int(self.budget * 0.03))
        self.ignored_extras()
        while used < self.budget:
            ext = r.choices(TEXT_EXT, TEXT_WEIGHTS)[0]
            n = min(self.size(), self.budget - used)
            svc = r.choice(services)
            folder = layout[ext].format(svc=svc.split("/")[1])
            path = f"{svc}/{folder}/{snake(r)}_{r.randrange(1000)}.{ext}"
            if path in self.files:
                continue
            self.files[path] = (ext, self.body(ext, n))
            used += n
        self.plant_all()
        return self

    def node_modules(self, budget):
        used = 0
        while used < budget:
            pkg = f"web/node_modules/{self.r.choice(WORDS)}-{self.r.choice(WORDS)}"
            for name in ("index.js", "lib/util.js", "README.md"):
                ext = name.rsplit(".", 1)[1]
                n = self.size() // 2
                self.files.setdefault(f"{pkg}/{name}", (ext, self.body(ext, n)))
                used += n
        return used

    def lockfiles(self, budget):
        per = max(200, budget // 3 // 330)
        self.files["web/package-lock.json"] = ("json", lockfile_lines(self.r, "package-lock.json", per))
        self.files["web/yarn.lock"] = ("lock", lockfile_lines(self.r, "yarn.lock", per))
        self.files["go.sum"] = ("sum", lockfile_lines(self.r, "go.sum", per * 2))
        return budget

    def bundles(self):
        count = max(1, self.size_mib // 170)
        used = 0
        for i in range(count):
            lines = ["/*! app bundle, built by webpack */"]
            for _ in range(self.r.randrange(2, 4)):
                lines.append(minified_line(self.r, self.r.randrange(MIB + MIB // 10, 3 * MIB)))
            lines.append("//# sourceMappingURL=main.js.map")
            self.files[f"web/public/static/js/main.{synth.pick(self.r, synth.HEX, 8)}.{i}.min.js"] = ("bundle", lines)
            used += sum(len(x) for x in lines)
        return used

    def images(self, budget):
        used = 0
        while used < budget:
            n = self.size()
            self.binary[f"web/public/img/{snake(self.r)}_{self.r.randrange(10000)}.png"] = png_bytes(self.r, n)
            used += n
        return used

    def ignored_extras(self):
        self.files["dist/app.js"] = ("js", self.body("js", 20000))
        self.files["logs/debug.log"] = ("log", [f"2024-05-0{i % 9 + 1} INFO request {i} ok" for i in range(300)])
        self.files["logs/release-notes.log"] = ("log", [f"release 1.{i}: fixes" for i in range(100)])  # re-included by !
        self.files[".gitignore"] = ("gitignore", ["# dependencies", "node_modules/", "# build output", "/dist/", "*.log",
                                                  "!release-notes.log", "/.roster-truth.json", ".env.local"])

    def plant_all(self):
        r = self.r
        per_kind = max(1, round(self.size_mib / 64))
        neg_per_kind = max(1, round(self.size_mib / 40))
        ignorable = sorted(p for p in self.files if p.startswith("web/node_modules/") or p.startswith("dist/") or p == "logs/debug.log")
        plain = sorted(p for p, (ext, _) in self.files.items() if ext in TEXT_EXT and not p.startswith(("web/node_modules/", "dist/")))
        bundles = sorted(p for p, (ext, _) in self.files.items() if ext == "bundle")
        for kind, (name, make) in sorted(synth.SINGLE.items()):
            for i in range(per_kind):
                # One in five of the single-line secrets sits in a minified bundle's megabyte line.
                if i % 5 == 4 and bundles:
                    self.splice_into_long_line(r.choice(bundles), f'{name}:"{make(r)}"', kind)
                else:
                    path = r.choice(plain)
                    self.insert(path, [assignment(self.files[path][0], name, make(r))], kind, "secrets")
        for i in range(per_kind):
            path = r.choice(plain)
            self.insert(path, synth.aws_pair(r), ["aws.access-key-id", "aws.secret-access-key"], "secrets")
        for kind, make in sorted(synth.MULTI.items()):
            for i in range(per_kind):
                path = f"deploy/keys/{snake(r)}_{i}.pem"
                self.files[path] = ("pem", [])
                self.insert(path, make(r), kind, "secrets")
        for i in range(per_kind):
            project = f"{r.choice(WORDS)}-{r.choice(WORDS)}-{r.randrange(100000, 999999)}"
            path = f"deploy/gcp/{project}-sa-{i}.json"
            self.files[path] = ("json-key", [])
            self.insert(path, synth.gcp_service_account(r, project), "gcp.service-account-key", "secrets")
        # Re-included by `!release-notes.log` after `*.log`: must be reported.
        self.insert("logs/release-notes.log", [assignment("log", "GITHUB_TOKEN", synth.checksummed(r, "ghp_"))], "github.pat.classic", "secrets")
        # Ignored: one of each of a few kinds in node_modules, dist and an excluded log.
        for kind in ("github.pat.classic", "stripe.secret-key", "slack.bot-token", "gitlab.pat", "npm.token", "sendgrid.api-key"):
            for _ in range(max(1, per_kind // 2)):
                path = r.choice(ignorable)
                name, make = synth.SINGLE[kind]
                self.insert(path, [assignment(self.files[path][0], name, make(r))], kind, "ignored")
        for i in range(max(1, per_kind // 2)):
            self.insert(r.choice(ignorable), synth.aws_pair(r), ["aws.access-key-id", "aws.secret-access-key"], "ignored")
        for kind, (name, make) in sorted(synth.NEGATIVE.items()):
            for _ in range(neg_per_kind):
                path = r.choice(plain)
                self.insert(path, [assignment(self.files[path][0], name, make(r))], kind, "hardNegatives")
        for kind, make in sorted(synth.NEGATIVE_LINES.items()):
            for _ in range(neg_per_kind):
                self.insert(r.choice(plain), [make(r)], kind, "hardNegatives")
        for kind, make in sorted(synth.NEGATIVE_MULTI.items()):
            for i in range(neg_per_kind):
                path = f"deploy/certs/{snake(r)}_{i}.{'crt' if kind == 'pem.certificate' else 'pub.pem'}"
                self.files[path] = ("pem", [])
                self.insert(path, make(r), kind, "hardNegatives")

    def insert(self, path, lines, kind, group):
        """Queues lines for insertion at a random line of the file; positions are fixed when writing."""
        ext, body = self.files[path]
        at = self.r.randrange(len(body) + 1)
        self.plants.append({"path": path, "at": at, "lines": lines, "kind": kind, "group": group, "seq": len(self.plants)})

    def splice_into_long_line(self, path, text, kind):
        _, body = self.files[path]
        index = self.r.randrange(1, len(body) - 1)
        cut = self.r.randrange(len(body[index]))
        body[index] = body[index][:cut] + ";" + text + ";" + body[index][cut:]
        self.plants.append({"path": path, "line": index + 1, "endLine": index + 1, "kind": kind, "group": "secrets"})

    def write(self):
        os.makedirs(self.out, exist_ok=True)
        by_path = {}
        for p in self.plants:
            if "at" in p:
                by_path.setdefault(p["path"], []).append(p)
        truth = {"secrets": [], "hardNegatives": [], "ignored": []}
        for p in self.plants:
            if "line" in p:
                truth[p["group"]].append({k: p[k] for k in ("path", "line", "endLine", "kind")})
        total = ignored_bytes = 0
        for path in sorted(self.files):
            ext, body = self.files[path]
            plants = sorted(by_path.get(path, []), key=lambda p: (p["at"], p["seq"]))
            lines, last = [], 0
            for p in plants:
                lines.extend(body[last:p["at"]])
                last = p["at"]
                start = len(lines) + 1
                lines.extend(p["lines"])
                kinds = p["kind"] if isinstance(p["kind"], list) else [p["kind"]] * 1
                if isinstance(p["kind"], list):  # one entry per line (the AWS id and its secret)
                    for offset, kind in enumerate(kinds):
                        truth[p["group"]].append({"path": path, "line": start + offset, "endLine": start + offset, "kind": kind})
                else:
                    truth[p["group"]].append({"path": path, "line": start, "endLine": start + len(p["lines"]) - 1, "kind": p["kind"]})
            lines.extend(body[last:])
            data = ("\n".join(lines) + "\n").encode()
            total += self.put(path, data)
            if path.startswith(("web/node_modules/", "dist/")) or path == "logs/debug.log":
                ignored_bytes += len(data)
        for path in sorted(self.binary):
            total += self.put(path, self.binary[path])
        for group in truth.values():
            group.sort(key=lambda t: (t["path"], t["line"], t["kind"]))
        truth.update({"generator": "gen_tree.py", "sizeMiB": self.size_mib, "bytes": total, "ignoredBytes": ignored_bytes,
                      "files": len(self.files) + len(self.binary)})
        with open(os.path.join(self.out, ".roster-truth.json"), "w") as f:
            json.dump(truth, f, indent=1)
        return truth

    def put(self, path, data):
        full = os.path.join(self.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    truth = Tree(args.out, args.size_mib, args.seed).build().write()
    print(f"{args.out}: {truth['files']} files, {truth['bytes'] / MIB:.1f} MiB ({truth['ignoredBytes'] / MIB:.1f} MiB ignored), "
          f"{len(truth['secrets'])} secrets, {len(truth['hardNegatives'])} hard negatives, {len(truth['ignored'])} ignored secrets")


if __name__ == "__main__":
    main()
