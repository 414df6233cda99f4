import Foundation
public import RosterModel

extension Detectors {
    /// The SaaS detectors.
    public static let saasFamily: [Detector] = [saasThirdPartyBroadScopes, saasInternalBroadScopes, saasAppUnused, saasGrantByDepartedUser]

    /// OWASP NHI3, not NHI5: the risk is a vendor's. OWASP describes third-party NHIs integrated
    /// "through the use of 3rd party SaaS" that, once the third party is compromised, are used to
    /// "misuse the granted permissions"; a third-party OAuth app holding mail, files or directory
    /// scopes is exactly that. (An app the organization registered itself is NHI5: see
    /// ``saasInternalBroadScopes``.) Severity by the broadest scope: administering the directory
    /// is critical, full mail or files high, reading all mail or files medium (high for
    /// application permissions, which reach every user).
    public static let saasThirdPartyBroadScopes = Detector(
        id: "saas.oauth-app.broad-scopes",
        title: "Third-party OAuth app holds broad scopes",
        severity: .high,
        owasp: .nhi3VulnerableThirdPartyNHI,
        summary: "An OAuth app not registered by the organization (a third party's, or of unknown origin) that users or an administrator "
            + "let read or change mail, files or the directory: Gmail full access, Drive full access, Admin Directory, Mail.ReadWrite, "
            + "Files.ReadWrite.All, Directory.ReadWrite.All, full_access_as_app, and their like. Sign-in scopes (openid, email, profile) are not judged.",
        remediation: "Confirm the app is needed and who owns the relationship with its vendor; revoke the grants if not "
            + "(Google: Admin console > Security > API controls, or tokens.delete; Entra: remove the oauth2PermissionGrant or the app's consent). "
            + "Otherwise restrict it to the narrowest scopes it can work with (drive.file, Mail.Read on shared mailboxes only) and to the users who need it.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, subject.identity.kind == .saasOAuthApp, subject.identity.tags["party"] != "first-party" else { return [] }
            return SaaSScopes.broadHit(subject).map { [$0] } ?? []
        })

    /// OWASP NHI5: an app the organization registered itself is overprivileged when it holds scopes
    /// over all mail, files or the directory; there is no vendor to blame, only a grant to narrow.
    public static let saasInternalBroadScopes = Detector(
        id: "saas.oauth-app.internal-broad-scopes",
        title: "Internal OAuth app holds broad scopes",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "An OAuth app registered in the organization's own tenant holding broad delegated scopes or application permissions "
            + "(the same scopes as saas.oauth-app.broad-scopes); severity by the broadest.",
        remediation: "Replace the broad permission with the narrowest one the app needs (Sites.Selected instead of Sites.ReadWrite.All, "
            + "Mail.Send with an application access policy limiting the mailboxes, Files.ReadWrite.AppFolder), and remove unused consents.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, subject.identity.kind == .saasOAuthApp, subject.identity.tags["party"] == "first-party" else { return [] }
            return SaaSScopes.broadHit(subject).map { [$0] } ?? []
        })

    /// OWASP NHI1: an integration nobody uses any more still holds the users' consent (and, for
    /// Google, refresh tokens) to their data; it was never offboarded. Medium, high when its scopes are broad.
    public static let saasAppUnused = Detector(
        id: "saas.oauth-app.unused",
        title: "OAuth app unused but still holds consents",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "An OAuth app with no recorded use for `unusedDays` (default 90) days, by Google Reports token activity or Entra "
            + "service principal sign-ins, that still holds user or tenant consents; high when its scopes are broad.",
        remediation: "Revoke the consents (Google: tokens.delete for each user, or block the app in API controls; Entra: delete its "
            + "oauth2PermissionGrants and app role assignments, or the service principal) and ask the owner whether anything still depends on it.",
        evaluate: { subject, policy in
            let identity = subject.identity
            guard subject.isGovernedNHI, identity.kind == .saasOAuthApp, identity.usageTracked else { return [] }
            let consents = subject.grants.filter { $0.grant.via == .delegatedConsent || $0.grant.via == .applicationPermission }
            guard !consents.isEmpty else { return [] }
            let idle: Int
            let fact: String
            if let last = identity.lastUsedAt {
                idle = subject.days(since: last)
                fact = "last used \(Say.date(last)), \(Say.days(idle)) before \(Say.date(subject.now))" + (identity.lastUsedDetail.map { " (\($0))" } ?? "")
            } else if let since = identity.tags["activitySince"].flatMap(SaaSScopes.date) {
                idle = subject.days(since: since)
                fact = "no use in the token activity the reports hold, from \(Say.date(since)) to \(Say.date(subject.now)) (\(Say.days(idle)))"
            } else {
                return []
            }
            guard idle >= policy.unusedDays else { return [] }
            let users = Set(consents.compactMap { $0.grant.scope?.kind == .saasUser ? $0.grant.scope?.id : nil }).count
            let tenantWide = consents.contains { $0.grant.scope?.kind == .saasTenant }
            let broad = SaaSScopes.broadHit(subject)
            var evidence = [fact, "still holds consents of \(users) user(s)\(tenantWide ? " and tenant-wide grants" : "")"]
            if let broad { evidence.append(contentsOf: broad.evidence) }
            return [Hit(evidence, severity: broad != nil ? .high : nil)]
        })

    /// OWASP NHI1: the user left (suspended, archived, disabled or deleted) but the app they let in
    /// kept their consent. Medium; high when the scopes are broad (their mailbox or files stay reachable).
    public static let saasGrantByDepartedUser = Detector(
        id: "saas.oauth-grant.departed-user",
        title: "OAuth consent of a user who has left",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "An app that still holds the consent of users who are suspended or archived (Google users.list), disabled (Entra "
            + "accountEnabled false) or deleted (Entra deletedItems, or missing from a complete user export).",
        remediation: "Revoke the departed users' tokens and consents as part of offboarding (Google: tokens.delete, or sign-out and "
            + "revoke in the Admin console; Entra: delete their oauth2PermissionGrants and revoke sign-in sessions), and transfer "
            + "whatever the integration did for them to a service account or a current owner.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, subject.identity.kind == .saasOAuthApp, let index = subject.index else { return [] }
            var departed: [String] = []
            for edge in subject.edgesIn where edge.kind == .consentedTo {
                guard let user = index.resourcesById[edge.from], let state = user.attributes["state"], SaaSScopes.departedStates.contains(state) else { continue }
                let used = edge.conditions.first { $0.hasPrefix("lastUsed=") }.map { ", last used \($0.dropFirst("lastUsed=".count))" } ?? ""
                departed.append("\(user.name) (\(state): \(user.attributes["stateSource"] ?? "")) consented\(used)")
            }
            guard !departed.isEmpty else { return [] }
            let broad = SaaSScopes.broadHit(subject)
            return [Hit(departed.sorted() + (broad?.evidence ?? []), severity: broad != nil ? .high : nil)]
        })
}

