import Foundation
import RosterModel

/// Maps what ``GCPSources`` read to one estate per project: service accounts and their keys,
/// project role bindings as grants, each account's IAM policy as its trust policy, and the
/// impersonation edges between accounts that those policies state.
struct GCPMapper {
    static let importRule = "gcp.import"

    let sources: GCPSources
    let asOf: Date?
    var warnings: [String] = []
    /// Custom roles already reported as missing, so each is reported once.
    var missingRoles: Set<String> = []

    init(sources: GCPSources, asOf: Date?) {
        self.sources = sources
        self.asOf = asOf
    }

    /// A service account with the project it belongs to and where it was read.
    struct Account {
        var value: GCPServiceAccount
        var projectId: String
        var place: String
        /// Known only from its keys, a policy or a binding, not from a list of accounts.
        var inferred = false
    }

    /// One project's contents as they are gathered.
    struct Draft {
        var identities: [String: Identity] = [:]
        var credentials: [String: Credential] = [:]
        var policies: [String: Policy] = [:]
        var grants: Set<Grant> = []
        var resources: [String: Resource] = [:]
        var edges: Set<Edge> = []
    }

    mutating func map() throws -> [Estate] {
        let observedAt = observationTime()
        var numbers = sources.projectIdsByNumber
        var projects: [String: GCPSources.Located<GCPProject>] = [:]
        for project in sources.projects {
            if let number = project.value.projectNumber { numbers[number] = project.value.projectId }
            projects[project.value.projectId] = projects[project.value.projectId] ?? project
        }
        var accounts = try accountTable(numbers: numbers)
        let listedProjects = Set(accounts.values.map(\.projectId))
        let uniqueIds = Dictionary(accounts.values.compactMap { a in a.value.uniqueId.map { ($0, a.value.email) } }, uniquingKeysWith: { a, _ in a })
        let keys = resolveKeys(accounts: &accounts, uniqueIds: uniqueIds, listed: listedProjects)
        let (projectPolicies, accountPolicies) = try resolvePolicies(
            accounts: &accounts, uniqueIds: uniqueIds, numbers: numbers, listed: listedProjects, knownProjects: Set(projects.keys))
        let roles = roleDefinitions()

        var drafts: [String: Draft] = [:]
        var context = Context(
            accounts: accounts, projects: projects, numbers: numbers, roles: roles, observedAt: observedAt,
            directoriesByProject: directoriesByProject())
        for project in Set(accounts.values.map(\.projectId)).union(projectPolicies.keys).union(projects.keys) { drafts[project] = Draft() }

        // Accounts bound in a project whose accounts were not listed are inferred from the bindings (a policy-only export).
        for (project, policy) in projectPolicies.sorted(by: { $0.key < $1.key }) {
            for binding in policy.value.bindings ?? [] {
                for case .serviceAccount(let email) in binding.parsed where context.accounts[email] == nil {
                    let cls = GCPAccountClass(email: email)
                    let home: String?
                    switch cls {
                    case .serviceAgent: home = agentHome(email, numbers: numbers) ?? project
                    case .computeDefault(let number): home = numbers[number]
                    default: home = GCPAccountClass.projectId(ofEmail: email)
                    }
                    guard let home, drafts[home] != nil, cls == .serviceAgent || !listedProjects.contains(home) else { continue }
                    context.accounts[email] = Account(value: GCPServiceAccount(email: email), projectId: home, place: policy.place, inferred: true)
                }
            }
        }

        // Identities and keys.
        var facts: [String: ProjectFacts] = [:]
        for account in context.accounts.values {
            if facts[account.projectId] == nil { facts[account.projectId] = ProjectFacts(account.projectId, context: context) }
            drafts[account.projectId]!.identities[Self.identityId(account.value.email)] = identity(account, project: facts[account.projectId]!)
        }
        for key in keys {
            guard let account = context.accounts[key.email] else { continue }
            let (credential, resource) = credential(key.key.value, keyId: key.keyId, account: account, observedAt: observedAt)
            drafts[account.projectId]!.credentials[credential.id] = credential
            if let resource { drafts[account.projectId]!.resources[resource.id] = resource }
        }

        // Project bindings: grants to service accounts, and impersonation roles every account of the project inherits.
        var inherited: [String: [JSONAny]] = [:]
        let accountsByEmail = context.accounts.values.sorted { $0.value.email < $1.value.email }
        let accountsByProject = Dictionary(grouping: accountsByEmail, by: \.projectId)
        for (project, policy) in projectPolicies.sorted(by: { $0.key < $1.key }) {
            var deleted: [String] = []
            for binding in policy.value.bindings ?? [] {
                let members = binding.parsed
                if GCPRoleFacts.impersonationRoles[binding.role] != nil {
                    inherited[project, default: []].append(Self.bindingJSON(binding, inheritedFrom: "projects/\(project)"))
                }
                for member in members {
                    switch member {
                    case .serviceAccount(let email):
                        try grant(binding, to: email, scope: GrantScope(.project, project), in: project, place: policy.place, context: context, drafts: &drafts)
                        if let verb = GCPRoleFacts.impersonationRoles[binding.role] {
                            for target in accountsByProject[project] ?? [] where target.value.email != email
                                && GCPAccountClass(email: target.value.email) != .serviceAgent
                            {
                                drafts[project]!.edges.insert(Edge(
                                    from: Self.identityId(email), to: Self.identityId(target.value.email), kind: .actsAs, rule: Self.importRule,
                                    reason: "\(email) holds \(binding.role) on project \(project), so on every service account in it, and \(verb) "
                                        + "\(target.value.email) (\(policy.place))",
                                    conditions: binding.condition?.expression.map { [$0] } ?? []))
                            }
                        }
                    case .deleted(let kind, let email):
                        deleted.append("\(kind) \(email) (\(binding.role))")
                    default:
                        break
                    }
                }
            }
            if !deleted.isEmpty {
                warnings.append("\(policy.place): the IAM policy of project \(project) still binds \(deleted.count) deleted principal(s): "
                    + deleted.prefix(5).joined(separator: ", ") + (deleted.count > 5 ? ", …" : "") + "; remove the stale bindings")
            }
        }

        // Each account's own IAM policy, plus what it inherits from its project, is its trust policy: who may act as it.
        for account in accountsByEmail where GCPAccountClass(email: account.value.email) != .serviceAgent {
            let email = account.value.email
            let own = accountPolicies[email]
            let fromProject = inherited[account.projectId] ?? []
            guard own != nil || !fromProject.isEmpty else { continue }
            let target = Self.identityId(email)
            for binding in own?.value.bindings ?? [] {
                for case .serviceAccount(let member) in binding.parsed {
                    try grant(binding, to: member, scope: GrantScope(.resource, target), in: account.projectId, place: own!.place, context: context, drafts: &drafts)
                    if let verb = GCPRoleFacts.impersonationRoles[binding.role], member != email {
                        drafts[account.projectId]!.edges.insert(Edge(
                            from: Self.identityId(member), to: target, kind: .actsAs, rule: Self.importRule,
                            reason: "\(member) holds \(binding.role) on \(email) and \(verb) it (\(own!.place))",
                            conditions: binding.condition?.expression.map { [$0] } ?? []))
                    }
                }
            }
            let bindings = (own?.value.bindings ?? []).map { Self.bindingJSON($0, inheritedFrom: nil) } + fromProject
            let policy = Policy(
                id: target + "#iam-policy", name: "IAM policy of \(email)", provider: .gcp, kind: .trust,
                body: .other(type: "gcp.iam-policy", content: .object(["bindings": .array(bindings)])))
            drafts[account.projectId]!.policies[policy.id] = policy
            drafts[account.projectId]!.grants.insert(Grant(subjectId: target, policyId: policy.id, via: .trust))
            if var identity = drafts[account.projectId]!.identities[target], let reason = Self.workloadReason(own?.value) {
                identity.natureReason = reason
                drafts[account.projectId]!.identities[target] = identity
            }
        }

        for (project, located) in projects {
            drafts[project]?.resources["gcp:project:\(project)"] = Self.projectResource(located.value)
        }
        mapProviders(numbers: numbers, drafts: &drafts)

        return drafts.keys.sorted().map { project in Self.estate(drafts[project]!, scope: "gcp:\(project)", observedAt: observedAt) }
    }

