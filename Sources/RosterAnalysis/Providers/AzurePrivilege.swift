public import RosterModel

extension PrivilegeEvaluators {
    /// Azure: judges role assignments (grants of `.azureRole` policies at an ARM scope) by what
    /// the role's actions allow after its `notActions`, and where.
    ///
    /// - admin: the role can grant access (`Microsoft.Authorization/roleAssignments/write`: Owner,
    ///   User Access Administrator, Role Based Access Control Administrator) at a subscription, a
    ///   management group or the tenant root, or allows every action (`*`) there. Whoever can grant
    ///   access can give itself, or anyone, any role beneath that scope.
    /// - write: any other role that creates, changes or deletes resources or data (Contributor:
    ///   everything except granting access, which its `notActions` exclude), or one that grants
    ///   access only within a resource group or a resource.
    /// - read: reads only (Reader `*/read`, Key Vault Secrets User reading secret values).
    /// - unknown: a role whose permissions the export does not hold.
    /// Assignments of a deleted principal grant nothing: object ids are never reused.
    public static let azure = PrivilegeEvaluator(provider: .azure) { identity, grants, _ in
        if identity.kind == .azureDeletedPrincipal {
            return PrivilegeAssessment(
                level: .none, evidence: ["the principal no longer exists; its \(grants.count) role assignment(s) grant nothing"], conditional: false)
        }
        let bindings = grants.filter { $0.grant.via == .binding }
        guard !bindings.isEmpty else { return PrivilegeAssessment(level: .none, evidence: ["no role assignments"], conditional: false) }
        var level = PrivilegeLevel.none
        var evidence: [String] = []
        var unknown: [String] = []
        var conditional = false
        for granted in bindings.sorted(by: { ($0.grant.scope?.id ?? "", $0.grant.policyId) < ($1.grant.scope?.id ?? "", $1.grant.policyId) }) {
            guard let policy = granted.policy, case .azureRole(let permissions) = policy.body else {
                let name = granted.policy?.name ?? granted.grant.policyId
                unknown.append(name)
                evidence.append("role \(name) at \(AzureRoleMeaning.place(granted.grant.scope)): its permissions are not in the export")
                continue
            }
            let verdict = AzureRoleMeaning.judge(role: policy.name, permissions, scope: granted.grant.scope)
            if verdict.level > level { level = verdict.level }
            if granted.grant.condition != nil && verdict.level == .admin { conditional = true }
            evidence.append(verdict.sentence + (granted.grant.condition.map { " (under the condition \($0.prefix(200)))" } ?? ""))
        }
        if !unknown.isEmpty && level < .admin {
            return PrivilegeAssessment(
                level: .unknown, evidence: evidence + ["the known roles alone allow: \(level)"], conditional: false, missingPolicies: unknown.sorted())
        }
        return PrivilegeAssessment(level: level, evidence: evidence, conditional: conditional)
    }
}

/// What Azure roles mean: the level a role's permissions give at a scope, and a sentence saying why.
public enum AzureRoleMeaning {
    /// What the built-in roles NHIs are most often given mean, in a reader's words.
    static let builtIn: [String: String] = [
        "owner": "can do everything, including granting access to others",
        "contributor": "can create, change and delete every kind of resource, but cannot grant access (Microsoft.Authorization/*/Write is excluded)",
        "reader": "can read every resource's configuration, but change nothing",
        "user access administrator": "can grant any role to anyone (Microsoft.Authorization/*), though it cannot change resources itself",
        "role based access control administrator": "can grant roles to anyone (Microsoft.Authorization/roleAssignments/write)",
        "key vault administrator": "can do anything with the vaults' secrets, keys and certificates",
        "key vault secrets officer": "can read, write and delete secret values",
        "key vault secrets user": "can read secret values (getSecret)",
        "key vault reader": "can read vault metadata, not secret values",
        "storage blob data owner": "can read, write and delete blobs and set their access",
        "storage blob data contributor": "can read, write and delete blobs",
        "storage blob data reader": "can read blobs",
        "acrpull": "can pull container images",
        "acrpush": "can push and pull container images",
    ]

