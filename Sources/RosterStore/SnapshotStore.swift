public import RosterModel

/// Where snapshots live. SQLite (``RosterStore``) is the embedded backend; a server backend
/// can conform later without the CLI or analysis changing.
public protocol SnapshotStore: Sendable {
    /// Saves each estate as a snapshot with its findings, all in one transaction: either every
    /// estate is stored or none is.
    ///
    /// An estate whose content equals the latest snapshot of its scope, observed on the same UTC
    /// day, is not stored again; its outcome is `.unchanged` with that snapshot.
    func save(_ items: [SnapshotInput]) throws -> [SaveOutcome]

    /// All snapshots, oldest first, optionally of one scope.
    func snapshots(scope: String?) throws -> [SnapshotInfo]

    /// The newest snapshot of each scope.
    func latestSnapshots() throws -> [SnapshotInfo]

    func estate(snapshot id: Int64) throws -> Estate

    /// The findings recorded when the snapshot was imported.
    func findings(snapshot id: Int64) throws -> [Finding]
}

/// One estate to store, with where it came from and what the detectors found in it.
public struct SnapshotInput: Sendable {
    public var estate: Estate
    public var source: String
    public var findings: [Finding]
    /// The digest of the input files, when the estate came from files.
    public var inputDigest: String?

    public init(estate: Estate, source: String, findings: [Finding], inputDigest: String? = nil) {
        self.estate = estate
        self.source = source
        self.findings = findings
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
