import RosterModel

/// The Azure techniques by which a principal gains control of a scope, as declared edge rules.
/// Ids are a contract: findings, JSON paths and tests name them.
///
/// Each is decided per role assignment (see ``AzureGraphContext``) and gives an edge to the admin
/// node of the assignment's scope: a subscription's (`admin:azure:<subscription>`), a resource
/// group's (`admin:azure:<subscription>/resourceGroups/<name>`), a management group's, or the
/// tenant root's. An assignment on a single resource gives none.
public enum AzureEdgeRules {
    static let roleAssignmentsWrite = "Microsoft.Authorization/roleAssignments/write"
    static let docs = "https://learn.microsoft.com/azure/role-based-access-control/"

    public static let all: [EdgeRule<AzureGraphContext>] = [owner, userAccessAdmin, roleAssignmentWrite, appCredential]

    public static let owner = EdgeRule<AzureGraphContext>(
        id: "azure.owner", technique: "Holds Owner (or every action) at a scope", provider: .azure,
        summary: "Owner, or a role whose actions are `*` with no notActions, at a subscription, resource group, management group "
            + "or the tenant root: full control there, granting roles included.",
        references: [docs + "built-in-roles/general#owner", docs + "scope-overview"]
    ) { context, index in
        let assignment = context.assignment(index)
        guard assignment.grantsEverything else { return [] }
        return context.adminEdge(
            assignment, rule: "azure.owner", reason: "\(assignment.roleName) at \(assignment.scope) allows every action there (`*`), granting any role included")
    }

    public static let userAccessAdmin = EdgeRule<AzureGraphContext>(
        id: "azure.user-access-admin", technique: "Grants roles with a built-in access-management role", provider: .azure,
        summary: "User Access Administrator or Role Based Access Control Administrator (Microsoft.Authorization/roleAssignments/write) "
            + "at a scope: it can assign itself Owner there.",
        references: [docs + "built-in-roles/privileged#user-access-administrator", docs + "role-assignments-steps#privileged-administrator-roles"]
    ) { context, index in
        let assignment = context.assignment(index)
        guard assignment.builtIn, !assignment.grantsEverything, assignment.allows(roleAssignmentsWrite, data: false) == true else { return [] }
        return context.adminEdge(
            assignment, rule: "azure.user-access-admin",
            reason: "\(assignment.roleName) at \(assignment.scope) allows \(roleAssignmentsWrite): it can assign itself Owner there")
    }

    public static let roleAssignmentWrite = EdgeRule<AzureGraphContext>(
        id: "azure.role-assignment-write", technique: "Grants roles with a custom role", provider: .azure,
        summary: "A custom role that allows Microsoft.Authorization/roleAssignments/write (after its notActions) at a scope: it can assign itself Owner there.",
        references: [docs + "custom-roles", "https://learn.microsoft.com/rest/api/authorization/role-assignments/create"]
    ) { context, index in
        let assignment = context.assignment(index)
        guard !assignment.builtIn, !assignment.grantsEverything, assignment.allows(roleAssignmentsWrite, data: false) == true else { return [] }
        return context.adminEdge(
            assignment, rule: "azure.role-assignment-write",
            reason: "the custom role \(assignment.roleName) at \(assignment.scope) allows \(roleAssignmentsWrite): it can assign itself Owner there")
    }

    /// Declared for the contract, and for `roster rules`; it gives no edge yet. Who owns an app
    /// registration (`az ad app owner list`), Entra directory roles (Application Administrator,
    /// `microsoft.directory/applications/credentials/update`) and Microsoft Graph application
    /// permissions (`Application.ReadWrite.All`) are not in what the Azure connector imports, so
    /// nothing says who can add a credential to an app.
    public static let appCredential = EdgeRule<AzureGraphContext>(
        id: "azure.app-credential", technique: "Add a credential to an app registration", provider: .azure,
        summary: "An owner of an app registration, or a holder of Application.ReadWrite.All or "
            + "microsoft.directory/applications/credentials/update, can add a secret to the app and sign in as its service principal. "
            + "Needs app owners, Entra roles or Graph permissions, which the Azure connector does not import: gives no edge yet.",
        references: [
            "https://learn.microsoft.com/graph/api/application-addpassword",
            "https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#application-administrator",
        ]
    ) { _, _ in [] }
}
