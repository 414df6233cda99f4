public import RosterModel

/// One AWS account's principals and targets, indexed once, with what every principal's policies
/// decide: the context AWS edge rules read.
///
/// Principals that hold the same policies, boundary and request context share a *policy set*
/// (``signature(of:)``): target rules are decided once per set, on its first holder, not once per
/// principal, which keeps building linear in principals plus targets when many principals share
/// managed policies (the usual case). A set whose decisions can depend on who holds it (policy
/// variables, conditions on the principal's own keys) has one holder.
public struct AWSGraphContext: Sendable {
    public let account: String
    public let scope: String
    /// Users and roles of the account.
    public let principals: [Identity]
    let authorizers: [AWSAuthorizer]
    /// Policy set of each principal, and the holders of each set.
    let setOf: [Int]
    let holders: [[Int]]
    let users: [Identity]
    let roles: [Identity]
    /// Groups by id, with the ids of the policies they hold.
    let groups: [Resource]
    let groupMembers: [String: [String]]
    let groupsOfMember: [String: [String]]
    /// Groups whose members are administrators through the group's policies alone, with those policies.
    let adminGroups: Set<String>
    let groupPolicies: [String: [Policy]]
    let trustPolicies: [String: Policy]
    /// Roles an instance profile carries (EC2 can run as them).
    let profiledRoles: Set<String>
    /// Roles whose trust admits each AWS service (`lambda.amazonaws.com`).
    let rolesTrustingService: [String: [Identity]]
    /// Roles whose trust names a principal's ARN directly, by that ARN.
    let rolesNamingArn: [String: [Identity]]
    /// Roles whose trust admits this account (its root), any account, or everyone, decided once per policy set.
    let rolesTrustingBroadly: [Identity]
    /// Roles whose trust admits the account but tests who the caller is (a Deny, `aws:PrincipalArn`, principal
    /// tags…): decided for every principal.
    let rolesTrustingPersonally: [Identity]
    let customerPolicies: [String: Policy]
    let attachedPolicies: [String: [String]]
    /// Users that already hold two access keys (the most IAM allows), by id.
    let usersWithTwoKeys: Set<String>
    /// Roles an account may change: not service-linked (AWS manages those, and refuses edits).
    let changeableRoles: [Identity]

    public var adminNode: String { GraphFragment.adminNode(scope) }

