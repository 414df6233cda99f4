public import Foundation
public import RosterModel
import Yams

/// Reads GitLab project checkouts (`.gitlab-ci.yml` with its local includes, CODEOWNERS) and CI/CD
/// variables API responses into one estate per project (`gitlab:<group>/<project>`).
///
/// The project's path comes from the checkout's `.git/config` origin remote, else a `.roster-repo`
/// file, else its folder name (see ``CheckoutRepository``); a variables list belongs to the
/// checkout, or `.roster-repo` directory, it lies in.
public struct GitLabConnector: Connector {
    public struct InputFile: Sendable, Hashable {
        public var path: String
        var kind: GitLabFileKind
        var root: String?
    }

    public var provider: Provider { .gitlab }
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Expands directories (`.gitlab-ci.yml` and `.json` files) and recognises each file by content.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        var result = Discovery<InputFile>()
        for path in paths {
            let found = try Discovery.search(
                [path], candidate: { $0 == ".gitlab-ci.yml" || $0.hasSuffix("/.gitlab-ci.yml") || $0.hasSuffix(".json") },
                named: { try Self.recogniseNamed($0) }, found: { try Self.recogniseFound($0, boundary: path) })
            result.files += found.files
            result.skips += found.skips
        }
        return result
    }

    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try CIFile.read(input.path)
            parts.append("\(input.kind.rawValue):\(input.root ?? ""):\(ContentDigest.sha256(file.data))")
            newest = [newest, GitHubConnector.modified(input.path)].compactMap { $0 }.max()
        }
        for root in Set(files.compactMap(\.root)).sorted() {
            var extra = CheckoutRepository.evidenceFiles(root: root) + [Self.codeowners(root: root)].compactMap { $0 }
            if let main = try? CIFile.read(root + "/.gitlab-ci.yml"), let map = try? CIYAML.parse(main, expecting: "") {
                extra += GitLabPipeline.includes(map).local.map { Self.includePath($0, root: root) }
            }
            for path in extra {
                if let data = FileManager.default.contents(atPath: path) { parts.append("\(path):\(ContentDigest.sha256(data))") }
            }
        }
        parts.sort()
        parts.append(asOf.map { "as-of:\($0.timeIntervalSinceReferenceDate)" } ?? "observed:\(newest?.utcDay ?? Date().utcDay)")
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var projects: [String: GitLabProject] = [:]
        var modified: [String: Date] = [:]
        var warnings: [String] = []
        var roots: [String: String] = [:]
        func project(_ root: String, _ path: String) -> String {
            if let known = roots[root] {
                projects[known]!.files.append(path)
                return known
            }
            let (checkout, warning) = CheckoutRepository.resolve(root: root)
            if let warning { warnings.append(warning) }
            roots[root] = checkout.path
            if projects[checkout.path] == nil {
                var entry = GitLabProject(checkout: checkout)
                if let file = Self.codeowners(root: root), let source = try? CIFile.read(file) {
                    let owners = GitHubCodeowners(text: String(decoding: source.data, as: UTF8.self), path: GitHubConnector.relative(file, to: root))
                    entry.owners = owners.owners(of: ".gitlab-ci.yml")
                    entry.codeownersPath = owners.path
                }
                projects[checkout.path] = entry
            }
            projects[checkout.path]!.files.append(path)
            return checkout.path
        }
        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try CIFile.read(input.path)
            modified[input.path] = GitHubConnector.modified(input.path)
            switch input.kind {
            case .pipeline:
                let root = input.root ?? (input.path as NSString).deletingLastPathComponent
                let main = try CIYAML.parse(file, expecting: "a GitLab CI/CD pipeline (.gitlab-ci.yml)")
                var documents: [(path: String, map: Node.Mapping)] = []
                let includes = GitLabPipeline.includes(main)
                for include in includes.local {
                    let path = Self.includePath(include, root: root)
                    if include.contains("*") {
                        warnings.append("\(input.path): include \(include.prefix(120)) uses a wildcard, which Roster does not expand; its jobs are not read")
                        continue
                    }
                    guard FileManager.default.fileExists(atPath: path) else {
                        warnings.append("\(input.path): included file \(include.prefix(120)) is not in the checkout; its jobs are not read")
                        continue
                    }
                    documents.append((path, try CIYAML.parse(try CIFile.read(path), expecting: "an included GitLab CI/CD file")))
                    modified[path] = GitHubConnector.modified(path)
                }
                documents.append((input.path, main))
                var pipeline = try GitLabPipeline(documents: documents)
                pipeline.notRead = includes.other
                let key = project(root, input.path)
                projects[key]!.pipeline = pipeline
                projects[key]!.pipelinePath = input.path
                projects[key]!.files += documents.map(\.path)
            case .variables:
                let list = try file.decodeJSON([GitLabVariable].self, expecting: "a CI/CD variables list", limits: .ciAPI)
                guard let root = input.root else {
                    throw ConnectorError(
                        .inconsistent, "nothing says which project this list belongs to; put it in the project's checkout or in a directory with a .roster-repo file naming it",
                        file: input.path)
                }
                let key = project(root, input.path)
                projects[key]!.variables += list
            }
        }
        progress?("mapping", files.count, files.count)
        var mapper = GitLabMapper(projects: projects, modified: modified, asOf: asOf)
        let estates = mapper.map()
        return ConnectorResult(estates: estates, warnings: warnings + mapper.warnings)
    }

    /// GitLab's CODEOWNERS locations, in GitLab's order: the root, `docs/`, `.gitlab/`.
    static func codeowners(root: String) -> String? {
        ["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"].map { root + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func includePath(_ include: String, root: String) -> String {
        root + "/" + (include.hasPrefix("/") ? String(include.dropFirst()) : include)
    }

    private static func recogniseFound(_ path: String, boundary: String) throws -> FileVerdict<InputFile> {
        let file: SourceFile
        do {
            file = try CIFile.read(path)
        } catch let error as ConnectorError where error.code == .malformed {
            return .skip("not text Roster can read (\(error.message))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if path.hasSuffix(".json") {
            guard GitLabFileKind.recogniseJSON(file.data) != nil else { return .skip("not a GitLab export Roster reads") }
            guard let root = CheckoutRepository.enclosingRoot(of: directory, boundary: boundary) else {
                return .skip("a GitLab CI/CD variables list, but nothing says which project it belongs to; "
                    + "put it in the project's checkout or in a directory with a .roster-repo file naming it")
            }
            return .file(InputFile(path: path, kind: .variables, root: root))
        }
        return .file(InputFile(path: path, kind: .pipeline, root: directory.isEmpty ? "." : directory))
    }

    private static func recogniseNamed(_ path: String) throws -> InputFile {
        let file = try CIFile.read(path)
        let directory = (path as NSString).deletingLastPathComponent
        let root = directory.isEmpty ? "." : directory
        if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
            guard (path as NSString).lastPathComponent == ".gitlab-ci.yml" else {
                throw ConnectorError(.unrecognised, "not a GitLab pipeline: Roster reads the project's .gitlab-ci.yml (its includes through it); expected \(GitLabFileKind.readsList)", file: path)
            }
            return InputFile(path: path, kind: .pipeline, root: root)
        }
        guard GitLabFileKind.recogniseJSON(file.data) != nil else {
            if file.data.isEmpty { throw ConnectorError(.malformed, "the file is empty; expected \(GitLabFileKind.readsList)", file: path, location: "line 1, column 1") }
            if file.startsLikeJSON, let problem = JSONSyntax.firstError(in: file.data) { throw file.error(for: problem) }
            throw ConnectorError(.unrecognised, "not a GitLab export Roster reads; expected \(GitLabFileKind.readsList)", file: path)
        }
        return InputFile(path: path, kind: .variables, root: CheckoutRepository.enclosingRoot(of: root, boundary: root))
    }
}

extension GitLabConnector {
    /// The GitLab entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .gitlab, title: "GitLab", reads: GitLabFileKind.readsList) { paths, options in
        let connector = GitLabConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
