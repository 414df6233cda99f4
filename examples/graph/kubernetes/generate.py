#!/usr/bin/env python3
"""Generate the Kubernetes privilege-escalation example (cluster `graph-demo`).

    python3 examples/graph/kubernetes/generate.py      # from anywhere

Writes, next to this script:

    graph-demo.json   what `kubectl get namespaces,serviceaccounts,secrets,roles,clusterroles,rolebindings,
                      clusterrolebindings,pods,deployments,... -A -o json` prints for the cluster (a single
                      List of several kinds, so the connector names the cluster after the file)
    expected.json     what the access graph must find: vulnerable service accounts (rule, whether any path
                      reaches the cluster's admin node) and safe look-alikes (a rule, or a rule to one target,
                      they must not have)

One small scenario per Kubernetes edge rule, each in its own namespace, next to look-alikes that must
not get the edge they resemble. README.md explains each one.

Shared: `admin-sa/root` is bound to cluster-admin and runs the `operator` Deployment with its token
mounted, so whoever controls a node (a privileged pod, nodes/proxy) reaches the cluster through it.

Standard library only, deterministic: the same script writes the same files.
"""
import base64, hashlib, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "graph-demo.json")
CREATED = "2026-10-01T09:00:00Z"
RBAC = "rbac.authorization.k8s.io"
items = []


def uid(*parts):
    h = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def meta(kind, name, namespace=None, labels=None, annotations=None):
    m = {"name": name, "uid": uid(kind, namespace or "", name), "resourceVersion": "1", "creationTimestamp": CREATED}
    if namespace:
        m["namespace"] = namespace
    if labels:
        m["labels"] = labels
    if annotations:
        m["annotations"] = annotations
    return m


def namespace(name, enforce=None, extra=None):
    labels = {"kubernetes.io/metadata.name": name}
    if enforce:
        labels["pod-security.kubernetes.io/enforce"] = enforce
    labels.update(extra or {})
    items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": meta("Namespace", name, labels=labels),
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})


def account(ns, name, automount=None):
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("ServiceAccount", name, ns)}
    if automount is not None:
        sa["automountServiceAccountToken"] = automount
    items.append(sa)


def token_secret(ns, account_name, suffix):
    name = f"{account_name}-token-{suffix}"
    token = base64.b64encode(f"synthetic-token-not-real-{ns}-{account_name}".encode()).decode()
    items.append({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": meta("Secret", name, ns, annotations={
            "kubernetes.io/service-account.name": account_name,
            "kubernetes.io/service-account.uid": uid("ServiceAccount", ns, account_name)}),
        "type": "kubernetes.io/service-account-token",
        "data": {"namespace": base64.b64encode(ns.encode()).decode(), "token": token},
    })


def rule(groups, resources, verbs, names=None):
    r = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        r["resourceNames"] = names
    return r


def cluster_role(name, rules, labels=None):
    items.append({"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": meta("ClusterRole", name, labels=labels), "rules": rules})


def role(ns, name, rules):
    items.append({"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": meta("Role", name, ns), "rules": rules})


def subject(ref):
    if ref.startswith("group:"):
        return {"apiGroup": RBAC, "kind": "Group", "name": ref[len("group:"):]}
    ns, name = ref.split("/")
    return {"kind": "ServiceAccount", "name": name, "namespace": ns}


def cluster_binding(name, cluster_role_name, subjects, labels=None):
    items.append({"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": meta("ClusterRoleBinding", name, labels=labels),
                  "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": cluster_role_name},
                  "subjects": [subject(s) for s in subjects]})


def binding(ns, name, kind, role_name, subjects):
    items.append({"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": meta("RoleBinding", name, ns),
                  "roleRef": {"apiGroup": RBAC, "kind": kind, "name": role_name},
                  "subjects": [subject(s) for s in subjects]})


def pod_spec(sa, automount=None, privileged=False, host_path=None):
    spec = {"serviceAccountName": sa, "containers": [{"name": "app", "image": f"registry.example.com/{sa}:1.0"}]}
    if automount is not None:
        spec["automountServiceAccountToken"] = automount
    if privileged:
        spec["containers"][0]["securityContext"] = {"privileged": True}
    if host_path:
        spec["volumes"] = [{"name": "host", "hostPath": {"path": host_path}}]
    return spec


def deployment(ns, name, sa, replicas=1, **kw):
    items.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("Deployment", name, ns),
                  "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                           "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec(sa, **kw)}}})


def pod(ns, name, sa, **kw):
    items.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta("Pod", name, ns), "spec": pod_spec(sa, **kw),
                  "status": {"phase": "Running"}})


# Default policy the scenarios lean on.
cluster_role("cluster-admin", [rule(["*"], ["*"], ["*"]), {"nonResourceURLs": ["*"], "verbs": ["*"]}],
             labels={"kubernetes.io/bootstrapping": "rbac-defaults"})
