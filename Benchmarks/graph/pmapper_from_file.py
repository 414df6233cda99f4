#!/usr/bin/env python3
"""Principal Mapper (principalmapper 1.1.x) over a `get-account-authorization-details` file, offline.

    pmapper_from_file.py AUTHORIZATION-DETAILS.json [--expected expected.json] [--json RESULT.json]

PMapper has no command that reads an exported file: `pmapper graph create` calls IAM, STS and the
other services live. This driver runs PMapper's own code on the file instead:

  1. its gathering code, `gathering.get_nodes_groups_and_policies`, with a stub IAM client whose
     `get_paginator('get_account_authorization_details').paginate()` yields the file as one page
     (no access keys, no login profiles, no MFA devices: the file does not say);
  2. `gathering.update_admin_status` (PMapper's is_admin: full admins, and principals that can
     grant themselves admin: PutUserPolicy/AttachUserPolicy on self, CreatePolicyVersion on an
     attached policy, CreateRole + AttachRolePolicy…);
  3. `edge_identification.obtain_edges` with session=None and every checker PMapper has
     (autoscaling, cloudformation, codebuild, ec2, iam, lambda, sagemaker, ssm, sts): with no
     session the checkers that list live resources (Lambda functions, stacks, projects, launch
     configurations) see none, and the rest need none;
  4. the `privesc` query preset (`can_privesc`, a breadth-first search over the edges) for every
     principal that is not itself is_admin.

Printed: nodes, edges, is_admin count, non-admin principals that reach an admin, and the principals
that gain admin they do not hold (those plus is_admin principals holding no Allow */* statement),
with the time of each step. With --expected (gen_aws.py's expected.json) it also scores them
against the planted escalations and look-alikes. --json writes the ARNs.

Python >= 3.10 moved `Mapping`/`MutableMapping` out of `collections`; principalmapper 1.1.5 still
imports them from there (util/case_insensitive_dict.py). They are put back before it is imported.
"""

import argparse
import collections
import collections.abc
import json
import logging
import sys
import time

# The Python 3.10+ patch: principalmapper 1.1.5 does `from collections import Mapping, MutableMapping`.
for _name in ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import principalmapper  # noqa: E402
from principalmapper.common import Graph  # noqa: E402
from principalmapper.graphing import edge_identification, gathering  # noqa: E402
from principalmapper.querying.presets.privesc import can_privesc  # noqa: E402


class _Pages:
    def __init__(self, pages):
        self.pages = pages

    def paginate(self, **_):
        return iter(self.pages)


