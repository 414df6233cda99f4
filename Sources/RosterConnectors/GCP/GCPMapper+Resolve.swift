import Foundation
import RosterModel

/// Working out what each record is about: which project an account belongs to, which account a
/// key or an IAM policy is about, and which project a bare project policy belongs to.
extension GCPMapper {
    /// A key with the account it belongs to and its id.
    struct ResolvedKey {
        var key: GCPSources.Located<GCPServiceAccountKey>
        var email: String
        var keyId: String
    }

    /// Every listed account by email, each with its project.
    /// - Throws: ``ConnectorError`` when an account's project cannot be told, or two files put the same account in different projects.
    func accountTable(numbers: [String: String]) throws -> [String: Account] {
        var table: [String: Account] = [:]
        table.reserveCapacity(sources.accounts.count)
        for located in sources.accounts {
            var account = located.value
            account.email = account.email.lowercased()
            guard let project = projectId(of: account, numbers: numbers) else {
                throw ConnectorError(
                    .inconsistent,
                    "cannot tell which project service account \(account.email.prefix(200)) belongs to: it has no projectId and its email does not say; "
                        + "export it with `gcloud iam service-accounts list --project PROJECT --format=json`",
                    file: located.path, location: located.line.map { "line \($0)" })
            }
            if var existing = table[account.email] {
                guard existing.projectId == project else {
                    throw ConnectorError(
                        .inconsistent,
                        "service account \(account.email.prefix(200)) is in project \(project) here but in project \(existing.projectId) in \(existing.place)",
                        file: located.path, location: located.line.map { "line \($0)" })
                }
                // The same account from two sources (a list and an asset export): fill in what the first left out.
                existing.value.uniqueId = existing.value.uniqueId ?? account.uniqueId
                existing.value.displayName = existing.value.displayName ?? account.displayName
                existing.value.description = existing.value.description ?? account.description
                existing.value.disabled = existing.value.disabled ?? account.disabled
                existing.value.oauth2ClientId = existing.value.oauth2ClientId ?? account.oauth2ClientId
                table[account.email] = existing
            } else {
                table[account.email] = Account(value: account, projectId: project, place: located.place)
            }
        }
        return table
    }

    private func projectId(of account: GCPServiceAccount, numbers: [String: String]) -> String? {
        if let project = account.projectId, !project.isEmpty { return project }
        if let name = account.name, let project = GCPName.segment(after: "projects", in: name), project != "-" { return project }
        if let project = GCPAccountClass.projectId(ofEmail: account.email) { return project }
        if case .computeDefault(let number) = GCPAccountClass(email: account.email) { return numbers[number] }
        return nil
    }

    /// Every key with its account, each once; an account known only from its keys is added to `accounts`.
    mutating func resolveKeys(accounts: inout [String: Account], uniqueIds: [String: String], listed: Set<String>) -> [ResolvedKey] {
        var out: [ResolvedKey] = []
        var seen: Set<String> = []
        for located in sources.keys {
            let name = located.value.name
            guard let (keyProject, reference, keyId) = GCPName.keyParts(name) else {
                warnings.append("\(located.place): key name \"\(name.prefix(200))\" is not projects/PROJECT/serviceAccounts/ACCOUNT/keys/KEY_ID; skipped")
                continue
            }
            guard let email = reference.utf8.contains(UInt8(ascii: "@")) ? reference.lowercased() : uniqueIds[reference] else {
                warnings.append("\(located.place): key \(keyId.prefix(80)) belongs to service account \(reference.prefix(80)), which no imported file lists; skipped")
                continue
            }
            guard seen.insert("\(email)/\(keyId)").inserted else { continue }
            if accounts[email] == nil {
                let project = keyProject.flatMap { $0 == "-" ? nil : $0 } ?? GCPAccountClass.projectId(ofEmail: email)
                guard let project else {
                    warnings.append("\(located.place): key \(keyId.prefix(80)) belongs to \(email.prefix(200)), whose project no file says; skipped")
                    continue
                }
                if listed.contains(project) {
                    warnings.append("\(located.place): key \(keyId.prefix(80)) belongs to \(email.prefix(200)), which the service-accounts list of project \(project) "
                        + "does not hold (deleted since, or the list is older than the keys); the account is imported from its keys")
                }
                accounts[email] = Account(value: GCPServiceAccount(email: email), projectId: project, place: located.place, inferred: true)
            }
            out.append(ResolvedKey(key: located, email: email, keyId: keyId))
        }
        return out
    }

