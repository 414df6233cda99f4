import RosterSecrets
import Testing

/// A tree's ignore files and what git says about paths in it.
///
/// Every expectation in ``GitIgnoreTests/cases`` was read from `git check-ignore -v -n` (git 2.39,
/// `core.excludesFile` off) in a fresh repository holding exactly these files and paths, so the
/// table records git's behaviour, not our reading of the manual.
struct GitCase: Sendable, CustomTestStringConvertible {
    struct Expectation: Sendable {
        var path: String
        var isDirectory: Bool
        var ignored: Bool
        init(_ path: String, directory: Bool = false, ignored: Bool) {
            self.path = path
            self.isDirectory = directory
            self.ignored = ignored
        }
    }

    var name: String
    /// Path of each `.gitignore` (or `.git/info/exclude`) → its text.
    var files: [String: String]
    var expect: [Expectation]
    var testDescription: String { name }

    init(_ name: String, files: [String: String], expect: [Expectation]) {
        self.name = name
        self.files = files
        self.expect = expect
    }

    /// The stack a walker would hold at the root, with every `.gitignore` of the case in it.
    var stack: IgnoreStack {
        var ignores: [GitIgnore] = []
        var exclude: GitIgnore?
        for (path, text) in files {
            if path == ".git/info/exclude" {
                exclude = GitIgnore(text, base: "")
            } else {
                let directory = path.split(separator: "/").dropLast().joined(separator: "/")
                ignores.append(GitIgnore(text, base: directory))
            }
        }
        return IgnoreStack(ignores, exclude: exclude)
    }
}

