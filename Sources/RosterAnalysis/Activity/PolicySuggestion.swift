public import Foundation
import RosterModel

/// A least-privilege IAM policy from what an identity really did, like IAM Access Analyzer's
/// policy generation, offline.
///
/// The document allows every IAM action the identity used (that authorization let through)
/// since a date, on the resources the successful calls named (or `*` when a call named none or
/// too many); actions that were only ever refused are never allowed.
///
/// For example:
/// ```swift
/// let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: ["s3:*", "iam:ListUsers"], since: start)
/// suggestion.unused              // ["iam:ListUsers", "s3:*"]
/// suggestion.broaderThanNeeded   // ["s3:*": ["s3:GetObject"]]
/// ```
public enum PolicySuggestion {
    public static func suggest(for usage: IdentityUsage, grantedActions: [String]?, since: Date) -> Suggestion {
        var actions: [String: ActionUsage] = [:]
        for (_, day) in usage.days(from: since.utcDay, through: "9999-12-31") {
            for (action, use) in day.actions where ActionName.service(action) != nil {
                actions[action] = actions[action].map { $0.merged(use) } ?? use
            }
        }
        let used = actions.filter { $0.value.allowed > 0 }.keys.sorted()
        let denied = actions.filter { $0.value.allowed == 0 }.keys.sorted()

        var byResources: [[String]: [String]] = [:]
        for action in used {
            let use = actions[action]!
            let resources = use.policyResources
            byResources[resources, default: []].append(action)
        }
        let statements = byResources.map { SuggestedPolicy.Statement(actions: $0.value.sorted(), resources: $0.key) }
            .sorted { $0.actions.first ?? "" < $1.actions.first ?? "" }

        var unused: [String] = []
        var broader: [String: [String]] = [:]
        for pattern in Set(grantedActions ?? []).sorted() {
            let covered = used.filter { ActionPattern.matches(pattern, $0) }
            if covered.isEmpty {
                unused.append(pattern)
            } else if ActionPattern.isWildcard(pattern) {
                unused.append(pattern)
                broader[pattern] = covered
            }
        }
        return Suggestion(document: SuggestedPolicy(statements: statements), since: since, used: used, unused: unused, broaderThanNeeded: broader, denied: denied)
    }
}

/// What ``PolicySuggestion`` proposes, and why.
public struct Suggestion: Codable, Sendable, Hashable {
    public var document: SuggestedPolicy
    public var since: Date
    /// Actions used and allowed in the window: exactly those the document allows.
    public var used: [String]
    /// Granted entries the window did not need: never used, or wildcards broader than the actions used.
    public var unused: [String]
    /// Each granted wildcard that matched used actions → those actions.
    public var broaderThanNeeded: [String: [String]]
    /// Actions only ever refused: never allowed.
    public var denied: [String]
}

/// An IAM policy document: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": […], "Resource": […]}]}`.
public struct SuggestedPolicy: Codable, Sendable, Hashable {
    public var version = "2012-10-17"
    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }

    public struct Statement: Codable, Sendable, Hashable {
        public var effect = "Allow"
        public var actions: [String]
        public var resources: [String]

        public init(actions: [String], resources: [String]) {
            self.actions = actions
            self.resources = resources
        }

        enum CodingKeys: String, CodingKey {
            case effect = "Effect", actions = "Action", resources = "Resource"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version = "Version", statements = "Statement"
    }

    /// Every action the document allows.
    public var allowedActions: Set<String> { Set(statements.flatMap(\.actions)) }

    /// The document as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// IAM action patterns: `*` and `?` wildcards, compared without case.
enum ActionPattern {
    static func isWildcard(_ pattern: String) -> Bool { pattern.contains("*") || pattern.contains("?") }

    static func matches(_ pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased().utf8)
        let a = Array(action.lowercased().utf8)
        var (pi, ai) = (0, 0)
        var star: Int?
        var mark = 0
        while ai < a.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == a[ai] {
                pi += 1
                ai += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ai
                pi += 1
            } else if let s = star {
                pi = s + 1
                mark += 1
                ai = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
