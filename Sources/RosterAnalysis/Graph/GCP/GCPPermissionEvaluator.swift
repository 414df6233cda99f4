public import Foundation
public import RosterModel

/// Answers "may this principal use this permission on this resource" for one GCP project's estate,
/// from its role bindings, the way IAM decides (https://cloud.google.com/iam/docs/policies):
///
/// - A binding on the project applies to the project and to every resource in it, its service
///   accounts included; a binding on a service account applies to that account only
///   (https://cloud.google.com/iam/docs/resource-hierarchy-access-control). Bindings on folders and
///   the organization are not in the connector's export, so they are not counted.
/// - A role's permissions come from its definition when the export holds it, else from
///   ``GCPRoles/predefined`` (basic roles as the GCP documentation describes them).
/// - A binding's IAM condition is decided when the observation time decides it (``GCPCondition``);
///   otherwise the answer is `undecided`, naming the condition.
/// - Allow policies only: the connector reads no deny policies.
///
/// Principals are identity ids (`gcp:serviceAccount:EMAIL`); resources are a service account's
/// id, `gcp:project:P`, `projects/P` or a resource name under `projects/P/…`. Each deciding
/// statement is `StatementRef(policyId: "gcp:<role>", index: 0, sid: "projects/P <role>")` (or
/// `serviceAccounts/EMAIL <role>`), the sid naming the binding (GCP bindings have no ids: a binding is one role on one resource under
/// one condition).
///
/// For example:
/// ```swift
/// let iam = GCPPermissionEvaluator(estate: estate)
/// iam.decide(principal: "gcp:serviceAccount:ci@p.iam.gserviceaccount.com",
///            permission: "iam.serviceAccounts.getAccessToken",
///            resource: "gcp:serviceAccount:deploy@p.iam.gserviceaccount.com").isAllowed
/// ```
public struct GCPPermissionEvaluator: Sendable {
    /// The estate's scope, `gcp:<project>`, and the project id.
    public let scope: String
    public let project: String
    /// The time conditions are decided at: when the export was observed.
    public let observedAt: Date
    let bindings: [GCPBinding]
    let bindingsOf: [String: [Int]]
    /// Each known service account's project.
    let projectOf: [String: String]

