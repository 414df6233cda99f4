import ArgumentParser
import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterSecrets
import RosterService
import RosterStore

/// `roster secrets`: find leaked credentials in files and git history, and say whose they are.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Find leaked secrets in files, git history and CI configs, tied to the inventory.",
        subcommands: [SecretsScanCommand.self, SecretsRulesCommand.self],
        defaultSubcommand: SecretsScanCommand.self)
}

enum SecretsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, sarif
}

struct SecretsScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a tree, a git repository's whole history, a change between two refs, or standard input.",
        discussion: """
            roster secrets scan .                         every file not ignored by .gitignore
            roster secrets scan --git .                   every blob and commit message reachable from any ref
            roster secrets scan --git . --from main --to HEAD   only what HEAD adds over main
            cat file | roster secrets scan -              standard input
            Secrets are reported once per fingerprint; values are never printed, logged or stored.
            Exits 1 when secrets are found (after --baseline and inline `roster:allow`), 2 on bad input.
            """)

    @Argument(help: ArgumentHelp("Files or directories (or a repository with --git); `-` reads standard input.", valueName: "path"))
    var paths: [String] = ["."]

    @Flag(help: "Scan the git history of the repository at PATH: every blob reachable from any ref, and commit messages.")
    var git = false

    @Option(help: ArgumentHelp("With --git: scan only what --to adds over this ref (a pull request's changes).", valueName: "ref"))
    var from: String?

    @Option(help: ArgumentHelp("With --git --from: the newer ref (default HEAD).", valueName: "ref"))
    var to: String?

    @Option(help: "Output format: table, json or sarif.")
    var format: SecretsFormat = .table

    @Option(help: ArgumentHelp("Tie each secret to the stored inventory in this database: who holds it, whether it is active.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Accept the findings of an earlier `--format json` output (matched by fingerprint).", valueName: "file"))
    var baseline: String?

    @Option(name: .customLong("rules"), help: ArgumentHelp("Extra rules (TOML, Roster's or gitleaks' format); repeatable.", valueName: "file"))
    var ruleFiles: [String] = []

    @Flag(help: "Scan files .gitignore excludes too.")
    var noGitignore = false

    @Option(help: ArgumentHelp("Skip files larger than this many megabytes (0: no limit).", valueName: "MB"))
    var maxFileSize = 0

    @Flag(help: "Check AWS keys that come with their secret against STS GetCallerIdentity (never by default).")
    var verify = false

    @Option(help: ArgumentHelp("STS endpoint for --verify (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or AWS).", valueName: "url"))
    var stsEndpoint: String?

    @Option(help: ArgumentHelp("Exit code when secrets are found.", valueName: "code"))
    var exitCode: Int32 = 1

    func validate() throws {
        if from != nil || to != nil, !git { throw ValidationError("--from and --to compare refs of a repository: add --git") }
        if to != nil, from == nil { throw ValidationError("--to needs --from (the older ref)") }
        if git, paths.count > 1 { throw ValidationError("--git scans one repository; give one path") }
        if git, paths == ["-"] { throw ValidationError("--git reads a repository, not standard input") }
        if maxFileSize < 0 { throw ValidationError("--max-file-size must be 0 or more") }
    }

    func run() async throws {
        try await reportingErrors {
            do {
                try await scan()
            } catch let error as SecretsError {
                throw CLIError.input(error.description)
            }
        }
    }

    private func scan() async throws {
        let rules = try SecretRules.all + ruleFiles.flatMap { try SecretRulesFile.load(path: $0) }
        let scanner = try SecretScanner(rules: rules)
        let located: [LocatedMatch]
        let statistics: ScanStatistics
        if git {
            var history = GitHistoryScan(scanner: scanner, repository: paths[0])
            history.from = from
            history.to = to
            (located, statistics) = try history.scan()
        } else if paths == ["-"] {
            (located, statistics) = try StandardInputScan(scanner: scanner).scan()
        } else {
            var tree = TreeScan(scanner: scanner)
            tree.respectGitignore = !noGitignore
            tree.maxFileBytes = maxFileSize * 1_000_000
            (located, statistics) = try tree.scan(paths: paths)
        }
        var findings = SecretReport.findings(located, rules: rules)
        var accepted = 0
        if let baseline {
            guard let data = FileManager.default.contents(atPath: baseline) else { throw CLIError.input("\(baseline): cannot be read") }
            (findings, accepted) = try SecretReport.applyBaseline(findings, baseline: data, path: baseline)
        }
        if let db {
            guard FileManager.default.fileExists(atPath: db) else { throw CLIError.store("\(db): no Roster database here; run `roster import` first, or drop --db") }
            let service = RosterService(store: try RosterStore.open(at: db), configuration: .init(policy: .default, suppressions: []))
            let fingerprints = findings.compactMap { CredentialFingerprint(parsing: $0.fingerprint) }
            SecretReport.attribute(&findings, holders: try await service.holders(of: fingerprints))
        }
        if verify { await verifyKeys(&findings, located: located) }
        findings.sort { ($0.severity.rank, $1.path, $1.line) > ($1.severity.rank, $0.path, $0.line) }
        try print(render(findings, rules: rules, statistics: statistics, accepted: accepted), terminator: "")
        if !statistics.skippedUnreadable.isEmpty {
            Terminal.warning("\(statistics.skippedUnreadable.count) files could not be read or were over the size limit: "
                + statistics.skippedUnreadable.prefix(5).joined(separator: ", "))
        }
        if !findings.isEmpty { throw ExitCode(exitCode) }
    }

    private func verifyKeys(_ findings: inout [SecretFinding], located: [LocatedMatch]) async {
        let environment = ProcessInfo.processInfo.environment
        let endpoint = (stsEndpoint ?? environment["AWS_ENDPOINT_URL_STS"] ?? environment["AWS_ENDPOINT_URL"]).flatMap(URL.init(string:))
        let verifier = AWSKeyVerifier(endpoint: endpoint, region: environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1")
        var values: [String: (String, String)] = [:]
        for item in located where item.match.ruleId == "aws.access-key-id" {
            if let paired = item.match.paired { values[item.match.fingerprint.description] = (item.match.value.revealForVerification(), paired.value.revealForVerification()) }
        }
        for index in findings.indices where findings[index].rule == "aws.access-key-id" {
            guard let (id, secret) = values[findings[index].fingerprint] else {
                findings[index].verification = .init(status: "error", detail: "no secret access key was found with this key id; nothing to verify")
                continue
            }
            switch await verifier.verify(accessKeyId: id, secretAccessKey: secret) {
            case .valid(let arn, let account):
                findings[index].verification = .init(status: "valid", detail: "STS GetCallerIdentity: \(arn) in account \(account)")
                findings[index].severity = .critical
                findings[index].evidence.append("verified live: the key works as \(arn)")
            case .invalid(let message):
                findings[index].verification = .init(status: "invalid", detail: message)
            case .error(let message):
                findings[index].verification = .init(status: "error", detail: message)
            }
        }
    }

    private func render(_ findings: [SecretFinding], rules: [SecretRule], statistics: ScanStatistics, accepted: Int) throws -> String {
        switch format {
        case .json:
            return try JSONOutput.encode(findings)
        case .sarif:
            return try SecretsSARIF.render(findings, rules: rules)
        case .table:
            var table = Table(["SEVERITY", "RULE", "LOCATION", "PREVIEW", "HELD BY"])
            for finding in findings {
                var location = "\(finding.path):\(finding.line)"
                if let commit = finding.commit { location += " @\(commit.sha.prefix(10))" }
                if finding.occurrences > 1 { location += " (+\(finding.occurrences - 1))" }
                var holder = ""
                if let identity = finding.identity {
                    holder = identity.status == "unknown" ? "unknown" : "\(identity.identityName ?? identity.identityId ?? "?") (\(identity.status))"
                }
                table.add([finding.severity.rawValue, finding.rule, location, finding.preview, holder])
            }
            var out = findings.isEmpty ? "" : table.render()
            let mb = Double(statistics.bytes) / 1_000_000
            var summary = "\(findings.count) secrets"
            if statistics.blobs > 0 {
                summary += " in \(statistics.blobs) blobs and \(statistics.commits) commits"
            } else {
                summary += " in \(statistics.files) files"
            }
            summary += String(format: " (%.1f MB, %.2f s)", mb, statistics.seconds)
            if statistics.skippedBinary > 0 { summary += "; \(statistics.skippedBinary) binary skipped" }
            if statistics.skippedIgnored > 0 { summary += "; \(statistics.skippedIgnored) ignored" }
            if accepted > 0 { summary += "; \(accepted) accepted by the baseline" }
            out += (out.isEmpty ? "" : "\n") + summary + "\n"
            return out
        }
    }
}

