public import Foundation

/// A secret an identity authenticates with: an access key, a password, a certificate, a token.
///
/// The model never holds a secret's value. Connectors that see one keep only its SHA-256
/// `fingerprint` and a redacted `preview`; identifiers that are not secret (an access key id)
/// are kept as the `id`.
public struct Credential: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var identityId: String
    public var kind: CredentialKind
    public var status: CredentialStatus
    public var createdAt: Date?
    public var lastRotatedAt: Date?
    public var lastUsedAt: Date?
    /// Where it was last used, as the provider reports it ("s3 in us-east-1").
    public var lastUsedDetail: String?
    /// Whether the source records this credential's use; `lastUsedAt == nil` means "never used"
    /// only when this is true.
    public var usageTracked: Bool
    public var expiresAt: Date?
    /// The namespaced fingerprint (``CredentialFingerprint``) of the secret or, where only an
    /// identifier is known, of that identifier: `aws.access-key-id:sha256:…`. Connectors and the
    /// secret scanner compute it the same way, so a leaked key meets its owner on it.
    public var fingerprint: String?
    /// A redacted form safe to print (`AKIA…MPLE`).
    public var preview: String?

    public init(
        id: String,
        identityId: String,
        kind: CredentialKind,
        status: CredentialStatus = .active,
        createdAt: Date? = nil,
        lastRotatedAt: Date? = nil,
        lastUsedAt: Date? = nil,
        lastUsedDetail: String? = nil,
        usageTracked: Bool = false,
        expiresAt: Date? = nil,
        fingerprint: String? = nil,
        preview: String? = nil
    ) {
        self.id = id
        self.identityId = identityId
        self.kind = kind
        self.status = status
        self.createdAt = createdAt
        self.lastRotatedAt = lastRotatedAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedDetail = lastUsedDetail
        self.usageTracked = usageTracked
        self.expiresAt = expiresAt
        self.fingerprint = fingerprint
        self.preview = preview
    }

    /// When the secret was last replaced: the rotation date, else the creation date.
    public var ageReference: Date? { lastRotatedAt ?? createdAt }
}

/// What sort of secret a credential is. Open and string-backed, like ``IdentityKind``.
public struct CredentialKind: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let accessKey: CredentialKind = "access-key"
    public static let password: CredentialKind = "password"
    public static let signingCertificate: CredentialKind = "signing-certificate"
    public static let sshKey: CredentialKind = "ssh-key"
    public static let apiKey: CredentialKind = "api-key"
    public static let oauthToken: CredentialKind = "oauth-token"
    public static let serviceAccountKey: CredentialKind = "service-account-key"
    public static let certificate: CredentialKind = "certificate"
    public static let pipelineSecret: CredentialKind = "pipeline-secret"
    public static let clientSecret: CredentialKind = "client-secret"
    public static let federatedCredential: CredentialKind = "federated-credential"
    public static let serviceAccountToken: CredentialKind = "service-account-token"
}

public enum CredentialStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case active
    case inactive
    case expired
}
