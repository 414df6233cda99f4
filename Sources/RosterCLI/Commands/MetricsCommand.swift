import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel
import RosterService

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "The governance numbers: how much of the NHI estate is owned, rotated, used and least-privileged.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    func run() async throws {
        try await reportingErrors {
            let format = try global.tabular()
            let service = try global.service(overrides: policyOptions)
            let policy = service.configuration.policy
            let view = try await service.view(snapshot: snapshotOption.snapshot)
            let m = try await service.metrics(analyses: view.analyses)[0]
            var rows: [(String, String, String)] = [
                ("identities", "\(m.identities)", "\(m.nonHuman) non-human, \(m.humans) human"),
                ("NHIs with an owner", percent(m.withOwner), "\(m.withOwner.count) of \(m.withOwner.total)"),
                ("NHI keys and secrets rotated within \(policy.maxKeyAgeDays) days", percent(m.keysRotatedWithinPolicy),
                 "\(m.keysRotatedWithinPolicy.count) of \(m.keysRotatedWithinPolicy.total) active access keys, service account keys, client secrets and API keys"),
            ]
            if m.byProvider.count > 1 {
                for (provider, count) in m.byProvider.sorted(by: { $0.key < $1.key }) {
                    rows.insert(("  \(provider)", "\(count.identities)", "\(count.nonHuman) non-human"), at: 1 + m.byProvider.keys.sorted().firstIndex(of: provider)!)
                }
            }
            for tier in policy.staleTiers.sorted() {
                if let r = m.unused["\(tier)d"] { rows.append(("NHIs unused ≥ \(tier) days", percent(r), "\(r.count) of \(r.total) with usage data")) }
            }
            rows.append(("NHIs over-privileged (admin)", percent(m.overPrivileged), "\(m.overPrivileged.count) of \(m.overPrivileged.total)"))
            rows.append(("findings", "\(m.findingsBySeverity.values.reduce(0, +))",
                         Severity.allCases.reversed().compactMap { s in m.findingsBySeverity[s.rawValue].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")))
            for category in OWASPCategory.allCases {
                if let n = m.findingsByOWASP[category.rawValue] { rows.append(("  \(category.rawValue) \(category.title)", "\(n)", "")) }
            }
            switch format {
            case .json, .sarif, .dot:
                print(try JSONOutput.encode(m), terminator: "")
            case .csv:
                var csv = CSVWriter(["metric", "value", "detail"])
                for r in rows { csv.add([r.0.trimmingCharacters(in: .whitespaces), r.1, r.2]) }
                print(csv.render(), terminator: "")
            case .table:
                var table = Table(["METRIC", "VALUE", "DETAIL"])
                table.maxCellWidth = 80
                for r in rows { table.add([r.0, r.1, r.2]) }
                print(table.render(), terminator: "")
            }
        }
    }

    func percent(_ r: GovernanceMetrics.Ratio) -> String { r.total == 0 ? "n/a" : "\(r.percent)%" }
}
