import Foundation

/// Which repository a checkout directory holds, for the GitHub and GitLab connectors.
///
/// In order:
/// 1. the `origin` remote (else the only remote) in the checkout's `.git/config`, as `git clone` writes it;
/// 2. a `.roster-repo` file at the checkout's root, one line: a clone URL (`git@github.com:acme/api.git`)
///    or the path alone (`acme/api`; for an organisation's API exports, `acme`). It is for copies
///    without `.git`, such as an example estate kept in another repository, where git cannot keep a `.git`;
/// 3. the directory's name, with a warning: the owner is then unknown, so OIDC subjects are not stated.
struct CheckoutRepository: Sendable, Hashable {
    /// `acme/deploy-infra` (GitLab: `group/subgroup/project`), or the folder name alone when nothing says more.
    var path: String
    /// `github.com`, `gitlab.example.com`, when a URL said so.
    var host: String?
    /// How the path was found, for reasons and warnings: "the origin remote in .git/config".
    var source: String
    /// The branch `origin/HEAD` points at, when the clone recorded it.
    var defaultBranch: String?
    /// False when only the folder name is known.
    var ownerKnown: Bool

    /// The files whose bytes decide the answer, for input digests.
    static func evidenceFiles(root: String) -> [String] {
        [gitDirectory(root).map { $0 + "/config" }, gitDirectory(root).map { $0 + "/refs/remotes/origin/HEAD" }, root + "/.roster-repo"]
            .compactMap { $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Reads what `root` says about its repository.
    /// - Parameter minimumDepth: 2 for GitHub (`owner/repo`); 1 allows an organisation alone.
    static func resolve(root: String, minimumDepth: Int = 2) -> (repository: CheckoutRepository, warning: String?) {
        let gitDir = gitDirectory(root)
        let defaultBranch = gitDir.flatMap { originHead(in: $0) }
        if let gitDir, let config = try? String(contentsOfFile: gitDir + "/config", encoding: .utf8),
            let url = remoteURL(inGitConfig: config), let parsed = parse(url: url), parsed.path.split(separator: "/").count >= minimumDepth {
            return (CheckoutRepository(path: parsed.path, host: parsed.host, source: "the origin remote in .git/config",
                                       defaultBranch: defaultBranch, ownerKnown: true), nil)
        }
        if let hint = try? String(contentsOfFile: root + "/.roster-repo", encoding: .utf8) {
            let line = hint.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if let parsed = parse(url: line), parsed.path.split(separator: "/").count >= 1 {
                return (CheckoutRepository(path: parsed.path, host: parsed.host, source: "\(root)/.roster-repo",
                                           defaultBranch: defaultBranch, ownerKnown: parsed.path.contains("/") || minimumDepth == 1), nil)
            }
            return (folderName(root, defaultBranch),
                    "\(root)/.roster-repo: expected one line naming the repository (acme/api or a clone URL), found \"\(line.prefix(80))\"; using the folder name")
        }
        let repository = folderName(root, defaultBranch)
        return (repository,
                "\(root): no .git/config with an origin remote and no .roster-repo file, so the repository is taken to be \"\(repository.path)\" "
                    + "with no known owner; OIDC subjects are left out of its claims. Import a clone, or write `owner/repo` in \(root)/.roster-repo")
    }

    private static func folderName(_ root: String, _ defaultBranch: String?) -> CheckoutRepository {
        let name = (URL(fileURLWithPath: root).standardizedFileURL.path as NSString).lastPathComponent
        return CheckoutRepository(path: name.isEmpty ? "repository" : name, host: nil, source: "the folder name", defaultBranch: defaultBranch, ownerKnown: false)
    }

    /// `.git` as a directory, or the directory a `.git` file (`gitdir: …`, worktrees and submodules) points at,
    /// following `commondir` to where the config is kept.
    static func gitDirectory(_ root: String) -> String? {
        let dotGit = root + "/.git"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") else { return nil }
        var dir = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
        if !dir.hasPrefix("/") { dir = root + "/" + dir }
        if let common = try? String(contentsOfFile: dir + "/commondir", encoding: .utf8) {
            let c = common.trimmingCharacters(in: .whitespacesAndNewlines)
            dir = c.hasPrefix("/") ? c : dir + "/" + c
        }
        return dir
    }

    /// The URL of `[remote "origin"]`, else of the only remote, in a git config file.
    static func remoteURL(inGitConfig text: String) -> String? {
        var section = ""
        var urls: [(remote: String, url: String)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                section = line
                continue
            }
            guard section.hasPrefix("[remote "), let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            guard key == "url" else { continue }
            let remote = section.dropFirst("[remote ".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"] "))
            urls.append((remote, line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)))
        }
        return urls.first { $0.remote == "origin" }?.url ?? (urls.count == 1 ? urls[0].url : nil)
    }

    /// Host and path of a clone URL (`git@host:a/b.git`, `https://host/a/b`, `ssh://git@host:22/a/b.git`) or a bare path (`a/b`).
    static func parse(url raw: String) -> (host: String?, path: String)? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.contains(" ") else { return nil }
        var host: String?
        if let scheme = text.range(of: "://") {
            text = String(text[scheme.upperBound...])
            guard let slash = text.firstIndex(of: "/") else { return nil }
            var authority = String(text[..<slash])
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            if let colon = authority.firstIndex(of: ":") { authority = String(authority[..<colon]) }
            host = authority.lowercased()
            text = String(text[text.index(after: slash)...])
        } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            var authority = String(text[..<colon])
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            host = authority.lowercased()
            text = String(text[text.index(after: colon)...])
        }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        while text.hasPrefix("/") { text.removeFirst() }
        let parts = text.split(separator: "/")
        guard !parts.isEmpty, parts.allSatisfy({ $0 != "." && $0 != ".." }), text.utf8.count <= 512 else { return nil }
        return (host, parts.joined(separator: "/"))
    }

    /// `main` from `.git/refs/remotes/origin/HEAD` (`ref: refs/remotes/origin/main`).
    private static func originHead(in gitDir: String) -> String? {
        guard let text = try? String(contentsOfFile: gitDir + "/refs/remotes/origin/HEAD", encoding: .utf8) else { return nil }
        let prefix = "ref: refs/remotes/origin/"
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix(prefix) else { return nil }
        let branch = String(line.dropFirst(prefix.count))
        return branch.isEmpty ? nil : branch
    }

    /// The nearest directory from `start` up to `boundary` (both inclusive, `start` inside `boundary`) that is a
    /// checkout or names one: it holds `.roster-repo`, `.git`, `.github/` or `.gitlab-ci.yml`. Never looks above
    /// `boundary`, so a directory imported from inside some other repository is not taken for that repository.
    static func enclosingRoot(of start: String, boundary: String) -> String? {
        var stop = boundary
        while stop.count > 1 && stop.hasSuffix("/") { stop.removeLast() }
        var dir = start
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        guard dir == stop || dir.hasPrefix(stop == "/" ? "/" : stop + "/") else {
            return isRoot(stop) ? stop : nil
        }
        while true {
            if isRoot(dir) { return dir }
            if dir == stop { return nil }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == dir { return nil }
            dir = parent
        }
    }

    private static func isRoot(_ dir: String) -> Bool {
        [".roster-repo", ".git", ".github", ".gitlab-ci.yml"].contains { FileManager.default.fileExists(atPath: (dir.isEmpty ? "." : dir) + "/" + $0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File reads for the CI connectors, which open thousands of small files.
enum CIFile {
    /// ``SourceFile/read(_:maxBytes:)`` without building the whole process environment per file
    /// (`ProcessInfo.environment` was a fifth of a large import): only when `ROSTER_MAX_FILE_BYTES`
    /// is set does SourceFile read and check it.
    static func read(_ path: String) throws -> SourceFile {
        guard getenv("ROSTER_MAX_FILE_BYTES") == nil else { return try SourceFile.read(path) }
        return try SourceFile.read(path, maxBytes: SourceFile.defaultMaxFileBytes)
    }
}
