import Foundation

/// A member of an IAM binding, parsed from the forms IAM policies print.
///
/// See https://cloud.google.com/iam/docs/principal-identifiers for the forms.
enum GCPMember: Hashable, Sendable {
    case serviceAccount(email: String)
    /// A Kubernetes service account through GKE Workload Identity: `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]`.
    case gkeWorkload(pool: String, namespace: String, name: String)
    case user(String)
    case group(String)
    case domain(String)
    case allUsers
    case allAuthenticatedUsers
    /// `deleted:serviceAccount:EMAIL?uid=…` (and deleted users and groups): a binding left behind by a deleted principal.
    case deleted(kind: String, email: String)
    /// One federated identity: `principal://iam.googleapis.com/…/subject/SUBJECT`.
    case principal(String)
    /// A set of federated identities: `principalSet://iam.googleapis.com/…/attribute.NAME/VALUE`, `…/group/G`, `…/*`.
    case principalSet(String)
    /// Convenience values and forms Roster does not interpret (`projectOwner:…`).
    case other(String)

    init(_ text: String) {
        func after(_ prefix: String) -> String? { text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : nil }
        if let email = after("serviceAccount:") {
            if let open = email.firstIndex(of: "["), email.hasSuffix("]"), email[..<open].hasSuffix(".svc.id.goog") {
                let inside = email[email.index(after: open)..<email.index(before: email.endIndex)]
                let parts = inside.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 {
                    self = .gkeWorkload(pool: String(email[..<open]), namespace: String(parts[0]), name: String(parts[1]))
                    return
                }
            }
            // Emails are lowercase as IAM prints them; lowercasing allocates, so only when needed.
            self = .serviceAccount(email: email.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? email.lowercased() : email)
        } else if let user = after("user:") {
            self = .user(user)
        } else if let group = after("group:") {
            self = .group(group)
        } else if let domain = after("domain:") {
            self = .domain(domain)
        } else if text == "allUsers" {
            self = .allUsers
        } else if text == "allAuthenticatedUsers" {
            self = .allAuthenticatedUsers
        } else if let deleted = after("deleted:") {
            let kind = deleted.prefix { $0 != ":" }
            let rest = deleted.dropFirst(kind.count + 1)
            self = .deleted(kind: String(kind), email: String(rest.prefix { $0 != "?" }))
        } else if text.hasPrefix("principal://") {
            self = .principal(text)
        } else if text.hasPrefix("principalSet://") {
            self = .principalSet(text)
        } else {
            self = .other(text)
        }
    }
}

/// What Roster can tell about a service account from its email alone.
///
/// Google creates some accounts in every project that uses a service: the *default* service
/// accounts (Compute Engine's `PROJECT_NUMBER-compute@developer.gserviceaccount.com`, App
/// Engine's `PROJECT_ID@appspot.gserviceaccount.com`), which live in the project and which the
/// customer governs like any other; and *service agents*
/// (`service-PROJECT_NUMBER@gcp-sa-….iam.gserviceaccount.com`,
/// `PROJECT_NUMBER@cloudservices.gserviceaccount.com`), which Google manages and uses to act in
/// the project on a service's behalf.
enum GCPAccountClass: Equatable, Sendable {
    case userCreated
    case computeDefault(projectNumber: String)
    case appEngineDefault(projectId: String)
    case serviceAgent

    init(email: String) {
        let parts = email.split(separator: "@", maxSplits: 1)
        guard parts.count == 2 else {
            self = .userCreated
            return
        }
        let (local, domain) = (parts[0], parts[1])
        if domain == "developer.gserviceaccount.com", local.hasSuffix("-compute"), local.dropLast("-compute".count).allSatisfy(\.isNumber) {
            self = .computeDefault(projectNumber: String(local.dropLast("-compute".count)))
        } else if domain == "appspot.gserviceaccount.com" {
            self = .appEngineDefault(projectId: String(local))
        } else if domain == "cloudservices.gserviceaccount.com" || domain.hasPrefix("gcp-sa-")
            || (local.hasPrefix("service-") && local.dropFirst("service-".count).allSatisfy(\.isNumber) && domain.hasSuffix(".iam.gserviceaccount.com"))
        {
            self = .serviceAgent
        } else {
            self = .userCreated
        }
    }

    /// The project id an email names, for accounts created in a project (`NAME@PROJECT.iam.gserviceaccount.com`).
    static func projectId(ofEmail email: String) -> String? {
        guard let at = email.firstIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        if domain.hasSuffix(".iam.gserviceaccount.com") {
            let project = domain.dropLast(".iam.gserviceaccount.com".count)
            return project.hasPrefix("gcp-sa-") || project.isEmpty ? nil : String(project)
        }
        if domain == "appspot.gserviceaccount.com" { return String(email[..<at]) }
        return nil
    }

    /// Whether `text` is a service account email (`…@….gserviceaccount.com`).
    static func isEmail(_ text: Substring) -> Bool {
        guard let at = text.firstIndex(of: "@"), at > text.startIndex else { return false }
        return text[text.index(after: at)...].hasSuffix("gserviceaccount.com")
    }

    /// The service account email a file or folder name holds, or nil.
    ///
    /// The name may be the email itself (`gh-deploy@acme-prod-4821.iam.gserviceaccount.com.json`) or hold it
    /// after any character an account id cannot contain (`iam-policy.gh-deploy@….json`, `policy_gh-deploy@….json`);
    /// account ids are letters, digits and hyphens, so a hyphen before the id would join it and is not a separator.
    static func email(inName name: String) -> String? {
        guard let at = name.firstIndex(of: "@"), let end = name.range(of: "gserviceaccount.com", range: at..<name.endIndex)?.upperBound else {
            return nil
        }
        var start = at
        while start > name.startIndex, case let c = name[name.index(before: start)], c.isASCII, c.isLetter || c.isNumber || c == "-" {
            start = name.index(before: start)
        }
        let domain = name[name.index(after: at)..<end]
        guard start < at, domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else { return nil }
        return String(name[start..<end]).lowercased()
    }
}
