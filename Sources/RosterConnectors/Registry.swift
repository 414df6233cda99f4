public import Foundation
public import RosterModel

/// Settings every file connector takes.
public struct ImportOptions: Sendable {
    /// The time to measure ages against when the files do not say when they were produced.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }
}

/// Files one connector recognised, with its type erased, so an import can hold several
/// providers' files and read them in one transaction.
public struct RecognisedFiles: Sendable {
    public let provider: Provider
    public let paths: [String]
    public let skips: [DiscoverySkip]
    let digest: @Sendable () throws -> String
    let read: @Sendable (ProgressHandler?) throws -> ConnectorResult

    public init<C: Connector>(_ connector: C, discovery: Discovery<C.File>, paths: [String]) {
        self.provider = connector.provider
        self.paths = paths
        self.skips = discovery.skips
        let files = discovery.files
        self.digest = { try connector.inputDigest(files) }
        self.read = { progress in try connector.read(files, progress: progress) }
    }

    public var isEmpty: Bool { paths.isEmpty }

    /// A digest equal exactly when reading the files would give the same estates.
    public func inputDigest() throws -> String { "\(provider.rawValue):" + (try digest()) }

    /// Reads and maps the files.
    public func readAll(progress: ProgressHandler?) throws -> ConnectorResult { try read(progress) }
}

/// One source Roster imports files from: its provider, what it reads, and how to find its files.
public struct ConnectorEntry: Sendable {
    public let provider: Provider
    /// A display name ("Kubernetes").
    public let title: String
    /// The files it reads, as a sentence for help and error messages.
    public let reads: String
    let discover: @Sendable ([String], ImportOptions) throws -> RecognisedFiles

    public init(provider: Provider, title: String, reads: String, discover: @escaping @Sendable ([String], ImportOptions) throws -> RecognisedFiles) {
        self.provider = provider
        self.title = title
        self.reads = reads
        self.discover = discover
    }

    /// Expands directories and recognises this connector's files; a named file must be one.
    /// - Throws: ``ConnectorError`` for a named file that is missing, unreadable or not this source's.
    public func files(in paths: [String], options: ImportOptions = ImportOptions()) throws -> RecognisedFiles {
        try discover(paths, options)
    }
}

/// Every file connector, in the order `roster import <dir>` offers files to them.
///
/// Add a source by giving its folder a `ConnectorEntry` and listing it in ``all``.
public enum Connectors {
    public static let all: [ConnectorEntry] = [AWSConnector.entry, AzureConnector.entry, SaaSConnector.entry]

    public static func entry(for provider: Provider) -> ConnectorEntry? { all.first { $0.provider == provider } }

    /// Recognises every provider's files among `paths`, by content: each directory is offered to
    /// every connector, each named file must be some connector's. A file in a directory that no
    /// connector takes is skipped with the reason.
    ///
    /// - Throws: ``ConnectorError`` for a named file no connector reads (listing what they read).
    public static func recogniseAll(_ paths: [String], options: ImportOptions = ImportOptions()) throws -> [RecognisedFiles] {
        var directories: [String] = []
        var named: [String: [String]] = [:]
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                directories.append(path)
                continue
            }
            var owner: ConnectorEntry?
            var firstError: ConnectorError?
            for entry in all {
                do {
                    _ = try entry.files(in: [path], options: options)
                    owner = entry
                    break
                } catch let error as ConnectorError where error.code == .unrecognised || error.code == .wrongKind {
                    firstError = firstError ?? error
                }
            }
            guard let owner else {
                if !FileManager.default.fileExists(atPath: path) { throw ConnectorError(.unreadable, "no such file or directory", file: path) }
                throw ConnectorError(
                    .unrecognised, "not a file any Roster connector reads; they read " + all.map { "\($0.title): \($0.reads)" }.joined(separator: "; "),
                    file: path)
            }
            _ = firstError
            named[owner.provider.rawValue, default: []].append(path)
        }
        var out: [RecognisedFiles] = []
        var accepted: Set<String> = []
        var skipped: [String: String] = [:]
        var skipOrder: [String] = []
        for entry in all {
            let found = try entry.files(in: directories + (named[entry.provider.rawValue] ?? []), options: options)
            accepted.formUnion(found.paths)
            for skip in found.skips {
                if skipped[skip.path] == nil { skipOrder.append(skip.path) }
                skipped[skip.path] = skipped[skip.path] == nil ? skip.reason : "not a file any Roster connector reads"
            }
            if !found.isEmpty { out.append(found) }
        }
        let skips = skipOrder.filter { !accepted.contains($0) }.map { DiscoverySkip(path: $0, reason: skipped[$0]!) }
        if !skips.isEmpty, let first = out.indices.first {
            out[first] = out[first].replacingSkips(skips)
        } else if !skips.isEmpty {
            // Nothing recognised: keep the skips so the caller can say what was passed over.
            out.append(RecognisedFiles(NoFiles(), discovery: Discovery(files: [], skips: skips), paths: []))
        }
        if let first = out.indices.first, !out.isEmpty {
            for i in out.indices where i != first { out[i] = out[i].replacingSkips([]) }
        }
        return out
    }
}

extension RecognisedFiles {
    /// The same files, reporting `skips` as passed over instead of the connector's own.
    func replacingSkips(_ skips: [DiscoverySkip]) -> RecognisedFiles {
        RecognisedFiles(provider: provider, paths: paths, skips: skips, digest: digest, read: read)
    }

    private init(provider: Provider, paths: [String], skips: [DiscoverySkip], digest: @escaping @Sendable () throws -> String,
                 read: @escaping @Sendable (ProgressHandler?) throws -> ConnectorResult) {
        self.provider = provider
        self.paths = paths
        self.skips = skips
        self.digest = digest
        self.read = read
    }
}

/// A connector that reads nothing: what an import recognised nothing in holds.
private struct NoFiles: Connector {
    var provider: Provider { .generic }
    func discover(_ paths: [String]) throws -> Discovery<String> { Discovery() }
    func inputDigest(_ files: [String]) throws -> String { "" }
    func read(_ files: [String], progress: ProgressHandler?) throws -> ConnectorResult { ConnectorResult(estates: []) }
}

extension AWSConnector {
    /// The AWS entry of the connector registry.
    public static let entry = ConnectorEntry(
        provider: .aws, title: "AWS", reads: AWSFileKind.importableList
    ) { paths, options in
        let connector = AWSConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
