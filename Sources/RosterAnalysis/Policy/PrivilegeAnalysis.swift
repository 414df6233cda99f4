public import RosterModel

/// How much an identity can do: the coarse level that risk ranking and metrics use.
public enum PrivilegeLevel: Int, Codable, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case read = 1
    case write = 2
    case admin = 3

    public static func < (lhs: PrivilegeLevel, rhs: PrivilegeLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .none: "none"
        case .read: "read"
        case .write: "write"
        case .admin: "admin"
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
}

/// Assesses privilege by evaluating requests, so denies and permissions boundaries count.
///
/// An identity is `admin` when every probe action across services is allowed on every
/// resource (`*`), or when it can rewrite IAM (attach or put policies, create keys) on every
/// resource, which lets it grant itself anything.
public enum PrivilegeAnalysis {
    static let adminProbes = [
        "iam:CreateUser", "iam:AttachRolePolicy", "iam:CreateAccessKey", "iam:PassRole", "sts:AssumeRole", "ec2:RunInstances",
        "ec2:TerminateInstances", "s3:GetObject", "s3:PutBucketPolicy", "s3:DeleteBucket", "kms:Decrypt", "secretsmanager:GetSecretValue",
        "lambda:UpdateFunctionCode", "rds:DeleteDBInstance", "dynamodb:DeleteTable", "cloudtrail:StopLogging", "organizations:LeaveOrganization",
    ]
    static let iamEscalationProbes = [
        "iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:CreateAccessKey",
        "iam:UpdateAssumeRolePolicy",
    ]
    static let readVerbs = ["get", "list", "describe", "head", "batchget", "query", "scan", "search", "lookup", "select", "view", "check", "preview"]

    public static func assess(_ identity: Identity, in index: EstateIndex) -> PrivilegeAssessment {
        if identity.kind == .rootAccount {
            return PrivilegeAssessment(level: .admin, evidence: ["the root user can do anything; IAM policies do not limit it"], conditional: false)
        }
        // A boundary whose document is not in the export is unknown: the policies are judged alone.
        return assess(granted: index.permissionPolicies(of: identity), boundary: index.boundary(of: identity), mfa: .typical(for: identity))
    }

    /// Assesses a set of granting policies (with how each applies) under an optional boundary.
    public static func assess(granted: [(policy: Policy, via: String)], boundary: Policy?, mfa: PolicyEvaluator.MFAContext) -> PrivilegeAssessment {
        let evaluator = PolicyEvaluator(policies: granted.map(\.policy), boundary: boundary, mfa: mfa)
        let decisions = adminProbes.map { evaluator.evaluate(action: $0) }
        let names = granted.map { "\($0.policy.name) (\($0.via))" }.sorted()
        /// The policies that grant `probes` on their own, else those that grant any of them.
        func granting(_ probes: [String]) -> String {
            func covers(_ policy: Policy, _ action: String) -> Bool {
                PolicyEvaluator(policies: [policy], boundary: nil, mfa: mfa).evaluate(action: action).isAllowed
            }
            let alone = granted.filter { g in probes.allSatisfy { covers(g.policy, $0) } }
            let some = alone.isEmpty ? granted.filter { g in probes.contains { covers(g.policy, $0) } } : alone
            return some.map { "\($0.policy.name) (\($0.via))" }.sorted().joined(separator: ", ")
        }
        if decisions.allSatisfy(\.isAllowed) {
            let conditional = decisions.contains(.conditionallyAllowed)
            return PrivilegeAssessment(
                level: .admin,
                evidence: ["allowed every action on every resource by " + granting(adminProbes)] + (conditional ? ["some allows carry conditions"] : []),
                conditional: conditional)
        }
        let escalation = iamEscalationProbes.map { evaluator.evaluate(action: $0) }
        if escalation.allSatisfy(\.isAllowed) {
            return PrivilegeAssessment(
                level: .admin,
                evidence: ["can attach and write IAM policies and create access keys on every resource (so can grant itself anything), by "
                    + granting(iamEscalationProbes)],
                conditional: escalation.contains(.conditionallyAllowed))
        }
        var level = level(of: granted.flatMap(\.policy.awsStatements))
        if let boundary { level = min(level, Self.level(of: boundary.awsStatements)) }
        return PrivilegeAssessment(level: level, evidence: names.isEmpty ? [] : ["policies: " + names.joined(separator: ", ")], conditional: false)
    }

    /// The highest level any allow statement reaches, judged by action names.
    static func level(of statements: [PolicyStatement]) -> PrivilegeLevel {
        var level = PrivilegeLevel.none
        for statement in statements where statement.effect == .allow {
            switch statement.actions {
            case .except: return .write
            case .only(let patterns):
                for pattern in patterns {
                    level = max(level, isReadOnly(pattern) ? .read : .write)
                    if level == .write { return .write }
                }
            case nil: continue
            }
        }
        return level
    }

    static func isReadOnly(_ pattern: String) -> Bool {
        guard let colon = pattern.firstIndex(of: ":") else { return false }
        let verb = pattern[pattern.index(after: colon)...].lowercased()
        guard !verb.hasPrefix("*") else { return false }
        return readVerbs.contains { verb.hasPrefix($0) }
    }
}
