import RosterModel

/// The permissions of GCP roles, as far as the access graph asks about them.
///
/// An export names the roles a binding grants, not their permissions. A custom role's permissions
/// come from its definition (`gcloud iam roles describe`), as does a predefined role's when its
/// definition was exported too; otherwise Roster uses ``predefined``, its table of the predefined
/// roles that matter for escalation, which is complete for the ``tracked`` permissions only.
///
/// For example:
/// ```swift
/// GCPRoles.permissions(of: "roles/iam.serviceAccountTokenCreator", policy: nil)
///     .includes("iam.serviceAccounts.getAccessToken")   // .yes
/// ```
enum GCPRoles {
    static let actAs = "iam.serviceAccounts.actAs"
    static let getAccessToken = "iam.serviceAccounts.getAccessToken"
    static let getOpenIdToken = "iam.serviceAccounts.getOpenIdToken"
    static let signJwt = "iam.serviceAccounts.signJwt"
    static let signBlob = "iam.serviceAccounts.signBlob"
    static let implicitDelegation = "iam.serviceAccounts.implicitDelegation"
    static let accountSetIamPolicy = "iam.serviceAccounts.setIamPolicy"
    static let accountGetIamPolicy = "iam.serviceAccounts.getIamPolicy"
    static let keysCreate = "iam.serviceAccountKeys.create"
    static let projectSetIamPolicy = "resourcemanager.projects.setIamPolicy"
    static let projectGetIamPolicy = "resourcemanager.projects.getIamPolicy"
    static let instancesCreate = "compute.instances.create"
    static let functionsCreate = "cloudfunctions.functions.create"
    static let runServicesCreate = "run.services.create"

    /// Ways to run code as a service account one may act as: create a VM, a function or a Cloud Run
    /// service that runs as it (https://cloud.google.com/iam/docs/service-accounts-actas).
    static let runPermissions = [instancesCreate, functionsCreate, runServicesCreate]

    /// The permissions ``predefined`` is complete for.
    static let tracked: Set<String> = [
        actAs, getAccessToken, getOpenIdToken, signJwt, signBlob, implicitDelegation, accountSetIamPolicy, accountGetIamPolicy, keysCreate,
        projectSetIamPolicy, projectGetIamPolicy, instancesCreate, functionsCreate, runServicesCreate,
    ]

    /// The tracked permissions of the predefined roles that hold any, from
    /// https://cloud.google.com/iam/docs/understanding-roles (basic roles),
    /// https://cloud.google.com/iam/docs/service-account-permissions and
    /// https://cloud.google.com/iam/docs/roles-permissions. The basic roles list only what those pages
    /// name: Editor runs workloads as and creates keys for any service account of the project, but
    /// cannot change IAM policies; Owner adds that.
    static let predefined: [String: Set<String>] = {
        let editor: Set<String> = [actAs, keysCreate, instancesCreate, functionsCreate, runServicesCreate, projectGetIamPolicy, accountGetIamPolicy]
        return [
            "roles/owner": editor.union([projectSetIamPolicy, accountSetIamPolicy]),
            "roles/editor": editor,
            "roles/viewer": [projectGetIamPolicy, accountGetIamPolicy],
            "roles/browser": [projectGetIamPolicy],
            "roles/iam.securityReviewer": [projectGetIamPolicy, accountGetIamPolicy],
            "roles/iam.securityAdmin": [projectSetIamPolicy, projectGetIamPolicy, accountSetIamPolicy, accountGetIamPolicy],
            "roles/resourcemanager.projectIamAdmin": [projectSetIamPolicy, projectGetIamPolicy],
            "roles/iam.serviceAccountUser": [actAs],
            "roles/iam.serviceAccountTokenCreator": [getAccessToken, getOpenIdToken, signBlob, signJwt, implicitDelegation],
            "roles/iam.workloadIdentityUser": [getAccessToken, getOpenIdToken],
            "roles/iam.serviceAccountKeyAdmin": [keysCreate],
            "roles/iam.serviceAccountAdmin": [accountSetIamPolicy, accountGetIamPolicy],
            "roles/iam.serviceAccountViewer": [],
            "roles/compute.admin": [instancesCreate],
            "roles/compute.instanceAdmin": [instancesCreate],
            "roles/compute.instanceAdmin.v1": [instancesCreate],
            "roles/cloudfunctions.admin": [functionsCreate],
            "roles/cloudfunctions.developer": [functionsCreate],
            "roles/run.admin": [runServicesCreate],
            "roles/run.developer": [runServicesCreate],
            "roles/run.sourceDeveloper": [runServicesCreate],
        ]
    }()

    static let basicRoles: Set<String> = ["roles/owner", "roles/editor", "roles/viewer"]

    /// Whether a role holds a permission: known, known not to, or unknown (and why).
    enum Answer: Hashable, Sendable {
        case yes
        case no
        case unknown(String)
    }

    /// What Roster knows of one role's permissions.
    enum Permissions: Hashable, Sendable {
        /// The definition's `includedPermissions`: complete.
        case listed(Set<String>)
        /// Roster's table: complete for ``tracked`` permissions only.
        case table(Set<String>)
        /// A predefined role Roster has no table of, and whose definition was not exported.
        case unknownPredefined
        /// A custom role whose definition was not exported.
        case unknownCustom
    }

    /// The permissions of `role` (`roles/editor`, `projects/P/roles/NAME`), from its policy in the estate when that lists them.
    static func permissions(of role: String, policy: Policy?) -> Permissions {
        if case .gcpRole(let listed)? = policy?.body, !listed.isEmpty || !role.hasPrefix("roles/") { return .listed(Set(listed)) }
        if let table = predefined[role] { return .table(table) }
        return role.hasPrefix("roles/") ? .unknownPredefined : .unknownCustom
    }

    /// Whether `role` with `permissions` includes `permission`.
    ///
    /// A predefined role without a table or definition may hold a permission of its own service
    /// (`roles/compute.networkAdmin` and `compute.instances.create`): unknown. It is taken not to
    /// hold another service's (predefined roles are named after the service whose permissions they
    /// grant), nor an untracked permission no table lists.
    static func includes(_ permissions: Permissions, role: String, _ permission: String) -> Answer {
        switch permissions {
        case .listed(let set):
            return set.contains(permission) ? .yes : .no
        case .table(let set):
            if set.contains(permission) { return .yes }
            if tracked.contains(permission) { return .no }
            if basicRoles.contains(role) { return .unknown("Roster's table of the basic role \(role) lists only the permissions its rules ask about") }
            return sameService(role, permission) ? .unknown("Roster's table of \(role) lists only the permissions its rules ask about") : .no
        case .unknownPredefined:
            return sameService(role, permission)
                ? .unknown("\(role) is a predefined role whose permissions the export does not list (add `gcloud iam roles describe \(role) --format=json`)")
                : .no
        case .unknownCustom:
            return .unknown("the definition of custom role \(role) is not in the export (add `gcloud iam roles describe`)")
        }
    }

    /// Whether a predefined role is named after the service a permission belongs to.
    static func sameService(_ role: String, _ permission: String) -> Bool {
        guard role.hasPrefix("roles/") else { return false }
        let service = role.dropFirst("roles/".count).prefix { $0 != "." }
        return permission.prefix { $0 != "." } == service
    }
}
