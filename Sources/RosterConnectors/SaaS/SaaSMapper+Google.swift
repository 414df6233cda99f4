import Foundation
import RosterModel

/// Google Workspace: tokens.list per user, users.list, Reports API token activity.
extension SaaSMapper {
    // MARK: Google Workspace

    mutating func google(observedAt: Date) throws -> Estate {
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
            let file = (path as NSString).lastPathComponent
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
                    user: email, userName: email, appId: token.clientId, scopes: token.scopes ?? [], source: file)
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
            let file = (path as NSString).lastPathComponent
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
                        authorized[key] = (min(previous?.first ?? time, time), max(previous?.last ?? time, time), scopes, file)
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
        // Any order: finish() sorts apps, grants and edges.
        for consent in consents.values {
            let id = "\(scope):app:\(consent.appId)"
            if apps[id] == nil {
                var tags: [String: String] = [:]
                if nativeApps.contains(consent.appId) { tags["nativeApp"] = "true" }
                let name = names[consent.appId] ?? consent.appId
                apps[id] = AppDraft(identity: Identity(
                    id: id, provider: .saas, kind: .saasOAuthApp, name: name, nativeId: consent.appId, account: "google-workspace:\(domain)",
                    environment: EnvironmentName.guess([name]), tags: tags, usageTracked: !sources.googleActivities.isEmpty, nature: .machine,
                    natureReason: "an OAuth client that users of \(domain) authorized to act for them (Google Workspace tokens)"))
            }
            var consent = consent
            consent.user = "\(scope):user:\(consent.user)"
            apps[id]!.consents.append(consent)
        }

        // An app with no use in the reports was unused at least since they begin: say where they begin.
        if let activitySince {
            for (id, draft) in apps where draft.consents.allSatisfy({ $0.lastUsedAt == nil }) {
                apps[id]!.identity.tags["activitySince"] = AWSMapper.iso(activitySince)
            }
        }

        var resources: [Resource] = []
        for user in Set(consents.values.map(\.user)).sorted() {
            let state: String
            let why: String
            if let record = usersByEmail[user] {
                if record.deletionTime != nil {
                    (state, why) = ("deleted", "users.list: deletionTime \(SaaSDay.text(record.deletionTime?.date))")
                } else if record.archived == true {
                    (state, why) = ("archived", "users.list")
                } else if record.suspended == true {
                    (state, why) = ("suspended", "users.list")
                } else {
                    (state, why) = ("active", "users.list")
                }
            } else if completeUserList {
                (state, why) = ("deleted", "not in the users.list export")
            } else {
                (state, why) = ("unknown", "no users.list export")
            }
            resources.append(Resource(
                id: "\(scope):user:\(user)", provider: .saas, type: "saas.google-workspace.user", name: user, account: "google-workspace:\(domain)",
                attributes: ["state": state, "stateSource": why]))
        }
        return finish(scope: scope, observedAt: observedAt, apps: apps, resources: resources)
    }

    /// The email address a file is named after (`tokens/alice@acme.example.json`), lowercased.
    static func email(inFileName path: String) -> String? {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
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

}
