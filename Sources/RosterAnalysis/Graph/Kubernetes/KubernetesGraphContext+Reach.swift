import RosterModel

/// The requests every grant is matched against, once, and where each technique reaches.
extension KubernetesGraphContext {
    /// A request the edge rules ask about: verb, API group, resource (with subresource).
    enum Probe: Int, CaseIterable, Sendable {
        case everything
        case createPods, createDeployments, createDaemonSets, createStatefulSets, createReplicaSets, createJobs, createCronJobs
        case createReplicationControllers
        case createExec, createAttach, patchEphemeral, updateEphemeral, getExec, getAttach
        case createToken
        case getSecrets, listSecrets, watchSecrets
        case createRoleBindings, createClusterRoleBindings, bindRoles, bindClusterRoles
        case escalateRoles, escalateClusterRoles, updateRoles, patchRoles, updateClusterRoles, patchClusterRoles, createClusterRoles
        case impersonateUsers, impersonateGroups, impersonateServiceAccounts
        case getNodesProxy, createNodesProxy
        case createCSR, approveCSR, approveSigners
        case createMutatingWebhooks, updateMutatingWebhooks, patchMutatingWebhooks

        static let rbacGroup = "rbac.authorization.k8s.io"

        var request: (verb: String, group: String, resource: String) {
            switch self {
            case .everything: ("*", "*", "*")
            case .createPods: ("create", "", "pods")
            case .createDeployments: ("create", "apps", "deployments")
            case .createDaemonSets: ("create", "apps", "daemonsets")
            case .createStatefulSets: ("create", "apps", "statefulsets")
            case .createReplicaSets: ("create", "apps", "replicasets")
            case .createJobs: ("create", "batch", "jobs")
            case .createCronJobs: ("create", "batch", "cronjobs")
            case .createReplicationControllers: ("create", "", "replicationcontrollers")
            case .createExec: ("create", "", "pods/exec")
            case .createAttach: ("create", "", "pods/attach")
            case .patchEphemeral: ("patch", "", "pods/ephemeralcontainers")
            case .updateEphemeral: ("update", "", "pods/ephemeralcontainers")
            case .getExec: ("get", "", "pods/exec")
            case .getAttach: ("get", "", "pods/attach")
            case .createToken: ("create", "", "serviceaccounts/token")
            case .getSecrets: ("get", "", "secrets")
            case .listSecrets: ("list", "", "secrets")
            case .watchSecrets: ("watch", "", "secrets")
            case .createRoleBindings: ("create", Self.rbacGroup, "rolebindings")
            case .createClusterRoleBindings: ("create", Self.rbacGroup, "clusterrolebindings")
            case .bindRoles: ("bind", Self.rbacGroup, "roles")
            case .bindClusterRoles: ("bind", Self.rbacGroup, "clusterroles")
            case .escalateRoles: ("escalate", Self.rbacGroup, "roles")
            case .escalateClusterRoles: ("escalate", Self.rbacGroup, "clusterroles")
            case .updateRoles: ("update", Self.rbacGroup, "roles")
            case .patchRoles: ("patch", Self.rbacGroup, "roles")
            case .updateClusterRoles: ("update", Self.rbacGroup, "clusterroles")
            case .patchClusterRoles: ("patch", Self.rbacGroup, "clusterroles")
            case .createClusterRoles: ("create", Self.rbacGroup, "clusterroles")
            case .impersonateUsers: ("impersonate", "", "users")
            case .impersonateGroups: ("impersonate", "", "groups")
            case .impersonateServiceAccounts: ("impersonate", "", "serviceaccounts")
            case .getNodesProxy: ("get", "", "nodes/proxy")
            case .createNodesProxy: ("create", "", "nodes/proxy")
            case .createCSR: ("create", "certificates.k8s.io", "certificatesigningrequests")
            case .approveCSR: ("update", "certificates.k8s.io", "certificatesigningrequests/approval")
            case .approveSigners: ("approve", "certificates.k8s.io", "signers")
            case .createMutatingWebhooks: ("create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations")
            case .updateMutatingWebhooks: ("update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations")
            case .patchMutatingWebhooks: ("patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations")
            }
        }

