import Crypto
import Foundation
import RosterModel

/// One file's Kubernetes objects as `kubectl get -o json|yaml` prints them, or as a manifest
/// (one object, or a `List`) holds them, with only the fields Roster reads.
///
/// kubectl wraps what it gets in `{"apiVersion": "v1", "kind": "List", "items": […]}` and gives
/// every item its `kind`; the API server's own lists (`ServiceAccountList`, from `kubectl get --raw`)
/// leave `kind` and `apiVersion` out of the items, so an item takes them from its list.
struct KubernetesDocument: Decodable {
    /// `List`, `ServiceAccountList`…, or nil for a single object.
    var listKind: String?
    var objects: [KubernetesObject]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: KubernetesObject.Key.self)
        let kind = try c.decodeIfPresent(String.self, forKey: .kind)
        let apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        guard c.contains(.items), let kind, kind.hasSuffix("List") else {
            listKind = nil
            objects = [try KubernetesObject(from: decoder, inherited: nil)]
            return
        }
        listKind = kind
        // `ServiceAccountList` holds ServiceAccounts; kubectl's `List` names each item's kind itself.
        let inherited = kind == "List" ? nil : (kind: String(kind.dropLast(4)), apiVersion: apiVersion)
        var objects: [KubernetesObject] = []
        if try c.decodeNil(forKey: .items) {
            self.objects = []
            return
        }
        var items = try c.nestedUnkeyedContainer(forKey: .items)
        objects.reserveCapacity(items.count ?? 0)
        while !items.isAtEnd {
            objects.append(try KubernetesObject(from: try items.superDecoder(), inherited: inherited))
        }
        self.objects = objects
    }
}

/// One Kubernetes object: its kind, metadata, and the fields of its kind that say who it runs
/// as, what it grants, or which token it holds. Objects of other kinds keep only their kind.
///
/// A Secret's token is never kept: decoding hashes it (``tokenFingerprint``) and drops it, and no
/// other Secret's `data` is read at all.
struct KubernetesObject {
    var kind: String
    var apiVersion: String?
    /// Nil for kinds Roster does not read (their metadata is not decoded).
    var metadata: KubernetesMetadata?

    // ServiceAccount
    var automountServiceAccountToken: Bool?
    /// Names in the account's `secrets` list: auto-generated (pre-1.24) token Secrets are listed there.
    var secretNames: [String] = []
    // Secret
    var secretType: String?
    /// `kubernetes.service-account-token:sha256:…` of the decoded `data.token`; the token itself is not kept.
    var tokenFingerprint: String?
    // Role, ClusterRole
    var rules: [RBACRule]?
    var aggregationSelectors: [KubernetesLabelSelector]?
    // RoleBinding, ClusterRoleBinding
    var roleRef: RoleRef?
    var subjects: [RBACSubject] = []
    // Pod and workloads: the pod template's spec.
    var podSpec: PodSpec?
    var replicas: Int?
    // ConfigMap (only the legacy token tracking one)
    var trackingSince: String?

    struct RoleRef: Decodable, Hashable {
        var apiGroup: String?
        var kind: String
        var name: String
    }

    struct RBACSubject: Decodable, Hashable {
        var kind: String
        var name: String
        var namespace: String?
        var apiGroup: String?
    }

    struct PodSpec: Decodable, Hashable {
        var serviceAccountName: String?
        /// Deprecated alias of `serviceAccountName`, still honoured by the API server.
        var serviceAccount: String?
        var automountServiceAccountToken: Bool?
        var containers: [Container]?
        var initContainers: [Container]?
        // What Pod Security's baseline level forbids: the host's namespaces, its filesystem, privileged containers.
        var hostPID: Bool?
        var hostNetwork: Bool?
        var hostIPC: Bool?
        var volumes: [Volume]?

        struct Container: Decodable, Hashable {
            var name: String?
            var image: String?
            var securityContext: SecurityContext?
        }

        struct SecurityContext: Decodable, Hashable {
            var privileged: Bool?
        }

        /// Only whether a volume is a `hostPath` (and which path) is read.
        struct Volume: Decodable, Hashable {
            struct HostPath: Decodable, Hashable { var path: String? }
            var hostPath: HostPath?
        }

