public import Foundation
public import RosterModel

/// One identity's activity, folded: per UTC day what it did, from where, with what, and when;
/// plus, over all time, its last use and every action's counts.
///
/// Usage is a value that merges: ``merge(_:)`` is associative and commutative (counts add,
/// first/last take the min/max, samples keep the earliest few by time then id), so files can be
/// folded in parallel and an import can fold one more day into what is stored.
///
/// For example:
/// ```swift
/// var accumulator = ActivityAccumulator()
/// for event in events { accumulator.add(event) }
/// let usage = accumulator.usage["arn:aws:iam::123456789012:role/ci"]
/// print(usage?.lastUsed, usage?.actions.keys.sorted())
/// ```
public struct IdentityUsage: Codable, Sendable, Hashable {
    public var identityId: String
    public var lastUsed: Date?
    public var firstUsed: Date?
    /// Every action over all time.
    public var actions: [String: ActionUsage]
    /// Access key ids the identity's calls were signed with (long-term `AKIA…` and session `ASIA…`).
    public var accessKeys: [String: Tally]
    /// UTC day (`YYYY-MM-DD`) → that day's activity.
    public var days: [String: DayUsage]

    public init(identityId: String) {
        self.identityId = identityId
        actions = [:]
        accessKeys = [:]
        days = [:]
    }

    /// Folds one event in (the caller dedupes; ``ActivityAccumulator`` does).
    public mutating func add(_ event: ActivityEvent) {
        add(event, day: event.time.utcDay, network: SourceNetwork(event.invokedBy ?? event.sourceAddress), agent: UserAgentFamily(event.userAgent).key)
    }

    /// ``add(_:)`` with the day, network and agent family already worked out.
    mutating func add(_ event: ActivityEvent, day: String, network: SourceNetwork?, agent: String) {
        lastUsed = Fold.max(lastUsed, event.time)
        firstUsed = Fold.min(firstUsed, event.time)
        actions[event.action, default: ActionUsage()].add(event)
        if let key = event.actor.accessKeyId { accessKeys[key, default: Tally()].add(event) }
        days[day, default: DayUsage()].add(event, network: network, agent: agent)
    }

    /// Adds another fold of the same identity's activity.
    public mutating func merge(_ other: IdentityUsage) {
        lastUsed = Fold.max(lastUsed, other.lastUsed)
        firstUsed = Fold.min(firstUsed, other.firstUsed)
        actions.merge(other.actions) { $0.merged($1) }
        accessKeys.merge(other.accessKeys) { $0.merged($1) }
        days.merge(other.days) { $0.merged($1) }
    }

