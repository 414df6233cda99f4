import Foundation
import RosterModel

/// What an identity normally does, learned from its usage over a window of days: where from,
/// where to, with what, when, which actions, how many a day.
///
/// Deterministic: it reads only the day buckets inside the window, so the same usage gives the
/// same baseline whatever order the events were folded in.
///
/// For example:
/// ```swift
/// let baseline = ActivityBaseline(usage, window: 30, endingBefore: "2025-11-19")
/// baseline.knows(network: SourceNetwork("203.0.113.9")!)   // true when its /24 or /16 was seen
/// ```
public struct ActivityBaseline: Codable, Sendable, Hashable {
    /// The first and last day (`YYYY-MM-DD`) of the learning window.
    public var start: String
    public var end: String
    /// Days in the window with any activity.
    public var activeDays: Int
    /// ``SourceNetwork/key`` values (/24, /48, service names).
    public var networks: Set<String>
    /// ``SourceNetwork/group`` values (/16, /32) of the address networks.
    public var networkGroups: Set<String>
    public var vpcEndpoints: Set<String>
    public var regions: Set<String>
    /// ``UserAgentFamily/family`` values, versions and operating systems left out.
    public var agentFamilies: Set<String>
    /// UTC hours with activity.
    public var hours: Set<Int>
    public var actions: Set<String>
    /// The median, over active days, of distinct actions a day.
    public var typicalDailyActions: Int
    /// The median, over active days, of calls refused a day.
    public var typicalDailyDenied: Int

    /// Learns from the `window` days that end the day before `endingBefore` (`YYYY-MM-DD`).
    public init(_ usage: IdentityUsage, window: Int = 30, endingBefore day: String) {
        let last = ActivityCalendar.day(day, plus: -1)
        let first = ActivityCalendar.day(day, plus: -window)
        self.init(usage, from: first, through: last)
    }

    /// Learns from the days `start` through `end` (inclusive).
    public init(_ usage: IdentityUsage, from start: String, through end: String) {
        self.start = start
        self.end = end
        let days = usage.days(from: start, through: end).map(\.usage)
        activeDays = days.count
        networks = Set(days.flatMap(\.networks.keys))
        networkGroups = Set(networks.compactMap { key in SourceNetwork(Self.sampleAddress(ofKey: key)).flatMap { $0.isAddress ? $0.group : nil } })
        vpcEndpoints = Set(days.flatMap(\.vpcEndpoints.keys))
        regions = Set(days.flatMap(\.regions.keys))
        agentFamilies = Set(days.flatMap(\.agents.keys).map { UserAgentFamily(key: $0).family })
        hours = Set(days.flatMap { day in day.hours.indices.filter { day.hours[$0] > 0 } })
        actions = Set(days.flatMap(\.actions.keys))
        typicalDailyActions = Self.median(days.map(\.actions.count))
        typicalDailyDenied = Self.median(days.map(\.accessDenied.count))
    }

    /// Whether the network, or the /16 (IPv6 /32) around it, was seen: rotating NAT, ECS and
    /// auto-scaling addresses stay inside a known range.
    public func knows(network: SourceNetwork) -> Bool {
        networks.contains(network.key) || (network.isAddress && networkGroups.contains(network.group))
    }

    /// Whether the hour, or an hour either side of it, had activity.
    public func isUsual(hour: Int) -> Bool {
        hours.contains(hour) || hours.contains((hour + 23) % 24) || hours.contains((hour + 1) % 24)
    }

    /// A network key is a prefix (`203.0.113.0/24`, `2001:db8:1::/48`); its address part parses
    /// back to the same network.
    static func sampleAddress(ofKey key: String) -> String {
        guard let slash = key.firstIndex(of: "/") else { return key }
        let prefix = key[..<slash]
        return prefix.hasSuffix("::") ? prefix + "1" : String(prefix)
    }

    static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[(values.count - 1) / 2]
    }
}

/// Day arithmetic on `YYYY-MM-DD` strings, in UTC.
enum ActivityCalendar {
    static func date(_ day: String) -> Date {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return Date(timeIntervalSince1970: 0) }
        // Days from civil (Howard Hinnant's algorithm), the inverse of Date.utcDay.
        let y = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (parts[1] + 9) % 12
        let doy = (153 * mp + 2) / 5 + parts[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Date(timeIntervalSince1970: Double(era * 146_097 + doe - 719_468) * 86_400)
    }

    static func day(_ day: String, plus days: Int) -> String {
        date(day).addingTimeInterval(Double(days) * 86_400).utcDay
    }

    /// Whole days from `a` to `b`.
    static func days(from a: String, to b: String) -> Int {
        Int(((date(b).timeIntervalSince1970 - date(a).timeIntervalSince1970) / 86_400).rounded())
    }
}
