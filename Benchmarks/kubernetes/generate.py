#!/usr/bin/env python3
"""Generate a large synthetic `kubectl get … -A -o json` List (and its -o yaml twin) for timing the Kubernetes connector.

    python3 Benchmarks/kubernetes/generate.py --namespaces 2000 --out /tmp/k8s-bench
    swift build -c release --build-path .build-release
    /usr/bin/time -v .build-release/release/roster import kubernetes /tmp/k8s-bench/bench-cluster.json --db /tmp/k8s-bench/roster.db

Each namespace gets 5 service accounts, a Role and RoleBinding per account, a Deployment with 3 pods per account,
a token Secret for one account, and the objects carry managedFields and status as a real cluster's do.
"""
import argparse, base64, json, os, uuid

def meta(name, ns=None, labels=None, annotations=None, owners=None):
    m = {"name": name, "uid": str(uuid.uuid4()), "resourceVersion": "123456", "creationTimestamp": "2025-05-01T10:00:00Z",
         "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "v1", "time": "2025-05-01T10:00:00Z",
                            "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}}]}
    if ns: m["namespace"] = ns
    if labels: m["labels"] = labels
    if annotations: m["annotations"] = annotations
    if owners: m["ownerReferences"] = owners
    return m

def podspec(sa):
    return {"serviceAccountName": sa, "serviceAccount": sa, "containers": [{"name": "app", "image": f"registry.example.com/{sa}:1.0.0",
            "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
            "env": [{"name": "LOG_LEVEL", "value": "info"}], "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True}]}],
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30}

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--namespaces", type=int, default=2000)
    p.add_argument("--out", default="/tmp/k8s-bench")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    items = []
    for n in range(a.namespaces):
        ns = f"team-{n:05d}"
        items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(ns, labels={"team": f"team-{n}", "environment": "production"}), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        for s in range(5):
            sa = f"svc-{s}"
            items.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(sa, ns, {"app": sa}, {"eks.amazonaws.com/role-arn": f"arn:aws:iam::210987654321:role/{ns}-{sa}"})})
            items.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta(sa, ns),
                          "rules": [{"apiGroups": [""], "resources": ["configmaps", "pods"], "verbs": ["get", "list", "watch"]}, {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "patch"]}]})
            items.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(sa, ns),
                          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": sa}, "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}]})
            items.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(sa, ns, {"app": sa}),
                          "spec": {"replicas": 3, "selector": {"matchLabels": {"app": sa}}, "template": {"metadata": {"labels": {"app": sa}}, "spec": podspec(sa)}},
                          "status": {"replicas": 3, "readyReplicas": 3, "conditions": [{"type": "Available", "status": "True", "lastTransitionTime": "2025-05-01T10:01:00Z"}]}})
            for r in range(3):
                items.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta(f"{sa}-7d9f8b6c5-{r:05d}", ns, {"app": sa, "pod-template-hash": "7d9f8b6c5"},
                              owners=[{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{sa}-7d9f8b6c5", "uid": str(uuid.uuid4()), "controller": True, "blockOwnerDeletion": True}]),
                              "spec": dict(podspec(sa), nodeName="ip-10-0-1-23.ec2.internal"), "status": {"phase": "Running", "podIP": "10.0.1.5", "startTime": "2025-05-01T10:00:05Z"}})
        items.append({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                      "metadata": meta("svc-0-token", ns, annotations={"kubernetes.io/service-account.name": "svc-0"}),
                      "data": {"token": base64.b64encode(("eyJhbGciOiJSUzI1NiJ9." + ns + ".c2lnbmF0dXJl").encode()).decode(), "namespace": base64.b64encode(ns.encode()).decode()}})
    doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    path = os.path.join(a.out, "bench-cluster.json")
    with open(path, "w") as f: json.dump(doc, f, indent=4)
    print(path, os.path.getsize(path), "bytes,", len(items), "objects")
    try:
        import yaml
        ypath = os.path.join(a.out, "yaml", "bench-cluster.yaml")
        os.makedirs(os.path.dirname(ypath), exist_ok=True)
        with open(ypath, "w") as f: yaml.safe_dump(doc, f, sort_keys=True)
        print(ypath, os.path.getsize(ypath), "bytes")
    except ImportError:
        print("PyYAML not installed; no YAML twin")

if __name__ == "__main__":
    main()
