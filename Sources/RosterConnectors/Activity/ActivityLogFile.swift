import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One activity log file found on disk: a CloudTrail log file, `lookup-events` output or a Kubernetes audit log.
///
/// The kind comes from the file's first bytes (after gunzip when it is gzip), never from its name.
///
/// For example:
/// ```swift
/// let found = try ActivityLogs.discover(["trail/AWSLogs"])
/// for file in found.files { _ = try ActivityLogs.read(file) { events in store(events) } }
/// ```
public struct ActivityLogFile: Sendable, Hashable {
    /// What an activity log file holds.
    public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
        /// `{"Records": [...]}` as a trail delivers it to S3 (`.json` or `.json.gz`).
        case cloudTrail
        /// The JSON `aws cloudtrail lookup-events` prints: `{"Events": [{"CloudTrailEvent": "<record as a string>"}]}`.
        case lookupEvents
        /// JSON lines of `audit.k8s.io/v1` `Event`, as the API server's log backend writes them.
        case kubernetesAudit

        public var description: String {
            switch self {
            case .cloudTrail: "a CloudTrail log file"
            case .lookupEvents: "`aws cloudtrail lookup-events` output"
            case .kubernetesAudit: "a Kubernetes audit log"
            }
        }

        /// The value of ``RosterModel/ActivityEvent/source`` for events from files of this kind.
        public var source: String {
            switch self {
            case .cloudTrail, .lookupEvents: "cloudtrail"
            case .kubernetesAudit: "kubernetes-audit"
            }
        }
    }

    public var path: String
    /// Bytes on disk (compressed, for a gzip file).
    public var size: Int
    public var kind: Kind

    public init(path: String, size: Int, kind: Kind) {
        self.path = path
        self.size = size
        self.kind = kind
    }
}

/// Finds and reads activity logs: CloudTrail (S3 delivery and `lookup-events`) and Kubernetes audit logs.
public enum ActivityLogs {
    static let expected =
        "a CloudTrail log file ({\"Records\": [...]}, plain or gzip), `aws cloudtrail lookup-events` JSON "
        + "or a Kubernetes audit log (JSON lines of audit.k8s.io/v1 Event)"

    /// Expands directories (recursively, not into `.git`) and recognises each file by its content.
    ///
    /// In a directory, `.json`, `.log`, `.jsonl` and `.ndjson` files (gzip or not) are looked at; other
    /// kinds of file (CloudTrail digest files, unrelated JSON) are skipped with why. A file named
    /// directly must be an activity log. The files come back sorted by path, each once.
    ///
    /// For example:
    /// ```swift
    /// let found = try ActivityLogs.discover(["logs/AWSLogs", "audit.log"])
    /// for (path, reason) in found.skipped { print("\(path): skipped, \(reason)") }
    /// ```
    /// - Throws: ``ConnectorError`` naming a path that is missing, unreadable or not an activity log.
    public static func discover(_ paths: [String]) throws -> (files: [ActivityLogFile], skipped: [(String, String)]) {
        let found = try Discovery<ActivityLogFile>.search(
            paths,
            candidate: isCandidate,
            named: { path in
                let peek = try Peek(path: path)
                switch peek.verdict {
                case .log(let kind): return ActivityLogFile(path: path, size: peek.size, kind: kind)
                case .other(let reason, let error): throw error ?? ConnectorError(.unrecognised, "\(reason); expected \(expected)", file: path)
                }
            },
            found: { path in
                let peek: Peek
                do {
                    peek = try Peek(path: path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not readable as a log (\(error.message))")
                }
                switch peek.verdict {
                case .log(let kind): return .file(ActivityLogFile(path: path, size: peek.size, kind: kind))
                case .other(let reason, _): return .skip(reason)
                }
            }
        )
        var seen = Set<String>()
        let files = found.files.sorted { $0.path < $1.path }.filter { seen.insert($0.path).inserted }
        return (files, found.skips.map { ($0.path, $0.reason) })
    }

    static func isCandidate(_ relative: String) -> Bool {
        var name = Substring(relative)
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        return name.hasSuffix(".json") || name.hasSuffix(".log") || name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
    }
}

/// The first bytes of a file (after gunzip) and what they say it is.
struct Peek {
    enum Verdict {
        case log(ActivityLogFile.Kind)
        /// Not an activity log: why, as a phrase, and for a file named directly the error to give when it is more than "unrecognised".
        case other(String, ConnectorError?)
    }

