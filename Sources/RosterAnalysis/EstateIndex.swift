public import Foundation
public import RosterModel

/// An estate with the lookups analysis needs, built once in linear time.
///
/// Several estates (one per account) can be indexed together, so that trust between accounts
/// in the same store is recognised.
public struct EstateIndex: Sendable {
    public let identities: [Identity]
    public let identitiesById: [String: Identity]
    public let credentialsByIdentity: [String: [Credential]]
    public let policiesById: [String: Policy]
    public let grantsBySubject: [String: [Grant]]
    public let groupsByMember: [String: [String]]
    public let resourcesById: [String: Resource]
    /// Stated edges by their `from` and by their `to` end.
    public let edgesFrom: [String: [Edge]]
    public let edgesTo: [String: [Edge]]
    /// The Kubernetes bindings that name each subject (`kubernetes.binds` edges), apart from the rest: a group's
    /// other incoming edges are every member's `member-of`, too many to walk once per member.
    public let bindingsTo: [String: [Edge]]
    /// Accounts the estates cover.
    public let accounts: Set<String>
    /// When each identity's estate was observed: the "now" its ages are measured against.
    public let observedAtByScope: [String: Date]
    public let scopeByAccount: [String: String]

    public init(_ estates: [Estate]) {
        var identities: [Identity] = []
        var credentials: [String: [Credential]] = [:]
        var policies: [String: Policy] = [:]
        var grants: [String: [Grant]] = [:]
        var groups: [String: [String]] = [:]
        var resources: [String: Resource] = [:]
        var accounts: Set<String> = []
        var observed: [String: Date] = [:]
        var scopeByAccount: [String: String] = [:]
        var edgesFrom: [String: [Edge]] = [:]
        var edgesTo: [String: [Edge]] = [:]
        var bindingsTo: [String: [Edge]] = [:]
        for estate in estates {
            for edge in estate.edges {
                edgesFrom[edge.from, default: []].append(edge)
                edgesTo[edge.to, default: []].append(edge)
                if edge.kind == .kubernetesBinds { bindingsTo[edge.to, default: []].append(edge) }
            }
            identities += estate.identities
            for credential in estate.credentials { credentials[credential.identityId, default: []].append(credential) }
            for policy in estate.policies { policies[policy.id] = policy }
            for grant in estate.grants { grants[grant.subjectId, default: []].append(grant) }
            for edge in estate.edges where edge.kind == .memberOf { groups[edge.from, default: []].append(edge.to) }
            for resource in estate.resources { resources[resource.id] = resource }
            for identity in estate.identities {
                if let account = identity.account {
                    accounts.insert(account)
                    scopeByAccount[account] = estate.scope
                }
            }
            observed[estate.scope] = estate.observedAt
        }
        self.identities = identities
        self.identitiesById = Dictionary(identities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.credentialsByIdentity = credentials
        self.policiesById = policies
        self.grantsBySubject = grants
        self.groupsByMember = groups
        self.resourcesById = resources
        self.accounts = accounts
        self.observedAtByScope = observed
        self.scopeByAccount = scopeByAccount
        self.edgesFrom = edgesFrom
        self.edgesTo = edgesTo
        self.bindingsTo = bindingsTo
    }

    /// The time an identity's facts were observed.
    public func now(for identity: Identity) -> Date {
        identity.account.flatMap { scopeByAccount[$0] }.flatMap { observedAtByScope[$0] } ?? observedAtByScope.values.max() ?? Date()
    }

    public func credentials(of identity: Identity) -> [Credential] { credentialsByIdentity[identity.id] ?? [] }

    /// The policies that grant the identity permissions (attached, inline and through its groups), with how each applies.
    public func permissionPolicies(of identity: Identity) -> [(policy: Policy, via: String)] {
        permissionPolicySet(of: identity).granted
    }

    /// The identity's granting policies, with the ids of those attached (to it or its groups) but absent from the estate.
    ///
    /// A missing policy may grant anything, so analysis reports the identity's privilege as unknown rather than judging
    /// it by the policies that are there.
    public func permissionPolicySet(of identity: Identity) -> (granted: [(policy: Policy, via: String)], missing: [String]) {
        var out: [(Policy, String)] = []
        var missing: [String] = []
        func add(_ subject: String, label: (Grant) -> String) {
            for grant in grantsBySubject[subject] ?? [] where grant.via != .boundary && grant.via != .trust {
                if let policy = policiesById[grant.policyId] { out.append((policy, label(grant))) } else { missing.append(grant.policyId) }
            }
        }
        add(identity.id) { $0.via == .inline ? "inline" : "attached" }
        for group in groupsByMember[identity.id] ?? [] {
            let name = resourcesById[group]?.name ?? group
            add(group) { _ in "via group \(name)" }
        }
        return (out, Array(Set(missing)).sorted())
    }

    /// The ids of managed policies attached to the identity or to its groups, whether or not the estate holds them.
    public func attachedPolicyIds(of identity: Identity) -> [String] {
        let subjects = [identity.id] + (groupsByMember[identity.id] ?? [])
        let ids = subjects.flatMap { grantsBySubject[$0] ?? [] }.filter { $0.via == .attached }.map(\.policyId)
        return Array(Set(ids)).sorted()
    }

    /// The permissions boundary, when the identity has one and its document is known.
    public func boundary(of identity: Identity) -> Policy? {
        boundaryId(of: identity).flatMap { policiesById[$0] }
    }

    /// The id of the identity's permissions boundary, known or not.
    public func boundaryId(of identity: Identity) -> String? {
        grantsBySubject[identity.id]?.first { $0.via == .boundary }?.policyId
    }

    /// Every grant naming the identity as subject, with its policy when the estate holds it:
    /// what provider evaluators and detectors of every provider judge an identity by.
    public func grants(of identity: Identity) -> [GrantedPolicy] {
        (grantsBySubject[identity.id] ?? []).map { GrantedPolicy(grant: $0, policy: policiesById[$0.policyId]) }
    }

    /// The service control policies that bound an AWS identity, by level of its organization (root first):
    /// an allow is needed at every level. Empty outside an organization, for the management account (which
    /// SCPs do not bound) and for service-linked roles (which they do not affect).
    public func controlPolicies(of identity: Identity) -> [[Policy]] {
        guard identity.provider == .aws, identity.managedBy == nil, let account = identity.account else { return [] }
        let grants = (grantsBySubject["aws:\(account)"] ?? []).filter { $0.via == .serviceControl }
        guard !grants.isEmpty else { return [] }
        let levels = Dictionary(grouping: grants) { grant in Int(grant.scope?.id.split(separator: " ").first ?? "") ?? 0 }
        return levels.keys.sorted().map { depth in levels[depth]!.compactMap { policiesById[$0.policyId] } }
    }

    /// Who may assume the identity: its trust policy, for roles.
    public func trustPolicy(of identity: Identity) -> Policy? {
        grantsBySubject[identity.id]?.first { $0.via == .trust }.flatMap { policiesById[$0.policyId] }
    }
}

/// A grant with the policy it names (nil when the estate does not hold that policy).
public struct GrantedPolicy: Sendable, Hashable {
    public var grant: Grant
    public var policy: Policy?

    public init(grant: Grant, policy: Policy?) {
        self.grant = grant
        self.policy = policy
    }
}

extension Date {
    /// Whole days from `self` to `later` (never negative).
    public func days(until later: Date) -> Int { max(0, Int(later.timeIntervalSince(self) / 86_400)) }
}
