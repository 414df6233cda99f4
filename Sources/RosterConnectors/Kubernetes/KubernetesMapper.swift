import Foundation
import RosterModel

/// Maps Kubernetes objects to the model: one estate per cluster.
///
/// - Service accounts are identities `kubernetes:<cluster>/<namespace>/<name>`.
/// - Token Secrets (`kubernetes.io/service-account-token`) are their long-lived credentials, fingerprinted, never kept.
/// - Roles and ClusterRoles are policies (aggregated ClusterRoles get the rules of the roles their selectors pick);
///   bindings are grants, scoped to the binding's namespace or to the cluster, to service accounts or to the
///   groups every service account belongs to (`system:serviceaccounts[:<ns>]`, `system:authenticated`).
/// - Workloads are resources with an edge to the account their pods run as; pods a listed controller owns
///   fold into it.
/// - Annotations that federate an account into a cloud identity (IRSA, GKE and Azure workload identity)
///   become claims the cross-system pass resolves.
struct KubernetesMapper {
    let asOf: Date?
    var newestFileDate: Date?
    private(set) var warnings: [String] = []
    private var clusters: [String: ClusterObjects] = [:]
    private var issuers: [String: (issuer: String, path: String)] = [:]

    init(asOf: Date?) {
        self.asOf = asOf
    }

    /// What one cluster's files hold, each object keyed by namespace and name so a repeated object
    /// (two overlapping exports) is taken once, the last one read winning.
    struct ClusterObjects {
        var serviceAccounts: [String: KubernetesObject] = [:]
        var secrets: [String: KubernetesObject] = [:]
        var namespaces: [String: KubernetesObject] = [:]
        var roles: [String: KubernetesObject] = [:]
        var clusterRoles: [String: KubernetesObject] = [:]
        var roleBindings: [String: KubernetesObject] = [:]
        var clusterRoleBindings: [String: KubernetesObject] = [:]
        /// Workloads by kind and namespaced name (`Deployment payments/api`).
        var workloads: [String: KubernetesObject] = [:]
        var nodes = 0
        var trackingSince: Date?
        var files: Set<String> = []
        var newest: (date: Date, what: String)?
    }

    static let clusterScopedKinds: Set<String> = ["Namespace", "ClusterRole", "ClusterRoleBinding", "Node"]

    /// The annotation (or label) that assigns an object to a cluster whatever file it is in.
    static let clusterHintKey = "roster.io/cluster"

    // MARK: Reading

    mutating func add(_ documents: [KubernetesDocument], path: String) throws {
        let fileCluster = Self.clusterName(documents: documents, path: path)
        var unread: [String: Int] = [:]
        var defaulted = 0
        for document in documents {
            for var object in document.objects {
                guard var metadata = object.metadata else {
                    unread[object.kind, default: 0] += 1
                    continue
                }
                let hint = metadata.annotations[Self.clusterHintKey] ?? metadata.labels[Self.clusterHintKey]
                let cluster = hint.flatMap(Self.validClusterName) ?? fileCluster
                if let hint, Self.validClusterName(hint) == nil {
                    warnings.append("\(path): \(object.kind) \(Self.qualified(object)): \(Self.clusterHintKey) \"\(hint.prefix(80))\" is not a usable cluster name; using \(fileCluster)")
                }
                if metadata.namespace == nil, !Self.clusterScopedKinds.contains(object.kind) {
                    // A manifest without a namespace is applied to the one kubectl is pointed at, usually `default`.
                    metadata.namespace = "default"
                    object.metadata = metadata
                    defaulted += 1
                }
                add(object, cluster: cluster, path: path)
            }
        }
        if defaulted > 0 {
            warnings.append("\(path): \(defaulted) namespaced object\(defaulted == 1 ? "" : "s") name no namespace; taken to be in \"default\", where kubectl applies them without -n")
        }
        if !unread.isEmpty, documents.allSatisfy({ $0.objects.allSatisfy { !$0.isRead } }) {
            warnings.append("\(path): holds no objects Roster reads (only \(unread.keys.sorted().prefix(6).joined(separator: ", ")))")
        }
    }

