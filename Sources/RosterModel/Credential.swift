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
    /// Hex SHA-256 of the secret or, where only an identifier is known, of that identifier.
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

public enum CredentialKind: String, Codable, Hashable, Sendable, CaseIterable {
    case accessKey = "access-key"
    case password
    case signingCertificate = "signing-certificate"
    case sshKey = "ssh-key"
    case apiKey = "api-key"
    case oauthToken = "oauth-token"
    case serviceAccountKey = "service-account-key"
    case certificate
    case pipelineSecret = "pipeline-secret"
}

public enum CredentialStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case active
    case inactive
    case expired
}