/// `roster secrets rules`: the rule set, with severities and keywords.
struct SecretsRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the secret rules.")

    @Option(name: .customLong("rules"), help: ArgumentHelp("Extra rules (TOML); repeatable.", valueName: "file"))
    var ruleFiles: [String] = []

    @Option(help: "Output format: table or json.")
    var format: SecretsFormat = .table

    func run() throws {
        let rules: [SecretRule]
        do {
            rules = try SecretRules.all + ruleFiles.flatMap { try SecretRulesFile.load(path: $0) }
        } catch let error as SecretsError {
            Terminal.error(error.description)
            throw RosterExit.badInput
        }
        if format == .json {
            struct Row: Encodable {
                var id, title, provider, severity, owasp: String
                var keywords: [String]
            }
            print(try JSONOutput.encode(rules.map { Row(id: $0.id, title: $0.title, provider: $0.provider, severity: $0.severity.rawValue, owasp: $0.owasp.rawValue, keywords: $0.keywords) }), terminator: "")
            return
        }
        var table = Table(["RULE", "SEVERITY", "OWASP", "TITLE"])
        for rule in rules { table.add([rule.id, rule.severity.rawValue, rule.owasp.rawValue, rule.title]) }
        print(table.render() + "\n\(rules.count) rules", terminator: "\n")
    }
}
