import Foundation
import RosterModel

/// Entra ID: delegated consents, application permissions, sign-ins and users, from Microsoft Graph.
extension SaaSMapper {
    // MARK: Entra ID

    mutating func entra(observedAt: Date) throws -> Estate {
        let tenants = Set(sources.organizations.flatMap(\.list.value).map { $0.id.lowercased() })
        let anyFile = (sources.grants.map(\.path) + sources.appRoleAssignments.map(\.path)).first ?? ""
        guard tenants.count <= 1 else {
            throw ConnectorError(.inconsistent, "the organization files name \(tenants.count) tenants; import one tenant's Graph exports at a time", file: sources.organizations[0].path)
        }
        guard let tenant = tenants.first else {
            throw ConnectorError(
                .inconsistent,
                "cannot tell which Entra ID tenant these consents belong to; add the response of GET https://graph.microsoft.com/v1.0/organization (it names the tenant id)",
                file: anyFile)
        }
        let scope = "saas:entra:\(tenant)"
        // Not the bare tenant id: the Azure estate's identities have that account, and analysis keys observation times by account.
        let account = "entra:\(tenant)"
        var sps: [String: GraphServicePrincipal] = [:]
        for (_, list) in sources.servicePrincipals { for sp in list.value { sps[sp.id.lowercased()] = sp } }
        var lastSignIn: [String: Date] = [:]
        for (_, list) in sources.signIns {
            for row in list.value {
                let dates = [row.lastSignInActivity, row.delegatedClientSignInActivity, row.applicationAuthenticationClientSignInActivity].compactMap { $0?.lastSignInDateTime?.date }
                lastSignIn[row.appId.lowercased()] = dates.max() ?? lastSignIn[row.appId.lowercased()]
            }
        }
        let signInsKnown = Set(sources.signIns.flatMap(\.list.value).map { $0.appId.lowercased() })
        var users: [String: GraphUser] = [:]
        for (_, list) in sources.users { for user in list.value { users[user.id.lowercased()] = user } }
        var deleted: [String: GraphUser] = [:]
        for (_, list) in sources.deletedUsers { for user in list.value { deleted[user.id.lowercased()] = user } }
        let completeUsers = !sources.users.isEmpty && sources.users.allSatisfy { $0.list.nextLink == nil }
        for (path, list) in sources.users where list.nextLink != nil {
            warnings.append("\(path): the users response has an @odata.nextLink: it holds one page, so a user missing from it is not taken as deleted")
        }

        var apps: [String: AppDraft] = [:]
        var unresolved: Set<String> = []
        func app(_ objectId: String, path: String) -> String {
            let key = objectId.lowercasedID
            guard let sp = sps[key] else {
                let id = "\(scope):servicePrincipal:\(key)"
                if apps[id] == nil {
                    unresolved.insert(key)
                    apps[id] = AppDraft(identity: Identity(
                        id: id, provider: .saas, kind: .saasOAuthApp, name: "service principal \(key)", account: account, nature: .machine,
                        natureReason: "an app that users or an administrator consented to; its service principal is not in the imported servicePrincipals (\((path as NSString).lastPathComponent))"))
                }
                return id
            }
            let appId = sp.appId.lowercasedID
            let id = "\(scope):app:\(appId)"
            if apps[id] == nil {
                let owner = sp.appOwnerOrganizationId?.lowercased()
                let publisher = sp.verifiedPublisher?.displayName ?? sp.publisherName
                var tags = AzureMapper.tags(sp.tags ?? [])
                let party: String
                let reason: String
                if owner == Self.microsoftTenant {
                    (party, reason) = ("microsoft", "a Microsoft app that users or an administrator consented to")
                } else if owner == tenant {
                    (party, reason) = ("first-party", "an app registered in this tenant that users or an administrator consented to")
                } else {
                    (party, reason) = ("third-party", "a third party's app\(publisher.map { " (published by \($0))" } ?? "")\(owner.map { ", registered in tenant \($0)" } ?? ""), that users or an administrator consented to")
                }
                tags["party"] = party
                if let publisher { tags["publisher"] = publisher }
                let name = sp.displayName ?? appId
                let tracked = signInsKnown.contains(appId)
                apps[id] = AppDraft(identity: Identity(
                    id: id, provider: .saas, kind: .saasOAuthApp, name: name, nativeId: appId, account: account,
                    environment: EnvironmentName.guess([name]), owner: AzureMapper.owner(tags: tags, notes: nil), tags: tags,
                    createdAt: sp.createdDateTime?.date, lastUsedAt: tracked ? lastSignIn[appId] : nil,
                    lastUsedDetail: tracked ? "last sign-in (servicePrincipalSignInActivities)" : nil, usageTracked: tracked, nature: .machine,
                    natureReason: reason, managedBy: party == "microsoft" ? "microsoft" : nil))
                if party != "microsoft" {
                    // The consented app is an Entra app: whoever signs in as it (its secrets, its federated trust) acts with these consents.
                    apps[id]!.claims.append(Edge(
                        from: id, to: "azure:appId:\(appId)", kind: .actsAs, rule: "saas.import",
                        reason: "\(name)'s consents are used by whoever signs in as Entra app \(appId); the servicePrincipals response names its appId"))
                }
            }
            return id
        }
        func resourceName(_ objectId: String) -> String { sps[objectId.lowercasedID]?.displayName ?? objectId }

        for (path, list) in sources.grants {
            let file = (path as NSString).lastPathComponent
            if list.nextLink != nil { warnings.append("\(path): the response has an @odata.nextLink: it holds one page of the grants") }
            for grant in list.value {
                let scopes = (grant.scope ?? "").split(separator: " ").map(String.init).filter { !$0.isEmpty }
                guard !scopes.isEmpty else { continue }
                let id = app(grant.clientId, path: path)
                let user: (ref: String, name: String)
                if grant.consentType == "AllPrincipals" {
                    user = ("\(scope):all-users", "all users (admin consent)")
                } else if let principal = grant.principalId?.lowercasedID {
                    let record = users[principal] ?? deleted[principal]
                    user = ("\(scope):user:\(principal)", record?.userPrincipalName ?? principal)
                } else {
                    continue
                }
                apps[id]!.consents.append(Consent(
                    user: user.ref, userName: user.name, appId: id, scopes: scopes, resource: resourceName(grant.resourceId),
                    lastUsedAt: apps[id]!.identity.lastUsedAt, source: file))
            }
        }
        for (path, list) in sources.appRoleAssignments {
            let file = (path as NSString).lastPathComponent
            for assignment in list.value where (assignment.principalType ?? "ServicePrincipal") == "ServicePrincipal" {
                // The all-zero role is "default access": no permission at all.
                guard assignment.appRoleId != "00000000-0000-0000-0000-000000000000" else { continue }
                let id = app(assignment.principalId, path: path)
                let resource = sps[assignment.resourceId.lowercasedID]
                let role = resource?.appRoles?.first { $0.id.lowercased() == assignment.appRoleId.lowercased() }?.value ?? assignment.appRoleId
                apps[id]!.consents.append(Consent(
                    user: "\(scope):all-users", userName: "the whole tenant (application permission)", appId: id, scopes: [role],
                    resource: resource?.displayName ?? assignment.resourceDisplayName ?? assignment.resourceId, grantedAt: assignment.createdDateTime?.date,
                    lastUsedAt: apps[id]!.identity.lastUsedAt, source: file, via: .applicationPermission))
            }
        }
        if !unresolved.isEmpty {
            warnings.append("\(unresolved.count) consented app(s) are not in the imported servicePrincipals, so they are named by object id: \(unresolved.sorted().prefix(5).joined(separator: ", "))")
        }

        var resources: [Resource] = []
        var seen: Set<String> = []
        for consent in apps.values.flatMap(\.consents) where seen.insert(consent.user).inserted {
            if consent.user.hasSuffix(":all-users") {
                resources.append(Resource(id: consent.user, provider: .saas, type: "saas.entra.all-users", name: "all users of \(tenant)", account: account))
                continue
            }
            let principal = consent.user.lastIndex(of: ":").map { String(consent.user[consent.user.index(after: $0)...]) } ?? consent.user
            let state: String
            let why: String
            if let record = deleted[principal] ?? users[principal].flatMap({ $0.deletedDateTime != nil ? $0 : nil }) {
                (state, why) = ("deleted", "deleted \(SaaSDay.text(record.deletedDateTime?.date))")
            } else if let record = users[principal] {
                if record.accountEnabled == false {
                    (state, why) = ("disabled", "users: accountEnabled false")
                } else {
                    (state, why) = (record.accountEnabled == true ? "active" : "unknown", "users")
                }
            } else if completeUsers {
                (state, why) = ("deleted", "not in the users export")
            } else {
                (state, why) = ("unknown", "no users export")
            }
            resources.append(Resource(
                id: consent.user, provider: .saas, type: "saas.entra.user", name: consent.userName, account: account, attributes: ["state": state, "stateSource": why]))
        }
        return finish(scope: scope, observedAt: observedAt, apps: apps, resources: resources)
    }

}

extension String {
    /// Lowercased, without a new string when it already is (Graph and az print ids in lowercase).
    var lowercasedID: String {
        utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? lowercased() : self
    }
}
