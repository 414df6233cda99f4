public import RosterModel

/// How much an identity can do: the coarse level that risk ranking and metrics use.
///
/// Raw values are stored and never change; the order is by ``rank``, in which `unknown` sits
/// between `read` and `write`: a policy the export left out may hold anything, so an identity
/// with one is never ranked below one known to read, nor called admin without proof.
public enum PrivilegeLevel: Int, Codable, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case read = 1
    case write = 2
    case admin = 3
    /// Some attached policy is not in the export, so what the identity can do is not known.
    case unknown = 4

    /// The position in the order `none < read < unknown < write < admin`.
    public var rank: Int {
        switch self {
        case .none: 0
        case .read: 1
        case .unknown: 2
        case .write: 3
        case .admin: 4
        }
    }

    public static func < (lhs: PrivilegeLevel, rhs: PrivilegeLevel) -> Bool { lhs.rank < rhs.rank }

    public var description: String {
        switch self {
        case .none: "none"
        case .read: "read"
        case .write: "write"
        case .admin: "admin"
        case .unknown: "unknown"
        }
    }
}

/// What an identity's identity-based policies let it do.
public struct PrivilegeAssessment: Hashable, Sendable {
    public var level: PrivilegeLevel
    /// Sentences that justify the level.
    public var evidence: [String]
    /// True when the admin verdict rests on allows that carry conditions.
    public var conditional: Bool
    /// Policies attached to the identity (or its groups) that the export does not hold, by id.
    public var missingPolicies: [String]

    public init(level: PrivilegeLevel, evidence: [String], conditional: Bool, missingPolicies: [String] = []) {
        self.level = level
        self.evidence = evidence
        self.conditional = conditional
        self.missingPolicies = missingPolicies
    }
}

/// Assesses privilege by evaluating requests, so denies, `NotAction` and permissions boundaries count.
///
/// An identity is `admin` when every probe action across services is allowed on every resource
/// (`*`), or when it can rewrite its own permissions in one step (``SelfEscalation``). Below that,
/// the level is the highest of the representative requests (``ActionAccess``) the evaluator
/// allows: `write` if any write is allowed, `read` if only reads are, `none` otherwise. When a
/// policy is attached but missing from the export the level is `unknown`, unless the policies
/// that are there already make it admin.
public enum PrivilegeAnalysis {
    static let adminProbes = [
        "iam:CreateUser", "iam:AttachRolePolicy", "iam:CreateAccessKey", "iam:PassRole", "sts:AssumeRole", "ec2:RunInstances",
        "ec2:TerminateInstances", "s3:GetObject", "s3:PutBucketPolicy", "s3:DeleteBucket", "kms:Decrypt", "secretsmanager:GetSecretValue",
        "lambda:UpdateFunctionCode", "rds:DeleteDBInstance", "dynamodb:DeleteTable", "cloudtrail:StopLogging", "organizations:LeaveOrganization",
    ]

    /// Assesses one identity, one-step escalation included: the same verdict ``assessAll(_:)``
    /// gives it (which is what to call for many identities).
    public static func assess(_ identity: Identity, in index: EstateIndex) -> PrivilegeAssessment {
        assessAll(index)[identity.id] ?? directAssessment(identity, in: index)
    }

    /// Assesses one identity by its own policies alone, without escalation.
    static func directAssessment(_ identity: Identity, in index: EstateIndex) -> PrivilegeAssessment {
        if identity.kind == .rootAccount { return rootAssessment }
        let policies = index.permissionPolicySet(of: identity)
        return assess(granted: policies.granted, missing: policies.missing, boundary: index.boundary(of: identity),
                      mfa: .typical(for: identity), variables: PolicyEvaluator.variables(for: identity))
    }

    static let rootAssessment = PrivilegeAssessment(level: .admin, evidence: ["the root user can do anything; IAM policies do not limit it"], conditional: false)

