public import RosterModel

extension PrivilegeEvaluators {
    /// GCP: each role binding judged by what the role allows (a table of the important predefined
    /// roles, a custom role's permissions, a predefined role's name), with impersonation counted:
    /// a role that lets an account act as other service accounts gives it their access too.
    public static let gcp = PrivilegeEvaluator(provider: .gcp) { identity, grants, index in
        GCPPrivilege.assess(identity, grants: grants, index: index)
    }
}

/// How much a GCP role binding allows, in Roster's levels.
///
/// Predefined roles are known by name only (an export names the role, not its permissions), so
/// the important ones are described in ``roles``; other predefined roles are judged by the last
/// word of their name (`…admin` write, `…viewer` read); a custom role by its permissions when its
/// definition was imported, and as `unknown` when it was not.
public enum GCPPrivilege {
    /// What Roster knows about one predefined role.
    public struct RoleFacts: Sendable, Hashable {
        public var level: PrivilegeLevel
        /// What the role lets its holder do, to follow "roles/x on project p: ".
        public var summary: String
        /// Whether the role lets its holder act as service accounts (then it also has their access).
        public var impersonates: Bool

        init(_ level: PrivilegeLevel, _ summary: String, impersonates: Bool = false) {
            self.level = level
            self.summary = summary
            self.impersonates = impersonates
        }
    }

    /// The important predefined roles. Sources: https://cloud.google.com/iam/docs/understanding-roles
    /// and https://cloud.google.com/iam/docs/service-account-permissions.
    public static let roles: [String: RoleFacts] = [
        "roles/owner": RoleFacts(.admin, "full control of the project, its IAM policy included (it can grant any role to anyone)"),
        "roles/editor": RoleFacts(
            .admin,
            "create, change and delete most resources, and, through iam.serviceAccounts.actAs and iam.serviceAccountKeys.create, run workloads as "
                + "or create keys for any service account in the project, so gain the access of its most privileged account; "
                + "it cannot change IAM policies itself"),
        "roles/viewer": RoleFacts(.read, "read-only access to the configuration of most resources"),
        "roles/browser": RoleFacts(.read, "browse the project and read its IAM policy, but not its resources"),
        "roles/resourcemanager.projectIamAdmin": RoleFacts(.admin, "change the project's IAM policy, and so grant itself or anyone any role, roles/owner included"),
        "roles/resourcemanager.folderAdmin": RoleFacts(.admin, "full control of folders, their IAM policies included"),
        "roles/resourcemanager.organizationAdmin": RoleFacts(.admin, "full control of the organization's IAM policy"),
        "roles/iam.securityAdmin": RoleFacts(.admin, "get and set any IAM policy, and so grant itself any role"),
        "roles/iam.securityReviewer": RoleFacts(.read, "list every resource and read its IAM policy"),
        "roles/iam.roleAdmin": RoleFacts(.write, "create and change custom roles, whose permissions apply wherever they are granted"),
        "roles/iam.roleViewer": RoleFacts(.read, "read role definitions"),
        "roles/iam.serviceAccountViewer": RoleFacts(.read, "list service accounts and read their details"),
        "roles/iam.serviceAccountAdmin": RoleFacts(
            .write, "create, change and delete service accounts and set their IAM policies, so grant itself the right to impersonate any of them",
            impersonates: true),
        "roles/iam.serviceAccountKeyAdmin": RoleFacts(.write, "create keys for service accounts, and so sign in as them", impersonates: true),
        "roles/iam.serviceAccountTokenCreator": RoleFacts(
            .write, "create short-lived tokens for service accounts and sign as them (impersonate them)", impersonates: true),
        "roles/iam.serviceAccountUser": RoleFacts(
            .write, "attach service accounts to resources it may create and run those as them (iam.serviceAccounts.actAs)", impersonates: true),
        "roles/iam.workloadIdentityUser": RoleFacts(.write, "impersonate service accounts through workload identity", impersonates: true),
        "roles/storage.admin": RoleFacts(.write, "full control of Cloud Storage buckets and objects, their IAM policies included"),
        "roles/storage.objectAdmin": RoleFacts(.write, "full control of Cloud Storage objects"),
        "roles/storage.objectCreator": RoleFacts(.write, "create Cloud Storage objects"),
        "roles/storage.objectViewer": RoleFacts(.read, "read Cloud Storage objects"),
        "roles/compute.admin": RoleFacts(.write, "full control of Compute Engine resources"),
        "roles/container.admin": RoleFacts(.write, "full control of GKE clusters and of the Kubernetes objects in them"),
        "roles/container.developer": RoleFacts(.write, "read and write Kubernetes objects, Secrets included, in GKE clusters"),
        "roles/cloudsql.admin": RoleFacts(.write, "full control of Cloud SQL instances"),
        "roles/bigquery.admin": RoleFacts(.write, "full control of BigQuery datasets, tables and jobs"),
        "roles/secretmanager.admin": RoleFacts(.write, "full control of Secret Manager secrets, their values included"),
        "roles/secretmanager.secretAccessor": RoleFacts(.read, "read secret values from Secret Manager"),
        "roles/cloudkms.admin": RoleFacts(.write, "manage Cloud KMS keys (not use them)"),
        "roles/cloudkms.cryptoKeyEncrypterDecrypter": RoleFacts(.write, "encrypt and decrypt with Cloud KMS keys"),
        "roles/cloudbuild.builds.editor": RoleFacts(.write, "run Cloud Build builds, which act as the build's service account"),
        "roles/run.admin": RoleFacts(.write, "full control of Cloud Run services and jobs"),
        "roles/cloudfunctions.admin": RoleFacts(.write, "full control of Cloud Functions"),
        "roles/artifactregistry.writer": RoleFacts(.write, "push and read artifacts"),
        "roles/artifactregistry.reader": RoleFacts(.read, "pull artifacts"),
        "roles/logging.logWriter": RoleFacts(.write, "write log entries"),
        "roles/monitoring.metricWriter": RoleFacts(.write, "write metrics"),
    ]

