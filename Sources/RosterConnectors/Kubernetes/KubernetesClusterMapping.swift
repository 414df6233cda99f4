import Foundation
import RosterModel

/// One cluster's objects, mapped to one estate (scope `kubernetes:<cluster>`).
struct ClusterMapping {
    let name: String
    let objects: KubernetesMapper.ClusterObjects
    let issuer: String?
    var warnings: [String] = []
    var estate: Estate
    /// Ids of the service accounts, for grants and edges that name one.
    var accountIds: Set<String> = []
    /// Namespaced names of kube-system accounts the Kubernetes distribution manages, with who manages them.
    var managed: [String: String] = [:]

    init(name: String, objects: KubernetesMapper.ClusterObjects, issuer: String?) {
        self.name = name
        self.objects = objects
        self.issuer = issuer
        self.estate = Estate(observedAt: Date(timeIntervalSince1970: 0), scope: "kubernetes:\(name)")
    }

    var prefix: String { "kubernetes:\(name)" }
    func accountId(_ namespace: String, _ account: String) -> String { "\(prefix)/\(namespace)/\(account)" }

    mutating func map(observedAt: Date) -> Estate {
        estate.observedAt = observedAt
        managed = managedAccounts()
        addServiceAccounts()
        addTokens()
        addRBAC()
        addWorkloads()
        addClusterResources()
        // A binding may list a subject twice; the same fact is one edge.
        estate.edges = Array(Set(estate.edges))
        return estate.sorted()
    }

    // MARK: Service accounts

    /// Accounts in kube-system that the distribution creates and binds: the controller-manager's
    /// controllers and the add-ons. Found by the bindings the default policy made for them
    /// (`system:controller:…`, labelled `kubernetes.io/bootstrapping=rbac-defaults`; `eks:`, `kubeadm:`, `gke:`…)
    /// or, for manifests without those bindings, by the controllers' documented names.
    func managedAccounts() -> [String: String] {
        var out: [String: String] = [:]
        let bindings = objects.clusterRoleBindings.values.map { $0 } + objects.roleBindings.values.map { $0 }
        for binding in bindings {
            guard let owner = Self.distribution(ofBinding: binding) else { continue }
            for subject in binding.subjects where subject.kind == "ServiceAccount" {
                let namespace = subject.namespace ?? binding.namespace ?? ""
                if Self.systemNamespaces.contains(namespace) { out["\(namespace)/\(subject.name)"] = owner }
            }
        }
        for (key, account) in objects.serviceAccounts where account.namespace == "kube-system" {
            if Self.controllerAccounts.contains(account.name) || account.metadata?.labels["addonmanager.kubernetes.io/mode"] != nil {
                out[key] = out[key] ?? "kubernetes"
            }
        }
        for namespace in Self.systemNamespaces { out["\(namespace)/default"] = out["\(namespace)/default"] ?? "kubernetes" }
        return out
    }

    /// Who made a binding, when the distribution did.
    static func distribution(ofBinding binding: KubernetesObject) -> String? {
        let name = binding.name
        if binding.metadata?.labels["kubernetes.io/bootstrapping"] == "rbac-defaults" || name.hasPrefix("system:") { return "kubernetes" }
        for (prefix, owner) in [("eks:", "eks"), ("kubeadm:", "kubeadm"), ("gke:", "gke"), ("gce:", "gke")] where name.hasPrefix(prefix) { return owner }
        return nil
    }

    static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease"]

    /// The service accounts kube-controller-manager's controllers use (`--use-service-account-credentials`).
    static let controllerAccounts: Set<String> = [
        "attachdetach-controller", "bootstrap-signer", "certificate-controller", "clusterrole-aggregation-controller", "cronjob-controller",
        "daemon-set-controller", "deployment-controller", "disruption-controller", "endpoint-controller", "endpointslice-controller",
        "endpointslicemirroring-controller", "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector",
        "horizontal-pod-autoscaler", "job-controller", "legacy-service-account-token-cleaner", "namespace-controller", "node-controller",
        "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller", "replicaset-controller",
        "replication-controller", "resourcequota-controller", "root-ca-cert-publisher", "route-controller", "service-account-controller",
        "service-cidrs-controller", "service-controller", "statefulset-controller", "token-cleaner", "ttl-after-finished-controller",
        "ttl-controller", "validatingadmissionpolicy-status-controller", "kube-proxy", "coredns",
    ]

