/// Something identities reach or belong to that is not itself an identity: a group, an
/// instance profile, an OIDC provider, a bucket.
public struct Resource: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var provider: Provider
    /// The provider's type name: `aws.iam.group`, `aws.iam.instance-profile`.
    public var type: String
    public var name: String
    public var account: String?
    public var attributes: [String: String]

    public init(id: String, provider: Provider, type: String, name: String, account: String? = nil, attributes: [String: String] = [:]) {
        self.id = id
        self.provider = provider
        self.type = type
        self.name = name
        self.account = account
        self.attributes = attributes
    }
}

/// A directed relation between two things in an estate, such as "user is a member of group".
public struct Link: Codable, Hashable, Sendable {
    public var fromId: String
    public var toId: String
    public var kind: LinkKind

    public init(fromId: String, toId: String, kind: LinkKind) {
        self.fromId = fromId
        self.toId = toId
        self.kind = kind
    }
}

public enum LinkKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// An identity belongs to a group.
    case memberOf = "member-of"
    /// An instance profile carries a role.
    case carries
    /// A principal may assume a role (from a trust policy).
    case canAssume = "can-assume"
}
