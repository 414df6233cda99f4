#!/usr/bin/env python3
"""A Kubernetes cluster export for timing the access graph: one `kubectl get … -A -o json` List.

    gen_kubernetes.py SAS ROLES OUTDIR [--seed N] [--namespaces 100] [--cluster bench-k8s] [--compact]

Writes OUTDIR/<cluster>.json, what
    kubectl get namespaces,serviceaccounts,secrets,roles,clusterroles,rolebindings,clusterrolebindings,\\
      pods,deployments,replicasets,statefulsets,cronjobs -A -o json
prints (a `List` of every kind, so Roster names the cluster after the file), and OUTDIR/expected.json:
the service accounts that hold cluster-admin, those planted to reach it, the look-alikes that do
not, and the ones with only in-namespace lateral movement. Ids are Roster's
(`kubernetes:<cluster>/<namespace>/<name>`).

SAS service accounts over --namespaces namespaces (kube-system, argocd, platform, ops, monitoring…
and team namespaces), one `default` each. ROLES is Roles plus ClusterRoles, defaults included
(cluster-admin, admin, edit, view, a few system: ones). Most service accounts are bound to narrow
Roles of their namespace (read configmaps, pods, services; leases; events; deployments/scale) and
most run a Deployment (with its ReplicaSet and 1-3 Pods); a few percent of accounts have a legacy
token Secret.

Admins: ClusterRoleBindings of cluster-admin to argocd/argocd-application-controller,
platform/terraform-runner, ops/ops-break-glass and kube-system/admin-bot (which has a token Secret).
Planted to reach cluster-admin (about 1 % of accounts, each technique at least once):
  pods-create-admin-ns     a RoleBinding in ops grants it `create pods` there (run a pod as ops-break-glass)
  secrets-read-admin-ns    a RoleBinding in kube-system grants `get,list secrets` (admin-bot's token)
  impersonate              a ClusterRoleBinding grants `impersonate serviceaccounts` cluster-wide
  bind-escalate            a ClusterRoleBinding grants `bind,escalate clusterroles` + `create clusterrolebindings`
  token-create-admin-ns    a RoleBinding in ops grants `create serviceaccounts/token` there
Look-alikes (not reaching cluster-admin):
  secrets-named            `get secrets` in kube-system limited by resourceNames to a plain config Secret
  impersonate-named        `impersonate serviceaccounts` limited by resourceNames to a narrow account
  bind-view-only           `bind clusterroles` limited to resourceNames [view] + `create rolebindings` in its namespace
  pods-create-own-ns       `create pods` in its own team namespace, which holds no privileged account and enforces
                           Pod Security `baseline` (so no privileged pod can take a node)
Lateral only (listed apart): CI deployer accounts bound to the default `edit` ClusterRole in their
own namespace (pods, secrets, impersonate there: every account of the namespace, none privileged).

Standard library only; the same arguments give the same bytes.
"""

import argparse
import base64
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

APPS = ["orders", "billing", "payments", "search", "catalog", "inventory", "checkout", "shipping", "ledger",
        "reports", "notify", "media", "profile", "auth", "reviews", "pricing", "fraud", "ads", "etl", "feeds",
        "geo", "chat", "mailer", "export", "ingest", "metrics", "quotes", "tickets", "loyalty", "returns"]
ENVS = ["prod", "staging", "dev"]
NOUNS = ["api", "worker", "consumer", "scheduler", "sync", "exporter", "indexer", "gateway", "cron", "migrator",
         "notifier", "cache", "reader", "writer", "proxy", "agent", "batch", "router", "loader", "reporter"]
EPOCH = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN = 2 * 365 * 86400
RBAC = "rbac.authorization.k8s.io/v1"
READ = ["get", "list", "watch"]
WRITE = ["create", "delete", "deletecollection", "patch", "update"]


def rule(groups, resources, verbs, names=None):
    r = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        r["resourceNames"] = names
    return r


# Kubernetes' default ClusterRoles, condensed to what decides privilege (the same as Roster's fallback).
VIEW = [rule([""], ["configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "serviceaccounts",
                   "services", "bindings", "events", "limitranges", "namespaces", "pods/log", "pods/status", "resourcequotas"], READ),
        rule(["apps"], ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"], READ),
        rule(["batch"], ["cronjobs", "jobs"], READ), rule(["autoscaling"], ["horizontalpodautoscalers"], READ),
        rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], READ), rule(["policy"], ["poddisruptionbudgets"], READ)]