class StubIAM:
    """The IAM calls get_nodes_groups_and_policies makes, answered from the file."""

    def __init__(self, details):
        self.details = details

    def get_paginator(self, operation):
        if operation == "get_account_authorization_details":
            page = {k: self.details.get(k, []) for k in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")}
            return _Pages([page])
        if operation == "list_virtual_mfa_devices":
            return _Pages([{"VirtualMFADevices": []}])
        raise NotImplementedError(operation)

    def list_access_keys(self, UserName):  # noqa: N803 (boto3's argument name)
        return {"AccessKeyMetadata": []}

    def get_login_profile(self, UserName):  # noqa: N803
        raise RuntimeError("An error occurred (NoSuchEntity) when calling the GetLoginProfile operation")

    def list_mfa_devices(self, UserName):  # noqa: N803
        return {"MFADevices": []}


def holds_full_admin(node):
    """True when one of the node's own or group policies has an Allow of Action * on Resource *."""
    policies = list(node.attached_policies)
    for group in node.group_memberships or []:
        policies.extend(group.attached_policies)
    for policy in policies:
        statements = policy.policy_doc.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        for s in statements:
            if s.get("Effect") != "Allow":
                continue
            actions = s.get("Action", [])
            resources = s.get("Resource", [])
            actions = [actions] if isinstance(actions, str) else actions
            resources = [resources] if isinstance(resources, str) else resources
            if "*" in actions and "*" in resources and "Condition" not in s:
                return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--expected", help="gen_aws.py's expected.json, to score against")
    ap.add_argument("--json", help="write the result (ARNs, counts, times) here")
    ap.add_argument("--verbose", action="store_true", help="PMapper's own INFO logging")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO if a.verbose else logging.WARNING)

    times = {}
    t0 = time.perf_counter()
    with open(a.file, encoding="utf-8-sig") as f:
        details = json.load(f)
    times["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    found = gathering.get_nodes_groups_and_policies(StubIAM(details))
    nodes, groups, policies = found["nodes"], found["groups"], found["policies"]
    times["gather"] = time.perf_counter() - t

    t = time.perf_counter()
    gathering.update_admin_status(nodes, None)
    times["admin"] = time.perf_counter() - t

    t = time.perf_counter()
    edges = edge_identification.obtain_edges(None, list(edge_identification.checker_map), nodes, None, None, None, {})
    times["edges"] = time.perf_counter() - t
    account = nodes[0].arn.split(":")[4] if nodes else "000000000000"
    graph = Graph(nodes, edges, policies, groups, {"account_id": account, "pmapper_version": principalmapper.__version__})
    times["graph"] = time.perf_counter() - t0

    t = time.perf_counter()
    reach = {}
    for node in nodes:
        if node.is_admin:
            continue
        ok, path = can_privesc(graph, node)
        if ok:
            reach[node.arn] = [{"from": e.source.arn, "to": e.destination.arn, "reason": e.reason, "service": e.short_reason}
                               for e in path]
    times["query"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0

    admins = sorted(n.arn for n in nodes if n.is_admin)
    self_escalating = sorted(n.arn for n in nodes if n.is_admin and not holds_full_admin(n))
    gaining = sorted(set(reach) | set(self_escalating))
    by_checker = collections.Counter(e.short_reason for e in edges)

    print(f"pmapper {principalmapper.__version__}: {len(nodes)} nodes, {len(edges)} edges "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_checker.items()))}), {len(admins)} is_admin "
          f"({len(self_escalating)} of them only by granting themselves admin)")
    print(f"  non-admin principals reaching an admin: {len(reach)}; principals gaining admin they do not hold: {len(gaining)}")
    print("  time: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    score = None
    if a.expected:
        with open(a.expected) as f:
            exp = json.load(f)
        planted = {v["arn"] for v in exp["vulnerable"]}
        look = {v["arn"] for v in exp["lookalikes"]}
        full = set(exp["admins"])
        g = set(gaining)
        missed = sorted(planted - g)
        flagged = sorted(look & g)
        other = sorted(g - planted - look - full)
        score = {"planted": len(planted), "found": len(planted & g), "missed": missed,
                 "lookalikes": len(look), "lookalikesFlagged": flagged, "unexpected": other}
        print(f"  against expected.json: planted escalations found {len(planted & g)}/{len(planted)}, "
              f"look-alikes flagged {len(flagged)}/{len(look)}, other principals flagged {len(other)}")
        for arn in missed[:10]:
            print(f"    missed: {arn} ({next(v['technique'] for v in exp['vulnerable'] if v['arn'] == arn)})")
        for arn in flagged[:10]:
            print(f"    look-alike flagged: {arn} ({next(v['kind'] for v in exp['lookalikes'] if v['arn'] == arn)})")
        for arn in other[:10]:
            print(f"    unexpected: {arn}")
    print(f"PMAPPER nodes={len(nodes)} edges={len(edges)} admins={len(admins)} reach={len(reach)} "
          f"gaining={len(gaining)} graph_s={times['graph']:.2f} query_s={times['query']:.2f} total_s={times['total']:.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"version": principalmapper.__version__, "nodes": len(nodes), "edges": len(edges),
                       "edgesByChecker": dict(by_checker), "admins": admins, "selfEscalating": self_escalating,
                       "reachAdmin": reach, "gainingAdmin": gaining, "times": times, "score": score}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
