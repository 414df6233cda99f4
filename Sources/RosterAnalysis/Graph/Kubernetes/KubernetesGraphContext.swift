public import RosterModel

/// One cluster's service accounts, workloads and RBAC, indexed once, with what every account may do
/// already decided: the context Kubernetes edge rules read.
///
/// Every rule of every grant is matched once against a fixed set of requests (the probes), so an
/// account's rights are the hits of its grants, whatever its number of namespaces. Techniques that
/// reach "the service accounts of a namespace" (a *fan*) are planned here: where many accounts reach
/// many accounts of one namespace, the edges hang on a hub node (see ``KubernetesGraph``) instead of
/// being repeated for every pair, so building stays linear in accounts, grants and workloads.
///
/// For example:
/// ```swift
/// let context = KubernetesGraphContext(estate: estate)
/// KubernetesGraph.rules.flatMap { rule in context.principals.indices.flatMap { rule.edges(in: context, principal: $0) } }
/// ```
public struct KubernetesGraphContext: Sendable {
    public let scope: String
    /// The cluster's name, from the scope (`kubernetes:prod-eks` → `prod-eks`).
    public let cluster: String
    /// The service accounts, sorted by id: the principals of the cluster's graph.
    public let principals: [Identity]
    public let rbac: KubernetesRBACEvaluator

    let indexOf: [String: Int]
    /// Each principal's namespace and short name.
    let namespaceOf: [String]
    let shortName: [String]
    /// Principals holding the same grants (their own and their groups') share a *rights set*: every
    /// decision is made once per set, on its first holder.
    let setOf: [Int]
    let setHolders: [[Int]]
    let setGrants: [[Int]]
    /// `setHits[set][probe]`: the rules of the set's grants that match each probe.
    let setHits: [[[KubernetesRBACEvaluator.Hit]]]
    /// The role each grant binds: namespace (nil for a ClusterRole) and name.
    let grantRoles: [(namespace: String?, name: String)?]
    let accountsIn: [String: [Int]]
    let accountsNamed: [String: [Int]]
    /// Accounts whose token a running pod or workload of the namespace mounts, with the first such workload.
    let mountedIn: [String: [Int]]
    let mountedBy: [Int: String]
    /// Standalone pods by name, with their namespace, account and whether they mount its token.
    let podsNamed: [String: [(namespace: String, account: Int, mounted: Bool)]]
    /// Token Secrets (`kubernetes.io/service-account-token`) by namespace (name and owner), and by name.
    let tokenSecretsIn: [String: [(name: String, account: Int)]]
    let tokenSecretsNamed: [String: [(namespace: String, account: Int)]]
    let tokenOwners: Set<Int>
    /// Whether the export lists any token Secret at all; without any, whether the namespaces hold some is unknown.
    let tokenSecretsListed: Bool
    /// Accounts that own a listed token Secret, by namespace.
    let tokenAccountsIn: [String: [Int]]
    /// Every namespace the export names, sorted, with its Pod Security `enforce` level when the export lists it
    /// (`""` for a listed namespace without the label).
    let namespaces: [String]
    let enforceLevel: [String: String]
    /// Namespaces whose Pod Security level admits privileged pods, those the export lists first.
    let privilegedNamespaces: [String]
    /// ClusterRoles whose rules allow everything (`cluster-admin` always counts: every cluster has it), and
    /// roles that let their holder run pods (create pods or workloads), by name.
    let adminClusterRoles: Set<String>
    let podClusterRoles: Set<String>
    let podRoles: [String: Set<String>]

    /// Where each fan technique reaches, per rights set, and which hubs carry its edges.
    private(set) var reach: [[Reach]]
    private(set) var clusterHubs: Set<Fan>
    private(set) var namespaceHubs: [Fan: Set<String>]
    /// Hubs for rules whose `resourceNames` many principals hold (by rule key), with labels, and the hubs that reach each target.
    private(set) var namedHubs: [Fan: [String: (id: String, label: String)]]
    private(set) var namedHubsOf: [Fan: [Int: [String]]]

    public var adminNode: String { GraphFragment.adminNode(scope) }
    public var nodesNode: String { KubernetesGraph.nodesNode(scope) }

