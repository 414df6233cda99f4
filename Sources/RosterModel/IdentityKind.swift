/// What sort of principal an identity is, in its provider's own terms.
///
/// Open and string-backed. The AWS kinds keep the names earlier releases wrote (`iam-user`);
/// kinds added for other providers are namespaced by provider (`gcp.service-account`,
/// `kubernetes.service-account`), so two providers' "service accounts" never collide.
public struct IdentityKind: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // AWS
    public static let iamUser: IdentityKind = "iam-user"
    public static let iamRole: IdentityKind = "iam-role"
    public static let rootAccount: IdentityKind = "root-account"
    // Provider-neutral kinds, for sources where a key or grant *is* the principal.
    public static let accessKey: IdentityKind = "access-key"
    public static let serviceAccount: IdentityKind = "service-account"
    public static let apiKey: IdentityKind = "api-key"
    public static let oauthGrant: IdentityKind = "oauth-grant"
    public static let workloadIdentity: IdentityKind = "workload-identity"
    public static let certificate: IdentityKind = "certificate"
    public static let pipelineCredential: IdentityKind = "pipeline-credential"
    // Other providers, namespaced.
    public static let gcpServiceAccount: IdentityKind = "gcp.service-account"
    public static let azureServicePrincipal: IdentityKind = "azure.service-principal"
    public static let azureManagedIdentity: IdentityKind = "azure.managed-identity"
    public static let kubernetesServiceAccount: IdentityKind = "kubernetes.service-account"

    /// The kinds this build has named constants for.
    public static let known: [IdentityKind] = [
        .iamUser, .iamRole, .rootAccount, .accessKey, .serviceAccount, .apiKey, .oauthGrant, .workloadIdentity, .certificate, .pipelineCredential,
        .gcpServiceAccount, .azureServicePrincipal, .azureManagedIdentity, .kubernetesServiceAccount,
    ]
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
