public import Foundation
public import RosterModel

/// Decides one AWS principal's requests the way AWS documents it ("Policy evaluation logic"),
/// and says which statements decided:
///
/// 1. an explicit `Deny` in any applicable policy (identity, boundary, SCP, resource) wins;
/// 2. every level of service control policies must allow (when an Organizations export gave them);
/// 3. within one account, an identity-based allow, or a resource-based policy that names the
///    principal's own ARN, allows; a resource policy that names the account (`:root`) or `*`
///    still needs the identity-based allow; across accounts both sides must allow;
/// 4. a permissions boundary must allow too, except for what a resource policy grants an IAM
///    user by its ARN;
/// 5. anything else is an implicit deny.
///
/// Conditions are decided on an ``AWSRequestContext``; a statement whose condition needs a key the
/// context does not fix makes the answer `undecided` when it would change it, with the condition
/// named, never guessed.
///
/// For example:
/// ```swift
/// let authorizer = AWSAuthorizer(principal: user, policies: granted, boundary: nil)
/// authorizer.decide("iam:CreateAccessKey", on: "arn:aws:iam::111122223333:user/admin").outcome   // .allowed
/// ```
public struct AWSAuthorizer: Sendable {
    /// A policy as evaluation sees it: its id (for statement references), its name, its statements.
    public struct Source: Sendable, Hashable {
        public var id: String
        public var name: String
        public var statements: [PolicyStatement]

        public init(_ policy: Policy) {
            self.id = policy.id
            self.name = policy.name
            self.statements = policy.awsStatements
        }
    }

    public let principalId: String
    public let account: String?
    public let kind: IdentityKind
    private(set) var identityPolicies: [Source]
    let boundary: Source?
    /// Service control policy levels, root first; each level must allow.
    let controlPolicies: [[Source]]
    public let context: AWSRequestContext
    /// Policies attached to the principal that the export does not hold: they may allow anything.
    let unknownPolicies: [String]
    /// Resolved values of policy variables for `Resource` patterns, by lowercased key.
    let variables: [String: String]

    /// - Parameter unknownPolicies: ids of policies attached to the principal but missing from the export;
    ///   a request nothing else allows is then undecided, not denied.
    public init(
        principal: Identity, policies: [Policy], boundary: Policy?, controlPolicies: [[Policy]] = [], context: AWSRequestContext? = nil,
        unknownPolicies: [String] = []
    ) {
        self.unknownPolicies = unknownPolicies
        self.principalId = principal.id
        self.account = principal.account
        self.kind = principal.kind
        // A policy attached directly and through a group is one policy.
        var seen: Set<String> = []
        self.identityPolicies = policies.filter { seen.insert($0.id).inserted }.map(Source.init)
        self.boundary = boundary.map(Source.init)
        self.controlPolicies = controlPolicies.map { $0.map(Source.init) }
        let context = context ?? Self.context(for: principal)
        self.context = context
        self.variables = context.values.compactMapValues { $0.count == 1 ? $0[0] : nil }
    }

    /// What AWS puts in the requests of an identity's typical caller, as far as an IAM export knows it:
    /// its ARN, account, type, tags (all of them: the export lists every tag), `aws:username` for
    /// users, and MFA: people sign in with it, role sessions carry `false`, long-term keys leave it out.
    public static func context(for identity: Identity, at time: Date? = nil) -> AWSRequestContext {
        var context = AWSRequestContext()
        context.set("aws:PrincipalArn", identity.id)
        if let account = identity.account { context.set("aws:PrincipalAccount", account) }
        context.set("aws:PrincipalIsAWSService", "false")
        context.set("aws:ViaAWSService", "false")
        context.set("aws:SecureTransport", "true")
        switch identity.kind {
        case .iamUser:
            context.set("aws:PrincipalType", "User")
            context.set("aws:username", identity.name)
            if let native = identity.nativeId { context.set("aws:userid", native) }
        case .iamRole:
            context.set("aws:PrincipalType", "AssumedRole")
            context.setAbsent("aws:username")
        default:
            break
        }
        if identity.nature == .human {
            context.set("aws:MultiFactorAuthPresent", "true")
        } else if identity.kind == .iamRole {
            context.set("aws:MultiFactorAuthPresent", "false")
        } else {
            context.setAbsent("aws:MultiFactorAuthPresent")
            context.setAbsent("aws:MultiFactorAuthAge")
        }
        for (key, value) in identity.tags { context.set("aws:PrincipalTag/\(key)", value) }
        context.completePrefixes.insert("aws:principaltag/")
        if let time {
            context.set("aws:CurrentTime", time.iso8601)
            context.set("aws:EpochTime", String(Int(time.timeIntervalSince1970)))
        }
        return context
    }

    // MARK: Deciding

