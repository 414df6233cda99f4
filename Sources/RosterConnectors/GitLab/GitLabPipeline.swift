import Foundation
import Yams

/// What Roster reads from a `.gitlab-ci.yml` (with its local includes): the variables it sets,
/// and per job when it runs (merge request pipelines, which branches and tags), its environment,
/// the variables it references, the ID tokens it requests and how it signs in to clouds.
struct GitLabPipeline: Sendable {
    /// Where a job runs.
    enum Run: Hashable, Sendable, Comparable, CustomStringConvertible {
        case mergeRequests
        /// A named branch, `*` for any, or `/regex/`.
        case branch(String)
        case defaultBranch
        case tag(String)
        /// `$CI_COMMIT_REF_PROTECTED == "true"`: protected branches and tags only.
        case protectedRefs

        var description: String {
            switch self {
            case .mergeRequests: "merge request pipelines"
            case .branch(let name): name == "*" ? "any branch" : "branch \(name)"
            case .defaultBranch: "the default branch"
            case .tag(let name): name == "*" ? "any tag" : "tag \(name)"
            case .protectedRefs: "protected branches and tags"
            }
        }

        /// Whether anyone who can push a branch or open a merge request gets a pipeline here.
        var isUnprotected: Bool {
            switch self {
            case .mergeRequests: true
            case .branch(let name): name == "*"
            default: false
            }
        }
    }

    struct IDToken: Sendable, Hashable {
        var name: String
        var audiences: [String]
    }

    struct CloudLogin: Sendable, Hashable {
        var cloud: String
        var method: String
        /// The role ARN, workload identity provider, service account or client id, as written or through a variable.
        var targets: [String: String]
        /// The variable holding the ID token it presents.
        var token: String?
        var line: Int?
    }

    struct Job: Sendable {
        var id: String
        var runs: Set<Run> = []
        var environment: String?
        /// `$NAME` and `${NAME}` in its scripts and variables.
        var references: Set<String> = []
        var variables: [String: String] = [:]
        var idTokens: [IDToken] = []
        var logins: [CloudLogin] = []
        var line: Int?
    }

    var variables: [String: String] = [:]
    var jobs: [Job] = []
    /// `include:` entries that are not local files, which Roster does not fetch.
    var notRead: [String] = []
}

extension GitLabPipeline {
    static let reserved: Set<String> = [
        "default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script", "after_script", "types", "spec",
    ]

    /// Reads a pipeline from its top-level mappings, the included files' first (the main file wins).
    init(documents: [(path: String, map: Node.Mapping)]) throws {
        var entries: [String: (path: String, node: Node)] = [:]
        var order: [String] = []
        for (path, map) in documents {
            for (key, value) in map.entries {
                if entries[key] == nil { order.append(key) }
                entries[key] = (path, value)
            }
        }
        var walk = NodeWalk(file: documents.last?.path ?? "")
        if case .mapping(let vars)? = entries["variables"]?.node { variables = try Self.variables(vars, path: entries["variables"]!.path) }
        let defaults = entries["default"]?.node.mapping
        let mergeRequestsEnabled = entries["workflow"].map { Self.mentionsMergeRequests($0.node) } ?? false
        var jobs: [Job] = []
        for key in order where !Self.reserved.contains(key) && !key.hasPrefix(".") {
            guard let (path, node) = entries[key], case .mapping(let own) = node else { continue }
            // extends: the templates' keys first, the job's own last (GitLab merges them the same way, the job winning).
            var chain: [Node.Mapping] = [own]
            var seen: Set<String> = [key]
            var next = own.value("extends")?.texts ?? []
            while let name = next.first {
                next.removeFirst()
                guard seen.insert(name).inserted, seen.count < 32, case .mapping(let template)? = entries[name]?.node else { continue }
                chain.insert(template, at: 0)
                next += template.value("extends")?.texts ?? []
            }
            func value(_ name: String) -> Node? { chain.reversed().lazy.compactMap { $0.value(name) }.first ?? defaults?.value(name) }
            guard value("script") != nil || value("trigger") != nil || value("run") != nil else { continue }
            var job = Job(id: try key.kept("a job name", file: path, at: node), line: node.mark?.line)
            if let environment = value("environment") {
                job.environment = try (environment.text ?? environment.mapping?.value("name")?.text)?.kept("an environment name", file: path, at: environment)
            }
            for map in chain { if case .mapping(let vars)? = map.value("variables") { job.variables.merge(try Self.variables(vars, path: path)) { _, b in b } } }
            job.runs = Self.runs(rules: value("rules"), only: value("only"), mergeRequestsEnabled: mergeRequestsEnabled)
            if case .mapping(let tokens)? = value("id_tokens") {
                for (name, spec) in tokens.entries {
                    job.idTokens.append(IDToken(name: name, audiences: spec.mapping?.value("aud")?.texts ?? []))
                }
            }
            var scripts: [String] = []
            for part in ["before_script", "script", "after_script"] {
                guard let node = value(part) else { continue }
                try walk.scalars(node) { scripts.append($0) }
            }
            for text in scripts + Array(job.variables.values) { job.references.formUnion(Self.references(in: text)) }
            job.logins = Self.logins(in: scripts.joined(separator: "\n"), line: node.mark?.line)
            jobs.append(job)
        }
        self.jobs = jobs
    }

