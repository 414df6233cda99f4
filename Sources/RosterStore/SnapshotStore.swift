public import Foundation
public import RosterModel

/// Where snapshots and their analysis live.
///
/// SQLite (``RosterStore``) is the embedded backend; a PostgreSQL backend can conform later
/// without the service or the CLI changing, which is why every method is `async`.
/// Reads are indexed queries over stored analysis: nothing here runs a detector.
public protocol SnapshotStore: Sendable {
    // MARK: Snapshots

    /// Saves each estate as a snapshot, all in one transaction: either every estate is stored or none is.
    ///
    /// Each distinct version of an identity, credential, policy, grant, resource or edge is
    /// stored once; a snapshot is the list of versions it holds. An estate whose content and
    /// observation day equal the latest snapshot of its scope is not stored again
    /// (`.unchanged`).
    func save(_ items: [SnapshotInput]) async throws -> [SaveOutcome]

    /// All snapshots, oldest first, optionally of one scope.
    func snapshots(scope: String?) async throws -> [SnapshotInfo]

    /// The newest snapshot of each scope.
    func latestSnapshots() async throws -> [SnapshotInfo]

    /// A snapshot's content.
    func estate(snapshot id: Int64) async throws -> Estate

    /// Keeps the newest `keep` snapshots of each scope, deletes the rest and the versions only they held.
    func prune(keep: Int) async throws -> PruneReport

    // MARK: Analysis

    /// The id of the stored analysis of `snapshot` under `settingsDigest`, if there is one.
    func analysisId(snapshot: Int64, settingsDigest: String) async throws -> Int64?

    /// Stores analyses (replacing older analyses of the same scopes) and records first/last
    /// seen for their findings, in one transaction.
    func saveAnalyses(_ analyses: [AnalysisRecord]) async throws -> [Int64]

    /// Identity profiles of the given analyses matching `query`, highest risk first, handed to
    /// `body` a batch at a time (streamed: memory does not grow with the estate).
    func forEachProfile(_ query: ProfileQuery, _ body: @Sendable ([IdentityProfileRecord]) throws -> Void) async throws

    func profiles(_ query: ProfileQuery) async throws -> [IdentityProfileRecord]

    // MARK: Activity

    /// Which of `files` (path and digest) were read before.
    func knownActivityFiles(_ files: [ActivityFileRecord]) async throws -> Set<ActivityFileRecord>

    /// Stored usage records (the analysis module's encoding) of `identityIds`, or of every identity.
    func activityUsage(identityIds: [String]?) async throws -> [String: Data]

    /// Last use per identity, from activity.
    func activityLastUsed() async throws -> [String: Date]

    /// Replaces the usage records given, records the files read, and sets the activity digest:
    /// one transaction, so a failed import leaves the store as it was.
    func saveActivity(usage: [String: (lastUsed: Date, data: Data)], files: [ActivityFileRecord], digest: String) async throws

    /// The digest of all activity stored, nil before any import.
    func activityDigest() async throws -> String?

    /// Credentials whose recorded fingerprint is one of `fingerprints`, each with whether it is in
    /// one of `snapshots` (the current estate) or only in older ones (deleted since).
    func credentials(withFingerprints fingerprints: [String], current snapshots: [Int64]) async throws -> [(credential: Credential, current: Bool)]

    /// Finds identities by id, native id (`AIDA…`), name (case-insensitively), access key id or
    /// credential fingerprint.
    func lookupIdentity(_ text: String, analyses: [Int64]) async throws -> [String]

    /// Names near `text`, for "did you mean".
    func suggestions(for text: String, analyses: [Int64], limit: Int) async throws -> [String]

    func findings(_ query: FindingQuery) async throws -> [StoredFinding]

    /// Edges from or to an identity.
    func edges(of identityId: String, analyses: [Int64]) async throws -> [Edge]

    /// Every edge of the analyses whose kind is one of `kinds`: the stored access graph.
    func edges(analyses: [Int64], kinds: [EdgeKind]) async throws -> [Edge]

    /// The stored governance counts of each analysis.
    func metrics(analyses: [Int64]) async throws -> [Data]

