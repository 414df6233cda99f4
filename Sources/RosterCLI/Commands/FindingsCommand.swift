import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore


/// Which snapshot to analyse; by default the newest of each scope.
struct SnapshotOption: ParsableArguments {
    @Option(help: ArgumentHelp("Analyse this snapshot instead of the newest of each scope.", valueName: "id"))
    var snapshot: Int64?
}

struct FindingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "Print the fix-first queue: every finding, highest risk first.",
        discussion: """
            Reads the stored analysis. Exits 1 when an unsuppressed finding at or above --fail-on is printed (default: low, i.e. any), \
            like gitleaks; --fail-on none always exits 0. --rule takes glob patterns (aws.access-key.*). --format sarif writes SARIF 2.1.0.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Option(help: "Only findings at or above this severity: info, low, medium, high, critical.")
    var severity: Severity = .info

    @Option(help: ArgumentHelp("Only this rule id (repeatable).", valueName: "rule-id"))
    var rule: [String] = []

    @Option(help: ArgumentHelp("Only this OWASP NHI category, e.g. NHI7 (repeatable).", valueName: "category"))
    var owasp: [String] = []

    @Option(help: "Only this provider (aws, gcp, azure, kubernetes, …).")
    var provider: Provider?

    @Flag(help: "Also print suppressed findings (they never count for --fail-on).")
    var includeSuppressed = false

    @Option(help: ArgumentHelp("Print at most this many findings.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Exit 1 when a finding at or above this severity is printed, or `none`.", valueName: "severity"))
    var failOn: String = "low"

    func validate() throws {
        if failOn != "none" && Severity(rawValue: failOn) == nil {
            throw ValidationError("--fail-on takes info, low, medium, high, critical or none")
        }
        for category in owasp where OWASPCategory(rawValue: category.uppercased()) == nil {
            throw ValidationError("--owasp takes NHI1 … NHI10, got \(Sanitize.text(category))")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        try FilterCheck.provider(provider)
    }

    func run() async throws {
        let printed = try await reportingErrors { () -> [StoredFinding] in
            let service = try global.service(overrides: policyOptions)
            let view = try await service.view(snapshot: snapshotOption.snapshot)
            let query = FindingQuery(
                analyses: view.analyses, minSeverity: severity, rules: rule, owasp: owasp.compactMap { OWASPCategory(rawValue: $0.uppercased()) },
                provider: provider)
            var rows = try await service.findings(query)
            if !includeSuppressed { rows.removeAll { $0.suppression != nil } }
            if let limit { rows = Array(rows.prefix(limit)) }
            try render(rows, view: view)
            return rows
        }
        if let threshold = Severity(rawValue: failOn), printed.contains(where: { $0.finding.severity >= threshold && $0.suppression == nil }) {
            throw RosterExit.findings
        }
    }

    private func render(_ rows: [StoredFinding], view: View) throws {
        switch global.format {
        case .sarif:
            let artifact = view.snapshots.first?.source.split(separator: " ").first.map(String.init) ?? "roster.db"
            print(try SARIF.render(rows, artifact: artifact, toolVersion: Roster.configuration.version), terminator: "")
        case .json:
            print(try JSONOutput.encode(rows.map(JSONOutput.FindingRecord.init)), terminator: "")
        case .csv:
            var csv = CSVWriter(["id", "risk", "severity", "ruleId", "owasp", "identity", "arn", "kind", "credential", "title", "evidence", "remediation", "suppressed"])
            for r in rows {
                let f = r.finding
                csv.add([
                    f.id, "\(r.risk)", f.severity.rawValue, f.ruleId, f.owasp.rawValue, f.identityName, f.identityId,
                    r.identityKind?.rawValue ?? "", f.credentialId ?? "", f.title, f.evidence.joined(separator: "; "), f.remediation, r.suppression?.reason ?? "",
                ])
            }
            print(csv.render(), terminator: "")
        case .table, .dot:
            guard !rows.isEmpty else {
                print("No findings in \(view.snapshots.map { "\($0.scope) (snapshot #\($0.id))" }.joined(separator: ", ")).")
                return
            }
            var table = Table(["RISK", "SEVERITY", "RULE", "OWASP", "IDENTITY", "EVIDENCE", "ID"])
            for r in rows {
                let f = r.finding
                table.add(["\(r.risk)", f.severity.rawValue + (r.suppression == nil ? "" : " (suppressed)"), f.ruleId, f.owasp.rawValue, f.identityName, f.evidence.first ?? "", f.id])
            }
            print(table.render(), terminator: "")
            print("\n\(Format.count(rows.count, "finding")) (\(Format.severityCounts(rows.map(\.finding)))) on \(Set(rows.map(\.finding.identityId)).count) identities. `roster show <identity>` explains one; `roster suppress <id>` accepts one; --format json gives everything.")
        }
    }
}