    public init(estate: Estate, index: EstateIndex) {
        let account = estate.scope.hasPrefix("aws:") ? String(estate.scope.dropFirst(4)) : estate.scope
        self.account = account
        self.scope = estate.scope
        let principals = estate.identities.filter { $0.provider == .aws && ($0.kind == .iamUser || $0.kind == .iamRole) }
        self.principals = principals
        users = principals.filter { $0.kind == .iamUser }
        roles = principals.filter { $0.kind == .iamRole }
        changeableRoles = roles.filter { $0.managedBy == nil }
        usersWithTwoKeys = Set(users.filter { user in index.credentials(of: user).filter { $0.kind == .accessKey }.count >= 2 }.map(\.id))
        groups = estate.resources.filter { $0.type == "aws.iam.group" }
        var members: [String: [String]] = [:]
        for (member, groupIds) in index.groupsByMember { for group in groupIds { members[group, default: []].append(member) } }
        groupMembers = members
        groupsOfMember = index.groupsByMember

        var trust: [String: Policy] = [:]
        var byService: [String: [Identity]] = [:]
        var byArn: [String: [Identity]] = [:]
        var broad: [Identity] = []
        var personal: [Identity] = []
        for role in roles {
            guard let policy = index.trustPolicy(of: role), let document = policy.awsDocument else { continue }
            trust[role.id] = policy
            var isBroad = false
            for principal in document.trustedPrincipals {
                switch principal.kind {
                case .service: byService[principal.value.lowercased(), default: []].append(role)
                case .aws where principal.value.hasSuffix(":root"): isBroad = true
                case .aws: byArn[principal.value, default: []].append(role)
                case .everyone, .allExcept: isBroad = true
                default: break
                }
            }
            if isBroad, Self.isPersonal(document) { personal.append(role) } else if isBroad { broad.append(role) }
        }
        trustPolicies = trust
        rolesTrustingService = byService.mapValues { Self.unique($0) }
        rolesNamingArn = byArn.mapValues { Self.unique($0) }
        rolesTrustingBroadly = broad
        rolesTrustingPersonally = personal
        profiledRoles = Set(estate.edges.filter { $0.kind == .carries }.map(\.to))
        customerPolicies = Dictionary(estate.policies.filter { $0.kind == .customerManaged }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var attached: [String: [String]] = [:]
        for principal in principals { attached[principal.id] = index.attachedPolicyIds(of: principal) }
        attachedPolicies = attached

        // Authorizers and policy sets. The account's organization, when collection read it, decides aws:PrincipalOrgID.
        let organization = estate.resources.first { $0.type == "aws.account" }?.attributes["organizationId"]
        var authorizers: [AWSAuthorizer] = []
        authorizers.reserveCapacity(principals.count)
        var setIndex: [String: Int] = [:]
        var setOf: [Int] = []
        var holders: [[Int]] = []
        for (i, principal) in principals.enumerated() {
            let set = index.permissionPolicySet(of: principal)
            let granted = set.granted.map(\.policy)
            let boundary = index.boundary(of: principal)
            // The graph follows what the export holds: a policy it lacks would make every request undecided, and
            // the identity's privilege is already reported unknown. `roster can` does report such requests undecided.
            let controls = index.controlPolicies(of: principal)
            var context = AWSAuthorizer.context(for: principal)
            if let organization { context.set("aws:PrincipalOrgID", organization) }
            let authorizer = AWSAuthorizer(principal: principal, policies: granted, boundary: boundary, controlPolicies: controls, context: context)
            authorizers.append(authorizer)
            let key = Self.signature(principal: principal, granted: granted, boundary: boundary, controls: controls) + (controls.isEmpty ? "" : "\nscp")
            if let existing = setIndex[key] {
                setOf.append(existing)
                holders[existing].append(i)
            } else {
                setIndex[key] = holders.count
                setOf.append(holders.count)
                holders.append([i])
            }
        }
        self.authorizers = authorizers
        self.setOf = setOf
        self.holders = holders

        // Groups whose own policies make any member an administrator.
        var adminGroups: Set<String> = []
        var groupPolicies: [String: [Policy]] = [:]
        for group in groups {
            let policies = (index.grantsBySubject[group.id] ?? []).filter { $0.via == .attached || $0.via == .inline }.compactMap { index.policiesById[$0.policyId] }
            guard !policies.isEmpty else { continue }
            groupPolicies[group.id] = policies
            let probe = Identity(id: "\(group.id)#member", provider: .aws, kind: .iamUser, name: "member", account: account, nature: .machine)
            if Self.isAdministrator(AWSAuthorizer(principal: probe, policies: policies, boundary: nil)).isAllowed { adminGroups.insert(group.id) }
        }
        self.adminGroups = adminGroups
        self.groupPolicies = groupPolicies
    }

    /// The key of a principal's policy set: what its decisions depend on. Principals whose policies
    /// use variables or test the principal's own keys get a key of their own.
    static func signature(principal: Identity, granted: [Policy], boundary: Policy?, controls: [[Policy]] = []) -> String {
        let statements = granted.flatMap(\.awsStatements) + (boundary?.awsStatements ?? []) + controls.joined().flatMap(\.awsStatements)
        let personal = statements.contains { statement in
            let resources: [String]
            switch statement.resources {
            case .only(let list)?, .except(let list)?: resources = list
            case nil: resources = []
            }
            return resources.contains { $0.contains("${") }
                || statement.conditions.contains { condition in
                    let key = condition.key.lowercased()
                    return key.hasPrefix("aws:principal") || key == "aws:username" || key == "aws:userid" || condition.values.contains { $0.contains("${") }
                }
        }
        if personal { return principal.id }
        let mfa = principal.nature == .human ? "human" : "machine"
        return ([principal.kind.rawValue, mfa, boundary?.id ?? "-"] + granted.map(\.id).sorted()).joined(separator: "\n")
    }

    /// Whether a role's trust lets a service assume it for a resource the caller creates in this account:
    /// `.matches`, `.fails` (no Allow holds, or a Deny does), or `.undecided` with the condition that decides
    /// (an `aws:SourceArn` naming one existing resource, say). The caller's resource is in this account, so
    /// `aws:SourceAccount` and `aws:SourceOwner` hold.
    func trustAdmits(_ role: Identity, service: String) -> ConditionOutcome {
        guard let document = trustPolicies[role.id]?.awsDocument else { return .fails }
        var context = AWSRequestContext()
        context.set("aws:SourceAccount", account)
        context.set("aws:SourceOwner", account)
        func names(_ statement: PolicyStatement) -> Bool {
            guard statement.coversAction("sts:AssumeRole"), case .only(let set)? = statement.principals else { return false }
            return set.everyone || set.service.contains { $0.lowercased() == service }
        }
        var admitted: ConditionOutcome = .fails
        for statement in document.statements where names(statement) {
            let outcome = AWSConditions.evaluate(statement.conditions, in: context)
            switch (statement.effect, outcome) {
            case (.deny, .matches): return .fails
            case (.deny, .undecided(let why)): admitted = .undecided("a Deny in the trust may apply: \(why)")
            case (.allow, .matches): if case .fails = admitted { admitted = .matches }
            case (.allow, .undecided(let why)): if case .fails = admitted { admitted = .undecided("the trust admits \(service) only if: \(why)") }
            default: break
            }
        }
        return admitted
    }

    /// Whether a trust policy's answer can differ between callers of the same account holding the same policies.
    static func isPersonal(_ document: PolicyDocument) -> Bool {
        document.statements.contains { statement in
            statement.effect == .deny
                || statement.conditions.contains { condition in
                    let key = condition.key.lowercased()
                    return key.hasPrefix("aws:principal") || key == "aws:username" || key == "aws:userid" || key == "aws:sourceidentity"
                        || condition.values.contains { $0.contains("${") }
                }
        }
    }

    static func unique(_ roles: [Identity]) -> [Identity] {
        var seen: Set<String> = []
        return roles.filter { seen.insert($0.id).inserted }
    }

    // MARK: Deciding for rules

    /// Whether the principal is an administrator outright: allowed every probe action on every resource.
    static func isAdministrator(_ authorizer: AWSAuthorizer) -> PermissionDecision {
        var union: [StatementRef] = []
        var common: Set<StatementRef>?
        for action in PrivilegeAnalysis.adminProbes {
            let decision = authorizer.decide(action, on: "*")
            guard decision.isAllowed else { return decision }
            union += decision.statements
            common = common.map { $0.intersection(decision.statements) } ?? Set(decision.statements)
        }
        // The statements that allow every probe on their own (AdministratorAccess's `*` on `*`) are the evidence;
        // only when none does are the many that together allow everything named.
        let deciding = Self.unique(union).filter { common?.contains($0) ?? false }
        return PermissionDecision(outcome: .allowed, statements: deciding.isEmpty ? Self.unique(union) : deciding, reasons: ["allowed every action on every resource"])
    }

    static func unique(_ refs: [StatementRef]) -> [StatementRef] {
        var seen: Set<StatementRef> = []
        return refs.filter { seen.insert($0).inserted }
    }

    func authorizer(_ principal: Int) -> AWSAuthorizer { authorizers[principal] }

    /// The targets some allow statement for one of `actions` could name, before deciding each: the exact
    /// ARNs the statements list when they list no wildcard, else the targets a pattern matches. Most
    /// statements name a few resources; this keeps rules from deciding every target of the account.
    func candidates(_ principal: Int, _ actions: [String], among targets: [Identity]) -> [Identity] {
        let authorizer = authorizers[principal]
        let patterns = Set(actions.flatMap { authorizer.allowedResourcePatterns($0) })
        guard !patterns.isEmpty else { return [] }
        if patterns.contains("*") { return targets }
        if !patterns.contains(where: { $0.contains("*") || $0.contains("?") }) {
            return targets.filter { patterns.contains($0.id) }
        }
        return targets.filter { target in patterns.contains { Wildcard.matches($0, target.id, caseInsensitive: false) } }
    }

    /// The first decision that allows one of `actions` on `resource`, or nil when none does.
    func firstAllowed(_ principal: Int, _ actions: [String], on resource: String, with extra: AWSRequestContext? = nil) -> (String, PermissionDecision)? {
        let authorizer = authorizers[principal]
        var undecided: (String, PermissionDecision)?
        for action in actions where authorizer.mayAllow(action) {
            let decision = authorizer.decide(action, on: resource, with: extra)
            if decision.isAllowed { return (action, decision) }
            if decision.outcome == .undecided, undecided == nil { undecided = (action, decision) }
        }
        return undecided
    }

    /// Every one of `requests` decided, nil when one is denied, undecided when one is. A resource with `*` is one the
    /// caller names (a new function): requests on the same such resource are decided together on one concrete
    /// name that an allow statement admits (``Wildcard/witness(_:_:)``), so a Deny or a boundary that covers that
    /// name counts, and creating one function and invoking another does not pass for invoking what it created.
    func allAllowed(_ principal: Int, _ requests: [(action: String, resource: String)], with extra: AWSRequestContext? = nil) -> PermissionDecision? {
        let authorizer = authorizers[principal]
        guard requests.allSatisfy({ authorizer.mayAllow($0.action) }) else { return nil }
        var statements: [StatementRef] = []
        var reasons: [String] = []
        var undecided = false
        var shapes: [String] = []
        for request in requests where !shapes.contains(request.resource) { shapes.append(request.resource) }
        for shape in shapes {
            let actions = requests.filter { $0.resource == shape }.map(\.action)
            let names: [String]
            if shape.contains("*") {
                names = Array(Set(authorizer.allowedResourcePatterns(actions[0]).compactMap { Wildcard.witness($0, shape) }).sorted().prefix(8))
            } else {
                names = [shape]
            }
            var best: [PermissionDecision]?
            for name in names {
                let decisions = actions.map { authorizer.decide($0, on: name, with: extra) }
                guard !decisions.contains(where: { $0.outcome == .denied }) else { continue }
                best = decisions
                if decisions.allSatisfy(\.isAllowed) { break }
            }
            guard let best else { return nil }
            undecided = undecided || best.contains { $0.outcome == .undecided }
            statements += best.flatMap(\.statements)
            reasons += best.flatMap(\.reasons)
        }
        return PermissionDecision(outcome: undecided ? .undecided : .allowed, statements: Self.unique(statements), reasons: reasons)
    }

    /// An edge from a principal, deciding statements attached, conditions listed when undecided.
    func edge(_ principal: Int, to target: String, rule: String, reason: String, _ decision: PermissionDecision) -> Edge {
        let statements = decision.statements
        return Edge(
            from: principals[principal].id, to: target, kind: .canTakeOver, rule: rule,
            reason: reason + (decision.outcome == .undecided ? ", if its conditions hold" : ""),
            conditions: decision.outcome == .undecided ? decision.reasons.filter { $0.contains("condition") || $0.contains("may apply") } : [],
            statement: statements.first, otherStatements: statements.count > 1 ? Array(statements.dropFirst()) : nil)
    }

}
