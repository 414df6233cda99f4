import Foundation
import Synchronization

/// Scans every blob reachable from any ref of a git repository, once, and every commit message;
/// then, only for blobs that hold a secret, finds the commit that introduced each and its path.
///
/// The repository is read through `git` itself (`rev-list --objects`, `cat-file --batch`,
/// `log --raw`), as a stream: one blob in memory at a time, whatever the history's size. A
/// blob shared by a thousand commits is scanned once; provenance costs one walk of the log, and
/// only when something was found. With `from`, only what `to` adds over `from` is scanned (a
/// pull request's new objects and commit messages).
public struct GitHistoryScan: Sendable {
    public var scanner: SecretScanner
    public var repository: String
    /// Scan only objects reachable from `to` (default HEAD) and not from `from`.
    public var from: String?
    public var to: String?
    public var git = "git"
    /// Concurrent `git cat-file` readers (and scanning threads).
    public var workers = ProcessInfo.processInfo.activeProcessorCount

    public init(scanner: SecretScanner, repository: String) {
        self.scanner = scanner
        self.repository = repository
    }

    public func scan() throws -> (matches: [LocatedMatch], statistics: ScanStatistics) {
        let started = Date()
        var statistics = ScanStatistics()
        _ = try run(["rev-parse", "--git-dir"], what: "\(repository) is not a git repository")
        var revisions = ["--all"]
        if let from {
            revisions = [to ?? "HEAD", "^" + from]
            for ref in [from, to ?? "HEAD"] {
                _ = try run(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], what: "\(repository): no commit named \(ref)")
            }
        }
        // The objects to read, by id. The listing names each blob by the first path it was seen at.
        // Blobs (git filters the trees out, which are a third of the objects and hold no
        // secrets), then every commit, for its message.
        let blobs = try run(["rev-list", "--objects", "--no-object-names", "--filter=object:type=blob"] + revisions, what: "git rev-list failed in \(repository)")
        let commits = try run(["rev-list"] + revisions, what: "git rev-list failed in \(repository)")
        var listed = Set<Substring>()
        let ids = (blobs.split(separator: "\n") + commits.split(separator: "\n")).filter { listed.insert($0).inserted }.map(String.init)

        // Stream the listed objects through `git cat-file --batch`, one process and one thread
        // per core, each with a contiguous share of the list (which keeps a commit's objects, and
        // their deltas, together).
        let shares = Swift.max(1, Swift.min(workers, ids.count / 1000))
        let size = (ids.count + shares - 1) / Swift.max(1, shares)
        let parts = Mutex<[Objects]>([])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            let slice = Array(ids[Swift.min(ids.count, share * size)..<Swift.min(ids.count, (share + 1) * size)])
            guard !slice.isEmpty else { return }
            do {
                let objects = try readObjects(slice)
                parts.withLock { $0.append(objects) }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        var blobMatches: [String: [SecretMatch]] = [:]
        var messageMatches: [(commit: String, header: [String: String], matches: [SecretMatch])] = []
        for part in parts.withLock({ $0 }) {
            blobMatches.merge(part.blobMatches) { first, _ in first }
            messageMatches += part.messageMatches
            statistics.blobs += part.statistics.blobs
            statistics.commits += part.statistics.commits
            statistics.bytes += part.statistics.bytes
            statistics.skippedBinary += part.statistics.skippedBinary
        }
        messageMatches.sort { $0.commit < $1.commit }

        var located: [LocatedMatch] = []
        // Commit messages: the commit is its own provenance. Lines count from the message's first.
        for (commit, header, matches) in messageMatches {
            let info = Self.commitInfo(sha: commit, header: header, inMessage: true)
            for match in matches {
                located.append(LocatedMatch(match: match, location: SecretLocation(path: "(commit message)", line: match.line, column: match.column, commit: info)))
            }
        }
        // Blobs: the first commit, parents before children, whose diff adds the blob.
        if !blobMatches.isEmpty {
            let origins = try introductions(of: Set(blobMatches.keys), revisions: revisions)
            for (blob, matches) in blobMatches.sorted(by: { $0.key < $1.key }) {
                let origin = origins[blob]
                for match in matches {
                    located.append(LocatedMatch(
                        match: match,
                        location: SecretLocation(path: origin?.path ?? "(blob \(blob.prefix(12)))", line: match.line, column: match.column, commit: origin?.commit)))
                }
            }
        }
        statistics.files = statistics.blobs - statistics.skippedBinary
        statistics.seconds = Date().timeIntervalSince(started)
        located.sort {
            ($0.location.commit?.date ?? "", $0.location.path, $0.location.line) < ($1.location.commit?.date ?? "", $1.location.path, $1.location.line)
        }
        return (located, statistics)
    }

    /// What one share of the object list held.
    struct Objects {
        var blobMatches: [String: [SecretMatch]] = [:]
        var messageMatches: [(commit: String, header: [String: String], matches: [SecretMatch])] = []
        var statistics = ScanStatistics()
    }