    public func merged(_ other: IdentityUsage) -> IdentityUsage {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The days from `start` through `end` (inclusive, `YYYY-MM-DD`), in order.
    public func days(from start: String, through end: String) -> [(day: String, usage: DayUsage)] {
        days.filter { $0.key >= start && $0.key <= end }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// One action's use: how often, how often it failed or was denied, when, on what.
public struct ActionUsage: Codable, Sendable, Hashable {
    public var count = 0
    /// Calls that failed for any reason.
    public var errors = 0
    /// Calls refused by authorization (``ActivityEvent/isAccessDenied``).
    public var denied = 0
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// The earliest call, as an example to cite.
    public var firstEvent: EventRef?
    /// Resources named by successful calls, the first ``ActionUsage/resourceLimit`` in order.
    public var resources: [String] = []
    /// Set when successful calls named more resources than are kept: a policy then needs `*`.
    public var resourcesTruncated = false
    /// Set when a successful call named no resource (`s3:ListAllMyBuckets`): a policy needs `*`.
    public var unscoped = false
    /// The longest prefix every resource named by a successful call shares: when there were
    /// too many to list, a policy can still say `arn:aws:s3:::exports/*` rather than `*`.
    public var resourcePrefix: String?

    public static let resourceLimit = 20

    public init() {}

    public var succeeded: Int { count - errors }
    /// Calls authorization let through (including those that then failed, such as `NoSuchEntity`).
    public var allowed: Int { count - denied }

    mutating func add(_ event: ActivityEvent) {
        count += 1
        if event.errorCode != nil { errors += 1 }
        if event.isAccessDenied { denied += 1 }
        firstSeen = Fold.min(firstSeen, event.time)
        lastSeen = Fold.max(lastSeen, event.time)
        if firstEvent.map({ EventRef.precedes(event, $0) }) ?? true { firstEvent = EventRef(event) }
        if event.errorCode == nil {
            if event.resources.isEmpty { unscoped = true } else { addResources(event.resources, truncated: false) }
        }
    }

    public func merged(_ other: ActionUsage) -> ActionUsage {
        var copy = self
        copy.count += other.count
        copy.errors += other.errors
        copy.denied += other.denied
        copy.firstSeen = Fold.min(firstSeen, other.firstSeen)
        copy.lastSeen = Fold.max(lastSeen, other.lastSeen)
        copy.firstEvent = Fold.earliest(firstEvent, other.firstEvent)
        copy.unscoped = unscoped || other.unscoped
        copy.resourcePrefix = Self.commonPrefix(resourcePrefix, other.resourcePrefix)
        copy.addResources(other.resources, truncated: other.resourcesTruncated)
        return copy
    }

    /// Keeps the smallest `resourceLimit` of the union; the flag records that the union was larger,
    /// which is the same whichever order the parts are merged in.
    private mutating func addResources(_ more: [String], truncated: Bool) {
        for resource in more { resourcePrefix = Self.commonPrefix(resourcePrefix, resource) }
        // The usual call names a resource already kept, or one past a full list: nothing to sort.
        if !truncated, more.allSatisfy(resources.contains) { return }
        if resourcesTruncated, resources.count == Self.resourceLimit, let last = resources.last, more.allSatisfy({ $0 > last }) { return }
        let union = Set(resources).union(more)
        resourcesTruncated = resourcesTruncated || truncated || union.count > Self.resourceLimit
        resources = Array(union.sorted().prefix(Self.resourceLimit))
    }
}

extension ActionUsage {
    static func commonPrefix(_ a: String?, _ b: String?) -> String? {
        guard let a else { return b }
        guard let b else { return a }
        return String(decoding: zip(a.utf8, b.utf8).prefix { $0 == $1 }.map(\.0), as: UTF8.self)
    }

    /// The resources a policy statement for this action needs: those named, a wildcard under
    /// their shared prefix when there were too many to list (cut back to a `/` or `:` and only
    /// below an ARN's resource part), or `*`.
    public var policyResources: [String] {
        if unscoped || resources.isEmpty { return ["*"] }
        guard resourcesTruncated else { return resources }
        guard let prefix = resourcePrefix, let cut = prefix.lastIndex(where: { $0 == "/" || $0 == ":" }) else { return ["*"] }
        let base = String(prefix[...cut])
        let fields = base.split(separator: ":", omittingEmptySubsequences: false)
        guard base.hasPrefix("arn:"), fields.count >= 6, !fields[5...].joined(separator: ":").isEmpty else { return ["*"] }
        return [base + "*"]
    }
}

/// How often one value (a network, a region, an agent) was seen, when, with a few events to cite.
public struct Tally: Codable, Sendable, Hashable {
    public var count = 0
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// The earliest ``Tally/sampleLimit`` events, by time then id.
    public var samples: [EventRef] = []

    public static let sampleLimit = 3

    public init() {}

    mutating func add(_ event: ActivityEvent) {
        count += 1
        firstSeen = Fold.min(firstSeen, event.time)
        lastSeen = Fold.max(lastSeen, event.time)
        // Most events are later than the samples kept: no EventRef, no sort.
        if samples.count == Self.sampleLimit, let latest = samples.last, !EventRef.precedes(event, latest) { return }
        let ref = EventRef(event)
        guard !samples.contains(ref) else { return }
        samples.insert(ref, at: samples.firstIndex { ref < $0 } ?? samples.count)
        if samples.count > Self.sampleLimit { samples.removeLast() }
    }

    public func merged(_ other: Tally) -> Tally {
        var copy = self
        copy.count += other.count
        copy.firstSeen = Fold.min(firstSeen, other.firstSeen)
        copy.lastSeen = Fold.max(lastSeen, other.lastSeen)
        copy.samples = Fold.earliest(samples, other.samples, limit: Self.sampleLimit)
        return copy
    }
}

/// An event named in evidence: enough to find it in the logs and to say where it came from.
public struct EventRef: Codable, Sendable, Hashable, Comparable {
    public var id: String
    public var time: Date
    public var action: String
    public var sourceAddress: String?
    public var accessKeyId: String?
    public var userAgent: String?

    public init(id: String, time: Date, action: String, sourceAddress: String? = nil, accessKeyId: String? = nil, userAgent: String? = nil) {
        self.id = id
        self.time = time
        self.action = action
        self.sourceAddress = sourceAddress
        self.accessKeyId = accessKeyId
        self.userAgent = userAgent
    }

    public init(_ event: ActivityEvent) {
        self.init(
            id: event.id, time: event.time, action: event.action, sourceAddress: event.sourceAddress, accessKeyId: event.actor.accessKeyId,
            userAgent: event.userAgent)
    }

    public static func < (lhs: EventRef, rhs: EventRef) -> Bool { (lhs.time, lhs.id) < (rhs.time, rhs.id) }

    /// Whether `event` comes before `ref` in the same order, without making a reference of it.
    static func precedes(_ event: ActivityEvent, _ ref: EventRef) -> Bool { (event.time, event.id) < (ref.time, ref.id) }
    static func precedes(_ ref: EventRef, _ event: ActivityEvent) -> Bool { (ref.time, ref.id) < (event.time, event.id) }
}

/// Order-independent folds: each is associative, commutative and idempotent.
enum Fold {
    static func min(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return Swift.min(a, b)
    }

    static func max(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return Swift.max(a, b)
    }

    static func earliest(_ a: EventRef?, _ b: EventRef?) -> EventRef? {
        guard let a else { return b }
        guard let b else { return a }
        return Swift.min(a, b)
    }

    static func earliest(_ a: [EventRef], _ b: [EventRef], limit: Int) -> [EventRef] {
        Array(Set(a + b).sorted().prefix(limit))
    }
}

extension ActivityEvent {
    /// Whether authorization refused the call (IAM `AccessDenied…`, EC2 `…UnauthorizedOperation`,
    /// Kubernetes `Forbidden`), as opposed to failing after it was allowed.
    public var isAccessDenied: Bool {
        guard let code = errorCode?.lowercased() else { return false }
        return code.contains("accessdenied") || code.contains("unauthorized") || code == "forbidden" || code == "403"
    }

    /// Whether an AWS service made the call for the principal (`invokedBy`, or a service name as the source).
    public var isServiceCall: Bool {
        invokedBy != nil || SourceNetwork(sourceAddress)?.kind == .service
    }
}
