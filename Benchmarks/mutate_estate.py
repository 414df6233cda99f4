#!/usr/bin/env python3
"""Copy a generated estate and change one identity in a hundred, as a day of ordinary churn would.

    Benchmarks/mutate_estate.py IN_DIR OUT_DIR [--every 100]

Every Nth user and role gets a new `owner` tag value; everything else is byte-for-byte the
same data. Used by Benchmarks/run.sh to measure how much a next-day snapshot grows the database.
"""
import argparse
import json
import os
import shutil
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("src")
    parser.add_argument("dst")
    parser.add_argument("--every", type=int, default=100, help="change one identity in this many (default 100)")
    args = parser.parse_args(argv)
    os.makedirs(args.dst, exist_ok=True)
    for name in os.listdir(args.src):
        if name.endswith(".csv"):
            shutil.copyfile(os.path.join(args.src, name), os.path.join(args.dst, name))
    with open(os.path.join(args.src, "authorization-details.json"), encoding="utf-8") as f:
        details = json.load(f)
    changed = 0
    for key in ("UserDetailList", "RoleDetailList"):
        for i, item in enumerate(details.get(key, [])):
            if i % args.every:
                continue
            tags = item.setdefault("Tags", [])
            for tag in tags:
                if tag["Key"].lower() == "owner":
                    tag["Value"] = "new-" + tag["Value"]
                    break
            else:
                tags.append({"Key": "owner", "Value": "team-%d@example.com" % i})
            changed += 1
    with open(os.path.join(args.dst, "authorization-details.json"), "w", encoding="utf-8") as f:
        json.dump(details, f, indent=4)
    print("changed %d identities" % changed, file=sys.stderr)


if __name__ == "__main__":
    main()
