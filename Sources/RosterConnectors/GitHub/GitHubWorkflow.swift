import Foundation
import Yams

/// What Roster reads from one GitHub Actions workflow file: when it runs, what its
/// `GITHUB_TOKEN` may do, which secrets each job reads, whether a job checks out a pull
/// request's head, and how it signs in to clouds.
///
/// Read from the node tree, as GitHub's workflow syntax documents it; anything not understood
/// is left out rather than guessed.
struct GitHubWorkflow: Sendable {
    /// One event the workflow runs on, with the branch and tag filters `push` and pull request events take.
    struct Trigger: Sendable, Hashable {
        var event: String
        var branches: [String]?
        var tags: [String]?
        /// `branches-ignore` / `tags-ignore`: some refs are excluded, which ones does not narrow the subjects.
        var ignoresSome = false
    }

    /// `permissions:` as written: `read-all`, `write-all`, `{}` or a map of scopes.
    enum Permissions: Sendable, Hashable {
        case all(String)
        case scopes([String: String])

        var json: Any {
            switch self {
            case .all(let word): word
            case .scopes(let map): map
            }
        }

        /// Whether the token may mint OIDC tokens.
        var idTokenWrite: Bool {
            switch self {
            case .all(let word): word == "write-all"
            case .scopes(let map): map["id-token"] == "write"
            }
        }

        /// The scopes granted write.
        var writeScopes: [String] {
            switch self {
            case .all(let word): word == "write-all" ? ["every scope"] : []
            case .scopes(let map): map.filter { $0.value == "write" }.map(\.key).sorted()
            }
        }
    }

    /// A step that signs in to a cloud.
    struct CloudLogin: Sendable, Hashable {
        enum Method: String, Sendable { case oidc, staticKey = "static-key", unknown }
        var cloud: String
        /// The action (`aws-actions/configure-aws-credentials@v4`), or `env` for keys passed in environment variables.
        var action: String
        var step: String
        var method: Method
        /// What it signs in as, by input name (`role-to-assume`, `service_account`…), literal or as written.
        var inputs: [String: String]
        /// The secrets that hold a static key.
        var keySecrets: [String]
        var audience: String?
        var line: Int?
    }

    struct Job: Sendable {
        var id: String
        var name: String?
        var permissions: Permissions?
        var environment: String?
        /// Secrets the job reads (`${{ secrets.NAME }}` anywhere in it, and in the workflow's `env`), without `GITHUB_TOKEN`.
        var secrets: Set<String> = []
        /// `toJSON(secrets)`, `secrets[...]` or `secrets: inherit`: every secret the workflow can read.
        var readsAllSecrets = false
        /// The `ref:` (or command) of a step that checks out the pull request's head, and its step.
        var headCheckout: (ref: String, step: String)?
        /// Steps after that checkout: code from the pull request runs there.
        var stepsAfterHeadCheckout = 0
        /// How the job keeps forks out: `same-repository` (an `if:` on the head repository) or `label`.
        var forkGuard: String?
        var cloudLogins: [CloudLogin] = []
        /// A reusable workflow the job calls.
        var calls: String?
        var line: Int?
    }

    var file: String
    var name: String?
    var triggers: [Trigger]
    var permissions: Permissions?
    var jobs: [Job]

    var triggerNames: [String] { triggers.map(\.event) }
}

