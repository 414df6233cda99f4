import ArgumentParser
import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterService
import RosterStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import export files into a new snapshot.",
        subcommands: [ImportAWSCommand.self])
}

struct ImportAWSCommand: AsyncParsableCommand {
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

    @Flag(help: "Store the snapshot even if it drops more than half of the scope's identities (they really are gone).")
    var replace = false

    @Option(help: ArgumentHelp("Measure ages against this date (YYYY-MM-DD or ISO 8601) instead of the report's generation time.", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if paths.isEmpty && authorizationDetails.isEmpty && credentialReport.isEmpty {
            throw ValidationError("give at least one export file or directory, e.g. `roster import aws examples/aws-acme`")
        }
    }

    func run() async throws {
        try await reportingErrors { try await global.removingNewDatabaseOnFailure { try await importFiles() } }
    }

    private func importFiles() async throws {
        do {
            let format = try global.tabular()
            var asOfDate: Date?
            if let asOf {
                guard let date = ISO8601.parse(asOf) else { throw ValidationError("--as-of expects a date such as 2026-11-20, got \(Sanitize.text(asOf))") }
                asOfDate = date
            }
            let service = try global.service(writing: true, overrides: policyOptions)
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
            let report = try await service.importFiles(
                AWSConnector(asOf: asOfDate), files: files,
                source: (paths + authorizationDetails + credentialReport).joined(separator: " "), replace: replace
            ) { step, done, total in
                timings.follow(step)
                progress.update(step, done: done, total: total)
            }
            timings.finish()
            progress.finish()
            for warning in report.warnings { Terminal.warning(warning) }
            for skipped in report.skipped { Terminal.warning(skipped) }
            try ImportSummary(format: format).print(report, what: "Read \(Format.count(report.fileCount, "file"))")
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
