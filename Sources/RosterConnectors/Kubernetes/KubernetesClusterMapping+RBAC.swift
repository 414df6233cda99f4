import Foundation
import RosterModel

/// Roles, ClusterRoles and their bindings, as policies and grants.
extension ClusterMapping {
    func clusterRoleId(_ role: String) -> String { "\(prefix)/ClusterRole/\(role)" }
    func roleId(_ namespace: String, _ role: String) -> String { "\(prefix)/\(namespace)/Role/\(role)" }
    func groupId(_ group: String) -> String { "\(prefix)/Group/\(group)" }

    mutating func addRBAC() {
        var policies: [String: Policy] = [:]
        for (role, rules) in aggregatedClusterRoleRules() {
            let object = objects.clusterRoles[role]
            policies[clusterRoleId(role)] = Policy(
                id: clusterRoleId(role), name: "ClusterRole \(role)", provider: .kubernetes,
                kind: Self.isDefaultRole(role, object) ? .providerManaged : .customerManaged, body: .kubernetesRBAC(rules))
        }
        for (key, role) in objects.roles {
            guard let namespace = role.namespace else { continue }
            policies[roleId(namespace, role.name)] = Policy(
                id: roleId(namespace, role.name), name: "Role \(key)", provider: .kubernetes,
                kind: Self.isDefaultRole(role.name, role) ? .providerManaged : .customerManaged, body: .kubernetesRBAC(role.rules ?? []))
        }

        var grants: Set<Grant> = []
        var groups: Set<String> = []
        var missingAccounts: Set<String> = []
        let bindings = objects.clusterRoleBindings.sorted { $0.key < $1.key }.map { $0.value }
            + objects.roleBindings.sorted { $0.key < $1.key }.map { $0.value }
        for binding in bindings {
            guard let roleRef = binding.roleRef else { continue }
            let namespace = binding.kind == "RoleBinding" ? binding.namespace : nil
            if binding.kind == "RoleBinding", namespace == nil {
                warnings.append("cluster \(name): RoleBinding \(binding.name) has no namespace; skipped")
                continue
            }
            let bindingId = namespace.map { "\(prefix)/\($0)/RoleBinding/\(binding.name)" } ?? "\(prefix)/ClusterRoleBinding/\(binding.name)"
            let bindingName = "\(binding.kind) \(KubernetesMapper.qualified(binding))"
            let policyId: String
            switch (roleRef.kind, namespace) {
            case ("ClusterRole", _): policyId = clusterRoleId(roleRef.name)
            case ("Role", let namespace?): policyId = roleId(namespace, roleRef.name)
            default:
                warnings.append("cluster \(name): \(bindingName) refers to a \(roleRef.kind.prefix(40)) \(roleRef.name.prefix(80)), which cannot be bound; skipped")
                continue
            }
            if policies[policyId] == nil {
                if roleRef.kind == "ClusterRole", let builtin = Self.defaultClusterRoles[roleRef.name] {
                    policies[policyId] = Policy(id: policyId, name: "ClusterRole \(roleRef.name)", provider: .kubernetes, kind: .providerManaged, body: .kubernetesRBAC(builtin))
                    warnings.append("cluster \(name): ClusterRole \(roleRef.name) is bound but not in the export; Kubernetes' default definition of it is used")
                } else {
                    warnings.append("cluster \(name): \(bindingName) binds \(roleRef.kind) \(roleRef.name), which the export does not hold; what it grants is unknown")
                }
            }
            let scope = namespace.map { GrantScope(.namespace, $0) } ?? GrantScope(.cluster, name)
            let whereText = namespace.map { "in namespace \($0)" } ?? "across the cluster"
            var others: [String] = []
            for subject in binding.subjects {
                guard let (subjectId, label) = resolve(subject, bindingNamespace: namespace) else {
                    others.append("\(subject.kind) \(subject.name)")
                    continue
                }
                if subject.kind == "Group" {
                    groups.insert(subject.name)
                } else if !objects.serviceAccounts.isEmpty, !accountIds.contains(subjectId) {
                    missingAccounts.insert("\(bindingName) names \(label), which the export does not list (whoever creates it gets what the binding grants)")
                }
                grants.insert(Grant(subjectId: subjectId, policyId: policyId, via: .binding, scope: scope))
                estate.edges.append(Edge(
                    from: bindingId, to: subjectId, kind: .kubernetesBinds, rule: KubernetesMapper.importRule,
                    reason: "\(bindingName) binds \(roleRef.kind) \(roleRef.name) to \(label) \(whereText)"))
            }
            var attributes = ["roleRef": "\(roleRef.kind) \(roleRef.name)", "policyId": policyId]
            if let namespace { attributes["namespace"] = namespace }
            if !others.isEmpty { attributes["otherSubjects"] = others.prefix(20).joined(separator: ", ") }
            if let owner = Self.distribution(ofBinding: binding) { attributes["managedBy"] = owner }
            estate.resources.append(Resource(
                id: bindingId, provider: .kubernetes, type: namespace == nil ? "kubernetes.clusterrolebinding" : "kubernetes.rolebinding",
                name: KubernetesMapper.qualified(binding), account: name, attributes: attributes))
        }
        warnings += missingAccounts.sorted().map { "cluster \(name): \($0)" }
        addGroups(groups)
        estate.policies = policies.values.sorted { $0.id < $1.id }
        estate.grants = Array(grants)
    }

