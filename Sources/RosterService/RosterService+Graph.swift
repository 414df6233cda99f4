import Foundation
public import RosterAnalysis
public import RosterModel
import RosterStore

/// One principal's answer to "can it become admin (or reach a target)", with the path.
public struct PrincipalPath: Sendable {
    public var identity: Identity
    public var reachable: Bool
    /// The steps of the shortest path, shared policy sets folded in; empty when unreachable.
    public var steps: [Edge]
    /// For Kubernetes service accounts: the cloud identities it can act as, by any path.
    public var cloudIdentities: [String]
    /// False when a policy attached to it is not in the export: what it reaches may be more than the graph shows.
    public var complete: Bool = true
}

/// What one identity reaches: identities it can take over and sensitive resources it can use, nearest first.
public struct BlastRadius: Sendable {
    public struct Reach: Sendable {
        public var id: String
        public var label: String
        /// `admin`, `identity`, or the sensitive kind (`secrets`, `kms`, `data`, `iam`, `cicd`).
        public var category: String
        public var steps: [Edge]
    }

    public var identity: Identity
    public var reaches: [Reach]
    /// False when a policy attached to it is not in the export: it may reach more.
    public var complete: Bool = true

    public var counts: [String: Int] { Dictionary(grouping: reaches, by: \.category).mapValues(\.count) }
}

/// A read of the stored access graph, with names for its nodes.
public struct StoredAccessGraph: Sendable {
    public var graph: AccessGraph
    public var identities: [String: Identity]
    /// Identities whose privilege is unknown because an attached policy is missing from the export.
    public var incomplete: Set<String> = []

    public func label(_ id: String) -> String { identities[id]?.name ?? GraphLabels.label(id) }
}

/// Names for the access graph's nodes that are not identities.
public enum GraphLabels {
    public static func label(_ id: String) -> String {
        if GraphFragment.isAdminNode(id) { return "administrator of \(id.dropFirst("admin:".count))" }
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "aws", parts[2] == "sensitive", let kind = AWSEdgeRules.sensitiveKinds.first(where: { $0.kind == parts[3] }) {
            return "\(kind.label) of \(parts[1])"
        }
        if id.hasPrefix("aws:policy-set:") { return "a policy set shared by several principals" }
        if parts.count == 3, parts[0] == "aws", parts[2] == "every-user" { return "every IAM user of \(parts[1])" }
        if parts.count == 3, parts[0] == "aws", parts[2] == "every-role" { return "every IAM role of \(parts[1])" }
        return id
    }

    /// The category of a node for blast radius: `admin`, a sensitive kind, or nil for anything else.
    public static func category(_ id: String) -> String? {
        if GraphFragment.isAdminNode(id) { return "admin" }
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "aws", parts[2] == "sensitive" { return String(parts[3]) }
        return nil
    }
}

extension RosterService {
    /// The access graph the view's analyses stored: edge rules' edges and the links between systems.
    public func accessGraph(in view: View) async throws -> StoredAccessGraph {
        let edges = try await store.edges(analyses: view.analyses, kinds: Array(AccessGraph.traversable))
        let collected = IdentityCollector()
        try await store.forEachProfile(ProfileQuery(analyses: view.analyses)) { batch in collected.add(batch) }
        return StoredAccessGraph(graph: AccessGraph(edges: edges), identities: collected.byId(), incomplete: collected.unknown())
    }

    /// Every principal's shortest path to an admin node (or to `target`), or one principal's.
    ///
    /// - Parameters:
    ///   - from: an identity id to answer for alone; nil for every principal.
    ///   - target: nil or `admin` for the admin nodes, else a node id (an identity, a sensitive-resource node).
    public func paths(in stored: StoredAccessGraph, from: String?, target: String?, provider: Provider?) throws -> [PrincipalPath] {
        let graph = stored.graph
        let targets: [Int]
        if let target, target != "admin" {
            guard let node = graph.node(target) else { throw ServiceError(.notFound, "nothing in the access graph leads to \(target)") }
            targets = [node]
        } else {
            targets = graph.adminNodes
        }
        let towards = graph.towards(targets)
        let principals: [Identity]
        if let from {
            guard let identity = stored.identities[from] else { throw ServiceError(.notFound, "no identity \(from)") }
            principals = [identity]
        } else {
            principals = stored.identities.values
                .filter { provider == nil || $0.provider == provider }
                .filter { $0.kind != .rootAccount }
                .sorted { $0.id < $1.id }
        }
        let cloud = cloudIdentities(stored, for: principals)
        return principals.map { identity in
            let complete = !stored.incomplete.contains(identity.id)
            guard let node = graph.node(identity.id), towards.next[node] >= 0 else {
                return PrincipalPath(
                    identity: identity, reachable: targets.contains { graph.node(identity.id) == $0 }, steps: [], cloudIdentities: cloud[identity.id] ?? [],
                    complete: complete)
            }
            return PrincipalPath(
                identity: identity, reachable: true, steps: AccessGraph.steps(graph.path(from: node, next: towards.next)),
                cloudIdentities: cloud[identity.id] ?? [], complete: complete)
        }
    }

