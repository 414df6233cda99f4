import Foundation

// Decodable mirrors of the Azure CLI's JSON. Azure CLI 2.37 and later read Entra ID through
// Microsoft Graph (`id`, `startDateTime`, `endDateTime`); earlier releases used AAD Graph
// (`objectId`, `startDate`, `endDate`, `accountEnabled` as the string "True"). Both are read.
// Fields Roster does not use are not mirrored, and secret values (`secretText`, `value`) never are.

/// A timestamp as Graph and ARM print it (`2024-03-01T10:15:00Z`, seven fraction digits, or `+00:00`).
typealias AzureDate = AWSDate

/// `true`/`false`, or the strings `"True"`/`"False"` that AAD Graph-era CLI output holds.
struct LooseBool: Decodable, Hashable, Sendable {
    let value: Bool

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            value = bool
            return
        }
        switch try container.decode(String.self).lowercased() {
        case "true": value = true
        case "false": value = false
        default: throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected true or false")
        }
    }
}

/// A password (client secret) or certificate credential's metadata: never the secret.
struct AzureCredential: Decodable, Sendable {
    let keyId: String
    let displayName: String?
    /// Base64 (Graph) or text (AAD Graph); for certificates usually the thumbprint.
    let customKeyIdentifier: String?
    /// The first three characters of a client secret (Graph); not enough to use it.
    let hint: String?
    let start: AzureDate?
    let end: AzureDate?
    /// `AsymmetricX509Cert` or `Symmetric` for key credentials.
    let type: String?
    /// `Verify` (sign-in certificate) or `Sign` (SAML signing) for key credentials.
    let usage: String?

    private enum CodingKeys: String, CodingKey {
        case keyId, displayName, customKeyIdentifier, hint, startDateTime, endDateTime, startDate, endDate, type, usage
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyId = try c.decode(String.self, forKey: .keyId)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        customKeyIdentifier = try c.decodeIfPresent(String.self, forKey: .customKeyIdentifier)
        hint = try c.decodeIfPresent(String.self, forKey: .hint)
        start = try c.decodeIfPresent(AzureDate.self, forKey: .startDateTime) ?? c.decodeIfPresent(AzureDate.self, forKey: .startDate)
        end = try c.decodeIfPresent(AzureDate.self, forKey: .endDateTime) ?? c.decodeIfPresent(AzureDate.self, forKey: .endDate)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        usage = try c.decodeIfPresent(String.self, forKey: .usage)
    }
}

/// What service principals and app registrations share: ids, names and credentials.
struct AzureDirectoryObject: Decodable, Sendable {
    /// The object id: `id` (Graph) or `objectId` (AAD Graph).
    let objectId: String
    let appId: String
    let displayName: String?
    let createdDateTime: AzureDate?
    let passwordCredentials: [AzureCredential]?
    let keyCredentials: [AzureCredential]?
    let tags: [String]?
    let notes: String?
    let description: String?
    // Service principals only
    let servicePrincipalType: String?
    let appOwnerOrganizationId: String?
    let accountEnabled: LooseBool?
    let alternativeNames: [String]?
    let servicePrincipalNames: [String]?
    // App registrations only
    let signInAudience: String?
    let publisherDomain: String?

    private enum CodingKeys: String, CodingKey {
        case id, objectId, appId, displayName, createdDateTime, passwordCredentials, keyCredentials, tags, notes, description
        case servicePrincipalType, appOwnerOrganizationId, accountEnabled, alternativeNames, servicePrincipalNames, signInAudience, publisherDomain
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try c.decodeIfPresent(String.self, forKey: .id) {
            objectId = id
        } else {
            objectId = try c.decode(String.self, forKey: .objectId)
        }
        appId = try c.decode(String.self, forKey: .appId)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        createdDateTime = try c.decodeIfPresent(AzureDate.self, forKey: .createdDateTime)
        passwordCredentials = try c.decodeIfPresent([AzureCredential].self, forKey: .passwordCredentials)
        keyCredentials = try c.decodeIfPresent([AzureCredential].self, forKey: .keyCredentials)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        servicePrincipalType = try c.decodeIfPresent(String.self, forKey: .servicePrincipalType)
        appOwnerOrganizationId = try c.decodeIfPresent(String.self, forKey: .appOwnerOrganizationId)
        accountEnabled = try c.decodeIfPresent(LooseBool.self, forKey: .accountEnabled)
        alternativeNames = try c.decodeIfPresent([String].self, forKey: .alternativeNames)
        servicePrincipalNames = try c.decodeIfPresent([String].self, forKey: .servicePrincipalNames)
        signInAudience = try c.decodeIfPresent(String.self, forKey: .signInAudience)
        publisherDomain = try c.decodeIfPresent(String.self, forKey: .publisherDomain)
    }
}