extension GitHubWorkflow {
    /// Reads a workflow from its parsed top-level mapping.
    /// - Throws: ``ConnectorError`` naming the place when a key holds the wrong kind of value.
    init(root: Node.Mapping, file: String, path: String) throws {
        self.file = file
        var walk = NodeWalk(file: path)
        name = root.value("name")?.text
        guard let on = root.value("on") ?? root.value("true") else {
            throw ConnectorError(.wrongShape, "missing \"on\": a workflow says which events run it", file: path)
        }
        triggers = try Self.triggers(on, path: path)
        permissions = try root.value("permissions").map { try Self.permissions($0, path: path) } ?? nil
        var workflowSecrets = SecretUse()
        if let env = root.value("env") { try walk.scalars(env) { workflowSecrets.scan($0) } }
        let workflowEnvLogins = try Self.envLogins(root.value("env"), step: "workflow env", path: path)
        guard let jobsNode = root.value("jobs") else {
            throw ConnectorError(.wrongShape, "missing \"jobs\": a workflow runs at least one job", file: path)
        }
        guard case .mapping(let jobsMap) = jobsNode else {
            throw ConnectorError(.wrongShape, "expected \"jobs\" to be a mapping of job ids to jobs, found \(CIYAML.describe(jobsNode))",
                                 file: path, location: CIYAML.location(jobsNode))
        }
        var jobs: [Job] = []
        for (id, node) in jobsMap.entries {
            guard case .mapping(let map) = node else {
                throw ConnectorError(.wrongShape, "expected job \"\(id.prefix(80))\" to be a mapping, found \(CIYAML.describe(node))",
                                     file: path, location: CIYAML.location(node))
            }
            var job = Job(id: try id.kept("a job id", file: path, at: node), line: node.mark?.line)
            job.name = map.value("name")?.text
            job.permissions = try map.value("permissions").map { try Self.permissions($0, path: path) } ?? nil
            if let environment = map.value("environment") {
                job.environment = try (environment.text ?? environment.mapping?.value("name")?.text)?.kept("an environment name", file: path, at: environment)
            }
            var use = workflowSecrets
            try walk.scalars(node) { use.scan($0) }
            job.secrets = use.names
            job.readsAllSecrets = use.all || map.value("secrets")?.text == "inherit"
            job.calls = map.value("uses")?.text
            if let condition = map.value("if")?.text { job.forkGuard = Self.forkGuard(condition) }
            job.cloudLogins = workflowEnvLogins + (try Self.envLogins(map.value("env"), step: "job env", path: path))
            if let steps = map.value("steps") {
                guard case .sequence(let items) = steps else {
                    throw ConnectorError(.wrongShape, "expected \"steps\" of job \"\(id.prefix(80))\" to be a list, found \(CIYAML.describe(steps))",
                                         file: path, location: CIYAML.location(steps))
                }
                for (index, item) in items.enumerated() {
                    guard case .mapping(let step) = item else { continue }
                    let label = step.value("name")?.text ?? step.value("id")?.text ?? step.value("uses")?.text ?? "step \(index + 1)"
                    if job.headCheckout != nil {
                        job.stepsAfterHeadCheckout += 1
                    } else if let ref = Self.headCheckout(step) {
                        job.headCheckout = (try ref.kept("a checkout ref", file: path, at: item), label)
                        if job.forkGuard == nil, let condition = step.value("if")?.text { job.forkGuard = Self.forkGuard(condition) }
                    }
                    if let login = try Self.cloudLogin(step, label: label, path: path, at: item) { job.cloudLogins.append(login) }
                    job.cloudLogins += try Self.envLogins(step.value("env"), step: label, path: path)
                }
            }
            jobs.append(job)
        }
        self.jobs = jobs
    }

    static func triggers(_ node: Node, path: String) throws -> [Trigger] {
        switch node {
        case .scalar(let scalar): return [Trigger(event: scalar.string)]
        case .sequence(let items): return items.compactMap(\.text).map { Trigger(event: $0) }
        case .mapping(let map):
            return map.entries.map { event, filters in
                var trigger = Trigger(event: event)
                if case .mapping(let f) = filters {
                    trigger.branches = f.value("branches")?.texts
                    trigger.tags = f.value("tags")?.texts
                    trigger.ignoresSome = f.value("branches-ignore") != nil || f.value("tags-ignore") != nil
                }
                return trigger
            }
        case .alias: return []
        }
    }

    static func permissions(_ node: Node, path: String) throws -> Permissions? {
        switch node {
        case .scalar(let scalar):
            if node.isNull { return nil }
            guard ["read-all", "write-all"].contains(scalar.string) else {
                throw ConnectorError(.wrongShape, "expected permissions read-all, write-all or a mapping of scopes, found \"\(scalar.string.prefix(40))\"",
                                     file: path, location: CIYAML.location(node))
            }
            return .all(scalar.string)
        case .mapping(let map):
            var scopes: [String: String] = [:]
            for (scope, level) in map.entries {
                guard let text = level.text, ["read", "write", "none"].contains(text) else {
                    throw ConnectorError(.wrongShape, "expected permission \"\(scope.prefix(40))\" to be read, write or none",
                                         file: path, location: CIYAML.location(level))
                }
                scopes[try scope.kept("a permission scope", file: path, at: level)] = text
            }
            return .scopes(scopes)
        default:
            throw ConnectorError(.wrongShape, "expected permissions read-all, write-all or a mapping of scopes, found \(CIYAML.describe(node))",
                                 file: path, location: CIYAML.location(node))
        }
    }

