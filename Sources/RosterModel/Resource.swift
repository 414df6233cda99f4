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

/// A directed relation between two things, possibly in different systems: "user is a member of
/// group", "principal may assume role", "Kubernetes service account acts as cloud role".
///
/// Every edge says which rule made it (`aws.import` for facts a connector read, an analysis
/// rule id otherwise), why, as a sentence, under which conditions, and which policy statement
/// decided it, so a path through the graph can be explained step by step.
///
/// For example:
/// ```swift
/// Edge(from: "arn:aws:iam::111122223333:root", to: role.id, kind: .canAssume, rule: "aws.trust",
///      reason: "the trust policy of ci-deploy allows account 111122223333 to call sts:AssumeRole",
///      statement: StatementRef(policyId: role.id + "#trust", index: 0))
/// ```
public struct Edge: Codable, Hashable, Sendable {
    public var from: String
    public var to: String
    public var kind: EdgeKind
    /// The id of the connector or analysis rule that made the edge.
    public var rule: String
    /// Why the edge exists, as a sentence.
    public var reason: String
    /// Conditions the edge holds under, as written (`StringEquals token.actions.githubusercontent.com:sub = repo:acme/app:*`).
    public var conditions: [String]
    /// The statement that decided it, when a policy did.
    public var statement: StatementRef?
    /// Further statements the edge needs, when one step takes more than one permission
    /// (`iam:PassRole` and `lambda:CreateFunction`); nil when `statement` is the only one.
    public var otherStatements: [StatementRef]?

    public init(
        from: String, to: String, kind: EdgeKind, rule: String, reason: String = "", conditions: [String] = [], statement: StatementRef? = nil,
        otherStatements: [StatementRef]? = nil
    ) {
        self.from = from
        self.to = to
        self.kind = kind
        self.rule = rule
        self.reason = reason
        self.conditions = conditions
        self.statement = statement
        self.otherStatements = otherStatements
    }

    /// Every statement that decided the edge, `statement` first.
    public var statements: [StatementRef] { (statement.map { [$0] } ?? []) + (otherStatements ?? []) }
}

/// A pointer to one statement of one policy: the policy's id and the statement's position (and `Sid`).
public struct StatementRef: Codable, Hashable, Sendable, CustomStringConvertible {
    public var policyId: String
    public var index: Int
    public var sid: String?

    public init(policyId: String, index: Int, sid: String? = nil) {
        self.policyId = policyId
        self.index = index
        self.sid = sid
    }

    public var description: String { "\(policyId) statement \(sid.map { "\"\($0)\"" } ?? "#\(index)")" }
}

/// What an edge means. Open and string-backed.
public struct EdgeKind: OpenKind {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An identity belongs to a group.
    public static let memberOf: EdgeKind = "member-of"
    /// An instance profile carries a role.
    public static let carries: EdgeKind = "carries"
    /// A principal may assume a role (from its trust policy).
    public static let canAssume: EdgeKind = "can-assume"
    /// A workload identity acts as a cloud identity (IRSA, GKE Workload Identity, CI federation).
    public static let actsAs: EdgeKind = "acts-as"
    /// A credential held somewhere belongs to an identity.
    public static let holdsCredentialOf: EdgeKind = "holds-credential-of"
    /// A principal can gain what another holds: create its key, rewrite its policies, run code as it.
    /// Made by the access graph's edge rules; `rule` names the technique.
    public static let canTakeOver: EdgeKind = "can-take-over"
    /// A principal can act on a resource (or every resource a pattern names) of a sensitive kind.
    public static let canAccess: EdgeKind = "can-access"
    /// A principal holds a set of policies that many principals share; the access graph hangs
    /// the set's edges on one node instead of repeating them for every holder.
    public static let holds: EdgeKind = "holds"
    /// A node that stands for every target of a kind (every IAM user of an account) leads to each of them: a
    /// principal that may take over all of them gets one edge to the node instead of one per target.
    public static let expandsTo: EdgeKind = "expands-to"
}
