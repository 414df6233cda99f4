public import RosterModel

/// One identity's place in the fix-first queue, 0 to 100, with the parts it is made of.
public struct RiskScore: Hashable, Sendable, Codable {
    public var value: Int
    /// How the value was reached, for `roster show`.
    public var factors: [String]
}

/// Combines what is wrong (severity) with what it would cost (privilege), who can reach it
/// (exposure) and whether anyone would notice (staleness).
///
/// - severity: findings combine as independent risks, 1 − Π(1 − wᵢ), with w = 0.75 critical,
///   0.5 high, 0.25 medium, 0.08 low, 0.02 info, scaled to 0–70;
/// - privilege multiplies it: admin ×1.0, write ×0.85, read ×0.7, none ×0.55; unknown (a policy
///   missing from the export) ×0.85 like write: it may hold anything, so it never ranks below read,
///   but only proof makes it admin;
/// - exposure adds 20: the identity can be assumed from outside the account (any principal,
///   an unknown account, an unscoped OIDC provider), people use it, or it is the root user;
/// - staleness adds 10: unused past the policy's limit, or a key older than allowed.
/// An identity without findings scores 0.
public enum RiskScorer {
    static let weights: [Severity: Double] = [.critical: 0.75, .high: 0.5, .medium: 0.25, .low: 0.08, .info: 0.02]
    static let privilegeFactor: [PrivilegeLevel: Double] = [.admin: 1.0, .write: 0.85, .unknown: 0.85, .read: 0.7, .none: 0.55]
    static let exposureRules: Set<String> = [
        Detectors.roleTrustsEveryone.id, Detectors.roleTrustsUnknownAccount.id, Detectors.roleOIDCUnscoped.id,
        Detectors.consolePasswordOnNHI.id, Detectors.consoleWithoutMFA.id, Detectors.rootAccessKeys.id,
    ]
    static let stalenessRules: Set<String> = [Detectors.unusedIdentity.id, Detectors.accessKeyNotRotated.id, Detectors.accessKeyNeverUsed.id]

    public static func score(subject: Subject, findings: [Finding], policy: DetectionPolicy) -> RiskScore {
        guard !findings.isEmpty else { return RiskScore(value: 0, factors: []) }
        let remaining = findings.reduce(1.0) { $0 * (1 - (weights[$1.severity] ?? 0)) }
        let severity = 70 * (1 - remaining)
        let rules = Set(findings.map(\.ruleId))
        // A path to admin is worth admin: whoever holds the identity can take it.
        let pathToAdmin = rules.contains(GraphFindings.pathToAdmin.id)
        let level = subject.identity.kind == .rootAccount || pathToAdmin ? PrivilegeLevel.admin : subject.privilege.level
        let factor = privilegeFactor[level] ?? 1
        let exposure = rules.isDisjoint(with: exposureRules) && !rules.contains(GraphFindings.toxicCombination.id) ? 0.0 : 20
        // An unused identity adds staleness from `unusedDays` on, as before tiers; lower tiers only weigh by their severity.
        let stale = findings.contains { stalenessRules.contains($0.ruleId) && ($0.ruleId != Detectors.unusedIdentity.id || $0.severity >= .high) }
        let staleness = stale ? 10.0 : 0
        let value = min(100, Int((severity * factor + exposure + staleness).rounded()))
        var factors = [
            "severity \(Int(severity.rounded()))/70 from \(findings.count) finding\(findings.count == 1 ? "" : "s")",
            "privilege \(level)\(pathToAdmin ? " (through a path)" : "") ×\(factor)",
        ]
        if exposure > 0 { factors.append("exposure +20") }
        if staleness > 0 { factors.append("staleness +10") }
        return RiskScore(value: value, factors: factors)
    }
}