    /// Decides a request governed by identity-based policies alone (IAM, STS calls on the identity side,
    /// service actions without resource policies in the export).
    public func decide(_ action: String, on resource: String, with extra: AWSRequestContext? = nil) -> PermissionDecision {
        decide(action, on: resource, resourcePolicy: nil, resourceAccount: nil, with: extra)
    }

    /// Decides a request on a resource that has a resource-based policy (a role's trust policy for
    /// `sts:AssumeRole`, a bucket or key policy), owned by `resourceAccount`.
    public func decide(
        _ action: String, on resource: String, resourcePolicy: Policy?, resourceAccount: String?, with extra: AWSRequestContext? = nil
    ) -> PermissionDecision {
        let context = extra.map { self.context.merging($0) } ?? self.context
        var undecided: [String] = []

        // 1. Explicit denies, everywhere.
        var denies: [StatementRef] = []
        var denyReasons: [String] = []
        func collectDenies(_ sources: [Source], label: String) {
            for source in sources {
                for (i, statement) in source.statements.enumerated() where statement.effect == .deny && covers(statement, action, resource) {
                    switch AWSConditions.evaluate(statement.conditions, in: context) {
                    case .matches:
                        denies.append(ref(source, i))
                        denyReasons.append("\(label) \(source.name) denies \(action) on \(resource) (\(describe(ref(source, i))))")
                    case .fails: continue
                    case .undecided(let why): undecided.append("a Deny in \(label) \(source.name) may apply: \(why)")
                    }
                }
            }
        }
        collectDenies(identityPolicies, label: "policy")
        if let boundary { collectDenies([boundary], label: "permissions boundary") }
        for level in controlPolicies { collectDenies(level, label: "SCP") }
        let resourceMatch = resourcePolicy.map { resourceStatements($0, action: action, resource: resource, context: context) }
        if let resourceMatch {
            denies += resourceMatch.denies
            denyReasons += resourceMatch.denies.map { "resource policy \(resourcePolicy!.name) denies \(action) (\(describe($0)))" }
            undecided += resourceMatch.undecidedDenies
        }
        if !denies.isEmpty { return PermissionDecision(outcome: .denied, explicit: true, statements: denies, reasons: denyReasons) }

        // 2. Every SCP level must allow.
        var allowing: [StatementRef] = []
        for (depth, level) in controlPolicies.enumerated() {
            let found = allows(level, action, resource, context)
            if found.refs.isEmpty && found.undecided.isEmpty {
                return PermissionDecision(outcome: .denied, reasons: ["no service control policy at level \(depth + 1) allows \(action) (implicit deny)"])
            }
            if found.refs.isEmpty { undecided += found.undecided }
        }

        // 3. Identity-based and resource-based allows.
        let identity = allows(identityPolicies, action, resource, context)
        let sameAccount = resourceAccount == nil || resourceAccount == account
        var grantedByResourceToArn = false
        var reasons: [String] = []
        if let resourceMatch, let resourcePolicy {
            let named = resourceMatch.allowsByArn
            let broad = resourceMatch.allowsBroadly
            if sameAccount && !named.isEmpty {
                grantedByResourceToArn = true
                allowing += named
                reasons.append("resource policy \(resourcePolicy.name) names \(principalId) (\(named.map(describe).joined(separator: ", ")))")
            } else if named.isEmpty && broad.isEmpty {
                if resourceMatch.undecidedAllows.isEmpty {
                    return PermissionDecision(outcome: .denied, reasons: ["resource policy \(resourcePolicy.name) does not admit \(principalId)"])
                }
                undecided += resourceMatch.undecidedAllows
            } else {
                // Naming the account or everyone, or any grant across accounts: the identity side must allow as well.
                let refs = named + broad
                allowing += refs
                reasons.append("resource policy \(resourcePolicy.name) admits \(principalId) (\(refs.map(describe).joined(separator: ", ")))")
            }
        }
        if !grantedByResourceToArn {
            if identity.refs.isEmpty {
                if identity.undecided.isEmpty && unknownPolicies.isEmpty {
                    return PermissionDecision(outcome: .denied, reasons: ["no identity-based policy allows \(action) on \(resource) (implicit deny)"])
                }
                undecided += identity.undecided
                undecided += unknownPolicies.map { "policy \($0) is attached but not in the export; it may allow \(action)" }
            }
            allowing += identity.refs
            reasons += identity.refs.map { "allowed by \(describe($0))" }
        }

        // 4. The permissions boundary limits what identity policies grant, and what a resource policy grants a role.
        if let boundary, !(grantedByResourceToArn && kind == .iamUser) {
            let bounded = allows([boundary], action, resource, context)
            if bounded.refs.isEmpty {
                if bounded.undecided.isEmpty {
                    return PermissionDecision(outcome: .denied, reasons: ["permissions boundary \(boundary.name) does not allow \(action) (implicit deny)"])
                }
                undecided += bounded.undecided
            } else {
                allowing += bounded.refs
            }
        }
        if !undecided.isEmpty {
            return PermissionDecision(outcome: .undecided, statements: allowing, reasons: reasons + undecided)
        }
        return PermissionDecision(outcome: .allowed, statements: allowing, reasons: reasons)
    }

