public import Foundation
public import RosterModel

/// Activity findings: usage compared with each machine identity's baseline and with what it is.
///
/// Pure and deterministic: identities are visited in id order, evidence cites events in time
/// then id order, and nothing depends on the order the events were folded in.
///
/// The learning window is the `window` days before the recent period; the recent period is the
/// `recent` days up to `asOf` (by UTC day). Human use and unused grants are judged over both.
///
/// For example:
/// ```swift
/// let findings = ActivityAnalysis.findings(usage: accumulator.usage, identities: byId, asOf: now)
/// ```
public enum ActivityAnalysis {
    /// - Parameters:
    ///   - usage: Identity id → folded activity.
    ///   - identities: The inventory by id; only non-human identities the customer manages are judged.
    ///   - granted: Identity id → actions its policies allow, for `activity.granted-unused`.
    public static func findings(
        usage: [String: IdentityUsage], identities: [String: Identity], asOf: Date, window: Int = 30, recent: Int = 1,
        granted: [String: [String]]? = nil, thresholds: ActivityThresholds = ActivityThresholds()
    ) -> [Finding] {
        let coverageStart = usage.values.compactMap { $0.days.keys.min() }.min()
        var findings: [Finding] = []
        for id in usage.keys.sorted() {
            guard let identity = identities[id], identity.nature.isNonHuman, identity.managedBy == nil, let usage = usage[id] else { continue }
            let context = ActivityContext(
                identity: identity, usage: usage, asOf: asOf, window: window, recent: recent, coverageStart: coverageStart, thresholds: thresholds)
            findings += context.findings(granted: granted?[id])
        }
        return findings.sorted { ($0.ruleId, $0.identityId) < ($1.ruleId, $1.identityId) }
    }
}

/// One identity's usage, split into its learning window and recent period.
struct ActivityContext {
    let identity: Identity
    let usage: IdentityUsage
    let thresholds: ActivityThresholds
    let coverageStart: String?
    let today: String
    let recentStart: String
    let windowStart: String
    let baseline: ActivityBaseline
    let recentDays: [(day: String, usage: DayUsage)]
    /// The learning window and the recent period together.
    let allDays: [(day: String, usage: DayUsage)]

    init(identity: Identity, usage: IdentityUsage, asOf: Date, window: Int, recent: Int, coverageStart: String?, thresholds: ActivityThresholds) {
        self.identity = identity
        self.usage = usage
        self.thresholds = thresholds
        self.coverageStart = coverageStart
        today = asOf.utcDay
        recentStart = asOf.addingTimeInterval(-Double(max(recent, 0)) * 86_400).utcDay
        windowStart = ActivityCalendar.day(recentStart, plus: -window)
        baseline = ActivityBaseline(usage, window: window, endingBefore: recentStart)
        recentDays = usage.days(from: recentStart, through: today)
        allDays = usage.days(from: windowStart, through: today)
    }

    func findings(granted: [String]?) -> [Finding] {
        var out: [Finding] = []
        var explained = Set<String>()  // network keys a more specific finding already reports
        if let (finding, networks) = humanUse() {
            out.append(finding)
            explained.formUnion(networks)
        }
        if let (finding, networks) = concurrentNetworks() {
            out.append(finding)
            explained.formUnion(networks)
        }
        out += [dormantWakes(), enumeration(), newNetwork(explained: explained)].compactMap { $0 }
        if let granted, let finding = grantedUnused(granted) { out.append(finding) }
        return out
    }

    var isBaselined: Bool { baseline.activeDays >= thresholds.minBaselineDays }

    func cite(_ refs: [EventRef]) -> String {
        refs.prefix(thresholds.citedEvents).map(ActivitySay.event).joined(separator: "; ")
    }
}

/// Renderings for evidence sentences.
enum ActivitySay {
    static func time(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let s = ((seconds % 86_400) + 86_400) % 86_400
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.utcDay)T\(pad(s / 3600)):\(pad(s % 3600 / 60)):\(pad(s % 60))Z"
    }

    /// `iam:ListUsers at 2025-11-19T14:02:11Z from 198.51.100.7 with key AKIA… (event e-1)`.
    static func event(_ ref: EventRef) -> String {
        var text = "\(ref.action) at \(time(ref.time))"
        if let address = ref.sourceAddress { text += " from \(address)" }
        if let key = ref.accessKeyId { text += " with key \(key)" }
        return text + " (event \(ref.id))"
    }

    static func list(_ items: some Sequence<String>, limit: Int = 10) -> String {
        let all = Array(items)
        let shown = all.prefix(limit).joined(separator: ", ")
        return all.count > limit ? "\(shown) and \(all.count - limit) more" : shown
    }
}
