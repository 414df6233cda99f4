import Foundation

/// A CODEOWNERS file, read as GitHub documents it: the first of `.github/CODEOWNERS`,
/// `CODEOWNERS` and `docs/CODEOWNERS` is used; each line is a pattern and owners; the *last*
/// matching line decides, and a line with no owners leaves matching files without one.
///
/// Patterns follow gitignore rules, with GitHub's exceptions: no `!` negation and no `[ ]`
/// ranges (such lines are ignored, as GitHub ignores them), `\#` escapes a leading `#`. A pattern
/// with a slash at its start or in its middle is relative to the repository root, otherwise it
/// matches at any depth; a trailing slash matches a directory and everything under it;
/// `docs/*` matches files directly in `docs` only; `**` matches any number of directories.
///
/// For example:
/// ```swift
/// let owners = GitHubCodeowners(text: "* @acme/devs\n/.github/ @acme/platform\n")
/// owners.owners(of: ".github/workflows/deploy.yml")   // ["@acme/platform"]
/// ```
struct GitHubCodeowners: Sendable {
    struct Rule: Sendable {
        var segments: [String]
        var anchored: Bool
        var directoryOnly: Bool
        var owners: [String]
        var line: Int
    }

    var rules: [Rule] = []
    /// The file the rules came from, for reasons.
    var path: String = ""

    /// The CODEOWNERS file GitHub would use in a checkout, in GitHub's order.
    static func locate(root: String) -> String? {
        [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"].map { root + "/" + $0 }.first {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    init(text: String, path: String = "CODEOWNERS") {
        self.path = path
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = Substring(raw)
            // An unescaped # starts a comment; `\#` is a literal #.
            var cut = line.endIndex
            var previous: Character = " "
            for i in line.indices {
                if line[i] == "#" && previous != "\\" {
                    cut = i
                    break
                }
                previous = line[i]
            }
            line = line[..<cut]
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard var pattern = fields.first.map(String.init) else { continue }
            pattern = pattern.replacingOccurrences(of: "\\#", with: "#")
            if pattern.hasPrefix("!") || pattern.contains("[") { continue }
            let owners = fields.dropFirst().map(String.init).filter { $0.hasPrefix("@") || $0.contains("@") }
            var directoryOnly = false
            while pattern.hasSuffix("/") && pattern.count > 1 {
                pattern.removeLast()
                directoryOnly = true
            }
            let anchored = pattern.hasPrefix("/") || pattern.dropLast().contains("/")
            while pattern.hasPrefix("/") { pattern.removeFirst() }
            var segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if segments.isEmpty { segments = ["**"] }
            rules.append(Rule(segments: segments, anchored: anchored, directoryOnly: directoryOnly, owners: owners, line: index + 1))
        }
    }

    /// The owners of a file (a path relative to the root, such as `.github/workflows/deploy.yml`) and the deciding line.
    func owners(of file: String) -> (owners: [String], line: Int)? {
        let parts = file.split(separator: "/").map(String.init)
        for rule in rules.reversed() where rule.matches(parts) {
            return (rule.owners, rule.line)
        }
        return nil
    }
}

extension GitHubCodeowners.Rule {
    func matches(_ path: [String]) -> Bool {
        let pattern = anchored ? segments : ["**"] + segments
        // The file itself (unless the pattern names directories only)...
        if !directoryOnly && Self.glob(pattern[...], path[...]) { return true }
        // ...or a directory it lies in; `dir/*` names the files in dir, not the directories under it.
        guard segments.last != "*" || directoryOnly else { return false }
        for end in stride(from: path.count - 1, through: 1, by: -1) where Self.glob(pattern[...], path[..<end]) {
            return true
        }
        return false
    }

    /// Segment-wise matching with `**` for any number of segments.
    static func glob(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            if rest.isEmpty { return true }
            var tail = path
            while true {
                if glob(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, segmentMatches(Array(first.utf8)[...], Array(segment.utf8)[...]) else { return false }
        return glob(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` and `?` within one path segment.
    static func segmentMatches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        var star: Int?
        var resume = t
        while t < text.endIndex {
            if p < pattern.endIndex && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") {
                star = p
                p += 1
                resume = t
            } else if let s = star {
                p = s + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}