    /// The same principal with more identity-based policies: what it could do after joining a group.
    public func adding(_ policies: [Policy]) -> AWSAuthorizer {
        var copy = self
        let held = Set(identityPolicies.map(\.id))
        copy.identityPolicies += policies.filter { !held.contains($0.id) }.map(Source.init)
        return copy
    }

    /// Whether any identity-based statement allows the action at all, on any resource: a cheap test
    /// that spares evaluating the many principals that cannot.
    public func mayAllow(_ action: String) -> Bool {
        !unknownPolicies.isEmpty || identityPolicies.contains { $0.statements.contains { $0.effect == .allow && $0.coversAction(action) } }
    }

    /// The resource patterns of the identity-based statements that allow `action` (policy variables resolved).
    public func allowedResourcePatterns(_ action: String) -> [String] {
        var out: [String] = []
        for source in identityPolicies {
            for statement in source.statements where statement.effect == .allow && statement.coversAction(action) {
                switch statement.resources {
                case .only(let patterns)?:
                    out += patterns.compactMap { $0.contains("${") ? PolicyVariables.resolve($0, variables) : $0 }
                case .except?, nil:
                    out.append("*")
                }
            }
        }
        var seen: Set<String> = []
        return out.filter { seen.insert($0).inserted }
    }

    // MARK: Statements

    /// Whether a statement applies to the request, the resource matched as written (`*` in a request is the
    /// literal "every resource"; a resource the caller names is first made concrete, see ``Wildcard/witness(_:_:)``).
    private func covers(_ statement: PolicyStatement, _ action: String, _ resource: String) -> Bool {
        statement.coversAction(action) && statement.coversResource(resource, variables: variables)
    }

    private func ref(_ source: Source, _ index: Int) -> StatementRef {
        StatementRef(policyId: source.id, index: index, sid: source.statements[index].sid)
    }

    private func describe(_ ref: StatementRef) -> String { ref.description }

    private func allows(_ sources: [Source], _ action: String, _ resource: String, _ context: AWSRequestContext) -> (refs: [StatementRef], undecided: [String]) {
        var refs: [StatementRef] = []
        var undecided: [String] = []
        for source in sources {
            for (i, statement) in source.statements.enumerated() where statement.effect == .allow && covers(statement, action, resource) {
                switch AWSConditions.evaluate(statement.conditions, in: context) {
                case .matches: refs.append(ref(source, i))
                case .fails: continue
                case .undecided(let why): undecided.append("\(describe(ref(source, i))) allows it only if a condition holds: \(why)")
                }
            }
        }
        return (refs, undecided)
    }

    private struct ResourceMatch {
        var denies: [StatementRef] = []
        var undecidedDenies: [String] = []
        /// Allows that name the principal's own ARN.
        var allowsByArn: [StatementRef] = []
        /// Allows that name its account, or everyone.
        var allowsBroadly: [StatementRef] = []
        var undecidedAllows: [String] = []
    }

    /// The statements of a resource policy (or trust policy) that apply to this principal's request.
    private func resourceStatements(_ policy: Policy, action: String, resource: String, context: AWSRequestContext) -> ResourceMatch {
        var match = ResourceMatch()
        let source = Source(policy)
        for (i, statement) in source.statements.enumerated() where statement.coversAction(action) {
            // Trust policies have no Resource element; other resource policies name their resource.
            if statement.resources != nil && !statement.coversResource(resource) { continue }
            guard let admits = admission(statement) else { continue }
            let reference = ref(source, i)
            switch (AWSConditions.evaluate(statement.conditions, in: context), statement.effect) {
            case (.fails, _): continue
            case (.matches, .deny): match.denies.append(reference)
            case (.undecided(let why), .deny): match.undecidedDenies.append("a Deny in \(policy.name) may apply: \(why)")
            case (.matches, .allow):
                if admits == .arn { match.allowsByArn.append(reference) } else { match.allowsBroadly.append(reference) }
            case (.undecided(let why), .allow): match.undecidedAllows.append("\(reference) admits it only if a condition holds: \(why)")
            }
        }
        return match
    }

    private enum Admission { case arn, account }