    static func variables(_ map: Node.Mapping, path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in map.entries {
            let text = value.text ?? value.mapping?.value("value")?.text ?? ""
            out[key] = try text.kept("variable \(key.prefix(40))", file: path, at: value)
        }
        return out
    }

    static func mentionsMergeRequests(_ node: Node) -> Bool {
        var found = false
        var walk = NodeWalk(file: "")
        try? walk.scalars(node) { if $0.contains("merge_request_event") { found = true } }
        return found
    }

    /// Where a job runs, from `rules:` (first match wins, `when: never` excludes) or `only:`; GitLab's default is any branch and tag.
    static func runs(rules: Node?, only: Node?, mergeRequestsEnabled: Bool) -> Set<Run> {
        if case .sequence(let items)? = rules {
            var out: Set<Run> = []
            var mergeRequestsExcluded = false
            for item in items {
                guard case .mapping(let rule) = item else { continue }
                let never = rule.value("when")?.text == "never"
                guard let condition = rule.value("if")?.text else {
                    // No `if:` (only changes:/exists: or nothing): matches whatever reached it.
                    if !never {
                        out.insert(.branch("*"))
                        if mergeRequestsEnabled && !mergeRequestsExcluded { out.insert(.mergeRequests) }
                    }
                    break
                }
                let runs = classify(condition)
                if never {
                    if runs.contains(.mergeRequests) { mergeRequestsExcluded = true }
                    continue
                }
                out.formUnion(runs.filter { $0 != .mergeRequests || !mergeRequestsExcluded })
            }
            return out
        }
        if let only {
            let refs = only.mapping?.value("refs")?.texts ?? only.texts
            var out: Set<Run> = []
            for ref in refs {
                switch ref {
                case "merge_requests": out.insert(.mergeRequests)
                case "branches", "pushes", "web", "api", "triggers", "pipelines", "schedules", "chat", "external": out.insert(.branch("*"))
                case "tags": out.insert(.tag("*"))
                case "main", "master": out.insert(.branch(ref))
                default: out.insert(.branch(ref))
                }
            }
            return out
        }
        var out: Set<Run> = [.branch("*"), .tag("*")]
        if mergeRequestsEnabled { out.insert(.mergeRequests) }
        return out
    }