cluster_role("edit", [
    rule([""], ["pods", "pods/attach", "pods/exec", "secrets", "serviceaccounts", "configmaps", "services"],
         ["create", "delete", "deletecollection", "patch", "update"]),
    rule(["apps"], ["deployments", "daemonsets", "statefulsets", "replicasets"], ["create", "delete", "patch", "update"]),
    rule(["batch"], ["jobs", "cronjobs"], ["create", "delete", "patch", "update"]),
], labels={"kubernetes.io/bootstrapping": "rbac-defaults"})
cluster_role("system:basic-user", [rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"])],
             labels={"kubernetes.io/bootstrapping": "rbac-defaults"})
cluster_binding("system:basic-user", "system:basic-user", ["group:system:authenticated"],
                labels={"kubernetes.io/bootstrapping": "rbac-defaults"})

# admin-sa: an administrator whose token a Deployment mounts (what node control reaches).
namespace("admin-sa", "restricted")
account("admin-sa", "root")
account("admin-sa", "idle-admin")
cluster_binding("root-admin", "cluster-admin", ["admin-sa/root", "admin-sa/idle-admin"])
deployment("admin-sa", "operator", "root")
# Same account, token not mounted: no node holds it (still an administrator, not a node-tokens target).
deployment("admin-sa", "dormant", "idle-admin", automount=False)

# pod-create: create pods takes over every account of the namespace, even one with automount off.
namespace("pod-create", "baseline")
account("pod-create", "creator")
account("pod-create", "victim", automount=False)
role("pod-create", "pod-creator", [rule([""], ["pods"], ["create", "get", "list"])])
binding("pod-create", "creator-pods", "Role", "pod-creator", ["pod-create/creator"])

# pod-create-restricted: same right where Pod Security enforces restricted: no privileged pod.
namespace("pod-create-restricted", "restricted")
account("pod-create-restricted", "creator")
account("pod-create-restricted", "app")
role("pod-create-restricted", "pod-creator", [rule([""], ["pods"], ["create"])])
binding("pod-create-restricted", "creator-pods", "Role", "pod-creator", ["pod-create-restricted/creator"])

# privileged-pods: no enforce label (only warn), so a pod creator gets a privileged pod and the node.
namespace("privileged-pods", extra={"pod-security.kubernetes.io/warn": "restricted"})
account("privileged-pods", "runner")
role("privileged-pods", "pod-runner", [rule([""], ["pods"], ["create"])])
binding("privileged-pods", "runner-pods", "Role", "pod-runner", ["privileged-pods/runner"])
deployment("privileged-pods", "node-agent", "runner", privileged=True, host_path="/")

# workload-create: create deployments reaches the namespace's accounts through the controller.
namespace("workload-create", "baseline")
account("workload-create", "deployer")
account("workload-create", "worker")
role("workload-create", "deployment-writer", [rule(["apps"], ["deployments"], ["create", "update", "get"])])
binding("workload-create", "deployer-deployments", "Role", "deployment-writer", ["workload-create/deployer"])

# pod-exec: exec reaches the accounts running pods mount; not one whose pods do not mount its token.
namespace("pod-exec", "restricted")
account("pod-exec", "debugger")
account("pod-exec", "api")
account("pod-exec", "batch")
role("pod-exec", "exec", [rule([""], ["pods"], ["get", "list"]), rule([""], ["pods/exec"], ["create"])])
binding("pod-exec", "debugger-exec", "Role", "exec", ["pod-exec/debugger"])
deployment("pod-exec", "payments-api", "api", replicas=2)
deployment("pod-exec", "nightly", "batch", automount=False)

# sa-token: TokenRequest for any account of the namespace, one of which manages webhooks.
namespace("sa-token", "restricted")
account("sa-token", "minter")
account("sa-token", "release-bot")
role("sa-token", "token-minter", [rule([""], ["serviceaccounts/token"], ["create"])])
binding("sa-token", "minter-tokens", "Role", "token-minter", ["sa-token/minter"])

# sa-token-named: TokenRequest restricted by resourceNames to a harmless account.
namespace("sa-token-named", "restricted")
account("sa-token-named", "minter")
account("sa-token-named", "harmless")
account("sa-token-named", "powerful")
role("sa-token-named", "token-minter", [rule([""], ["serviceaccounts/token"], ["create"], names=["harmless"])])
binding("sa-token-named", "minter-tokens", "Role", "token-minter", ["sa-token-named/minter"])
cluster_binding("sa-token-named-powerful", "cluster-admin", ["sa-token-named/powerful"])

# secret-read: list returns the legacy token Secret of builder (other has none).
namespace("secret-read", "restricted")
account("secret-read", "reader")
account("secret-read", "builder")
account("secret-read", "other")
token_secret("secret-read", "builder", "x7k2p")
role("secret-read", "secret-reader", [rule([""], ["secrets"], ["get", "list"])])
binding("secret-read", "reader-secrets", "Role", "secret-reader", ["secret-read/reader"])

# secret-get-only: get without list does not reach a token Secret it cannot name; get naming it does.
namespace("secret-get-only", "restricted")
account("secret-get-only", "getter")
account("secret-get-only", "named-getter")
account("secret-get-only", "worker")
token_secret("secret-get-only", "worker", "b9q4m")
role("secret-get-only", "secret-getter", [rule([""], ["secrets"], ["get"])])
binding("secret-get-only", "getter-secrets", "Role", "secret-getter", ["secret-get-only/getter"])
role("secret-get-only", "named-secret-getter", [rule([""], ["secrets"], ["get"], names=["worker-token-b9q4m"])])
binding("secret-get-only", "named-getter-secrets", "Role", "named-secret-getter", ["secret-get-only/named-getter"])

# rbac-bind: bind any ClusterRole with create clusterrolebindings: cluster-admin for itself.
namespace("rbac-bind", "restricted")
account("rbac-bind", "binder")
cluster_role("role-binder", [rule([RBAC], ["clusterroles"], ["bind"]), rule([RBAC], ["clusterrolebindings"], ["create"])])
cluster_binding("binder-binds", "role-binder", ["rbac-bind/binder"])

# rbac-bind-ns: bind only ClusterRole edit, only in its namespace: the namespace's accounts.
namespace("rbac-bind-ns", "restricted")
account("rbac-bind-ns", "binder")
account("rbac-bind-ns", "app")
role("rbac-bind-ns", "edit-binder", [rule([RBAC], ["clusterroles"], ["bind"], names=["edit"]), rule([RBAC], ["rolebindings"], ["create"])])
binding("rbac-bind-ns", "binder-binds", "Role", "edit-binder", ["rbac-bind-ns/binder"])

# rbac-escalate: escalate and update on the ClusterRole it holds cluster-wide.
namespace("rbac-escalate", "restricted")
account("rbac-escalate", "escalator")
cluster_role("role-editor", [rule([RBAC], ["clusterroles"], ["get", "list", "update", "escalate"])])
cluster_binding("escalator-roles", "role-editor", ["rbac-escalate/escalator"])

# impersonate: users and groups without restriction (system:masters).
namespace("impersonate", "restricted")
account("impersonate", "impersonator")
cluster_role("impersonator", [rule([""], ["users", "groups"], ["impersonate"])])
cluster_binding("impersonator", "impersonator", ["impersonate/impersonator"])

# impersonate-limited: one harmless account by name; the powerful one beside it stays out of reach.
namespace("impersonate-limited", "restricted")
account("impersonate-limited", "helper")
account("impersonate-limited", "harmless")
account("impersonate-limited", "powerful")
role("impersonate-limited", "impersonate-harmless", [rule([""], ["serviceaccounts"], ["impersonate"], names=["harmless"])])
binding("impersonate-limited", "helper-impersonates", "Role", "impersonate-harmless", ["impersonate-limited/helper"])
cluster_binding("impersonate-limited-powerful", "cluster-admin", ["impersonate-limited/powerful"])

# nodes-proxy: the kubelet API on every node.
namespace("nodes-proxy", "restricted")
account("nodes-proxy", "kubelet-client")
cluster_role("node-proxy", [rule([""], ["nodes/proxy"], ["get"]), rule([""], ["nodes"], ["get", "list"])])
cluster_binding("kubelet-client", "node-proxy", ["nodes-proxy/kubelet-client"])

# csr: create, approve and sign client certificates for the API server.
namespace("csr", "restricted")
account("csr", "cert-approver")
cluster_role("csr-approver", [
    rule(["certificates.k8s.io"], ["certificatesigningrequests"], ["create", "get", "list"]),
    rule(["certificates.k8s.io"], ["certificatesigningrequests/approval"], ["update"]),
    rule(["certificates.k8s.io"], ["signers"], ["approve"], names=["kubernetes.io/kube-apiserver-client"]),
])
cluster_binding("cert-approver", "csr-approver", ["csr/cert-approver"])

# webhook: mutating admission webhooks, cluster-wide; sa-token/release-bot holds the same.
namespace("webhook", "restricted")
account("webhook", "webhook-admin")
cluster_role("webhook-manager", [rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["create", "update", "patch", "get"])])
cluster_binding("webhook-managers", "webhook-manager", ["webhook/webhook-admin", "sa-token/release-bot"])

