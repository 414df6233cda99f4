import Foundation
import RosterModel
import RosterService
import RosterStore

/// What `import` and `collect` print: one line (or record) per stored snapshot.
struct ImportSummary {
    var format: OutputFormat

    struct Record: Encodable {
        var snapshot: Int64
        var scope: String
        var status: String
        var observedAt: Date
        var identities: Int
        var nonHuman: Int?
        var credentials: Int
        var findings: [String: Int]?
    }

    func print(_ report: IngestReport, what: String) throws {
        let records = report.outcomes.map { outcome in
            let s = outcome.snapshot
            let summary = report.summaries[s.id]
            return Record(
                snapshot: s.id, scope: s.scope, status: { if case .created = outcome { "created" } else { "unchanged" } }(), observedAt: s.observedAt,
                identities: s.identityCount, nonHuman: summary?.nonHuman, credentials: s.credentialCount,
                findings: summary.map { Dictionary(uniqueKeysWithValues: $0.findings.map { ($0.key.rawValue, $0.value) }) })
        }
        switch format {
        case .json, .sarif, .dot:
            Swift.print(try JSONOutput.encode(records), terminator: "")
        case .csv:
            var csv = CSVWriter(["snapshot", "scope", "status", "identities", "nonHuman", "credentials", "findings"])
            for r in records {
                csv.add(["\(r.snapshot)", r.scope, r.status, "\(r.identities)", "\(r.nonHuman ?? 0)", "\(r.credentials)", "\((r.findings ?? [:]).values.reduce(0, +))"])
            }
            Swift.print(csv.render(), terminator: "")
        case .table:
            if report.recognisedByDigest {
                for r in records {
                    Swift.print(Sanitize.text("\(r.scope) is unchanged: these files were imported as snapshot #\(r.snapshot) (observed \(Format.date(r.observedAt))); nothing stored."))
                }
                return
            }
            Swift.print(Sanitize.text("\(what)."))
            for r in records {
                let verb = r.status == "created" ? "Stored \(r.scope) as snapshot #\(r.snapshot)" : "\(r.scope) is unchanged since snapshot #\(r.snapshot); nothing stored"
                let findings = report.summaries[r.snapshot]?.findings ?? [:]
                Swift.print(Sanitize.text("\(verb) (observed \(Format.date(r.observedAt))): \(Format.count(r.identities, "identity", "identities")) (\(r.nonHuman ?? 0) non-human), "
                    + "\(Format.count(r.credentials, "credential")), findings: \(Format.severityCounts(findings))."))
            }
            Swift.print("Next: `roster findings` for the ranked queue, `roster inventory` for every identity.")
        }
    }
}
