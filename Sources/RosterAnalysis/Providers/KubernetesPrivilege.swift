public import RosterModel

extension PrivilegeEvaluators {
    /// Kubernetes: judges a service account's RBAC bindings (its own and its groups') as the RBAC authorizer
    /// reads them (see ``KubernetesRBAC``).
    public static let kubernetes = PrivilegeEvaluator(provider: .kubernetes) { identity, _, index in
        KubernetesRBAC.access(of: identity, in: index).assessment
    }
}

/// What a Kubernetes service account may do through RBAC, in Kubernetes' own terms.
///
/// - `admin`: every verb on every resource across the cluster (`cluster-admin`), or a right the Kubernetes
///   documentation ("RBAC good practices") names as a path to it when held cluster-wide (or in kube-system,
///   whose accounts include the controllers): `escalate`/`bind` on roles, `impersonate`, creating pods or
///   workloads, exec into pods, reading Secrets, minting tokens, the kubelet's API (`nodes/proxy`),
///   admission webhooks, approving certificates.
/// - `write`: any other verb that changes something (full control of one namespace is `write`, with evidence).
/// - `read`: only `get`, `list`, `watch`.
/// - `none`: no bindings beyond what every authenticated caller has (discovery, self-reviews).
/// A binding to a role the export does not hold makes the level `unknown`, unless what is known is already admin.
public enum KubernetesRBAC {
    /// One binding that applies to the account, with its rules.
    public struct Binding: Sendable, Hashable {
        public var policyId: String
        /// `ClusterRole cluster-admin`, or the id when the export does not hold it.
        public var policyName: String
        public var rules: [RBACRule]?
        /// Nil for cluster-wide, else the namespace.
        public var namespace: String?
        /// The group the account holds it through (`system:serviceaccounts:payments`), nil when bound directly.
        public var group: String?
        /// The RoleBindings and ClusterRoleBindings that make it (`ClusterRoleBinding ci-deployer`), when the estate names them.
        public var madeBy: [String] = []
        /// Who made those bindings when the Kubernetes distribution did (`kubernetes`, `eks`…): the default policy's
        /// bindings of controllers and add-ons, which are the platform's, not the customer's.
        public var distribution: String?

        /// "ClusterRole cluster-admin across the cluster" / "Role payments/deployer in namespace payments, through group …".
        public var description: String {
            policyName + (namespace.map { " in namespace \($0)" } ?? " across the cluster") + (group.map { ", through group \($0)" } ?? "")
                + (madeBy.isEmpty ? "" : ", bound by " + madeBy.prefix(3).joined(separator: ", "))
        }
    }

    /// The verdict and the facts behind it.
    public struct Access: Sendable {
        public var bindings: [Binding]
        /// Every verb on every resource across the cluster.
        public var clusterAdmin: [String] = []
        /// Every verb on every resource within one namespace.
        public var namespaceAdmin: [String] = []
        /// Rights that lead to cluster admin, as sentences.
        public var escalation: [String] = []
        /// Rights worth naming that stay within a namespace (exec, Secrets, running pods as other accounts).
        public var namespaced: [String] = []
        public var writes: [String] = []
        public var reads: [String] = []
        public var missing: [String] = []

        public var level: PrivilegeLevel {
            if !clusterAdmin.isEmpty || !escalation.isEmpty { return .admin }
            if !missing.isEmpty { return .unknown }
            if !namespaceAdmin.isEmpty || !namespaced.isEmpty || !writes.isEmpty { return .write }
            return reads.isEmpty ? .none : .read
        }

        /// Whether the account holds any right beyond what every authenticated caller has (or one that cannot be judged).
        public var hasRights: Bool { level != .none }

        /// Whether any right comes from a binding made to the account itself rather than to a group.
        public var directBindings: [Binding] { bindings.filter { $0.group == nil } }

        public var assessment: PrivilegeAssessment {
            var evidence = clusterAdmin + escalation + namespaceAdmin + namespaced
            if evidence.isEmpty { evidence = Array((writes + reads).prefix(3)) }
            evidence += missing.map { "\($0) is bound but not in the export; what it grants is unknown" }
            if bindings.isEmpty { evidence = ["no RBAC bindings"] } else if evidence.isEmpty {
                evidence = ["only what every authenticated caller may do (API discovery, reviewing its own access)"]
            }
            return PrivilegeAssessment(level: level, evidence: evidence, conditional: false, missingPolicies: missing)
        }
    }

