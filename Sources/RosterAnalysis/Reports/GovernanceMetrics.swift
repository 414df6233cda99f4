public import RosterModel

/// The governance numbers a programme reports on: how much of the NHI estate is owned,
/// rotated, used and least-privileged.
public struct GovernanceMetrics: Codable, Sendable {
    public struct Ratio: Codable, Sendable {
        public var count: Int
        public var total: Int
        /// Rounded to one decimal; 0 when there is nothing to count.
        public var percent: Double { total == 0 ? 0 : (Double(count) * 1000 / Double(total)).rounded() / 10 }

        public init(count: Int, total: Int) {
            self.count = count
            self.total = total
        }

        private enum CodingKeys: String, CodingKey { case count, total, percent }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(count: try c.decode(Int.self, forKey: .count), total: try c.decode(Int.self, forKey: .total))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(total, forKey: .total)
            try c.encode(percent, forKey: .percent)
        }
    }

    public var identities: Int
    public var humans: Int
    public var nonHuman: Int
    public var withOwner: Ratio
    /// Active access keys of NHIs rotated within `maxKeyAgeDays`.
    public var keysRotatedWithinPolicy: Ratio
    /// NHIs (with usage data) unused for at least each staleness tier's days.
    public var unused: [String: Ratio]
    /// NHIs whose privilege is admin: the identities that get the `aws.nhi.admin` finding.
    public var overPrivileged: Ratio
    public var findingsBySeverity: [String: Int]
    public var findingsByOWASP: [String: Int]
    /// Identities and non-human identities per provider.
    public var byProvider: [String: ProviderCount] = [:]

    public struct ProviderCount: Codable, Sendable, Hashable {
        public var identities: Int
        public var nonHuman: Int
    }

    /// Standing secrets whose age is governed by the rotation policy, whatever the provider calls them.
    public static let rotatedKinds: Set<CredentialKind> = [.accessKey, .serviceAccountKey, .gcpServiceAccountKey, .clientSecret, .apiKey]

    /// Counts of findings only, for analyses without identities of their own (the cross-system link pass).
    public static func findingsOnly(_ findings: [Finding]) -> GovernanceMetrics {
        var out = merge([])
        for finding in findings {
            out.findingsBySeverity[finding.severity.rawValue, default: 0] += 1
            out.findingsByOWASP[finding.owasp.rawValue, default: 0] += 1
        }
        return out
    }

    private enum CodingKeys: String, CodingKey {
        case identities, humans, nonHuman, withOwner, keysRotatedWithinPolicy, unused, overPrivileged, findingsBySeverity, findingsByOWASP, byProvider
    }

    public init(
        identities: Int, humans: Int, nonHuman: Int, withOwner: Ratio, keysRotatedWithinPolicy: Ratio, unused: [String: Ratio], overPrivileged: Ratio,
        findingsBySeverity: [String: Int], findingsByOWASP: [String: Int], byProvider: [String: ProviderCount] = [:]
    ) {
        self.identities = identities
        self.humans = humans
        self.nonHuman = nonHuman
        self.withOwner = withOwner
        self.keysRotatedWithinPolicy = keysRotatedWithinPolicy
        self.unused = unused
        self.overPrivileged = overPrivileged
        self.findingsBySeverity = findingsBySeverity
        self.findingsByOWASP = findingsByOWASP
        self.byProvider = byProvider
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            identities: try c.decode(Int.self, forKey: .identities), humans: try c.decode(Int.self, forKey: .humans),
            nonHuman: try c.decode(Int.self, forKey: .nonHuman), withOwner: try c.decode(Ratio.self, forKey: .withOwner),
            keysRotatedWithinPolicy: try c.decode(Ratio.self, forKey: .keysRotatedWithinPolicy), unused: try c.decode([String: Ratio].self, forKey: .unused),
            overPrivileged: try c.decode(Ratio.self, forKey: .overPrivileged), findingsBySeverity: try c.decode([String: Int].self, forKey: .findingsBySeverity),
            findingsByOWASP: try c.decode([String: Int].self, forKey: .findingsByOWASP),
            byProvider: try c.decodeIfPresent([String: ProviderCount].self, forKey: .byProvider) ?? [:])
    }

    /// The metrics of several analyses (one per scope) as one: every figure is a count, so they add up.
    public static func merge(_ parts: [GovernanceMetrics]) -> GovernanceMetrics {
        func add(_ a: Ratio, _ b: Ratio) -> Ratio { Ratio(count: a.count + b.count, total: a.total + b.total) }
        var out = GovernanceMetrics(
            identities: 0, humans: 0, nonHuman: 0, withOwner: Ratio(count: 0, total: 0), keysRotatedWithinPolicy: Ratio(count: 0, total: 0),
            unused: [:], overPrivileged: Ratio(count: 0, total: 0), findingsBySeverity: [:], findingsByOWASP: [:])
        for part in parts {
            out.identities += part.identities
            out.humans += part.humans
            out.nonHuman += part.nonHuman
            out.withOwner = add(out.withOwner, part.withOwner)
            out.keysRotatedWithinPolicy = add(out.keysRotatedWithinPolicy, part.keysRotatedWithinPolicy)
            out.overPrivileged = add(out.overPrivileged, part.overPrivileged)
            for (tier, ratio) in part.unused { out.unused[tier] = add(out.unused[tier] ?? Ratio(count: 0, total: 0), ratio) }
            out.findingsBySeverity.merge(part.findingsBySeverity, uniquingKeysWith: +)
            out.findingsByOWASP.merge(part.findingsByOWASP, uniquingKeysWith: +)
            out.byProvider.merge(part.byProvider) { ProviderCount(identities: $0.identities + $1.identities, nonHuman: $0.nonHuman + $1.nonHuman) }
        }
        return out
    }

    public static func compute(_ analysis: Analysis) -> GovernanceMetrics {
        // The same population the NHI detectors govern (Subject.isGovernedNHI), so counts and findings agree.
        let nhis = analysis.profiles.filter { $0.identity.nature.isNonHuman && $0.identity.managedBy == nil && $0.identity.kind != .rootAccount }
        let keys = nhis.flatMap { profile in profile.credentials.filter { rotatedKinds.contains($0.kind) && $0.status == .active }.map { (profile, $0) } }
        let rotated = keys.filter { profile, key in
            guard let reference = key.ageReference else { return false }
            return reference.days(until: profile.observedAt) <= analysis.policy.maxKeyAgeDays
        }
        let tracked = nhis.filter { $0.idleDays != nil }
        var unused: [String: Ratio] = [:]
        for tier in analysis.policy.staleTiers {
            unused["\(tier)d"] = Ratio(count: tracked.filter { ($0.idleDays ?? 0) >= tier }.count, total: tracked.count)
        }
        var bySeverity: [String: Int] = [:]
        var byOWASP: [String: Int] = [:]
        for finding in analysis.findings {
            bySeverity[finding.severity.rawValue, default: 0] += 1
            byOWASP[finding.owasp.rawValue, default: 0] += 1
        }
        var byProvider: [String: ProviderCount] = [:]
        for profile in analysis.profiles {
            var count = byProvider[profile.identity.provider.rawValue] ?? ProviderCount(identities: 0, nonHuman: 0)
            count.identities += 1
            if profile.identity.nature.isNonHuman { count.nonHuman += 1 }
            byProvider[profile.identity.provider.rawValue] = count
        }
        return GovernanceMetrics(
            identities: analysis.profiles.count,
            humans: analysis.profiles.filter { $0.identity.nature == .human }.count,
            nonHuman: analysis.profiles.filter { $0.identity.nature.isNonHuman }.count,
            withOwner: Ratio(count: nhis.filter { $0.identity.owner != nil }.count, total: nhis.count),
            keysRotatedWithinPolicy: Ratio(count: rotated.count, total: keys.count),
            unused: unused,
            overPrivileged: Ratio(count: nhis.filter { $0.privilege.level == .admin }.count, total: nhis.count),
            findingsBySeverity: bySeverity,
            findingsByOWASP: byOWASP, byProvider: byProvider)
    }
}
