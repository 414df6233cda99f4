public import RosterModel
import Foundation

/// Decides whether identity-based policies allow a request, following AWS's documented order:
/// an explicit deny wins; otherwise an allow in the identity's policies is needed, and, when
/// the identity has a permissions boundary, an allow in the boundary too; otherwise the
/// request is implicitly denied.
///
/// Conditions cannot be evaluated without a request context, so an allow that carries one is
/// reported as `.conditionallyAllowed` and a deny that carries one does not count as a deny,
/// with one exception: conditions on `aws:MultiFactorAuthPresent` are decided for machine
/// callers, which sign requests with access keys and never present MFA.
/// SCPs and resource-based policies are not in IAM exports and are not considered.
///
/// Policy variables in `Resource` (`arn:aws:iam::*:user/${aws:username}`) are replaced with the
/// caller's values from `variables`; as AWS documents, a variable whose key the request does not
/// carry (`aws:username` for a role) cannot be resolved and the pattern matches nothing.
///
/// For example:
/// ```swift
/// let evaluator = PolicyEvaluator(policies: [admin], boundary: s3Only)
/// evaluator.evaluate(action: "iam:CreateUser", resource: "*")   // .implicitlyDenied
/// ```
public struct PolicyEvaluator: Sendable {
    public enum Decision: Hashable, Sendable {
        case allowed
        case conditionallyAllowed
        case explicitlyDenied
        case implicitlyDenied

        public var isAllowed: Bool { self == .allowed || self == .conditionallyAllowed }
    }

    /// What a request carries in `aws:MultiFactorAuthPresent`.
    public enum MFAContext: Hashable, Sendable {
        /// Long-term access keys (an IAM user's programmatic calls): AWS leaves the key out.
        case absent
        /// Temporary credentials: console sessions and role sessions carry it, `true` only after MFA.
        case present(Bool)

        /// The context of an identity's typical caller: people sign in with MFA, roles act through
        /// sessions without it, users' programs sign with long-term keys.
        public static func typical(for identity: Identity) -> MFAContext {
            if identity.nature == .human { return .present(true) }
            return identity.kind == .iamRole ? .present(false) : .absent
        }
    }

    let statements: [PolicyStatement]
    let boundary: [PolicyStatement]?
    let mfa: MFAContext
    /// Policy variables the caller's requests carry, by lowercased key (`aws:username`).
    let variables: [String: String]

    /// - Parameter variables: values of policy variables, by key (`["aws:username": "deploy"]`).
    public init(policies: [Policy], boundary: Policy?, mfa: MFAContext, variables: [String: String] = [:]) {
        self.statements = policies.flatMap(\.awsStatements)
        self.boundary = boundary?.awsStatements
        self.mfa = mfa
        self.variables = Dictionary(variables.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The policy variables AWS puts in an identity's own requests: `aws:username` for IAM users only.
    public static func variables(for identity: Identity) -> [String: String] {
        identity.kind == .iamUser ? ["aws:username": identity.name] : [:]
    }

    /// - Parameter callerUsesMFA: true for a session after MFA, false for long-term access keys.
    public init(policies: [Policy], boundary: Policy?, callerUsesMFA: Bool = false) {
        self.init(policies: policies, boundary: boundary, mfa: callerUsesMFA ? .present(true) : .absent)
    }

    public func evaluate(action: String, resource: String = "*") -> Decision {
        let identity = decide(statements, action: action, resource: resource)
        if identity == .explicitlyDenied { return identity }
        guard let boundary else { return identity }
        let bounded = decide(boundary, action: action, resource: resource)
        if bounded == .explicitlyDenied { return bounded }
        switch (identity, bounded) {
        case (.allowed, .allowed): return .allowed
        case (.implicitlyDenied, _), (_, .implicitlyDenied): return .implicitlyDenied
        default: return .conditionallyAllowed
        }
    }

    private func decide(_ statements: [PolicyStatement], action: String, resource: String) -> Decision {
        var allowed: Decision = .implicitlyDenied
        for statement in statements where statement.coversAction(action) && statement.coversResource(resource, variables: variables) {
            switch conditionOutcome(statement) {
            case .never: continue
            case .always:
                if statement.effect == .deny { return .explicitlyDenied }
                allowed = .allowed
            case .unknown:
                if statement.effect == .allow && allowed != .allowed { allowed = .conditionallyAllowed }
            }
        }
        return allowed
    }

    private enum ConditionOutcome { case always, never, unknown }

    /// Decides a condition on `aws:MultiFactorAuthPresent`, or nil when it cannot be decided.
    ///
    /// AWS leaves the key out of requests signed with long-term access keys, so for them `Bool`
    /// never matches while `BoolIfExists` and `Null = true` always do; sessions carry the key.
    private func mfaConditionMatches(_ condition: PolicyCondition) -> Bool? {
        let wanted = Set(condition.values.map { $0.lowercased() })
        switch (condition.baseOperator, mfa) {
        case ("Bool", .absent):
            return condition.operator.hasSuffix("IfExists")
        case ("Bool", .present(let value)):
            return wanted.contains(value ? "true" : "false")
        case ("Null", .absent):
            // Null = true tests that the key is absent.
            return wanted.contains("true")
        case ("Null", .present):
            return wanted.contains("false")
        default:
            return nil
        }
    }

    private func conditionOutcome(_ statement: PolicyStatement) -> ConditionOutcome {
        guard !statement.conditions.isEmpty else { return .always }
        var outcome = ConditionOutcome.always
        for condition in statement.conditions {
            if condition.key.lowercased() == "aws:multifactorauthpresent" {
                switch mfaConditionMatches(condition) {
                case false?: return .never
                case true?: continue
                case nil: break
                }
            }
            outcome = .unknown
        }
        return outcome
    }
}

extension PolicyStatement {
    /// Whether the statement's Resource element covers `resource` (case-sensitive ARN matching).
    public func coversResource(_ resource: String) -> Bool { coversResource(resource, variables: [:]) }

    /// Whether the Resource element covers `resource` once policy variables are replaced by
    /// `variables` (lowercased keys); a pattern with a variable that has no value matches nothing.
    func coversResource(_ resource: String, variables: [String: String]) -> Bool {
        func matches(_ pattern: String) -> Bool {
            guard pattern.contains("${") else { return Wildcard.matches(pattern, resource, caseInsensitive: false) }
            guard let resolved = PolicyVariables.resolve(pattern, variables) else { return false }
            return Wildcard.matches(resolved, resource, caseInsensitive: false)
        }
        switch resources {
        case .only(let patterns): return patterns.contains(where: matches)
        case .except(let patterns): return !patterns.contains(where: matches)
        case nil: return true
        }
    }
}

/// Substitution of `${key}` policy variables, with AWS's escapes `${*}`, `${?}` and `${$}` for
/// the literal characters.
enum PolicyVariables {
    /// `pattern` with its variables replaced, or nil when one has no value.
    static func resolve(_ pattern: String, _ variables: [String: String]) -> String? {
        var out = ""
        var rest = Substring(pattern)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return out + rest[start.lowerBound...] }
            let key = rest[start.upperBound..<end]
            switch key {
            // A literal * or ? must not act as a wildcard; no value of ours contains them, so "no match" is the safe reading.
            case "*", "?": return nil
            case "$": out += "$"
            default:
                // `${aws:username, 'default'}` carries a default value.
                let parts = key.split(separator: ",", maxSplits: 1)
                let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                if let value = variables[name] {
                    out += value
                } else if parts.count == 2 {
                    out += parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                } else {
                    return nil
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
