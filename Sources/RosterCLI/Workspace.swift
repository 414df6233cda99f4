import Foundation
import RosterAnalysis
import RosterModel
import RosterStore

/// The current view of the store: the newest snapshot of every scope (or the ones asked for), analysed.
struct Workspace {
    var snapshots: [SnapshotInfo]
    var estates: [Estate]
    var analysis: Analysis

    static func load(_ global: GlobalOptions, policy: DetectionPolicy, snapshot: Int64? = nil) throws -> Workspace {
        let store = try global.openExistingStore()
        let snapshots: [SnapshotInfo]
        if let snapshot {
            guard let info = try store.snapshots(scope: nil).first(where: { $0.id == snapshot }) else {
                throw StoreError(.notFound, "no snapshot #\(snapshot) in \(global.db); `roster snapshots` lists them")
            }
            snapshots = [info]
        } else {
            snapshots = try store.latestSnapshots()
        }
        guard !snapshots.isEmpty else {
            throw CLIError.store("\(global.db) holds no snapshots yet; run `roster import aws <dir>` first")
        }
        let estates = try snapshots.map { try store.estate(snapshot: $0.id) }
        return Workspace(snapshots: snapshots, estates: estates, analysis: Analyzer.run(estates, policy: policy))
    }
}

enum Format {
    static func date(_ date: Date?) -> String {
        date?.utcDay ?? "-"
    }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    static func severityCounts(_ findings: [Finding]) -> String {
        let parts = Severity.allCases.reversed().compactMap { severity -> String? in
            let n = findings.filter { $0.severity == severity }.count
            return n == 0 ? nil : "\(n) \(severity.rawValue)"
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
