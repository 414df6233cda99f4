public import Foundation
public import RosterModel

/// One NHI check, declared as a value: what it finds, how bad, which OWASP category, what to do.
///
/// `evaluate` looks at one identity (with its facts precomputed in ``Subject``) and returns a
/// ``Hit`` per problem; the detector turns each hit into a ``Finding`` carrying its metadata.
///
/// For example:
/// ```swift
/// static let rootAccessKeys = Detector(
///     id: "aws.root.access-keys", title: "Root user has access keys", severity: .critical,
///     owasp: .nhi5OverprivilegedNHI, remediation: "Delete the root user's access keys.",
///     evaluate: { subject, policy in ... })
/// ```
public struct Detector: Sendable, Identifiable {
    public let id: String
    public let title: String
    public let severity: Severity
    public let owasp: OWASPCategory
    /// What the detector looks for, as a sentence, for `roster rules`.
    public let summary: String
    public let remediation: String
    let evaluate: @Sendable (Subject, DetectionPolicy) -> [Hit]

    public init(
        id: String,
        title: String,
        severity: Severity,
        owasp: OWASPCategory,
        summary: String,
        remediation: String,
        evaluate: @escaping @Sendable (Subject, DetectionPolicy) -> [Hit]
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.owasp = owasp
        self.summary = summary
        self.remediation = remediation
        self.evaluate = evaluate
    }

    /// The findings this detector raises on one identity.
    public func findings(for subject: Subject, policy: DetectionPolicy) -> [Finding] {
        evaluate(subject, policy).map {
            Finding(
                ruleId: id, severity: $0.severity ?? severity, title: title, owasp: owasp, identityId: subject.identity.id,
                identityName: subject.identity.name, credentialId: $0.credentialId, evidence: $0.evidence, remediation: remediation)
        }
    }
}

/// One problem a detector saw, before it becomes a finding.
public struct Hit: Sendable {
    public var evidence: [String]
    public var credentialId: String?
    /// The severity of this one hit, when it depends on how bad the case is (an unused identity's
    /// staleness tier); nil for the detector's own. The finding id does not depend on it.
    public var severity: Severity?

    public init(_ evidence: [String], credentialId: String? = nil, severity: Severity? = nil) {
        self.evidence = evidence
        self.credentialId = credentialId
        self.severity = severity
    }
}

/// An identity with everything detectors judge it by, computed once.
public struct Subject: Sendable {
    public let identity: Identity
    public let credentials: [Credential]
    /// The time the identity's data was observed; ages are measured to it.
    public let now: Date
    public let privilege: PrivilegeAssessment
    /// For roles: who can assume it.
    public let trust: TrustAssessment?
    /// Accounts that may be trusted: those in the store plus the configured ones, by id, with a name.
    public let knownAccounts: [String: String]
    /// Every grant naming the identity, with its policy (permissions, trust, boundary, bindings).
    public let grants: [GrantedPolicy]
    /// Edges the sources state from and to the identity (a workload runs as it, it federates into a role…).
    public let edgesOut: [Edge]
    public let edgesIn: [Edge]
    /// The whole estate the identity was analysed in, for checks that look further (which workloads exist).
    public let index: EstateIndex?

    public init(
        identity: Identity, credentials: [Credential], now: Date, privilege: PrivilegeAssessment, trust: TrustAssessment?,
        knownAccounts: [String: String], grants: [GrantedPolicy] = [], edgesOut: [Edge] = [], edgesIn: [Edge] = [], index: EstateIndex? = nil
    ) {
        self.identity = identity
        self.credentials = credentials
        self.now = now
        self.privilege = privilege
        self.trust = trust
        self.knownAccounts = knownAccounts
        self.grants = grants
        self.edgesOut = edgesOut
        self.edgesIn = edgesIn
        self.index = index
    }

    /// Whether governance rules for machine identities apply: a machine or unclassified identity
    /// that the customer (not the provider) manages.
    public var isGovernedNHI: Bool { identity.nature.isNonHuman && identity.managedBy == nil && identity.kind != .rootAccount }

    public var activeAccessKeys: [Credential] { credentials.filter { $0.kind == .accessKey && $0.status == .active } }

    func days(since date: Date) -> Int { date.days(until: now) }
}

/// Short, stable renderings used in evidence sentences.
enum Say {
    static func date(_ date: Date?) -> String {
        guard let date else { return "never" }
        return date.utcDay
    }

    static func key(_ credential: Credential) -> String { "access key \(credential.preview ?? credential.id)" }

    static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }
}
