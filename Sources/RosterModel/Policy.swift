/// A named set of permissions: an AWS managed or inline policy, a GCP role, a Kubernetes Role.
///
/// Inline policies get a synthetic id, `<owner-id>#inline/<name>`, so grants can point at them
/// like at any other policy.
public struct Policy: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var provider: Provider
    public var kind: PolicyKind
    public var document: PolicyDocument

    public init(id: String, name: String, provider: Provider, kind: PolicyKind, document: PolicyDocument) {
        self.id = id
        self.name = name
        self.provider = provider
        self.kind = kind
        self.document = document
    }
}

public enum PolicyKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// Managed by the provider (`arn:aws:iam::aws:policy/…`).
    case providerManaged = "provider-managed"
    /// Managed by the customer and attachable to many principals.
    case customerManaged = "customer-managed"
    /// Embedded in one principal.
    case inline
}

/// A policy attached to an identity or to a group it belongs to.
public struct Grant: Codable, Hashable, Sendable {
    /// The identity or group (a ``Resource``) the policy is attached to.
    public var subjectId: String
    public var policyId: String
    public var via: GrantVia

    public init(subjectId: String, policyId: String, via: GrantVia) {
        self.subjectId = subjectId
        self.policyId = policyId
        self.via = via
    }
}

public enum GrantVia: String, Codable, Hashable, Sendable, CaseIterable {
    case attached
    case inline
    /// The policy is the subject's permissions boundary: it limits, it does not grant.
    case boundary
}