/// One federated identity credential: which external tokens may sign in as the app.
struct AzureFederatedCredential: Decodable, Sendable {
    let name: String
    let issuer: String
    /// Absent when the credential matches by `claimsMatchingExpression` instead (flexible FIC).
    let subject: String?
    let audiences: [String]
    let description: String?
    /// A GUID (apps) or the ARM id of the credential (user-assigned managed identities).
    let id: String?
    let claimsMatchingExpression: JSONValue?
}

/// One Azure role assignment, as `az role assignment list` prints it (or the ARM form, fields under `properties`).
struct AzureRoleAssignment: Decodable, Sendable {
    let id: String?
    let principalId: String
    let principalName: String?
    let principalType: String?
    let roleDefinitionId: String
    let roleDefinitionName: String?
    let scope: String
    let condition: String?
    let createdOn: AzureDate?
    let updatedOn: AzureDate?

    private enum CodingKeys: String, CodingKey {
        case id, principalId, principalName, principalType, roleDefinitionId, roleDefinitionName, scope, condition, createdOn, updatedOn, properties
    }

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: CodingKeys.self)
        let c = top.contains(.properties) && !top.contains(.principalId) ? try top.nestedContainer(keyedBy: CodingKeys.self, forKey: .properties) : top
        id = try top.decodeIfPresent(String.self, forKey: .id)
        principalId = try c.decode(String.self, forKey: .principalId)
        principalName = try c.decodeIfPresent(String.self, forKey: .principalName)
        principalType = try c.decodeIfPresent(String.self, forKey: .principalType)
        roleDefinitionId = try c.decode(String.self, forKey: .roleDefinitionId)
        roleDefinitionName = try c.decodeIfPresent(String.self, forKey: .roleDefinitionName)
        scope = try c.decode(String.self, forKey: .scope)
        condition = try c.decodeIfPresent(String.self, forKey: .condition)
        createdOn = try c.decodeIfPresent(AzureDate.self, forKey: .createdOn)
        updatedOn = try c.decodeIfPresent(AzureDate.self, forKey: .updatedOn)
    }

    /// The role definition's GUID, the last segment of its id.
    var roleGUID: String {
        guard let slash = roleDefinitionId.lastIndex(of: "/") else { return roleDefinitionId.lowercased() }
        return roleDefinitionId[roleDefinitionId.index(after: slash)...].lowercased()
    }
}

/// One role definition, as `az role definition list` prints it.
struct AzureRoleDefinition: Decodable, Sendable {
    struct Permission: Decodable, Sendable {
        let actions: [String]?
        let notActions: [String]?
        let dataActions: [String]?
        let notDataActions: [String]?
    }

    let name: String
    let roleName: String
    let roleType: String?
    let description: String?
    let permissions: [Permission]
}

/// One subscription as `az account show` or `az account list` prints it.
struct AzureAccount: Decodable, Sendable {
    let id: String
    let name: String?
    let tenantId: String
    let homeTenantId: String?
    let state: String?
}

/// One user-assigned managed identity resource, as `az identity list` prints it: its ARM tags say
/// who owns it and where it runs, which its service principal does not.
struct AzureUserAssignedIdentity: Decodable, Sendable {
    let id: String
    let name: String?
    let principalId: String
    let tenantId: String?
    let tags: [String: String]?
}