/// What OAuth scopes reach: the broad ones by provider, with a reader's reason.
public enum SaaSScopes {
    /// User states that mean the person has left.
    static let departedStates: Set<String> = ["suspended", "archived", "disabled", "deleted"]

    /// Google scopes (full URLs) and Microsoft permissions (names, compared without case), with how far they reach.
    static let broad: [String: (severity: Severity, reach: String)] = [
        // Google Workspace
        "https://mail.google.com/": (.high, "full access to Gmail: read, send and permanently delete all mail"),
        "https://www.googleapis.com/auth/gmail.modify": (.high, "read, send and change all mail"),
        "https://www.googleapis.com/auth/gmail.send": (.high, "send mail as the user"),
        "https://www.googleapis.com/auth/gmail.settings.sharing": (.high, "set up mail forwarding and delegation"),
        "https://www.googleapis.com/auth/gmail.readonly": (.medium, "read all mail"),
        "https://www.googleapis.com/auth/drive": (.high, "full access to every Drive file"),
        "https://www.googleapis.com/auth/drive.readonly": (.medium, "read every Drive file"),
        "https://www.googleapis.com/auth/cloud-platform": (.high, "act on everything in Google Cloud the user can"),
        "https://www.googleapis.com/auth/admin.directory.user": (.critical, "create, change and delete the domain's users"),
        "https://www.googleapis.com/auth/admin.directory.group": (.high, "change the domain's groups and memberships"),
        "https://www.googleapis.com/auth/admin.directory.rolemanagement": (.critical, "grant admin roles in the domain"),
        "https://www.googleapis.com/auth/admin.directory.domain": (.critical, "change the domain's domains"),
        "https://www.googleapis.com/auth/admin.directory.user.readonly": (.medium, "read every user of the domain"),
        // Microsoft Graph, Exchange, SharePoint
        "directory.readwrite.all": (.critical, "change anything in the directory"),
        "directory.accessasuser.all": (.critical, "do in the directory everything the user can (administrators: everything)"),
        "rolemanagement.readwrite.directory": (.critical, "grant directory roles, Global Administrator included"),
        "approleassignment.readwrite.all": (.critical, "grant any application permission, to itself included"),
        "application.readwrite.all": (.critical, "add credentials to any app and act as it"),
        "full_access_as_app": (.critical, "read and change every mailbox (Exchange, as the app)"),
        "sites.fullcontrol.all": (.critical, "full control of every SharePoint site"),
        "user.readwrite.all": (.high, "change every user's profile"),
        "group.readwrite.all": (.high, "change every group, its members and its files"),
        "mail.readwrite": (.high, "read, change and delete mail"),
        "mail.readwrite.shared": (.high, "read, change and delete mail in shared mailboxes"),
        "mail.send": (.high, "send mail as the user"),
        "mailboxsettings.readwrite": (.high, "change mailbox settings, forwarding rules included"),
        "ews.accessasuser.all": (.high, "full access to the mailbox through Exchange Web Services"),
        "files.readwrite.all": (.high, "read, change and delete every file the user can reach"),
        "sites.readwrite.all": (.high, "change every SharePoint site's content"),
        "mail.read": (.medium, "read all mail"),
        "files.read.all": (.medium, "read every file the user can reach"),
        "sites.read.all": (.medium, "read every SharePoint site"),
        "directory.read.all": (.medium, "read the whole directory"),
    ]

