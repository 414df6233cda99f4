public import RosterModel

/// Answers "may this principal perform this action on this resource" for one Entra ID tenant's
/// estate, from its Azure role assignments, the way Azure RBAC decides
/// (https://learn.microsoft.com/azure/role-based-access-control/overview#how-azure-rbac-determines-if-a-user-has-access-to-a-resource):
///
/// - An assignment at a scope applies to the scope and everything beneath it: the tenant root
///   (`/`) ⊃ management group ⊃ subscription ⊃ resource group ⊃ resource. Scopes compare
///   case-insensitively. Which subscriptions a management group (other than the tenant root
///   group) holds is not in the export: such an assignment leaves the answer undecided.
/// - A role allows an action its `actions` match and its `notActions` do not, `*` matching any run
///   of characters (`Microsoft.Compute/*`). `notActions` is not a deny: another role that allows
///   the action still does (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions).
///   Data actions are decided separately, by ``decide(principal:dataAction:resource:)``, from
///   `dataActions` minus `notDataActions`.
/// - A condition (ABAC) that names the action leaves the answer undecided; one that does not name
///   it does not restrict it (``AzureCondition``).
/// - A role whose definition is not in the export (a custom role without `az role definition list`)
///   leaves it undecided. Assignments of deleted principals grant nothing.
/// - Allow only: the connector reads no deny assignments.
///
/// Principals are identity ids (`azure:servicePrincipal:<objectId>`); resources are ARM ids.
/// Each deciding statement is `StatementRef(policyId: "azure:roleDefinition:<guid>", index: 0,
/// sid: "<role name> at <scope>")`: the connector keeps no assignment ids, and a role at a scope
/// names the assignment.
///
/// For example:
/// ```swift
/// let rbac = AzurePermissionEvaluator(estate: estate)
/// rbac.decide(principal: sp, permission: "Microsoft.Authorization/roleAssignments/write",
///             resource: "/subscriptions/7c1d…").isAllowed
/// ```
public struct AzurePermissionEvaluator: Sendable {
    /// The estate's scope, `azure:<tenant>`, and the tenant id.
    public let scope: String
    public let tenant: String
    let assignments: [AzureAssignment]
    let assignmentsOf: [String: [Int]]