    /// How a statement's `Principal` admits this principal: by its ARN, by its account or everyone, or not.
    private func admission(_ statement: PolicyStatement) -> Admission? {
        switch statement.principals {
        case nil:
            return nil
        case .except(let excluded):
            // AWS supports NotPrincipal only with Deny (and never in a role's trust policy): an Allow with it admits nobody.
            // With Deny it exempts a caller only when both its account and its own ARN are listed.
            guard statement.effect == .deny else { return nil }
            let exempt = excluded.aws.contains(principalId) && excluded.aws.contains(where: isAccountPrincipal)
            return exempt ? nil : .account
        case .only(let set):
            if set.aws.contains(principalId) { return .arn }
            if set.aws.contains(where: isAccountPrincipal) { return .account }
            if set.everyone || set.aws.contains("*") { return .account }
            return nil
        }
    }

    private func isAccountPrincipal(_ value: String) -> Bool {
        guard let account else { return false }
        return value == account || value == "arn:aws:iam::\(account):root"
    }
}

extension Date {
    /// ISO 8601 in UTC with seconds, as AWS writes `aws:CurrentTime`.
    var iso8601: String {
        let seconds = Int(timeIntervalSince1970.rounded(.down))
        let rest = ((seconds % 86_400) + 86_400) % 86_400
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(utcDay)T\(pad(rest / 3600)):\(pad(rest % 3600 / 60)):\(pad(rest % 60))Z"
    }
}

extension Wildcard {
    /// A string both patterns match, or nil when there is none. `shape`'s wildcards stand for a name the caller
    /// chooses: non-empty runs within one ARN component (names hold no colons); `pattern`'s `*` matches any run,
    /// colons included, as AWS matches them. The witness is the shortest such string, with `x` for what the
    /// caller picks freely.
    ///
    /// For example, `witness("arn:aws:lambda:*:1:function:app-*", "arn:aws:lambda:us-east-1:1:function:*")` is
    /// `"arn:aws:lambda:us-east-1:1:function:app-"` (a name the allow admits; the pattern's `*` may match nothing).
    public static func witness(_ pattern: String, _ shape: String) -> String? {
        let p = Array(pattern.utf8), q = Array(shape.utf8)
        let star = UInt8(ascii: "*"), any = UInt8(ascii: "?"), colon = UInt8(ascii: ":"), filler = UInt8(ascii: "x")
        let width = q.count + 1
        // State (i, j, fresh): prefixes p[..<i] and q[..<j] matched; `fresh` when q[j-1] is a star that has emitted nothing yet.
        struct Step { var i: Int; var j: Int; var fresh: Bool; var emitted: UInt8? }
        var previous = [Int: Step]()
        func key(_ i: Int, _ j: Int, _ fresh: Bool) -> Int { (i * width + j) * 2 + (fresh ? 1 : 0) }
        var queue: [(Int, Int, Bool)] = [(0, 0, false)]
        var seen: Set<Int> = [key(0, 0, false)]
        var head = 0
        func push(_ i: Int, _ j: Int, _ fresh: Bool, from: (Int, Int, Bool), _ emitted: UInt8?) {
            let k = key(i, j, fresh)
            guard seen.insert(k).inserted else { return }
            previous[k] = Step(i: from.0, j: from.1, fresh: from.2, emitted: emitted)
            queue.append((i, j, fresh))
        }
        while head < queue.count {
            let (i, j, fresh) = queue[head]
            head += 1
            if i == p.count && j == q.count && !fresh {
                var out: [UInt8] = []
                var k = key(i, j, fresh)
                while let step = previous[k] {
                    if let emitted = step.emitted { out.append(emitted) }
                    k = key(step.i, step.j, step.fresh)
                }
                return String(decoding: out.reversed(), as: UTF8.self)
            }
            let here = (i, j, fresh)
            // The pattern's star matches nothing more.
            if i < p.count, p[i] == star { push(i + 1, j, fresh, from: here, nil) }
            if j < q.count, q[j] == star, !fresh { push(i, j + 1, true, from: here, nil) }
            // Emit one character of the shape: both sides must accept it (a caller's star must first produce something).
            if i < p.count, j < q.count, q[j] != star, !fresh {
                let c = q[j] == any ? (p[i] == star || p[i] == any ? filler : p[i]) : q[j]
                if p[i] == star { push(i, j + 1, false, from: here, c) }
                else if p[i] == any || p[i] == c { push(i + 1, j + 1, false, from: here, c) }
            }
            // Inside the shape's star (q[j-1]), emit a character the pattern accepts (never a colon).
            if j > 0, q[j - 1] == star {
                if i < p.count, p[i] != star {
                    let c = p[i] == any ? filler : p[i]
                    if c != colon { push(i + 1, j, false, from: here, c) }
                } else if i < p.count, p[i] == star {
                    push(i, j, false, from: here, filler)
                } else if fresh {
                    continue
                }
            }
        }
        return nil
    }
}