    /// The project policies by project id and the account policies by email, each once.
    ///
    /// - Throws: ``ConnectorError`` when a bare policy's project cannot be told, when its file name looks like an account's
    ///   that was meant, or when two different policies are given for the same project or account.
    mutating func resolvePolicies(
        accounts: inout [String: Account], uniqueIds: [String: String], numbers: [String: String], listed: Set<String>, knownProjects: Set<String>
    ) throws -> (projects: [String: GCPSources.Located<GCPIAMPolicy>], accounts: [String: GCPSources.Located<GCPIAMPolicy>]) {
        var projectPolicies: [String: GCPSources.Located<GCPIAMPolicy>] = [:]
        var accountPolicies: [String: GCPSources.Located<GCPIAMPolicy>] = [:]
        let projectsWithData = Set(accounts.values.map(\.projectId)).union(knownProjects)
        for (located, target) in sources.policies {
            switch target {
            case .folderProject(let directory):
                let project = try projectOfFolder(directory, policyAt: located.path)
                try checkNotAnAccountsPolicy(located.path, project: project, accounts: accounts)
                if !projectsWithData.contains(project) {
                    warnings.append("\(located.path): read as the IAM policy of project \(project), its folder's name (no other file names the project)")
                }
                try keep(located, for: "project \(project)", in: &projectPolicies, key: project)
            case .project(let reference):
                guard let project = reference.allSatisfy(\.isNumber) ? numbers[reference] : reference else {
                    warnings.append("\(located.place): the IAM policy of project number \(reference.prefix(40)) was skipped: no imported record says which project id it has "
                        + "(export the Project assets too, or add `gcloud projects describe`)")
                    continue
                }
                try keep(located, for: "project \(project)", in: &projectPolicies, key: project)
            case .serviceAccount(let reference):
                guard let email = reference.utf8.contains(UInt8(ascii: "@")) ? reference : uniqueIds[reference] else {
                    warnings.append("\(located.place): the IAM policy of service account \(reference.prefix(80)) was skipped: no imported record lists that account")
                    continue
                }
                if accounts[email] == nil {
                    let project = GCPAccountClass.projectId(ofEmail: email)
                    if let project, listed.contains(project) {
                        throw ConnectorError(
                            .inconsistent,
                            "the file name says this is the IAM policy of \(email.prefix(200)), but the service-accounts list of project \(project) "
                                + "does not hold that account; name the file after the account's exact email (e.g. NAME@\(project).iam.gserviceaccount.com.json)",
                            file: located.path)
                    }
                    guard let project else {
                        warnings.append("\(located.place): the IAM policy of \(email.prefix(200)) was skipped: no file says which project the account is in")
                        continue
                    }
                    accounts[email] = Account(value: GCPServiceAccount(email: email), projectId: project, place: located.place, inferred: true)
                }
                try keep(located, for: "service account \(email)", in: &accountPolicies, key: email)
            }
        }
        return (projectPolicies, accountPolicies)
    }

    /// Keeps the first policy for `key`; an equal second one (the same policy from two exports) is dropped, a different one refused.
    private func keep(
        _ located: GCPSources.Located<GCPIAMPolicy>, for what: String, in table: inout [String: GCPSources.Located<GCPIAMPolicy>], key: String
    ) throws {
        guard let existing = table[key] else {
            table[key] = located
            return
        }
        guard Self.normalised(existing.value) == Self.normalised(located.value) else {
            throw ConnectorError(
                .inconsistent, "a second, different IAM policy of \(what) (the first is in \(existing.place)); import one export of each policy",
                file: located.path, location: located.line.map { "line \($0)" })
        }
    }