        /// Whether any container (init containers included) runs privileged.
        var isPrivileged: Bool {
            ((containers ?? []) + (initContainers ?? [])).contains { $0.securityContext?.privileged == true }
        }

        /// The account the pods run as: `serviceAccountName`, else the deprecated `serviceAccount`, else `default`.
        var account: String {
            if let name = serviceAccountName, !name.isEmpty { return name }
            if let name = serviceAccount, !name.isEmpty { return name }
            return "default"
        }
    }

    enum Key: String, CodingKey {
        case kind, apiVersion, metadata, items
        case automountServiceAccountToken, secrets, type, data, rules, aggregationRule, roleRef, subjects, spec
    }

    /// The kinds read, with the API group each must come from (`""` is the core group), so a custom
    /// resource that happens to be called `Role` (Crossplane's, in `iam.aws.crossplane.io`) is not taken for RBAC.
    static let readKinds: [String: Set<String>] = [
        "ServiceAccount": [""], "Secret": [""], "Namespace": [""], "Pod": [""], "ConfigMap": [""], "Node": [""],
        "Role": ["rbac.authorization.k8s.io"], "ClusterRole": ["rbac.authorization.k8s.io"],
        "RoleBinding": ["rbac.authorization.k8s.io"], "ClusterRoleBinding": ["rbac.authorization.k8s.io"],
        "Deployment": ["apps", "extensions"], "DaemonSet": ["apps", "extensions"], "StatefulSet": ["apps"], "ReplicaSet": ["apps", "extensions"],
        "Job": ["batch"], "CronJob": ["batch"], "ReplicationController": [""],
    ]

    /// Workload kinds, whose pod template names the account their pods run as.
    static let workloadKinds: Set<String> = ["Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"]

    var isRead: Bool { metadata != nil }
    var name: String { metadata?.name ?? "" }
    var namespace: String? { metadata?.namespace }

    init(from decoder: any Decoder, inherited: (kind: String, apiVersion: String?)?) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let kind = try c.decodeIfPresent(String.self, forKey: .kind) {
            self.kind = kind
        } else if let inherited {
            self.kind = inherited.kind
        } else {
            throw DecodingError.keyNotFound(Key.kind, .init(codingPath: decoder.codingPath, debugDescription: "every Kubernetes object names its kind"))
        }
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? inherited?.apiVersion
        let group = apiVersion.map { $0.contains("/") ? String($0.split(separator: "/")[0]) : "" }
        guard let groups = Self.readKinds[kind], group.map(groups.contains) ?? true else { return }
        metadata = try c.decode(KubernetesMetadata.self, forKey: .metadata)
        switch kind {
        case "ServiceAccount":
            automountServiceAccountToken = try c.decodeIfPresent(Bool.self, forKey: .automountServiceAccountToken)
            secretNames = try c.decodeIfPresent([NameRef].self, forKey: .secrets)?.compactMap(\.name) ?? []
        case "Secret":
            secretType = try c.decodeIfPresent(String.self, forKey: .type)
            // Only a token Secret's token is looked at, and only to hash it; every other value stays unread.
            if secretType == "kubernetes.io/service-account-token", let data = try c.decodeIfPresent(TokenData.self, forKey: .data),
                let encoded = data.token {
                guard let token = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters), !token.isEmpty else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: decoder.codingPath + [Key.data, TokenData.Key.token], debugDescription: "expected the token in base64, as the API returns it"))
                }
                tokenFingerprint = CredentialFingerprint(.kubernetesServiceAccountToken, bytes: Array(token)).description
            }
        case "Role", "ClusterRole":
            rules = try c.decodeIfPresent([RuleMirror].self, forKey: .rules)?.map(\.rule) ?? []
            aggregationSelectors = try c.decodeIfPresent(AggregationRule.self, forKey: .aggregationRule)?.clusterRoleSelectors
        case "RoleBinding", "ClusterRoleBinding":
            roleRef = try c.decode(RoleRef.self, forKey: .roleRef)
            subjects = try c.decodeIfPresent([RBACSubject].self, forKey: .subjects) ?? []
        case "Pod":
            podSpec = try c.decodeIfPresent(PodSpec.self, forKey: .spec)
        case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "ReplicationController":
            let spec = try c.decodeIfPresent(WorkloadSpec.self, forKey: .spec)
            podSpec = spec?.template?.spec
            replicas = spec?.replicas
        case "CronJob":
            podSpec = try c.decodeIfPresent(CronJobSpec.self, forKey: .spec)?.jobTemplate?.spec?.template?.spec
        case "ConfigMap":
            // Only the API server's record of when it began tracking legacy token use (Kubernetes 1.26+).
            if metadata?.name == "kube-apiserver-legacy-service-account-token-tracking", metadata?.namespace == "kube-system" {
                trackingSince = try c.decodeIfPresent(TrackingData.self, forKey: .data)?.since
            }
        default:
            break
        }
    }

    private struct NameRef: Decodable { var name: String? }

    private struct TokenData: Decodable {
        enum Key: String, CodingKey { case token }
        var token: String?
        init(from decoder: any Decoder) throws {
            token = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: .token)
        }
    }

    private struct TrackingData: Decodable { var since: String? }

    private struct AggregationRule: Decodable { var clusterRoleSelectors: [KubernetesLabelSelector]? }

    private struct WorkloadSpec: Decodable {
        var replicas: Int?
        var template: PodTemplate?
    }

    private struct CronJobSpec: Decodable {
        struct JobTemplate: Decodable { var spec: WorkloadSpec? }
        var jobTemplate: JobTemplate?
    }

    private struct PodTemplate: Decodable { var spec: PodSpec? }

    /// A PolicyRule as the RBAC API writes it; every list may be absent.
    private struct RuleMirror: Decodable {
        var apiGroups: [String]?
        var resources: [String]?
        var verbs: [String]
        var resourceNames: [String]?
        var nonResourceURLs: [String]?

        var rule: RBACRule {
            RBACRule(apiGroups: apiGroups ?? [], resources: resources ?? [], verbs: verbs, resourceNames: resourceNames ?? [], nonResourceURLs: nonResourceURLs ?? [])
        }
    }
}

