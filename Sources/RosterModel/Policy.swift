/// A named set of permissions, in its provider's own grammar: an AWS managed or inline policy
/// or trust policy, a Kubernetes Role, a GCP role, an Azure role definition.
///
/// Inline policies get a synthetic id, `<owner-id>#inline/<name>`, and an AWS role's trust
/// policy `<role-arn>#trust`, so grants can point at them like at any other policy.
public struct Policy: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var provider: Provider
    public var kind: PolicyKind
    public var body: PolicyBody

    public init(id: String, name: String, provider: Provider, kind: PolicyKind, body: PolicyBody) {
        self.id = id
        self.name = name
        self.provider = provider
        self.kind = kind
        self.body = body
    }

    /// An AWS policy.
    public init(id: String, name: String, provider: Provider = .aws, kind: PolicyKind, document: PolicyDocument) {
        self.init(id: id, name: name, provider: provider, kind: kind, body: .aws(document))
    }

    /// The AWS policy document, when the body is one.
    public var awsDocument: PolicyDocument? {
        if case .aws(let document) = body { return document }
        return nil
    }

    /// The statements of an AWS body; empty for other providers' policies.
    public var awsStatements: [PolicyStatement] { awsDocument?.statements ?? [] }
}

/// Where a policy comes from and how it may be used. Open and string-backed.
public struct PolicyKind: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Managed by the provider (`arn:aws:iam::aws:policy/…`, a GCP predefined role, an Azure built-in role).
    public static let providerManaged: PolicyKind = "provider-managed"
    /// Managed by the customer and attachable to many principals.
    public static let customerManaged: PolicyKind = "customer-managed"
    /// Embedded in one principal.
    public static let inline: PolicyKind = "inline"
    /// Who may assume a role: an AWS trust (assume-role) policy, a resource policy on the role.
    public static let trust: PolicyKind = "trust"
    /// An AWS Organizations service control policy: it grants nothing, it bounds what accounts below it may allow.
    public static let serviceControl: PolicyKind = "service-control"
}

/// A policy's content, tagged with the grammar it is written in.
///
/// Coded as `{"type": "aws", "document": …}`, `{"type": "kubernetes-rbac", "rules": […]}`,
/// `{"type": "gcp-role", "permissions": […]}` or `{"type": "azure-role", "permissions": …}`.
/// A type this build does not know is kept, with its JSON, and written back unchanged.
public enum PolicyBody: Codable, Hashable, Sendable {
    case aws(PolicyDocument)
    case kubernetesRBAC([RBACRule])
    case gcpRole(permissions: [String])
    case azureRole(AzureRolePermissions)
    case other(type: String, content: JSONAny)

    private enum CodingKeys: String, CodingKey { case type, document, rules, permissions, content }

    public var type: String {
        switch self {
        case .aws: "aws"
        case .kubernetesRBAC: "kubernetes-rbac"
        case .gcpRole: "gcp-role"
        case .azureRole: "azure-role"
        case .other(let type, _): type
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "aws": self = .aws(try c.decode(PolicyDocument.self, forKey: .document))
        case "kubernetes-rbac": self = .kubernetesRBAC(try c.decode([RBACRule].self, forKey: .rules))
        case "gcp-role": self = .gcpRole(permissions: try c.decode([String].self, forKey: .permissions))
        case "azure-role": self = .azureRole(try c.decode(AzureRolePermissions.self, forKey: .permissions))
        default: self = .other(type: type, content: try c.decodeIfPresent(JSONAny.self, forKey: .content) ?? .null)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .aws(let document): try c.encode(document, forKey: .document)
        case .kubernetesRBAC(let rules): try c.encode(rules, forKey: .rules)
        case .gcpRole(let permissions): try c.encode(permissions, forKey: .permissions)
        case .azureRole(let permissions): try c.encode(permissions, forKey: .permissions)
        case .other(_, let content): try c.encode(content, forKey: .content)
        }
    }
}

/// One rule of a Kubernetes Role or ClusterRole.
public struct RBACRule: Codable, Hashable, Sendable {
    public var apiGroups: [String]
    public var resources: [String]
    public var verbs: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(apiGroups: [String] = [], resources: [String] = [], verbs: [String], resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }
}

/// The permission block of an Azure role definition: what it allows minus what it excludes,
/// for the control plane (`actions`) and the data plane (`dataActions`).
public struct AzureRolePermissions: Codable, Hashable, Sendable {
    public var actions: [String]
    public var notActions: [String]
    public var dataActions: [String]
    public var notDataActions: [String]

    public init(actions: [String] = [], notActions: [String] = [], dataActions: [String] = [], notDataActions: [String] = []) {
        self.actions = actions
        self.notActions = notActions
        self.dataActions = dataActions
        self.notDataActions = notDataActions
    }
}

/// A policy attached to an identity, a group or a role, possibly at a scope and under a condition.
///
/// AWS grants apply account-wide (the scope is in the statements); a Kubernetes RoleBinding
/// grants in a namespace, a GCP binding on a project or a service account, an Azure role
/// assignment at a subscription, resource group or resource.
public struct Grant: Codable, Hashable, Sendable {
    /// The identity or group (a ``Resource``) the policy is attached to.
    public var subjectId: String
    public var policyId: String
    public var via: GrantVia
    /// Where the grant applies, when narrower than the policy itself says.
    public var scope: GrantScope?
    /// A condition on the grant itself (a GCP IAM condition, an Azure ABAC condition), as written.
    public var condition: String?

    public init(subjectId: String, policyId: String, via: GrantVia, scope: GrantScope? = nil, condition: String? = nil) {
        self.subjectId = subjectId
        self.policyId = policyId
        self.via = via
        self.scope = scope
        self.condition = condition
    }
}

/// How a grant applies. Open and string-backed.
public struct GrantVia: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let attached: GrantVia = "attached"
    public static let inline: GrantVia = "inline"
    /// The policy is the subject's permissions boundary: it limits, it does not grant.
    public static let boundary: GrantVia = "boundary"
    /// The policy says who may assume the subject (an AWS role's trust policy): it grants nothing to the subject.
    public static let trust: GrantVia = "trust"
    /// A binding (Kubernetes RoleBinding, GCP or Azure role assignment).
    public static let binding: GrantVia = "binding"
    /// A service control policy that applies to an AWS account (subject `aws:<account>`), attached at one level
    /// of its organization (scope ``GrantScope/Kind/organizationLevel``).
    public static let serviceControl: GrantVia = "service-control"
}

/// The scope a grant applies at: a resource, a namespace, a subscription or resource group, a project.
public struct GrantScope: Codable, Hashable, Sendable, CustomStringConvertible {
    public struct Kind: OpenKind {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let account: Kind = "account"
        public static let resource: Kind = "resource"
        public static let namespace: Kind = "namespace"
        public static let cluster: Kind = "cluster"
        public static let project: Kind = "project"
        public static let subscription: Kind = "subscription"
        public static let resourceGroup: Kind = "resource-group"
        /// A level of an AWS organization, as `<depth> <target id>`: `0 r-abcd` (the root), `1 ou-abcd-1234`, … the account last.
        public static let organizationLevel: Kind = "organization-level"
    }

    public var kind: Kind
    public var id: String

    public init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue) \(id)" }
}
