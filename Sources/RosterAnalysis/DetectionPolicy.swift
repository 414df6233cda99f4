public import RosterModel

/// The thresholds and facts detectors judge by, in one value with defaults.
///
/// Detectors never hold their own literals: change a threshold here (or in `roster.json`) and
/// every detector, metric and filter follows.
public struct DetectionPolicy: Codable, Hashable, Sendable {
    /// An NHI not used for this many days is reported as unused with high severity (a tier of its own
    /// when it is not one of `staleTiers`).
    public var unusedDays: Int
    /// The staleness tiers, in days: an NHI unused past the lowest is reported, with a severity that
    /// rises by tier; metrics and the inventory's `--stale` filter count by them too.
    public var staleTiers: [Int]
    /// An active access key older than this must be rotated.
    public var maxKeyAgeDays: Int
    /// A key never used this many days after creation is reported; younger ones may not be deployed yet.
    public var neverUsedGraceDays: Int
    /// Accounts outside the estate that may be trusted (partners, the organization's management account), by id, with a name.
    public var knownAccounts: [String: String]

    public init(
        unusedDays: Int = 90,
        staleTiers: [Int] = [30, 60, 90],
        maxKeyAgeDays: Int = 90,
        neverUsedGraceDays: Int = 7,
        knownAccounts: [String: String] = [:]
    ) {
        self.unusedDays = unusedDays
        self.staleTiers = staleTiers
        self.maxKeyAgeDays = maxKeyAgeDays
        self.neverUsedGraceDays = neverUsedGraceDays
        self.knownAccounts = knownAccounts
    }

    public static let `default` = DetectionPolicy()

    /// The tiers unused identities are reported at: `staleTiers` and `unusedDays`, ascending, positive.
    public var unusedTiers: [Int] { Array(Set(staleTiers + [unusedDays]).filter { $0 > 0 }).sorted() }

    /// The highest tier `idleDays` reaches, with its severity, or nil below the lowest.
    ///
    /// From `unusedDays` up the severity is high; below it the lowest tier is low and the others medium,
    /// so the defaults give 30 → low, 60 → medium, 90 and over → high.
    public func staleTier(idleDays: Int) -> (days: Int, severity: Severity)? {
        let tiers = unusedTiers
        guard let index = tiers.lastIndex(where: { idleDays >= $0 }) else { return nil }
        let days = tiers[index]
        if days >= unusedDays { return (days, .high) }
        return (days, index == 0 ? .low : .medium)
    }

    enum CodingKeys: String, CodingKey {
        case unusedDays, staleTiers, maxKeyAgeDays, neverUsedGraceDays, knownAccounts
    }

    /// Decodes a partial configuration: keys left out keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DetectionPolicy()
        unusedDays = try c.decodeIfPresent(Int.self, forKey: .unusedDays) ?? d.unusedDays
        staleTiers = try c.decodeIfPresent([Int].self, forKey: .staleTiers) ?? d.staleTiers
        maxKeyAgeDays = try c.decodeIfPresent(Int.self, forKey: .maxKeyAgeDays) ?? d.maxKeyAgeDays
        neverUsedGraceDays = try c.decodeIfPresent(Int.self, forKey: .neverUsedGraceDays) ?? d.neverUsedGraceDays
        knownAccounts = try c.decodeIfPresent([String: String].self, forKey: .knownAccounts) ?? d.knownAccounts
    }
}
