public import RosterModel

/// Judges what an identity of one provider can do from its grants, in that provider's terms
/// (GCP roles on a resource hierarchy, Azure role assignments at a scope, Kubernetes RBAC).
///
/// AWS identities are judged by ``PrivilegeAnalysis`` (request evaluation with denies and
/// boundaries); every other provider declares one evaluator here.
public struct PrivilegeEvaluator: Sendable {
    public let provider: Provider
    let assess: @Sendable (Identity, [GrantedPolicy], EstateIndex) -> PrivilegeAssessment

    public init(provider: Provider, assess: @escaping @Sendable (Identity, [GrantedPolicy], EstateIndex) -> PrivilegeAssessment) {
        self.provider = provider
        self.assess = assess
    }
}

/// The registry of per-provider privilege evaluators.
///
/// Add one by declaring it in `Providers/<Provider>Privilege.swift` and listing it in ``all``.
public enum PrivilegeEvaluators {
    public static let all: [PrivilegeEvaluator] = [gcp, azure, kubernetes, github, saas]

    static let byProvider: [Provider: PrivilegeEvaluator] = Dictionary(all.map { ($0.provider, $0) }, uniquingKeysWith: { a, _ in a })

    /// The verdict of the identity's provider's evaluator; for a provider without one, the
    /// highest level any grant names cannot be known, so grants make it `unknown` and no grants `none`.
    public static func assess(_ identity: Identity, in index: EstateIndex) -> PrivilegeAssessment {
        let grants = index.grants(of: identity).filter { $0.grant.via != .trust && $0.grant.via != .boundary }
        if let evaluator = byProvider[identity.provider] { return evaluator.assess(identity, grants, index) }
        if grants.isEmpty { return PrivilegeAssessment(level: .none, evidence: ["no grants"], conditional: false) }
        return PrivilegeAssessment(
            level: .unknown, evidence: ["\(grants.count) grant(s) that Roster cannot evaluate for \(identity.provider)"], conditional: false)
    }
}
