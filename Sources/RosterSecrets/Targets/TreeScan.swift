import Foundation
import Synchronization

/// Where a secret was found: a file (with a path relative to what was scanned), a blob of a git
/// repository's history, a commit message, or standard input.
public struct SecretLocation: Sendable, Hashable, Codable {
    public var path: String
    public var line: Int
    public var column: Int
    /// The commit that introduced the secret, when scanning history.
    public var commit: CommitInfo?

    public struct CommitInfo: Sendable, Hashable, Codable {
        public var sha: String
        public var author: String
        public var email: String
        public var date: String
        /// The commit's subject line.
        public var summary: String
        /// True when the secret is in the commit message rather than a file.
        public var inMessage: Bool
    }
}

/// One secret at one place.
public struct LocatedMatch: Sendable {
    public var match: SecretMatch
    public var location: SecretLocation
}

/// What a scan read and skipped.
public struct ScanStatistics: Sendable, Codable, Hashable {
    public var files = 0
    public var bytes = 0
    public var skippedBinary = 0
    public var skippedIgnored = 0
    public var skippedUnreadable: [String] = []
    public var blobs = 0
    public var commits = 0
    public var seconds = 0.0

    public init() {}
}

/// Scans a directory tree: every regular file not ignored, across all cores.
public struct TreeScan: Sendable {
    public var scanner: SecretScanner
    /// Respect `.gitignore`, `.git/info/exclude` and the `.git` directory (default).
    public var respectGitignore = true
    /// Files larger than this are skipped (0: no limit).
    public var maxFileBytes = 0
    public var workers = ProcessInfo.processInfo.activeProcessorCount

    public init(scanner: SecretScanner) { self.scanner = scanner }

    /// File extensions that are binary by construction; skipped without being opened.
    static let binaryExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff", "psd", "mp3", "mp4", "mov", "avi", "mkv", "wav", "flac",
        "ogg", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jar", "war", "ear", "class", "so", "dylib", "dll", "exe", "o",
        "a", "lib", "bin", "pdf", "woff", "woff2", "ttf", "otf", "eot", "pyc", "pyo", "wasm", "sqlite", "db", "iso", "dmg",
    ]

    public func scan(paths: [String]) throws -> (matches: [LocatedMatch], statistics: ScanStatistics) {
        let started = Date()
        var statistics = ScanStatistics()
        var files: [(path: String, display: String)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SecretsError.input("\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                try walk(root: path, into: &files, statistics: &statistics)
            } else {
                files.append((path, path))
            }
        }
        let queue = files
        let next = Atomic<Int>(0)
        let results = Mutex<([LocatedMatch], ScanStatistics)>(([], ScanStatistics()))
        let workerCount = max(1, min(workers, files.count))
        let stream = StreamScanner(scanner: scanner)
        let limit = maxFileBytes
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            var buffer: [UInt8] = []
            var found: [LocatedMatch] = []
            var local = ScanStatistics()
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < queue.count else { break }
                let file = queue[index]
                let fd = open(file.path, O_RDONLY)
                guard fd >= 0 else {
                    local.skippedUnreadable.append(file.display)
                    continue
                }
                defer { close(fd) }
                if limit > 0 {
                    var info = stat()
                    if fstat(fd, &info) == 0, Int(info.st_size) > limit {
                        local.skippedUnreadable.append(file.display)
                        continue
                    }
                }
                let outcome = stream.scan(buffer: &buffer) { target in
                    Foundation.read(fd, target.baseAddress, target.count)
                }
                switch outcome {
                case .binary(let bytes):
                    local.skippedBinary += 1
                    local.bytes += bytes
                case .scanned(let matches, let bytes):
                    local.files += 1
                    local.bytes += bytes
                    for match in matches {
                        found.append(LocatedMatch(match: match, location: SecretLocation(path: file.display, line: match.line, column: match.column)))
                    }
                }
            }
            results.withLock { shared in
                shared.0 += found
                shared.1.files += local.files
                shared.1.bytes += local.bytes
                shared.1.skippedBinary += local.skippedBinary
                shared.1.skippedUnreadable += local.skippedUnreadable
            }
        }
        var (matches, counted) = results.withLock { $0 }
        statistics.files += counted.files
        statistics.bytes += counted.bytes
        statistics.skippedBinary += counted.skippedBinary
        statistics.skippedUnreadable += counted.skippedUnreadable.sorted()
        statistics.seconds = Date().timeIntervalSince(started)
        matches.sort { ($0.location.path, $0.location.line, $0.location.column) < ($1.location.path, $1.location.line, $1.location.column) }
        return (matches, statistics)
    }

    /// Regular files under `root`, depth first, skipping ignored paths and binary extensions.
    /// Symbolic links are not followed (a link out of the tree, or a loop, is not the tree).
    func walk(root: String, into files: inout [(path: String, display: String)], statistics: inout ScanStatistics) throws {
        let fm = FileManager.default
        let rootURL = URL(fileURLWithPath: root)
        let top = respectGitignore ? IgnoreStack.reading(root: root) : IgnoreStack()
        var stack: [(String, IgnoreStack)] = [("", top)]
        while let (relativeDirectory, parentIgnores) = stack.popLast() {
            let directory = relativeDirectory.isEmpty ? root : rootURL.appendingPathComponent(relativeDirectory).path
            let ignores = respectGitignore && !relativeDirectory.isEmpty ? parentIgnores.entering(relativeDirectory, root: root) : parentIgnores
            let names: [String]
            do {
                names = try fm.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                statistics.skippedUnreadable.append(relativeDirectory.isEmpty ? root : relativeDirectory)
                continue
            }
            for name in names {
                let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
                let full = directory + "/" + name
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                if type == S_IFDIR {
                    if name == ".git" || ignores.isIgnored(relative, isDirectory: true) {
                        statistics.skippedIgnored += 1
                        continue
                    }
                    stack.append((relative, ignores))
                } else if type == S_IFREG {
                    if ignores.isIgnored(relative, isDirectory: false) {
                        statistics.skippedIgnored += 1
                        continue
                    }
                    let ext = (name as NSString).pathExtension.lowercased()
                    if Self.binaryExtensions.contains(ext) {
                        statistics.skippedBinary += 1
                        continue
                    }
                    let display = root == "." ? relative : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
                    files.append((full, display))
                }
            }
        }
    }
}
