import Foundation
import RosterModel

/// Everything read from the SaaS files, before mapping.
struct SaaSSources {
    var googleTokens: [(path: String, list: GoogleTokenList)] = []
    var googleUsers: [(path: String, list: GoogleUserList)] = []
    var googleActivities: [(path: String, list: GoogleActivities)] = []
    var grants: [(path: String, list: GraphList<GraphPermissionGrant>)] = []
    var servicePrincipals: [(path: String, list: GraphList<GraphServicePrincipal>)] = []
    var signIns: [(path: String, list: GraphList<GraphSignInActivity>)] = []
    var appRoleAssignments: [(path: String, list: GraphList<GraphAppRoleAssignment>)] = []
    var users: [(path: String, list: GraphList<GraphUser>)] = []
    var deletedUsers: [(path: String, list: GraphList<GraphUser>)] = []
    var organizations: [(path: String, list: GraphList<GraphOrganization>)] = []
    var newestFileDate: Date?

    var hasGoogle: Bool { !googleTokens.isEmpty || !googleActivities.isEmpty }
    var hasEntra: Bool { !grants.isEmpty || !appRoleAssignments.isEmpty }
}

/// Maps OAuth consents to the model: one estate per Google Workspace domain
/// (`saas:google-workspace:<domain>`) and per Entra ID tenant (`saas:entra:<tenant>`).
///
/// Each app users let act for them is an identity. What it may do is a policy holding its scopes;
/// each consent is a grant of that policy on behalf of one user (or of everyone, for admin consent
/// and application permissions), and an edge from the user to the app saying who granted it,
/// since when and when it was last used, as far as the files say. Users are resources carrying
/// their state (active, suspended, disabled, deleted), which says who has left.
struct SaaSMapper {
    static let microsoftTenant = AzureMapper.microsoftTenant

    let sources: SaaSSources
    let asOf: Date?
    private(set) var warnings: [String] = []
    private var newestInData: (date: Date, what: String)?

    init(sources: SaaSSources, asOf: Date?) {
        self.sources = sources
        self.asOf = asOf
    }

    /// One user's consent to one app, before it becomes a grant and an edge.
    struct Consent {
        var user: String
        var userName: String
        var appId: String
        var scopes: [String]
        /// The API the scopes are for (Entra: Microsoft Graph, Office 365 Exchange Online…).
        var resource: String?
        var grantedAt: Date?
        var lastUsedAt: Date?
        var source: String
        var via: GrantVia = .delegatedConsent
    }

    struct AppDraft {
        var identity: Identity
        var consents: [Consent] = []
    }

    mutating func map() throws -> [Estate] {
        noteTimestamps()
        let observedAt = observationTime()
        var estates: [Estate] = []
        if sources.hasGoogle { estates.append(try google(observedAt: observedAt)) }
        if sources.hasEntra { estates.append(try entra(observedAt: observedAt)) }
        if estates.isEmpty {
            warnings.append(
                "the SaaS files describe users, apps or sign-ins but no consents, so nothing was imported from them: add Google tokens.list "
                    + "(or Reports token activity) output, or Graph oauth2PermissionGrants or appRoleAssignments output")
        }
        return estates
    }

    // MARK: Google Workspace