    /// Expressions that name a pull request's (or a triggering run's) head: checking one out runs the contributor's code.
    static let headRefs = [
        "github.event.pull_request.head.sha", "github.event.pull_request.head.ref", "github.head_ref",
        "github.event.pull_request.merge_commit_sha", "github.event.workflow_run.head_sha", "github.event.workflow_run.head_branch",
        "github.event.pull_request.head.repo.full_name", "refs/pull/",
    ]

    /// The ref of an `actions/checkout` step (or the command of a `gh pr checkout`) that fetches the head, or nil.
    static func headCheckout(_ step: Node.Mapping) -> String? {
        if let uses = step.value("uses")?.text, uses.lowercased().hasPrefix("actions/checkout@"), case .mapping(let with)? = step.value("with") {
            for input in ["ref", "repository"] {
                if let value = with.value(input)?.text, headRefs.contains(where: value.contains) { return value }
            }
        }
        if let run = step.value("run")?.text, let range = run.range(of: "gh pr checkout") {
            return String(run[range.lowerBound...].prefix { $0 != "\n" })
        }
        return nil
    }

    /// What a job's or step's `if:` does to keep forks out.
    static func forkGuard(_ condition: String) -> String? {
        let compact = condition.replacingOccurrences(of: " ", with: "")
        if compact.contains("github.event.pull_request.head.repo.full_name==github.repository")
            || compact.contains("github.repository==github.event.pull_request.head.repo.full_name")
            || compact.contains("github.event.pull_request.head.repo.fork==false") || compact.contains("!github.event.pull_request.head.repo.fork") {
            return "same-repository"
        }
        if compact.contains("github.event.pull_request.labels") || compact.contains("github.event.label.name") { return "label" }
        return nil
    }

    /// The secrets named in `${{ }}` expressions in a text.
    static func secrets(in text: String) -> [String] {
        var use = SecretUse()
        use.scan(text)
        return use.names.sorted()
    }

    /// A cloud sign-in step, when the step is one.
    static func cloudLogin(_ step: Node.Mapping, label: String, path: String, at node: Node) throws -> CloudLogin? {
        guard let uses = step.value("uses")?.text else { return nil }
        let action = uses.lowercased()
        var inputs: [String: String] = [:]
        if case .mapping(let with)? = step.value("with") {
            for (key, value) in with.entries {
                if let text = value.text { inputs[key] = try text.kept("input \(key.prefix(40))", file: path, at: value) }
            }
        }
        func secretsOf(_ keys: [String]) -> [String] { keys.compactMap { inputs[$0] }.flatMap(secrets(in:)) }
        let line = node.mark?.line
        if action.hasPrefix("aws-actions/configure-aws-credentials@") {
            let staticKeys = inputs["aws-access-key-id"] != nil
            let kept = inputs.filter { ["role-to-assume", "aws-region", "role-session-name"].contains($0.key) }
            return CloudLogin(
                cloud: "aws", action: uses, step: label,
                method: staticKeys ? .staticKey : (inputs["role-to-assume"] != nil && inputs["web-identity-token-file"] == nil ? .oidc : .unknown),
                inputs: kept, keySecrets: secretsOf(["aws-access-key-id", "aws-secret-access-key"]),
                audience: inputs["audience"] ?? "sts.amazonaws.com", line: line)
        }
        if action.hasPrefix("google-github-actions/auth@") {
            let staticKey = inputs["credentials_json"] != nil
            let kept = inputs.filter { ["workload_identity_provider", "service_account", "project_id"].contains($0.key) }
            let provider = inputs["workload_identity_provider"]
            return CloudLogin(
                cloud: "gcp", action: uses, step: label, method: staticKey ? .staticKey : (provider != nil ? .oidc : .unknown),
                inputs: kept, keySecrets: secretsOf(["credentials_json"]),
                audience: inputs["audience"] ?? provider.map { "https://iam.googleapis.com/" + $0 }, line: line)
        }
        if action.hasPrefix("azure/login@") {
            let staticSecret = inputs["creds"] != nil
            let kept = inputs.filter { ["client-id", "tenant-id", "subscription-id"].contains($0.key) }
            return CloudLogin(
                cloud: "azure", action: uses, step: label, method: staticSecret ? .staticKey : (inputs["client-id"] != nil ? .oidc : .unknown),
                inputs: kept, keySecrets: secretsOf(["creds"]), audience: inputs["audience"] ?? "api://AzureADTokenExchange", line: line)
        }
        return nil
    }