    public init(estate: Estate) {
        scope = estate.scope
        project = estate.scope.hasPrefix("gcp:") ? String(estate.scope.dropFirst(4)) : estate.scope
        observedAt = estate.observedAt
        var projects: [String: String] = [:]
        for identity in estate.identities where identity.provider == .gcp {
            if let account = identity.account { projects[identity.id] = account }
        }
        projectOf = projects
        let policies = Dictionary(estate.policies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // One binding per role, resource and condition, its members in the order the grants list them.
        var index: [String: Int] = [:]
        var bindings: [GCPBinding] = []
        var bindingsOf: [String: [Int]] = [:]
        var roleCache: [String: GCPRoles.Permissions] = [:]
        var conditionCache: [String: GCPCondition.Verdict] = [:]
        for grant in estate.grants where grant.via == .binding {
            guard let scope = grant.scope, let target = GCPBinding.Target(scope) else { continue }
            let key = [grant.policyId, scope.description, grant.condition ?? ""].joined(separator: "\u{0}")
            let position: Int
            if let existing = index[key] {
                position = existing
            } else {
                let role = policies[grant.policyId]?.name ?? (grant.policyId.hasPrefix("gcp:") ? String(grant.policyId.dropFirst(4)) : grant.policyId)
                let permissions = roleCache[role] ?? GCPRoles.permissions(of: role, policy: policies[grant.policyId])
                roleCache[role] = permissions
                let verdict = grant.condition.map { expression in
                    conditionCache[expression] ?? GCPCondition.evaluate(expression, at: estate.observedAt)
                }
                if let expression = grant.condition, let verdict { conditionCache[expression] = verdict }
                position = bindings.count
                index[key] = position
                bindings.append(GCPBinding(
                    role: role, policyId: grant.policyId, target: target, condition: grant.condition, conditionVerdict: verdict,
                    permissions: permissions, members: []))
            }
            if !bindings[position].members.contains(grant.subjectId) {
                bindings[position].members.append(grant.subjectId)
                bindingsOf[grant.subjectId, default: []].append(position)
            }
        }
        self.bindings = bindings
        self.bindingsOf = bindingsOf
    }

    /// Whether `principal` may use `permission` on `resource`, with the bindings that decided.
    public func decide(principal: String, permission: String, resource: String) -> PermissionDecision {
        verdict(principal: principal, permission: permission, resource: resource).decision
    }

    /// Every principal a binding allows `permission` on `resource` outright (no undecided condition), sorted.
    public func principals(allowed permission: String, resource: String) -> [String] {
        let target = GCPResource(resource, projectOf: projectOf)
        var out: Set<String> = []
        for binding in bindings where binding.applies(to: target) && binding.grants(permission) == .yes {
            if case .holds = binding.conditionVerdict ?? .holds(nil) { out.formUnion(binding.members) }
        }
        return out.sorted()
    }

    /// A decision with the bindings behind it, and whether an undecided one rests on conditions
    /// (which the graph draws as conditional edges) rather than on unknown roles (which it does not).
    struct Verdict {
        var decision: PermissionDecision
        /// The allowing bindings, or for an undecided answer the conditional ones.
        var bindings: [Int]
        var onConditions: Bool
    }

    func verdict(principal: String, permission: String, resource: String) -> Verdict {
        let target = GCPResource(resource, projectOf: projectOf)
        var allowed: [Int] = []
        var conditional: [Int] = []
        var unknownRoles: [Int] = []
        var allowedReasons: [String] = []
        var reasons: [String] = []
        var blocked: [String] = []
        for position in bindingsOf[principal] ?? [] {
            let binding = bindings[position]
            guard binding.applies(to: target) else { continue }
            switch binding.grants(permission) {
            case .no:
                continue
            case .unknown(let why):
                unknownRoles.append(position)
                reasons.append("\(binding.role) \(binding.place) may include \(permission): \(why)")
            case .yes:
                switch binding.conditionVerdict ?? .holds(nil) {
                case .holds(let until):
                    allowed.append(position)
                    allowedReasons.append("\(binding.role) \(binding.place) includes \(permission)" + (until.map { " (its condition holds \($0))" } ?? ""))
                case .never(let why):
                    blocked.append("\(binding.role) \(binding.place) includes \(permission), but its condition `\(binding.condition ?? "")` cannot hold: \(why)")
                case .unknown(let why):
                    conditional.append(position)
                    reasons.append(
                        "\(binding.role) \(binding.place) includes \(permission) under the condition `\(binding.condition ?? "")`, "
                            + "which the export does not decide: \(why)")
                }
            }
        }
        if !allowed.isEmpty {
            let decision = PermissionDecision(outcome: .allowed, statements: allowed.map { bindings[$0].statement }, reasons: allowedReasons)
            return Verdict(decision: decision, bindings: allowed, onConditions: false)
        }
        if !conditional.isEmpty || !unknownRoles.isEmpty {
            let undecided = conditional + unknownRoles
            let decision = PermissionDecision(outcome: .undecided, statements: undecided.map { bindings[$0].statement }, reasons: reasons + blocked)
            return Verdict(decision: decision, bindings: conditional.isEmpty ? unknownRoles : conditional, onConditions: !conditional.isEmpty)
        }
        var denied = PermissionDecision.implicitlyDenied
        denied.reasons = ["no binding on \(target.description) allows \(permission) (implicit deny)"] + blocked
        return Verdict(decision: denied, bindings: [], onConditions: false)
    }
}

/// One GCP role binding: a role on a resource (the project or a service account), perhaps under a
/// condition, with the members of it that the estate names.
struct GCPBinding: Sendable {
    enum Target: Hashable, Sendable {
        case project(String)
        case serviceAccount(String)

        init?(_ scope: GrantScope) {
            switch scope.kind {
            case .project: self = .project(scope.id)
            case .resource where scope.id.hasPrefix("gcp:serviceAccount:"): self = .serviceAccount(scope.id)
            default: return nil
            }
        }
    }

    let role: String
    let policyId: String
    let target: Target
    let condition: String?
    /// nil when the binding has no condition.
    let conditionVerdict: GCPCondition.Verdict?
    let permissions: GCPRoles.Permissions
    var members: [String]