    /// Every binding that applies to the identity (its own, and those of the groups it is a member of), judged.
    public static func access(of identity: Identity, in index: EstateIndex) -> Access {
        var bindings: [Binding] = []
        func add(_ subject: String, group: String?) {
            // The binding objects behind each (role, namespace) pair, from the edges the connector states.
            var makers: [String: (names: [String], distributions: [String?])] = [:]
            for edge in index.bindingsTo[subject] ?? [] {
                guard let binding = index.resourcesById[edge.from], let policyId = binding.attributes["policyId"] else { continue }
                let key = policyId + "\u{1F}" + (binding.attributes["namespace"] ?? "")
                let kind = binding.type == "kubernetes.clusterrolebinding" ? "ClusterRoleBinding" : "RoleBinding"
                makers[key, default: ([], [])].names.append("\(kind) \(binding.name)")
                makers[key]!.distributions.append(binding.attributes["managedBy"])
            }
            for grant in index.grantsBySubject[subject] ?? [] where grant.via == .binding {
                let policy = index.policiesById[grant.policyId]
                var rules: [RBACRule]?
                if case .kubernetesRBAC(let list)? = policy?.body { rules = list }
                let namespace = grant.scope?.kind == .namespace ? grant.scope?.id : nil
                let made = makers[grant.policyId + "\u{1F}" + (namespace ?? "")]
                // Only when every binding that makes it is the distribution's is the right the platform's own.
                let distributions = made?.distributions ?? []
                let distribution = !distributions.isEmpty && distributions.allSatisfy { $0 != nil } ? distributions[0] : nil
                bindings.append(Binding(
                    policyId: grant.policyId, policyName: policy?.name ?? grant.policyId, rules: rules, namespace: namespace, group: group,
                    madeBy: (made?.names ?? []).sorted(), distribution: distribution))
            }
        }
        add(identity.id, group: nil)
        for group in index.groupsByMember[identity.id] ?? [] {
            add(group, group: index.resourcesById[group]?.name ?? group)
        }
        return judge(Array(Set(bindings)).sorted { $0.description < $1.description })
    }

    /// The same judgement over the bindings the customer made, leaving out the distribution's own
    /// (the controllers' and add-ons' default bindings): what detectors hold the customer to.
    public static func customerAccess(of identity: Identity, in index: EstateIndex) -> Access {
        judge(access(of: identity, in: index).bindings.filter { $0.distribution == nil })
    }

    /// Judges bindings (see the type's summary for the levels).
    public static func judge(_ bindings: [Binding]) -> Access {
        var access = Access(bindings: bindings)
        for binding in bindings {
            guard let rules = binding.rules else {
                access.missing.append(binding.policyName)
                continue
            }
            let place = binding.namespace.map { "in namespace \($0)" } ?? "across the cluster"
            let via = "(\(binding.description))"
            // kube-system holds the controllers' accounts, so running as its accounts is running as the controllers.
            let wide = binding.namespace == nil || binding.namespace == "kube-system"
            let resourceRules = rules.filter { !$0.resources.isEmpty }
            if resourceRules.contains(where: { $0.verbs.contains("*") && $0.resources.contains("*") && $0.apiGroups.contains("*") && $0.resourceNames.isEmpty }) {
                // Everything else the binding grants is included in this; naming it again would only repeat it.
                switch binding.namespace {
                case nil: access.clusterAdmin.append("every verb on every resource across the cluster \(via)")
                case "kube-system"?:
                    access.escalation.append("every verb on every resource in namespace kube-system: it can act as the controllers' accounts there \(via)")
                case let namespace?: access.namespaceAdmin.append("every verb on every resource in namespace \(namespace) \(via)")
                }
                continue
            }
            for check in escalationChecks where resourceRules.contains(where: { check.matches($0) }) {
                if wide {
                    access.escalation.append("\(check.what) \(place): \(check.leadsTo) \(via)")
                } else if check.namespaced {
                    access.namespaced.append("\(check.what) \(place) \(via)")
                }
            }
            for rule in resourceRules where !isBaseline(rule) {
                let text = "\(rule.verbs.joined(separator: ", ")) on \(rule.resources.prefix(4).joined(separator: ", "))\(rule.resources.count > 4 ? "…" : "") \(place) \(via)"
                if rule.verbs.contains(where: { !readVerbs.contains($0) }) { access.writes.append(text) } else { access.reads.append(text) }
            }
        }
        return access
    }

