/// The `.gitignore` files that govern a path, from the scan root down, decided as git decides.
///
/// Git's precedence (gitignore(5)): a deeper `.gitignore` overrides a shallower one, and all of
/// them override `$GIT_DIR/info/exclude`; within one file the last matching pattern wins. A path
/// inside an excluded directory is excluded whatever its own patterns say, because git never
/// reads that directory (so `!` cannot re-include it). The `.git` directory is always excluded.
///
/// The stack is a value: a tree walker extends it with ``entering(_:with:)`` as it descends and
/// keeps the parent's stack for the siblings.
///
/// For example:
/// ```swift
/// let root = IgnoreStack([GitIgnore("build/\n*.log\n", base: "")])
/// let web = root.entering("web", with: GitIgnore("!debug.log\n", base: "web"))
/// web.isIgnored("web/debug.log", isDirectory: false)        // false: the deeper file re-includes it
/// web.isIgnored("build/web/app.js", isDirectory: false)     // true: its parent is excluded
/// ```
public struct IgnoreStack: Sendable, Equatable {
    /// The `.gitignore` files in force, shallowest first.
    public private(set) var ignores: [GitIgnore]
    /// `$GIT_DIR/info/exclude`, which every `.gitignore` overrides.
    public var exclude: GitIgnore?

    /// A stack of the given files (in any order: they are sorted by depth) and the repository's exclude file.
    public init(_ ignores: [GitIgnore] = [], exclude: GitIgnore? = nil) {
        self.ignores = ignores.enumerated().sorted { lhs, rhs in
            let (l, r) = (Self.depth(lhs.element.base), Self.depth(rhs.element.base))
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
        self.exclude = exclude
    }

    /// The stack for the inside of `directory`: the files of its ancestors, plus its own.
    ///
    /// Files of directories that are not ancestors of `directory` (siblings left behind) are dropped.
    ///
    /// - Parameters:
    ///   - directory: The directory being entered, relative to the scan root.
    ///   - gitIgnore: Its `.gitignore`, if it has one.
    public func entering(_ directory: String, with gitIgnore: GitIgnore?) -> IgnoreStack {
        let target = directory.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        var stack = self
        stack.ignores.removeAll { ignore in
            !(ignore.base.isEmpty || ignore.base == target || target.hasPrefix(ignore.base + "/"))
        }
        if let gitIgnore { stack.ignores.append(gitIgnore) }
        return stack
    }

    /// Whether git would ignore a path: it, or a directory above it, is excluded.
    ///
    /// - Parameters:
    ///   - relativePath: The path relative to the scan root, `/`-separated.
    ///   - isDirectory: Whether the path is a directory.
    public func isIgnored(_ relativePath: String, isDirectory: Bool) -> Bool {
        var path = Array(relativePath.utf8)
        if path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path.removeFirst(2) }
        while path.last == UInt8(ascii: "/") { path.removeLast() }
        guard !path.isEmpty else { return false }
        // Each directory above the path, shallowest first: once one is excluded git never looks inside.
        var start = 0
        for (index, byte) in path.enumerated() where byte == UInt8(ascii: "/") {
            let directory = Array(path[..<index])
            if Self.isGitDirectory(path[start..<index]) || excludes(directory, isDirectory: true) { return true }
            start = index + 1
        }
        return Self.isGitDirectory(path[start...]) || excludes(path, isDirectory: isDirectory)
    }

    /// The verdict of the deepest file with a matching pattern, then of the exclude file.
    private func excludes(_ path: [UInt8], isDirectory: Bool) -> Bool {
        for ignore in ignores.reversed() {
            if let decision = ignore.decision(forBytes: path, isDirectory: isDirectory) { return decision }
        }
        return exclude?.decision(forBytes: path, isDirectory: isDirectory) ?? false
    }

    /// `.git` holds objects and refs, never the working tree; git itself never lists it.
    private static func isGitDirectory(_ component: ArraySlice<UInt8>) -> Bool {
        component.elementsEqual(".git".utf8)
    }

    private static func depth(_ base: String) -> Int {
        base.isEmpty ? 0 : base.split(separator: "/").count
    }
}