    mutating func addServiceAccounts() {
        for (key, account) in objects.serviceAccounts.sorted(by: { $0.key < $1.key }) {
            guard let metadata = account.metadata, let namespace = metadata.namespace else {
                warnings.append("cluster \(name): ServiceAccount \(account.name) has no namespace; skipped")
                continue
            }
            let id = accountId(namespace, account.name)
            accountIds.insert(id)
            let namespaceMeta = objects.namespaces[namespace]?.metadata
            let tags = Self.tags(metadata)
            let managedBy = managed[key]
            let reason: String
            if let managedBy {
                reason = managedBy == "kubernetes" && account.name == "default"
                    ? "the default service account of a system namespace, which Kubernetes creates"
                    : "a service account of the cluster's own components in \(namespace), made and bound by \(managedBy)"
            } else if account.name == "default" {
                reason = "the default service account of namespace \(namespace): Kubernetes creates it, and every pod that names no account runs as it"
            } else {
                reason = "a Kubernetes service account: pods that run as it authenticate to the API server with its tokens"
            }
            let environment = EnvironmentName.guess(
                Self.values(metadata, keys: Self.environmentKeys) + Self.values(namespaceMeta, keys: Self.environmentKeys) + [namespace, name])
            let owner = (Self.values(metadata, keys: Self.ownerKeys) + Self.values(namespaceMeta, keys: Self.ownerKeys)).compactMap { $0 }.first
            estate.identities.append(Identity(
                id: id, provider: .kubernetes, kind: .kubernetesServiceAccount, name: key, nativeId: metadata.uid, account: name,
                path: namespace, environment: environment, owner: owner, tags: tags, createdAt: metadata.creationTimestamp,
                usageTracked: false, nature: .machine, natureReason: reason, managedBy: managedBy))
            addFederation(account, id: id, namespace: namespace)
        }
    }

