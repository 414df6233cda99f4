import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

/// `roster import cloudtrail <dir|files…>`: activity logs into each identity's usage.
struct ImportActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloudtrail",
        abstract: "Import CloudTrail logs (and Kubernetes audit logs) into each identity's usage.",
        discussion: """
            Reads, recognised by content: a trail's S3 layout (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz,
            organisation trails too), `aws cloudtrail lookup-events` JSON, and Kubernetes audit logs (JSON lines of
            audit.k8s.io/v1 Events). Files read before (same path and content) are skipped, so importing the trail's folder
            every day reads only what is new. Duplicate deliveries are counted once. Then the activity rules run:
            `roster findings --rule 'activity.*'`.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Log files or directories holding them.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("The cluster Kubernetes audit logs come from (as the inventory names it).", valueName: "name"))
    var cluster: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give CloudTrail log files or the folder a trail delivers to") }
    }

    func run() async throws {
        try await reportingErrors {
            try await global.removingNewDatabaseOnFailure {
                let service = try global.service(writing: true)
                let progress = ProgressBar()
                defer { progress.finish() }
                let report = try await service.importActivity(paths, cluster: cluster) { step, done, total in progress.update(step, done: done, total: total) }
                progress.finish()
                try ActivityOutput.print(report, format: try global.tabular())
            }
        }
    }
}

enum ActivityOutput {
    static func print(_ report: ActivityImportReport, format: OutputFormat) throws {
        if format == .json {
            struct Summary: Encodable {
                var files, alreadyRead, events, duplicates, identities, unattributed, findings, bytes: Int
            }
            Swift.print(try JSONOutput.encode(Summary(
                files: report.files, alreadyRead: report.alreadyRead, events: report.events, duplicates: report.duplicates,
                identities: report.identities, unattributed: report.unattributed, findings: report.findings, bytes: report.bytes)), terminator: "")
            return
        }
        if report.files == 0 {
            Swift.print("Nothing new: \(Format.count(report.alreadyRead, "activity log")) already read.")
            return
        }
        var line = "Read \(Format.count(report.files, "activity log")) (\(Format.count(report.events, "event"))"
        if report.duplicates > 0 { line += ", \(report.duplicates) duplicates" }
        line += ") for \(Format.count(report.identities, "identity", "identities"))"
        if report.alreadyRead > 0 { line += "; \(report.alreadyRead) already read" }
        if report.unattributed > 0 { line += "; \(report.unattributed) events by AWS services or unknown principals" }
        Swift.print(line)
        Swift.print("\(Format.count(report.findings, "activity finding")): roster findings --rule 'activity.*'")
    }
}

/// `roster usage ID`: what an identity really did, from activity logs.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Show what an identity did: actions, counts, first and last use, networks, user agents.",
        discussion: "--format json prints {identity, lastUsed, actions: {action: lastUsed}} and the details.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An identity: name, ARN, id or access key id.")
    var identity: String

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let id = try await service.resolveIdentity(identity, in: view)
            guard let usage = try await service.usage(of: id) else {
                throw ServiceError(.notFound, "no activity recorded for \(id); import its CloudTrail logs with `roster import cloudtrail <dir>`")
            }
            let format = try global.tabular()
            if format == .json {
                struct Output: Encodable {
                    var identity: String
                    var lastUsed: Date?
                    var actions: [String: Date?]
                    var detail: IdentityUsage
                }
                Swift.print(try JSONOutput.encode(Output(
                    identity: id, lastUsed: usage.lastUsed, actions: usage.actions.mapValues(\.lastSeen), detail: usage)), terminator: "")
                return
            }
            var table = Table(["ACTION", "CALLS", "ERRORS", "FIRST SEEN", "LAST SEEN"])
            for (action, use) in usage.actions.sorted(by: { ($0.value.lastSeen ?? .distantPast, $1.key) > ($1.value.lastSeen ?? .distantPast, $0.key) }) {
                table.add([action, String(use.count), String(use.errors), Format.date(use.firstSeen), Format.date(use.lastSeen)])
            }
            Swift.print("\(Sanitize.text(id)): last used \(usage.lastUsed == nil ? "never" : Format.date(usage.lastUsed)) in the activity imported")
            Swift.print(table.render(), terminator: "")
        }
    }
}

/// `roster policy suggest ID`: a least-privilege policy from what the identity really used.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Least-privilege policies from activity.", subcommands: [PolicySuggestCommand.self])
}

struct PolicySuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Write an IAM policy that allows what the identity used in the window, and nothing it did not use or was denied.",
        discussion: "--format json prints the policy document alone (ready for `aws iam put-role-policy`); table prints it with what was unused and denied.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An identity: name, ARN, id or access key id.")
    var identity: String

    @Option(help: ArgumentHelp("The window: days of activity before the newest event.", valueName: "days"))
    var days = 90

    func validate() throws {
        if days <= 0 { throw ValidationError("--days must be a positive number of days") }
    }

    func run() async throws {
        try await reportingErrors {
            let service = try global.service()
            let view = try await service.view()
            let id = try await service.resolveIdentity(identity, in: view)
            guard let usage = try await service.usage(of: id), let last = usage.lastUsed else {
                throw ServiceError(.notFound, "no activity recorded for \(id); import its CloudTrail logs with `roster import cloudtrail <dir>`")
            }
            let granted = try await service.grantedActions(of: id, in: view)
            let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: granted, since: last.addingTimeInterval(-Double(days) * 86_400))
            let format = try global.tabular()
            if format == .json {
                Swift.print(try suggestion.document.json())
                return
            }
            Swift.print(try suggestion.document.json())
            if !suggestion.unused.isEmpty { Swift.print("\nGranted, not used in \(days) days: \(suggestion.unused.joined(separator: ", "))") }
            if !suggestion.denied.isEmpty { Swift.print("Denied, left out: \(suggestion.denied.joined(separator: ", "))") }
        }
    }
}