    /// Environment variables that the clouds' CLIs and SDKs read a static key from, by cloud.
    static let keyVariables: [String: String] = [
        "AWS_ACCESS_KEY_ID": "aws", "AWS_SECRET_ACCESS_KEY": "aws",
        "GOOGLE_CREDENTIALS": "gcp", "GOOGLE_APPLICATION_CREDENTIALS": "gcp", "GCP_SA_KEY": "gcp", "GOOGLE_CLOUD_KEYFILE_JSON": "gcp",
        "ARM_CLIENT_SECRET": "azure", "AZURE_CLIENT_SECRET": "azure", "AZURE_CREDENTIALS": "azure",
    ]

    /// Static keys passed to a step, job or workflow in environment variables from secrets.
    static func envLogins(_ env: Node?, step: String, path: String) throws -> [CloudLogin] {
        guard case .mapping(let map)? = env else { return [] }
        var byCloud: [String: [String]] = [:]
        for (key, value) in map.entries {
            guard let cloud = keyVariables[key.uppercased()], let text = value.text else { continue }
            let names = secrets(in: text)
            if !names.isEmpty { byCloud[cloud, default: []] += names }
        }
        return byCloud.keys.sorted().map { cloud in
            CloudLogin(cloud: cloud, action: "env", step: step, method: .staticKey, inputs: [:], keySecrets: byCloud[cloud]!.sorted(),
                       audience: nil, line: env?.mark?.line)
        }
    }
}

/// Secret references in expressions: `${{ secrets.NAME }}`, `secrets['NAME']`, and `toJSON(secrets)` for all of them.
///
/// One forward pass over the bytes; only text between `${{` and `}}` counts (GitHub does not
/// allow secrets in `if:` conditions, the one place expressions go without `${{`).
struct SecretUse {
    var names: Set<String> = []
    var all = false

    mutating func scan(_ text: String) {
        var copy = text
        copy.withUTF8 { scan(bytes: $0) }
    }

    private mutating func scan(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        let word: [UInt8] = Array("secrets".utf8)
        var inside = false
        var i = 0
        func at(_ k: Int) -> UInt8 { k < n ? bytes[k] : 0 }
        while i < n {
            let b = bytes[i]
            if !inside {
                if b == UInt8(ascii: "$") && at(i + 1) == UInt8(ascii: "{") && at(i + 2) == UInt8(ascii: "{") {
                    inside = true
                    i += 3
                } else {
                    i += 1
                }
                continue
            }
            if b == UInt8(ascii: "}") && at(i + 1) == UInt8(ascii: "}") {
                inside = false
                i += 2
                continue
            }
            guard b == word[0], i + word.count <= n, (1..<word.count).allSatisfy({ bytes[i + $0] == word[$0] }),
                i == 0 || !(Self.isNameByte(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "."))
            else {
                i += 1
                continue
            }
            var j = i + word.count
            if at(j) == UInt8(ascii: ".") {
                j += 1
                let start = j
                while j < n && Self.isNameByte(bytes[j]) { j += 1 }
                if j > start { add(bytes, start, j) }
            } else if at(j) == UInt8(ascii: "[") {
                var k = j + 1
                while at(k) == 0x20 { k += 1 }
                let quote = at(k)
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") {
                    let start = k + 1
                    var end = start
                    while end < n && bytes[end] != quote && bytes[end] != 0x0A { end += 1 }
                    if end < n && bytes[end] == quote && end > start { add(bytes, start, end) } else { all = true }
                    j = end
                } else {
                    all = true
                }
            } else if !Self.isNameByte(at(j)) {
                all = true  // toJSON(secrets): every secret at once
            }
            i = max(j, i + 1)
        }
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard end - start <= 256 else { return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).uppercased()
        if name != "GITHUB_TOKEN" { names.insert(name) }
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
}