@Suite struct GitIgnoreTests {
    static let cases: [GitCase] = [
        GitCase("comments and blank lines",
            files: [".gitignore": "# a comment\n\n   \n#notes.txt\n\\#hash.txt\n*.log\n"],
            expect: [
                .init("notes.txt", ignored: false),
                .init("#notes.txt", ignored: false),
                .init("#hash.txt", ignored: true),
                .init("a.log", ignored: true),
                .init("b.txt", ignored: false),
            ]),
        GitCase("trailing spaces are trimmed unless escaped",
            files: [".gitignore": "trim.txt   \nkeep\\ \nboth\\  \ntab.txt\t\n"],
            expect: [
                .init("trim.txt", ignored: true),
                .init("keep ", ignored: true),
                .init("keep", ignored: false),
                .init("both ", ignored: true),
                .init("both", ignored: false),
                .init("tab.txt", ignored: false),
                .init("tab.txt\t", ignored: true),
            ]),
        GitCase("backslash escapes",
            files: [".gitignore": "\\!bang.txt\na\\*b\n\\[x\\]\nq\\?\n"],
            expect: [
                .init("!bang.txt", ignored: true),
                .init("bang.txt", ignored: false),
                .init("a*b", ignored: true),
                .init("axb", ignored: false),
                .init("[x]", ignored: true),
                .init("x", ignored: false),
                .init("q?", ignored: true),
                .init("qz", ignored: false),
            ]),
        GitCase("negation re-includes",
            files: [".gitignore": "*.log\n!keep.log\n!*.txt\nlate.log\n"],
            expect: [
                .init("a.log", ignored: true),
                .init("keep.log", ignored: false),
                .init("sub/keep.log", ignored: false),
                .init("sub/b.log", ignored: true),
                .init("late.log", ignored: true),
            ]),
        GitCase("last matching pattern wins",
            files: [".gitignore": "!first.txt\nfirst.txt\nsecond.txt\n!second.txt\n"],
            expect: [
                .init("first.txt", ignored: true),
                .init("second.txt", ignored: false),
            ]),
        GitCase("negation cannot reach inside an excluded directory",
            files: [".gitignore": "build/\n!build/keep.txt\n!keep2.txt\n"],
            expect: [
                .init("build", directory: true, ignored: true),
                .init("build/keep.txt", ignored: true),
                .init("build/keep2.txt", ignored: true),
                .init("build/sub/keep2.txt", ignored: true),
            ]),
        GitCase("negation works when only the contents are excluded",
            files: [".gitignore": "out/*\n!out/keep.txt\n"],
            expect: [
                .init("out", directory: true, ignored: false),
                .init("out/a.txt", ignored: true),
                .init("out/keep.txt", ignored: false),
                .init("out/sub", directory: true, ignored: true),
                .init("out/sub/x.txt", ignored: true),
            ]),
        GitCase("trailing slash matches directories only",
            files: [".gitignore": "logs/\ncache/\n"],
            expect: [
                .init("logs", directory: true, ignored: true),
                .init("logs/today.txt", ignored: true),
                .init("sub/logs", directory: true, ignored: true),
                .init("sub/logs/x", ignored: true),
                .init("cache", ignored: false),
                .init("sub/cache", ignored: false),
            ]),
        GitCase("leading slash anchors",
            files: [".gitignore": "/root.txt\n/build/\n"],
            expect: [
                .init("root.txt", ignored: true),
                .init("sub/root.txt", ignored: false),
                .init("build", directory: true, ignored: true),
                .init("build/x", ignored: true),
                .init("sub/build", directory: true, ignored: false),
                .init("sub/build/x", ignored: false),
            ]),
        GitCase("middle slash anchors",
            files: [".gitignore": "doc/frotz\nsrc/*.c\n"],
            expect: [
                .init("doc/frotz", ignored: true),
                .init("a/doc/frotz", ignored: false),
                .init("src/main.c", ignored: true),
                .init("src/lib/util.c", ignored: false),
                .init("a/src/main.c", ignored: false),
            ]),
        GitCase("no slash matches at any depth",
            files: [".gitignore": "frotz\n*.pyc\n"],
            expect: [
                .init("frotz", ignored: true),
                .init("a/frotz", ignored: true),
                .init("a/b/frotz", directory: true, ignored: true),
                .init("a/b/frotz/x", ignored: true),
                .init("m.pyc", ignored: true),
                .init("p/q/m.pyc", ignored: true),
                .init("frotz2", ignored: false),
            ]),
        GitCase("star and question mark do not cross slashes",
            files: [".gitignore": "a/*.txt\nx/a?b\nfoo/*\n"],
            expect: [
                .init("a/b.txt", ignored: true),
                .init("a/sub/b.txt", ignored: false),
                .init("x/acb", ignored: true),
                .init("x/a/b", ignored: false),
                .init("foo/test.json", ignored: true),
                .init("foo/bar", directory: true, ignored: true),
                .init("foo/bar/hello.c", ignored: true),
            ]),
        GitCase("bracket expressions",
            files: [".gitignore": "[abc].txt\nfile[!0-9].md\nn[[:digit:]][[:digit:]].tmp\n[]x]y\nr[a-c-]\n"],
            expect: [
                .init("a.txt", ignored: true),
                .init("d.txt", ignored: false),
                .init("filex.md", ignored: true),
                .init("file1.md", ignored: false),
                .init("n42.tmp", ignored: true),
                .init("n4x.tmp", ignored: false),
                .init("]y", ignored: true),
                .init("xy", ignored: true),
                .init("zy", ignored: false),
                .init("r-", ignored: true),
                .init("rb", ignored: true),
                .init("rd", ignored: false),
            ]),
        GitCase("caret negates a bracket expression too",
            files: [".gitignore": "v[^0-9]\n"],
            expect: [
                .init("va", ignored: true),
                .init("v1", ignored: false),
            ]),
        GitCase("leading double star matches in all directories",
            files: [".gitignore": "**/foo\n**/bar/baz\n"],
            expect: [
                .init("foo", ignored: true),
                .init("a/foo", ignored: true),
                .init("a/b/foo", ignored: true),
                .init("bar/baz", ignored: true),
                .init("x/bar/baz", ignored: true),
                .init("x/y/bar/baz", ignored: true),
                .init("bar/q/baz", ignored: false),
            ]),
        GitCase("trailing double star matches everything inside",
            files: [".gitignore": "abc/**\n!abc/keep.txt\n"],
            expect: [
                .init("abc", directory: true, ignored: false),
                .init("abc/x.txt", ignored: true),
                .init("abc/d", directory: true, ignored: true),
                .init("abc/d/e.txt", ignored: true),
                .init("abc/keep.txt", ignored: false),
                .init("abc/d/keep.txt", ignored: true),
            ]),
        GitCase("middle double star matches zero or more directories",
            files: [".gitignore": "a/**/b\n"],
            expect: [
                .init("a/b", ignored: true),
                .init("a/x/b", ignored: true),
                .init("a/x/y/b", ignored: true),
                .init("a/xb", ignored: false),
                .init("c/a/b", ignored: false),
            ]),
        GitCase("other double stars are single stars",
            files: [".gitignore": "a**z\ndir/x**\n"],
            expect: [
                .init("az", ignored: true),
                .init("abz", ignored: true),
                .init("a/b/z", ignored: false),
                .init("ab/z", ignored: false),
                .init("dir/xyz", ignored: true),
                .init("dir/xy/z", ignored: true),
            ]),
        GitCase("crlf line ends",
            files: [".gitignore": "one.txt\r\ntwo/\r\n"],
            expect: [
                .init("one.txt", ignored: true),
                .init("two", directory: true, ignored: true),
                .init("two/x", ignored: true),
            ]),
        GitCase("deeper gitignore overrides shallower",
            files: [".gitignore": "*.tmp\n!special\n", "sub/.gitignore": "!*.tmp\nspecial\n"],
            expect: [
                .init("a.tmp", ignored: true),
                .init("sub/a.tmp", ignored: false),
                .init("sub/deeper/a.tmp", ignored: false),
                .init("special", ignored: false),
                .init("sub/special", ignored: true),
                .init("other/special", ignored: false),
            ]),
        GitCase("nested gitignore anchors to its own directory",
            files: ["sub/.gitignore": "/only-here\ndeeper/x\nany\n"],
            expect: [
                .init("only-here", ignored: false),
                .init("sub/only-here", ignored: true),
                .init("sub/deeper/only-here", ignored: false),
                .init("sub/deeper/x", ignored: true),
                .init("deeper/x", ignored: false),
                .init("sub/a/deeper/x", ignored: false),
                .init("any", ignored: false),
                .init("sub/q/any", ignored: true),
            ]),
        GitCase("nested gitignore cannot re-include inside a directory excluded above",
            files: [".gitignore": "vendor/\n", "vendor/.gitignore": "!*\n"],
            expect: [
                .init("vendor", directory: true, ignored: true),
                .init("vendor/lib.js", ignored: true),
            ]),
        GitCase("info exclude is overridden by gitignore",
            files: [".git/info/exclude": "*.bak\nsecret/\n", ".gitignore": "!keep.bak\n"],
            expect: [
                .init("a.bak", ignored: true),
                .init("keep.bak", ignored: false),
                .init("secret", directory: true, ignored: true),
                .init("secret/x", ignored: true),
            ]),
        GitCase("malformed brackets match nothing",
            files: [".gitignore": "[abc\n[[:nope:]]x\n"],
            expect: [
                .init("[abc", ignored: false),
                .init("a", ignored: false),
                .init("nx", ignored: false),
                .init("[[:nope:]]x", ignored: false),
            ]),
    ]

