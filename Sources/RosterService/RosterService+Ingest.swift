import Foundation
import RosterAnalysis
public import RosterConnectors
public import RosterModel
public import RosterStore

/// The headline figures of one stored snapshot's analysis.
public struct SnapshotSummary: Sendable {
    public var findings: [Severity: Int]
    public var nonHuman: Int
}

/// What an import or collection did.
public struct IngestReport: Sendable {
    public var outcomes: [SaveOutcome]
    /// Per snapshot id, after analysis: findings by severity and the number of non-human identities.
    public var summaries: [Int64: SnapshotSummary]
    public var warnings: [String]
    /// Files passed over in directories, each a sentence saying why.
    public var skipped: [String]
    /// The files read, or 0 for a collection.
    public var fileCount: Int
    /// True when the very same input was imported before and nothing was read.
    public var recognisedByDigest: Bool
}

extension RosterService {
    /// Imports files: discover (already done by the caller, who may check kinds), digest, read,
    /// map, save, analyse. One transaction: a bad file stores nothing.
    public func importFiles<C: Connector>(
        _ connector: C, files: Discovery<C.File>, source: String, replace: Bool = false, progress: ProgressHandler? = nil
    ) async throws -> IngestReport {
        progress?("checking for an identical import", 0, 0)
        let inputDigest = try connector.inputDigest(files.files)
        // The same files were imported before, and every scope they held is still at that import.
        let all = try await store.snapshots(scope: nil)
        let scopes = Set(all.filter { $0.inputDigest == inputDigest }.map(\.scope))
        let same = try await store.latestSnapshots().filter { scopes.contains($0.scope) && $0.inputDigest == inputDigest }
        if !scopes.isEmpty && same.count == scopes.count {
            let counts = try await summaries(same)
            return IngestReport(outcomes: same.map { .unchanged($0) }, summaries: counts, warnings: [], skipped: files.warnings,
                                fileCount: files.files.count, recognisedByDigest: true)
        }
        let result = try connector.read(files.files, progress: progress)
        var report = try await ingest(result, source: source, inputDigest: inputDigest, replace: replace, progress: progress)
        report.skipped = files.warnings
        report.fileCount = files.files.count
        return report
    }

    /// Imports several providers' recognised files as one import: one transaction over every
    /// estate they give, so a bad file in any of them stores nothing.
    public func importRecognised(_ parts: [RecognisedFiles], source: String, replace: Bool = false, progress: ProgressHandler? = nil) async throws -> IngestReport {
        let reading = parts.filter { !$0.isEmpty }
        let skipped = parts.flatMap(\.skips).map { "\($0.path): skipped, \($0.reason)" }
        let fileCount = reading.reduce(0) { $0 + $1.paths.count }
        progress?("checking for an identical import", 0, 0)
        let inputDigest = SHA256Digest.hex(of: try reading.map { try $0.inputDigest() }.sorted().joined(separator: "\n"))
        let all = try await store.snapshots(scope: nil)
        let scopes = Set(all.filter { $0.inputDigest == inputDigest }.map(\.scope))
        let same = try await store.latestSnapshots().filter { scopes.contains($0.scope) && $0.inputDigest == inputDigest }
        if !scopes.isEmpty && same.count == scopes.count {
            return IngestReport(outcomes: same.map { .unchanged($0) }, summaries: try await summaries(same), warnings: [], skipped: skipped,
                                fileCount: fileCount, recognisedByDigest: true)
        }
        var merged = ConnectorResult(estates: [])
        for part in reading {
            let result = try part.readAll(progress: progress)
            merged.estates += result.estates
            merged.warnings += result.warnings
        }
        let repeated = Dictionary(grouping: merged.estates, by: \.scope).filter { $0.value.count > 1 }.keys.sorted()
        if let scope = repeated.first {
            throw ServiceError(.partialSnapshot, "\(scope): the files give this scope twice (from different providers' files); import them separately")
        }
        var report = try await ingest(merged, source: source, inputDigest: inputDigest, replace: replace, progress: progress)
        report.skipped = skipped
        report.fileCount = fileCount
        return report
    }

    /// Collects live from a provider's APIs and stores the result as an import would.
    public func collect<C: Collector>(_ collector: C, source: String, replace: Bool = false, progress: ProgressHandler? = nil) async throws -> IngestReport {
        let result = try await collector.collect(progress: progress)
        return try await ingest(result, source: source, inputDigest: nil, replace: replace, progress: progress)
    }

    /// Saves what a connector produced, then analyses and stores the analysis.
    public func ingest(_ result: ConnectorResult, source: String, inputDigest: String?, replace: Bool, progress: ProgressHandler? = nil) async throws -> IngestReport {
        try await refusePartial(result.estates, replace: replace)
        progress?("writing the snapshot", 0, 0)
        let outcomes = try await store.save(result.estates.map { SnapshotInput(estate: $0, source: source, inputDigest: inputDigest) })
        // Analyse what was stored now, reusing the estates in memory.
        let estates = Dictionary(result.estates.map { ($0.scope, $0) }, uniquingKeysWith: { a, _ in a })
        _ = try await analysed(outcomes.map(\.snapshot), estates: estates, progress: progress)
        _ = try await linkAnalysis(try await store.latestSnapshots(), estates: estates, progress: progress)
        progress?("summarising", 0, 0)
        return IngestReport(
            outcomes: outcomes, summaries: try await summaries(outcomes.map(\.snapshot)), warnings: result.warnings, skipped: [],
            fileCount: 0, recognisedByDigest: false)
    }

    /// Refuses a snapshot that would drop more than half of its scope's identities: most often
    /// a partial export imported by mistake.
    private func refusePartial(_ estates: [Estate], replace: Bool) async throws {
        guard !replace else { return }
        let latest = Dictionary(try await store.latestSnapshots().map { ($0.scope, $0) }, uniquingKeysWith: { a, _ in a })
        for estate in estates {
            guard let previous = latest[estate.scope], previous.identityCount > 0 else { continue }
            let kept = Double(estate.identities.count) / Double(previous.identityCount)
            if kept < configuration.minimumRetainedShare {
                throw ServiceError(.partialSnapshot, """
                    \(estate.scope): this import holds \(estate.identities.count) identities, but snapshot #\(previous.id) holds \(previous.identityCount); \
                    storing it would drop \(previous.identityCount - estate.identities.count) of them. If the export is partial (--filter, --max-items, \
                    a denied call), export again; if the identities really are gone, pass --replace
                    """)
            }
        }
    }

    func summaries(_ snapshots: [SnapshotInfo]) async throws -> [Int64: SnapshotSummary] {
        var out: [Int64: SnapshotSummary] = [:]
        let ids = try await analysed(snapshots)
        for (snapshot, metrics) in zip(snapshots, try await metrics(analyses: ids, merged: false)) {
            var counts: [Severity: Int] = [:]
            for (severity, n) in metrics.findingsBySeverity { if let s = Severity(rawValue: severity) { counts[s] = n } }
            out[snapshot.id] = SnapshotSummary(findings: counts, nonHuman: metrics.nonHuman)
        }
        return out
    }
}
