#!/usr/bin/env python3
"""Generate the GCP privilege-escalation example (projects graph-main-1001 and graph-other-2002).

    python3 examples/graph/gcp/generate.py      # from the repository root

Writes, next to this script, one folder per project in the shapes `gcloud --format=json` prints:

    <project>/project.json               gcloud projects describe
    <project>/service-accounts.json      gcloud iam service-accounts list
    <project>/project-iam-policy.json    gcloud projects get-iam-policy
    <project>/sa-policies/<email>.json   gcloud iam service-accounts get-iam-policy <email>
    <project>/roles/<name>.json          gcloud iam roles describe <name> --project <project>
    expected.json                        what the graph must find (see README.md)

Standard library only, deterministic. Each technique is a small scenario (a service account
`esc-...` named after it), next to look-alikes (`safe-...`) that must not get the edge.
"""

import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = "graph-main-1001"
OTHER = "graph-other-2002"
NUMBERS = {MAIN: "100100100101", OTHER: "200200200202"}


def email(name, project=MAIN):
    return f"{name}@{project}.iam.gserviceaccount.com"


def sid(name):
    return f"gcp:serviceAccount:{email(name)}"


def number(text, digits=21):
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:digits]


def account(name, display, description):
    return {
        "description": description,
        "displayName": display,
        "email": email(name),
        "etag": "MDEwMjE5MjA=",
        "name": f"projects/{MAIN}/serviceAccounts/{email(name)}",
        "oauth2ClientId": number("oauth:" + name),
        "projectId": MAIN,
        "uniqueId": number("unique:" + name),
    }


def binding(role, *names, condition=None):
    out = {"members": [f"serviceAccount:{email(n)}" for n in names], "role": role}
    if condition:
        out["condition"] = condition
    return out


def policy(*bindings):
    return {"bindings": list(bindings), "etag": "BwYk3n2Kc1A=", "version": 3 if any("condition" in b for b in bindings) else 1}


ACCOUNTS = [
    ("admin-sa", "Administrator", "Holds roles/owner on the project: the target of every technique"),
    ("harmless-sa", "Log writer", "Writes logs, nothing else"),
    ("esc-token", "Token creator on admin-sa", "roles/iam.serviceAccountTokenCreator on admin-sa"),
    ("esc-sign-jwt", "JWT signer on admin-sa", "custom role jwtSigner (iam.serviceAccounts.signJwt) on admin-sa"),
    ("esc-keys", "Key admin on admin-sa", "roles/iam.serviceAccountKeyAdmin on admin-sa"),
    ("esc-act-as", "Service account user on admin-sa", "roles/iam.serviceAccountUser on admin-sa and roles/run.developer on the project"),
    ("esc-editor", "Editor", "roles/editor on the project"),
    ("esc-set-project-policy", "Project IAM admin", "roles/resourcemanager.projectIamAdmin on the project"),
    ("esc-set-sa-policy", "Service account admin on admin-sa", "roles/iam.serviceAccountAdmin on admin-sa"),
    ("esc-project-token-a", "Project token creator A", "roles/iam.serviceAccountTokenCreator on the project, with esc-project-token-b"),
    ("esc-project-token-b", "Project token creator B", "roles/iam.serviceAccountTokenCreator on the project, with esc-project-token-a"),
    ("cond-token", "Conditional token creator", "roles/iam.serviceAccountTokenCreator on admin-sa under a condition on the request"),
    ("harmless-token", "Token creator on harmless-sa", "roles/iam.serviceAccountTokenCreator on harmless-sa only"),
    ("safe-expired-token", "Expired token creator", "roles/iam.serviceAccountTokenCreator on admin-sa until 2024-01-01"),
    ("safe-act-as-no-runner", "Service account user, nothing to run", "roles/iam.serviceAccountUser on admin-sa, and no way to run code"),
    ("safe-run-only", "Cloud Run developer", "roles/run.developer on the project, and no actAs"),
    ("safe-other-project", "Token creator in another project", "roles/iam.serviceAccountTokenCreator on project graph-other-2002"),
    ("safe-viewer", "Viewer", "roles/viewer on the project"),
    ("safe-custom-lookalike", "Token viewer on admin-sa", "custom role tokenViewer (get, list, getIamPolicy) on admin-sa"),
]

EXPIRED = {"expression": 'request.time < timestamp("2024-01-01T00:00:00Z")', "title": "until 2024", "description": "temporary access for a migration"}
ON_REQUEST = {"expression": 'request.time < timestamp("2099-01-01T00:00:00Z") && resource.name.endsWith("/admin-sa@graph-main-1001.iam.gserviceaccount.com")',
              "title": "admin-sa only", "description": "depends on the resource named in the request"}

MAIN_POLICY = policy(
    binding("roles/owner", "admin-sa"),
    binding("roles/logging.logWriter", "harmless-sa"),
    binding("roles/run.developer", "esc-act-as", "safe-run-only"),
    binding("roles/editor", "esc-editor"),
    binding("roles/resourcemanager.projectIamAdmin", "esc-set-project-policy"),
    binding("roles/iam.serviceAccountTokenCreator", "esc-project-token-a", "esc-project-token-b"),
    binding("roles/viewer", "safe-viewer"),
)
OTHER_POLICY = {"bindings": [{"members": [f"serviceAccount:{email('safe-other-project')}"], "role": "roles/iam.serviceAccountTokenCreator"}],
                "etag": "BwYk3n2Kc1B=", "version": 1}
