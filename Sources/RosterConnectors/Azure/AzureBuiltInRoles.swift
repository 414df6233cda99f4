import RosterModel

/// The permissions of the Azure built-in roles NHIs are most often given, as Microsoft documents
/// them (learn.microsoft.com, "Azure built-in roles"), so an `az role assignment list` export can
/// be judged without `az role definition list`. Built-in role GUIDs are the same in every tenant.
///
/// A role not listed here, and not in an imported `az role definition list`, is kept by name with
/// unknown permissions, and the identity's privilege is reported as unknown.
enum AzureBuiltInRoles {
    struct Role: Sendable {
        let guid: String
        let name: String
        let permissions: AzureRolePermissions
    }

    private static let readerActions = ["*/read"]

    static let all: [Role] = [
        Role(guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", name: "Owner", permissions: AzureRolePermissions(actions: ["*"])),
        Role(
            guid: "b24988ac-6180-42a0-ab88-20f7382dd24c", name: "Contributor",
            permissions: AzureRolePermissions(
                actions: ["*"],
                notActions: [
                    "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
                    "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
                    "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                ])),
        Role(guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7", name: "Reader", permissions: AzureRolePermissions(actions: readerActions)),
        Role(
            guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", name: "User Access Administrator",
            permissions: AzureRolePermissions(actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"])),
        Role(
            guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168", name: "Role Based Access Control Administrator",
            permissions: AzureRolePermissions(actions: [
                "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*",
            ])),
        Role(
            guid: "00482a5a-887f-4fb3-b363-3b7fe8e74483", name: "Key Vault Administrator",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
                    "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
                    "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read",
                    "Microsoft.KeyVault/operations/read",
                ],
                dataActions: ["Microsoft.KeyVault/vaults/*"])),
        Role(
            guid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", name: "Key Vault Secrets Officer",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
                    "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
                    "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read",
                    "Microsoft.KeyVault/operations/read",
                ],
                dataActions: ["Microsoft.KeyVault/vaults/secrets/*"])),
        Role(
            guid: "4633458b-17de-408a-b874-0445c86b69e6", name: "Key Vault Secrets User",
            permissions: AzureRolePermissions(dataActions: [
                "Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            ])),
        Role(
            guid: "21090545-7ca7-4776-b22c-e363652d74d2", name: "Key Vault Reader",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
                    "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.KeyVault/checkNameAvailability/read",
                    "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read",
                    "Microsoft.KeyVault/operations/read",
                ],
                dataActions: ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"])),
        Role(
            guid: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", name: "Storage Blob Data Owner",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Storage/storageAccounts/blobServices/containers/*",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
                ],
                dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"])),
        Role(
            guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", name: "Storage Blob Data Contributor",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Storage/storageAccounts/blobServices/containers/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/read",
                    "Microsoft.Storage/storageAccounts/blobServices/containers/write",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
                ],
                dataActions: [
                    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
                    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
                    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
                    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
                ])),
        Role(
            guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", name: "Storage Blob Data Reader",
            permissions: AzureRolePermissions(
                actions: [
                    "Microsoft.Storage/storageAccounts/blobServices/containers/read",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
                ],
                dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"])),
        Role(
            guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d", name: "AcrPull",
            permissions: AzureRolePermissions(actions: ["Microsoft.ContainerRegistry/registries/pull/read"])),
        Role(
            guid: "8311e382-0749-4cb8-b61a-304f252e45ec", name: "AcrPush",
            permissions: AzureRolePermissions(actions: [
                "Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write",
            ])),
    ]

    static let byGUID: [String: Role] = Dictionary(all.map { ($0.guid, $0) }, uniquingKeysWith: { a, _ in a })
    static let byName: [String: Role] = Dictionary(all.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
}