    @Test(arguments: cases)
    func agreesWithGitCheckIgnore(_ gitCase: GitCase) {
        // Given the case's ignore files, When each path is asked about, Then the answer is git's
        let stack = gitCase.stack
        for expectation in gitCase.expect {
            #expect(
                stack.isIgnored(expectation.path, isDirectory: expectation.isDirectory) == expectation.ignored,
                "\(gitCase.name): \(expectation.path)"
            )
        }
    }

    @Test func decisionTellsNegationFromNoMatch() {
        // Given one file with an exclusion, a negation and an unrelated pattern
        let ignore = GitIgnore("*.log\n!keep.log\nbuild/\n", base: "")
        // Then a match says true, a negation false, and nothing matching nil
        #expect(ignore.decision(for: "a.log", isDirectory: false) == true)
        #expect(ignore.decision(for: "keep.log", isDirectory: false) == false)
        #expect(ignore.decision(for: "main.swift", isDirectory: false) == nil)
        // And a directory-only pattern says nothing about a file of that name
        #expect(ignore.decision(for: "build", isDirectory: false) == nil)
        #expect(ignore.decision(for: "build", isDirectory: true) == true)
        // And the single file does not look at parents: that is the stack's work
        #expect(ignore.decision(for: "build/x.txt", isDirectory: false) == nil)
    }

    @Test func decisionIgnoresPathsOutsideItsDirectory() {
        // Given a nested file that ignores everything
        let ignore = GitIgnore("*\n", base: "web/app")
        // Then it decides for paths below its directory only, and not for the directory itself
        #expect(ignore.decision(for: "web/app/x.js", isDirectory: false) == true)
        #expect(ignore.decision(for: "./web/app/x.js", isDirectory: false) == true)
        #expect(ignore.decision(for: "web/app", isDirectory: true) == nil)
        #expect(ignore.decision(for: "web/application/x.js", isDirectory: false) == nil)
        #expect(ignore.decision(for: "x.js", isDirectory: false) == nil)
    }

    @Test func baseIsNormalised() {
        #expect(GitIgnore("", base: "./web/app/").base == "web/app")
        #expect(GitIgnore("", base: ".").base == "")
    }

    @Test func leadingByteOrderMarkIsSkipped() {
        // Given a file saved by an editor that writes a BOM, Then its first pattern still counts
        let ignore = GitIgnore("\u{FEFF}secret.txt\n", base: "")
        #expect(ignore.decision(for: "secret.txt", isDirectory: false) == true)
    }

    @Test func dotGitIsAlwaysIgnored() {
        // Given a .gitignore that tries to re-include .git
        let stack = IgnoreStack([GitIgnore("!.git\n", base: "")])
        // Then .git and anything in it, at any depth, is ignored; names that merely start with .git are not
        #expect(stack.isIgnored(".git", isDirectory: true))
        #expect(stack.isIgnored(".git/config", isDirectory: false))
        #expect(stack.isIgnored("vendor/lib/.git/HEAD", isDirectory: false))
        #expect(!stack.isIgnored(".gitignore", isDirectory: false))
        #expect(!stack.isIgnored(".github/workflows/ci.yml", isDirectory: false))
    }

    @Test func enteringKeepsAncestorsAndDropsSiblings() {
        // Given a walker that went into a/ and then moves on to b/
        let root = IgnoreStack([GitIgnore("*.tmp\n", base: "")])
        let a = root.entering("a", with: GitIgnore("!*.tmp\n", base: "a"))
        let b = a.entering("b", with: nil)
        // Then a/'s file governs a/ only
        #expect(!a.isIgnored("a/x.tmp", isDirectory: false))
        #expect(b.isIgnored("b/x.tmp", isDirectory: false))
        #expect(b.ignores.map(\.base) == [""])
        // And a deeper directory keeps every ancestor's file
        let deep = a.entering("a/c", with: GitIgnore("y\n", base: "a/c"))
        #expect(deep.ignores.map(\.base) == ["", "a", "a/c"])
        #expect(deep.isIgnored("a/c/y", isDirectory: false))
        #expect(!deep.isIgnored("a/c/x.tmp", isDirectory: false))
    }

    @Test(.timeLimit(.minutes(1)))
    func hostilePatternsFinishQuickly() {
        // Given patterns that make a naive backtracking matcher take exponential time
        let ignore = GitIgnore("*a*a*a*a*a*a*a*a*a*a*a*a*b\n**/a/**/a/**/a/**/a/**/a/**/b\n", base: "")
        let long = String(repeating: "a", count: 200)
        let deep = Array(repeating: "a", count: 60).joined(separator: "/")
        // Then they are answered (no match) without blowing up
        #expect(ignore.decision(for: long, isDirectory: false) == nil)
        #expect(ignore.decision(for: deep + "/c", isDirectory: false) == nil)
        #expect(ignore.decision(for: deep + "/b", isDirectory: false) == true)
    }
}
