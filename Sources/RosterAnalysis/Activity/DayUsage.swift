import Foundation
import RosterModel

/// One identity's activity on one UTC day.
///
/// Everything in it merges order-independently (see ``IdentityUsage``). Networks are keyed by
/// ``SourceNetwork/key`` (a /24, a /48 or a service name), agents by ``UserAgentFamily/key``.
public struct DayUsage: Codable, Sendable, Hashable {
    public var events = 0
    public var first: EventRef?
    public var last: EventRef?
    public var actions: [String: ActionUsage] = [:]
    public var networks: [String: Tally] = [:]
    public var vpcEndpoints: [String: Tally] = [:]
    public var regions: [String: Tally] = [:]
    public var agents: [String: Tally] = [:]
    /// Calls per UTC hour of day, 24 entries.
    public var hours: [Int] = Array(repeating: 0, count: 24)
    /// Console sign-ins, role switches and other calls a log marks as a person's.
    public var interactive = Tally()
    public var accessDenied = Tally()
    /// Calls from a routable address (not a service, not through a VPC endpoint), by
    /// `<5-minute slot>|<network group>`, the earliest of each: what concurrent use is judged on.
    public var moments: [String: EventRef] = [:]

    /// Minutes per slot in ``moments``.
    public static let slotMinutes = 5

    public init() {}

    /// The distinct read-only `List*`, `Describe*` and `Get*` actions of the day (IAM-style names only).
    public var readOnlyActions: [String] {
        actions.keys.filter(ActionName.isReconnaissance).sorted()
    }

    mutating func add(_ event: ActivityEvent) {
        add(event, network: SourceNetwork(event.invokedBy ?? event.sourceAddress), agent: UserAgentFamily(event.userAgent).key)
    }

    /// ``add(_:)`` with the event's network and user-agent family already parsed (the
    /// accumulator parses each distinct address and agent once).
    mutating func add(_ event: ActivityEvent, network: SourceNetwork?, agent: String) {
        events += 1
        // An EventRef copies six strings: make one only when it would be kept.
        if first.map({ EventRef.precedes(event, $0) }) ?? true { first = EventRef(event) }
        if last.map({ EventRef.precedes($0, event) }) ?? true { last = EventRef(event) }
        actions[event.action, default: ActionUsage()].add(event)
        // A call a service made for the principal comes from the service, whatever address it printed.
        if let network { networks[network.key, default: Tally()].add(event) }
        if let endpoint = event.vpcEndpoint { vpcEndpoints[endpoint, default: Tally()].add(event) }
        if let region = event.region { regions[region, default: Tally()].add(event) }
        agents[agent, default: Tally()].add(event)
        let secondOfDay = Int(event.time.timeIntervalSince1970.rounded(.down)) % 86_400
        hours[(secondOfDay + 86_400) % 86_400 / 3600] += 1
        if event.interactive { interactive.add(event) }
        if event.isAccessDenied { accessDenied.add(event) }
        if let network, network.isAddress, !network.isPrivate, !event.isServiceCall, event.vpcEndpoint == nil {
            let slot = (secondOfDay + 86_400) % 86_400 / (Self.slotMinutes * 60)
            let key = "\(slot)|\(network.group)"
            if moments[key].map({ EventRef.precedes(event, $0) }) ?? true { moments[key] = EventRef(event) }
        }
    }

    public func merged(_ other: DayUsage) -> DayUsage {
        var copy = self
        copy.events += other.events
        copy.first = Fold.earliest(first, other.first)
        copy.last = [last, other.last].compactMap { $0 }.max()
        copy.actions.merge(other.actions) { $0.merged($1) }
        copy.networks.merge(other.networks) { $0.merged($1) }
        copy.vpcEndpoints.merge(other.vpcEndpoints) { $0.merged($1) }
        copy.regions.merge(other.regions) { $0.merged($1) }
        copy.agents.merge(other.agents) { $0.merged($1) }
        copy.hours = zip(hours, other.hours).map { $0 + $1 }
        copy.interactive = interactive.merged(other.interactive)
        copy.accessDenied = accessDenied.merged(other.accessDenied)
        copy.moments.merge(other.moments) { Swift.min($0, $1) }
        return copy
    }
}

/// Facts about `service:Action` names.
enum ActionName {
    /// The service prefix (`iam` of `iam:ListUsers`), nil for names that are not IAM-style.
    static func service(_ action: String) -> Substring? {
        guard let colon = action.firstIndex(of: ":") else { return nil }
        return action[..<colon]
    }

    /// `List*`, `Describe*`, `Get*`: what a principal runs to learn what it can reach.
    static func isReconnaissance(_ action: String) -> Bool {
        guard let colon = action.firstIndex(of: ":") else { return false }
        let name = action[action.index(after: colon)...]
        return name.hasPrefix("List") || name.hasPrefix("Describe") || name.hasPrefix("Get")
    }
}
