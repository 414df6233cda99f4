public import Foundation
public import RosterModel

/// What analysis says about one identity.
public struct IdentityProfile: Sendable {
    public var identity: Identity
    public var credentials: [Credential]
    public var privilege: PrivilegeAssessment
    public var trust: TrustAssessment?
    /// The id of its permissions boundary, if it has one.
    public var boundary: String?
    public var findings: [Finding]
    public var risk: RiskScore
    /// The time its data was observed.
    public var observedAt: Date

    /// Whole days since last use (or creation, if never used), when usage is tracked.
    public var idleDays: Int? {
        guard identity.usageTracked, let reference = identity.lastUsedAt ?? identity.createdAt else { return nil }
        return reference.days(until: observedAt)
    }
}

/// The result of running every detector over a set of estates.
public struct Analysis: Sendable {
    /// Every finding, highest risk first.
    public var findings: [Finding]
    /// Every identity's profile, highest risk first.
    public var profiles: [IdentityProfile]
    public var policy: DetectionPolicy
    /// Edges the sources state plus those analysis rules derived (trust), in a fixed order.
    public var edges: [Edge]

    public func profile(id: String) -> IdentityProfile? { profiles.first { $0.identity.id == id } }
}

/// Runs detectors and risk scoring. Pure: estates in, analysis out.
///
/// For example:
/// ```swift
/// let analysis = Analyzer.run([estate], policy: .default)
/// for finding in analysis.findings { print(finding.ruleId, finding.identityName) }
/// ```
public enum Analyzer {
    /// - Parameter phase: told the name of each phase as it starts (`ROSTER_TIMINGS` times them).
    public static func run(
        _ estates: [Estate], policy: DetectionPolicy = .default, detectors: [Detector] = Detectors.all, phase: ((String) -> Void)? = nil
    ) -> Analysis {
        let index = EstateIndex(estates)
        var known = policy.knownAccounts
        for account in index.accounts where known[account] == nil { known[account] = "in the store" }
        var profiles: [IdentityProfile] = []
        profiles.reserveCapacity(index.identities.count)
        // Shares work between identities with the same policies, and finds one-step escalation to admin.
        let privileges = PrivilegeAnalysis.assessAll(index)
        // The access graph: every provider's edge rules, then one search from the admin nodes gives
        // every identity's shortest path to admin.
        phase?("building the access graph")
        var fragment = GraphFragment()
        for estate in estates { fragment.merge(GraphBuilder.fragment(for: estate, index: index)) }
        let graph = AccessGraph(edges: fragment.edges + estates.flatMap(\.edges))
        let towards = graph.towards(graph.adminNodes)
        // Reading data stores is common and shows in blast radius; what makes an exposed identity toxic
        // without admin is reaching secrets, keys, IAM or CI/CD.
        let towardsSensitive = graph.towards(graph.sensitiveNodes(kinds: GraphFindings.toxicSensitiveKinds))
        let names: (String) -> String = { id in
            index.identitiesById[id]?.name ?? fragment.nodes[id] ?? index.resourcesById[id]?.name ?? id
        }
        var edges: [Edge] = fragment.edges
        phase?("running the detectors")
        for identity in index.identities {
            let trustPolicy = index.trustPolicy(of: identity)
            if let trustPolicy { edges += TrustEdgeRule.edges(role: identity, trust: trustPolicy) }
            let credentials = index.credentials(of: identity)
            let subject = Subject(
                identity: identity, credentials: credentials, now: index.now(for: identity),
                privilege: privileges[identity.id] ?? PrivilegeAnalysis.directAssessment(identity, in: index),
                trust: trustPolicy?.awsDocument.map(TrustAnalysis.assess), knownAccounts: known, grants: index.grants(of: identity),
                edgesOut: index.edgesFrom[identity.id] ?? [], edgesIn: index.edgesTo[identity.id] ?? [], index: index)
            var findings: [Finding] = []
            for detector in detectors { findings += detector.findings(for: subject, policy: policy) }
            // Graph findings are for machine identities, like the other privilege rules; `roster paths` shows everyone's.
            if subject.isGovernedNHI, let node = graph.node(identity.id), towards.next[node] >= 0 || towardsSensitive.next[node] >= 0 {
                let toAdmin = towards.next[node] >= 0
                let path = graph.path(from: node, next: toAdmin ? towards.next : towardsSensitive.next)
                // An identity already judged admin (outright or by one-step self-escalation) has that finding; the path adds no risk.
                if toAdmin, subject.privilege.level != .admin, let finding = GraphFindings.pathFinding(identity: identity, path: path, names: names) {
                    findings.append(finding)
                }
                if let finding = GraphFindings.toxicFinding(identity: identity, findings: findings, path: path, names: names) { findings.append(finding) }
            }
            let risk = RiskScorer.score(subject: subject, findings: findings, policy: policy)
            // Toxic combinations first, then by severity.
            findings.sort {
                ($0.ruleId == GraphFindings.toxicCombination.id ? 1 : 0, $0.severity, $1.ruleId)
                    > ($1.ruleId == GraphFindings.toxicCombination.id ? 1 : 0, $1.severity, $0.ruleId)
            }
            profiles.append(IdentityProfile(
                identity: identity, credentials: credentials, privilege: subject.privilege, trust: subject.trust, boundary: index.boundaryId(of: identity),
                findings: findings,
                risk: risk, observedAt: subject.now))
        }
        profiles.sort { ($0.risk.value, $1.identity.id) > ($1.risk.value, $0.identity.id) }
        edges += estates.flatMap(\.edges)
        return Analysis(findings: profiles.flatMap(\.findings), profiles: profiles, policy: policy, edges: edges)
    }
}