/// The metadata Roster reads.
struct KubernetesMetadata: Decodable {
    var name: String
    var namespace: String?
    var uid: String?
    var labels: [String: String]
    var annotations: [String: String]
    var creationTimestamp: Date?
    var ownerReferences: [OwnerReference]

    struct OwnerReference: Decodable, Hashable {
        var kind: String
        var name: String
        var controller: Bool?
    }

    enum Key: String, CodingKey { case name, namespace, uid, labels, annotations, creationTimestamp, ownerReferences }

    /// The longest name Kubernetes accepts (a DNS subdomain); anything longer did not come from an API server.
    static let maxNameLength = 253

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        name = try c.decode(String.self, forKey: .name)
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        for (value, key) in [(name, Key.name), (namespace ?? "", Key.namespace)] where value.utf8.count > Self.maxNameLength || value.contains("/") {
            throw DecodingError.dataCorrupted(.init(
                codingPath: c.codingPath + [key],
                debugDescription: value.contains("/")
                    ? "a Kubernetes name cannot contain \"/\""
                    : "a Kubernetes name is at most \(Self.maxNameLength) characters; this one is \(value.utf8.count) bytes"))
        }
        uid = try c.decodeIfPresent(String.self, forKey: .uid)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        if let text = try c.decodeIfPresent(String.self, forKey: .creationTimestamp) {
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [Key.creationTimestamp], debugDescription: "expected an RFC 3339 time such as 2024-03-01T10:15:00Z"))
            }
            creationTimestamp = date
        }
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences) ?? []
    }
}

/// A label selector (`matchLabels`, `matchExpressions`), as aggregated ClusterRoles use them.
struct KubernetesLabelSelector: Decodable, Hashable {
    var matchLabels: [String: String]?
    var matchExpressions: [Expression]?

    struct Expression: Decodable, Hashable {
        var key: String
        var `operator`: String
        var values: [String]?
    }

    /// Whether `labels` satisfy every requirement. An empty selector matches everything, as the API defines;
    /// an operator this build does not know matches nothing.
    func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for expression in matchExpressions ?? [] {
            let value = labels[expression.key]
            let values = expression.values ?? []
            switch expression.operator {
            case "In": if !(value.map(values.contains) ?? false) { return false }
            case "NotIn": if let value, values.contains(value) { return false }
            case "Exists": if value == nil { return false }
            case "DoesNotExist": if value != nil { return false }
            default: return false
            }
        }
        return true
    }
}
