public import RosterModel
import Foundation

/// One GCP project's bindings and service accounts, indexed once: the context GCP edge rules read.
///
/// GCP rules are decided per *binding*, not per principal: the index an ``EdgeRule`` is given is a
/// binding's (one role on one resource under one condition, with all its members). A role's
/// permissions are looked up once per binding, and its edges go to the service accounts the
/// binding reaches: the one it is on, or, on the project, every account of the project. When a
/// binding has several members and reaches several accounts, its edges hang on one node for the
/// binding (`gcp:binding:<sid>`, kind `holds` from each member), so building stays linear in
/// members plus accounts per binding instead of members × accounts.
///
/// For example:
/// ```swift
/// let context = GCPGraphContext(estate: estate)
/// GCPEdgeRules.getAccessToken.edges(in: context, principal: 0)   // edges of the first binding
/// ```
public struct GCPGraphContext: Sendable {
    public let project: String
    public let scope: String
    public let evaluator: GCPPermissionEvaluator
    /// Service accounts of the project that a principal can take over: not Google's service agents,
    /// which live in Google's projects and answer to no binding of this one.
    let accounts: [String]
    let names: [String: String]
    /// Each principal's way to run code in the project, decided once.
    let runners: [String: Runner]

    /// A permission that runs code in the project (a VM, a function, a Cloud Run service), and the
    /// binding that allows it.
    struct Runner: Sendable {
        var permission: String
        var binding: Int
        var conditional: Bool
    }

    public var adminNode: String { GraphFragment.adminNode(scope) }
    /// How many bindings the project has: the indices rules are called with.
    public var bindingCount: Int { evaluator.bindings.count }

    public init(estate: Estate) {
        let evaluator = GCPPermissionEvaluator(estate: estate)
        self.evaluator = evaluator
        project = evaluator.project
        scope = estate.scope
        let accounts = estate.identities.filter {
            $0.provider == .gcp && $0.kind == .gcpServiceAccount && $0.managedBy == nil && ($0.account ?? evaluator.project) == evaluator.project
        }
        self.accounts = accounts.map(\.id).sorted()
        names = Dictionary(accounts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var runners: [String: Runner] = [:]
        let projectResource = "gcp:project:\(evaluator.project)"
        for principal in evaluator.bindingsOf.keys {
            var conditional: Runner?
            for permission in GCPRoles.runPermissions {
                let verdict = evaluator.verdict(principal: principal, permission: permission, resource: projectResource)
                if verdict.decision.isAllowed, let first = verdict.bindings.first {
                    runners[principal] = Runner(permission: permission, binding: first, conditional: false)
                    break
                }
                if verdict.decision.outcome == .undecided, verdict.onConditions, conditional == nil, let first = verdict.bindings.first {
                    conditional = Runner(permission: permission, binding: first, conditional: true)
                }
            }
            if runners[principal] == nil, let conditional { runners[principal] = conditional }
        }
        self.runners = runners
    }

    func binding(_ index: Int) -> GCPBinding { evaluator.bindings[index] }

    /// The service accounts a binding reaches: the one it is on, or every account of the project.
    func targets(of binding: GCPBinding) -> [String] {
        switch binding.target {
        case .project(let project): project == self.project ? accounts : []
        case .serviceAccount(let id): names[id] == nil ? [] : [id]
        }
    }

    /// Whether a binding makes its members administrators of the project: roles/owner, or a role with
    /// resourcemanager.projects.setIamPolicy, on the project. Such a binding gives only its edge to the admin
    /// node, which stands for everything in the project, not one edge per account as well.
    func isProjectAdmin(_ binding: GCPBinding) -> Bool {
        guard case .project(let project) = binding.target, project == self.project, !binding.isDead else { return false }
        return binding.role == "roles/owner" || binding.grants(GCPRoles.projectSetIamPolicy) == .yes
    }

    /// " on every account of the project", or "": how far a binding reaches, for sentences.
    func reach(_ binding: GCPBinding, _ target: String) -> String {
        if case .project = binding.target { return " on \(name(target))" }
        return ""
    }

    func name(_ id: String) -> String { names[id] ?? String(id.dropFirst("gcp:serviceAccount:".count)) }

    /// The node a binding's shared edges hang on; with a second binding, the node for the members holding both.
    static func hub(_ binding: GCPBinding, with other: GCPBinding? = nil) -> String {
        "gcp:binding:\(binding.sid)" + (other.map { " + \($0.sid)" } ?? "")
    }

    /// A label for a binding node, for people.
    static func label(ofHub id: String) -> String? {
        guard id.hasPrefix("gcp:binding:") else { return nil }
        let sids = id.dropFirst("gcp:binding:".count).components(separatedBy: " + ")
        return sids.count == 1 ? "the members of the binding \(sids[0])" : "the members of both bindings \(sids.joined(separator: " and "))"
    }

    /// Edges from each member to each target, or, when both are many, from the members to `hub`
    /// (`holds`) and from `hub` to the targets. No member gets an edge to itself.
    func spread(
        members: [String], hub: String, holdsReason: String, holdsStatement: StatementRef, targets: [String], _ make: (String, String) -> Edge
    ) -> [Edge] {
        if members.count > 1 && targets.count > 1 {
            return members.map { Edge(from: $0, to: hub, kind: .holds, rule: "gcp.binding", reason: holdsReason, statement: holdsStatement) }
                + targets.map { make(hub, $0) }
        }
        return members.flatMap { member in targets.filter { $0 != member }.map { make(member, $0) } }
    }

    /// A can-take-over edge decided by `binding` (and `others`), its condition listed when it has one.
    func edge(
        from: String, to: String, rule: String, reason: String, binding: GCPBinding, others: [GCPBinding] = []
    ) -> Edge {
        let all = [binding] + others
        let undecided = all.contains(where: \.isConditional)
        let conditions = all.flatMap(\.conditionText)
        return Edge(
            from: from, to: to, kind: .canTakeOver, rule: rule, reason: reason + (undecided ? ", if its condition holds" : ""),
            conditions: conditions, statement: binding.statement, otherStatements: others.isEmpty ? nil : others.map(\.statement))
    }
}
