import Foundation

extension IgnoreStack {
    /// The stack at the top of a scan, read from disk: the root's `.gitignore` and, when the root
    /// holds a `.git` directory, its `info/exclude`.
    ///
    /// The user's `core.excludesFile` is left out on purpose: what a scan reports should depend on
    /// the tree, not on the settings of whoever runs it.
    ///
    /// For example:
    /// ```swift
    /// var stack = IgnoreStack.reading(root: "/src/app")
    /// stack = stack.entering("web", root: "/src/app")   // adds /src/app/web/.gitignore
    /// ```
    public static func reading(root: String) -> IgnoreStack {
        let exclude = text(at: root + "/.git/info/exclude").map { GitIgnore($0, base: "") }
        return IgnoreStack(exclude: exclude).entering("", root: root)
    }

    /// ``entering(_:with:)`` with the directory's `.gitignore` read from disk, when it has one.
    ///
    /// - Parameters:
    ///   - directory: The directory being entered, relative to `root` ("" for the root).
    ///   - root: The scan root on disk.
    public func entering(_ directory: String, root: String) -> IgnoreStack {
        let file = directory.isEmpty ? root + "/.gitignore" : root + "/" + directory + "/.gitignore"
        return entering(directory, with: Self.text(at: file).map { GitIgnore($0, base: directory) })
    }

    private static func text(at path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
