public import Foundation

/// A principal that can authenticate and act: an IAM user or role, a service account, an API key.
///
/// The `id` is globally unique and stable across snapshots (for AWS, the ARN), so that
/// snapshots can be compared. `nature` says whether a person or a machine uses it and why.
/// What it may do and who may become it are not fields: they are ``Grant``s of ``Policy``
/// values (permissions, boundary, trust) and ``Edge``s, the same for every provider.
///
/// For example:
/// ```swift
/// let role = Identity(id: "arn:aws:iam::210987654321:role/ci-deploy", provider: .aws,
///                     kind: .iamRole, name: "ci-deploy", nature: .machine,
///                     natureReason: "trusted by a GitHub Actions OIDC provider")
/// ```
public struct Identity: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var provider: Provider
    public var kind: IdentityKind
    public var name: String
    /// The provider's native unique id (`AIDA…`, `AROA…`), when it has one.
    public var nativeId: String?
    /// Account, project, subscription or cluster.
    public var account: String?
    public var path: String?
    public var environment: String?
    public var owner: String?
    public var tags: [String: String]
    public var createdAt: Date?
    /// The last time any credential of the identity was used, or the role was assumed.
    public var lastUsedAt: Date?
    /// Where it was last used, as the provider reports it ("s3 in us-east-1").
    public var lastUsedDetail: String?
    /// Whether the sources record usage for this identity at all; `lastUsedAt == nil` means
    /// "never used" only when this is true.
    public var usageTracked: Bool
    public var nature: IdentityNature
    /// Why `nature` was chosen, as a sentence for reports.
    public var natureReason: String
    /// Console (interactive) sign-in, when the provider has such a thing.
    public var console: ConsoleAccess?
    /// Set when the provider itself manages the identity (AWS service-linked roles).
    public var managedBy: String?

    public init(
        id: String,
        provider: Provider,
        kind: IdentityKind,
        name: String,
        nativeId: String? = nil,
        account: String? = nil,
        path: String? = nil,
        environment: String? = nil,
        owner: String? = nil,
        tags: [String: String] = [:],
        createdAt: Date? = nil,
        lastUsedAt: Date? = nil,
        lastUsedDetail: String? = nil,
        usageTracked: Bool = false,
        nature: IdentityNature = .unknown,
        natureReason: String = "",
        console: ConsoleAccess? = nil,
        managedBy: String? = nil
    ) {
        self.id = id
        self.provider = provider
        self.kind = kind
        self.name = name
        self.nativeId = nativeId
        self.account = account
        self.path = path
        self.environment = environment
        self.owner = owner
        self.tags = tags
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedDetail = lastUsedDetail
        self.usageTracked = usageTracked
        self.nature = nature
        self.natureReason = natureReason
        self.console = console
        self.managedBy = managedBy
    }

    /// The ARN, for AWS identities (whose ids are ARNs).
    public var arn: String? { id.hasPrefix("arn:") ? id : nil }
}

/// Interactive sign-in facts for an identity.
public struct ConsoleAccess: Codable, Hashable, Sendable {
    public var passwordEnabled: Bool
    public var mfaActive: Bool
    public var passwordLastUsedAt: Date?
    public var passwordLastChangedAt: Date?

    public init(passwordEnabled: Bool, mfaActive: Bool, passwordLastUsedAt: Date? = nil, passwordLastChangedAt: Date? = nil) {
        self.passwordEnabled = passwordEnabled
        self.mfaActive = mfaActive
        self.passwordLastUsedAt = passwordLastUsedAt
        self.passwordLastChangedAt = passwordLastChangedAt
    }
}
