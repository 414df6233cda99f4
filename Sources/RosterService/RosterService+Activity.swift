import Foundation
public import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterStore

extension RosterService {
    /// The stored activity analysis for the current activity and latest snapshots, running it
    /// when either changed. Nil before any activity import or snapshot.
    func activityAnalysis(progress: ProgressHandler? = nil) async throws -> Int64? {
        guard let activity = try await store.activityDigest() else { return nil }
        let latest = try await store.latestSnapshots()
        guard let anchor = latest.max(by: { $0.id < $1.id }) else { return nil }
        let policy = effectivePolicy(scopes: latest.map(\.scope))
        let ids = latest.map(\.id).sorted().map(String.init).joined(separator: ",")
        let digest = AnalysisRecord.activityPrefix
            + SHA256Digest.hex(of: "roster-activity-\(Self.analysisVersion)\n\(try settingsDigest(policy))\n\(activity)\n\(ids)")
        if let id = try await store.analysisId(snapshot: anchor.id, settingsDigest: digest) { return id }
        let decoder = JSONDecoder()
        var usage: [String: IdentityUsage] = [:]
        for (id, data) in try await store.activityUsage(identityIds: nil) { usage[id] = try decoder.decode(IdentityUsage.self, from: data) }
        let analyses = try await analysed(latest)
        let profiles = try await store.profiles(ProfileQuery(analyses: analyses, identityIds: Array(usage.keys)))
        let identities = Dictionary(profiles.map { ($0.identity.id, $0.identity) }, uniquingKeysWith: { a, _ in a })
        // "Now" is the newest event: the same logs give the same findings whenever they are read.
        let asOf = usage.values.compactMap(\.lastUsed).max() ?? Date()
        // What each identity's policies grant, for `activity.granted-unused`.
        var granted: [String: [String]] = [:]
        for snapshot in latest where snapshot.scope.hasPrefix("aws:") {
            let estate = try await store.estate(snapshot: snapshot.id)
            let index = EstateIndex([estate])
            for identity in estate.identities where usage[identity.id] != nil {
                granted[identity.id] = Self.allowedActions(index.permissionPolicies(of: identity).map(\.policy))
            }
        }
        let findings = ActivityAnalysis.findings(usage: usage, identities: identities, asOf: asOf, granted: granted)
        let named = Set(findings.map(\.identityId))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let record = AnalysisRecord(
            snapshotId: anchor.id, settingsDigest: digest, profiles: [], findings: findings, edges: [],
            metrics: try encoder.encode(GovernanceMetrics.findingsOnly(findings)), crossScope: "activity",
            context: profiles.filter { named.contains($0.identity.id) })
        return try await store.saveAnalyses([record]).first
    }

    /// An identity's stored usage, nil when activity never saw it.
    public func usage(of identityId: String) async throws -> IdentityUsage? {
        guard let data = try await store.activityUsage(identityIds: [identityId])[identityId] else { return nil }
        return try JSONDecoder().decode(IdentityUsage.self, from: data)
    }
}

extension RosterService {
    /// The actions an AWS identity's permission policies allow (as written: `s3:Get*`, `*`), from
    /// the latest snapshot of its account; nil for identities outside AWS or when its snapshot
    /// is not in the view. `NotAction` statements allow everything but a list, which a list of
    /// actions cannot say, so they come back as `*`.
    public func grantedActions(of identityId: String, in view: View) async throws -> [String]? {
        for snapshot in view.snapshots where snapshot.scope.hasPrefix("aws:") {
            let estate = try await store.estate(snapshot: snapshot.id)
            guard let identity = estate.identities.first(where: { $0.id == identityId }) else { continue }
            let index = EstateIndex([estate])
            return Self.allowedActions(index.permissionPolicies(of: identity).map(\.policy))
        }
        return nil
    }

    /// The actions `policies` allow, as written.
    static func allowedActions(_ policies: [Policy]) -> [String] {
        var actions = Set<String>()
        for policy in policies {
            for statement in policy.awsStatements where statement.effect == .allow {
                switch statement.actions {
                case .only(let list)?: actions.formUnion(list)
                case .except?: actions.insert("*")
                case nil: break
                }
            }
        }
        return actions.sorted()
    }
}
