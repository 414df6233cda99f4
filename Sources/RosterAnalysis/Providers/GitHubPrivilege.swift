public import RosterModel

extension PrivilegeEvaluators {
    /// GitHub: a workflow by its jobs' GITHUB_TOKEN permissions, a deploy key by its access, an App
    /// installation by its permissions.
    ///
    /// A token can write at most (it never administers the repository); an App with
    /// `administration`, `organization_administration` or `members` write is admin. A workflow that
    /// sets no permissions runs with the repository's default, which the files do not show: unknown.
    public static let github = PrivilegeEvaluator(provider: .github) { _, grants, _ in
        var levels: [(PrivilegeLevel, String)] = []
        for granted in grants {
            guard case .other(let type, let content)? = granted.policy?.body, case .object(let map) = content else { continue }
            switch type {
            case PolicyBody.githubWorkflowType:
                guard case .array(let jobs)? = map["jobs"] else { continue }
                for case .object(let job) in jobs {
                    let id = text(job["id"]) ?? "?"
                    switch job["permissions"] ?? map["permissions"] {
                    case .string("write-all")?: levels.append((.write, "job \(id): GITHUB_TOKEN write-all"))
                    case .string("read-all")?: levels.append((.read, "job \(id): GITHUB_TOKEN read-all"))
                    case .object(let scopes)?:
                        let writes = scopes.filter { text($0.value) == "write" }.keys.sorted()
                        if !writes.isEmpty {
                            levels.append((.write, "job \(id): GITHUB_TOKEN write to \(writes.joined(separator: ", "))"))
                        } else if scopes.values.contains(where: { text($0) == "read" }) {
                            levels.append((.read, "job \(id): GITHUB_TOKEN read only"))
                        } else {
                            levels.append((.none, "job \(id): GITHUB_TOKEN without permissions"))
                        }
                    default: levels.append((.unknown, "job \(id): GITHUB_TOKEN permissions are the repository's default, not in the files"))
                    }
                }
            case PolicyBody.githubDeployKeyType:
                let access = text(map["access"]) ?? "read"
                levels.append((access == "write" ? .write : .read, "deploy key with \(access) access to \(text(map["repository"]) ?? "its repository")"))
            case PolicyBody.githubAppType:
                guard case .object(let permissions)? = map["permissions"] else { continue }
                let writes = permissions.filter { text($0.value) == "write" || text($0.value) == "admin" }.keys.sorted()
                let selection = text(map["repository_selection"]) ?? "unknown"
                if writes.contains(where: ["administration", "organization_administration", "members"].contains) {
                    levels.append((.admin, "App with write to \(writes.joined(separator: ", ")) on \(selection) repositories"))
                } else if !writes.isEmpty {
                    levels.append((.write, "App with write to \(writes.joined(separator: ", ")) on \(selection) repositories"))
                } else {
                    levels.append((permissions.isEmpty ? .none : .read, "App with read access on \(selection) repositories"))
                }
            default: continue
            }
        }
        guard let top = levels.map(\.0).max(by: { $0.rank < $1.rank }) else {
            return PrivilegeAssessment(level: .none, evidence: ["no grants"], conditional: false)
        }
        return PrivilegeAssessment(level: top, evidence: levels.filter { $0.0 == top }.map(\.1), conditional: false)
    }

    private static func text(_ value: JSONAny?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }
}
