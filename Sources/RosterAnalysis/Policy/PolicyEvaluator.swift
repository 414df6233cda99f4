public import RosterModel

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

    let statements: [PolicyStatement]
    let boundary: [PolicyStatement]?
    let callerUsesMFA: Bool

    public init(policies: [Policy], boundary: Policy?, callerUsesMFA: Bool = false) {
        self.statements = policies.flatMap(\.document.statements)
        self.boundary = boundary?.document.statements
        self.callerUsesMFA = callerUsesMFA
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
        for statement in statements where statement.coversAction(action) && statement.coversResource(resource) {
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
    /// AWS leaves the key out of requests signed with long-term access keys (how machine callers
    /// authenticate) and sets it for console sessions (`true` after MFA). So for machine callers
    /// `Bool` never matches while `BoolIfExists` and `Null = true` always do.
    private func mfaConditionMatches(_ condition: PolicyCondition) -> Bool? {
        let wanted = Set(condition.values.map { $0.lowercased() })
        let ifExists = condition.operator.hasSuffix("IfExists")
        switch condition.baseOperator {
        case "Bool":
            if callerUsesMFA { return wanted.contains("true") }
            return ifExists
        case "Null":
            // Null = true tests that the key is absent.
            return callerUsesMFA ? wanted.contains("false") : wanted.contains("true")
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
    public func coversResource(_ resource: String) -> Bool {
        switch resources {
        case .only(let patterns): patterns.contains { Wildcard.matches($0, resource, caseInsensitive: false) }
        case .except(let patterns): !patterns.contains { Wildcard.matches($0, resource, caseInsensitive: false) }
        case nil: true
        }
    }
}
