import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel


/// Which snapshot to analyse; by default the newest of each scope.
struct SnapshotOption: ParsableArguments {
    @Option(help: ArgumentHelp("Analyse this snapshot instead of the newest of each scope.", valueName: "id"))
    var snapshot: Int64?
}

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "Print the fix-first queue: every finding, highest risk first.",
        discussion: "Exits 1 when a finding at or above --fail-on is printed (default: low, i.e. any), like gitleaks; --fail-on none always exits 0.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Option(help: "Only findings at or above this severity: info, low, medium, high, critical.")
    var severity: Severity = .info

    @Option(help: ArgumentHelp("Only this rule id (repeatable).", valueName: "rule-id"))
    var rule: [String] = []

    @Option(help: ArgumentHelp("Only this OWASP NHI category, e.g. NHI7 (repeatable).", valueName: "category"))
    var owasp: [String] = []

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
    }

    func run() throws {
        let printed = try reportingErrors { () -> [Finding] in
            let policy = try policyOptions.apply(to: try global.loadPolicy())
            let workspace = try Workspace.load(global, policy: policy, snapshot: snapshotOption.snapshot)
            let categories = Set(owasp.map { $0.uppercased() })
            var rows: [(Finding, IdentityProfile)] = []
            for profile in workspace.analysis.profiles {
                for finding in profile.findings where finding.severity >= severity
                    && (rule.isEmpty || rule.contains(finding.ruleId)) && (categories.isEmpty || categories.contains(finding.owasp.rawValue)) {
                    rows.append((finding, profile))
                }
            }
            if let limit { rows = Array(rows.prefix(limit)) }
            try render(rows, workspace: workspace)
            return rows.map(\.0)
        }
        if let threshold = Severity(rawValue: failOn), printed.contains(where: { $0.severity >= threshold }) {
            throw RosterExit.findings
        }
    }

    private func render(_ rows: [(Finding, IdentityProfile)], workspace: Workspace) throws {
        switch global.format {
        case .json:
            print(try JSONOutput.encode(rows.map { JSONOutput.FindingRecord($0.0, profile: $0.1) }), terminator: "")
        case .csv:
            var csv = CSVWriter(["risk", "severity", "ruleId", "owasp", "identity", "arn", "kind", "credential", "title", "evidence", "remediation"])
            for (f, p) in rows {
                csv.add([
                    "\(p.risk.value)", f.severity.rawValue, f.ruleId, f.owasp.rawValue, p.identity.name, p.identity.arn ?? p.identity.id,
                    p.identity.kind.rawValue, f.credentialId ?? "", f.title, f.evidence.joined(separator: "; "), f.remediation,
                ])
            }
            print(csv.render(), terminator: "")
        case .table:
            guard !rows.isEmpty else {
                print("No findings in \(workspace.snapshots.map { "\($0.scope) (snapshot #\($0.id))" }.joined(separator: ", ")).")
                return
            }
            var table = Table(["RISK", "SEVERITY", "RULE", "OWASP", "IDENTITY", "EVIDENCE"])
            for (f, p) in rows {
                table.add(["\(p.risk.value)", f.severity.rawValue, f.ruleId, f.owasp.rawValue, p.identity.name, f.evidence.first ?? ""])
            }
            print(table.render(), terminator: "")
            print("\n\(Format.count(rows.count, "finding")) (\(Format.severityCounts(rows.map(\.0)))) on \(Set(rows.map { $0.1.identity.id }).count) identities. `roster show <identity>` explains one; --format json gives everything.")
        }
    }
}