    /// The id a binding subject stands for, with how to name it, when it covers service accounts: the account
    /// itself (kind ServiceAccount, or the user name `system:serviceaccount:<ns>:<name>` its tokens carry), or a
    /// group every account (of a namespace) belongs to. Nil for people and other groups.
    func resolve(_ subject: KubernetesObject.RBACSubject, bindingNamespace: String?) -> (String, String)? {
        switch subject.kind {
        case "ServiceAccount":
            // In a RoleBinding an account's namespace defaults to the binding's, as the authorizer reads it.
            guard let namespace = subject.namespace.flatMap({ $0.isEmpty ? nil : $0 }) ?? bindingNamespace else { return nil }
            return (accountId(namespace, subject.name), "service account \(namespace)/\(subject.name)")
        case "User":
            let parts = subject.name.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount", !parts[2].isEmpty, !parts[3].isEmpty else { return nil }
            return (accountId(String(parts[2]), String(parts[3])), "service account \(parts[2])/\(parts[3]) (as user \(subject.name))")
        case "Group":
            if subject.name == "system:serviceaccounts" { return (groupId(subject.name), "every service account (group system:serviceaccounts)") }
            if subject.name == "system:authenticated" { return (groupId(subject.name), "every authenticated caller, service accounts included (group system:authenticated)") }
            if subject.name.hasPrefix("system:serviceaccounts:"), subject.name.count > "system:serviceaccounts:".count {
                let namespace = subject.name.dropFirst("system:serviceaccounts:".count)
                return (groupId(subject.name), "every service account of namespace \(namespace) (group \(subject.name))")
            }
            return nil
        default:
            return nil
        }
    }

    /// The groups bindings name, as resources every service account they cover is a member of.
    mutating func addGroups(_ groups: Set<String>) {
        for group in groups.sorted() {
            estate.resources.append(Resource(id: groupId(group), provider: .kubernetes, type: "kubernetes.group", name: group, account: name))
        }
        guard !groups.isEmpty else { return }
        for identity in estate.identities {
            guard let namespace = identity.path else { continue }
            for group in ["system:authenticated", "system:serviceaccounts", "system:serviceaccounts:\(namespace)"] where groups.contains(group) {
                estate.edges.append(Edge(
                    from: identity.id, to: groupId(group), kind: .memberOf, rule: KubernetesMapper.importRule,
                    reason: "service account \(identity.name) belongs to group \(group), as every service account\(group.hasSuffix(namespace) ? " of its namespace" : "") does"))
            }
        }
    }

    /// The rules of every ClusterRole, an aggregated one (`aggregationRule`) holding also the rules of the
    /// ClusterRoles its selectors pick, as the aggregation controller fills them in; repeated until nothing
    /// changes, so roles aggregated into aggregated roles count too.
    func aggregatedClusterRoleRules() -> [String: [RBACRule]] {
        var rules = objects.clusterRoles.mapValues { $0.rules ?? [] }
        let aggregated = objects.clusterRoles.filter { !($0.value.aggregationSelectors ?? []).isEmpty }
        guard !aggregated.isEmpty else { return rules }
        for _ in 0...aggregated.count {
            var changed = false
            for (name, role) in aggregated.sorted(by: { $0.key < $1.key }) {
                let selectors = role.aggregationSelectors ?? []
                var merged = rules[name] ?? []
                var seen = Set(merged)
                for (other, object) in objects.clusterRoles.sorted(by: { $0.key < $1.key }) where other != name {
                    let labels = object.metadata?.labels ?? [:]
                    guard selectors.contains(where: { $0.matches(labels) }) else { continue }
                    for rule in rules[other] ?? [] where seen.insert(rule).inserted { merged.append(rule) }
                }
                if merged.count != rules[name]?.count {
                    rules[name] = merged
                    changed = true
                }
            }
            if !changed { break }
        }
        return rules
    }

    /// Whether a role is one Kubernetes itself defines (the default policy), not the customer.
    static func isDefaultRole(_ name: String, _ object: KubernetesObject?) -> Bool {
        object?.metadata?.labels["kubernetes.io/bootstrapping"] == "rbac-defaults" || name.hasPrefix("system:")
            || (object == nil && defaultClusterRoles[name] != nil)
    }

    /// The user-facing default ClusterRoles, for manifests that bind them without defining them. Condensed from
    /// Kubernetes' default policy to what decides privilege: `edit` writes workloads and Secrets, execs into
    /// pods and impersonates the namespace's service accounts; `admin` also manages Roles and RoleBindings.
    static let defaultClusterRoles: [String: [RBACRule]] = {
        let write = ["create", "delete", "deletecollection", "patch", "update"]
        let read = ["get", "list", "watch"]
        let viewRules = [
            RBACRule(apiGroups: [""], resources: [
                "configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "serviceaccounts", "services",
                "bindings", "events", "limitranges", "namespaces", "pods/log", "pods/status", "resourcequotas",
            ], verbs: read),
            RBACRule(apiGroups: ["apps"], resources: ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"], verbs: read),
            RBACRule(apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: read),
            RBACRule(apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: read),
            RBACRule(apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: read),
            RBACRule(apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: read),
        ]
        let editRules = viewRules + [
            RBACRule(apiGroups: [""], resources: ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], verbs: read),
            RBACRule(apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"]),
            RBACRule(apiGroups: [""], resources: [
                "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "configmaps", "events", "persistentvolumeclaims",
                "replicationcontrollers", "secrets", "serviceaccounts", "services", "services/proxy",
            ], verbs: write),
            RBACRule(apiGroups: ["apps"], resources: ["daemonsets", "deployments", "deployments/scale", "replicasets", "statefulsets"], verbs: write),
            RBACRule(apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: write),
            RBACRule(apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: write),
        ]
        let adminRules = editRules + [
            RBACRule(apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: read + write),
            RBACRule(apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"]),
        ]
        return [
            "cluster-admin": [
                RBACRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"]),
                RBACRule(verbs: ["*"], nonResourceURLs: ["*"]),
            ],
            "admin": adminRules,
            "edit": editRules,
            "view": viewRules,
        ]
    }()
}
