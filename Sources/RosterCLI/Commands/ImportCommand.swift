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
        discussion: """
            `roster import <dir>` recognises every provider's files by content (a folder per provider, as an
            administrator collects them) and imports them together. `roster import <provider> <dir|files…>` reads one
            provider's files and fails on any file that is not one: \(Connectors.all.map(\.provider.rawValue).joined(separator: ", ")).
            """,
        subcommands: [ImportAWSCommand.self, ImportActivityCommand.self, ImportSourcesCommand.self],
        defaultSubcommand: ImportSourcesCommand.self)
}

/// `roster import <dir>` and `roster import <provider> <paths…>` for every provider but AWS (which has its own options).
struct ImportSourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "Import every provider's files found in directories, or one provider's: `roster import gcp ./gcp`.",
        discussion: Connectors.all.map { "\($0.provider.rawValue) (\($0.title)): \($0.reads)." }.joined(separator: "\n"))

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Argument(help: "An optional provider name, then export files or directories.")
    var paths: [String] = []

    @Flag(help: "Store snapshots even if they drop more than half of a scope's identities (they really are gone).")
    var replace = false

    @Option(help: ArgumentHelp("Measure ages against this date (YYYY-MM-DD or ISO 8601) when the files do not say when they were written.", valueName: "date"))
    var asOf: String?

    /// The provider named first, if the first argument is one and not also a path.
    private var namedProvider: ConnectorEntry? {
        guard let first = paths.first, !FileManager.default.fileExists(atPath: first) else { return nil }
        return Connectors.entry(for: Provider(rawValue: first.lowercased()))
    }

    func validate() throws {
        let rest = namedProvider == nil ? paths : Array(paths.dropFirst())
        if rest.isEmpty {
            throw ValidationError("give export files or directories, e.g. `roster import examples/estate` or `roster import kubernetes cluster.json`")
        }
    }

    func run() async throws {
        try await reportingErrors { try await global.removingNewDatabaseOnFailure { try await importFiles() } }
    }

    private func importFiles() async throws {
        let format = try global.tabular()
        var options = ImportOptions()
        if let asOf {
            guard let date = ISO8601.parse(asOf) else { throw ValidationError("--as-of expects a date such as 2026-11-20, got \(Sanitize.text(asOf))") }
            options.asOf = date
        }
        let entry = namedProvider
        let inputs = entry == nil ? paths : Array(paths.dropFirst())
        let service = try global.service(writing: true, overrides: policyOptions)
        let progress = ProgressBar()
        defer { progress.finish() }
        let timings = PhaseTimer(enabled: ProcessInfo.processInfo.environment["ROSTER_TIMINGS"] != nil)
        progress.update("finding files")
        // Without a provider named, activity logs (CloudTrail, Kubernetes audit) found among the
        // inputs are imported too, after the exports, so their analysis sees the identities.
        var activityFiles: [String] = []
        var estateInputs = inputs
        if entry == nil {
            let directories = inputs.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            let named = inputs.filter { !directories.contains($0) && ActivityLogs.isActivityLog($0) }
            estateInputs = inputs.filter { !named.contains($0) }
            activityFiles = named + ((try? ActivityLogs.discover(directories).files.map(\.path)) ?? [])
        }
        let parts = estateInputs.isEmpty ? [] : try entry.map { [try $0.files(in: estateInputs, options: options)] } ?? Connectors.recogniseAll(estateInputs, options: options)
        if !activityFiles.isEmpty, !parts.contains(where: { !$0.isEmpty }) {
            let report = try await service.importActivity(activityFiles) { step, done, total in progress.update(step, done: done, total: total) }
            progress.finish()
            try ActivityOutput.print(report, format: format)
            return
        }
        guard parts.contains(where: { !$0.isEmpty }) || !activityFiles.isEmpty else {
            let skipped = parts.reduce(0) { $0 + $1.skips.count }
            let what = entry.map { "no \($0.title) export" } ?? "no export of any provider"
            throw CLIError.input("\(what) found in \(inputs.joined(separator: ", "))\(skipped == 0 ? "" : " (skipped \(skipped) other files)")")
        }
        let report = try await service.importRecognised(parts, source: inputs.joined(separator: " "), replace: replace) { step, done, total in
            timings.follow(step)
            progress.update(step, done: done, total: total)
        }
        timings.finish()
        progress.finish()
        for warning in report.warnings { Terminal.warning(warning) }
        for skipped in report.skipped { Terminal.warning(skipped) }
        let providers = parts.filter { !$0.isEmpty }.map(\.provider.rawValue)
        try ImportSummary(format: format).print(report, what: "Read \(Format.count(report.fileCount, "file")) (\(providers.joined(separator: ", ")))")
        if !activityFiles.isEmpty {
            let activity = try await service.importActivity(activityFiles) { step, done, total in progress.update(step, done: done, total: total) }
            progress.finish()
            if format == .table { try ActivityOutput.print(activity, format: format) }
        }
    }
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
