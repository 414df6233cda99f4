public import RosterModel

/// Called as a read or collection advances: what is being done, how much is done, of how much.
public typealias ProgressHandler = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

/// What a connector or collector produced: one estate per scope (account, project, cluster…),
/// and warnings about what it read but could not use.
public struct ConnectorResult: Sendable {
    public var estates: [Estate]
    /// Each a sentence naming the file or call it is about.
    public var warnings: [String]

    public init(estates: [Estate], warnings: [String] = []) {
        self.estates = estates
        self.warnings = warnings
    }
}

/// A file found in a directory and not read, with why.
public struct DiscoverySkip: Sendable, Hashable {
    public var path: String
    /// Why, to follow "skipped, ": "a named pipe (FIFO), not a regular file".
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The files a connector recognised among the paths it was given, and those it passed over.
public struct Discovery<File: Sendable>: Sendable {
    public var files: [File]
    /// Files in directories that were not read: other kinds of file, pipes, devices, link loops.
    public var skips: [DiscoverySkip]

    public init(files: [File] = [], skips: [DiscoverySkip] = []) {
        self.files = files
        self.skips = skips
    }

    /// The paths of the skipped files, in the order found.
    public var skipped: [String] { skips.map(\.path) }

    /// One sentence per skipped file, naming it and saying why:
    /// `exports/pipe.json: skipped, a named pipe (FIFO), not a regular file; it was not opened`.
    public var warnings: [String] { skips.map { "\($0.path): skipped, \($0.reason)" } }
}

/// Reads one provider's export files into the model. Pure apart from reading the files:
/// nothing is stored, the pipeline (`RosterService`) does that.
///
/// Every source is one folder under `Sources/RosterConnectors/` with the same shape: a
/// recogniser (file kinds, by content), Decodable mirrors of the files, a mapper to the model,
/// and a type conforming to this protocol.
public protocol Connector: Sendable {
    associatedtype File: Sendable
    var provider: Provider { get }

    /// Expands directories and recognises files by content.
    /// - Throws: `ConnectorError` for a named file that is missing, unreadable or of the wrong kind.
    func discover(_ paths: [String]) throws -> Discovery<File>

    /// A digest of the inputs, equal exactly when reading them would give the same estates;
    /// cheap next to reading them, so an import of the very same files can stop early.
    func inputDigest(_ files: [File]) throws -> String

    /// Reads and maps the files, together.
    /// - Throws: `ConnectorError` for the first file that cannot be read, naming it and the place.
    func read(_ files: [File], progress: ProgressHandler?) throws -> ConnectorResult
}

/// Discovers identities live from a provider's APIs.
public protocol Collector: Sendable {
    var provider: Provider { get }

    /// - Throws: `ConnectorError` (code `.configuration` for bad settings, others for provider failures).
    func collect(progress: ProgressHandler?) async throws -> ConnectorResult
}