    /// How far one scope reaches, nil when it is not broad (openid, email, profile, User.Read, drive.file…).
    public static func reach(_ scope: String, application: Bool = false) -> (severity: Severity, reach: String)? {
        guard var found = broad[scope] ?? broad[scope.lowercased()] else { return nil }
        // An application permission acts without a user, on every user's data: reading all mail is then everyone's mail.
        if application, found.severity == .medium { found.severity = .high }
        return found
    }

    /// The broad scopes an app holds, as one hit with the severity of the broadest; nil when none is broad.
    static func broadHit(_ subject: Subject) -> Hit? {
        var worst: Severity?
        var lines: [String: Set<String>] = [:]
        var reaches: [String: String] = [:]
        for granted in subject.grants {
            guard granted.grant.via == .delegatedConsent || granted.grant.via == .applicationPermission,
                let (scopes, resource, application) = scopes(granted.policy)
            else { continue }
            let who: String
            if application {
                who = "as the app itself, for the whole tenant"
            } else if granted.grant.scope?.kind == .saasTenant {
                who = "for all users (admin consent)"
            } else {
                who = "user"
            }
            for scope in scopes {
                guard let found = reach(scope, application: application) else { continue }
                worst = max(worst ?? found.severity, found.severity)
                let label = resource.map { "\(scope) on \($0)" } ?? scope
                reaches[label] = found.reach
                lines[label, default: []].insert(who == "user" ? (granted.grant.scope?.id ?? "a user") : who)
            }
        }
        guard let worst else { return nil }
        let evidence = lines.keys.sorted().map { label -> String in
            let holders = lines[label]!
            let users = holders.filter { $0.contains(":user:") }.count
            let others = holders.filter { !$0.contains(":user:") }.sorted()
            let whom = (users > 0 ? ["granted by \(users) user(s)"] : []) + others
            return "\(label): \(reaches[label]!) (\(whom.joined(separator: "; ")))"
        }
        return Hit(evidence, severity: worst)
    }

    /// The scopes a `saas.oauth-scopes` policy holds; empty for any other policy.
    public static func scopeList(_ policy: Policy) -> [String] { scopes(policy)?.scopes ?? [] }

    /// The scopes a `saas.oauth-scopes` policy holds, the API they are for, and whether they are application permissions.
    static func scopes(_ policy: Policy?) -> (scopes: [String], resource: String?, application: Bool)? {
        guard let policy, case .other(let type, let content) = policy.body, type == "saas.oauth-scopes", case .object(let members) = content,
            case .array(let items)? = members["scopes"]
        else { return nil }
        let scopes = items.compactMap { item -> String? in
            if case .string(let text) = item { return text }
            return nil
        }
        var resource: String?
        if case .string(let text)? = members["resource"] { resource = text }
        var application = false
        if case .string(let text)? = members["type"] { application = text == "application" }
        return (scopes, resource, application)
    }

    static func date(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }
}
