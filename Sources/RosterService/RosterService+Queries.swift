public import Foundation
public import RosterAnalysis
public import RosterModel
public import RosterStore

/// The snapshots a read looks at, with their stored analyses.
public struct View: Sendable {
    public var snapshots: [SnapshotInfo]
    public var analyses: [Int64]
}

/// One identity, explained: its profile, findings and edges.
public struct IdentityDetail: Sendable {
    public var profile: IdentityProfileRecord
    public var findings: [StoredFinding]
    public var edges: [Edge]
}

extension RosterService {
    /// The newest snapshot of every scope, or the one asked for, analysed under the current settings.
    public func view(snapshot: Int64? = nil) async throws -> View {
        let snapshots: [SnapshotInfo]
        if let snapshot {
            guard let info = try await store.snapshots(scope: nil).first(where: { $0.id == snapshot }) else {
                throw ServiceError(.notFound, "no snapshot #\(snapshot); `roster snapshots` lists them")
            }
            snapshots = [info]
        } else {
            snapshots = try await store.latestSnapshots()
        }
        guard !snapshots.isEmpty else { throw ServiceError(.empty, "the database holds no snapshots yet; run `roster import <dir>` first") }
        var analyses = try await analysed(snapshots)
        // The whole estate also sees what links its systems; one snapshot is seen on its own.
        if snapshot == nil, let links = try await linkAnalysis(snapshots) { analyses.append(links) }
        // And what activity logs showed.
        if snapshot == nil, let activity = try await activityAnalysis() { analyses.append(activity) }
        return View(snapshots: snapshots, analyses: analyses)
    }

    /// Active suppressions by finding id: the store's and the settings file's.
    public func activeSuppressions(at now: Date = Date()) async throws -> [String: Suppression] {
        var out: [String: Suppression] = [:]
        for suppression in try await store.suppressions() + configuration.suppressions where suppression.isActive(at: now) {
            out[suppression.findingId] = suppression
        }
        return out
    }

    /// Findings in queue order (identity risk, then severity), with suppressions applied from both sources.
    public func findings(_ query: FindingQuery) async throws -> [StoredFinding] {
        let suppressions = try await activeSuppressions()
        return try await store.findings(query).map { stored in
            var stored = stored
            stored.suppression = suppressions[stored.finding.id]
            return stored
        }
    }

    /// Resolves a name, ARN, native id, access key id or fingerprint to one identity.
    ///
    /// - Throws: ``ServiceError`` `.notFound` with near names, or `.ambiguous` with the candidates.
    public func resolveIdentity(_ text: String, in view: View) async throws -> String {
        let found = try await store.lookupIdentity(text, analyses: view.analyses)
        if found.count == 1 { return found[0] }
        if found.count > 1 {
            throw ServiceError(.ambiguous, "\"\(text)\" names \(found.count) identities; give the ARN or id: \(found.prefix(5).joined(separator: ", "))")
        }
        let near = try await store.suggestions(for: text, analyses: view.analyses, limit: 5)
        throw ServiceError(.notFound, "no identity named \"\(text)\"" + (near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"))
    }

    public func detail(of identityId: String, in view: View) async throws -> IdentityDetail {
        guard let profile = try await store.profiles(ProfileQuery(analyses: view.analyses, identityIds: [identityId])).first else {
            throw ServiceError(.notFound, "no identity \(identityId)")
        }
        let findings = try await findings(FindingQuery(analyses: view.analyses, identityId: identityId))
        return IdentityDetail(profile: profile, findings: findings, edges: try await store.edges(of: identityId, analyses: view.analyses))
    }

    /// Governance metrics across the view (merged) or per analysis.
    public func metrics(analyses: [Int64], merged: Bool = true) async throws -> [GovernanceMetrics] {
        let decoder = JSONDecoder()
        let parts = try await store.metrics(analyses: analyses).map { try decoder.decode(GovernanceMetrics.self, from: $0) }
        return merged ? [GovernanceMetrics.merge(parts)] : parts
    }
}