    /// For Kubernetes service accounts: the cloud identities each reaches. One reverse search per cloud
    /// identity some workload acts as (few), not one forward search per account.
    func cloudIdentities(_ stored: StoredAccessGraph, for principals: [Identity]) -> [String: [String]] {
        let wanted = Set(principals.filter { $0.provider == .kubernetes }.map(\.id))
        guard !wanted.isEmpty else { return [:] }
        let graph = stored.graph
        let clouds = Set(graph.edges.filter { $0.kind == .actsAs }.map(\.to))
        var out: [String: [String]] = [:]
        for cloud in clouds.sorted() {
            guard let node = graph.node(cloud) else { continue }
            for source in graph.reaching(node) where wanted.contains(graph.ids[source]) {
                out[graph.ids[source], default: []].append(cloud)
            }
        }
        return out
    }

    /// What an identity reaches: identities it can take over, admin nodes, sensitive resources.
    public func blastRadius(of identityId: String, in stored: StoredAccessGraph) throws -> BlastRadius {
        guard let identity = stored.identities[identityId] else { throw ServiceError(.notFound, "no identity \(identityId)") }
        let graph = stored.graph
        let complete = !stored.incomplete.contains(identityId)
        guard let start = graph.node(identityId) else { return BlastRadius(identity: identity, reaches: [], complete: complete) }
        let reached = graph.reachable(from: start)
        var via: [Int: Int] = [:]
        for entry in reached { via[entry.node] = entry.via }
        var reaches: [BlastRadius.Reach] = []
        for entry in reached {
            let id = graph.ids[entry.node]
            let category: String
            if let special = GraphLabels.category(id) {
                category = special
            } else if stored.identities[id] != nil {
                category = "identity"
            } else {
                continue
            }
            reaches.append(BlastRadius.Reach(id: id, label: stored.label(id), category: category, steps: AccessGraph.steps(graph.path(to: entry.node, via: via))))
        }
        // Sensitive first: admin, then the sensitive kinds, then identities; nearest first within each.
        let order = ["admin": 0, "secrets": 1, "kms": 2, "iam": 3, "data": 4, "cicd": 5, "identity": 6]
        reaches.sort { (order[$0.category] ?? 9, $0.steps.count, $0.id) < (order[$1.category] ?? 9, $1.steps.count, $1.id) }
        return BlastRadius(identity: identity, reaches: reaches, complete: complete)
    }

    // MARK: Deciding one request

    /// A Kubernetes request as `kubectl auth can-i` names it: a verb, and a resource as `resource[.group][/subresource]`
    /// (`pods/exec`, `deployments.apps`) or a non-resource URL (`/healthz`), in a namespace, optionally of one name.
    public struct KubernetesRequest: Sendable {
        public var namespace: String?
        public var name: String?

        public init(namespace: String? = nil, name: String? = nil) {
            self.namespace = namespace
            self.name = name
        }

        /// `deployments.apps/scale` → (group `apps`, resource `deployments/scale`).
        static func split(_ text: String) -> (group: String, resource: String) {
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            let head = parts[0]
            let dot = head.firstIndex(of: ".")
            let resource = dot.map { String(head[..<$0]) } ?? head
            let group = dot.map { String(head[head.index(after: $0)...]) } ?? ""
            return (group, parts.count > 1 ? resource + "/" + parts[1] : resource)
        }

        func decide(_ evaluator: KubernetesRBACEvaluator, subject: String, verb: String, resource: String) -> PermissionDecision {
            if resource.hasPrefix("/") { return evaluator.decide(subject: subject, verb: verb, nonResourceURL: resource) }
            let (group, name) = Self.split(resource)
            return evaluator.decide(subject: subject, verb: verb, group: group, resource: name, namespace: namespace, name: self.name)
        }
    }

    /// Whether an identity may make a request, with the deciding statements: AWS identities are decided
    /// by ``AWSAuthorizer`` on their estate's policies (a role's trust policy counts for `sts:AssumeRole`),
    /// GCP and Azure ones by their evaluators, Kubernetes service accounts by RBAC (`kubernetes` says where).
    public func can(
        _ identityId: String, action: String, resource: String, kubernetes: KubernetesRequest = KubernetesRequest(), in view: View
    ) async throws -> PermissionDecision {
        let (estate, index, identity) = try await estate(holding: identityId, in: view)
        switch identity.provider {
        case .aws:
            return Self.awsAuthorizer(identity, index: index).decide(
                action, on: resource, resourcePolicy: Self.resourcePolicy(action: action, resource: resource, index: index),
                resourceAccount: Self.account(of: resource) ?? identity.account)
        case .gcp:
            return GCPPermissionEvaluator(estate: estate).decide(principal: identityId, permission: action, resource: resource)
        case .azure:
            return AzurePermissionEvaluator(estate: estate).decide(principal: identityId, permission: action, resource: resource)
        case .kubernetes:
            return kubernetes.decide(KubernetesRBACEvaluator(estate: estate), subject: identityId, verb: action, resource: resource)
        default:
            throw ServiceError(.invalidInput, "`roster can` decides AWS, Kubernetes, GCP and Azure identities; \(identity.provider.rawValue) has no evaluator")
        }
    }