    /// Facts every mapping step shares.
    struct Context {
        var accounts: [String: Account]
        var projects: [String: GCPSources.Located<GCPProject>]
        var numbers: [String: String]
        var roles: [String: GCPRole]
        var observedAt: Date
        var directoriesByProject: [String: [String]]
    }

    static func identityId(_ email: String) -> String { "gcp:serviceAccount:\(email)" }

    /// The estate of a draft, every list in ``Estate/sorted()``'s order: sorted here on keys computed once per value,
    /// so the store's own check finds them in order (its comparator builds a scope's description on every call).
    static func estate(_ draft: Draft, scope: String, observedAt: Date) -> Estate {
        func byKey<T>(_ table: [String: T]) -> [T] { table.sorted { $0.key < $1.key }.map(\.value) }
        // The condition and the reason last, so that values the store's order calls equal still come in one order.
        // One key per grant, its parts joined by NUL (below every character an id holds), orders as the tuple of parts does.
        let grants = draft.grants.map { grant in
            ([grant.subjectId, grant.policyId, grant.via.rawValue, grant.scope?.description ?? "", grant.condition ?? ""].joined(separator: "\u{0}"), grant)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        let edges = draft.edges.sorted {
            ($0.from, $0.to, $0.kind.rawValue, $0.rule, $0.reason) < ($1.from, $1.to, $1.kind.rawValue, $1.rule, $1.reason)
        }
        return Estate(
            observedAt: observedAt, scope: scope, identities: byKey(draft.identities), credentials: byKey(draft.credentials),
            policies: byKey(draft.policies), grants: grants, resources: byKey(draft.resources), edges: edges)
    }

    // MARK: Observation time

    /// `--as-of`, else the newest timestamp in the data (a key's validity start, an asset's update), else the files' modification time.
    private mutating func observationTime() -> Date {
        if let asOf { return asOf }
        if let (date, what) = sources.newestInData {
            warnings.append("observation time \(Self.iso(date)) taken from the newest timestamp in the data (\(what)); pass --as-of to override")
            return date
        }
        if let modified = sources.newestFileDate {
            warnings.append("observation time \(Self.iso(modified)) taken from the files' modification time (the data holds no timestamp); pass --as-of to override")
            return modified
        }
        return Date()
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
