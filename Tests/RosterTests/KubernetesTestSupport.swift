import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel

/// Where the Kubernetes fixtures and example live.
enum KubernetesFixture {
    static let dir = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/kubernetes")
    static let example = Fixture.packageRoot.appendingPathComponent("examples/estate/kubernetes").path

    static func path(_ relative: String) -> String { dir.appendingPathComponent(relative).path }

    /// The "now" of the hand-written manifests.
    static let now = utc("2025-06-01T12:00:00Z")
}

/// Discovers and reads Kubernetes files the way `roster import kubernetes` does.
func readKubernetes(_ paths: [String], asOf: Date? = nil) throws -> ConnectorResult {
    let connector = KubernetesConnector(asOf: asOf)
    return try connector.read(connector.discover(paths).files)
}

/// The error reading `paths` gives, or nil when they are read.
func kubernetesError(_ paths: [String]) -> ConnectorError? {
    do {
        _ = try readKubernetes(paths)
        return nil
    } catch let error as ConnectorError {
        return error
    } catch {
        return ConnectorError(.malformed, "unexpected \(error)", file: "")
    }
}

/// Writes `files` (name → text) into `<temp>/<cluster>/` and reads that folder, so manifests belong to `cluster`.
func readManifests(_ files: [String: String], cluster: String = "prod", asOf: Date? = KubernetesFixture.now) throws -> ConnectorResult {
    try withTemporaryDirectory { dir in
        let folder = dir.appendingPathComponent(cluster)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return try readKubernetes([folder.path], asOf: asOf)
    }
}

/// The one estate manifests in `<cluster>/objects.yaml` give.
func manifestEstate(_ yaml: String, cluster: String = "prod") throws -> Estate {
    let result = try readManifests(["objects.yaml": yaml], cluster: cluster)
    guard result.estates.count == 1 else { throw ConnectorError(.inconsistent, "expected one estate, got \(result.estates.count)", file: "") }
    return result.estates[0]
}

/// The error reading one file with `text` named `name` gives.
func kubernetesError(text: String, name: String = "objects.yaml") throws -> ConnectorError? {
    try withTemporaryDirectory { dir in
        let file = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return kubernetesError([file.path])
    }
}

/// Small manifest builders, so each test shows only what it is about.
enum K8s {
    static func namespace(_ name: String, labels: [String: String] = [:]) -> String {
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: \(name)
        \(labelBlock(labels))
        """
    }

    static func serviceAccount(_ namespace: String, _ name: String, annotations: [String: String] = [:], labels: [String: String] = [:], automount: Bool? = nil) -> String {
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: \(name)
          namespace: \(namespace)
          creationTimestamp: "2024-01-10T09:00:00Z"
        \(labelBlock(labels))\(annotationBlock(annotations))
        \(automount.map { "automountServiceAccountToken: \($0)" } ?? "")
        """
    }

    static func clusterRole(_ name: String, rules: String, labels: [String: String] = [:]) -> String {
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: \(name)
        \(labelBlock(labels))
        rules:
        \(rules)
        """
    }

    static func role(_ namespace: String, _ name: String, rules: String) -> String {
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: \(name)
          namespace: \(namespace)
        rules:
        \(rules)
        """
    }

    /// A binding; `namespace` nil makes a ClusterRoleBinding. `subjects` is YAML list text.
    static func binding(_ name: String, namespace: String? = nil, roleKind: String = "ClusterRole", role: String, subjects: String, labels: [String: String] = [:]) -> String {
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: \(namespace == nil ? "ClusterRoleBinding" : "RoleBinding")
        metadata:
          name: \(name)
        \(namespace.map { "  namespace: \($0)" } ?? "")
        \(labelBlock(labels))
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: \(roleKind)
          name: \(role)
        subjects:
        \(subjects)
        """
    }

    static func sa(_ namespace: String, _ name: String) -> String {
        "- kind: ServiceAccount\n  name: \(name)\n  namespace: \(namespace)"
    }

    static func group(_ name: String) -> String { "- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: \(name)" }

    static func pod(_ namespace: String, _ name: String, account: String? = nil, automount: Bool? = nil, owner: (kind: String, name: String)? = nil, labels: [String: String] = [:]) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          namespace: \(namespace)
          creationTimestamp: "2025-06-01T06:00:00Z"
        \(labelBlock(labels))
        \(owner.map { "  ownerReferences:\n  - apiVersion: apps/v1\n    kind: \($0.kind)\n    name: \($0.name)\n    controller: true" } ?? "")
        spec:
          containers:
          - name: app
            image: example/app:1
        \(account.map { "  serviceAccountName: \($0)" } ?? "")
        \(automount.map { "  automountServiceAccountToken: \($0)" } ?? "")
        """
    }

    static func deployment(_ namespace: String, _ name: String, account: String? = nil) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: app
                image: example/\(name):1
        \(account.map { "      serviceAccountName: \($0)" } ?? "")
        """
    }

    /// A token Secret for an account; `token` is put in `data.token` base64-encoded, as the API returns it.
    static func tokenSecret(_ namespace: String, _ name: String, account: String, token: String? = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl", labels: [String: String] = [:]) -> String {
        """
        apiVersion: v1
        kind: Secret
        type: kubernetes.io/service-account-token
        metadata:
          name: \(name)
          namespace: \(namespace)
          creationTimestamp: "2023-02-14T16:20:00Z"
          annotations:
            kubernetes.io/service-account.name: \(account)
        \(labelBlock(labels))
        \(token.map { "data:\n  token: \(Data($0.utf8).base64EncodedString())" } ?? "")
        """
    }

    static func labelBlock(_ labels: [String: String]) -> String {
        labels.isEmpty ? "" : "  labels:\n" + labels.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"" }.joined(separator: "\n")
    }

    static func annotationBlock(_ annotations: [String: String]) -> String {
        annotations.isEmpty ? "" : "\n  annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"" }.joined(separator: "\n")
    }

    /// Documents joined as one YAML stream.
    static func stream(_ documents: String...) -> String { documents.joined(separator: "\n---\n") + "\n" }

    static let wildcard = "- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]"
    static let readPods = "- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"list\", \"watch\"]"
}

extension Estate {
    // identity(id:) and edges(from:) are in CITestSupport.swift, shared by every connector's tests.
    func resource(id: String) -> Resource? { resources.first { $0.id == id } }
}
