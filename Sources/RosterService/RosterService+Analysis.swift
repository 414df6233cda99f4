import Crypto
import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterStore

extension RosterService {
    /// The settings analysis depends on, with every scope in the store counted as a known
    /// account: trust between one's own imported accounts is not a third-party risk.
    func effectivePolicy(scopes: [String]) -> DetectionPolicy {
        var policy = configuration.policy
        for scope in scopes where scope.hasPrefix("aws:") {
            let account = String(scope.dropFirst(4))
            if policy.knownAccounts[account] == nil { policy.knownAccounts[account] = "in the store" }
        }
        return policy
    }

    /// A digest of everything analysis depends on besides the snapshot itself.
    func settingsDigest(_ policy: DetectionPolicy) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var hasher = SHA256()
        hasher.update(data: Data("roster-analysis-\(Self.analysisVersion)\n".utf8))
        hasher.update(data: try encoder.encode(policy))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The ids of the stored analyses of `snapshots` under the current settings, analysing (and
    /// storing) those that have none. `estates` may hold already-loaded content by scope.
    func analysed(_ snapshots: [SnapshotInfo], estates: [String: Estate] = [:], progress: ProgressHandler? = nil) async throws -> [Int64] {
        let scopes = try await store.latestSnapshots().map(\.scope)
        let policy = effectivePolicy(scopes: scopes + snapshots.map(\.scope))
        // Activity changes what "last used" means, so analyses depend on it too.
        let activity = try await store.activityDigest()
        var digest = try settingsDigest(policy)
        if let activity { digest = SHA256Digest.hex(of: "\(digest)\nactivity \(activity)") }
        var lastUsed: [String: Date]?
        var ids: [Int64] = []
        for snapshot in snapshots {
            if let id = try await store.analysisId(snapshot: snapshot.id, settingsDigest: digest) {
                ids.append(id)
                continue
            }
            var estate: Estate
            if let loaded = estates[snapshot.scope], loaded.observedAt == snapshot.observedAt {
                estate = loaded
            } else {
                estate = try await store.estate(snapshot: snapshot.id)
            }
            if activity != nil {
                if lastUsed == nil { lastUsed = try await store.activityLastUsed() }
                estate = Self.applying(lastUsed ?? [:], to: estate)
            }
            progress?("analysing \(snapshot.scope)", 0, 0)
            let analysis = Analyzer.run([estate], policy: policy) { progress?($0, 0, 0) }
            progress?("preparing the analysis for storage", 0, 0)
            let record = try Self.record(of: analysis, snapshot: snapshot.id, settingsDigest: digest)
            progress?("storing the analysis", 0, 0)
            ids += try await store.saveAnalyses([record])
        }
        return ids
    }

    /// The estate with each identity's last use taken from activity where activity saw it used
    /// more recently than the provider reported (or the provider tracks no use). Staleness
    /// detectors and idle days then measure from the newer date.
    static func applying(_ lastUsed: [String: Date], to estate: Estate) -> Estate {
        guard !lastUsed.isEmpty else { return estate }
        var estate = estate
        for index in estate.identities.indices {
            let identity = estate.identities[index]
            guard let seen = lastUsed[identity.id], seen <= estate.observedAt.addingTimeInterval(86_400) else { continue }
            if identity.lastUsedAt.map({ seen > $0 }) ?? true {
                estate.identities[index].lastUsedAt = seen
                estate.identities[index].lastUsedDetail = "activity log"
                estate.identities[index].usageTracked = true
            }
        }
        return estate
    }

    /// The id of the stored cross-system link analysis of the latest snapshots, running (and
    /// storing) it when the set of latest snapshots or the settings changed. Nil with fewer than two scopes.
    func linkAnalysis(_ latest: [SnapshotInfo], estates: [String: Estate] = [:], progress: ProgressHandler? = nil) async throws -> Int64? {
        guard latest.count > 1, let anchor = latest.max(by: { $0.id < $1.id }) else { return nil }
        let policy = effectivePolicy(scopes: latest.map(\.scope))
        let ids = latest.map(\.id).sorted().map(String.init).joined(separator: ",")
        let digest = AnalysisRecord.linksPrefix + SHA256Digest.hex(of: "roster-links-\(Self.analysisVersion)\n\(try settingsDigest(policy))\n\(ids)")
        if let id = try await store.analysisId(snapshot: anchor.id, settingsDigest: digest) { return id }
        progress?("linking identities across systems", 0, 0)
        var loaded: [Estate] = []
        for snapshot in latest {
            if let estate = estates[snapshot.scope], estate.observedAt == snapshot.observedAt {
                loaded.append(estate)
            } else {
                loaded.append(try await store.estate(snapshot: snapshot.id))
            }
        }
        var links = CrossSystemLinks.run(loaded)
        // The access graph across AWS accounts: role trust that admits another account in the store.
        links.edges += AWSCrossAccountTrust.edges(loaded)
        let named = Array(Set(links.findings.map(\.identityId)))
        let analyses = try await analysed(latest, estates: estates)
        let context = named.isEmpty ? [] : try await store.profiles(ProfileQuery(analyses: analyses, identityIds: named))
        let risk = Dictionary(context.map { ($0.identity.id, $0.risk) }, uniquingKeysWith: { a, _ in a })
        let findings = links.findings.sorted { (risk[$0.identityId] ?? 0, $0.severity, $1.id) > (risk[$1.identityId] ?? 0, $1.severity, $0.id) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let record = AnalysisRecord(
            snapshotId: anchor.id, settingsDigest: digest, profiles: [], findings: findings, edges: links.edges,
            metrics: try encoder.encode(GovernanceMetrics.findingsOnly(findings)), isLinks: true, context: context)
        return try await store.saveAnalyses([record]).first
    }

    /// Analysis as the store keeps it.
    static func record(of analysis: Analysis, snapshot: Int64, settingsDigest: String) throws -> AnalysisRecord {
        let profiles = analysis.profiles.map { profile in
            IdentityProfileRecord(
                identity: profile.identity, credentials: profile.credentials, privilege: profile.privilege.level.description,
                privilegeEvidence: profile.privilege.evidence, trustedBy: profile.trust.map(trustSentences), boundary: profile.boundary,
                risk: profile.risk.value, riskFactors: profile.risk.factors, findingIds: profile.findings.map(\.id), observedAt: profile.observedAt,
                idleDays: profile.idleDays)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return AnalysisRecord(
            snapshotId: snapshot, settingsDigest: settingsDigest, profiles: profiles, findings: analysis.findings, edges: analysis.edges,
            metrics: try encoder.encode(GovernanceMetrics.compute(analysis)))
    }

    static func trustSentences(_ trust: TrustAssessment) -> [String] {
        var who: [String] = []
        if let everyone = trust.everyone { who.append("EVERYONE: \(everyone)") }
        who += trust.services.map { "service \($0)" }
        who += trust.accounts.map { "account \($0.account) (\($0.principal))\($0.externalId ? " with ExternalId" : "")" }
        who += trust.oidc.map { "OIDC \($0.provider)" + ($0.problem.map { ": \($0)" } ?? " scoped to \($0.scopedTo.joined(separator: ", "))") }
        who += trust.saml.map { "SAML \($0)" }
        return who
    }
}