    /// Whether the predefined role lets its holder act as service accounts.
    public static func impersonates(_ role: String) -> Bool { roles[role]?.impersonates == true }

    /// The basic roles that carry much more than any workload needs.
    public static let basicRoles: Set<String> = ["roles/owner", "roles/editor"]

    /// One grant's verdict.
    struct Verdict {
        var level: PrivilegeLevel
        var evidence: String
        var conditional: Bool
    }

    static func assess(_ identity: Identity, grants: [GrantedPolicy], index: EstateIndex) -> PrivilegeAssessment {
        let bindings = grants.filter { $0.grant.via == .binding }
        guard !bindings.isEmpty else { return PrivilegeAssessment(level: .none, evidence: ["no role bindings"], conditional: false) }
        let verdicts = bindings.map { verdict($0, for: identity, index: index, followImpersonation: true) }
        let level = verdicts.map(\.level).max() ?? .none
        let deciding = verdicts.filter { $0.level == level }
        let ordered = verdicts.sorted { ($0.level, $1.evidence) > ($1.level, $0.evidence) }
        let missing = bindings.filter { $0.policy == nil }.map(\.grant.policyId)
        return PrivilegeAssessment(
            level: level, evidence: ordered.map(\.evidence), conditional: level == .admin && deciding.allSatisfy(\.conditional),
            missingPolicies: Array(Set(missing)).sorted())
    }

    /// The name of a granted role (`roles/editor`), from its policy or its policy id.
    public static func roleName(_ granted: GrantedPolicy) -> String {
        granted.policy?.name ?? (granted.grant.policyId.hasPrefix("gcp:") ? String(granted.grant.policyId.dropFirst(4)) : granted.grant.policyId)
    }

    /// Where a grant applies, for evidence: "on project acme-prod-4821", "on service account x@…".
    public static func scopeText(_ grant: Grant) -> String {
        guard let scope = grant.scope else { return "" }
        switch scope.kind {
        case .project: return "on project \(scope.id)"
        case .resource where scope.id.hasPrefix("gcp:serviceAccount:"): return "on service account \(scope.id.dropFirst("gcp:serviceAccount:".count))"
        default: return "on \(scope.kind.rawValue) \(scope.id)"
        }
    }

    static func verdict(_ granted: GrantedPolicy, for identity: Identity, index: EstateIndex, followImpersonation: Bool) -> Verdict {
        let role = roleName(granted)
        let at = "\(role) \(scopeText(granted.grant))"
        let condition = granted.grant.condition.map { " (only under the condition \($0.prefix(200)))" } ?? ""
        let conditional = granted.grant.condition != nil
        guard let policy = granted.policy else {
            return Verdict(level: .unknown, evidence: "\(at): a custom role whose definition is not in the export, so its permissions are unknown\(condition)",
                           conditional: conditional)
        }
        let (level, summary, impersonates) = facts(role: role, policy: policy)
        var verdict = Verdict(level: level, evidence: "\(at): \(summary)\(condition)", conditional: conditional)
        guard impersonates, followImpersonation else { return verdict }
        // Acting as another account gives its access: judge the accounts this grant reaches by their own bindings (one step).
        for target in reachableAccounts(granted.grant, from: identity, index: index) {
            let reached = directLevel(of: target, index: index)
            guard reached.level > verdict.level else { continue }
            verdict = Verdict(
                level: reached.level,
                evidence: "\(at): \(summary); it can so act as \(target.name), which has \(reached.level) access (\(reached.evidence))\(condition)",
                conditional: conditional)
            if reached.level == .admin { break }
        }
        return verdict
    }

