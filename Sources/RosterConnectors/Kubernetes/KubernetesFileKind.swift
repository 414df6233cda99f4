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

    /// Looks at top-level lines only (no indentation), byte by byte, so it costs one quick pass and no parse.
    private static func recogniseYAML(_ data: Data) -> KubernetesFileKind? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> KubernetesFileKind? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var apiVersion = false
            var kinds: [String] = []
            var clusters = false
            var template = false
            var found: KubernetesFileKind?
            func starts(_ prefix: StaticString, at i: Int) -> Bool {
                let count = prefix.utf8CodeUnitCount
                guard i + count <= bytes.count else { return false }
                let p = prefix.utf8Start
                for k in 0..<count where bytes[i + k] != p[k] { return false }
                return true
            }
            var i = 0
            while i < bytes.count {
                // One line: [i, end).
                var end = i
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let head = bytes[i]
                if starts("---", at: i) {
                    if apiVersion, !kinds.isEmpty { found = found ?? .objectsYAML }
                    apiVersion = false
                    kinds = []
                } else if head != 0x20, head != 0x09, head != UInt8(ascii: "#"), head != 0x0D {
                    if starts("apiVersion:", at: i) {
                        apiVersion = true
                    } else if starts("kind:", at: i) {
                        let value = String(decoding: bytes[(i + 5)..<end], as: UTF8.self)
                            .trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"'"))
                        if value == "Kustomization" || value == "Component" { return .kustomization }
                        kinds.append(value)
                    } else if starts("clusters:", at: i) {
                        clusters = true
                    } else if starts("{{", at: i) {
                        template = true
                    }
                }
                // A chart template's values are unquoted `{{ … }}`; a rendered ConfigMap holding Go templates has
                // them inside block scalars, never right after a key.
                if !template {
                    var k = i
                    while k + 3 < end {
                        if bytes[k] == UInt8(ascii: ":"), bytes[k + 1] == 0x20, bytes[k + 2] == UInt8(ascii: "{"), bytes[k + 3] == UInt8(ascii: "{") {
                            template = true
                            break
                        }
                        k += 1
                    }
                }
                i = end + 1
            }
            if apiVersion, !kinds.isEmpty { found = found ?? .objectsYAML }
            guard let found else { return nil }
            if clusters && kinds.contains("Config") { return .kubeconfig }
            return template ? .helmTemplate : found
        }
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
