import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterStore

struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "List the stored snapshots, oldest first.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            let list = try global.openExistingStore().snapshots(scope: nil)
            switch global.format {
            case .json:
                print(try JSONOutput.encode(list), terminator: "")
            case .csv, .table:
                var table = Table(["ID", "SCOPE", "OBSERVED", "TAKEN", "IDENTITIES", "CREDENTIALS", "SOURCE"])
                var csv = CSVWriter(["id", "scope", "observedAt", "takenAt", "identities", "credentials", "source"])
                for s in list {
                    let row = ["\(s.id)", s.scope, Format.date(s.observedAt), Format.date(s.takenAt), "\(s.identityCount)", "\(s.credentialCount)", s.source]
                    table.add(row)
                    csv.add(row)
                }
                print(global.format == .csv ? csv.render() : table.render(), terminator: "")
            }
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the detectors: id, severity, OWASP NHI category and what each looks for.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        struct Record: Encodable {
            var id, title, severity, owasp, owaspTitle, summary, remediation: String
        }
        let records = Detectors.all.map {
            Record(id: $0.id, title: $0.title, severity: $0.severity.rawValue, owasp: $0.owasp.rawValue, owaspTitle: $0.owasp.title,
                   summary: $0.summary, remediation: $0.remediation)
        }
        switch global.format {
        case .json:
            print(try JSONOutput.encode(records), terminator: "")
        case .csv:
            var csv = CSVWriter(["id", "severity", "owasp", "title", "summary", "remediation"])
            for r in records { csv.add([r.id, r.severity, r.owasp, r.title, r.summary, r.remediation]) }
            print(csv.render(), terminator: "")
        case .table:
            var table = Table(["RULE", "SEVERITY", "OWASP", "TITLE"])
            for r in records { table.add([r.id, r.severity, "\(r.owasp) \(r.owaspTitle)", r.title]) }
            print(table.render(), terminator: "")
        }
    }
}