    /// Scopes where granting access reaches a whole subscription or more.
    static func isBroad(_ scope: GrantScope?) -> Bool {
        guard let scope else { return false }
        return scope.kind == .subscription || scope.kind == .managementGroup
    }

    /// The scope as a reader says it: "subscription /subscriptions/…".
    public static func place(_ scope: GrantScope?) -> String {
        guard let scope else { return "an unknown scope" }
        if scope.kind == .managementGroup && (scope.id == "/" || scope.id.isEmpty) { return "the tenant root (/)" }
        return "\(scope.kind.rawValue) \(scope.id)"
    }

    /// The level the permissions give at the scope, with a sentence naming the role, scope and reason.
    public static func judge(role: String, _ permissions: AzureRolePermissions, scope: GrantScope?) -> (level: PrivilegeLevel, sentence: String) {
        let meaning = builtIn[role.lowercased()]
        let assigns = allows(permissions.actions, permissions.notActions, "Microsoft.Authorization/roleAssignments/write")
        let everything = permissions.actions.contains("*") && permissions.notActions.isEmpty
        let writes = permissions.actions.contains { !isRead($0) && allowsSomething($0, except: permissions.notActions) }
        let dataWrites = permissions.dataActions.contains { !isRead($0) && !isSecretRead($0) }
        let reads = !permissions.actions.isEmpty || !permissions.dataActions.isEmpty
        let place = place(scope)
        let why = meaning ?? describe(assigns: assigns, everything: everything, writes: writes || dataWrites, reads: reads)
        let level: PrivilegeLevel
        if (assigns || everything) && isBroad(scope) {
            level = .admin
        } else if assigns || everything || writes || dataWrites {
            level = .write
        } else if reads {
            level = .read
        } else {
            level = .none
        }
        var sentence = "\(role) at \(place): \(why)"
        if assigns && !isBroad(scope) { sentence += "; it can grant access only within this scope" }
        return (level, sentence)
    }

    static func describe(assigns: Bool, everything: Bool, writes: Bool, reads: Bool) -> String {
        if everything { return "allows every action" }
        if assigns { return "can grant roles (Microsoft.Authorization/roleAssignments/write)" }
        if writes { return "can change resources or data" }
        if reads { return "can read only" }
        return "allows nothing"
    }

    /// Whether `action` is allowed by `actions` and not removed by `notActions` (Azure matches `*` anywhere, case-insensitively).
    static func allows(_ actions: [String], _ notActions: [String], _ action: String) -> Bool {
        actions.contains { matches($0, action) } && !notActions.contains { matches($0, action) }
    }

    /// Whether a granted pattern still allows some action after `notActions` (e.g. Contributor's `*`).
    static func allowsSomething(_ pattern: String, except notActions: [String]) -> Bool {
        !notActions.contains { $0 == pattern || $0 == "*" }
    }

    static func isRead(_ action: String) -> Bool {
        let lower = action.lowercased()
        return lower.hasSuffix("/read") || lower == "*/read"
    }

    /// Data actions that only read a secret's value (Key Vault Secrets User): reading, though of something sensitive.
    static func isSecretRead(_ action: String) -> Bool {
        let lower = action.lowercased()
        return lower.hasSuffix("/getsecret/action") || lower.hasSuffix("/readmetadata/action")
    }

    /// Azure's action wildcard: `*` matches any run of characters; comparison ignores case.
    static func matches(_ pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased().utf8)
        let a = Array(action.lowercased().utf8)
        var (pi, ai, star, mark) = (0, 0, -1, 0)
        while ai < a.count {
            if pi < p.count && p[pi] == a[ai] {
                pi += 1
                ai += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ai
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ai = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