EDIT = VIEW + [
    rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
    rule([""], ["serviceaccounts"], ["impersonate"]),
    rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "configmaps", "events", "persistentvolumeclaims",
                "replicationcontrollers", "secrets", "serviceaccounts", "services", "services/proxy"], WRITE),
    rule(["apps"], ["daemonsets", "deployments", "deployments/scale", "replicasets", "statefulsets"], WRITE),
    rule(["batch"], ["cronjobs", "jobs"], WRITE), rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE)]
ADMIN = EDIT + [rule(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], READ + WRITE),
                rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"])]
DEFAULT_CLUSTER_ROLES = {
    "cluster-admin": [rule(["*"], ["*"], ["*"]), {"nonResourceURLs": ["*"], "verbs": ["*"]}],
    "admin": ADMIN, "edit": EDIT, "view": VIEW,
    "system:basic-user": [rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"])],
    "system:discovery": [{"nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*",
                                              "/readyz", "/version", "/version/"], "verbs": ["get"]}],
    "system:public-info-viewer": [{"nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"], "verbs": ["get"]}],
    "system:node-proxier": [rule([""], ["endpoints", "services"], ["list", "watch"]), rule([""], ["nodes"], READ),
                            rule([""], ["events"], ["create", "patch", "update"]),
                            rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"])],
    "system:coredns": [rule([""], ["endpoints", "services", "pods", "namespaces"], ["list", "watch"]),
                       rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"])],
    "system:aggregate-to-view": VIEW[:1],
}


class Cluster:
    def __init__(self, sas, roles, namespaces, seed, cluster):
        self.rng = random.Random(seed)
        self.target_sas, self.target_roles, self.n_ns, self.cluster = sas, roles, namespaces, cluster
        self.items = {k: [] for k in ("Namespace", "ServiceAccount", "Secret", "ClusterRole", "Role", "ClusterRoleBinding",
                                       "RoleBinding", "Deployment", "ReplicaSet", "StatefulSet", "CronJob", "Pod")}
        self.sas = {}              # namespace -> [names]
        self.admins, self.vulnerable, self.lookalikes, self.lateral = [], [], [], []
        self.n_roles = 0

    # -- helpers ---------------------------------------------------------------------------------------
    def uid(self):
        b = self.rng.getrandbits(128)
        return "%08x-%04x-4%03x-%04x-%012x" % (b >> 96, (b >> 80) & 0xFFFF, (b >> 68) & 0xFFF, 0x8000 | ((b >> 52) & 0x3FFF), b & 0xFFFFFFFFFFFF)

    def ts(self, low=0.0, high=1.0):
        return (EPOCH + timedelta(seconds=int(SPAN * (low + (high - low) * self.rng.random())))).strftime("%Y-%m-%dT%H:%M:%SZ")

    def meta(self, name, ns=None, labels=None, annotations=None, owners=None, created=None):
        m = {}
        if annotations:
            m["annotations"] = annotations
        m["creationTimestamp"] = created or self.ts(0.0, 0.9)
        if labels:
            m["labels"] = labels
        m["name"] = name
        if ns:
            m["namespace"] = ns
        if owners:
            m["ownerReferences"] = owners
        m["resourceVersion"] = str(self.rng.randint(1000, 99999999))
        m["uid"] = self.uid()
        return m

    def sid(self, ns, name):
        return f"kubernetes:{self.cluster}/{ns}/{name}"

    def entry(self, ns, name, **extra):
        return dict({"id": self.sid(ns, name), "serviceAccount": f"{ns}/{name}"}, **extra)

    # -- objects ---------------------------------------------------------------------------------------
    def namespace(self, name, labels=None):
        labels = dict(labels or {}, **{"kubernetes.io/metadata.name": name})
        self.items["Namespace"].append({"apiVersion": "v1", "kind": "Namespace", "metadata": self.meta(name, labels=labels),
                                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        self.sas.setdefault(name, [])

    def service_account(self, ns, name, annotations=None, token=False):
        sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": self.meta(name, ns, annotations=annotations)}
        if token:
            sa["secrets"] = [{"name": f"{name}-token"}]
            data = self.rng.getrandbits(256).to_bytes(32, "big").hex()
            tok = base64.b64encode(f"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.{ns}.{name}.{data}".encode()).decode()
            self.items["Secret"].append({
                "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                "metadata": self.meta(f"{name}-token", ns, annotations={"kubernetes.io/service-account.name": name,
                                                                        "kubernetes.io/service-account.uid": sa["metadata"]["uid"]}),
                "data": {"ca.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
                         "namespace": base64.b64encode(ns.encode()).decode(), "token": tok}})
        self.items["ServiceAccount"].append(sa)
        self.sas.setdefault(ns, []).append(name)
        return name

    def cluster_role(self, name, rules, labels=None):
        self.items["ClusterRole"].append({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": self.meta(name, labels=labels), "rules": rules})
        self.n_roles += 1

    def role(self, ns, name, rules):
        self.items["Role"].append({"apiVersion": RBAC, "kind": "Role", "metadata": self.meta(name, ns), "rules": rules})
        self.n_roles += 1

    @staticmethod
    def subject(ns, name):
        return {"kind": "ServiceAccount", "name": name, "namespace": ns}

    def cluster_binding(self, name, role, subjects, labels=None):
        self.items["ClusterRoleBinding"].append({"apiVersion": RBAC, "kind": "ClusterRoleBinding", "metadata": self.meta(name, labels=labels),
                                                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                                                 "subjects": subjects})

    def binding(self, ns, name, kind, role, subjects):
        self.items["RoleBinding"].append({"apiVersion": RBAC, "kind": "RoleBinding", "metadata": self.meta(name, ns),
                                          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
                                          "subjects": subjects})

    def podspec(self, ns, sa, image):
        return {"serviceAccountName": sa, "serviceAccount": sa,
                "containers": [{"name": "app", "image": image, "imagePullPolicy": "IfNotPresent",
                                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                                "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
                                "env": [{"name": "APP_ENV", "value": ns}],
                                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": True}]}],
                "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                "securityContext": {"runAsNonRoot": True}, "terminationGracePeriodSeconds": 30}

    def deployment(self, ns, sa, name=None):
        r = self.rng
        name = name or sa
        labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ns}
        image = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:v{r.randint(1, 9)}.{r.randint(0, 40)}.{r.randint(0, 9)}"
        replicas = r.choice([1, 1, 2, 2, 3])
        h = "%010x" % r.getrandbits(40)
        h = "".join("bcdfghjklmnpqrstvwxz2456789"[int(c, 16)] for c in h)[:10]
        spec = self.podspec(ns, sa, image)
        created = self.ts(0.2, 0.95)
        dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": self.meta(name, ns, labels, {"deployment.kubernetes.io/revision": "1"}, created=created),
               "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                        "template": {"metadata": {"labels": labels}, "spec": spec},
                        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}},
               "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "observedGeneration": 1}}
        self.items["Deployment"].append(dep)
        rs_labels = dict(labels, **{"pod-template-hash": h})
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": self.meta(f"{name}-{h}", ns, rs_labels, {"deployment.kubernetes.io/revision": "1"},
                                    [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": dep["metadata"]["uid"],
                                      "controller": True, "blockOwnerDeletion": True}], created),
              "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name, "pod-template-hash": h}},
                       "template": {"metadata": {"labels": rs_labels}, "spec": spec}},
              "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas}}
        self.items["ReplicaSet"].append(rs)
        for _ in range(replicas):
            suffix = "".join(r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
            pod_spec = dict(spec, nodeName=f"ip-10-0-{r.randint(0, 63)}-{r.randint(1, 254)}.ec2.internal")
            self.items["Pod"].append({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": self.meta(f"{name}-{h}-{suffix}", ns, rs_labels, None,
                                      [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{name}-{h}", "uid": rs["metadata"]["uid"],
                                        "controller": True, "blockOwnerDeletion": True}], self.ts(0.9, 1.0)),
                "spec": pod_spec,
                "status": {"phase": "Running", "podIP": f"10.0.{r.randint(64, 127)}.{r.randint(1, 254)}", "qosClass": "Burstable",
                           "startTime": self.ts(0.9, 1.0)}})

    def narrow_rules(self, ns):
        r = self.rng
        app = ns.rsplit("-", 1)[0]
        options = [
            lambda: rule([""], ["configmaps"], READ),
            lambda: rule([""], ["pods", "pods/log"], READ),
            lambda: rule([""], ["services", "endpoints"], READ),
            lambda: rule(["apps"], ["deployments", "replicasets"], READ),
            lambda: rule(["apps"], ["deployments/scale"], ["get", "patch", "update"]),
            lambda: rule(["coordination.k8s.io"], ["leases"], ["create"]),
            lambda: rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [f"{app}-{r.choice(NOUNS)}-leader"]),
            lambda: rule([""], ["events"], ["create", "patch"]),
            lambda: rule(["batch"], ["jobs", "cronjobs"], READ),
            lambda: rule(["networking.k8s.io"], ["ingresses"], ["get", "list"]),
            lambda: rule(["metrics.k8s.io"], ["pods"], ["get", "list"]),
            lambda: rule([""], ["configmaps"], ["get", "update"], [f"{app}-{r.choice(NOUNS)}-state"]),
            lambda: rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"]),
            lambda: rule(["policy"], ["poddisruptionbudgets"], READ),
        ]
        return [f() for f in r.sample(options, r.randint(1, 4))]

    # -- the cluster -----------------------------------------------------------------------------------
    def build(self):
        r = self.rng
        fixed_ns = ["kube-system", "kube-public", "kube-node-lease", "default", "ops", "platform", "argocd", "monitoring",
                    "ingress-nginx", "cert-manager"]
        for ns in fixed_ns:
            self.namespace(ns)
        team_ns = []
        while len(fixed_ns) + len(team_ns) < self.n_ns:
            k = len(team_ns)
            name = f"{APPS[k % len(APPS)]}-{ENVS[(k // len(APPS)) % len(ENVS)]}"
            if k >= len(APPS) * len(ENVS):
                name += f"-{k // (len(APPS) * len(ENVS))}"
            team_ns.append(name)
            # Team namespaces enforce the baseline Pod Security level (no privileged or hostPath pods), as hardened
            # clusters do; without it, creating a pod there would take a node and every token on it.
            self.namespace(name, {"team": APPS[k % len(APPS)], "environment": ENVS[(k // len(APPS)) % len(ENVS)],
                                  "pod-security.kubernetes.io/enforce": "baseline"})
        for ns in fixed_ns + team_ns:
            self.service_account(ns, "default")

        # Defaults: the bootstrap ClusterRoles and the system:masters binding.
        for name, rules in DEFAULT_CLUSTER_ROLES.items():
            self.cluster_role(name, rules, {"kubernetes.io/bootstrapping": "rbac-defaults"})
        self.cluster_binding("cluster-admin", "cluster-admin", [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}],
                             {"kubernetes.io/bootstrapping": "rbac-defaults"})
        self.cluster_binding("system:discovery", "system:discovery",
                             [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"}],
                             {"kubernetes.io/bootstrapping": "rbac-defaults"})

        # Platform accounts: controllers with narrow cluster-wide roles, and the cluster-admins.
        for ns, name, rules in [
            ("kube-system", "coredns", None), ("kube-system", "kube-proxy", None),
            ("kube-system", "aws-node", [rule([""], ["pods", "namespaces", "nodes"], READ), rule(["crd.k8s.amazonaws.com"], ["eniconfigs"], READ)]),
            ("kube-system", "metrics-server", [rule([""], ["nodes/metrics", "pods", "nodes"], READ)]),
            ("monitoring", "prometheus", [rule([""], ["nodes", "nodes/metrics", "services", "endpoints", "pods"], READ),
                                          {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]),
            ("monitoring", "kube-state-metrics", [rule([""], ["configmaps", "nodes", "pods", "services", "namespaces", "persistentvolumeclaims"], ["list", "watch"]),
                                                  rule(["apps"], ["deployments", "daemonsets", "statefulsets", "replicasets"], ["list", "watch"])]),
            ("ingress-nginx", "ingress-nginx", [rule([""], ["configmaps", "endpoints", "nodes", "pods", "namespaces"], ["list", "watch"]),
                                                rule(["networking.k8s.io"], ["ingresses", "ingressclasses"], READ),
                                                rule(["networking.k8s.io"], ["ingresses/status"], ["update"])]),
            ("cert-manager", "cert-manager", [rule(["cert-manager.io"], ["certificates", "certificaterequests", "issuers", "clusterissuers"], READ + ["update", "patch"]),
                                              rule([""], ["events"], ["create", "patch"])]),
            ("argocd", "argocd-server", [rule(["argoproj.io"], ["applications", "appprojects"], READ + ["update", "patch"]),
                                         rule([""], ["events"], ["list"])]),
        ]:
            self.service_account(ns, name, annotations={"eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/eks-{name}"} if name in ("aws-node", "cert-manager") else None)
            if name == "coredns":
                self.cluster_binding("system:coredns", "system:coredns", [self.subject(ns, name)])
            elif name == "kube-proxy":
                self.cluster_binding("eks:kube-proxy", "system:node-proxier", [self.subject(ns, name)])
            else:
                self.cluster_role(name, rules)
                self.cluster_binding(name, name, [self.subject(ns, name)])
            self.deployment(ns, name)
        admins = [("argocd", "argocd-application-controller", False), ("platform", "terraform-runner", False),
                  ("ops", "ops-break-glass", False), ("kube-system", "admin-bot", True)]
        for ns, name, token in admins:
            self.service_account(ns, name, token=token)
            self.cluster_binding(f"{name}-cluster-admin", "cluster-admin", [self.subject(ns, name)])
            self.admins.append(self.entry(ns, name))
        self.deployment("argocd", "argocd-application-controller")
        self.deployment("ops", "ops-break-glass")
        # A plain Secret in kube-system that the secrets-named look-alikes may read.
        self.items["Secret"].append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                                     "metadata": self.meta("cluster-info-public", "kube-system"),
                                     "data": {"region": "dXMtZWFzdC0x"}})

        # Planted escalations live in the first sixth of the team namespaces; look-alikes and CI deployers
        # (whose rights cover their whole namespace) in the others, so no namespace-wide right reaches a planted account.
        vuln_ns = team_ns[: max(2, len(team_ns) // 6)]
        calm_ns = team_ns[len(vuln_ns):]
        ci_ns = [ns for ns in calm_ns if r.random() < 0.2]
        for ns in ci_ns:
            self.service_account(ns, f"{ns.split('-')[0]}-ci-deployer")

        # Team accounts: fill namespaces to SAS (planted and look-alike accounts are among them).
        remaining = self.target_sas - len(self.items["ServiceAccount"])
        if remaining < 20:
            sys.exit("gen_kubernetes.py: too few service accounts for the namespaces asked for")
        per_ns = [remaining // len(team_ns) + (1 if i < remaining % len(team_ns) else 0) for i in range(len(team_ns))]
        for ns, count in zip(team_ns, per_ns):
            app = ns.split("-")[0]
            nouns = NOUNS[:]
            r.shuffle(nouns)
            for k in range(count):
                name = f"{app}-{nouns[k % len(nouns)]}" + (f"-{k // len(nouns)}" if k >= len(nouns) else "")
                self.service_account(ns, name, token=r.random() < 0.03,
                                     annotations={"eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/{ns}-{name}"} if r.random() < 0.3 else None)
                if r.random() < 0.7:
                    self.deployment(ns, name)

        # Planted escalations and look-alikes, on team accounts (never a namespace's default nor a CI deployer).
        def accounts(namespaces):
            found = [(ns, n) for ns in namespaces for n in self.sas[ns] if n != "default" and not n.endswith("-ci-deployer")]
            r.shuffle(found)
            return found
        team_accounts = accounts(team_ns)
        n_vuln = max(5, self.target_sas // 100)
        n_look = max(4, self.target_sas // 200)
        picks = iter(accounts(vuln_ns))
        look_picks = iter(accounts(calm_ns))
        taken = set()
        self.cluster_role("secrets-reader", [rule([""], ["secrets"], ["get", "list", "watch"])])
        self.cluster_role("sa-impersonator", [rule([""], ["serviceaccounts"], ["impersonate"])])
        self.cluster_role("rbac-manager", [rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind", "escalate", "get", "list"]),
                                           rule(["rbac.authorization.k8s.io"], ["clusterrolebindings"], ["create", "get", "list"])])
        self.role("ops", "pod-launcher", [rule([""], ["pods"], ["create", "get", "list", "delete"]), rule([""], ["pods/log"], ["get"])])
        self.role("ops", "token-minter", [rule([""], ["serviceaccounts/token"], ["create"])])
        self.cluster_role("rolebinding-viewer-granter", [rule(["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"], ["view"]),
                                                         rule(["rbac.authorization.k8s.io"], ["rolebindings"], ["create", "get", "list"])])
        techniques = ["pods-create-admin-ns", "secrets-read-admin-ns", "impersonate", "bind-escalate", "token-create-admin-ns"]
        for i in range(n_vuln):
            ns, name = next(picks)
            taken.add((ns, name))
            t = techniques[i % len(techniques)]
            s = [self.subject(ns, name)]
            if t == "pods-create-admin-ns":
                self.binding("ops", f"{name}-{ns}-pod-launcher", "Role", "pod-launcher", s)
                via = "create a pod in ops running as ops/ops-break-glass"
            elif t == "secrets-read-admin-ns":
                self.binding("kube-system", f"{name}-{ns}-secrets", "ClusterRole", "secrets-reader", s)
                via = "read kube-system/admin-bot-token"
            elif t == "impersonate":
                self.cluster_binding(f"{ns}-{name}-impersonate", "sa-impersonator", s)
                via = "impersonate a cluster-admin service account"
            elif t == "bind-escalate":
                self.cluster_binding(f"{ns}-{name}-rbac", "rbac-manager", s)
                via = "bind cluster-admin to itself"
            else:
                self.binding("ops", f"{name}-{ns}-token-minter", "Role", "token-minter", s)
                via = "mint a token for ops/ops-break-glass"
            self.vulnerable.append(self.entry(ns, name, technique=t, via=via))
        kinds = ["secrets-named", "impersonate-named", "bind-view-only", "pods-create-own-ns"]
        for j in range(n_look):
            ns, name = next(look_picks)
            taken.add((ns, name))
            k = kinds[j % len(kinds)]
            s = [self.subject(ns, name)]
            if k == "secrets-named":
                self.role("kube-system", f"read-cluster-info-{j:03d}", [rule([""], ["secrets"], ["get"], ["cluster-info-public"])])
                self.binding("kube-system", f"{name}-{ns}-cluster-info", "Role", f"read-cluster-info-{j:03d}", s)
                why = "get secrets only on kube-system/cluster-info-public, not a token"
            elif k == "impersonate-named":
                other = next(n for n in self.sas[ns] if n != "default" and not n.endswith("-ci-deployer") and (ns, n) not in taken)
                self.cluster_role(f"impersonate-{ns}-{other}", [rule([""], ["serviceaccounts"], ["impersonate"], [other])])
                self.binding(ns, f"{name}-impersonate-{other}", "ClusterRole", f"impersonate-{ns}-{other}", s)
                why = f"impersonate only {ns}/{other}, a narrow account"
            elif k == "bind-view-only":
                self.binding(ns, f"{name}-grant-view", "ClusterRole", "rolebinding-viewer-granter", s)
                why = "bind only the view ClusterRole, in its own namespace"
            else:
                self.role(ns, f"{name}-pod-runner", [rule([""], ["pods"], ["create", "get", "list"])])
                self.binding(ns, f"{name}-pod-runner", "Role", f"{name}-pod-runner", s)
                why = f"create pods only in {ns}, whose accounts are all narrow"
            self.lookalikes.append(self.entry(ns, name, kind=k, why=why))

        # CI deployers with `edit` in their own namespace: lateral movement only.
        for ns in ci_ns:
            name = f"{ns.split('-')[0]}-ci-deployer"
            self.binding(ns, f"{name}-edit", "ClusterRole", "edit", [self.subject(ns, name)])
            self.lateral.append(self.entry(ns, name, why=f"edit in {ns}: pods, secrets and impersonation there"))

        # Narrow Roles per namespace and custom read-only ClusterRoles, to ROLES; every account bound to one.
        custom_cluster = max(0, min(150, self.target_roles // 12))
        for k in range(custom_cluster):
            name = f"{r.choice(APPS)}-{r.choice(['reader', 'watcher', 'viewer', 'lister'])}-{k:03d}"
            self.cluster_role(name, [rule([""], r.sample(["nodes", "namespaces", "persistentvolumes", "pods", "services", "configmaps"], 2), ["get", "list", "watch"]),
                                     rule(["storage.k8s.io"], ["storageclasses"], ["get", "list"])])
            if r.random() < 0.4:
                ns, sa = r.choice(team_accounts)
                self.cluster_binding(f"{name}-{sa}", name, [self.subject(ns, sa)])
            else:
                for ns in r.sample(team_ns, r.randint(1, 3)):
                    subjects = [self.subject(ns, sa) for sa in r.sample(self.sas[ns], min(len(self.sas[ns]), r.randint(1, 3)))]
                    self.binding(ns, f"{name}-binding", "ClusterRole", name, subjects)
        roles_left = max(len(team_ns), self.target_roles - self.n_roles)
        per_ns = [roles_left // len(team_ns) + (1 if i < roles_left % len(team_ns) else 0) for i in range(len(team_ns))]
        for ns, count in zip(team_ns, per_ns):
            accounts = [n for n in self.sas[ns] if n != "default"]
            r.shuffle(accounts)
            count = max(1, count)
            # Round-robin: role k binds accounts k, k+count, …, so every account gets a role.
            for k in range(count):
                name = f"{ns.split('-')[0]}-{r.choice(NOUNS)}-{k:03d}"
                self.role(ns, name, self.narrow_rules(ns))
                subjects = [self.subject(ns, a) for a in accounts[k::count]]
                if subjects:
                    self.binding(ns, name, "Role", name, subjects)

    def objects(self):
        order = ["Namespace", "ServiceAccount", "Secret", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding",
                 "Deployment", "ReplicaSet", "StatefulSet", "CronJob", "Pod"]
        for kind in order:
            yield from self.items[kind]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sas", type=int, help="service accounts")
    ap.add_argument("roles", type=int, help="Roles plus ClusterRoles")
    ap.add_argument("outdir")
    ap.add_argument("--namespaces", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cluster", default="bench-k8s", help="the file's name, which Roster takes for the cluster's")
    ap.add_argument("--compact", action="store_true")
    a = ap.parse_args()
    if a.namespaces < 12:
        sys.exit("gen_kubernetes.py: at least 12 namespaces")
    start = time.time()
    c = Cluster(a.sas, a.roles, a.namespaces, a.seed, a.cluster)
    c.build()
    os.makedirs(a.outdir, exist_ok=True)
    path = os.path.join(a.outdir, f"{a.cluster}.json")
    n = 0
    with open(path, "w") as f:
        f.write('{"apiVersion":"v1","items":[' if a.compact else '{\n    "apiVersion": "v1",\n    "items": [')
        for item in c.objects():
            if a.compact:
                f.write(("," if n else "") + json.dumps(item, separators=(",", ":")))
            else:
                f.write((",\n" if n else "\n") + "        " + json.dumps(item, indent=4).replace("\n", "\n        "))
            n += 1
        if a.compact:
            f.write('],"kind":"List","metadata":{"resourceVersion":""}}\n')
        else:
            f.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')
    counts = {k: len(v) for k, v in c.items.items()}
    counts.update({"roles": counts["Role"] + counts["ClusterRole"], "admins": len(c.admins), "vulnerable": len(c.vulnerable),
                   "lookalikes": len(c.lookalikes), "lateral": len(c.lateral)})
    expected = {"cluster": a.cluster, "seed": a.seed, "counts": counts, "admins": c.admins, "vulnerable": c.vulnerable,
                "lookalikes": c.lookalikes, "lateral": c.lateral}
    with open(os.path.join(a.outdir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")
    print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB, {n} objects: {counts['ServiceAccount']} service accounts in "
          f"{counts['Namespace']} namespaces, {counts['Role']} Roles + {counts['ClusterRole']} ClusterRoles, "
          f"{counts['RoleBinding']} RoleBindings, {counts['ClusterRoleBinding']} ClusterRoleBindings, {counts['Pod']} pods; "
          f"{counts['admins']} cluster-admins, {counts['vulnerable']} planted escalations, {counts['lookalikes']} look-alikes, "
          f"{counts['lateral']} lateral-only; {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