    private mutating func google(observedAt: Date) throws -> Estate {
        var usersById: [String: GoogleUserList.User] = [:]
        var usersByEmail: [String: GoogleUserList.User] = [:]
        for (_, list) in sources.googleUsers {
            for user in list.users ?? [] {
                if let id = user.id { usersById[id] = user }
                usersByEmail[user.primaryEmail.lowercased()] = user
            }
        }
        let completeUserList = !sources.googleUsers.isEmpty && sources.googleUsers.allSatisfy { $0.list.nextPageToken == nil }
        for (path, list) in sources.googleUsers where list.nextPageToken != nil {
            warnings.append("\(path): users.list has a nextPageToken: the export holds one page, so a user missing from it is not taken as deleted")
        }

        // Consents from tokens.list, one file per user.
        var consents: [String: Consent] = [:]
        var names: [String: String] = [:]
        var nativeApps: Set<String> = []
        var usersWithTokenFiles: Set<String> = []
        for (path, list) in sources.googleTokens {
            let fileEmail = Self.email(inFileName: path)
            for (index, token) in (list.items ?? []).enumerated() {
                let email: String
                if let key = token.userKey, key.contains("@") {
                    email = key.lowercased()
                } else if let key = token.userKey, let user = usersById[key] {
                    email = user.primaryEmail.lowercased()
                } else if let fileEmail {
                    email = fileEmail
                } else {
                    throw ConnectorError(
                        .inconsistent,
                        "cannot tell whose tokens these are: userKey \"\(token.userKey ?? "")\" is a user id, and neither a users.list export naming it "
                            + "nor an email address in the file name (such as alice@example.com.json) was imported",
                        file: path, location: "$.items[\(index)].userKey")
                }
                usersWithTokenFiles.insert(email)
                if let name = token.displayText, !name.isEmpty { names[token.clientId] = name }
                if token.nativeApp == true { nativeApps.insert(token.clientId) }
                consents["\(email)\u{1F}\(token.clientId)"] = Consent(
                    user: email, userName: email, appId: token.clientId, scopes: token.scopes ?? [], source: (path as NSString).lastPathComponent)
            }
            if (list.items ?? []).isEmpty, let fileEmail { usersWithTokenFiles.insert(fileEmail) }
        }

        // Reports API token activity: when each consent was given, revoked and last used.
        var authorized: [String: (first: Date, last: Date, scopes: [String], source: String)] = [:]
        var revoked: [String: Date] = [:]
        var used: [String: Date] = [:]
        var activitySince: Date?
        var actorEmails: [String] = []
        for (path, list) in sources.googleActivities {
            var others = 0
            for activity in list.items ?? [] {
                guard (activity.id.applicationName ?? "token") == "token" else {
                    others += 1
                    continue
                }
                guard let actor = activity.actor?.email?.lowercased() else { continue }
                actorEmails.append(actor)
                let time = activity.id.time.date
                activitySince = min(activitySince ?? time, time)
                for event in activity.events ?? [] {
                    guard let client = event.value("client_id") else { continue }
                    if let name = event.value("app_name"), !name.isEmpty, names[client] == nil { names[client] = name }
                    let key = "\(actor)\u{1F}\(client)"
                    switch event.name {
                    case "authorize":
                        let previous = authorized[key]
                        let scopes = time >= (previous?.last ?? .distantPast) ? event.values("scope") : (previous?.scopes ?? [])
                        authorized[key] = (min(previous?.first ?? time, time), max(previous?.last ?? time, time), scopes, (path as NSString).lastPathComponent)
                    case "revoke":
                        revoked[key] = max(revoked[key] ?? time, time)
                    default:
                        used[key] = max(used[key] ?? time, time)
                    }
                }
            }
            if others > 0 { warnings.append("\(path): \(others) activities of other applications than token were not read") }
        }
        for (key, auth) in authorized {
            if consents[key] != nil {
                consents[key]!.grantedAt = auth.first
                if consents[key]!.scopes.isEmpty { consents[key]!.scopes = auth.scopes }
                continue
            }
            let parts = key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            // A user whose tokens.list was exported shows every live consent: one missing from it was revoked or expired.
            guard !usersWithTokenFiles.contains(parts[0]), auth.last > (revoked[key] ?? .distantPast) else { continue }
            consents[key] = Consent(user: parts[0], userName: parts[0], appId: parts[1], scopes: auth.scopes, grantedAt: auth.first, source: auth.source)
        }
        for key in consents.keys { consents[key]!.lastUsedAt = used[key] }

        let domain = try Self.domain(
            of: consents.values.map(\.user) + usersByEmail.keys + actorEmails,
            file: (sources.googleTokens.map(\.path) + sources.googleActivities.map(\.path)).first ?? "")
        let scope = "saas:google-workspace:\(domain)"
        var apps: [String: AppDraft] = [:]
        for consent in consents.values.sorted(by: { ($0.appId, $0.user) < ($1.appId, $1.user) }) {
            let id = "\(scope):app:\(consent.appId)"
            if apps[id] == nil {
                var tags: [String: String] = [:]
                if nativeApps.contains(consent.appId) { tags["nativeApp"] = "true" }
                if let activitySince { tags["activitySince"] = AWSMapper.iso(activitySince) }
                let name = names[consent.appId] ?? consent.appId
                apps[id] = AppDraft(identity: Identity(
                    id: id, provider: .saas, kind: .saasOAuthApp, name: name, nativeId: consent.appId, account: domain,
                    environment: EnvironmentName.guess([name]), tags: tags, usageTracked: !sources.googleActivities.isEmpty, nature: .machine,
                    natureReason: "an OAuth client that users of \(domain) authorized to act for them (Google Workspace tokens)"))
            }
            var consent = consent
            consent.user = "\(scope):user:\(consent.user)"
            apps[id]!.consents.append(consent)
        }

        var resources: [Resource] = []
        for user in Set(consents.values.map(\.user)).sorted() {
            let state: String
            let why: String
            if let record = usersByEmail[user] {
                if record.deletionTime != nil {
                    (state, why) = ("deleted", "users.list: deletionTime \(SaaSDay.text(record.deletionTime?.date))")
                } else if record.archived == true {
                    (state, why) = ("archived", "users.list: archived")
                } else if record.suspended == true {
                    (state, why) = ("suspended", "users.list: suspended")
                } else {
                    (state, why) = ("active", "users.list")
                }
            } else if completeUserList {
                (state, why) = ("deleted", "not in the users.list export")
            } else {
                (state, why) = ("unknown", "no users.list export")
            }
            resources.append(Resource(
                id: "\(scope):user:\(user)", provider: .saas, type: "saas.google-workspace.user", name: user, account: domain,
                attributes: ["state": state, "stateSource": why]))
        }
        return finish(scope: scope, observedAt: observedAt, apps: apps, resources: resources)
    }

