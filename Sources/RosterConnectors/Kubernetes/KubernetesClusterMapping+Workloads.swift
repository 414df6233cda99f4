import Foundation
import RosterModel

/// Workloads and the accounts their pods run as; the cluster and its namespaces.
extension ClusterMapping {
    mutating func addWorkloads() {
        var podsOf: [String: Int] = [:]
        var emitted: [(key: String, object: KubernetesObject)] = []
        for (key, object) in objects.workloads.sorted(by: { $0.key < $1.key }) {
            // A pod (or ReplicaSet, or Job) a listed controller owns and that runs as the controller's account
            // is that controller's: count it there instead of listing every replica.
            if let top = topController(of: object), top.key != key, same(object, as: top.object) {
                if object.kind == "Pod" { podsOf[top.key, default: 0] += 1 }
                continue
            }
            emitted.append((key, object))
        }
        for (key, object) in emitted {
            guard let namespace = object.namespace, let spec = object.podSpec else { continue }
            let account = spec.account
            let accountKey = "\(namespace)/\(account)"
            let (mounted, source) = automount(spec, namespace: namespace, account: account)
            let id = "\(prefix)/\(namespace)/\(object.kind)/\(object.name)"
            var attributes = [
                "namespace": namespace, "serviceAccount": account, "automountServiceAccountToken": mounted ? "true" : "false", "automountFrom": source,
            ]
            let images = (spec.containers ?? []).compactMap(\.image).prefix(3)
            if !images.isEmpty { attributes["images"] = images.joined(separator: ", ") }
            if let pods = podsOf[key] { attributes["pods"] = String(pods) }
            if let replicas = object.replicas { attributes["replicas"] = String(replicas) }
            // What gives the pods their node: each set only when the pod spec asks for it.
            if spec.isPrivileged { attributes["privileged"] = "true" }
            if spec.volumes?.contains(where: { $0.hostPath != nil }) == true { attributes["hostPath"] = "true" }
            if spec.hostPID == true { attributes["hostPID"] = "true" }
            if spec.hostNetwork == true { attributes["hostNetwork"] = "true" }
            if spec.hostIPC == true { attributes["hostIPC"] = "true" }
            estate.resources.append(Resource(
                id: id, provider: .kubernetes, type: "kubernetes.\(object.kind.lowercased())", name: "\(namespace)/\(object.name)", account: name,
                attributes: attributes))
            let target = accountId(namespace, account)
            if !objects.serviceAccounts.isEmpty, !accountIds.contains(target) {
                warnings.append("cluster \(name): \(object.kind) \(namespace)/\(object.name) runs as service account \(accountKey), which the export does not list")
            }
            let mountText = mounted
                ? "its pods get the account's token mounted (\(source))"
                : "its pods do not mount the account's token (\(source))"
            estate.edges.append(Edge(
                from: id, to: target, kind: .kubernetesRunsAs, rule: KubernetesMapper.importRule,
                reason: "\(object.kind) \(namespace)/\(object.name) runs as service account \(accountKey)"
                    + (spec.serviceAccountName == nil && spec.serviceAccount == nil ? " (it names none, so the namespace's default)" : "")
                    + "; \(mountText)",
                conditions: ["automount=\(mounted)"]))
        }
    }

    /// Whether pods mount the account's token: the pod spec's `automountServiceAccountToken` wins over the
    /// account's, and with neither set the token is mounted.
    func automount(_ spec: KubernetesObject.PodSpec, namespace: String, account: String) -> (Bool, String) {
        if let own = spec.automountServiceAccountToken { return (own, "automountServiceAccountToken: \(own) in the pod spec") }
        if let accountSetting = objects.serviceAccounts["\(namespace)/\(account)"]?.automountServiceAccountToken {
            return (accountSetting, "automountServiceAccountToken: \(accountSetting) on the service account")
        }
        return (true, "automountServiceAccountToken set on neither pod nor account, so mounted by default")
    }

    /// The outermost listed controller of an object: a pod's ReplicaSet's Deployment, a Job's CronJob.
    func topController(of object: KubernetesObject) -> (key: String, object: KubernetesObject)? {
        var current = object
        var found: (String, KubernetesObject)?
        for _ in 0..<4 {
            guard let owner = controller(of: current) else { break }
            found = owner
            current = owner.1
        }
        return found
    }

    /// The listed workload that controls an object (its controller owner reference), in its namespace.
    ///
    /// A pod's ReplicaSet may be missing from the export; its name is then the Deployment's followed by the
    /// `pod-template-hash` label, which names the Deployment.
    func controller(of object: KubernetesObject) -> (String, KubernetesObject)? {
        guard let metadata = object.metadata, let namespace = metadata.namespace else { return nil }
        let references = metadata.ownerReferences
        guard let reference = references.first(where: { $0.controller == true }) ?? (references.count == 1 ? references[0] : nil) else { return nil }
        let key = "\(reference.kind) \(namespace)/\(reference.name)"
        if let owner = objects.workloads[key] { return (key, owner) }
        if reference.kind == "ReplicaSet", let hash = metadata.labels["pod-template-hash"], !hash.isEmpty, reference.name.hasSuffix("-" + hash) {
            let deployment = "Deployment \(namespace)/\(reference.name.dropLast(hash.count + 1))"
            if let owner = objects.workloads[deployment] { return (deployment, owner) }
        }
        return nil
    }

    /// Whether two workloads run as the same account with the same token mounting.
    func same(_ a: KubernetesObject, as b: KubernetesObject) -> Bool {
        guard let sa = a.podSpec, let sb = b.podSpec, let namespace = a.namespace else { return a.podSpec == nil && b.podSpec == nil }
        return sa.account == sb.account && automount(sa, namespace: namespace, account: sa.account).0 == automount(sb, namespace: namespace, account: sb.account).0
    }

    // MARK: Cluster and namespaces

    mutating func addClusterResources() {
        var attributes: [String: String] = [
            "podsListed": objects.workloads.keys.contains { $0.hasPrefix("Pod ") } ? "true" : "false",
            "files": objects.files.map { ($0 as NSString).lastPathComponent }.sorted().joined(separator: ", "),
        ]
        if let issuer { attributes["oidcIssuer"] = issuer }
        if objects.nodes > 0 { attributes["nodes"] = String(objects.nodes) }
        if let since = objects.trackingSince { attributes["legacyTokenTrackingSince"] = since.utcDay }
        estate.resources.append(Resource(id: prefix, provider: .kubernetes, type: "kubernetes.cluster", name: name, account: name, attributes: attributes))
        for (namespace, object) in objects.namespaces.sorted(by: { $0.key < $1.key }) {
            var attributes: [String: String] = [:]
            if let environment = EnvironmentName.guess(Self.values(object.metadata, keys: Self.environmentKeys) + [namespace]) {
                attributes["environment"] = environment
            }
            if let owner = Self.values(object.metadata, keys: Self.ownerKeys).compactMap({ $0 }).first { attributes["owner"] = owner }
            // Pod Security Admission's level, as labelled; without the label the admission configuration's
            // default applies (privileged, unless the cluster changed it).
            if let enforce = object.metadata?.labels["pod-security.kubernetes.io/enforce"] {
                attributes["podSecurityEnforce"] = enforce
            }
            estate.resources.append(Resource(
                id: "\(prefix)/Namespace/\(namespace)", provider: .kubernetes, type: "kubernetes.namespace", name: namespace, account: name,
                attributes: attributes))
        }
    }
}