ADMIN_SA_POLICY = policy(
    binding("roles/iam.serviceAccountTokenCreator", "esc-token"),
    binding(f"projects/{MAIN}/roles/jwtSigner", "esc-sign-jwt"),
    binding("roles/iam.serviceAccountKeyAdmin", "esc-keys"),
    binding("roles/iam.serviceAccountUser", "esc-act-as", "safe-act-as-no-runner"),
    binding("roles/iam.serviceAccountAdmin", "esc-set-sa-policy"),
    binding("roles/iam.serviceAccountTokenCreator", "cond-token", condition=ON_REQUEST),
    binding("roles/iam.serviceAccountTokenCreator", "safe-expired-token", condition=EXPIRED),
    binding(f"projects/{MAIN}/roles/tokenViewer", "safe-custom-lookalike"),
)
HARMLESS_SA_POLICY = policy(binding("roles/iam.serviceAccountTokenCreator", "harmless-token"))

ROLES = {
    "jwtSigner": {"description": "Sign JWTs as service accounts", "etag": "BwYk3mQ1xZ8=",
                  "includedPermissions": ["iam.serviceAccounts.get", "iam.serviceAccounts.signJwt"],
                  "name": f"projects/{MAIN}/roles/jwtSigner", "stage": "GA", "title": "JWT signer"},
    "tokenViewer": {"description": "Look at service accounts and who may impersonate them", "etag": "BwYk3mQ1xZ9=",
                    "includedPermissions": ["iam.serviceAccounts.get", "iam.serviceAccounts.getIamPolicy", "iam.serviceAccounts.list"],
                    "name": f"projects/{MAIN}/roles/tokenViewer", "stage": "GA", "title": "Token viewer"},
}

EXPECTED = {
    "vulnerable": [
        {"principal": sid("admin-sa"), "rule": "gcp.project-owner", "reachesAdmin": True},
        {"principal": sid("esc-token"), "rule": "gcp.iam.get-access-token", "reachesAdmin": True},
        {"principal": sid("esc-sign-jwt"), "rule": "gcp.iam.sign-jwt", "reachesAdmin": True},
        {"principal": sid("esc-keys"), "rule": "gcp.iam.keys-create", "reachesAdmin": True},
        {"principal": sid("esc-act-as"), "rule": "gcp.iam.act-as", "reachesAdmin": True},
        {"principal": sid("esc-editor"), "rule": "gcp.iam.act-as", "reachesAdmin": True},
        {"principal": sid("esc-editor"), "rule": "gcp.iam.keys-create", "reachesAdmin": True},
        {"principal": sid("esc-set-project-policy"), "rule": "gcp.iam.set-iam-policy", "reachesAdmin": True},
        {"principal": sid("esc-set-sa-policy"), "rule": "gcp.iam.set-iam-policy", "reachesAdmin": True},
        {"principal": sid("esc-project-token-a"), "rule": "gcp.iam.get-access-token", "reachesAdmin": True},
        {"principal": sid("esc-project-token-b"), "rule": "gcp.iam.get-access-token", "reachesAdmin": True},
        {"principal": sid("cond-token"), "rule": "gcp.iam.get-access-token", "reachesAdmin": True},
        {"principal": sid("harmless-token"), "rule": "gcp.iam.get-access-token", "reachesAdmin": False},
    ],
    "safe": [
        {"principal": sid("safe-expired-token"), "notRule": "gcp.iam.get-access-token"},
        {"principal": sid("safe-act-as-no-runner"), "notRule": "gcp.iam.act-as"},
        {"principal": sid("safe-run-only"), "notRule": "gcp.iam.act-as"},
        {"principal": sid("safe-other-project"), "notRule": "gcp.iam.get-access-token"},
        {"principal": sid("safe-viewer"), "notRule": "gcp.project-owner"},
        {"principal": sid("safe-viewer"), "notRule": "gcp.iam.set-iam-policy"},
        {"principal": sid("safe-custom-lookalike"), "notRule": "gcp.iam.get-access-token"},
        {"principal": sid("safe-custom-lookalike"), "notRule": "gcp.iam.sign-jwt"},
        {"principal": sid("harmless-sa"), "notRule": "gcp.iam.get-access-token"},
    ],
}


def write(path, value):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def project(project_id, name):
    return {"createTime": "2024-02-01T09:00:00.000Z", "labels": {"env": "example"}, "lifecycleState": "ACTIVE", "name": name,
            "parent": {"id": "301938475012", "type": "folder"}, "projectId": project_id, "projectNumber": NUMBERS[project_id]}


def main():
    write(f"{MAIN}/project.json", project(MAIN, "graph-main"))
    write(f"{MAIN}/service-accounts.json", sorted((account(*a) for a in ACCOUNTS), key=lambda a: a["email"]))
    write(f"{MAIN}/project-iam-policy.json", MAIN_POLICY)
    write(f"{MAIN}/sa-policies/{email('admin-sa')}.json", ADMIN_SA_POLICY)
    write(f"{MAIN}/sa-policies/{email('harmless-sa')}.json", HARMLESS_SA_POLICY)
    for name, role in ROLES.items():
        write(f"{MAIN}/roles/{name}.json", role)
    write(f"{OTHER}/project.json", project(OTHER, "graph-other"))
    write(f"{OTHER}/project-iam-policy.json", OTHER_POLICY)
    write("expected.json", EXPECTED)
    # Every principal named in expected.json is an account of the export.
    known = {sid(a[0]) for a in ACCOUNTS}
    for entry in EXPECTED["vulnerable"] + EXPECTED["safe"]:
        assert entry["principal"] in known, entry


if __name__ == "__main__":
    main()