    public init(estate: Estate) {
        scope = estate.scope
        cluster = estate.scope.hasPrefix("kubernetes:") ? String(estate.scope.dropFirst("kubernetes:".count)) : estate.scope
        let rbac = KubernetesRBACEvaluator(estate: estate)
        self.rbac = rbac
        let principals = estate.identities.filter { $0.kind == .kubernetesServiceAccount }.sorted { $0.id < $1.id }
        self.principals = principals
        var indexOf: [String: Int] = [:]
        var namespaceOf: [String] = []
        var shortName: [String] = []
        var accountsIn: [String: [Int]] = [:]
        var accountsNamed: [String: [Int]] = [:]
        for (i, identity) in principals.enumerated() {
            indexOf[identity.id] = i
            let namespace = identity.path ?? String(identity.name.split(separator: "/").first ?? "")
            let name = String(identity.id.split(separator: "/").last ?? Substring(identity.name))
            namespaceOf.append(namespace)
            shortName.append(name)
            accountsIn[namespace, default: []].append(i)
            accountsNamed[name, default: []].append(i)
        }
        self.indexOf = indexOf
        self.namespaceOf = namespaceOf
        self.shortName = shortName
        self.accountsIn = accountsIn
        self.accountsNamed = accountsNamed
        grantRoles = rbac.grants.map { KubernetesGraph.roleRef($0.policyId, scope: estate.scope) }
        let grantHits = rbac.grants.indices.map { grant in
            Probe.allCases.map { rbac.hits(grant: grant, verb: $0.verb, group: $0.group, resource: $0.resource) }
        }
        var setIndex: [[Int]: Int] = [:]
        var setOf: [Int] = []
        var setHolders: [[Int]] = []
        var setGrants: [[Int]] = []
        for (i, identity) in principals.enumerated() {
            let grants = rbac.grantIndices(of: identity.id)
            if let existing = setIndex[grants] {
                setOf.append(existing)
                setHolders[existing].append(i)
            } else {
                setIndex[grants] = setGrants.count
                setOf.append(setGrants.count)
                setHolders.append([i])
                setGrants.append(grants)
            }
        }
        self.setOf = setOf
        self.setHolders = setHolders
        self.setGrants = setGrants
        setHits = setGrants.map { grants in
            var table = [[KubernetesRBACEvaluator.Hit]](repeating: [], count: Probe.allCases.count)
            for grant in grants {
                for (probe, hits) in grantHits[grant].enumerated() where !hits.isEmpty { table[probe] += hits }
            }
            return table
        }

        // Workloads: who runs as whom, with the token mounted.
        var resources: [String: Resource] = [:]
        var namespaceSet = Set(accountsIn.keys)
        var enforce: [String: String] = [:]
        for resource in estate.resources where resource.provider == .kubernetes {
            resources[resource.id] = resource
            if resource.type == "kubernetes.namespace" {
                namespaceSet.insert(resource.name)
                enforce[resource.name] = resource.attributes[KubernetesGraph.podSecurityEnforceAttribute] ?? ""
            }
        }
        var mountedIn: [String: [Int]] = [:]
        var mountedBy: [Int: String] = [:]
        var pods: [String: [(namespace: String, account: Int, mounted: Bool)]] = [:]
        for edge in estate.edges.sorted(by: { $0.from < $1.from }) where edge.kind == .kubernetesRunsAs {
            guard let account = indexOf[edge.to], let workload = resources[edge.from] else { continue }
            let namespace = workload.attributes["namespace"] ?? namespaceOf[account]
            namespaceSet.insert(namespace)
            let mounted = edge.conditions.contains("automount=true") || workload.attributes["automountServiceAccountToken"] == "true"
            if workload.type == "kubernetes.pod" {
                pods[String(workload.name.split(separator: "/").last ?? ""), default: []].append((namespace, account, mounted))
            }
            // A workload scaled to zero runs no pod, so no node holds its token.
            guard mounted, workload.attributes["replicas"] != "0" else { continue }
            if !(mountedIn[namespace]?.contains(account) ?? false) { mountedIn[namespace, default: []].append(account) }
            if mountedBy[account] == nil { mountedBy[account] = "\(workload.type.dropFirst("kubernetes.".count)) \(workload.name)" }
        }
        self.mountedIn = mountedIn
        self.mountedBy = mountedBy
        self.podsNamed = pods

        var tokens: [String: [(name: String, account: Int)]] = [:]
        var listed = false
        for credential in estate.credentials where credential.kind == .kubernetesServiceAccountToken {
            listed = true
            // `<cluster prefix>/<namespace>/Secret/<name>`.
            let parts = credential.id.split(separator: "/")
            guard parts.count >= 4, parts[parts.count - 2] == "Secret", let account = indexOf[credential.identityId] else { continue }
            tokens[String(parts[parts.count - 3]), default: []].append((String(parts[parts.count - 1]), account))
        }
        tokenSecretsIn = tokens
        var tokensNamed: [String: [(namespace: String, account: Int)]] = [:]
        for (namespace, list) in tokens {
            for secret in list { tokensNamed[secret.name, default: []].append((namespace, secret.account)) }
        }
        tokenSecretsNamed = tokensNamed
        tokenOwners = Set(tokens.values.flatMap { $0.map(\.account) })
        tokenAccountsIn = tokens.mapValues { list in
            var seen: Set<Int> = []
            return list.map(\.account).filter { seen.insert($0).inserted }
        }
        tokenSecretsListed = listed
        namespaces = namespaceSet.sorted()
        enforceLevel = enforce
        privilegedNamespaces =
            namespaces.filter { enforce[$0] != nil && Self.admitsPrivileged(enforce[$0]) }
            + namespaces.filter { enforce[$0] == nil }

        // Roles worth binding.
        var adminRoles: Set<String> = ["cluster-admin"]
        var podClusterRoles: Set<String> = []
        var podRoles: [String: Set<String>] = [:]
        for policy in estate.policies {
            guard case .kubernetesRBAC(let rules) = policy.body, let role = KubernetesGraph.roleRef(policy.id, scope: estate.scope) else { continue }
            let all = rules.contains { KubernetesRBACEvaluator.allows($0, verb: "*", group: "*", resource: "*") && $0.resourceNames.isEmpty }
            let runsPods =
                all
                || Probe.podCreation.contains { probe in
                    rules.contains {
                        KubernetesRBACEvaluator.allows($0, verb: probe.verb, group: probe.group, resource: probe.resource) && $0.resourceNames.isEmpty
                    }
                }
            switch role.namespace {
            case nil:
                if all { adminRoles.insert(role.name) }
                if runsPods { podClusterRoles.insert(role.name) }
            case let namespace?:
                if runsPods { podRoles[namespace, default: []].insert(role.name) }
            }
        }
        adminClusterRoles = adminRoles
        self.podClusterRoles = podClusterRoles.union(adminRoles)
        self.podRoles = podRoles

        // Where every fan technique reaches, then which of them need hubs.
        reach = []
        clusterHubs = []
        namespaceHubs = [:]
        namedHubs = [:]
        namedHubsOf = [:]
        // Decided once per rights set, on its first holder; counted per holder.
        let snapshot = self
        let perSet = (try? Parallel.mapped(setHolders.map { $0[0] }) { first in Fan.allCases.map { snapshot.computeReach($0, first) } }) ?? []
        let reach = Fan.allCases.map { fan in perSet.map { $0[fan.rawValue] } }
        var clusterHubs: Set<Fan> = []
        var namespaceHubs: [Fan: Set<String>] = [:]
        for fan in Fan.allCases {
            let all = reach[fan.rawValue]
            let everywhere = all.indices.reduce(0) { $0 + (all[$1].everywhere != nil ? setHolders[$1].count : 0) }
            let total = namespaces.reduce(0) { $0 + targets(fan, in: $1).count }
            if Self.needsHub(sources: everywhere, targets: total) { clusterHubs.insert(fan) }
            var sources: [String: Int] = [:]
            for (set, item) in all.enumerated() where item.everywhere == nil {
                for namespace in item.namespaces.keys { sources[namespace, default: 0] += setHolders[set].count }
            }
            for (namespace, count) in sources where Self.needsHub(sources: count, targets: targets(fan, in: namespace).count) {
                namespaceHubs[fan, default: []].insert(namespace)
            }
        }
        self.reach = reach
        self.clusterHubs = clusterHubs
        self.namespaceHubs = namespaceHubs

        // Rules with resourceNames that many principals hold (through a group, say) name the same targets for all.
        for fan in Fan.allCases {
            var sources: [String: Int] = [:]
            var targets: [String: Set<Int>] = [:]
            var sample: [String: Named] = [:]
            for (set, item) in reach[fan.rawValue].enumerated() {
                var counted: Set<String> = []
                for named in item.named {
                    targets[named.source, default: []].insert(named.target)
                    if sample[named.source] == nil { sample[named.source] = named }
                    if counted.insert(named.source).inserted { sources[named.source, default: 0] += setHolders[set].count }
                }
            }
            for (n, key) in sources.keys.sorted().enumerated() {
                let count = sources[key]!
                let reached = targets[key] ?? []
                guard Self.needsHub(sources: count, targets: reached.count), let named = sample[key] else { continue }
                let id = KubernetesGraph.namedHubNode(scope, rule: fan.rule, index: n)
                let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                let role =
                    KubernetesGraph.roleRef(parts[0], scope: scope).map { ref in
                        ref.namespace.map { "Role \($0)/\(ref.name)" } ?? "ClusterRole \(ref.name)"
                    } ?? parts[0]
                let place = parts[1] == "*" ? "cluster-wide" : "in namespace \(parts[1])"
                namedHubs[fan, default: [:]][key] = (
                    id, "whoever holds rule #\(parts[2]) of \(role) \(place), which lets it \(named.why.action) by name"
                )
                for target in reached.sorted() { namedHubsOf[fan, default: [:]][target, default: []].append(id) }
            }
        }
    }