    /// What one `if:` expression lets through, read for the common forms; anything else counts as any branch.
    static func classify(_ condition: String) -> Set<Run> {
        let c = condition.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "'", with: "\"")
        if c.contains("CI_COMMIT_REF_PROTECTED==\"true\"") || c.contains("CI_COMMIT_REF_PROTECTED") && !c.contains("!=") { return [.protectedRefs] }
        if c.contains("==\"merge_request_event\"") || c.contains("$CI_MERGE_REQUEST_") && !c.contains("!=\"merge_request_event\"") {
            return [.mergeRequests]
        }
        for variable in ["$CI_COMMIT_BRANCH", "$CI_COMMIT_REF_NAME"] {
            if c.contains(variable + "==$CI_DEFAULT_BRANCH") || c.contains("$CI_DEFAULT_BRANCH==" + variable) { return [.defaultBranch] }
            if let range = c.range(of: variable + "==\"") {
                let name = c[range.upperBound...].prefix { $0 != "\"" }
                return [.branch(String(name))]
            }
            if let range = c.range(of: variable + "=~") {
                return [.branch(String(c[range.upperBound...].prefix { $0 != "&" && $0 != "|" && $0 != ")" }))]
            }
        }
        if c.contains("$CI_COMMIT_TAG") && !c.contains("$CI_COMMIT_TAG==null") && !c.contains("!$CI_COMMIT_TAG") { return [.tag("*")] }
        if c.contains("==\"schedule\"") { return [.defaultBranch] }
        return [.branch("*")]
    }

    /// `$NAME` and `${NAME}` in a text.
    static func references(in text: String) -> Set<String> {
        var out: Set<String> = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "$") else {
                i += 1
                continue
            }
            var j = i + 1
            let braced = j < bytes.count && bytes[j] == UInt8(ascii: "{")
            if braced { j += 1 }
            let start = j
            while j < bytes.count && (SecretUse.isNameByte(bytes[j]) && bytes[j] != UInt8(ascii: "-")) { j += 1 }
            if j > start && j - start <= 256 { out.insert(String(decoding: bytes[start..<j], as: UTF8.self)) }
            i = max(j, i + 1)
        }
        return out
    }

    /// Cloud sign-ins in a job's scripts: `aws sts assume-role-with-web-identity`, `gcloud iam workload-identity-pools
    /// create-cred-config`, `az login --federated-token`.
    static func logins(in script: String, line: Int?) -> [CloudLogin] {
        var out: [CloudLogin] = []
        let words = script.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\\" }).map(String.init)
        func argument(_ names: [String]) -> String? {
            for (index, word) in words.enumerated() {
                for name in names {
                    if word == name, index + 1 < words.count { return unquote(words[index + 1]) }
                    if word.hasPrefix(name + "=") { return unquote(String(word.dropFirst(name.count + 1))) }
                }
            }
            return nil
        }
        if script.contains("assume-role-with-web-identity") {
            var targets: [String: String] = [:]
            if let role = argument(["--role-arn"]) { targets["role-arn"] = role }
            out.append(CloudLogin(cloud: "aws", method: "oidc", targets: targets, token: argument(["--web-identity-token"]), line: line))
        }
        if script.contains("create-cred-config"), let index = words.firstIndex(of: "create-cred-config"), index + 1 < words.count {
            var targets = ["workload_identity_provider": unquote(words[index + 1])]
            if let account = argument(["--service-account"]) { targets["service_account"] = account }
            out.append(CloudLogin(cloud: "gcp", method: "oidc", targets: targets, token: argument(["--credential-source-file"]), line: line))
        }
        if script.contains("az login"), let token = argument(["--federated-token"]) {
            var targets: [String: String] = [:]
            if let client = argument(["-u", "--username"]) { targets["client-id"] = client }
            if let tenant = argument(["-t", "--tenant"]) { targets["tenant-id"] = tenant }
            out.append(CloudLogin(cloud: "azure", method: "oidc", targets: targets, token: token, line: line))
        }
        return out
    }

    static func unquote(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }

    /// The include entries of a top-level mapping: local files (relative to the project root) and what is not read.
    static func includes(_ map: Node.Mapping) -> (local: [String], other: [String]) {
        guard let node = map.value("include") else { return ([], []) }
        var local: [String] = []
        var other: [String] = []
        let items: [Node] = if case .sequence(let list) = node { Array(list) } else { [node] }
        for item in items {
            if let text = item.text {
                if text.contains("://") { other.append(text) } else { local.append(text) }
            } else if case .mapping(let entry) = item {
                if let file = entry.value("local")?.text {
                    local.append(file)
                } else {
                    other.append(entry.entries.first.map { "\($0.key): \($0.value.text ?? "…")" } ?? "include")
                }
            }
        }
        return (local, other)
    }
}

/// The subjects a GitLab job's ID token carries, in GitLab's format
/// (`project_path:<path>:ref_type:<branch|tag>:ref:<name>`).
enum GitLabOIDC {
    static func issuer(host: String?) -> String { "https://\(host ?? "gitlab.com")" }

    static func subjects(project: String, runs: Set<GitLabPipeline.Run>, defaultBranch: String?) -> [String] {
        let prefix = "project_path:\(project):"
        var out: Set<String> = []
        for run in runs {
            switch run {
            case .mergeRequests: out.insert(prefix + "ref_type:branch:ref:*")
            case .branch(let name): out.insert(prefix + "ref_type:branch:ref:" + (name.hasPrefix("/") ? "*" : name))
            case .defaultBranch: out.insert(prefix + "ref_type:branch:ref:" + (defaultBranch ?? "*"))
            case .tag(let name): out.insert(prefix + "ref_type:tag:ref:" + name)
            case .protectedRefs:
                out.insert(prefix + "ref_type:branch:ref:*")
                out.insert(prefix + "ref_type:tag:ref:*")
            }
        }
        return out.sorted()
    }
}
