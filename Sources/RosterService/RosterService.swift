import Foundation
public import RosterAnalysis
import RosterConnectors
public import RosterModel
public import RosterStore

/// The one pipeline and the read queries, for the CLI and, later, the server.
///
/// Ingest is discover → digest → read → map → save → analyse; reads are queries over the
/// stored analysis. Analysis runs once per snapshot and settings digest: a read finds it
/// stored, or (after a settings change, or on a database upgraded from an earlier release)
/// runs it once and stores it.
///
/// For example:
/// ```swift
/// let service = RosterService(store: try RosterStore.open(at: "roster.db"))
/// let report = try await service.importFiles(AWSConnector(), paths: ["export/"])
/// let critical = try await service.findings(minSeverity: .critical)
/// ```
public struct RosterService: Sendable {
    /// Settings the pipeline and the queries follow.
    public struct Configuration: Sendable {
        public var policy: DetectionPolicy
        /// Suppressions declared in the settings file; the store holds those made with `roster suppress`.
        public var suppressions: [Suppression]
        /// A new snapshot that keeps fewer than this share of its scope's identities is refused unless replacing.
        public var minimumRetainedShare: Double

        public init(policy: DetectionPolicy = .default, suppressions: [Suppression] = [], minimumRetainedShare: Double = 0.5) {
            self.policy = policy
            self.suppressions = suppressions
            self.minimumRetainedShare = minimumRetainedShare
        }
    }

    public let store: any SnapshotStore
    public var configuration: Configuration

    public init(store: any SnapshotStore, configuration: Configuration = Configuration()) {
        self.store = store
        self.configuration = configuration
    }

    /// Bumped whenever detectors, risk or edge rules change what analysis produces, so stored analyses are redone.
    public static let analysisVersion = "4"
}

/// Errors of the pipeline itself (the connectors and the store throw their own).
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable { case partialSnapshot, notFound, ambiguous, empty, invalidInput }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// A new snapshot would drop most of its scope's identities.
        public static let partialSnapshot = Code(.partialSnapshot)
        public static let notFound = Code(.notFound)
        public static let ambiguous = Code(.ambiguous)
        /// The store holds nothing yet.
        public static let empty = Code(.empty)
        /// The input is not what the operation reads (no activity log in the paths given).
        public static let invalidInput = Code(.invalidInput)
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