    /// Finding history between two snapshots of a scope: findings first seen after `from` up to
    /// `to`, and those last seen before `to` (resolved).
    func findingChanges(scope: String, from: Int64, to: Int64) async throws -> (new: [FindingHistory], resolved: [FindingHistory])

    // MARK: Suppressions

    func suppress(_ suppression: Suppression) async throws
    /// - Returns: whether there was one.
    func unsuppress(findingId: String) async throws -> Bool
    func suppressions() async throws -> [Suppression]
}

/// One estate to store, with where it came from.
public struct SnapshotInput: Sendable {
    public var estate: Estate
    public var source: String
    /// The digest of the input files, when the estate came from files.
    public var inputDigest: String?

    public init(estate: Estate, source: String, inputDigest: String? = nil) {
        self.estate = estate
        self.source = source
        self.inputDigest = inputDigest
    }
}

public enum SaveOutcome: Sendable, Equatable {
    case created(SnapshotInfo)
    case unchanged(SnapshotInfo)

    public var snapshot: SnapshotInfo {
        switch self {
        case .created(let info), .unchanged(let info): info
        }
    }
}

public struct PruneReport: Sendable, Equatable {
    public var snapshotsDeleted: Int
    public var versionsDeleted: Int
}

/// Which identity profiles to read.
/// An activity log file already read.
public struct ActivityFileRecord: Sendable, Hashable {
    public var path: String
    public var digest: String
    public var source: String
    public var events: Int

    public init(path: String, digest: String, source: String = "", events: Int = 0) {
        self.path = path
        self.digest = digest
        self.source = source
        self.events = events
    }

    public static func == (a: Self, b: Self) -> Bool { a.path == b.path && a.digest == b.digest }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(digest)
    }
}

public struct ProfileQuery: Sendable {
    public var analyses: [Int64]
    public var identityIds: [String]?
    public var provider: Provider?
    public var kind: IdentityKind?
    public var nature: IdentityNature?
    public var nonHumanOnly: Bool
    /// Owner contains this text (case-insensitively); `""` means "has no owner".
    public var owner: String?
    public var environment: String?
    public var minIdleDays: Int?
    public var limit: Int?
    public var offset: Int

    public init(analyses: [Int64], identityIds: [String]? = nil, provider: Provider? = nil, kind: IdentityKind? = nil, nature: IdentityNature? = nil,
                nonHumanOnly: Bool = false, owner: String? = nil, environment: String? = nil, minIdleDays: Int? = nil, limit: Int? = nil, offset: Int = 0) {
        self.analyses = analyses
        self.identityIds = identityIds
        self.provider = provider
        self.kind = kind
        self.nature = nature
        self.nonHumanOnly = nonHumanOnly
        self.owner = owner
        self.environment = environment
        self.minIdleDays = minIdleDays
        self.limit = limit
        self.offset = offset
    }
}

/// Which findings to read.
public struct FindingQuery: Sendable {
    public var analyses: [Int64]
    public var minSeverity: Severity
    public var rules: [String]
    public var owasp: [OWASPCategory]
    public var provider: Provider?
    public var identityId: String?
    public var ids: [String]?
    public var limit: Int?

    public init(analyses: [Int64], minSeverity: Severity = .info, rules: [String] = [], owasp: [OWASPCategory] = [], provider: Provider? = nil,
                identityId: String? = nil, ids: [String]? = nil, limit: Int? = nil) {
        self.analyses = analyses
        self.minSeverity = minSeverity
        self.rules = rules
        self.owasp = owasp
        self.provider = provider
        self.identityId = identityId
        self.ids = ids
        self.limit = limit
    }
}

/// When a finding was first and last seen in a scope, with enough to report it after it is gone.
public struct FindingHistory: Codable, Hashable, Sendable {
    public var id: String
    public var scope: String
    public var ruleId: String
    public var severity: Severity
    public var title: String
    public var identityId: String
    public var identityName: String
    public var credentialId: String?
    public var firstSeenSnapshot: Int64
    public var lastSeenSnapshot: Int64
    public var firstSeen: Date
    public var lastSeen: Date
}