    /// The resource name the binding is on, as IAM names it.
    var resourceName: String {
        switch target {
        case .project(let project): "projects/\(project)"
        case .serviceAccount(let id): "serviceAccounts/\(id.dropFirst("gcp:serviceAccount:".count))"
        }
    }

    /// `projects/P roles/x` (`serviceAccounts/EMAIL roles/x`; ` if <condition>` after a conditional one): what names the binding.
    var sid: String {
        "\(resourceName) \(role)" + (condition.map { " if \($0.prefix(120))" } ?? "")
    }

    var statement: StatementRef { StatementRef(policyId: policyId, index: 0, sid: sid) }

    /// "on project p", "on service account x@…", for sentences.
    var place: String {
        switch target {
        case .project(let project): "on project \(project)"
        case .serviceAccount(let id): "on service account \(id.dropFirst("gcp:serviceAccount:".count))"
        }
    }

    func grants(_ permission: String) -> GCPRoles.Answer { GCPRoles.includes(permissions, role: role, permission) }

    func applies(to resource: GCPResource) -> Bool {
        switch (target, resource) {
        case (.project(let project), .project(let other)), (.project(let project), .inProject(let other)): project == other
        case (.project(let project), .serviceAccount(_, let other)): project == other
        case (.serviceAccount(let id), .serviceAccount(let other, _)): id == other
        default: false
        }
    }

    /// The binding's condition, when it may hold (for an edge's `conditions`); nil without one.
    var conditionText: [String] { condition.map { [$0] } ?? [] }

    /// Whether its condition cannot hold, so it grants nothing.
    var isDead: Bool {
        if case .never? = conditionVerdict { return true }
        return false
    }

    /// Whether its condition is not decided by the export.
    var isConditional: Bool {
        if case .unknown? = conditionVerdict { return true }
        return false
    }
}

/// What a decision is about: a project, a service account (in a project), or another resource in a project.
enum GCPResource: CustomStringConvertible {
    case project(String)
    case serviceAccount(id: String, project: String?)
    case inProject(String)
    case other(String)

    init(_ text: String, projectOf: [String: String]) {
        var name = Substring(text)
        if name.hasPrefix("//"), let slash = name.dropFirst(2).firstIndex(of: "/") { name = name[name.index(after: slash)...] }
        if name.hasPrefix("gcp:serviceAccount:") {
            let email = name.dropFirst("gcp:serviceAccount:".count).lowercased()
            let id = "gcp:serviceAccount:" + email
            self = .serviceAccount(id: id, project: projectOf[id] ?? Self.projectId(ofEmail: email))
        } else if name.hasPrefix("gcp:project:") {
            self = .project(String(name.dropFirst("gcp:project:".count)))
        } else if name.hasPrefix("projects/") {
            let parts = name.split(separator: "/", omittingEmptySubsequences: true)
            if parts.count == 2 {
                self = .project(String(parts[1]))
            } else if parts.count >= 4, parts[2] == "serviceAccounts", parts[3].contains("@") {
                let id = "gcp:serviceAccount:" + parts[3].lowercased()
                self = .serviceAccount(id: id, project: projectOf[id] ?? (parts[1] == "-" ? Self.projectId(ofEmail: String(parts[3])) : String(parts[1])))
            } else {
                self = .inProject(String(parts[1]))
            }
        } else if name.hasPrefix("gcp:"), !name.dropFirst(4).contains(":") {
            self = .project(String(name.dropFirst(4)))
        } else {
            self = .other(text)
        }
    }

    /// The project of `NAME@PROJECT.iam.gserviceaccount.com`.
    static func projectId(ofEmail email: String) -> String? {
        guard let at = email.firstIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        guard domain.hasSuffix(".iam.gserviceaccount.com") else { return nil }
        let project = domain.dropLast(".iam.gserviceaccount.com".count)
        return project.isEmpty || project.hasPrefix("gcp-sa-") ? nil : String(project)
    }

    var description: String {
        switch self {
        case .project(let p): "project \(p)"
        case .serviceAccount(let id, _): "service account \(id.dropFirst("gcp:serviceAccount:".count))"
        case .inProject(let p): "a resource of project \(p)"
        case .other(let text): text
        }
    }
}