        var verb: String { request.verb }
        var group: String { request.group }
        var resource: String { request.resource }
        /// `create pods/exec`.
        var phrase: String { "\(verb) \(resource)" }

        static let workloads: [Probe] = [
            .createDeployments, .createDaemonSets, .createStatefulSets, .createReplicaSets, .createJobs, .createCronJobs,
            .createReplicationControllers,
        ]
        /// What runs a pod of the caller's choosing.
        static let podCreation: [Probe] = [.createPods] + workloads
    }

    /// A technique whose targets are the service accounts of a namespace: decided per namespace, and
    /// carried by hub nodes where many accounts reach many.
    enum Fan: Int, CaseIterable, Sendable {
        case podCreate, workloadCreate, podExec, saToken, secretRead, impersonate, rbacBind, rbacEscalate

        var rule: String {
            switch self {
            case .podCreate: "kubernetes.pod-create"
            case .workloadCreate: "kubernetes.workload-create"
            case .podExec: "kubernetes.pod-exec"
            case .saToken: "kubernetes.sa-token"
            case .secretRead: "kubernetes.secret-read"
            case .impersonate: "kubernetes.impersonate"
            case .rbacBind: "kubernetes.rbac-bind"
            case .rbacEscalate: "kubernetes.rbac-escalate"
            }
        }

        /// What every source of a hub can do, for the hub's label and its edges' reasons.
        var hubAction: String {
            switch self {
            case .podCreate: "create pods"
            case .workloadCreate: "create workloads"
            case .podExec: "exec into pods"
            case .saToken: "create tokens for any service account"
            case .secretRead: "list Secrets"
            case .impersonate: "impersonate any service account"
            case .rbacBind: "bind itself a role that runs pods"
            case .rbacEscalate: "grant itself every permission"
            }
        }
    }

    /// Why a principal reaches somewhere: the statements, the verbs and resources, the roles and bindings.
    struct Why: Sendable {
        var refs: [StatementRef]
        /// `create pods`, `create rolebindings and bind ClusterRole edit`.
        var action: String
        /// `ClusterRole edit (RoleBinding payments/editors)`.
        var roles: String
        var conditions: [String] = []
    }

    /// A single target a principal reaches by name (`resourceNames`).
    struct Named: Sendable {
        var target: Int
        var why: Why
        /// What the rule's `resourceNames` name: `the account`, `pod payments/api-0`, `its token Secret payments/api-token-7xk2p`.
        var detail: String
        /// The rule that names it (role, binding scope, rule index): every holder of the rule reaches the same targets.
        var source: String
    }

    /// Where one fan technique takes one principal.
    struct Reach: Sendable {
        /// Every namespace (a ClusterRoleBinding).
        var everywhere: Why?
        var namespaces: [String: Why] = [:]
        var named: [Named] = []
        /// The cluster's admin node, for the RBAC and impersonation techniques.
        var admin: Why?

        var isEmpty: Bool { everywhere == nil && namespaces.isEmpty && named.isEmpty && admin == nil }
    }

    static let websocketCondition =
        "the API server is older than Kubernetes 1.35, or runs with feature gate AuthorizePodWebsocketUpgradeCreatePermission off (exec over WebSocket is then authorized as get)"

    // MARK: Targets

    /// The accounts a fan reaches in a namespace.
    func targets(_ fan: Fan, in namespace: String) -> [Int] {
        switch fan {
        case .podExec: mountedIn[namespace] ?? []
        case .secretRead: tokenSecretsListed ? tokenAccountsIn[namespace] ?? [] : accountsIn[namespace] ?? []
        default: accountsIn[namespace] ?? []
        }
    }

    /// Whether a principal is among the targets of a fan in its own namespace.
    func isTarget(_ fan: Fan, _ principal: Int) -> Bool {
        switch fan {
        case .podExec: mountedBy[principal] != nil
        case .secretRead: !tokenSecretsListed || tokenOwners.contains(principal)
        default: true
        }
    }

