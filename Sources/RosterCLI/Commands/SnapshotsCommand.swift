import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

struct SnapshotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "List the stored snapshots, oldest first.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingErrors {
            let format = try global.tabular()
            let list = try await global.openExistingStore().snapshots(scope: nil)
            switch format {
            case .json, .sarif, .dot:
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
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the detectors: id, severity, OWASP NHI category and what each looks for.",
        discussion: "With --edges, the access graph's edge rules instead: id, provider, technique and references.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "List the access graph's edge rules (escalation techniques) instead of the detectors.")
    var edges = false

    func run() throws {
        if edges { return try printEdgeRules() }
        struct Record: Encodable {
            var id, title, severity, owasp, owaspTitle, summary, remediation: String
        }
        // Posture detectors, the access graph's findings, then the activity rules (which run on imported logs).
        let records = SARIF.allRules.map {
            Record(id: $0.id, title: $0.title, severity: $0.severity.rawValue, owasp: $0.owasp.rawValue, owaspTitle: $0.owasp.title,
                   summary: $0.summary, remediation: $0.remediation)
        }
        switch global.format {
        case .json, .sarif, .dot:
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

extension RulesCommand {
    func printEdgeRules() throws {
        let rules = GraphBuilder.rules
        switch global.format {
        case .json, .sarif, .dot:
            print(try JSONOutput.encode(rules), terminator: "")
        case .csv:
            var csv = CSVWriter(["id", "provider", "technique", "summary", "references"])
            for r in rules { csv.add([r.id, r.provider.rawValue, r.technique, r.summary, r.references.joined(separator: " ")]) }
            print(csv.render(), terminator: "")
        case .table:
            var table = Table(["EDGE RULE", "PROVIDER", "TECHNIQUE"])
            for r in rules { table.add([r.id, r.provider.rawValue, r.technique]) }
            print(table.render() + "\n\(rules.count) edge rules", terminator: "\n")
        }
    }
}

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Keep the newest snapshots of each scope and delete the rest, with the versions only they held.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("How many snapshots of each scope to keep.", valueName: "n"))
    var keep: Int

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            let report = try await global.openExistingStore().prune(keep: keep)
            print("Deleted \(Format.count(report.snapshotsDeleted, "snapshot")) and \(Format.count(report.versionsDeleted, "stored version")) only they held.")
        }
    }
}

struct SuppressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress",
        abstract: "Accept a finding: hide it from `findings` and --fail-on, with a reason, until it expires.",
        discussion: """
            Finding ids are stable across snapshots (`roster findings` prints them). Suppressions can also be listed in the settings file:
            {"suppressions": [{"id": "…", "reason": "…", "expires": "2027-01-31"}]}. With --list, prints every suppression; with --remove, lifts one.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The finding id.")
    var id: String?

    @Option(help: "Why the finding is accepted (required).")
    var reason: String?

    @Option(help: ArgumentHelp("When the suppression lapses (YYYY-MM-DD or ISO 8601).", valueName: "date"))
    var expires: String?

    @Flag(help: "Lift the suppression of the finding instead.")
    var remove = false

    @Flag(help: "List the suppressions.")
    var list = false

    func validate() throws {
        if list { return }
        guard let id, id.count == 16, id.allSatisfy(\.isHexDigit) else {
            throw ValidationError("give a finding id (16 hex digits, as `roster findings` prints it)")
        }
        if !remove && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason is required: say why the finding is accepted")
        }
        if let expires, ISO8601.parse(expires) == nil { throw ValidationError("--expires expects a date such as 2027-01-31") }
    }

    func run() async throws {
        try await reportingErrors {
            let service = try global.service(writing: !list)
            if list {
                let all = try await service.store.suppressions() + service.configuration.suppressions
                var table = Table(["FINDING", "EXPIRES", "SOURCE", "REASON"])
                for s in all { table.add([s.findingId, s.expiresAt.map(Format.date) ?? "never", s.source, s.reason]) }
                print(table.render(), terminator: "")
                return
            }
            guard let id else { return }
            if remove {
                let removed = try await service.store.unsuppress(findingId: id)
                print(removed ? "Lifted the suppression of \(id)." : "\(id) was not suppressed in the store.")
                return
            }
            let suppression = Suppression(findingId: id, reason: reason ?? "", expiresAt: expires.flatMap(ISO8601.parse))
            try await service.store.suppress(suppression)
            print("Suppressed \(id)\(suppression.expiresAt.map { " until \(Format.date($0))" } ?? ""): \(Sanitize.text(suppression.reason))")
        }
    }
}