    /// Cloud identities the account's annotations federate it into.
    mutating func addFederation(_ account: KubernetesObject, id: String, namespace: String) {
        let annotations = account.metadata?.annotations ?? [:]
        let key = "\(namespace)/\(account.name)"
        let subject = "sub=system:serviceaccount:\(namespace):\(account.name)"
        let iss = issuer.map { ["iss=\($0)"] } ?? []
        if let arn = annotations["eks.amazonaws.com/role-arn"]?.trimmingCharacters(in: .whitespaces), !arn.isEmpty {
            if Self.isRoleARN(arn) {
                let audience = annotations["eks.amazonaws.com/audience"] ?? "sts.amazonaws.com"
                estate.edges.append(Edge(
                    from: id, to: arn, kind: .canAssume, rule: KubernetesMapper.importRule,
                    reason: "service account \(key) in cluster \(name) is annotated eks.amazonaws.com/role-arn: pods that run as it get "
                        + "web identity tokens for \(arn) (IRSA)",
                    conditions: iss + [subject, "aud=\(audience)"]))
            } else {
                warnings.append("cluster \(name): ServiceAccount \(key): eks.amazonaws.com/role-arn \"\(arn.prefix(120))\" is not an IAM role ARN; ignored")
            }
        }
        if let email = annotations["iam.gke.io/gcp-service-account"]?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            if email.contains("@"), !email.contains(where: \.isWhitespace) {
                estate.edges.append(Edge(
                    from: id, to: "gcp:serviceAccount:\(email)", kind: .actsAs, rule: KubernetesMapper.importRule,
                    reason: "service account \(key) in cluster \(name) is annotated iam.gke.io/gcp-service-account: with GKE Workload Identity "
                        + "its pods act as \(email), if that account lets \(namespace)/\(account.name) impersonate it",
                    conditions: ["ksa=\(namespace)/\(account.name)"]))
            } else {
                warnings.append("cluster \(name): ServiceAccount \(key): iam.gke.io/gcp-service-account \"\(email.prefix(120))\" is not an email; ignored")
            }
        }
        if let client = annotations["azure.workload.identity/client-id"]?.trimmingCharacters(in: .whitespaces), !client.isEmpty {
            if UUID(uuidString: client) != nil {
                estate.edges.append(Edge(
                    from: id, to: "azure:appId:\(client.lowercased())", kind: .canAssume, rule: KubernetesMapper.importRule,
                    reason: "service account \(key) in cluster \(name) is annotated azure.workload.identity/client-id: pods that run as it "
                        + "(labelled azure.workload.identity/use) exchange its tokens for the Entra application \(client.lowercased())",
                    conditions: iss + [subject, "aud=api://AzureADTokenExchange"]))
            } else {
                warnings.append("cluster \(name): ServiceAccount \(key): azure.workload.identity/client-id \"\(client.prefix(80))\" is not a client id (GUID); ignored")
            }
        }
    }

    /// `arn:<partition>:iam::<12 digits>:role/<path and name>`.
    static func isRoleARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy(\.isNumber), parts[5].hasPrefix("role/"), parts[5].count > 5
        else { return false }
        return !text.contains(where: \.isWhitespace)
    }

    // MARK: Tokens

    mutating func addTokens() {
        for (key, secret) in objects.secrets.sorted(by: { $0.key < $1.key }) {
            guard let metadata = secret.metadata, let namespace = metadata.namespace else { continue }
            guard let accountName = metadata.annotations["kubernetes.io/service-account.name"], !accountName.isEmpty else {
                warnings.append("cluster \(name): token Secret \(key) names no service account (annotation kubernetes.io/service-account.name); skipped")
                continue
            }
            let identity = accountId(namespace, accountName)
            if !objects.serviceAccounts.isEmpty, !accountIds.contains(identity) {
                warnings.append("cluster \(name): token Secret \(key) belongs to service account \(namespace)/\(accountName), which the export does not list")
            }
            let labels = metadata.labels
            let lastUsed = labels[KubernetesMapper.lastUsedLabel].flatMap(KubernetesMapper.day)
            let invalidSince = labels[KubernetesMapper.invalidSinceLabel].flatMap(KubernetesMapper.day)
            // Use is recorded since the API server began tracking (1.26+): a label says when, and a token created
            // after tracking began without one was never used. Otherwise nothing is known.
            let tracked = lastUsed != nil || (objects.trackingSince.map { since in metadata.creationTimestamp.map { $0 >= since } ?? false } ?? false)
            estate.credentials.append(Credential(
                id: "\(prefix)/\(namespace)/Secret/\(secret.name)", identityId: identity, kind: .kubernetesServiceAccountToken,
                status: invalidSince == nil ? .active : .inactive, createdAt: metadata.creationTimestamp, lastUsedAt: lastUsed,
                lastUsedDetail: lastUsed == nil ? nil : "API server's \(KubernetesMapper.lastUsedLabel) label (day precision)",
                usageTracked: tracked, fingerprint: secret.tokenFingerprint, preview: "Secret \(key)"))
        }
        // An account's last use is its tokens' (the only use Kubernetes records); it stays untracked, since a pod's
        // projected tokens leave no trace, so nothing reads "never used" into an account without one.
        var position: [String: Int] = [:]
        for (index, identity) in estate.identities.enumerated() { position[identity.id] = index }
        for credential in estate.credentials {
            guard let used = credential.lastUsedAt, let index = position[credential.identityId] else { continue }
            if used > (estate.identities[index].lastUsedAt ?? .distantPast) {
                estate.identities[index].lastUsedAt = used
                estate.identities[index].lastUsedDetail = "token \(credential.preview ?? credential.id)"
            }
        }
    }

    // MARK: Helpers

    static let environmentKeys = ["environment", "env"]
    static let ownerKeys = ["owner", "team", "owner-team", "contact", "maintainer", "owned-by"]

    /// Values of labels and then annotations whose key, after any `prefix/`, is one of `keys` (case-insensitive).
    static func values(_ metadata: KubernetesMetadata?, keys: [String]) -> [String?] {
        guard let metadata else { return [] }
        var out: [String?] = []
        for source in [metadata.labels, metadata.annotations] {
            for (key, value) in source.sorted(by: { $0.key < $1.key }) {
                let short = key.split(separator: "/").last.map { $0.lowercased() } ?? ""
                if keys.contains(short), !value.trimmingCharacters(in: .whitespaces).isEmpty { out.append(value) }
            }
        }
        return out
    }

    /// Labels and annotations, without what must not or need not be kept: `kubectl apply`'s
    /// last-applied-configuration (a full copy of the object, a Secret's values included) and values over 1 KiB.
    static func tags(_ metadata: KubernetesMetadata) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in metadata.labels.merging(metadata.annotations, uniquingKeysWith: { label, _ in label })
        where key != "kubectl.kubernetes.io/last-applied-configuration" && value.utf8.count <= 1024 && key.utf8.count <= 317 {
            out[key] = value
        }
        return out
    }
}
