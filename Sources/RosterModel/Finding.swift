/// How bad a finding is, from `info` to `critical`.
public enum Severity: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    case info
    case low
    case medium
    case high
    case critical

    public var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The OWASP Non-Human Identities Top 10 (2025) category a finding belongs to.
public enum OWASPCategory: String, Codable, Hashable, Sendable, CaseIterable {
    case nhi1ImproperOffboarding = "NHI1"
    case nhi2SecretLeakage = "NHI2"
    case nhi3VulnerableThirdPartyNHI = "NHI3"
    case nhi4InsecureAuthentication = "NHI4"
    case nhi5OverprivilegedNHI = "NHI5"
    case nhi6InsecureCloudDeploymentConfigurations = "NHI6"
    case nhi7LongLivedSecrets = "NHI7"
    case nhi8EnvironmentIsolation = "NHI8"
    case nhi9NHIReuse = "NHI9"
    case nhi10HumanUseOfNHI = "NHI10"

    /// The category's title as OWASP writes it.
    public var title: String {
        switch self {
        case .nhi1ImproperOffboarding: "Improper Offboarding"
        case .nhi2SecretLeakage: "Secret Leakage"
        case .nhi3VulnerableThirdPartyNHI: "Vulnerable Third-Party NHI"
        case .nhi4InsecureAuthentication: "Insecure Authentication"
        case .nhi5OverprivilegedNHI: "Overprivileged NHI"
        case .nhi6InsecureCloudDeploymentConfigurations: "Insecure Cloud Deployment Configurations"
        case .nhi7LongLivedSecrets: "Long-Lived Secrets"
        case .nhi8EnvironmentIsolation: "Environment Isolation"
        case .nhi9NHIReuse: "NHI Reuse"
        case .nhi10HumanUseOfNHI: "Human Use of NHI"
        }
    }
}

/// One problem with one subject, with the facts that show it and what to do.
///
/// `id` is stable: a hash of the rule, the subject and a discriminator, so the same problem on
/// the same thing has the same id in every snapshot, and can be suppressed, diffed and tracked
/// (first seen, last seen) like gitleaks' fingerprints.
public struct Finding: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var ruleId: String
    public var severity: Severity
    public var title: String
    public var owasp: OWASPCategory
    public var subject: FindingSubject
    /// The identity the finding is about or attributed to ("" when none is known, as for a leaked key nobody in the store holds).
    public var identityId: String
    public var identityName: String
    /// The credential the finding is about, when it is about one (an access key id).
    public var credentialId: String?
    /// Facts, each a sentence, that show the problem.
    public var evidence: [String]
    public var remediation: String

    public init(
        ruleId: String,
        severity: Severity,
        title: String,
        owasp: OWASPCategory,
        identityId: String,
        identityName: String,
        credentialId: String? = nil,
        subject: FindingSubject? = nil,
        discriminator: String = "",
        evidence: [String],
        remediation: String
    ) {
        let subject = subject ?? (credentialId.map(FindingSubject.credential) ?? .identity(identityId))
        self.id = FindingID.make(rule: ruleId, subject: subject, discriminator: discriminator)
        self.ruleId = ruleId
        self.severity = severity
        self.title = title
        self.owasp = owasp
        self.subject = subject
        self.identityId = identityId
        self.identityName = identityName
        self.credentialId = credentialId
        self.evidence = evidence
        self.remediation = remediation
    }
}

/// What a finding is about.
public enum FindingSubject: Codable, Hashable, Sendable {
    case identity(String)
    case credential(String)
    /// A place in a file, optionally in one commit (a leaked secret).
    case location(file: String, line: Int, commit: String?)
    /// A path of edges, as the ids it passes through (an escalation path).
    case path([String])

    /// The canonical text hashed into finding ids: never change it for an existing case.
    public var key: String {
        switch self {
        case .identity(let id): "identity:\(id)"
        case .credential(let id): "credential:\(id)"
        case .location(let file, let line, let commit): "location:\(file):\(line)@\(commit ?? "")"
        case .path(let ids): "path:" + ids.joined(separator: "->")
        }
    }
}

/// Stable finding ids: `<16 hex digits>` of SHA-256 over rule, subject and discriminator.
public enum FindingID {
    public static func make(rule: String, subject: FindingSubject, discriminator: String = "") -> String {
        String(SHA256Digest.hex(of: "\(rule)\u{1F}\(subject.key)\u{1F}\(discriminator)").prefix(16))
    }
}
