import Foundation

/// The kinds of file the Azure connector reads (Azure CLI 2.37+ JSON, which comes from Microsoft
/// Graph, and the older AAD Graph form), and the look-alikes it recognises so it can say what a
/// wrong file is.
///
/// Lists are bare JSON arrays, as `az … list -o json` prints them; a Graph response wrapped in
/// `{"@odata.context": …, "value": […]}` is the SaaS connector's (Entra consents and sign-ins).
public enum AzureFileKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case servicePrincipals = "service-principals"
    case servicePrincipal = "service-principal"
    case applications = "applications"
    case application = "application"
    case passwordCredentials = "password-credentials"
    case certificateCredentials = "certificate-credentials"
    case federatedCredentials = "federated-credentials"
    case roleAssignments = "role-assignments"
    case roleDefinitions = "role-definitions"
    case accounts = "accounts"
    // Recognised but not imported:
    case users = "users"
    case groups = "groups"
    case userAssignedIdentities = "user-assigned-identities"
    case graphResponse = "graph-response"
    case emptyList = "empty-list"

    public var isImportable: Bool {
        switch self {
        case .users, .groups, .graphResponse, .emptyList: false
        default: true
        }
    }

    /// Lists whose owner (the app) the file itself does not name: it comes from the file name.
    var needsOwnerFromName: Bool {
        self == .passwordCredentials || self == .certificateCredentials || self == .federatedCredentials
    }

    /// What produces such a file, for messages.
    public var description: String {
        switch self {
        case .servicePrincipals: "the output of `az ad sp list --all`"
        case .servicePrincipal: "the output of `az ad sp show`"
        case .applications: "the output of `az ad app list --all`"
        case .application: "the output of `az ad app show`"
        case .passwordCredentials: "the output of `az ad app credential list`"
        case .certificateCredentials: "the output of `az ad app credential list --cert`"
        case .federatedCredentials: "the output of `az ad app federated-credential list` (or `az identity federated-credential list`)"
        case .roleAssignments: "the output of `az role assignment list --all`"
        case .roleDefinitions: "the output of `az role definition list`"
        case .accounts: "the output of `az account show` or `az account list`"
        case .users: "the output of `az ad user list`"
        case .groups: "the output of `az ad group list`"
        case .userAssignedIdentities: "the output of `az identity list`"
        case .graphResponse: "a Microsoft Graph response ({\"value\": […]}), which the SaaS connector reads"
        case .emptyList: "an empty list ([])"
        }
    }

    static var importableList: String {
        "az CLI JSON: `az ad sp list --all`, `az ad app list --all`, `az ad app credential list [--cert]`, "
            + "`az ad app federated-credential list`, `az role assignment list --all`, `az role definition list`, `az account show`, `az identity list`"
    }

    /// Recognises a file from its content; nil when it is none of the known kinds.
    static func recognise(_ data: Data) -> AzureFileKind? {
        let outline = JSONOutline.read(data, strings: ["@odata.context"], arrays: ["value"])
        switch outline.top {
        case .array:
            if outline.isEmptyArray { return .emptyList }
            return element(outline.keySet)
        case .object:
            let keys = outline.keySet
            if outline.strings["@odata.context"] != nil || (keys.contains("value") && keys.count <= 3) { return .graphResponse }
            if let kind = element(keys) {
                switch kind {
                case .servicePrincipals: return .servicePrincipal
                case .applications: return .application
                case .accounts, .roleAssignments: return kind
                default: return nil
                }
            }
            return nil
        case .other:
            return nil
        }
    }

    /// What a list is, from the keys of its first element.
    private static func element(_ keys: Set<String>) -> AzureFileKind? {
        if keys.contains("appId") {
            if keys.contains("servicePrincipalType") || keys.contains("servicePrincipalNames") { return .servicePrincipals }
            if keys.contains("identifierUris") || keys.contains("requiredResourceAccess") || keys.contains("signInAudience") { return .applications }
            return nil
        }
        if keys.contains("principalId") && keys.contains("roleDefinitionId") && keys.contains("scope") { return .roleAssignments }
        if keys.contains("roleName") && keys.contains("permissions") { return .roleDefinitions }
        if keys.contains("issuer") && keys.contains("subject") && keys.contains("audiences") { return .federatedCredentials }
        if keys.contains("keyId") && (keys.contains("endDateTime") || keys.contains("endDate")) {
            return keys.contains("usage") || keys.contains("type") ? .certificateCredentials : .passwordCredentials
        }
        if keys.contains("tenantId") && (keys.contains("cloudName") || keys.contains("homeTenantId") || keys.contains("isDefault")) { return .accounts }
        if keys.contains("principalId") && keys.contains("clientId") && keys.contains("tenantId") { return .userAssignedIdentities }
        if keys.contains("userPrincipalName") { return .users }
        if keys.contains("securityEnabled") && keys.contains("mailEnabled") { return .groups }
        return nil
    }
}

extension JSONSyntax.Limits {
    /// What Roster accepts in an Azure CLI export: any single field up to 64 KiB (Graph caps display
    /// names at 256 characters, federated credential subjects at 600, notes at 1,024), except a
    /// certificate's public `key`, which may be larger.
    static let azureExport = Self(
        string: 64 << 10,
        stringWhat: "a single field such as a name or an id",
        members: ["key": Member(bytes: 1 << 20, what: "a certificate's public key")])
}

extension AzureFileKind: ExportFileKind {}