    /// Reads `ids` through one `git cat-file --batch` and scans blobs and commit messages.
    func readObjects(_ ids: [String]) throws -> Objects {
        var objects = Objects()
        let stream = StreamScanner(scanner: scanner)
        var buffer: [UInt8] = []
        try withProcess(["cat-file", "--batch"], input: ids.joined(separator: "\n") + "\n") { reader in
            while let header = try reader.line() {
                let parts = header.split(separator: " ")
                guard parts.count == 3, let size = Int(parts[2]) else {
                    if parts.count == 2, parts[1] == "missing" { continue }
                    throw SecretsError.input("\(repository): git cat-file said \(header.prefix(120))")
                }
                let id = String(parts[0])
                switch parts[1] {
                case "blob":
                    objects.statistics.blobs += 1
                    var remaining = size
                    let outcome = try stream.scan(buffer: &buffer, drainBinary: true) { target in
                        guard remaining > 0 else { return 0 }
                        let n = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: target[0..<min(target.count, remaining)]))
                        remaining -= n
                        return n
                    }
                    try reader.skip(remaining)
                    switch outcome {
                    case .binary(let bytes):
                        objects.statistics.skippedBinary += 1
                        objects.statistics.bytes += bytes
                    case .scanned(let matches, let bytes):
                        objects.statistics.bytes += bytes
                        if !matches.isEmpty { objects.blobMatches[id] = matches }
                    }
                case "commit":
                    objects.statistics.commits += 1
                    let data = try reader.bytes(size)
                    let text = String(decoding: data, as: UTF8.self)
                    guard let split = text.range(of: "\n\n") else { break }
                    let message = String(text[split.upperBound...])
                    let found = scanner.scan(text: message)
                    if !found.isEmpty {
                        objects.messageMatches.append((id, Self.headers(String(text[..<split.lowerBound])), found))
                    }
                default:
                    try reader.skip(size)
                }
                try reader.skip(1)  // the newline after each object
            }
        }

        return objects
    }

    /// For each blob, the commit that first adds it (topological order, oldest first) and the path.
    func introductions(of blobs: Set<String>, revisions: [String]) throws -> [String: (commit: SecretLocation.CommitInfo, path: String)] {
        var found: [String: (commit: SecretLocation.CommitInfo, path: String)] = [:]
        let format = "%x00%H%x00%an%x00%ae%x00%aI%x00%s"
        try withProcess(
            ["-c", "core.quotePath=false", "log", "--topo-order", "--reverse", "--raw", "--no-abbrev", "--no-renames", "-m", "--format=" + format] + revisions,
            input: nil
        ) { reader in
            var current: SecretLocation.CommitInfo?
            while let line = try reader.line() {
                if line.hasPrefix("\0") {
                    let fields = line.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
                    guard fields.count >= 6 else { continue }
                    current = SecretLocation.CommitInfo(sha: fields[1], author: fields[2], email: fields[3], date: fields[4], summary: fields[5], inMessage: false)
                } else if line.hasPrefix(":"), let commit = current {
                    // :100644 100644 <old> <new> A\tpath
                    guard let tab = line.firstIndex(of: "\t") else { continue }
                    let fields = line[..<tab].split(separator: " ")
                    guard fields.count >= 5 else { continue }
                    let new = String(fields[3])
                    guard blobs.contains(new), found[new] == nil else { continue }
                    found[new] = (commit, Self.unquote(String(line[line.index(after: tab)...])))
                    if found.count == blobs.count { return }
                }
            }
        }
        return found
    }

    static func headers(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let key = String(line[..<space])
            if result[key] == nil { result[key] = String(line[line.index(after: space)...]) }
        }
        return result
    }

    /// `author Name <email> 1700000000 +0100` into a commit record.
    static func commitInfo(sha: String, header: [String: String], inMessage: Bool) -> SecretLocation.CommitInfo {
        let author = header["author"] ?? ""
        var name = author
        var email = ""
        var date = ""
        if let open = author.firstIndex(of: "<"), let close = author.firstIndex(of: ">") {
            name = author[..<open].trimmingCharacters(in: .whitespaces)
            email = String(author[author.index(after: open)..<close])
            let rest = author[author.index(after: close)...].split(separator: " ")
            if let seconds = rest.first.flatMap({ Double($0) }) {
                let formatter = ISO8601DateFormatter()
                if rest.count > 1, let zone = Self.timeZone(String(rest[1])) { formatter.timeZone = zone }
                date = formatter.string(from: Date(timeIntervalSince1970: seconds))
            }
        }
        return SecretLocation.CommitInfo(sha: sha, author: name, email: email, date: date, summary: "", inMessage: inMessage)
    }

    static func timeZone(_ offset: String) -> TimeZone? {
        guard offset.count == 5, let hours = Int(offset.dropFirst().prefix(2)), let minutes = Int(offset.suffix(2)) else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (offset.hasPrefix("-") ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }

    /// Paths git quoted (`"dir/na\303\257ve.txt"`) back to text.
    static func unquote(_ path: String) -> String {
        guard path.hasPrefix("\""), path.hasSuffix("\""), path.count >= 2 else { return path }
        var bytes: [UInt8] = []
        var chars = Array(path.utf8.dropFirst().dropLast())
        var i = 0
        while i < chars.count {
            if chars[i] == UInt8(ascii: "\\"), i + 1 < chars.count {
                let next = chars[i + 1]
                if next &- 48 < 8, i + 3 < chars.count {
                    bytes.append((next - 48) * 64 + (chars[i + 2] - 48) * 8 + (chars[i + 3] - 48))
                    i += 4
                    continue
                }
                bytes.append(["n": 10, "t": 9, "\"": 34, "\\": 92][Character(UnicodeScalar(next))] ?? next)
                i += 2
                continue
            }
            bytes.append(chars[i])
            i += 1
        }
        chars = bytes
        return String(decoding: chars, as: UTF8.self)
    }

    // MARK: - Running git

    func run(_ arguments: [String], what: String) throws -> String {
        var output = Data()
        try withProcess(arguments, input: nil, failure: what) { reader in
            while true {
                let chunk = try reader.bytes(upTo: 1 << 16)
                if chunk.isEmpty { break }
                output.append(contentsOf: chunk)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs git in the repository with `arguments`, feeding `input` on a separate thread (so a
    /// full pipe cannot deadlock), and hands its standard output to `body` as a stream.
    func withProcess(_ arguments: [String], input: String?, failure: String? = nil, _ body: (PipeReader) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [git, "-C", repository] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input.map { _ in Pipe() }
        process.standardInput = inPipe ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SecretsError.input("cannot run git: \(error.localizedDescription)")
        }
        if let inPipe, let input {
            let handle = inPipe.fileHandleForWriting
            let data = Data(input.utf8)
            Thread.detachNewThread {
                handle.write(data)
                try? handle.close()
            }
        }
        let errors = Mutex<Data>(Data())
        let errHandle = err.fileHandleForReading
        let errThread = Thread { errors.withLock { $0 = errHandle.readDataToEndOfFile() } }
        errThread.start()
        let reader = PipeReader(fd: out.fileHandleForReading.fileDescriptor)
        var thrown: (any Error)?
        do { try body(reader) } catch { thrown = error }
        // Whatever body left unread is drained so git can exit.
        while (try? reader.bytes(upTo: 1 << 16))?.isEmpty == false {}
        process.waitUntilExit()
        if let thrown { throw thrown }
        if process.terminationStatus != 0 {
            while errors.withLock({ $0.isEmpty }) && !errThread.isFinished { usleep(1000) }
            let message = String(decoding: errors.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SecretsError.input((failure ?? "git \(arguments.first ?? "") failed in \(repository)") + (message.isEmpty ? "" : ": \(message.prefix(300))"))
        }
    }
}

/// Buffered reads from a pipe: lines, exact byte counts, and streaming into a caller's buffer.
final class PipeReader {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var start = 0
    private var end = 0
    private var eof = false

    init(fd: Int32) { self.fd = fd }

    private func fill() throws -> Bool {
        if start == end {
            start = 0
            end = 0
        }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start) }
                end -= start
                start = 0
            } else {
                buffer += [UInt8](repeating: 0, count: buffer.count)
            }
        }
        guard !eof else { return false }
        let n = buffer.withUnsafeMutableBytes { raw in Foundation.read(fd, raw.baseAddress! + end, raw.count - end) }
        if n <= 0 {
            eof = true
            return false
        }
        end += n
        return true
    }

    /// The next line without its newline; nil at the end.
    func line() throws -> String? {
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom..<end].firstIndex(of: 0x0A) {
                let text = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return text
            }
            scanFrom = end
            let before = start
            guard try fill() else {
                guard start < end else { return nil }
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end
                return text
            }
            scanFrom -= before - start
        }
    }

    /// Up to `target.count` bytes into `target`; 0 at the end.
    func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        if start == end, try !fill() { return 0 }
        let n = min(target.count, end - start)
        buffer.withUnsafeBytes { raw in target.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: n) }
        start += n
        return n
    }

    func bytes(_ count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if start == end, try !fill() { throw SecretsError.input("git's output ended early") }
            let n = min(count - result.count, end - start)
            result += buffer[start..<(start + n)]
            start += n
        }
        return result
    }

    func bytes(upTo count: Int) throws -> [UInt8] {
        if start == end, try !fill() { return [] }
        let n = min(count, end - start)
        defer { start += n }
        return Array(buffer[start..<(start + n)])
    }

    func skip(_ count: Int) throws {
        var left = count
        while left > 0 {
            if start == end, try !fill() { throw SecretsError.input("git's output ended early") }
            let n = min(left, end - start)
            start += n
            left -= n
        }
    }
}