# scoped-admin: cluster-admin bound by a RoleBinding: everything, but only in its namespace.
namespace("scoped-admin", "restricted")
account("scoped-admin", "ns-admin")
account("scoped-admin", "app")
binding("scoped-admin", "ns-admin", "ClusterRole", "cluster-admin", ["scoped-admin/ns-admin"])

# group-subjects: a RoleBinding to every account of the namespace (group system:serviceaccounts:<ns>).
namespace("group-subjects", "restricted")
account("group-subjects", "a")
account("group-subjects", "b")
role("group-subjects", "token-minter", [rule([""], ["serviceaccounts/token"], ["create"])])
binding("group-subjects", "everyone-mints", "Role", "token-minter", ["group:system:serviceaccounts:group-subjects"])

with open(OUT, "w") as f:
    json.dump({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, f, indent=2)
    f.write("\n")
print(f"wrote {OUT}: {len(items)} objects")

# What the graph must find. reachesAdmin: any path through the edge rules' edges to admin:kubernetes:graph-demo.
VULNERABLE = [
    ("admin-sa/root", "kubernetes.cluster-admin", True),
    ("admin-sa/idle-admin", "kubernetes.cluster-admin", True),
    ("pod-create/creator", "kubernetes.pod-create", False),
    ("pod-create-restricted/creator", "kubernetes.pod-create", False),
    ("privileged-pods/runner", "kubernetes.privileged-pod", True),
    ("workload-create/deployer", "kubernetes.workload-create", False),
    ("pod-exec/debugger", "kubernetes.pod-exec", False),
    ("sa-token/minter", "kubernetes.sa-token", True),
    ("sa-token/release-bot", "kubernetes.mutating-webhook", True),
    ("sa-token-named/minter", "kubernetes.sa-token", False),
    ("secret-read/reader", "kubernetes.secret-read", False),
    ("secret-get-only/named-getter", "kubernetes.secret-read", False),
    ("rbac-bind/binder", "kubernetes.rbac-bind", True),
    ("rbac-bind-ns/binder", "kubernetes.rbac-bind", False),
    ("rbac-escalate/escalator", "kubernetes.rbac-escalate", True),
    ("impersonate/impersonator", "kubernetes.impersonate", True),
    ("impersonate-limited/helper", "kubernetes.impersonate", False),
    ("nodes-proxy/kubelet-client", "kubernetes.nodes-proxy", True),
    ("csr/cert-approver", "kubernetes.csr-approve", True),
    ("webhook/webhook-admin", "kubernetes.mutating-webhook", True),
    ("scoped-admin/ns-admin", "kubernetes.pod-create", False),
    ("group-subjects/a", "kubernetes.sa-token", False),
    ("group-subjects/b", "kubernetes.sa-token", False),
]
# (account, rule it must not have, target it must not reach by it: ns/name, "admin" or "nodes"; None for any).
SAFE = [
    ("pod-create-restricted/creator", "kubernetes.privileged-pod", None),
    ("pod-create/creator", "kubernetes.privileged-pod", None),
    ("workload-create/deployer", "kubernetes.privileged-pod", None),
    ("secret-get-only/getter", "kubernetes.secret-read", None),
    ("sa-token-named/minter", "kubernetes.sa-token", "sa-token-named/powerful"),
    ("scoped-admin/ns-admin", "kubernetes.cluster-admin", None),
    ("scoped-admin/ns-admin", "kubernetes.privileged-pod", None),
    ("impersonate-limited/helper", "kubernetes.impersonate", "impersonate-limited/powerful"),
    ("pod-exec/debugger", "kubernetes.pod-exec", "pod-exec/batch"),
    ("secret-read/reader", "kubernetes.secret-read", "secret-read/other"),
    ("rbac-bind-ns/binder", "kubernetes.rbac-bind", "admin"),
]

accounts = {f"{i['metadata']['namespace']}/{i['metadata']['name']}" for i in items if i["kind"] == "ServiceAccount"}
for ref in [v[0] for v in VULNERABLE] + [s[0] for s in SAFE] + [s[2] for s in SAFE if s[2] not in (None, "admin", "nodes")]:
    assert ref in accounts, f"{ref} is not a service account of the export"

expected = {
    "description": "What the access graph must find in graph-demo.json (cluster graph-demo). vulnerable: the service account "
                   "has an edge of that rule (directly or through a hub it holds), and reachesAdmin says whether any path takes it "
                   "to the cluster's admin node. safe: the service account has no edge of that rule (to target, when given: a service "
                   "account ns/name, \"admin\" for the admin node or \"nodes\" for the nodes node).",
    "vulnerable": [{"serviceAccount": a, "rule": r, "reachesAdmin": b} for a, r, b in VULNERABLE],
    "safe": [dict({"serviceAccount": a, "notRule": r}, **({"target": t} if t else {})) for a, r, t in SAFE],
}
with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f, indent=2)
    f.write("\n")
print(f"wrote {os.path.join(HERE, 'expected.json')}: {len(VULNERABLE)} vulnerable, {len(SAFE)} safe")
