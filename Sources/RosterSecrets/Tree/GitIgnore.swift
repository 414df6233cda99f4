/// The patterns of one `.gitignore` file, matched as git matches them.
///
/// The rules are those of gitignore(5) as git implements them: blank lines and lines starting
/// with `#` are skipped; trailing spaces are dropped unless escaped with `\`; `!` negates; a
/// trailing `/` matches directories only; a pattern with a `/` at its start or middle is
/// anchored to the directory holding the file, any other matches a name at any depth; `*`, `?`
/// and `[...]` never match `/`, while `**/`, `/**` and `/**/` span directories. When several
/// patterns match a path, the last one wins.
///
/// A `GitIgnore` knows nothing of parent directories or of other `.gitignore` files: that is
/// ``IgnoreStack``'s work.
///
/// For example:
/// ```swift
/// let ignore = GitIgnore("node_modules/\n*.log\n!keep.log\n", base: "")
/// ignore.decision(for: "web/node_modules", isDirectory: true)   // true
/// ignore.decision(for: "keep.log", isDirectory: false)          // false: re-included
/// ignore.decision(for: "main.swift", isDirectory: false)        // nil: no pattern matched
/// ```
public struct GitIgnore: Sendable, Equatable {
    /// The directory holding the file, relative to the scan root ("" for the root itself).
    public let base: String
    let patterns: [Pattern]
    private let baseBytes: [UInt8]

    /// Parses the text of a `.gitignore` file.
    ///
    /// - Parameters:
    ///   - text: The file's contents (LF or CRLF line ends; a leading byte-order mark is skipped, as git does).
    ///   - base: The directory of the file relative to the scan root, `/`-separated; "" for the root.
    public init(_ text: String, base: String) {
        let trimmed = base.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
        self.base = trimmed
        self.baseBytes = Array(trimmed.utf8)
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.patterns = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).compactMap { Pattern(line: Array($0)) }
    }

    /// Whether the patterns ignore a path.
    ///
    /// - Parameters:
    ///   - relativePath: The path relative to the scan root, `/`-separated, without a leading `./`.
    ///   - isDirectory: Whether the path is a directory (patterns ending in `/` match only directories).
    /// - Returns: `true` when the last matching pattern ignores the path, `false` when it is a
    ///   negation (`!pattern`) that re-includes it, `nil` when no pattern matches or the path is
    ///   not inside this file's directory.
    public func decision(for relativePath: String, isDirectory: Bool) -> Bool? {
        var path = Array(relativePath.utf8)
        if path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path.removeFirst(2) }
        while path.last == UInt8(ascii: "/") { path.removeLast() }
        return decision(forBytes: path, isDirectory: isDirectory)
    }

    func decision(forBytes path: [UInt8], isDirectory: Bool) -> Bool? {
        // A pattern is relative to its file's directory: paths outside it are none of its business,
        // and so is the directory itself (its own `.gitignore` does not decide whether it is ignored).
        let relative: ArraySlice<UInt8>
        if baseBytes.isEmpty {
            relative = path[...]
        } else {
            guard path.count > baseBytes.count + 1, path.starts(with: baseBytes), path[baseBytes.count] == UInt8(ascii: "/") else { return nil }
            relative = path[(baseBytes.count + 1)...]
        }
        guard !relative.isEmpty else { return nil }
        let basename = relative.lastIndex(of: UInt8(ascii: "/")).map { relative[($0 + 1)...] } ?? relative
        for pattern in patterns.reversed() {
            if pattern.directoryOnly && !isDirectory { continue }
            let matched =
                pattern.anchored
                ? Wildmatch(pattern: pattern.glob, text: relative, pathname: true).matches()
                : Wildmatch(pattern: pattern.glob, text: basename, pathname: false).matches()
            if matched { return !pattern.negated }
        }
        return nil
    }
}

extension GitIgnore {
    /// One line of a `.gitignore`, split into its glob and the flags git reads around it.
    struct Pattern: Sendable, Equatable {
        /// The glob as written, escapes kept (the matcher reads them), without `!`, the trailing `/`, or a leading `/`.
        var glob: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        /// A `/` at the start or in the middle: matched against the path below the file's directory.
        /// Otherwise the pattern is matched against the last component, at any depth.
        var anchored: Bool

        /// Nil for lines that hold no pattern: blank lines and comments.
        init?(line raw: [UInt8]) {
            var line = raw[...]
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
            line = Self.trimmingTrailingSpaces(line)
            negated = line.first == UInt8(ascii: "!")
            if negated { line.removeFirst() }
            directoryOnly = line.last == UInt8(ascii: "/")
            if directoryOnly { line.removeLast() }
            anchored = line.contains(UInt8(ascii: "/"))
            if line.first == UInt8(ascii: "/") { line.removeFirst() }
            guard !line.isEmpty else { return nil }
            glob = Array(line)
        }

        /// Drops trailing spaces (not tabs), keeping a space escaped as `\ `; the backslash stays
        /// so the matcher reads the space literally.
        static func trimmingTrailingSpaces(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var end = line.endIndex
            var index = line.startIndex
            var firstTrailingSpace: Int?
            while index < line.endIndex {
                switch line[index] {
                case UInt8(ascii: " "):
                    if firstTrailingSpace == nil { firstTrailingSpace = index }
                case UInt8(ascii: "\\"):
                    index += 1
                    // A lone backslash at the end: git leaves the line as it is (and it then matches nothing).
                    if index == line.endIndex { return line }
                    firstTrailingSpace = nil
                default:
                    firstTrailingSpace = nil
                }
                index += 1
            }
            if let firstTrailingSpace { end = firstTrailingSpace }
            return line[line.startIndex..<end]
        }
    }
}
