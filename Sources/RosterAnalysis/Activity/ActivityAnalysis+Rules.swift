import Foundation
import RosterModel

/// The evaluation of each ``ActivityRules`` rule on one identity.
extension ActivityContext {
    /// Console sign-ins, role switches, console calls and workstation CLIs, over the whole span.
    func humanUse() -> (Finding, Set<String>)? {
        var interactive = Tally()
        var agents: [String: Tally] = [:]
        for (_, day) in allDays {
            interactive = interactive.merged(day.interactive)
            for (key, tally) in day.agents {
                let agent = UserAgentFamily(key: key)
                if agent.isConsole || agent.isWorkstationCLI { agents[key, default: Tally()] = agents[key, default: Tally()].merged(tally) }
            }
        }
        var evidence: [String] = []
        var refs: [EventRef] = []
        if interactive.count > 0 {
            evidence.append("\(interactive.count) interactive sign-in or role switch event(s): \(cite(interactive.samples))")
            refs += interactive.samples
        }
        for (key, tally) in agents.sorted(by: { $0.key < $1.key }) {
            let agent = UserAgentFamily(key: key)
            let what = agent.isConsole ? "from the \(agent.family == "s3-console" ? "S3 console" : "AWS console")" : "from \(agent.family) on \(agent.os ?? "")"
            evidence.append("\(tally.count) call(s) \(what): \(cite(tally.samples))")
            refs += tally.samples
        }
        guard !evidence.isEmpty else { return nil }
        let finding = ActivityRules.humanUse.finding(identity, ["\(identity.name) is a \(identity.nature.rawValue) identity; people used it."] + evidence)
        return (finding, Set(refs.compactMap { SourceNetwork($0.sourceAddress)?.key }))
    }

    /// Two network groups within minutes of each other, at least one of them outside the baseline.
    func concurrentNetworks() -> (Finding, Set<String>)? {
        struct Moment { let slot: Int, group: String, ref: EventRef }
        var pairs: [(EventRef, EventRef)] = []
        let limit = Double(thresholds.concurrentMinutes * 60)
        // Slots counted from the epoch, so a pair either side of midnight is still a pair.
        let moments = recentDays.flatMap { $0.usage.moments }.compactMap { key, ref -> Moment? in
            guard let group = key.split(separator: "|", maxSplits: 1).last, key.contains("|") else { return nil }
            let slot = Int((ref.time.timeIntervalSince1970 / Double(DayUsage.slotMinutes * 60)).rounded(.down))
            return Moment(slot: slot, group: String(group), ref: ref)
        }.sorted { ($0.slot, $0.group) < ($1.slot, $1.group) }
        let reach = (thresholds.concurrentMinutes + DayUsage.slotMinutes - 1) / DayUsage.slotMinutes
        for (i, a) in moments.enumerated() {
            for b in moments[(i + 1)...] {
                guard b.slot - a.slot <= reach else { break }
                guard a.group != b.group, abs(a.ref.time.timeIntervalSince(b.ref.time)) <= limit else { continue }
                guard !baseline.networkGroups.contains(a.group) || !baseline.networkGroups.contains(b.group) else { continue }
                pairs.append((min(a.ref, b.ref), max(a.ref, b.ref)))
            }
        }
        guard !pairs.isEmpty else { return nil }
        pairs.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let sameKey = pairs.first { $0.0.accessKeyId != nil && $0.0.accessKeyId == $0.1.accessKeyId }
        var evidence = pairs.prefix(thresholds.citedEvents).map { a, b in
            let gap = Int(abs(b.time.timeIntervalSince(a.time)) / 60)
            let key = a.accessKeyId != nil && a.accessKeyId == b.accessKeyId ? "the same access key \(a.accessKeyId!)" : "the identity"
            return "\(key) called from two networks \(gap) minute(s) apart: \(ActivitySay.event(a)), then \(ActivitySay.event(b))"
        }
        if pairs.count > thresholds.citedEvents { evidence.append("\(pairs.count) such pairs in the recent period") }
        evidence.append(baselineSentence())
        let networks = Set(pairs.flatMap { [$0.0, $0.1] }.compactMap { SourceNetwork($0.sourceAddress) }
            .filter { !baseline.networkGroups.contains($0.group) }.map(\.key))
        let finding = ActivityRules.concurrentNetworks.finding(identity, evidence, credentialId: sameKey?.0.accessKeyId)
        return (finding, networks)
    }

    /// Public networks in the recent period whose /24 and /16 the baseline never saw.
    func newNetwork(explained: Set<String>) -> Finding? {
        guard isBaselined else { return nil }
        var fresh: [String: Tally] = [:]
        for (_, day) in recentDays {
            for (key, tally) in day.networks where !explained.contains(key) {
                guard let network = SourceNetwork(ActivityBaseline.sampleAddress(ofKey: key)), network.isAddress, !network.isPrivate,
                    !baseline.knows(network: network)
                else { continue }
                fresh[key, default: Tally()] = fresh[key, default: Tally()].merged(tally)
            }
        }
        guard !fresh.isEmpty else { return nil }
        var evidence = fresh.sorted { $0.key < $1.key }.map { key, tally in
            let hour = tally.samples.first.map { Int($0.time.timeIntervalSince1970) % 86_400 / 3600 }
            let odd = hour.map { baseline.isUsual(hour: $0) ? "" : ", at \($0):00 UTC, outside its usual hours" } ?? ""
            return "\(tally.count) call(s) from \(key), never in the baseline\(odd): \(cite(tally.samples))"
        }
        evidence.append(baselineSentence())
        return ActivityRules.newNetwork.finding(identity, evidence)
    }

