import Crypto
import Foundation
import RosterAnalysis
public import RosterConnectors
import RosterModel
import RosterStore
import Synchronization

/// What an activity import read and found.
public struct ActivityImportReport: Sendable {
    public var files = 0
    /// Files read before (same path and digest), skipped.
    public var alreadyRead = 0
    public var events = 0
    /// Events seen twice (duplicate deliveries), counted once.
    public var duplicates = 0
    public var identities = 0
    /// Events by principals the inventory cannot hold (AWS services, anonymous callers).
    public var unattributed = 0
    public var findings = 0
    public var bytes = 0
    public var skipped: [(String, String)] = []
}

/// Event ids seen, by the UTC day of the event, kept for the last few days only: CloudTrail
/// delivers a duplicate within minutes to hours of the original, so ids of events days older
/// than the newest seen can be forgotten, and memory stays flat however many days are read.
struct RecentIds {
    /// Days of ids kept behind the newest event's day.
    static let days = 3
    private var byDay: [Int: Set<Int>] = [:]
    private var newest = Int.min

    /// False when `id` was seen already (or belongs to a day already forgotten, which only a
    /// delivery days late can; it is then counted as new).
    mutating func insert(_ id: String, at time: Date) -> Bool {
        let day = Int((time.timeIntervalSince1970 / 86_400).rounded(.down))
        if day > newest {
            newest = day
            if byDay.count > Self.days { byDay = byDay.filter { $0.key > newest - Self.days } }
        }
        return byDay[day, default: []].insert(id.hashValue).inserted
    }
}

extension RosterService {
    /// Reads activity logs (CloudTrail, Kubernetes audit), folds them into each identity's stored
    /// usage, and runs the activity rules. Files read before (same path and digest) are skipped,
    /// so importing a trail's folder again each day reads only the new day.
    ///
    /// One transaction: a bad file leaves the store as it was.
    public func importActivity(_ paths: [String], cluster: String? = nil, progress: ProgressHandler? = nil) async throws -> ActivityImportReport {
        var report = ActivityImportReport()
        progress?("finding activity logs", 0, 0)
        let (files, skipped) = try ActivityLogs.discover(paths)
        report.skipped = skipped
        guard !files.isEmpty else {
            throw ServiceError(.invalidInput, "no CloudTrail or Kubernetes audit log in \(paths.joined(separator: ", "))")
        }
        progress?("digesting", 0, files.count)
        var records: [ActivityFileRecord] = []
        for file in files { records.append(ActivityFileRecord(path: file.path, digest: try Self.digest(of: file.path), source: file.kind.source)) }
        let known = try await store.knownActivityFiles(records)
        let fresh = zip(files, records).filter { !known.contains($0.1) }
        report.alreadyRead = files.count - fresh.count
        report.files = fresh.count
        guard !fresh.isEmpty else { return report }

        // Read the new files on every core, each worker folding into its own accumulator; a
        // shared set of event ids drops duplicate deliveries across files.
        let queue = fresh
        let next = Atomic<Int>(0)
        let seen = Mutex(RecentIds())
        let results = Mutex<(ActivityAccumulator, [Int], Int, Int, (any Error)?)>((ActivityAccumulator(remembersIds: false), Array(repeating: 0, count: fresh.count), 0, 0, nil))
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, fresh.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var accumulator = ActivityAccumulator(remembersIds: false)
            var duplicates = 0
            var bytes = 0
            var counts: [(Int, Int)] = []
            var failure: (any Error)?
            while failure == nil {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < queue.count else { break }
                let (file, _) = queue[index]
                do {
                    let events = try ActivityLogs.read(file, cluster: cluster) { batch in
                        let fresh = seen.withLock { ids in batch.map { ids.insert($0.id, at: $0.time) } }
                        for (event, isNew) in zip(batch, fresh) {
                            if isNew { accumulator.add(event) } else { duplicates += 1 }
                        }
                    }
                    counts.append((index, events))
                    bytes += file.size
                } catch {
                    failure = error
                }
                progress?("reading activity", done.wrappingAdd(1, ordering: .relaxed).newValue, queue.count)
            }
            results.withLock { shared in
                shared.0.merge(accumulator)
                for (index, events) in counts { shared.1[index] = events }
                shared.2 += duplicates
                shared.3 += bytes
                if shared.4 == nil { shared.4 = failure }
            }
        }
        let (accumulator, counts, duplicates, bytes, failure) = results.withLock { $0 }
        if let failure { throw failure }
        report.events = counts.reduce(0, +)
        report.duplicates = duplicates
        report.bytes = bytes
        report.unattributed = accumulator.unattributed.events

        // Fold into what is stored.
        progress?("storing usage", 0, 0)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let stored = try await store.activityUsage(identityIds: Array(accumulator.usage.keys))
        var changed: [String: (lastUsed: Date, data: Data)] = [:]
        for (id, usage) in accumulator.usage {
            var merged = usage
            if let data = stored[id] {
                var previous = try decoder.decode(IdentityUsage.self, from: data)
                previous.merge(usage)
                merged = previous
            }
            changed[id] = (merged.lastUsed ?? .distantPast, try encoder.encode(merged))
        }
        report.identities = changed.count
        let previous = try await store.activityDigest() ?? ""
        let digest = SHA256Digest.hex(of: ([previous] + fresh.map(\.1.digest).sorted()).joined(separator: "\n"))
        let read = zip(fresh, counts).map { pair, events in ActivityFileRecord(path: pair.1.path, digest: pair.1.digest, source: pair.1.source, events: events) }
        try await store.saveActivity(usage: changed, files: read, digest: digest)
        progress?("analysing activity", 0, 0)
        if let id = try await activityAnalysis(progress: progress) {
            report.findings = try await store.findings(FindingQuery(analyses: [id])).count
        }
        return report
    }

    /// SHA-256 of a file, read in 1 MiB pieces.
    static func digest(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ServiceError(.invalidInput, "\(path): cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

}