    public init(estate: Estate) {
        scope = estate.scope
        tenant = (estate.scope.hasPrefix("azure:") ? String(estate.scope.dropFirst(6)) : estate.scope).lowercased()
        let policies = Dictionary(estate.policies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let deleted = Set(estate.identities.filter { $0.kind == .azureDeletedPrincipal }.map(\.id))
        var assignments: [AzureAssignment] = []
        var assignmentsOf: [String: [Int]] = [:]
        var scopes: [String: AzureScope] = [:]
        for grant in estate.grants where grant.via == .binding {
            guard let scope = grant.scope, !deleted.contains(grant.subjectId), !grant.subjectId.hasPrefix("azure:deletedPrincipal:") else { continue }
            let parsed = scopes[scope.id] ?? AzureScope(scope.id)
            scopes[scope.id] = parsed
            let policy = policies[grant.policyId]
            var permissions: AzureRolePermissions?
            if case .azureRole(let found)? = policy?.body { permissions = found }
            assignmentsOf[grant.subjectId, default: []].append(assignments.count)
            assignments.append(AzureAssignment(
                principal: grant.subjectId, policyId: grant.policyId, roleName: policy?.name ?? grant.policyId,
                builtIn: policy?.kind == .providerManaged && permissions != nil, permissions: permissions, scope: parsed, condition: grant.condition))
        }
        self.assignments = assignments
        self.assignmentsOf = assignmentsOf
    }

    /// Whether `principal` may perform the control-plane `permission` (an action) on `resource`.
    public func decide(principal: String, permission: String, resource: String) -> PermissionDecision {
        decide(principal, permission, resource, data: false)
    }

    /// Whether `principal` may perform the data-plane `dataAction` on `resource`.
    public func decide(principal: String, dataAction: String, resource: String) -> PermissionDecision {
        decide(principal, dataAction, resource, data: true)
    }

    /// Every principal an assignment allows the action on `resource` outright, sorted.
    public func principals(allowed permission: String, resource: String) -> [String] {
        let target = AzureScope(resource)
        var out: Set<String> = []
        for assignment in assignments where !out.contains(assignment.principal) {
            if case .allowed = assignment.decide(permission, on: target, tenant: tenant, data: false) { out.insert(assignment.principal) }
        }
        return out.sorted()
    }

    func decide(_ principal: String, _ action: String, _ resource: String, data: Bool) -> PermissionDecision {
        let target = AzureScope(resource)
        var allowed: [AzureAssignment] = []
        var allowedReasons: [String] = []
        var undecided: [AzureAssignment] = []
        var reasons: [String] = []
        for position in assignmentsOf[principal] ?? [] {
            let assignment = assignments[position]
            switch assignment.decide(action, on: target, tenant: tenant, data: data) {
            case .notApplicable: continue
            case .allowed(let why):
                allowed.append(assignment)
                allowedReasons.append(why)
            case .undecided(let why):
                undecided.append(assignment)
                reasons.append(why)
            }
        }
        if !allowed.isEmpty { return PermissionDecision(outcome: .allowed, statements: allowed.map(\.statement), reasons: allowedReasons) }
        if !undecided.isEmpty { return PermissionDecision(outcome: .undecided, statements: undecided.map(\.statement), reasons: reasons) }
        var denied = PermissionDecision.implicitlyDenied
        denied.reasons = ["no role assignment at or above \(target) allows \(action) (implicit deny)"]
        return denied
    }
}

/// One Azure role assignment: a role definition at a scope for a principal, perhaps under a condition.
struct AzureAssignment: Sendable {
    let principal: String
    let policyId: String
    let roleName: String
    /// A built-in role (the connector's `provider-managed` role definitions).
    let builtIn: Bool
    /// nil when the role's definition is not in the export.
    let permissions: AzureRolePermissions?
    let scope: AzureScope
    let condition: String?

    /// `Owner at /subscriptions/…`: names the assignment.
    var sid: String { "\(roleName) at \(scope.text.isEmpty ? "/" : scope.text)" }
    var statement: StatementRef { StatementRef(policyId: policyId, index: 0, sid: sid) }

    enum Answer {
        case notApplicable
        case allowed(String)
        case undecided(String)
    }

    /// Whether the role allows the action, before its scope and condition: true, false, or nil when unknown.
    func allows(_ action: String, data: Bool) -> Bool? {
        guard let permissions else { return nil }
        return data
            ? AzureRoleMeaning.allows(permissions.dataActions, permissions.notDataActions, action)
            : AzureRoleMeaning.allows(permissions.actions, permissions.notActions, action)
    }

    /// Allows every control-plane action: Owner, or a custom role with `*` and no `notActions`.
    var grantsEverything: Bool {
        guard let permissions else { return false }
        return permissions.actions.contains("*") && permissions.notActions.isEmpty
    }

    func decide(_ action: String, on target: AzureScope, tenant: String, data: Bool) -> Answer {
        let containment = scope.contains(target, tenant: tenant)
        guard containment != .no else { return .notApplicable }
        guard let allows = allows(action, data: data) else {
            return .undecided(
                "the definition of role \(roleName) (\(policyId)) is not in the export (add `az role definition list`), "
                    + "so whether it allows \(action) is unknown")
        }
        guard allows else { return .notApplicable }
        if containment == .unknown {
            return .undecided("\(roleName) at \(scope) allows \(action), but whether \(target) is beneath that management group is not in the export")
        }
        if let condition, AzureCondition.restricts(condition, action) {
            return .undecided("\(roleName) at \(scope) allows \(action) only under its condition, which the export does not decide: \(condition.prefix(300))")
        }
        return .allowed("\(roleName) at \(scope) allows \(action)")
    }
}