    /// A hub pays when it replaces `sources × targets` edges with `sources + targets`.
    static func needsHub(sources: Int, targets: Int) -> Bool {
        sources >= 2 && targets >= 2 && sources * targets > KubernetesGraph.hubThreshold
    }

    // MARK: Reading decisions

    /// The hits of a principal's grants for one probe.
    func hits(_ principal: Int, _ probe: Probe) -> [KubernetesRBACEvaluator.Hit] {
        setHits[setOf[principal]][probe.rawValue]
    }

    /// Where a fan technique takes a principal (decided for its rights set).
    func reach(_ fan: Fan, _ principal: Int) -> Reach { reach[fan.rawValue][setOf[principal]] }

    /// Hits that apply cluster-wide, to every name.
    func clusterWide(_ hits: [KubernetesRBACEvaluator.Hit]) -> [KubernetesRBACEvaluator.Hit] {
        hits.filter { $0.namespace == nil && $0.names == nil }
    }

    /// Whether a Pod Security `enforce` level admits privileged pods: unknown, absent (`""`) or `privileged`.
    static func admitsPrivileged(_ level: String?) -> Bool {
        level == nil || level == "" || level == "privileged"
    }

    /// Why the namespace's Pod Security `enforce` level admits privileged pods, or does not.
    func podSecurity(_ namespace: String) -> (admits: Bool, why: String) {
        switch enforceLevel[namespace] {
        case nil:
            return (
                true,
                "the export does not list namespace \(namespace), so its Pod Security labels are unknown and the built-in default (privileged) is assumed"
            )
        case ""?:
            return (
                true,
                "namespace \(namespace) has no pod-security.kubernetes.io/enforce label, so Pod Security Admission's default level, privileged, applies"
            )
        case "privileged"?: return (true, "namespace \(namespace) is labelled pod-security.kubernetes.io/enforce: privileged")
        case let level?: return (false, "namespace \(namespace) enforces the \(level) Pod Security level")
        }
    }

    func edge(_ principal: Int, to target: String, rule: String, reason: String, _ refs: [StatementRef], conditions: [String] = []) -> Edge {
        Edge(
            from: principals[principal].id,
            to: target,
            kind: .canTakeOver,
            rule: rule,
            reason: reason,
            conditions: conditions,
            statement: refs.first,
            otherStatements: refs.count > 1 ? Array(refs.dropFirst()) : nil
        )
    }

    func account(_ principal: Int) -> String { "service account \(namespaceOf[principal])/\(shortName[principal])" }
}
