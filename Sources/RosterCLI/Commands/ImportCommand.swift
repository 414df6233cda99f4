import ArgumentParser
import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import export files into a new snapshot.",
        subcommands: [ImportAWSCommand.self])
}

struct ImportAWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Import AWS IAM exports, as the AWS CLI writes them.",
        discussion: """
            Reads, recognised by content: `aws iam get-account-authorization-details` JSON, the credential report
            (decoded CSV or `aws iam get-credential-report` JSON), `aws iam list-access-keys` and
            `aws iam get-access-key-last-used` JSON (named after the key id, e.g. AKIA….json).
            Directories are searched for .json and .csv files. Each account becomes one snapshot; all are stored in one
            transaction, or none if any file is bad. Importing the same data again stores nothing new.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Argument(help: "Export files or directories holding them.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("A get-account-authorization-details file (checked to be one).", valueName: "file"))
    var authorizationDetails: [String] = []

    @Option(help: ArgumentHelp("A credential report, CSV or get-credential-report JSON (checked to be one).", valueName: "file"))
    var credentialReport: [String] = []

    @Option(help: ArgumentHelp("Measure ages against this date (YYYY-MM-DD or ISO 8601) instead of the report's generation time.", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if paths.isEmpty && authorizationDetails.isEmpty && credentialReport.isEmpty {
            throw ValidationError("give at least one export file or directory, e.g. `roster import aws examples/aws-acme`")
        }
    }

    func run() throws {
        try reportingErrors {
            let policy = try policyOptions.apply(to: try global.loadPolicy())
            var asOfDate: Date?
            if let asOf {
                guard let date = ISO8601.parse(asOf) else { throw ValidationError("--as-of expects a date such as 2026-11-20, got \(Sanitize.text(asOf))") }
                asOfDate = date
            }
            let progress = ProgressBar()
            defer { progress.finish() }
            let timings = PhaseTimer(enabled: ProcessInfo.processInfo.environment["ROSTER_TIMINGS"] != nil)
            progress.update("finding files")
            var files = try AWSConnector.discover(paths)
            files.files += try AWSConnector.discover(authorizationDetails, expected: .authorizationDetails).files
            files.files += try AWSConnector.discover(credentialReport, expected: .credentialReportCSV).files
            guard !files.files.isEmpty else {
                throw CLIError.input("no AWS IAM export found in \(paths.joined(separator: ", "))\(files.skipped.isEmpty ? "" : " (skipped \(files.skipped.count) other files)")")
            }
            let total = files.files.count
            let result = try AWSConnector(asOf: asOfDate).read(files.files) { step in
                progress.update(step, done: 0, total: total)
            }
            timings.mark("read and map")
            progress.update("analysing")
            var inputs: [SnapshotInput] = []
            var findingsByScope: [String: [Finding]] = [:]
            for estate in result.estates {
                let analysis = Analyzer.run([estate], policy: policy)
                findingsByScope[estate.scope] = analysis.findings
                inputs.append(SnapshotInput(estate: estate, source: (paths + authorizationDetails + credentialReport).joined(separator: " "), findings: analysis.findings))
            }
            timings.mark("analyse")
            progress.update("writing the snapshot")
            let store = try global.openStore()
            let outcomes = try store.save(inputs)
            timings.mark("store")
            progress.finish()
            for warning in result.warnings { Terminal.warning(warning) }
            for skipped in files.skipped { Terminal.warning("\(skipped): skipped, not an AWS IAM export Roster reads") }
            try printSummary(outcomes, estates: result.estates, findings: findingsByScope, files: files.files)
        }
    }

    private func printSummary(_ outcomes: [SaveOutcome], estates: [Estate], findings: [String: [Finding]], files: [AWSConnector.InputFile]) throws {
        struct Summary: Encodable {
            var snapshot: Int64
            var scope: String
            var status: String
            var observedAt: Date
            var identities: Int
            var nonHuman: Int
            var credentials: Int
            var findings: [String: Int]
        }
        var summaries: [Summary] = []
        for (outcome, estate) in zip(outcomes, estates) {
            let list = findings[estate.scope] ?? []
            summaries.append(Summary(
                snapshot: outcome.snapshot.id, scope: estate.scope, status: { if case .created = outcome { "created" } else { "unchanged" } }(),
                observedAt: estate.observedAt, identities: estate.identities.count,
                nonHuman: estate.identities.filter { $0.nature.isNonHuman }.count, credentials: estate.credentials.count,
                findings: Dictionary(grouping: list, by: \.severity.rawValue).mapValues(\.count)))
        }
        switch global.format {
        case .json:
            print(try JSONOutput.encode(summaries), terminator: "")
        case .csv:
            var csv = CSVWriter(["snapshot", "scope", "status", "identities", "nonHuman", "credentials", "findings"])
            for s in summaries {
                csv.add(["\(s.snapshot)", s.scope, s.status, "\(s.identities)", "\(s.nonHuman)", "\(s.credentials)", "\(s.findings.values.reduce(0, +))"])
            }
            print(csv.render(), terminator: "")
        case .table:
            print("Read \(Format.count(files.count, "file")).")
            for (s, estate) in zip(summaries, estates) {
                let verb = s.status == "created" ? "Imported \(s.scope) as snapshot #\(s.snapshot)" : "\(s.scope) is unchanged since snapshot #\(s.snapshot); nothing stored"
                print("\(verb) (observed \(Format.date(s.observedAt))): \(Format.count(s.identities, "identity", "identities")) (\(s.nonHuman) non-human), \(Format.count(s.credentials, "credential")), findings: \(Format.severityCounts(findings[estate.scope] ?? [])).")
            }
            print("Next: `roster findings` for the ranked queue, `roster inventory` for every identity.")
        }
    }
}

/// Dates given on the command line.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
