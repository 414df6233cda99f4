#!/usr/bin/env python3
"""Generates large synthetic GCP exports to measure the GCP connector's speed.

    python3 Benchmarks/gcp/generate.py /tmp/gcp-bench [accounts]

writes two inputs:
  gcloud/<project>/...   gcloud --format=json output: service-accounts.json, keys/<email>.json, sa-policies/<email>.json,
                         project-iam-policy.json, for `accounts` accounts spread over 20 projects
  assets/export.json     a Cloud Asset Inventory export (JSON lines): the same accounts, keys and policies as assets,
                         mixed with three times as many lines about other resources (instances, buckets, disks)
Then: /usr/bin/time -v .build-release/release/roster import gcp /tmp/gcp-bench/gcloud --db /tmp/bench.db
"""
import json, os, random, sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/gcp-bench"
total = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
random.seed(7)
projects = [f"bench-proj-{i:04d}" for i in range(20)]
numbers = {p: str(700000000000 + i) for i, p in enumerate(projects)}
roles = ["roles/viewer", "roles/editor", "roles/storage.objectViewer", "roles/bigquery.dataEditor", "roles/pubsub.publisher",
         "roles/iam.serviceAccountTokenCreator", "roles/logging.logWriter", "roles/cloudsql.client"]

def hexid(n): return "%040x" % random.getrandbits(160)
def dump(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f: json.dump(value, f, indent=2, sort_keys=True)

os.makedirs(os.path.join(out, "assets"), exist_ok=True)
lines = open(os.path.join(out, "assets", "export.json"), "w")
def line(value): lines.write(json.dumps(value, separators=(",", ":")) + "\n")

per = total // len(projects)
for p in projects:
    n = numbers[p]
    accounts, bindings = [], {r: [] for r in roles}
    line({"name": f"//cloudresourcemanager.googleapis.com/projects/{n}", "asset_type": "cloudresourcemanager.googleapis.com/Project",
          "resource": {"version": "v1", "discovery_name": "Project", "data": {"projectId": p, "projectNumber": n, "labels": {"env": "prod"}}},
          "ancestors": [f"projects/{n}"], "update_time": "2026-11-01T00:00:00Z"})
    for i in range(per):
        email = f"svc-{i:05d}@{p}.iam.gserviceaccount.com"
        uid = str(100000000000000000000 + random.getrandbits(60))
        sa = {"displayName": f"service {i}", "email": email, "etag": "MDEwMjE5MjA=", "name": f"projects/{p}/serviceAccounts/{email}",
              "oauth2ClientId": uid, "projectId": p, "uniqueId": uid, "description": f"worker {i} of the batch fleet. owner: team-{i % 40}@acme.com"}
        accounts.append(sa)
        keys = [{"keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "SYSTEM_MANAGED",
                 "name": f"projects/{p}/serviceAccounts/{email}/keys/{hexid(0)}", "validAfterTime": "2026-11-10T00:00:00Z",
                 "validBeforeTime": "2026-11-27T00:00:00Z"}]
        if i % 3 == 0:
            keys.append({"keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "USER_MANAGED",
                         "name": f"projects/{p}/serviceAccounts/{email}/keys/{hexid(0)}", "validAfterTime": "2025-03-01T00:00:00Z",
                         "validBeforeTime": "9999-12-31T23:59:59Z"})
        dump(os.path.join(out, "gcloud", p, "keys", email + ".json"), keys)
        policy = {"bindings": [{"members": [f"serviceAccount:{p}.svc.id.goog[ns-{i % 50}/ksa-{i}]"], "role": "roles/iam.workloadIdentityUser"}],
                  "etag": "BwXhqDWDy8U=", "version": 1}
        if i % 10 == 0:
            dump(os.path.join(out, "gcloud", p, "sa-policies", email + ".json"), policy)
        for r in random.sample(roles[:5] + roles[6:], 2):
            bindings[r].append(f"serviceAccount:{email}")
        line({"name": f"//iam.googleapis.com/projects/{p}/serviceAccounts/{uid}", "asset_type": "iam.googleapis.com/ServiceAccount",
              "resource": {"version": "v1", "discovery_name": "ServiceAccount", "parent": f"//cloudresourcemanager.googleapis.com/projects/{n}", "data": sa},
              "ancestors": [f"projects/{n}"], "update_time": "2026-10-01T00:00:00Z"})
        for k in keys:
            line({"name": f"//iam.googleapis.com/projects/{p}/serviceAccounts/{uid}/keys/{k['name'].split('/')[-1]}",
                  "asset_type": "iam.googleapis.com/ServiceAccountKey", "resource": {"version": "v1", "discovery_name": "ServiceAccountKey", "data": k},
                  "ancestors": [f"projects/{n}"], "update_time": "2026-10-01T00:00:00Z"})
        if i % 10 == 0:
            line({"name": f"//iam.googleapis.com/projects/{p}/serviceAccounts/{uid}", "asset_type": "iam.googleapis.com/ServiceAccount",
                  "iam_policy": policy, "ancestors": [f"projects/{n}"], "update_time": "2026-10-01T00:00:00Z"})
        for kind in ("compute.googleapis.com/Instance", "storage.googleapis.com/Bucket", "compute.googleapis.com/Disk"):
            line({"name": f"//{kind.split('/')[0]}/projects/{p}/things/{kind.split('/')[1].lower()}-{i}", "asset_type": kind,
                  "resource": {"version": "v1", "discovery_name": kind.split("/")[1], "parent": f"//cloudresourcemanager.googleapis.com/projects/{n}",
                               "data": {"name": f"thing-{i}", "labels": {"team": f"team-{i % 40}"}, "status": "RUNNING",
                                        "metadata": {"items": [{"key": "startup-script", "value": "#!/bin/sh\necho hello\n" * 20}]},
                                        "serviceAccounts": [{"email": email, "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]}},
                  "ancestors": [f"projects/{n}"], "update_time": "2026-10-01T00:00:00Z"})
    dump(os.path.join(out, "gcloud", p, "service-accounts.json"), accounts)
    policy = {"bindings": [{"members": sorted(m) + ["group:admins@acme.com"], "role": r} for r, m in bindings.items() if m],
              "etag": "BwXhqDWDy8U=", "version": 1}
    dump(os.path.join(out, "gcloud", p, "project-iam-policy.json"), policy)
    line({"name": f"//cloudresourcemanager.googleapis.com/projects/{n}", "asset_type": "cloudresourcemanager.googleapis.com/Project",
          "iam_policy": policy, "ancestors": [f"projects/{n}"], "update_time": "2026-11-01T00:00:00Z"})
lines.close()
