public import Foundation
public import RosterModel

/// Reads GitHub repository checkouts (Actions workflows, CODEOWNERS) and GitHub REST API responses
/// (actions secrets lists, deploy keys, App installations) into one estate per repository
/// (`github:<owner>/<repo>`) and per organisation (`github:<org>`).
///
/// Which repository a checkout holds comes from its `.git/config` origin remote, else a
/// `.roster-repo` file, else its folder name (with a warning); see ``CheckoutRepository``. An
/// API response that does not name its repository (a secrets list) belongs to the checkout, or
/// the `.roster-repo` directory, it lies in.
///
/// For example:
/// ```swift
/// let connector = GitHubConnector()
/// let result = try connector.read(try connector.discover(["examples/estate/github"]).files)
/// ```
public struct GitHubConnector: Connector {
    /// A file to read, what it holds, and the checkout (or `.roster-repo` directory) it belongs to.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        var kind: GitHubFileKind
        /// The checkout root, standardized; nil when nothing encloses the file.
        var root: String?
    }

    public var provider: Provider { .github }
    /// The time to measure ages against when the data carries no dates.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Expands directories (workflows under `.github/workflows/`, and `.json` files) and recognises each file by content.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        var result = Discovery<InputFile>()
        for path in paths {
            let found = try Discovery.search(
                [path], candidate: { Self.isWorkflowPath($0) || $0.hasSuffix(".json") }, named: { try Self.recogniseNamed($0) },
                found: { try Self.recogniseFound($0, boundary: path) })
            result.files += found.files
            result.skips += found.skips
        }
        return result
    }

    /// A digest of the files, the files that say which repository they belong to, the CODEOWNERS
    /// files, and what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try CIFile.read(input.path)
            parts.append("\(input.kind.rawValue):\(input.root ?? ""):\(ContentDigest.sha256(file.data))")
            newest = [newest, Self.modified(input.path)].compactMap { $0 }.max()
        }
        for root in Set(files.compactMap(\.root)).sorted() {
            for extra in CheckoutRepository.evidenceFiles(root: root) + [GitHubCodeowners.locate(root: root)].compactMap({ $0 }) {
                if let data = FileManager.default.contents(atPath: extra) { parts.append("\(extra):\(ContentDigest.sha256(data))") }
            }
        }
        parts.sort()
        parts.append(asOf.map { "as-of:\($0.timeIntervalSinceReferenceDate)" } ?? "observed:\(newest?.utcDay ?? Date().utcDay)")
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps them, together, to one estate per repository and organisation.
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var sources = GitHubSources()
        var warnings: [String] = []
        var checkouts: [String: CheckoutRepository] = [:]
        func checkout(_ root: String) -> CheckoutRepository {
            if let known = checkouts[root] { return known }
            let (repository, warning) = CheckoutRepository.resolve(root: root)
            if let warning { warnings.append(warning) }
            checkouts[root] = repository
            return repository
        }
        func repository(_ root: String, _ path: String) -> String {
            let repo = checkout(root)
            if sources.repositories[repo.path] == nil {
                let codeowners = GitHubCodeowners.locate(root: root).flatMap { file in
                    (try? CIFile.read(file)).map { GitHubCodeowners(text: String(decoding: $0.data, as: UTF8.self), path: Self.relative(file, to: root)) }
                }
                sources.repositories[repo.path] = GitHubSources.Repository(checkout: repo, codeowners: codeowners)
            }
            sources.repositories[repo.path]!.files.append(path)
            return repo.path
        }
        func organisation(_ root: String?, _ path: String, named: String?) throws -> String {
            if let named { return named }
            if let root { return String(checkout(root).path.split(separator: "/").first ?? "") }
            throw ConnectorError(
                .inconsistent, "nothing says which organisation this list belongs to; put it in a directory with a .roster-repo file naming the organisation",
                file: path)
        }

        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try CIFile.read(input.path)
            sources.modified[input.path] = Self.modified(input.path)
            switch input.kind {
            case .workflow:
                let root = input.root ?? (input.path as NSString).deletingLastPathComponent
                let map = try CIYAML.parse(file, expecting: "a GitHub Actions workflow")
                let workflow = try GitHubWorkflow(root: map, file: Self.relative(input.path, to: root), path: input.path)
                let slug = repository(root, input.path)
                sources.repositories[slug]!.workflows.append((input.path, workflow))
            case .secrets:
                let list = try file.decodeJSON(GitHubSecretList.self, expecting: "an actions secrets list", limits: .githubAPI)
                if list.isOrganisation {
                    let org = try organisation(input.root, input.path, named: list.organisation)
                    sources.organisations[org, default: .init()].secrets += list.secrets
                    sources.organisations[org]!.files.append(input.path)
                } else {
                    guard let root = input.root else { throw Self.noRepository(input.path) }
                    let slug = repository(root, input.path)
                    sources.repositories[slug]!.secrets += list.secrets
                }
            case .deployKeys:
                let keys = try file.decodeJSON([GitHubDeployKey].self, expecting: "a deploy keys list", limits: .githubAPI)
                var byRepository: [String: [GitHubDeployKey]] = [:]
                for key in keys {
                    if let named = key.repository {
                        byRepository[named, default: []].append(key)
                    } else {
                        guard let root = input.root else { throw Self.noRepository(input.path) }
                        byRepository[checkout(root).path, default: []].append(key)
                    }
                }
                for (slug, keys) in byRepository {
                    if sources.repositories[slug] == nil {
                        sources.repositories[slug] = GitHubSources.Repository(
                            checkout: CheckoutRepository(path: slug, host: nil, source: "the deploy keys' url", defaultBranch: nil, ownerKnown: true))
                    }
                    sources.repositories[slug]!.deployKeys.append((input.path, keys))
                    sources.repositories[slug]!.files.append(input.path)
                }
            case .installations:
                let list = try file.decodeJSON(GitHubInstallationList.self, expecting: "an App installations list", limits: .githubAPI)
                for installation in list.installations {
                    let org = try organisation(input.root, input.path, named: installation.account?.login)
                    sources.organisations[org, default: .init()].installations.append(installation)
                    sources.organisations[org]!.files.append(input.path)
                }
            }
        }
        progress?("mapping", files.count, files.count)
        var mapper = GitHubMapper(sources: sources, asOf: asOf)
        let estates = try mapper.map()
        return ConnectorResult(estates: estates, warnings: warnings + mapper.warnings)
    }

    // MARK: Recognising files

    /// `.github/workflows/<file>.yml` (or `.yaml`), at any depth of the searched directory.
    static func isWorkflowPath(_ relative: String) -> Bool {
        guard relative.hasSuffix(".yml") || relative.hasSuffix(".yaml") else { return false }
        let parts = relative.split(separator: "/")
        return parts.count >= 3 && parts[parts.count - 3] == ".github" && parts[parts.count - 2] == "workflows"
    }

    /// The checkout root of a workflow path (`…/repo/.github/workflows/x.yml` → `…/repo`).
    static func workflowRoot(_ path: String) -> String? {
        if path.hasPrefix(".github/workflows/") { return "." }
        guard let range = path.range(of: "/.github/workflows/", options: .backwards) else { return nil }
        let root = String(path[..<range.lowerBound])
        return root.isEmpty ? "/" : root
    }

    private static func recogniseFound(_ path: String, boundary: String) throws -> FileVerdict<InputFile> {
        let file: SourceFile
        do {
            file = try CIFile.read(path)
        } catch let error as ConnectorError where error.code == .malformed {
            return .skip("not text Roster can read (\(error.message))")
        }
        if path.hasSuffix(".json") {
            guard let kind = GitHubFileKind.recogniseJSON(file.data) else { return .skip("not a GitHub export Roster reads") }
            let root = CheckoutRepository.enclosingRoot(of: (path as NSString).deletingLastPathComponent, boundary: boundary)
            if kind == .secrets, root == nil, (try? file.decodeJSON(GitHubSecretList.self, expecting: "", limits: .githubAPI))?.organisation == nil {
                return .skip("a GitHub secrets list, but nothing says which repository or organisation it belongs to; "
                    + "put it in the repository's checkout or in a directory with a .roster-repo file naming it")
            }
            return .file(InputFile(path: path, kind: kind, root: root))
        }
        guard Self.definesJobs(file.data) else { return .skip("a YAML file in .github/workflows that defines no jobs, so not a workflow") }
        return .file(InputFile(path: path, kind: .workflow, root: workflowRoot(path)))
    }

    private static func recogniseNamed(_ path: String) throws -> InputFile {
        let file = try CIFile.read(path)
        let directory = (path as NSString).deletingLastPathComponent
        if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
            guard (path as NSString).lastPathComponent != ".gitlab-ci.yml", definesJobs(file.data) else {
                throw ConnectorError(.unrecognised, "not a GitHub Actions workflow (it has no top-level jobs:); expected \(GitHubFileKind.readsList)", file: path)
            }
            let map = try CIYAML.parse(file, expecting: "a GitHub Actions workflow")
            guard map.value("on") != nil || map.value("true") != nil, map.value("jobs") != nil else {
                throw ConnectorError(.unrecognised, "not a GitHub Actions workflow (no on: and jobs:); expected \(GitHubFileKind.readsList)", file: path)
            }
            return InputFile(path: path, kind: .workflow, root: workflowRoot(path) ?? (directory.isEmpty ? "." : directory))
        }
        guard let kind = GitHubFileKind.recogniseJSON(file.data) else {
            if file.data.isEmpty { throw ConnectorError(.malformed, "the file is empty; expected \(GitHubFileKind.readsList)", file: path, location: "line 1, column 1") }
            if file.startsLikeJSON, let problem = JSONSyntax.firstError(in: file.data) { throw file.error(for: problem) }
            throw ConnectorError(.unrecognised, "not a GitHub export Roster reads; expected \(GitHubFileKind.readsList)", file: path)
        }
        let root = CheckoutRepository.enclosingRoot(of: directory.isEmpty ? "." : directory, boundary: directory.isEmpty ? "." : directory)
        return InputFile(path: path, kind: kind, root: root)
    }

    /// Whether YAML text has a top-level `jobs` key (block style, or a flow mapping naming it).
    static func definesJobs(_ data: Data) -> Bool {
        let jobs = Array("jobs".utf8)
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var lineStart = true
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if lineStart && i + 4 < bytes.count && bytes[i] == jobs[0] && bytes[i + 1] == jobs[1] && bytes[i + 2] == jobs[2] && bytes[i + 3] == jobs[3] {
                    var k = i + 4
                    while k < bytes.count && bytes[k] == 0x20 { k += 1 }
                    if k < bytes.count && bytes[k] == UInt8(ascii: ":") { return true }
                }
                if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && i + 5 < bytes.count && bytes[i + 1] == jobs[0] && bytes[i + 2] == jobs[1]
                    && bytes[i + 3] == jobs[2] && bytes[i + 4] == jobs[3] && bytes[i + 5] == b {
                    return true
                }
                lineStart = b == 0x0A
                i += 1
            }
            return false
        }
    }

    static func noRepository(_ path: String) -> ConnectorError {
        ConnectorError(
            .inconsistent, "nothing says which repository this list belongs to; put it in the repository's checkout or in a directory with a .roster-repo file naming it",
            file: path)
    }

    static func standardize(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// `path` relative to `root`, both standardized (`.github/workflows/deploy.yml`).
    static func relative(_ path: String, to root: String) -> String {
        let full = standardize(path)
        let base = standardize(root)
        return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : (full as NSString).lastPathComponent
    }

    static func modified(_ path: String) -> Date? {
        try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }
}

extension JSONSyntax.Limits {
    /// GitHub and GitLab API responses: names, keys and dates up to 64 KiB; a CI/CD variable's
    /// `value` (a file variable can hold a whole kubeconfig) up to 1 MiB.
    static let ciAPI = Self(
        string: 64 << 10, stringWhat: "a single field such as a name, a key or a date",
        members: ["value": Member(bytes: 1 << 20, what: "a variable's value")])
    static let githubAPI = ciAPI
}

extension GitHubConnector {
    /// The GitHub entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .github, title: "GitHub", reads: GitHubFileKind.readsList) { paths, options in
        let connector = GitHubConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
