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
    var warnings: [String] = []
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
        /// Cross-system claims: the app is an identity of another system too.
        var claims: [Edge] = []
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

    // MARK: Estate

    /// Turns apps and their consents into identities, scope policies, grants and edges.
    func finish(scope: String, observedAt: Date, apps: [String: AppDraft], resources: [Resource]) -> Estate {
        var estate = Estate(observedAt: observedAt, scope: scope, resources: resources.sorted { $0.id < $1.id })
        var policies: [String: Policy] = [:]
        // Arrays, not sets: hashing whole grants and edges (reasons, conditions) cost more than the rest; duplicates are dropped as they are sorted.
        var grants: [Grant] = []
        // By their source, so each small group is sorted on its own and the groups are joined in order.
        var edgesFrom: [String: [Edge]] = [:]
        var scopeSets: [String: (scopes: [String], digest: String, conditions: [String])] = [:]
        let names = Dictionary(resources.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // In id order, so the estate is built sorted (Estate.sorted() then only checks).
        for id in apps.keys.sorted() {
            let draft = apps[id]!
            var identity = draft.identity
            if identity.usageTracked, identity.lastUsedAt == nil {
                identity.lastUsedAt = draft.consents.compactMap(\.lastUsedAt).max()
            }
            if identity.createdAt == nil { identity.createdAt = draft.consents.compactMap(\.grantedAt).min() }
            estate.identities.append(identity)
            for claim in draft.claims { edgesFrom[claim.from, default: []].append(claim) }
            var appGrants: [Grant] = []
            for consent in draft.consents {
                // Most consents share a handful of scope sets: sort and hash each set once.
                let raw = (consent.resource ?? "") + "\u{1F}" + consent.scopes.joined(separator: " ")
                let (scopes, digest, scopeConditions) = scopeSets[raw] ?? {
                    let scopes = Array(Set(consent.scopes)).sorted()
                    let digest = String(SHA256Digest.hex(of: (consent.resource ?? "") + "\u{1F}" + scopes.joined(separator: " ")).prefix(12))
                    return (scopes, digest, scopes.map { "scope=\($0)" })
                }()
                scopeSets[raw] = (scopes, digest, scopeConditions)
                let policyId = "\(id)#scopes/\(digest)"
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
                appGrants.append(Grant(subjectId: id, policyId: policyId, via: consent.via, scope: onBehalf))
                guard consent.via == .delegatedConsent else { continue }
                var conditions = scopeConditions
                if let granted = consent.grantedAt { conditions.append("granted=\(SaaSDay.text(granted))") }
                if let used = consent.lastUsedAt { conditions.append("lastUsed=\(SaaSDay.text(used))") }
                let who = names[consent.user] ?? consent.user
                let reason = "\(who) consented to \(identity.name) (\(consent.source))"
                    + (consent.grantedAt.map { ", first authorized \(SaaSDay.text($0))" } ?? "")
                    + (consent.lastUsedAt.map { ", last used \(SaaSDay.text($0))" } ?? "")
                edgesFrom[consent.user, default: []].append(Edge(from: consent.user, to: id, kind: .consentedTo, rule: "saas.import", reason: reason, conditions: conditions))
            }
            // Apps come in id order, so sorting each app's grants sorts them all.
            grants += AzureMapper.presorted(appGrants)
        }
        estate.policies = policies.keys.sorted().map { policies[$0]! }
        estate.grants = grants
        estate.edges = edgesFrom.keys.sorted().flatMap { AzureMapper.presorted(edgesFrom[$0]!) }
        return estate.sorted()
    }

    // MARK: Observation time

    mutating func saw(_ date: Date?, _ what: @autoclosure () -> String) {
        // Google prints 1970-01-01 for "never logged in".
        guard let date, date.timeIntervalSince1970 > 946_684_800, date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }

    mutating func noteTimestamps() {
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

    mutating func observationTime() -> Date {
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