    var size: Int
    var verdict: Verdict

    static let bytes = 64 * 1024

    init(path: String) throws {
        let input = try ActivityInput(path: path)
        var info = stat()
        size = stat(path, &info) == 0 ? Int(info.st_size) : 0
        var buffer = [UInt8](repeating: 0, count: Self.bytes)
        var count = 0
        var ended = false
        try buffer.withUnsafeMutableBytes { raw in
            while count < Self.bytes {
                let n: Int
                do {
                    n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                } catch  where count > 0 {
                    // A damaged gzip file that starts like a log is a log: reading it says where it broke.
                    break
                }
                if n == 0 {
                    ended = true
                    break
                }
                count += n
            }
        }
        verdict = buffer.withUnsafeBufferPointer { Self.recognise(UnsafePointer($0.baseAddress!), count: count, complete: ended, path: path) }
    }

    static func recognise(_ p: UnsafePointer<UInt8>, count: Int, complete: Bool, path: String) -> Verdict {
        if count == 0 {
            return .other("the file is empty", ConnectorError(.malformed, "the file is empty; expected \(ActivityLogs.expected)", file: path))
        }
        // A byte order mark does not change what the file is meant to be: the reader refuses it, naming the place.
        let bom = count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
        var cursor = JSONCursor(p, from: bom, to: count, complete: complete)
        do throws(JSONScanError) {
            try cursor.beginObject("$")
            var first = true
            guard let key = try cursor.nextKey(&first) else { return .other("an empty JSON object", nil) }
            if cursor.is(key, "Records") { return .log(.cloudTrail) }
            if cursor.is(key, "Events") { return .log(.lookupEvents) }
            if cursor.is(key, "awsAccountId") || cursor.is(key, "digestStartTime") {
                return .other("a CloudTrail digest file, which holds hashes of log files and no events", nil)
            }
            // A Kubernetes audit line: look for kind Event and an audit.k8s.io apiVersion among its first members.
            var kind: String?
            var apiVersion: String?
            var next: JSONKey? = key
            while let member = next {
                if cursor.is(member, "kind") {
                    kind = try cursor.string("kind")
                } else if cursor.is(member, "apiVersion") {
                    apiVersion = try cursor.string("apiVersion")
                } else {
                    try cursor.skipValue()
                }
                if let kind, let apiVersion {
                    if kind == "Event" && apiVersion.hasPrefix("audit.k8s.io/") { return .log(.kubernetesAudit) }
                    break
                }
                next = try cursor.nextKey(&first)
            }
            let firstName = key.count <= 64 ? "\"\(cursor.name(key))\"" : "a long name"
            return .other(
                "not an activity log: a JSON object whose first member is \(firstName)",
                ConnectorError(
                    .unrecognised,
                    "not an activity log: a JSON object whose first member is \(firstName); expected \(ActivityLogs.expected)",
                    file: path,
                    location: "$"
                )
            )
        } catch {
            guard case .bad(let offset, _, let message, _) = error else {
                return .other("not an activity log: the first JSON object is too long to recognise", nil)
            }
            let what = p[bom] == UInt8(ascii: "{") || p[bom] == UInt8(ascii: "[") ? "not valid JSON: \(message)" : "not JSON"
            return .other(
                "not an activity log (\(what))",
                ConnectorError(
                    .unrecognised,
                    "not an activity log (\(what)); expected \(ActivityLogs.expected)",
                    file: path,
                    location: "byte \(offset)"
                )
            )
        }
    }
}

extension ActivityLogs {
    /// Whether the file at `path` is an activity log (by content); false for anything else,
    /// including a path that cannot be read.
    public static func isActivityLog(_ path: String) -> Bool {
        guard let peek = try? Peek(path: path), case .log = peek.verdict else { return false }
        return true
    }
}
