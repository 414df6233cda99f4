/// What sort of principal an identity is, in its provider's own terms.
///
/// Access keys and other secrets are usually ``Credential`` values owned by an identity;
/// the credential kinds appear here too for sources where a key *is* the principal
/// (a standalone API key, a pipeline secret).
public enum IdentityKind: String, Codable, Hashable, Sendable, CaseIterable {
    case iamUser = "iam-user"
    case iamRole = "iam-role"
    case rootAccount = "root-account"
    case accessKey = "access-key"
    case serviceAccount = "service-account"
    case apiKey = "api-key"
    case oauthGrant = "oauth-grant"
    case workloadIdentity = "workload-identity"
    case certificate
    case pipelineCredential = "pipeline-credential"
}

/// Whether a person or a machine uses an identity.
///
/// Roster classifies every identity so that machine identities can be governed on their own
/// and "human use of a machine identity" (OWASP NHI10) can be detected.
public enum IdentityNature: String, Codable, Hashable, Sendable, CaseIterable {
    /// A person signs in with it (console password with MFA, SAML or SSO federation).
    case human
    /// A workload, pipeline or integration uses it: a non-human identity (NHI).
    case machine
    /// The account's root user: neither, and governed on its own.
    case root
    /// The sources imported so far do not say.
    case unknown

    /// Whether the identity counts as a non-human identity in inventory and metrics.
    ///
    /// Unknown identities count as NHIs: an unclassified principal is exactly what NHI
    /// governance has to account for.
    public var isNonHuman: Bool { self == .machine || self == .unknown }
}