    static let readVerbs: Set<String> = ["get", "list", "watch"]

    /// What every authenticated caller may do under the default policy: review its own access.
    static func isBaseline(_ rule: RBACRule) -> Bool {
        let baseline: Set<String> = ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]
        return !rule.resources.isEmpty && rule.resources.allSatisfy { baseline.contains($0) } && rule.verbs.allSatisfy { $0 == "create" }
    }

    /// A right that leads to cluster admin when held cluster-wide.
    struct EscalationCheck: Sendable {
        var what: String
        var leadsTo: String
        var verbs: Set<String>
        var group: String
        var resources: [String]
        /// Whether it is worth naming when held in one namespace only.
        var namespaced: Bool

        func matches(_ rule: RBACRule) -> Bool {
            guard rule.resourceNames.isEmpty, rule.apiGroups.contains("*") || rule.apiGroups.contains(group) else { return false }
            guard rule.verbs.contains("*") || !verbs.isDisjoint(with: rule.verbs) else { return false }
            return resources.contains { resource in KubernetesRBAC.rule(rule, covers: resource) }
        }
    }

    /// Whether a rule's resources name `resource` (`pods`, or a subresource `pods/exec`): `*`, the name, `pods/*`, `*/exec`.
    static func rule(_ rule: RBACRule, covers resource: String) -> Bool {
        let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
        return rule.resources.contains { pattern in
            pattern == "*" || pattern == resource || (parts.count == 2 && (pattern == "\(parts[0])/*" || pattern == "*/\(parts[1])"))
        }
    }

    static let workloads = ["pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs", "replicationcontrollers"]

    static let escalationChecks: [EscalationCheck] = [
        EscalationCheck(
            what: "may escalate or bind roles", leadsTo: "it can grant itself any role, cluster-admin included",
            verbs: ["escalate", "bind"], group: "rbac.authorization.k8s.io", resources: ["clusterroles", "roles"], namespaced: true),
        EscalationCheck(
            what: "may impersonate users, groups or service accounts", leadsTo: "it can act as group system:masters or any controller",
            verbs: ["impersonate"], group: "", resources: ["users", "groups", "serviceaccounts"], namespaced: true),
        EscalationCheck(
            what: "may create pods", leadsTo: "it can run pods as any service account, the kube-system controllers included, and mount host paths unless admission forbids it",
            verbs: ["create"], group: "", resources: ["pods", "replicationcontrollers"], namespaced: true),
        EscalationCheck(
            what: "may create workloads", leadsTo: "their pods can run as any service account, the kube-system controllers included",
            verbs: ["create", "update", "patch"], group: "apps", resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], namespaced: true),
        EscalationCheck(
            what: "may create jobs", leadsTo: "their pods can run as any service account, the kube-system controllers included",
            verbs: ["create", "update", "patch"], group: "batch", resources: ["jobs", "cronjobs"], namespaced: true),
        EscalationCheck(
            what: "may exec into or attach to pods", leadsTo: "it can run commands with any pod's service account token",
            verbs: ["create"], group: "", resources: ["pods/exec", "pods/attach"], namespaced: true),
        EscalationCheck(
            what: "may read Secrets", leadsTo: "it can read every Secret, the service account tokens included",
            verbs: ["get", "list", "watch"], group: "", resources: ["secrets"], namespaced: true),
        EscalationCheck(
            what: "may mint service account tokens", leadsTo: "it can get a token for any service account",
            verbs: ["create"], group: "", resources: ["serviceaccounts/token"], namespaced: true),
        EscalationCheck(
            what: "may use the kubelet API (nodes/proxy)", leadsTo: "it can run commands in any pod on any node",
            verbs: ["get", "create"], group: "", resources: ["nodes/proxy"], namespaced: false),
        EscalationCheck(
            what: "may change admission webhooks", leadsTo: "it can intercept and rewrite every object written to the cluster",
            verbs: ["create", "update", "patch"], group: "admissionregistration.k8s.io",
            resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], namespaced: false),
        EscalationCheck(
            what: "may approve certificate requests", leadsTo: "it can issue client certificates for any user or group, system:masters included",
            verbs: ["approve"], group: "certificates.k8s.io", resources: ["signers"], namespaced: false),
    ]
}
