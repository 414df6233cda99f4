public import RosterModel

/// One technique by which a principal gains what another holds, declared as a value, like a
/// ``Detector``: an id, the technique's name, its provider, what it needs, and where it is documented.
///
/// `derive` is given the provider's graph context (decisions already made, targets indexed) and one
/// principal, and returns the `can-take-over` (or `can-access`) edges the technique gives it, each
/// naming the statements that allow every permission it takes.
///
/// For example:
/// ```swift
/// static let createAccessKey = EdgeRule<AWSGraphContext>(
///     id: "aws.iam.create-access-key", technique: "Create an access key for another user", provider: .aws,
///     summary: "iam:CreateAccessKey on a user gives a working key for it.",
///     references: ["https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html"],
///     derive: { context, principal in ... })
/// ```
public struct EdgeRule<Context>: Sendable, Identifiable {
    public let id: String
    public let technique: String
    public let provider: Provider
    /// What the technique needs and gives, as a sentence, for `roster rules`.
    public let summary: String
    public let references: [String]
    let derive: @Sendable (Context, Int) -> [Edge]

    public init(
        id: String, technique: String, provider: Provider, summary: String, references: [String],
        derive: @escaping @Sendable (Context, Int) -> [Edge]
    ) {
        self.id = id
        self.technique = technique
        self.provider = provider
        self.summary = summary
        self.references = references
        self.derive = derive
    }

    /// The edges the technique gives the principal at `index` in the context.
    public func edges(in context: Context, principal index: Int) -> [Edge] { derive(context, index) }

    /// The rule without its logic, for listings.
    public var info: EdgeRuleInfo { EdgeRuleInfo(id: id, technique: technique, provider: provider, summary: summary, references: references) }
}

/// An edge rule's declaration, without its logic: what `roster rules` lists.
public struct EdgeRuleInfo: Hashable, Sendable, Codable {
    public var id: String
    public var technique: String
    public var provider: Provider
    public var summary: String
    public var references: [String]
}

/// The answer to "may this principal do this action on this resource", with the statements that decided it.
///
/// `undecided` means the answer rests on something the export does not say: a condition on a key
/// the request context does not fix (`aws:SourceIp`), a policy the export does not hold. The
/// reasons name it, so the answer is reported, never guessed.
public struct PermissionDecision: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        case allowed
        case denied
        case undecided
    }

    public var outcome: Outcome
    /// True when an explicit `Deny` (or its equivalent: a Kubernetes request no rule allows is only
    /// implicitly denied) decided.
    public var explicit: Bool
    /// The statements (AWS), rules (Kubernetes) or bindings that decided, in evaluation order.
    public var statements: [StatementRef]
    /// Why, a sentence each: which statement allowed or denied, which condition could not be decided.
    public var reasons: [String]

    public init(outcome: Outcome, explicit: Bool = false, statements: [StatementRef] = [], reasons: [String] = []) {
        self.outcome = outcome
        self.explicit = explicit
        self.statements = statements
        self.reasons = reasons
    }

    public static let implicitlyDenied = PermissionDecision(outcome: .denied, reasons: ["no statement allows it (implicit deny)"])

    public var isAllowed: Bool { outcome == .allowed }
}

/// What one provider's graph builder gives the access graph for one scope (an AWS account, a
/// cluster, a project or subscription): its edges, the principals that administer the scope
/// outright, and the nodes that are neither identities nor resources of the estate.
///
/// An administrator of a scope is marked with an edge to the scope's admin node
/// (``GraphFragment/adminNode(_:)``) whose rule names why (`aws.admin`, `kubernetes.cluster-admin`),
/// so "can reach admin" is plain reachability of an admin node.
public struct GraphFragment: Sendable {
    public var edges: [Edge]
    /// Nodes the edges name that are not identities or resources of the estates (admin nodes,
    /// shared policy sets, a cluster's nodes), with a label for people.
    public var nodes: [String: String]

    public init(edges: [Edge] = [], nodes: [String: String] = [:]) {
        self.edges = edges
        self.nodes = nodes
    }

    /// The admin node of a scope: `admin:aws:111122223333`, `admin:kubernetes:prod-eks`.
    public static func adminNode(_ scope: String) -> String { "admin:" + scope }

    public static func isAdminNode(_ id: String) -> Bool { id.hasPrefix("admin:") }

    /// Whether a node stands for a provider's sensitive resources (`aws:111122223333:sensitive:secrets`).
    public static func isSensitiveNode(_ id: String) -> Bool { id.contains(":sensitive:") }

    public mutating func merge(_ other: GraphFragment) {
        edges += other.edges
        nodes.merge(other.nodes) { a, _ in a }
    }
}
