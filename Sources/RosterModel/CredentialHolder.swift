public import Foundation

/// Who holds a credential a secret scan found, as the inventory knows it.
public struct CredentialHolder: Sendable, Hashable, Codable {
    /// `active` or `inactive` (the credential is in the current estate), `deleted` (only older
    /// snapshots hold it), or `unknown` (the inventory never saw it: nobody is named).
    public var status: String
    public var credentialId: String?
    public var identityId: String?
    public var identityName: String?
    public var arn: String?
    public var provider: String?
    public var account: String?
    public var owner: String?
    public var environment: String?
    public var lastUsedAt: Date?
    /// What the identity may do (`admin`, `write`, `read`, …) and why: its reach until the access
    /// graph gives paths.
    public var privilege: String?
    public var privilegeEvidence: [String]
    public var risk: Int?

    public init(
        status: String, credentialId: String? = nil, identityId: String? = nil, identityName: String? = nil, arn: String? = nil,
        provider: String? = nil, account: String? = nil, owner: String? = nil, environment: String? = nil, lastUsedAt: Date? = nil,
        privilege: String? = nil, privilegeEvidence: [String] = [], risk: Int? = nil
    ) {
        self.status = status
        self.credentialId = credentialId
        self.identityId = identityId
        self.identityName = identityName
        self.arn = arn
        self.provider = provider
        self.account = account
        self.owner = owner
        self.environment = environment
        self.lastUsedAt = lastUsedAt
        self.privilege = privilege
        self.privilegeEvidence = privilegeEvidence
        self.risk = risk
    }

    public static let unknown = CredentialHolder(status: "unknown")

    public var isActive: Bool { status == "active" }
}