    /// The email address a file is named after (`tokens/alice@acme.example.json`), lowercased.
    static func email(inFileName path: String) -> String? {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let parts = base.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "," }).map(String.init)
        return parts.first { $0.contains("@") && $0.contains(".") }?.lowercased()
    }

    /// The domain most of the addresses are in (ties: the first alphabetically).
    static func domain(of emails: [String], file: String) throws -> String {
        var counts: [String: Int] = [:]
        for email in emails {
            guard let at = email.lastIndex(of: "@") else { continue }
            counts[String(email[email.index(after: at)...]).lowercased(), default: 0] += 1
        }
        guard let best = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else {
            throw ConnectorError(
                .inconsistent, "cannot tell the Google Workspace domain: no user email address in the files (name tokens.list files after the user, alice@example.com.json)",
                file: file)
        }
        return best.key
    }

    // MARK: Entra ID

    private mutating func entra(observedAt: Date) throws -> Estate {
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
            let key = objectId.lowercased()
            guard let sp = sps[key] else {
                let id = "\(scope):servicePrincipal:\(key)"
                if apps[id] == nil {
                    unresolved.insert(key)
                    apps[id] = AppDraft(identity: Identity(
                        id: id, provider: .saas, kind: .saasOAuthApp, name: "service principal \(key)", account: tenant, nature: .machine,
                        natureReason: "an app that users or an administrator consented to; its service principal is not in the imported servicePrincipals (\((path as NSString).lastPathComponent))"))
                }
                return id
            }
            let appId = sp.appId.lowercased()
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
                    id: id, provider: .saas, kind: .saasOAuthApp, name: name, nativeId: appId, account: tenant,
                    environment: EnvironmentName.guess([name]), owner: AzureMapper.owner(tags: tags, notes: nil), tags: tags,
                    createdAt: sp.createdDateTime?.date, lastUsedAt: tracked ? lastSignIn[appId] : nil,
                    lastUsedDetail: tracked ? "last sign-in (servicePrincipalSignInActivities)" : nil, usageTracked: tracked, nature: .machine,
                    natureReason: reason, managedBy: party == "microsoft" ? "microsoft" : nil))
            }
            return id
        }
        func resourceName(_ objectId: String) -> String { sps[objectId.lowercased()]?.displayName ?? objectId }

        for (path, list) in sources.grants {
            if list.nextLink != nil { warnings.append("\(path): the response has an @odata.nextLink: it holds one page of the grants") }
            for grant in list.value {
                let scopes = (grant.scope ?? "").split(separator: " ").map(String.init).filter { !$0.isEmpty }
                guard !scopes.isEmpty else { continue }
                let id = app(grant.clientId, path: path)
                let user: (ref: String, name: String)
                if grant.consentType == "AllPrincipals" {
                    user = ("\(scope):all-users", "all users (admin consent)")
                } else if let principal = grant.principalId?.lowercased() {
                    let record = users[principal] ?? deleted[principal]
                    user = ("\(scope):user:\(principal)", record?.userPrincipalName ?? principal)
                } else {
                    continue
                }
                apps[id]!.consents.append(Consent(
                    user: user.ref, userName: user.name, appId: id, scopes: scopes, resource: resourceName(grant.resourceId),
                    lastUsedAt: apps[id]!.identity.lastUsedAt, source: (path as NSString).lastPathComponent))
            }
        }
        for (path, list) in sources.appRoleAssignments {
            for assignment in list.value where (assignment.principalType ?? "ServicePrincipal") == "ServicePrincipal" {
                // The all-zero role is "default access": no permission at all.
                guard assignment.appRoleId != "00000000-0000-0000-0000-000000000000" else { continue }
                let id = app(assignment.principalId, path: path)
                let resource = sps[assignment.resourceId.lowercased()]
                let role = resource?.appRoles?.first { $0.id.lowercased() == assignment.appRoleId.lowercased() }?.value ?? assignment.appRoleId
                apps[id]!.consents.append(Consent(
                    user: "\(scope):all-users", userName: "the whole tenant (application permission)", appId: id, scopes: [role],
                    resource: resource?.displayName ?? assignment.resourceDisplayName ?? assignment.resourceId, grantedAt: assignment.createdDateTime?.date,
                    lastUsedAt: apps[id]!.identity.lastUsedAt, source: (path as NSString).lastPathComponent, via: .applicationPermission))
            }
        }
        if !unresolved.isEmpty {
            warnings.append("\(unresolved.count) consented app(s) are not in the imported servicePrincipals, so they are named by object id: \(unresolved.sorted().prefix(5).joined(separator: ", "))")
        }

        var resources: [Resource] = []
        var seen: Set<String> = []
        for consent in apps.values.flatMap(\.consents) where seen.insert(consent.user).inserted {
            if consent.user.hasSuffix(":all-users") {
                resources.append(Resource(id: consent.user, provider: .saas, type: "saas.entra.all-users", name: "all users of \(tenant)", account: tenant))
                continue
            }
            let principal = String(consent.user.split(separator: ":").last ?? "")
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
                id: consent.user, provider: .saas, type: "saas.entra.user", name: consent.userName, account: tenant, attributes: ["state": state, "stateSource": why]))
        }
        return finish(scope: scope, observedAt: observedAt, apps: apps, resources: resources)
    }

    // MARK: Estate

    /// Turns apps and their consents into identities, scope policies, grants and edges.
    private func finish(scope: String, observedAt: Date, apps: [String: AppDraft], resources: [Resource]) -> Estate {
        var estate = Estate(observedAt: observedAt, scope: scope, resources: resources)
        var policies: [String: Policy] = [:]
        var grants: Set<Grant> = []
        var edges: Set<Edge> = []
        let names = Dictionary(resources.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (id, draft) in apps {
            var identity = draft.identity
            if identity.usageTracked, identity.lastUsedAt == nil {
                identity.lastUsedAt = draft.consents.compactMap(\.lastUsedAt).max()
            }
            if identity.createdAt == nil { identity.createdAt = draft.consents.compactMap(\.grantedAt).min() }
            estate.identities.append(identity)
            for consent in draft.consents {
                let scopes = Array(Set(consent.scopes)).sorted()
                let key = (consent.resource ?? "") + "\u{1F}" + scopes.joined(separator: " ")
                let policyId = "\(id)#scopes/\(SHA256Digest.hex(of: key).prefix(12))"
                if policies[policyId] == nil {
                    var content: [String: JSONAny] = ["scopes": .array(scopes.map { .string($0) })]
                    if let resource = consent.resource { content["resource"] = .string(resource) }
                    if consent.via == .applicationPermission { content["type"] = .string("application") }
                    policies[policyId] = Policy(
                        id: policyId, name: "\(consent.via == .applicationPermission ? "application permissions" : "scopes") of \(identity.name)"
                            + (consent.resource.map { " on \($0)" } ?? ""),
                        provider: .saas, kind: .inline, body: .other(type: "saas.oauth-scopes", content: .object(content)))
                }
                let onBehalf = consent.user.hasSuffix(":all-users") ? GrantScope(.saasTenant, scope) : GrantScope(.saasUser, consent.user)
                grants.insert(Grant(subjectId: id, policyId: policyId, via: consent.via, scope: onBehalf))
                guard consent.via == .delegatedConsent else { continue }
                var conditions = scopes.map { "scope=\($0)" }
                if let granted = consent.grantedAt { conditions.append("granted=\(SaaSDay.text(granted))") }
                if let used = consent.lastUsedAt { conditions.append("lastUsed=\(SaaSDay.text(used))") }
                let who = names[consent.user] ?? consent.user
                let reason = "\(who) consented to \(identity.name) (\(consent.source))"
                    + (consent.grantedAt.map { ", first authorized \(SaaSDay.text($0))" } ?? "")
                    + (consent.lastUsedAt.map { ", last used \(SaaSDay.text($0))" } ?? "")
                edges.insert(Edge(from: consent.user, to: id, kind: .consentedTo, rule: "saas.import", reason: reason, conditions: conditions))
            }
        }
        estate.policies = Array(policies.values)
        estate.grants = Array(grants)
        estate.edges = Array(edges)
        return estate.sorted()
    }

    // MARK: Observation time

    private mutating func saw(_ date: Date?, _ what: @autoclosure () -> String) {
        // Google prints 1970-01-01 for "never logged in".
        guard let date, date.timeIntervalSince1970 > 946_684_800, date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }

    private mutating func noteTimestamps() {
        for (path, list) in sources.googleActivities {
            for activity in list.items ?? [] { saw(activity.id.time.date, "an activity time in \((path as NSString).lastPathComponent)") }
        }
        for (path, list) in sources.googleUsers {
            for user in list.users ?? [] {
                saw(user.lastLoginTime?.date, "lastLoginTime of \(user.primaryEmail) in \((path as NSString).lastPathComponent)")
                saw(user.creationTime?.date, "creationTime of \(user.primaryEmail) in \((path as NSString).lastPathComponent)")
            }
        }
        for (path, list) in sources.signIns {
            for row in list.value {
                for activity in [row.lastSignInActivity, row.delegatedClientSignInActivity, row.applicationAuthenticationClientSignInActivity] {
                    saw(activity?.lastSignInDateTime?.date, "a lastSignInDateTime in \((path as NSString).lastPathComponent)")
                }
            }
        }
        for (path, list) in sources.appRoleAssignments {
            for row in list.value { saw(row.createdDateTime?.date, "a createdDateTime in \((path as NSString).lastPathComponent)") }
        }
        for (path, list) in sources.servicePrincipals {
            for row in list.value { saw(row.createdDateTime?.date, "createdDateTime of \(row.displayName ?? row.appId) in \((path as NSString).lastPathComponent)") }
        }
        for (path, list) in sources.deletedUsers {
            for row in list.value { saw(row.deletedDateTime?.date, "deletedDateTime in \((path as NSString).lastPathComponent)") }
        }
    }

    private mutating func observationTime() -> Date {
        if let asOf { return asOf }
        if let (date, what) = newestInData {
            warnings.append("observation time \(AWSMapper.iso(date)) taken from the newest timestamp in the data (\(what)); pass --as-of to override")
            return date
        }
        if let modified = sources.newestFileDate {
            warnings.append("observation time \(AWSMapper.iso(modified)) taken from the files' modification time (the data holds no timestamp); pass --as-of to override")
            return modified
        }
        return Date()
    }
}

/// Dates as evidence and conditions print them.
enum SaaSDay {
    static func text(_ date: Date?) -> String { date?.utcDay ?? "never" }
}