    /// The service accounts an impersonation grant reaches: the one it is on, or every other account of the project.
    static func reachableAccounts(_ grant: Grant, from identity: Identity, index: EstateIndex) -> [Identity] {
        guard let scope = grant.scope else { return [] }
        switch scope.kind {
        case .resource: return index.identitiesById[scope.id].map { [$0] } ?? []
        case .project:
            return index.identities.filter {
                $0.provider == .gcp && $0.account == scope.id && $0.id != identity.id && $0.managedBy == nil && $0.kind == .gcpServiceAccount
            }
        default: return []
        }
    }

    /// An account's level from its own bindings, impersonation not followed further.
    static func directLevel(of identity: Identity, index: EstateIndex) -> (level: PrivilegeLevel, evidence: String) {
        let verdicts = index.grants(of: identity).filter { $0.grant.via == .binding }.map {
            verdict($0, for: identity, index: index, followImpersonation: false)
        }
        guard let best = verdicts.max(by: { $0.level < $1.level }) else { return (.none, "no role bindings") }
        return (best.level, String(best.evidence.prefix { $0 != ":" }))
    }

    /// A role's level, what it allows and whether it impersonates: from the table, a definition's permissions, or the name.
    static func facts(role: String, policy: Policy) -> (PrivilegeLevel, String, Bool) {
        if let known = roles[role] { return (known.level, known.summary, known.impersonates) }
        if case .gcpRole(let permissions) = policy.body, !permissions.isEmpty { return permissionFacts(permissions) }
        if policy.kind == .customerManaged {
            return (.none, "a custom role without permissions", false)
        }
        let word = (role.split(separator: ".").last ?? Substring(role)).lowercased()
        if word.contains("admin") { return (.write, "administers one service", false) }
        if readWords.contains(where: { word.hasSuffix($0) }) { return (.read, "read-only access to one service", false) }
        if writeWords.contains(where: { word.hasSuffix($0) }) { return (.write, "changes resources of one service", false) }
        return (.unknown, "a predefined role Roster has no description of", false)
    }

    static let readWords = ["viewer", "reader", "browser", "accessor", "getter", "lister", "auditor", "reviewer"]
    static let writeWords = [
        "editor", "writer", "developer", "creator", "user", "invoker", "publisher", "subscriber", "operator", "client", "updater", "deployer", "agent",
    ]

    /// Judges a list of permissions (a custom role, or a predefined role whose definition was imported).
    static func permissionFacts(_ permissions: [String]) -> (PrivilegeLevel, String, Bool) {
        if let grant = permissions.first(where: { adminPermissions.contains($0) }) {
            return (.admin, "includes \(grant), which lets it grant itself any role", false)
        }
        if let act = permissions.first(where: { impersonationPermissions.contains($0) }) {
            return (.write, "includes \(act), which lets it act as service accounts", true)
        }
        let writes = permissions.filter { permission in
            let verb = permission.split(separator: ".").last.map(String.init) ?? permission
            return !readVerbs.contains { verb.hasPrefix($0) }
        }
        if let first = writes.first {
            return (.write, "\(permissions.count) permissions, \(writes.count) of which change state (\(first)\(writes.count > 1 ? ", …" : ""))", false)
        }
        return (.read, "\(permissions.count) read-only permissions", false)
    }

    static let adminPermissions: Set<String> = [
        "resourcemanager.projects.setIamPolicy", "resourcemanager.folders.setIamPolicy", "resourcemanager.organizations.setIamPolicy",
    ]
    static let impersonationPermissions: Set<String> = [
        "iam.serviceAccounts.getAccessToken", "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt", "iam.serviceAccounts.implicitDelegation",
        "iam.serviceAccounts.actAs", "iam.serviceAccountKeys.create", "iam.serviceAccounts.setIamPolicy",
    ]
    static let readVerbs = ["get", "list", "search", "read", "view", "query", "lookup", "check", "download", "fetch", "watch", "access"]
}
