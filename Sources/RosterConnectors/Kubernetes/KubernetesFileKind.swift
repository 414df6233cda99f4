import Foundation

/// The kinds of file the Kubernetes connector reads, and the look-alikes it recognises so it can
/// say what a wrong file is.
public enum KubernetesFileKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `kubectl get … -o json`, a raw API list, or a JSON manifest.
    case objectsJSON = "objects-json"
    /// `kubectl get … -o yaml`, or manifests (several documents separated by `---`).
    case objectsYAML = "objects-yaml"
    /// `aws eks describe-cluster`: the cluster's name and its service account token issuer.
    case eksCluster = "eks-describe-cluster"
    /// `az aks show`: the cluster's name and its OIDC issuer.
    case aksCluster = "aks-show"
    // Recognised but not imported:
    case kubeconfig
    case kustomization
    case helmTemplate = "helm-template"

    public var isImportable: Bool {
        switch self {
        case .objectsJSON, .objectsYAML, .eksCluster, .aksCluster: true
        case .kubeconfig, .kustomization, .helmTemplate: false
        }
    }

    public var description: String {
        switch self {
        case .objectsJSON: "Kubernetes objects in JSON (kubectl get -o json)"
        case .objectsYAML: "Kubernetes objects in YAML (kubectl get -o yaml, or manifests)"
        case .eksCluster: "the output of `aws eks describe-cluster`"
        case .aksCluster: "the output of `az aks show`"
        case .kubeconfig: "a kubeconfig file (it holds credentials to a cluster, not the cluster's objects)"
        case .kustomization: "a kustomize Kustomization (render it with `kustomize build` and import the output)"
        case .helmTemplate: "a Helm chart template (render it with `helm template` and import the output)"
        }
    }

    static let importableList =
        "`kubectl get serviceaccounts,secrets,roles,clusterroles,rolebindings,clusterrolebindings,pods,deployments,… -A -o json` (or -o yaml), "
        + "manifests, `aws eks describe-cluster` or `az aks show` JSON"

    /// Recognises a file from its content; nil when it is none of the known kinds.
    ///
    /// JSON: an object with `apiVersion` and `kind` (and `items` or `metadata`) is Kubernetes; an object
    /// holding only `cluster` whose ARN is an EKS cluster's is `describe-cluster`; `oidcIssuerProfile` with
    /// `agentPoolProfiles` is `az aks show`. YAML: some document has `apiVersion:` and `kind:` at its top level.
    static func recognise(_ data: Data) -> KubernetesFileKind? {
        let first = data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return recogniseJSON(data) }
        return recogniseYAML(data)
    }

    private static func recogniseJSON(_ data: Data) -> KubernetesFileKind? {
        let (isObject, keys) = JSONSyntax.topLevelKeys(in: data)
        guard isObject else { return nil }
        let set = Set(keys)
        if set.contains("apiVersion") && set.contains("kind") {
            if set.contains("clusters") && (set.contains("contexts") || set.contains("users")) { return .kubeconfig }
            if set.contains("items") || set.contains("metadata") { return .objectsJSON }
            return nil
        }
        if set == ["cluster"], let described = try? JSONDecoder().decode(EKSDescribeCluster.self, from: data),
            described.cluster.arn?.contains(":eks:") == true || described.cluster.identity != nil {
            return .eksCluster
        }
        if set.contains("oidcIssuerProfile") && set.contains("agentPoolProfiles") { return .aksCluster }
        return nil
    }

    /// Looks at top-level lines only (no indentation), so it costs one pass and no parse.
    private static func recogniseYAML(_ data: Data) -> KubernetesFileKind? {
        var apiVersion = false
        var kinds: [Substring] = []
        var clusters = false
        var template = false
        var found: KubernetesFileKind?
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("---") {
                if apiVersion, !kinds.isEmpty { found = found ?? .objectsYAML }
                apiVersion = false
                kinds = []
                continue
            }
            // A chart template's control lines start at the margin, and its values are unquoted `{{ … }}`;
            // a rendered ConfigMap that holds Go templates has them indented inside a block scalar.
            if !template, line.hasPrefix("{{") || line.contains(": {{") { template = true }
            guard let head = line.first, head != " ", head != "\t", head != "#" else { continue }
            if line.hasPrefix("apiVersion:") {
                apiVersion = true
            } else if line.hasPrefix("kind:") {
                let value = line.dropFirst(5).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                kinds.append(Substring(value))
                if value == "Kustomization" || value == "Component" { return .kustomization }
            } else if line.hasPrefix("clusters:") {
                clusters = true
            }
        }
        if apiVersion, !kinds.isEmpty { found = found ?? .objectsYAML }
        guard let found else { return nil }
        if clusters && kinds.contains("Config") { return .kubeconfig }
        return template ? .helmTemplate : found
    }
}

/// `aws eks describe-cluster` output, as far as Roster reads it.
struct EKSDescribeCluster: Decodable {
    struct Cluster: Decodable {
        struct Identity: Decodable {
            struct OIDC: Decodable { var issuer: String? }
            var oidc: OIDC?
        }

        var name: String
        var arn: String?
        var identity: Identity?
        var createdAt: String?
    }

    var cluster: Cluster
}

/// `az aks show` output, as far as Roster reads it.
struct AKSShow: Decodable {
    struct OIDCIssuerProfile: Decodable {
        var enabled: Bool?
        var issuerUrl: String?
    }

    var name: String
    var oidcIssuerProfile: OIDCIssuerProfile?
}