    /// Every identity of the view's AWS, GCP and Azure estates allowed (or possibly allowed) to make a request.
    /// The action's form says which provider it is for: `iam:CreateAccessKey` (AWS), `iam.serviceAccounts.actAs`
    /// (GCP), `Microsoft.Authorization/roleAssignments/write` (Azure).
    public func whoCan(
        action: String, resource: String, kubernetes: KubernetesRequest = KubernetesRequest(), in view: View
    ) async throws -> [(identity: Identity, decision: PermissionDecision)] {
        var out: [(Identity, PermissionDecision)] = []
        let provider = Self.provider(ofAction: action)
        for snapshot in view.snapshots where snapshot.scope.hasPrefix(provider.rawValue + ":") {
            let estate = try await store.estate(snapshot: snapshot.id)
            if provider == .kubernetes {
                let evaluator = KubernetesRBACEvaluator(estate: estate)
                for identity in estate.identities {
                    let decision = kubernetes.decide(evaluator, subject: identity.id, verb: action, resource: resource)
                    if decision.outcome != .denied { out.append((identity, decision)) }
                }
                continue
            }
            if provider != .aws {
                let byId = Dictionary(estate.identities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let decide: (String) -> PermissionDecision
                let ids: [String]
                if provider == .gcp {
                    let evaluator = GCPPermissionEvaluator(estate: estate)
                    ids = evaluator.principals(allowed: action, resource: resource)
                    decide = { evaluator.decide(principal: $0, permission: action, resource: resource) }
                } else {
                    let evaluator = AzurePermissionEvaluator(estate: estate)
                    ids = evaluator.principals(allowed: action, resource: resource)
                    decide = { evaluator.decide(principal: $0, permission: action, resource: resource) }
                }
                for id in ids { if let identity = byId[id] { out.append((identity, decide(id))) } }
                continue
            }
            let index = EstateIndex([estate])
            let resourcePolicy = Self.resourcePolicy(action: action, resource: resource, index: index)
            let account = Self.account(of: resource)
            for identity in estate.identities where identity.kind == .iamUser || identity.kind == .iamRole {
                let decision = Self.awsAuthorizer(identity, index: index).decide(
                    action, on: resource, resourcePolicy: resourcePolicy, resourceAccount: account ?? identity.account)
                if decision.outcome != .denied { out.append((identity, decision)) }
            }
        }
        return out.sorted { ($0.1.outcome == .allowed ? 0 : 1, $0.0.id) < ($1.1.outcome == .allowed ? 0 : 1, $1.0.id) }
    }

    /// The provider an action's spelling belongs to.
    static func provider(ofAction action: String) -> Provider {
        if action.contains("/") { return .azure }
        if !action.contains(":") && action.contains(".") { return .gcp }
        // A bare verb (`create`, `get`, `impersonate`) is a Kubernetes request.
        if !action.contains(":") { return .kubernetes }
        return .aws
    }

    static func awsAuthorizer(_ identity: Identity, index: EstateIndex) -> AWSAuthorizer {
        let granted = index.permissionPolicySet(of: identity)
        return AWSAuthorizer(
            principal: identity, policies: granted.granted.map(\.policy), boundary: index.boundary(of: identity),
            controlPolicies: index.controlPolicies(of: identity), unknownPolicies: granted.missing)
    }

    /// The resource policy that applies: a role's trust policy for assuming it.
    static func resourcePolicy(action: String, resource: String, index: EstateIndex) -> Policy? {
        guard action.lowercased().hasPrefix("sts:assumerole"), let role = index.identitiesById[resource] else { return nil }
        return index.trustPolicy(of: role)
    }

    static func account(of arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }

    func estate(holding identityId: String, in view: View) async throws -> (Estate, EstateIndex, Identity) {
        // The snapshot of the identity's own scope first; the others only if the scope does not say.
        var order = view.snapshots
        if let known = try await store.profiles(ProfileQuery(analyses: view.analyses, identityIds: [identityId])).first?.identity,
           let account = known.account, let own = order.firstIndex(where: { $0.scope == "\(known.provider.rawValue):\(account)" }) {
            order.insert(order.remove(at: own), at: 0)
        }
        for snapshot in order {
            let estate = try await store.estate(snapshot: snapshot.id)
            if let identity = estate.identities.first(where: { $0.id == identityId }) { return (estate, EstateIndex([estate]), identity) }
        }
        throw ServiceError(.notFound, "no identity \(identityId) in the current snapshots")
    }
}

/// Identities handed over in batches by the store's reader, kept by id.
final class IdentityCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var identities: [String: Identity] = [:]

    private var unknownPrivilege: Set<String> = []

    func add(_ batch: [IdentityProfileRecord]) {
        lock.lock()
        defer { lock.unlock() }
        for profile in batch {
            identities[profile.identity.id] = profile.identity
            if profile.privilege == "unknown" { unknownPrivilege.insert(profile.identity.id) }
        }
    }

    func unknown() -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return unknownPrivilege
    }

    func byId() -> [String: Identity] {
        lock.lock()
        defer { lock.unlock() }
        return identities
    }
}
