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

/// One problem with one identity, with the facts that show it and what to do.
public struct Finding: Codable, Hashable, Sendable {
    public var ruleId: String
    public var severity: Severity
    public var title: String
    public var owasp: OWASPCategory
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
        evidence: [String],
        remediation: String
    ) {
        self.ruleId = ruleId
        self.severity = severity
        self.title = title
        self.owasp = owasp
        self.identityId = identityId
        self.identityName = identityName
        self.credentialId = credentialId
        self.evidence = evidence
        self.remediation = remediation
    }
}