    private mutating func add(_ object: KubernetesObject, cluster: String, path: String) {
        // Taken out and put back, so the dictionary holds no second reference and nothing is copied per object.
        var objects = clusters.removeValue(forKey: cluster) ?? ClusterObjects()
        objects.files.insert(path)
        let key = Self.qualified(object)
        if let created = object.metadata?.creationTimestamp, created > (objects.newest?.date ?? .distantPast) {
            objects.newest = (created, "creationTimestamp of \(object.kind) \(key)")
        }
        switch object.kind {
        case "ServiceAccount": objects.serviceAccounts[key] = object
        case "Secret":
            // Only token Secrets matter; others are not kept at all (not even their names).
            if object.secretType == "kubernetes.io/service-account-token" {
                objects.secrets[key] = object
                if let used = object.metadata?.labels[Self.lastUsedLabel].flatMap(Self.day), used > (objects.newest?.date ?? .distantPast) {
                    objects.newest = (used, "\(Self.lastUsedLabel) of Secret \(key)")
                }
            }
        case "Namespace": objects.namespaces[object.name] = object
        case "Role": objects.roles[key] = object
        case "ClusterRole": objects.clusterRoles[object.name] = object
        case "RoleBinding": objects.roleBindings[key] = object
        case "ClusterRoleBinding": objects.clusterRoleBindings[object.name] = object
        case "Node": objects.nodes += 1
        case "ConfigMap":
            if let since = object.trackingSince.flatMap(Self.day) { objects.trackingSince = since }
        default:
            if KubernetesObject.workloadKinds.contains(object.kind) { objects.workloads["\(object.kind) \(key)"] = object }
        }
        clusters[cluster] = objects
    }

    mutating func addIssuer(_ issuer: String?, cluster: String, path: String) {
        guard let issuer, !issuer.isEmpty else {
            warnings.append("\(path): cluster \(cluster) has no OIDC issuer (IRSA / workload identity is not enabled); federation claims carry no iss")
            return
        }
        guard let name = Self.validClusterName(cluster) else {
            warnings.append("\(path): \"\(cluster.prefix(80))\" is not a usable cluster name; its issuer is not used")
            return
        }
        issuers[name] = (issuer, path)
    }

    // MARK: Cluster names

    /// The cluster a file's objects belong to, unless an object says otherwise.
    ///
    /// A single list holding objects of several kinds is what `kubectl get a,b,c -A -o json > prod-eks.json`
    /// writes: a whole cluster, named after the file. Anything else (manifests, a list of one kind, several
    /// documents) is a part of a cluster whose files share a folder, named after the folder.
    static func clusterName(documents: [KubernetesDocument], path: String) -> String {
        if documents.count == 1, documents[0].listKind != nil, Set(documents[0].objects.map(\.kind)).count > 1 {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            if let name = validClusterName(stem) { return name }
        }
        return folderName(of: path)
    }

    /// The name of the folder holding `path` (the working directory's for a bare file name).
    static func folderName(of path: String) -> String {
        var folder = (path as NSString).deletingLastPathComponent
        if folder.isEmpty || folder == "." { folder = FileManager.default.currentDirectoryPath }
        let name = ((folder as NSString).standardizingPath as NSString).lastPathComponent
        return validClusterName(name) ?? "cluster"
    }

    /// A name usable in ids: non-empty, no `/` or spaces, at most 253 characters.
    static func validClusterName(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253, trimmed != ".", trimmed != "..", trimmed != "/",
            !trimmed.contains(where: { $0 == "/" || $0.isWhitespace || $0.isNewline })
        else { return nil }
        return trimmed
    }

    static func qualified(_ object: KubernetesObject) -> String {
        object.namespace.map { "\($0)/\(object.name)" } ?? object.name
    }

    // MARK: Mapping

    mutating func map() -> [Estate] {
        for (name, issuer) in issuers.sorted(by: { $0.key < $1.key }) where clusters[name] == nil {
            warnings.append("\(issuer.path): describes cluster \(name), but no Kubernetes objects of that cluster were imported")
        }
        var estates: [Estate] = []
        for (name, objects) in clusters.sorted(by: { $0.key < $1.key }) {
            var cluster = ClusterMapping(name: name, objects: objects, issuer: issuers[name]?.issuer)
            let estate = cluster.map(observedAt: observationTime(cluster: name, objects: objects))
            warnings += cluster.warnings
            if estate.identities.isEmpty && estate.policies.isEmpty && estate.resources.count <= 1 {
                warnings.append("cluster \(name): nothing Roster reads (no service accounts, roles, bindings or workloads); no snapshot")
                continue
            }
            estates.append(estate)
        }
        return estates
    }

    /// `--as-of`, else the newest timestamp in the cluster's data (it was taken no earlier), else the files' modification time.
    private mutating func observationTime(cluster: String, objects: ClusterObjects) -> Date {
        if let asOf { return asOf }
        if let (date, what) = objects.newest {
            warnings.append("cluster \(cluster): observation time \(Self.iso(date)) taken from the newest timestamp in the data (\(what)); pass --as-of to override")
            return date
        }
        if let modified = newestFileDate {
            warnings.append("cluster \(cluster): observation time \(Self.iso(modified)) taken from the files' modification time (the data holds no timestamp); pass --as-of to override")
            return modified
        }
        return Date()
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// A `YYYY-MM-DD` label value as the API server writes it, as midnight UTC.
    static func day(_ text: String) -> Date? {
        text.count == 10 ? Timestamp.parse(text) : nil
    }

    static let lastUsedLabel = "kubernetes.io/legacy-token-last-used"
    static let invalidSinceLabel = "kubernetes.io/legacy-token-invalid-since"
    static let importRule = "kubernetes.import"
}
