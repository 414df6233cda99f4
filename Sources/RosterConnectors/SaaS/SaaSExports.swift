import Foundation

// Decodable mirrors of the Google Workspace Admin SDK and Microsoft Graph responses the SaaS
// connector reads. Fields Roster does not use are not mirrored.

// MARK: Google Workspace

/// Directory API `tokens.list` for one user: the OAuth clients the user authorized.
struct GoogleTokenList: Decodable, Sendable {
    struct Token: Decodable, Sendable {
        let clientId: String
        let displayText: String?
        let scopes: [String]?
        /// The user's unique id (a number, as text) or, in some exports, the email address.
        let userKey: String?
        let anonymous: Bool?
        let nativeApp: Bool?
    }

    let items: [Token]?
}

/// Directory API `users.list`: who is in the domain, and who was suspended or archived.
struct GoogleUserList: Decodable, Sendable {
    struct User: Decodable, Sendable {
        let id: String?
        let primaryEmail: String
        let suspended: Bool?
        let archived: Bool?
        let lastLoginTime: AzureDate?
        let creationTime: AzureDate?
        let deletionTime: AzureDate?
    }

    let users: [User]?
    let nextPageToken: String?
}

/// Reports API `activities.list` (`admin#reports#activities`); Roster reads the `token` application's
/// `authorize`, `revoke` and `activity` (API use) events.
struct GoogleActivities: Decodable, Sendable {
    struct Activity: Decodable, Sendable {
        struct ID: Decodable, Sendable {
            let time: AzureDate
            let applicationName: String?
        }

        struct Actor: Decodable, Sendable {
            let email: String?
            let profileId: String?
        }

        struct Event: Decodable, Sendable {
            struct Parameter: Decodable, Sendable {
                let name: String
                let value: String?
                let multiValue: [String]?
            }

            let type: String?
            let name: String?
            let parameters: [Parameter]?

            func value(_ name: String) -> String? { parameters?.first { $0.name == name }?.value }
            func values(_ name: String) -> [String] {
                guard let parameter = parameters?.first(where: { $0.name == name }) else { return [] }
                return parameter.multiValue ?? parameter.value.map { [$0] } ?? []
            }
        }

        let id: ID
        let actor: Actor?
        let ownerDomain: String?
        let events: [Event]?
    }

    let items: [Activity]?
    let nextPageToken: String?
}

// MARK: Microsoft Graph

/// Any Graph collection response: `{"@odata.context": …, "value": […], "@odata.nextLink": …}`.
struct GraphList<Item: Decodable & Sendable>: Decodable, Sendable {
    let value: [Item]
    let nextLink: String?

    private enum CodingKeys: String, CodingKey {
        case value
        case nextLink = "@odata.nextLink"
    }
}

/// A delegated permission grant: a client app may call a resource API with `scope`, for one user
/// (`Principal`) or everyone (`AllPrincipals`, admin consent).
struct GraphPermissionGrant: Decodable, Sendable {
    let id: String?
    /// The client's service principal object id (not its appId).
    let clientId: String
    let consentType: String
    let principalId: String?
    /// The resource API's service principal object id (Microsoft Graph, Exchange…).
    let resourceId: String
    /// Space-separated delegated permissions.
    let scope: String?
}

/// A service principal, as Graph's `/servicePrincipals` lists it.
struct GraphServicePrincipal: Decodable, Sendable {
    struct AppRole: Decodable, Sendable {
        let id: String
        let value: String?
    }

    struct Publisher: Decodable, Sendable {
        let displayName: String?
    }

    let id: String
    let appId: String
    let displayName: String?
    let appOwnerOrganizationId: String?
    let servicePrincipalType: String?
    let accountEnabled: Bool?
    let appRoles: [AppRole]?
    let publisherName: String?
    let verifiedPublisher: Publisher?
    let createdDateTime: AzureDate?
    let tags: [String]?
}

/// One row of the beta `reports/servicePrincipalSignInActivities`: when an app last signed in.
struct GraphSignInActivity: Decodable, Sendable {
    struct Activity: Decodable, Sendable {
        let lastSignInDateTime: AzureDate?
    }

    let appId: String
    let lastSignInActivity: Activity?
    let delegatedClientSignInActivity: Activity?
    let applicationAuthenticationClientSignInActivity: Activity?
}

/// An application permission (app role) granted to a service principal.
struct GraphAppRoleAssignment: Decodable, Sendable {
    let appRoleId: String
    let principalId: String
    let principalType: String?
    let resourceId: String
    let resourceDisplayName: String?
    let createdDateTime: AzureDate?
}

/// A user: who granted consent, and whether they are still there.
struct GraphUser: Decodable, Sendable {
    let id: String
    let userPrincipalName: String?
    let displayName: String?
    let accountEnabled: Bool?
    let deletedDateTime: AzureDate?
}

/// The tenant (`/organization`).
struct GraphOrganization: Decodable, Sendable {
    let id: String
    let displayName: String?
}
