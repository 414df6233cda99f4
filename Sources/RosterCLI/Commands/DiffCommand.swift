import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what appeared, changed and disappeared between two snapshots of the same scope.",
        discussion: "By default compares the two newest snapshots of each scope that has at least two.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The older snapshot.", valueName: "id"))
    var from: Int64?

    @Option(help: ArgumentHelp("The newer snapshot (default: the newest of the --from snapshot's scope).", valueName: "id"))
    var to: Int64?

    @Option(help: ArgumentHelp("Only this scope, e.g. aws:123456789012.", valueName: "scope"))
    var scope: String?

    func run() async throws {
        try await reportingErrors {
            let format = try global.tabular()
            let (diffs, single) = try await global.service().diffs(from: from, to: to, scope: scope)
            try render(diffs, format: format, singleSnapshotScopes: single)
        }
    }

    func render(_ reports: [SnapshotDiff], format: OutputFormat, singleSnapshotScopes: [String]) throws {
        switch format {
        case .json, .sarif, .dot:
            struct Record: Encodable {
                var scope: String
                var from: Int64
                var to: Int64
                var addedIdentities: [String]
                var removedIdentities: [String]
                var changedIdentities: [[String: String]]
                var addedCredentials: [String]
                var removedCredentials: [String]
                var newFindings: [[String: String]]
                var resolvedFindings: [[String: String]]
            }
            func finding(_ f: FindingHistory) -> [String: String] {
                ["id": f.id, "ruleId": f.ruleId, "identity": f.identityName, "identityId": f.identityId, "severity": f.severity.rawValue]
            }
            let records = reports.map { report in
                let (pair, d) = (report, report.changes)
                return Record(
                    scope: pair.new.scope, from: pair.old.id, to: pair.new.id, addedIdentities: d.addedIdentities.map(\.id),
                    removedIdentities: d.removedIdentities.map(\.id),
                    changedIdentities: d.changedIdentities.map { ["id": $0.id, "name": $0.name, "fields": $0.fields.joined(separator: ", ")] },
                    addedCredentials: d.addedCredentials.map { $0.preview ?? $0.id }, removedCredentials: d.removedCredentials.map { $0.preview ?? $0.id },
                    newFindings: report.newFindings.map(finding), resolvedFindings: report.resolvedFindings.map(finding))
            }
            print(try JSONOutput.encode(records), terminator: "")
        case .csv, .table:
            var csv = CSVWriter(["scope", "change", "what", "detail"])
            var lines: [String] = []
            for report in reports {
                let (pair, d) = (report, report.changes)
                func row(_ change: String, _ what: String, _ detail: String = "") {
                    csv.add([pair.new.scope, change, what, detail])
                    lines.append("  \(change.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Sanitize.text(what))\(detail.isEmpty ? "" : "  (\(Sanitize.text(detail)))")")
                }
                lines.append("\(pair.new.scope): snapshot #\(pair.old.id) (\(Format.date(pair.old.observedAt))) → #\(pair.new.id) (\(Format.date(pair.new.observedAt)))")
                if report.isEmpty { lines.append("  no changes") }
                for i in d.addedIdentities { row("+ identity", i.name, i.kind.rawValue) }
                for i in d.removedIdentities { row("- identity", i.name, i.kind.rawValue) }
                for c in d.changedIdentities { row("~ identity", c.name, c.fields.joined(separator: ", ")) }
                for c in d.addedCredentials { row("+ credential", c.preview ?? c.id, c.kind.rawValue) }
                for c in d.removedCredentials { row("- credential", c.preview ?? c.id, c.kind.rawValue) }
                for f in report.newFindings { row("+ finding", "\(f.ruleId) on \(f.identityName)", f.severity.rawValue) }
                for f in report.resolvedFindings { row("- finding", "\(f.ruleId) on \(f.identityName)", "resolved") }
            }
            if format == .csv {
                print(csv.render(), terminator: "")
            } else {
                for scope in singleSnapshotScopes {
                    lines.append("\(scope): only one snapshot so far; import again later to see what changed")
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }
}
