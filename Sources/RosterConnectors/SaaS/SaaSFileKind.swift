import Foundation

/// The kinds of file the SaaS OAuth connector reads: Google Workspace Admin SDK responses and
/// Microsoft Graph responses about OAuth consents, recognised by their `kind` or `@odata.context`
/// (else by the fields of their first item), never by name.
public enum SaaSFileKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case googleTokens = "google-tokens"
    case googleUsers = "google-users"
    case googleActivities = "google-activities"
    case entraGrants = "entra-oauth2-permission-grants"
    case entraServicePrincipals = "entra-service-principals"
    case entraSignIns = "entra-service-principal-sign-ins"
    case entraAppRoleAssignments = "entra-app-role-assignments"
    case entraUsers = "entra-users"
    case entraDeletedUsers = "entra-deleted-users"
    case entraOrganization = "entra-organization"
    // Recognised but not imported:
    case googleOther = "google-other"
    case graphOther = "graph-other"

    public var isImportable: Bool { self != .googleOther && self != .graphOther }

    public var isGoogle: Bool { rawValue.hasPrefix("google") }

    public var description: String {
        switch self {
        case .googleTokens: "a Google Workspace Directory API tokens.list response (admin#directory#tokenList)"
        case .googleUsers: "a Google Workspace Directory API users.list response (admin#directory#users)"
        case .googleActivities: "a Google Workspace Reports API activities.list response (admin#reports#activities)"
        case .entraGrants: "a Microsoft Graph oauth2PermissionGrants response"
        case .entraServicePrincipals: "a Microsoft Graph servicePrincipals response"
        case .entraSignIns: "a Microsoft Graph reports/servicePrincipalSignInActivities response"
        case .entraAppRoleAssignments: "a Microsoft Graph appRoleAssignments (or appRoleAssignedTo) response"
        case .entraUsers: "a Microsoft Graph users response"
        case .entraDeletedUsers: "a Microsoft Graph directory/deletedItems/microsoft.graph.user response"
        case .entraOrganization: "a Microsoft Graph organization response"
        case .googleOther: "a Google Workspace Admin SDK response of another kind"
        case .graphOther: "a Microsoft Graph response of another kind"
        }
    }

    static var importableList: String {
        "Google Workspace tokens.list, users.list and Reports token activities (JSON); Microsoft Graph oauth2PermissionGrants, "
            + "servicePrincipals, servicePrincipalSignInActivities, appRoleAssignments, users, deletedItems and organization responses"
    }

    /// Recognises a file from its content; nil when it is none of the known kinds.
    static func recognise(_ data: Data) -> SaaSFileKind? {
        // A Google response's kind settles it: the rest (a user's tokens, thousands of activities) is not read.
        let outline = JSONOutline.read(data, strings: ["kind", "@odata.context"], arrays: ["value"], stop: ["kind"])
        guard outline.top == .object else { return nil }
        if let kind = outline.strings["kind"] {
            switch kind {
            case "admin#directory#tokenList": return .googleTokens
            case "admin#directory#users": return .googleUsers
            case "admin#reports#activities": return .googleActivities
            default: return kind.hasPrefix("admin#") ? .googleOther : nil
            }
        }
        let keys = outline.keySet
        guard keys.contains("value") else { return nil }
        if let context = outline.strings["@odata.context"], let kind = graph(context: context) { return kind }
        // Paged exports joined by a script may drop the context: the first item's fields say what it is.
        let first = Set(outline.firstElementKeys["value"] ?? [])
        if first.contains("clientId") && first.contains("consentType") && first.contains("resourceId") { return .entraGrants }
        if first.contains("appId") && first.contains("lastSignInActivity") { return .entraSignIns }
        if first.contains("appRoleId") && first.contains("principalId") && first.contains("resourceId") { return .entraAppRoleAssignments }
        if first.contains("appId") && first.contains("servicePrincipalType") { return .entraServicePrincipals }
        // Deleted users look the same without their context; their deletedDateTime says they are gone.
        if first.contains("userPrincipalName") { return .entraUsers }
        if first.contains("verifiedDomains") { return .entraOrganization }
        return outline.strings["@odata.context"] != nil ? .graphOther : nil
    }

    /// What a Graph response holds, from the entity set its `@odata.context` names.
    private static func graph(context: String) -> SaaSFileKind? {
        guard let hash = context.range(of: "$metadata#") else { return nil }
        let set = context[hash.upperBound...].lowercased()
        func starts(_ prefix: String) -> Bool { set.hasPrefix(prefix) }
        if starts("oauth2permissiongrants") { return .entraGrants }
        if starts("reports/serviceprincipalsigninactivities") { return .entraSignIns }
        if set.contains("approleassignments") || set.contains("approleassignedto") { return .entraAppRoleAssignments }
        if starts("serviceprincipals") { return .entraServicePrincipals }
        if starts("directory/deleteditems/microsoft.graph.user") { return .entraDeletedUsers }
        if starts("users") { return .entraUsers }
        if starts("organization") { return .entraOrganization }
        return .graphOther
    }
}

extension JSONSyntax.Limits {
    /// What Roster accepts in an Admin SDK or Graph response: any single field up to 64 KiB
    /// (a scope list or an app's name is far smaller).
    static let saasExport = Self(string: 64 << 10, stringWhat: "a single field such as a name, an id or a scope list", members: [:])
}

extension SaaSFileKind: ExportFileKind {}