    /// Assesses a set of granting policies (with how each applies) under an optional boundary.
    ///
    /// - Parameters:
    ///   - missing: ids of policies attached but absent from the export.
    ///   - variables: the caller's policy variables (``PolicyEvaluator/variables(for:)``).
    public static func assess(
        granted: [(policy: Policy, via: String)], missing: [String] = [], boundary: Policy?, mfa: PolicyEvaluator.MFAContext,
        variables: [String: String] = [:]
    ) -> PrivilegeAssessment {
        let evaluator = PolicyEvaluator(policies: granted.map(\.policy), boundary: boundary, mfa: mfa, variables: variables)
        let decisions = adminProbes.map { evaluator.evaluate(action: $0) }
        if decisions.allSatisfy(\.isAllowed) {
            let conditional = decisions.contains(.conditionallyAllowed)
            return PrivilegeAssessment(
                level: .admin,
                evidence: ["allowed every action on every resource by " + granting(adminProbes, granted: granted, mfa: mfa, variables: variables)]
                    + (conditional ? ["some allows carry conditions"] : []) + missingEvidence(missing),
                conditional: conditional, missingPolicies: missing)
        }
        let names = granted.map { "\($0.policy.name) (\($0.via))" }.sorted()
        let known = level(evaluator: evaluator, granted: granted.map(\.policy), boundary: boundary, variables: variables)
        var evidence = names.isEmpty ? [] : ["policies: " + names.joined(separator: ", ")]
        guard missing.isEmpty else {
            evidence += missingEvidence(missing) + ["the policies in the export alone allow: \(known)"]
            return PrivilegeAssessment(level: .unknown, evidence: evidence, conditional: false, missingPolicies: missing)
        }
        return PrivilegeAssessment(level: known, evidence: evidence, conditional: false)
    }

    static func missingEvidence(_ missing: [String]) -> [String] {
        missing.sorted().map { "policy \($0) is attached but not in the export; its permissions are unknown" }
    }

    /// The highest level of the representative requests the evaluator allows (see ``ActionAccess``).
    static func level(evaluator: PolicyEvaluator, granted: [Policy], boundary: Policy?, variables: [String: String]) -> PrivilegeLevel {
        let allows = granted.flatMap(\.awsStatements).filter { $0.effect == .allow }
        guard !allows.isEmpty else { return .none }
        var services = Set(ActionAccess.probeServices)
        for statement in granted.flatMap(\.awsStatements) + (boundary?.awsStatements ?? []) {
            if case .only(let patterns)? = statement.actions {
                for pattern in patterns {
                    guard let colon = pattern.firstIndex(of: ":") else { continue }
                    let service = pattern[..<colon]
                    if !ActionAccess.isWild(service) { services.insert(service.lowercased()) }
                }
            }
        }
        // One pass: the first allowed write decides; reads are kept for when no write is allowed.
        var reads: [ActionAccess.Probe] = []
        for probe in ActionAccess.probes(allows: allows, services: services.sorted(), variables: variables) {
            if ActionAccess.isRead(probe.action) {
                reads.append(probe)
            } else if evaluator.evaluate(action: probe.action, resource: probe.resource).isAllowed {
                return .write
            }
        }
        if reads.contains(where: { evaluator.evaluate(action: $0.action, resource: $0.resource).isAllowed }) { return .read }
        return .none
    }

    /// The policies that grant `probes` on their own, else those that grant any of them.
    static func granting(
        _ probes: [String], resource: String = "*", granted: [(policy: Policy, via: String)], mfa: PolicyEvaluator.MFAContext,
        variables: [String: String]
    ) -> String {
        func covers(_ policy: Policy, _ action: String) -> Bool {
            PolicyEvaluator(policies: [policy], boundary: nil, mfa: mfa, variables: variables).evaluate(action: action, resource: resource).isAllowed
        }
        let alone = granted.filter { g in probes.allSatisfy { covers(g.policy, $0) } }
        let some = alone.isEmpty ? granted.filter { g in probes.contains { covers(g.policy, $0) } } : alone
        return some.map { "\($0.policy.name) (\($0.via))" }.sorted().joined(separator: ", ")
    }
}
