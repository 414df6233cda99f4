import Foundation
public import RosterModel

/// Folds activity events into per-identity usage, skipping events it has already seen.
///
/// Duplicate deliveries share an event id; the accumulator remembers ids per UTC day so a
/// caller reading days in order can ``forget(before:)`` old ones and keep memory flat. Two
/// accumulators fed disjoint events (files partitioned by name, say) merge with ``merge(_:)``.
///
/// For example:
/// ```swift
/// var accumulator = ActivityAccumulator()
/// events.forEach { accumulator.add($0) }
/// let findings = ActivityAnalysis.findings(usage: accumulator.usage, identities: byId, asOf: now)
/// ```
public struct ActivityAccumulator: Sendable {
    /// Identity id → its folded activity.
    public var usage: [String: IdentityUsage] = [:]
    /// Events that name no inventory identity (AWS services, anonymous calls).
    public var unattributed = UnattributedActivity()
    /// Events skipped because their id had been seen.
    public private(set) var duplicates = 0
    private var seen: [String: Set<String>] = [:]
    /// Whether this accumulator drops events whose id it has seen. A caller that deduplicates
    /// across accumulators itself (the import, over files read in parallel) turns it off and
    /// saves remembering every id.
    public var remembersIds: Bool
    /// Each distinct address and user agent parsed once: a trail repeats a handful of them
    /// millions of times.
    private var networks: [String: SourceNetwork?] = [:]
    private var agents: [String: String] = [:]
    private var lastDay: (start: Double, day: String) = (.nan, "")

    public init(remembersIds: Bool = true) {
        self.remembersIds = remembersIds
    }

    public mutating func add(_ event: ActivityEvent) {
        let seconds = event.time.timeIntervalSince1970
        let dayStart = (seconds / 86_400).rounded(.down) * 86_400
        if dayStart != lastDay.start { lastDay = (dayStart, event.time.utcDay) }
        let day = lastDay.day
        if remembersIds {
            guard seen[day, default: []].insert(event.id).inserted else {
                duplicates += 1
                return
            }
        }
        guard let id = event.actor.identityId, !id.isEmpty else {
            unattributed.add(event)
            return
        }
        let address = event.invokedBy ?? event.sourceAddress ?? ""
        let network: SourceNetwork?
        if let known = networks[address] {
            network = known
        } else {
            network = SourceNetwork(address.isEmpty ? nil : address)
            networks[address] = network
        }
        let userAgent = event.userAgent ?? ""
        let agent: String
        if let known = agents[userAgent] {
            agent = known
        } else {
            agent = UserAgentFamily(userAgent.isEmpty ? nil : userAgent).key
            agents[userAgent] = agent
        }
        usage[id, default: IdentityUsage(identityId: id)].add(event, day: day, network: network, agent: agent)
    }

    /// Adds another accumulator's folds (events the two saw in common are counted twice, so feed
    /// them disjoint inputs).
    public mutating func merge(_ other: ActivityAccumulator) {
        usage.merge(other.usage) { $0.merged($1) }
        unattributed.merge(other.unattributed)
        duplicates += other.duplicates
        seen.merge(other.seen) { $0.union($1) }
    }

    /// Drops remembered ids of days before `day` (`YYYY-MM-DD`): their duplicates can no longer be caught.
    public mutating func forget(before day: String) {
        seen = seen.filter { $0.key >= day }
    }
}

/// Counts of events no identity is attributed to.
public struct UnattributedActivity: Codable, Sendable, Hashable {
    public var events = 0
    /// `userIdentity.type` → events.
    public var byType: [String: Int] = [:]
    /// Action → events.
    public var byAction: [String: Int] = [:]

    public init() {}

    mutating func add(_ event: ActivityEvent) {
        events += 1
        byType[event.actor.type, default: 0] += 1
        byAction[event.action, default: 0] += 1
    }

    mutating func merge(_ other: UnattributedActivity) {
        events += other.events
        byType.merge(other.byType, uniquingKeysWith: +)
        byAction.merge(other.byAction, uniquingKeysWith: +)
    }
}