    /// The first recent activity after `dormantDays` of silence, in the usage or across the logs.
    func dormantWakes() -> Finding? {
        guard let wake = recentDays.first, let ref = wake.usage.first else { return nil }
        let previous = usage.days.keys.filter { $0 < wake.day }.max()
        let quiet: String
        if let previous {
            let gap = ActivityCalendar.days(from: previous, to: wake.day)
            guard gap >= thresholds.dormantDays else { return nil }
            let last = usage.days[previous]?.last.map { " (\(ActivitySay.event($0)))" } ?? ""
            quiet = "last active \(previous)\(last), then no activity for \(gap) days"
        } else {
            guard let coverageStart, ActivityCalendar.days(from: coverageStart, to: wake.day) >= thresholds.dormantDays,
                let created = identity.createdAt, ActivityCalendar.days(from: created.utcDay, to: wake.day) >= thresholds.dormantDays
            else { return nil }
            quiet = "no activity in the logs from \(coverageStart) (\(ActivityCalendar.days(from: coverageStart, to: wake.day)) days); created \(created.utcDay)"
        }
        let calls = recentDays.reduce(0) { $0 + $1.usage.events }
        let actions = Set(recentDays.flatMap(\.usage.actions.keys)).sorted()
        return ActivityRules.dormantWakes.finding(identity, [
            quiet,
            "woke up \(ActivitySay.event(ref)); \(calls) call(s) since: \(ActivitySay.list(actions))",
        ])
    }

    /// Many new List/Describe/Get actions across services within an hour, with refusals spiking.
    func enumeration() -> Finding? {
        for (day, usage) in recentDays {
            let spike = max(thresholds.deniedSpikeMinimum, baseline.typicalDailyDenied * thresholds.deniedSpikeFactor + 1)
            guard usage.accessDenied.count >= spike else { continue }
            let recon = usage.actions.filter { ActionName.isReconnaissance($0.key) && !baseline.actions.contains($0.key) }
                .compactMap { action, use in use.firstEvent.map { (action, $0) } }
                .sorted { $0.1 < $1.1 }
            let span = Double(thresholds.enumerationMinutes * 60)
            var best = 0..<0
            var start = 0
            for end in recon.indices {
                while recon[end].1.time.timeIntervalSince(recon[start].1.time) > span { start += 1 }
                if end + 1 - start > best.count { best = start..<(end + 1) }
            }
            let burst = recon[best]
            let services = Set(burst.compactMap { ActionName.service($0.0) }.map(String.init)).sorted()
            guard burst.count >= thresholds.enumerationActions, services.count >= thresholds.enumerationServices,
                let first = burst.first?.1, let last = burst.last?.1
            else { continue }
            return ActivityRules.enumeration.finding(identity, [
                "\(burst.count) distinct List/Describe/Get actions not in its baseline, across \(services.count) services "
                    + "(\(services.joined(separator: ", "))), between \(ActivitySay.time(first.time)) and \(ActivitySay.time(last.time))",
                "first calls: \(cite(burst.map(\.1)))",
                "\(usage.accessDenied.count) call(s) refused on \(day) (typical day: \(baseline.typicalDailyDenied)): \(cite(usage.accessDenied.samples))",
                "actions: \(ActivitySay.list(burst.map(\.0).sorted(), limit: 20))",
            ])
        }
        return nil
    }

    /// Granted actions (or wildcards) that nothing in the window needed.
    func grantedUnused(_ granted: [String]) -> Finding? {
        guard !allDays.isEmpty else { return nil }
        let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: granted, since: ActivityCalendar.date(windowStart))
        guard !suggestion.unused.isEmpty else { return nil }
        let neverUsed = suggestion.unused.filter { suggestion.broaderThanNeeded[$0] == nil }
        var evidence: [String] = []
        if !neverUsed.isEmpty { evidence.append("granted but not used since \(windowStart): \(ActivitySay.list(neverUsed, limit: 30))") }
        for (pattern, used) in suggestion.broaderThanNeeded.sorted(by: { $0.key < $1.key }) {
            evidence.append("\(pattern) is broader than needed: used only \(ActivitySay.list(used))")
        }
        evidence.append("used \(suggestion.used.count) action(s) in the window: \(ActivitySay.list(suggestion.used))")
        return ActivityRules.grantedUnused.finding(identity, evidence)
    }

    func baselineSentence() -> String {
        let networks = baseline.networks.filter { SourceNetwork(ActivityBaseline.sampleAddress(ofKey: $0))?.isAddress == true }.sorted()
        return "baseline \(baseline.start)…\(baseline.end) (\(baseline.activeDays) active days): networks "
            + (networks.isEmpty ? "none" : ActivitySay.list(networks, limit: 5))
    }
}
