/// A permission or trust policy in the AWS policy grammar, parsed.
///
/// Single values and lists are normalised to lists; `Action`/`NotAction` and friends are kept
/// apart by ``PolicyStatement/ActionMatch``, so the evaluator can follow AWS's documented rules.
///
/// For example, `{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}` becomes
/// `PolicyStatement(effect: .allow, actions: .only(["s3:Get*"]), resources: .only(["*"]))`.
public struct PolicyDocument: Codable, Hashable, Sendable {
    public var version: String?
    public var statements: [PolicyStatement]

    public init(version: String? = "2012-10-17", statements: [PolicyStatement]) {
        self.version = version
        self.statements = statements
    }
}

public struct PolicyStatement: Codable, Hashable, Sendable {
    public enum Effect: String, Codable, Hashable, Sendable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// `Action`, `Resource` or `Principal` (`.only`), or their `Not…` forms (`.except`).
    public enum Match<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
        case only(Value)
        case except(Value)

        // Coded as {"only": …} or {"except": …}: flatter (and faster) than the synthesized {"only": {"_0": …}}.
        private enum CodingKeys: String, CodingKey {
            case only, except
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let value = try container.decodeIfPresent(Value.self, forKey: .only) {
                self = .only(value)
            } else {
                self = .except(try container.decode(Value.self, forKey: .except))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .only(let value): try container.encode(value, forKey: .only)
            case .except(let value): try container.encode(value, forKey: .except)
            }
        }
    }

    public typealias ActionMatch = Match<[String]>

    public var sid: String?
    public var effect: Effect
    public var principals: Match<PrincipalSet>?
    public var actions: ActionMatch?
    public var resources: ActionMatch?
    public var conditions: [PolicyCondition]

    public init(
        sid: String? = nil,
        effect: Effect,
        principals: Match<PrincipalSet>? = nil,
        actions: ActionMatch? = nil,
        resources: ActionMatch? = nil,
        conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }
}

/// The `Principal` element: `"*"`, or lists by principal type.
public struct PrincipalSet: Codable, Hashable, Sendable {
    /// `"Principal": "*"` (everyone, including anonymous callers).
    public var everyone: Bool
    public var aws: [String]
    public var service: [String]
    public var federated: [String]
    public var canonicalUser: [String]

    public init(everyone: Bool = false, aws: [String] = [], service: [String] = [], federated: [String] = [], canonicalUser: [String] = []) {
        self.everyone = everyone
        self.aws = aws
        self.service = service
        self.federated = federated
        self.canonicalUser = canonicalUser
    }
}

/// One key test of a `Condition` block: `"StringEquals": {"aws:PrincipalOrgID": "o-123"}`.
public struct PolicyCondition: Codable, Hashable, Sendable {
    /// The operator as written, qualifiers included: `ForAnyValue:StringLike`, `StringEqualsIfExists`.
    public var `operator`: String
    public var key: String
    public var values: [String]

    public init(operator: String, key: String, values: [String]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }

    /// The operator without set qualifiers or `IfExists`: `StringLike` for `ForAnyValue:StringLikeIfExists`.
    public var baseOperator: String {
        var op = `operator`
        if let colon = op.lastIndex(of: ":") { op = String(op[op.index(after: colon)...]) }
        if op.hasSuffix("IfExists") { op.removeLast("IfExists".count) }
        return op
    }
}
