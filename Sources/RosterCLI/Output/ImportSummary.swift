import Foundation
import RosterModel
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

    /// For an import of exactly the files of stored snapshots: nothing was read or stored.
    func printUnchanged(_ snapshots: [SnapshotInfo]) throws {
        switch format {
        case .json:
            let records = snapshots.map {
                Record(snapshot: $0.id, scope: $0.scope, status: "unchanged", observedAt: $0.observedAt, identities: $0.identityCount,
                       nonHuman: nil, credentials: $0.credentialCount, findings: nil)
            }
            Swift.print(try JSONOutput.encode(records), terminator: "")
        case .csv:
            var csv = CSVWriter(["snapshot", "scope", "status", "identities", "nonHuman", "credentials", "findings"])
            for s in snapshots { csv.add(["\(s.id)", s.scope, "unchanged", "\(s.identityCount)", "", "\(s.credentialCount)", ""]) }
            Swift.print(csv.render(), terminator: "")
        case .table:
            for s in snapshots {
                Swift.print(Sanitize.text("\(s.scope) is unchanged: these files were imported as snapshot #\(s.id) (observed \(Format.date(s.observedAt))); nothing stored."))
            }
        }
    }

    func print(_ outcomes: [SaveOutcome], inputs: [SnapshotInput], what: String) throws {
        let records = zip(outcomes, inputs).map { outcome, input in
            Record(
                snapshot: outcome.snapshot.id, scope: input.estate.scope, status: { if case .created = outcome { "created" } else { "unchanged" } }(),
                observedAt: input.estate.observedAt, identities: input.estate.identities.count,
                nonHuman: input.estate.identities.filter { $0.nature.isNonHuman }.count, credentials: input.estate.credentials.count,
                findings: Dictionary(grouping: input.findings, by: \.severity.rawValue).mapValues(\.count))
        }
        switch format {
        case .json:
            Swift.print(try JSONOutput.encode(records), terminator: "")
        case .csv:
            var csv = CSVWriter(["snapshot", "scope", "status", "identities", "nonHuman", "credentials", "findings"])
            for r in records {
                csv.add(["\(r.snapshot)", r.scope, r.status, "\(r.identities)", "\(r.nonHuman ?? 0)", "\(r.credentials)", "\((r.findings ?? [:]).values.reduce(0, +))"])
            }
            Swift.print(csv.render(), terminator: "")
        case .table:
            Swift.print(Sanitize.text("\(what)."))
            for (r, input) in zip(records, inputs) {
                let verb = r.status == "created" ? "Stored \(r.scope) as snapshot #\(r.snapshot)" : "\(r.scope) is unchanged since snapshot #\(r.snapshot); nothing stored"
                Swift.print(Sanitize.text("\(verb) (observed \(Format.date(r.observedAt))): \(Format.count(r.identities, "identity", "identities")) (\(r.nonHuman ?? 0) non-human), "
                    + "\(Format.count(r.credentials, "credential")), findings: \(Format.severityCounts(input.findings))."))
            }
            Swift.print("Next: `roster findings` for the ranked queue, `roster inventory` for every identity.")
        }
    }
}