    /// What a fan lets its holder do to one target, as the end of a sentence.
    func outcome(_ fan: Fan, _ target: Int) -> String {
        let account = account(target)
        switch fan {
        case .podCreate:
            return
                "run a pod as \(account), setting automountServiceAccountToken: true (the pod's setting overrides the account's), and read its token"
        case .workloadCreate: return "have a controller run pods as \(account) and read its token"
        case .podExec: return "run commands in \(mountedBy[target] ?? "a pod"), which runs as \(account) with its token mounted"
        case .saToken: return "mint a token for \(account) (TokenRequest)"
        case .secretRead:
            guard tokenSecretsListed else {
                return "read any legacy token Secret of \(account) (the export lists no token Secrets, so whether one exists is not known)"
            }
            let names = (tokenSecretsIn[namespaceOf[target]] ?? []).filter { $0.account == target }.map(\.name)
            return "read the token Secret\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")) of \(account)"
        case .impersonate:
            return "act as \(account) (Impersonate-User: system:serviceaccount:\(namespaceOf[target]):\(shortName[target]))"
        case .rbacBind: return "hold that role in namespace \(namespaceOf[target]) and run a pod as \(account)"
        case .rbacEscalate: return "hold every permission in namespace \(namespaceOf[target]) and run a pod as \(account)"
        }
    }

    // MARK: Reach

    /// Where the unrestricted (no `resourceNames`) hits of `probes` take a principal: every namespace, or some.
    func unrestricted(_ principal: Int, _ probes: [Probe], conditions: [String] = []) -> Reach {
        var everywhere: [(Probe, KubernetesRBACEvaluator.Hit)] = []
        var byNamespace: [String: [(Probe, KubernetesRBACEvaluator.Hit)]] = [:]
        for probe in probes {
            for hit in hits(principal, probe) where hit.names == nil {
                if let namespace = hit.namespace { byNamespace[namespace, default: []].append((probe, hit)) } else { everywhere.append((probe, hit)) }
            }
        }
        var reach = Reach()
        if !everywhere.isEmpty { reach.everywhere = why(everywhere, conditions: conditions) }
        for (namespace, list) in byNamespace where reach.everywhere == nil { reach.namespaces[namespace] = why(list, conditions: conditions) }
        return reach
    }

    func why(_ list: [(Probe, KubernetesRBACEvaluator.Hit)], conditions: [String] = [], action: String? = nil) -> Why {
        Why(refs: rbac.refs(list.map(\.1)), action: action ?? Self.phrase(list.map(\.0)), roles: rbac.describe(list.map(\.1)), conditions: conditions)
    }

    /// Requests as people write them: `create, update, patch mutatingwebhookconfigurations`,
    /// `create deployments, daemonsets and jobs`.
    static func phrase(_ probes: [Probe]) -> String {
        var verbsOf: [(resource: String, verbs: [String])] = []
        for probe in probes {
            if let i = verbsOf.firstIndex(where: { $0.resource == probe.resource }) {
                if !verbsOf[i].verbs.contains(probe.verb) { verbsOf[i].verbs.append(probe.verb) }
            } else {
                verbsOf.append((probe.resource, [probe.verb]))
            }
        }
        var parts: [(verbs: [String], resources: [String])] = []
        for (resource, verbs) in verbsOf {
            if let i = parts.firstIndex(where: { $0.verbs == verbs }) {
                parts[i].resources.append(resource)
            } else {
                parts.append((verbs, [resource]))
            }
        }
        func list(_ items: [String]) -> String {
            items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
        return list(parts.map { "\($0.verbs.joined(separator: ", ")) \(list($0.resources))" })
    }

    /// The rule behind a hit, as a key: its role, where the grant applies, its index.
    func source(_ hit: KubernetesRBACEvaluator.Hit) -> String {
        rbac.grants[hit.grant].policyId + "\u{1F}" + (hit.namespace ?? "*") + "\u{1F}" + String(hit.rule)
    }

    /// Namespaces a hit covers: its own, or every namespace the export names.
    func covered(_ hit: KubernetesRBACEvaluator.Hit) -> [String] {
        hit.namespace.map { [$0] } ?? namespaces
    }

    func computeReach(_ fan: Fan, _ principal: Int) -> Reach {
        switch fan {
        case .podCreate: return unrestricted(principal, [.createPods])
        case .workloadCreate: return unrestricted(principal, Probe.workloads)
        case .podExec: return execReach(principal)
        case .saToken: return namedAccounts(principal, .createToken)
        case .secretRead: return secretReach(principal)
        case .impersonate: return impersonationReach(principal)
        case .rbacBind: return bindReach(principal)
        case .rbacEscalate: return escalateReach(principal)
        }
    }

    /// Unrestricted hits reach every account of a namespace; `resourceNames` the accounts they name.
    func namedAccounts(_ principal: Int, _ probe: Probe) -> Reach {
        var reach = unrestricted(principal, [probe])
        guard reach.everywhere == nil else { return reach }
        var seen: Set<Int> = []
        for hit in hits(principal, probe) {
            guard let names = hit.names else { continue }
            let (reason, key) = (why([(probe, hit)]), source(hit))
            for name in names {
                for target in accountsNamed[name] ?? []
                where hit.covers(namespace: namespaceOf[target]) && reach.namespaces[namespaceOf[target]] == nil && seen.insert(target).inserted {
                    reach.named.append(Named(target: target, why: reason, detail: "the account", source: key))
                }
            }
        }
        return reach
    }

    /// `create` on pods/exec or pods/attach, or patch/update on pods/ephemeralcontainers; `get` on exec or attach
    /// too, under the condition that WebSocket exec is authorized as get.
    func execReach(_ principal: Int) -> Reach {
        let strongProbes: [Probe] = [.createExec, .createAttach, .patchEphemeral, .updateEphemeral]
        let weakProbes: [Probe] = [.getExec, .getAttach]
        var reach = unrestricted(principal, strongProbes)
        let weak = unrestricted(principal, weakProbes, conditions: [Self.websocketCondition])
        if reach.everywhere == nil, let everywhere = weak.everywhere {
            reach.everywhere = everywhere
        } else if reach.everywhere == nil {
            for (namespace, why) in weak.namespaces where reach.namespaces[namespace] == nil { reach.namespaces[namespace] = why }
        }
        // Names restrict exec to pods by name: only standalone pods have names the export knows.
        let everywhereUnconditional = reach.everywhere.map { $0.conditions.isEmpty } ?? false
        var seen: Set<Int> = []
        for (probes, conditions) in [(strongProbes, [String]()), (weakProbes, [Self.websocketCondition])] where !everywhereUnconditional {
            for probe in probes {
                for hit in hits(principal, probe) {
                    guard let names = hit.names else { continue }
                    let (reason, key) = (why([(probe, hit)], conditions: conditions), source(hit))
                    for name in names {
                        for pod in podsNamed[name] ?? []
                        where pod.mounted && hit.covers(namespace: pod.namespace) && reach.namespaces[pod.namespace] == nil
                            && seen.insert(pod.account).inserted
                        {
                            reach.named.append(Named(target: pod.account, why: reason, detail: "pod \(pod.namespace)/\(name)", source: key))
                        }
                    }
                }
            }
        }
        return reach
    }

    /// `list` or `watch` returns every Secret's content; `get` (or a list with a name selector) only the
    /// Secrets its `resourceNames` name. Token Secrets name their account.
    func secretReach(_ principal: Int) -> Reach {
        var reach = unrestricted(principal, [.listSecrets, .watchSecrets])
        guard reach.everywhere == nil, tokenSecretsListed else { return reach }
        var seen: Set<Int> = []
        for probe in [Probe.getSecrets, .listSecrets, .watchSecrets] {
            for hit in hits(principal, probe) {
                guard let names = hit.names else { continue }
                let (reason, key) = (why([(probe, hit)]), source(hit))
                for name in names {
                    for secret in tokenSecretsNamed[name] ?? []
                    where hit.covers(namespace: secret.namespace) && reach.namespaces[secret.namespace] == nil && seen.insert(secret.account).inserted
                    {
                        reach.named.append(
                            Named(target: secret.account, why: reason, detail: "its token Secret \(secret.namespace)/\(name)", source: key)
                        )
                    }
                }
            }
        }
        return reach
    }

    /// Service accounts it may impersonate; the admin node when it may impersonate group system:masters (with a
    /// user or account to carry it), or any user (`system:kube-controller-manager` among them).
    func impersonationReach(_ principal: Int) -> Reach {
        var reach = namedAccounts(principal, .impersonateServiceAccounts)
        let users = hits(principal, .impersonateUsers).filter { $0.namespace == nil }
        let masters = hits(principal, .impersonateGroups).filter { $0.namespace == nil && $0.covers(name: "system:masters") }
        let accounts = hits(principal, .impersonateServiceAccounts)
        if !masters.isEmpty,
            let carrier = users.first.map({ (Probe.impersonateUsers, $0) }) ?? accounts.first.map({ (Probe.impersonateServiceAccounts, $0) })
        {
            reach.admin = why(
                masters.map { (.impersonateGroups, $0) } + [carrier],
                action: "impersonate group system:masters (Impersonate-Group, with a user or service account to impersonate)"
            )
        } else if let any = users.first(where: { $0.covers(name: "system:kube-controller-manager") }) {
            reach.admin = why(
                [(.impersonateUsers, any)],
                action:
                    "impersonate users, user system:kube-controller-manager among them, whom the default policy lets mint a token for any service account"
            )
        }
        return reach
    }

    /// `create` on (cluster)rolebindings with `bind` on a role worth holding: cluster-admin cluster-wide (or in
    /// every namespace) is the admin node; a role that runs pods in a namespace reaches its accounts.
    func bindReach(_ principal: Int) -> Reach {
        var reach = Reach()
        let createCRB = hits(principal, .createClusterRoleBindings).filter { $0.namespace == nil && $0.names == nil }
        let createRB = hits(principal, .createRoleBindings).filter { $0.names == nil }
        let bindCR = hits(principal, .bindClusterRoles)
        let bindR = hits(principal, .bindRoles)
        func bindable(_ hit: KubernetesRBACEvaluator.Hit, _ roles: Set<String>) -> String? {
            guard let names = hit.names else { return roles.contains("cluster-admin") ? "cluster-admin" : roles.sorted().first }
            return names.first { roles.contains($0) }
        }
        let adminBinds = bindCR.filter { $0.namespace == nil && bindable($0, adminClusterRoles) != nil }
        let clusterRB = createRB.filter { $0.namespace == nil }
        if let bind = adminBinds.first, let create = createCRB.first ?? clusterRB.first {
            let role = bindable(bind, adminClusterRoles) ?? "cluster-admin"
            let how = createCRB.isEmpty ? "create rolebindings in every namespace, kube-system included," : "create clusterrolebindings"
            reach.admin = why(
                [(createCRB.isEmpty ? .createRoleBindings : .createClusterRoleBindings, create), (.bindClusterRoles, bind)],
                action: "\(how) and bind ClusterRole \(role)"
            )
            return reach
        }
        let candidates =
            createRB.contains { $0.namespace == nil } || bindCR.contains { $0.namespace == nil } || bindR.contains { $0.namespace == nil }
            ? namespaces : Array(Set((createRB + bindCR + bindR).compactMap(\.namespace))).sorted()
        // Cluster-wide rights to bind a pod-running ClusterRole in every namespace.
        if let create = clusterRB.first, let bind = bindCR.first(where: { $0.namespace == nil && bindable($0, podClusterRoles) != nil }) {
            reach.everywhere = why(
                [(.createRoleBindings, create), (.bindClusterRoles, bind)],
                action: "create rolebindings and bind ClusterRole \(bindable(bind, podClusterRoles)!)"
            )
            return reach
        }
        for namespace in candidates {
            guard let create = createRB.first(where: { $0.covers(namespace: namespace) }) else { continue }
            if let bind = bindCR.first(where: { $0.covers(namespace: namespace) && bindable($0, podClusterRoles) != nil }) {
                reach.namespaces[namespace] = why(
                    [(.createRoleBindings, create), (.bindClusterRoles, bind)],
                    action: "create rolebindings and bind ClusterRole \(bindable(bind, podClusterRoles)!)"
                )
            } else if let roles = podRoles[namespace],
                let bind = bindR.first(where: { $0.covers(namespace: namespace) && bindable($0, roles) != nil })
            {
                reach.namespaces[namespace] = why(
                    [(.createRoleBindings, create), (.bindRoles, bind)],
                    action: "create rolebindings and bind Role \(namespace)/\(bindable(bind, roles)!)"
                )
            }
        }
        return reach
    }

    /// `escalate` with `update`/`patch` on a role the principal holds lets it write any rule into it, and hold
    /// the rule wherever the role is bound to it; `escalate` with `create` on clusterroles does the same to an
    /// aggregated role it holds (`admin`, `edit`, `view`) through a new ClusterRole carrying the aggregation label.
    func escalateReach(_ principal: Int) -> Reach {
        var reach = Reach()
        let escalateCR = hits(principal, .escalateClusterRoles).filter { $0.namespace == nil }
        let updateCR =
            (hits(principal, .updateClusterRoles).map { (Probe.updateClusterRoles, $0) }
            + hits(principal, .patchClusterRoles).map { (.patchClusterRoles, $0) })
            .filter { $0.1.namespace == nil }
        let createCR = hits(principal, .createClusterRoles).filter { $0.namespace == nil && $0.names == nil }
        let escalateR = hits(principal, .escalateRoles)
        guard !escalateCR.isEmpty || !escalateR.isEmpty else { return reach }
        let updateR = hits(principal, .updateRoles).map { (Probe.updateRoles, $0) } + hits(principal, .patchRoles).map { (.patchRoles, $0) }
        for index in setGrants[setOf[principal]] {
            let grant = rbac.grants[index]
            guard let role = grantRoles[index] else { continue }
            var found: Why?
            let held = grant.namespace.map { "in namespace \($0)" } ?? "cluster-wide"
            if let namespace = role.namespace {
                if let escalate = escalateR.first(where: { $0.covers(namespace: namespace) && $0.covers(name: role.name) }),
                    let update = updateR.first(where: { $0.1.covers(namespace: namespace) && $0.1.covers(name: role.name) })
                {
                    found = why(
                        [(.escalateRoles, escalate), update],
                        action: "escalate and \(update.0.verb) Role \(namespace)/\(role.name), which it holds \(held)"
                    )
                }
            } else if let escalate = escalateCR.first(where: { $0.covers(name: role.name) }),
                let update = updateCR.first(where: { $0.1.covers(name: role.name) })
            {
                found = why(
                    [(.escalateClusterRoles, escalate), update],
                    action: "escalate and \(update.0.verb) ClusterRole \(role.name), which it holds \(held)"
                )
            } else if ["admin", "edit", "view"].contains(role.name), let create = createCR.first,
                let escalate = escalateCR.first(where: { $0.names == nil })
            {
                found = why(
                    [(.escalateClusterRoles, escalate), (.createClusterRoles, create)],
                    action:
                        "escalate and create clusterroles: a new ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-\(role.name) adds any rule to ClusterRole \(role.name), which it holds \(held)"
                )
            }
            guard let found else { continue }
            if let namespace = grant.namespace {
                if reach.namespaces[namespace] == nil { reach.namespaces[namespace] = found }
            } else {
                reach.admin = found
                return reach
            }
        }
        return reach
    }
}
