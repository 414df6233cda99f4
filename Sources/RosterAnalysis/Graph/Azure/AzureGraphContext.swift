public import RosterModel

/// One Entra ID tenant's Azure role assignments, indexed once: the context Azure edge rules read.
///
/// Azure rules are decided per *role assignment*: the index an ``EdgeRule`` is given is an
/// assignment's. Each assignment gives at most one edge, from its principal to the admin node of
/// its scope (see ``AzureGraph``), so building is linear in assignments.
///
/// For example:
/// ```swift
/// let context = AzureGraphContext(estate: estate)
/// AzureEdgeRules.owner.edges(in: context, principal: 0)   // the first assignment's edge, if Owner
/// ```
public struct AzureGraphContext: Sendable {
    public let tenant: String
    public let scope: String
    public let evaluator: AzurePermissionEvaluator

    /// How many role assignments the estate has: the indices rules are called with.
    public var assignmentCount: Int { evaluator.assignments.count }

    public init(estate: Estate) {
        evaluator = AzurePermissionEvaluator(estate: estate)
        tenant = evaluator.tenant
        scope = estate.scope
    }

    func assignment(_ index: Int) -> AzureAssignment { evaluator.assignments[index] }

    /// The admin node of an assignment's scope; nil for a single resource.
    func adminNode(_ assignment: AzureAssignment) -> String? { assignment.scope.adminNode(tenant: tenant, estateScope: scope) }

    /// The edge from an assignment's principal to its scope's admin node, decided by the assignment.
    ///
    /// What makes the principal an administrator is that it can grant any role at the scope
    /// (`Microsoft.Authorization/roleAssignments/write`); a condition that restricts that action
    /// (constrained delegation) makes the edge conditional, one that does not (a data-action
    /// condition) leaves it as it is.
    func adminEdge(_ assignment: AzureAssignment, rule: String, reason: String) -> [Edge] {
        guard let node = adminNode(assignment) else { return [] }
        let restricted = assignment.condition.map { AzureCondition.restricts($0, AzureEdgeRules.roleAssignmentsWrite) } ?? false
        return [Edge(
            from: assignment.principal, to: node, kind: .canTakeOver, rule: rule,
            reason: reason + (restricted ? ", if its condition allows the role it would assign" : ""),
            conditions: restricted ? [assignment.condition!] : [], statement: assignment.statement)]
    }
}
