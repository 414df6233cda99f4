public import RosterAnalysis
public import RosterModel
public import RosterStore

/// What changed between two snapshots of one scope: identities and credentials from the stored
/// content, findings from their first/last-seen history.
public struct SnapshotDiff: Sendable {
    public var old: SnapshotInfo
    public var new: SnapshotInfo
    public var changes: EstateDiff
    public var newFindings: [FindingHistory]
    public var resolvedFindings: [FindingHistory]

    public var isEmpty: Bool { changes.isEmpty && newFindings.isEmpty && resolvedFindings.isEmpty }
}

extension RosterService {
    /// Compares `from` with `to` (default: the newest snapshot of `from`'s scope); with neither, the
    /// two newest snapshots of each scope (or of `scope`) that has two.
    ///
    /// - Returns: the comparisons, and the scopes with a single snapshot (nothing to compare yet).
    /// - Throws: ``ServiceError`` when a snapshot does not exist or the two are of different scopes.
    public func diffs(from: Int64? = nil, to: Int64? = nil, scope: String? = nil) async throws -> (diffs: [SnapshotDiff], singleSnapshotScopes: [String]) {
        let all = try await store.snapshots(scope: nil)
        let pairs = try Self.pairs(all, from: from, to: to, scope: scope)
        // The newest snapshots' analysis, and so the finding history, must be current.
        if !all.isEmpty { _ = try await view() }
        var out: [SnapshotDiff] = []
        for (old, new) in pairs {
            let changes = EstateDiff.between(
                try await store.estate(snapshot: old.id), try await store.estate(snapshot: new.id), oldFindings: [], newFindings: [])
            let findings = try await store.findingChanges(scope: new.scope, from: old.id, to: new.id)
            out.append(SnapshotDiff(old: old, new: new, changes: changes, newFindings: findings.new, resolvedFindings: findings.resolved))
        }
        let single = Set(all.map(\.scope)).subtracting(pairs.map(\.1.scope)).filter { scope == nil || $0 == scope }.sorted()
        return (out, single)
    }

    static func pairs(_ all: [SnapshotInfo], from: Int64?, to: Int64?, scope: String?) throws -> [(SnapshotInfo, SnapshotInfo)] {
        func find(_ id: Int64) throws -> SnapshotInfo {
            guard let info = all.first(where: { $0.id == id }) else { throw ServiceError(.notFound, "no snapshot #\(id); `roster snapshots` lists them") }
            return info
        }
        if let from {
            let old = try find(from)
            let new = try to.map(find) ?? all.last { $0.scope == old.scope } ?? old
            guard old.scope == new.scope else {
                throw ServiceError(.ambiguous, "snapshot #\(old.id) is of \(old.scope) but #\(new.id) is of \(new.scope); diff compares one scope")
            }
            return [(old, new)]
        }
        if let to {
            let new = try find(to)
            guard let old = all.last(where: { $0.scope == new.scope && $0.id < new.id }) else {
                throw ServiceError(.ambiguous, "snapshot #\(new.id) is the first of \(new.scope); nothing to compare it with")
            }
            return [(old, new)]
        }
        let scopes = Dictionary(grouping: all, by: \.scope).filter { scope == nil || $0.key == scope }
        if let scope, scopes.isEmpty { throw ServiceError(.notFound, "no snapshots of \(scope)") }
        return scopes.sorted { $0.key < $1.key }.compactMap { _, list in list.count >= 2 ? (list[list.count - 2], list[list.count - 1]) : nil }
    }
}