    private static func normalised(_ policy: GCPIAMPolicy) -> Set<String> {
        Set((policy.bindings ?? []).flatMap { binding in
            (binding.members ?? []).map { "\(binding.role)\u{0}\($0)\u{0}\(binding.condition?.expression ?? "")" }
        })
    }

    /// The project a bare `gcloud projects get-iam-policy` file belongs to: the one the other files in its folder name,
    /// else the folder's own name when it is a project id.
    private func projectOfFolder(_ directory: String, policyAt path: String) throws -> String {
        let named = sources.projectsByDirectory[directory] ?? []
        let folder = (directory as NSString).lastPathComponent
        if named.count == 1 { return named.first! }
        if named.count > 1 {
            if named.contains(folder) { return folder }
            throw ConnectorError(
                .inconsistent,
                "cannot tell which project this IAM policy belongs to: the files beside it are about several projects (\(named.sorted().prefix(5).joined(separator: ", "))); "
                    + "keep each project's files in a folder named after the project",
                file: path)
        }
        guard Self.isProjectId(folder) else {
            throw ConnectorError(
                .inconsistent,
                "cannot tell which project this IAM policy belongs to: `gcloud projects get-iam-policy` does not say, no service-accounts list, keys list or "
                    + "`gcloud projects describe` output beside it names one, and the folder name \"\(folder.prefix(60))\" is not a project id; "
                    + "keep each project's files in a folder named after the project (e.g. acme-prod-4821/)",
                file: path)
        }
        return folder
    }

    /// Refuses a bare policy named after an account id (`gh-deploy.json`): it is almost surely that account's policy, saved under a
    /// name Roster does not read as one, and reading it as the project's would grant the project-wide what was granted on one account.
    private func checkNotAnAccountsPolicy(_ path: String, project: String, accounts: [String: Account]) throws {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        // The account this name would be: the stem in the project's own domain. (Not App Engine's `PROJECT@appspot…`: a project
        // policy is naturally saved as PROJECT.json.)
        guard let account = accounts["\(stem)@\(project).iam.gserviceaccount.com"] else { return }
        throw ConnectorError(
            .inconsistent,
            "this IAM policy is named after service account \(account.value.email), but a policy is read as an account's only when its file name "
                + "(or folder) holds the full email, e.g. \(account.value.email).json; as named it would be read as project \(project)'s policy",
            file: path)
    }

    /// Whether a name has the form of a project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter
    /// (optionally `domain:` first, for domain-scoped projects).
    static func isProjectId(_ name: String) -> Bool {
        let id = name.split(separator: ":").last.map(String.init) ?? name
        guard (6...30).contains(id.count), let first = id.first, first.isASCII, first.isLowercase, id.last != "-" else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// Role definitions by name; a role defined twice keeps its first definition.
    func roleDefinitions() -> [String: GCPRole] {
        var out: [String: GCPRole] = [:]
        for role in sources.roles where out[role.value.name] == nil && role.value.deleted != true { out[role.value.name] = role.value }
        return out
    }

    /// The folders each project's files are in, for environment hints.
    func directoriesByProject() -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (directory, projects) in sources.projectsByDirectory {
            for project in projects { out[project, default: []].append((directory as NSString).lastPathComponent) }
        }
        return out.mapValues { $0.sorted() }
    }

    /// The project a service agent serves, from the project number in its email.
    func agentHome(_ email: String, numbers: [String: String]) -> String? {
        let local = email.prefix { $0 != "@" }
        let number = local.hasPrefix("service-") ? local.dropFirst("service-".count) : local
        return number.allSatisfy(\.isNumber) ? numbers[String(number)] : nil
    }
}
