import ArgumentParser
import Foundation
import RosterAnalysis
@testable import RosterCLI
import RosterModel
import RosterService
import RosterStore
import Testing

struct CLIParsingTests {
    @Test func findingsParsesFormatAndFailOn() async throws {
        // Given `roster findings --format json --fail-on none`
        // Then the options land in the command
        let command = try #require(try Roster.parseAsRoot(["findings", "--format", "json", "--fail-on", "none"]) as? FindingsCommand)
        #expect(command.global.format == .json)
        #expect(command.failOn == "none")
        #expect(command.severity == .info)
    }

    @Test func findingsParsesFilters() async throws {
        // Given every findings filter, a rule given twice
        // Then each is parsed, repeatable ones as lists
        let command = try #require(try Roster.parseAsRoot([
            "findings", "--severity", "high", "--rule", "aws.nhi.admin", "--rule", "nhi.unused", "--owasp", "nhi5", "--limit", "3", "--snapshot", "2",
        ]) as? FindingsCommand)
        #expect(command.severity == .high)
        #expect(command.rule == ["aws.nhi.admin", "nhi.unused"])
        #expect(command.owasp == ["nhi5"])
        #expect(command.limit == 3)
        #expect(command.snapshotOption.snapshot == 2)
    }

    @Test(arguments: [
        ["findings", "--fail-on", "bogus"],
        ["findings", "--owasp", "NHI11"],
        ["findings", "--limit", "0"],
        ["findings", "--severity", "urgent"],
        ["findings", "--format", "xml"],
        ["inventory", "--kind", "robot"],
        ["import", "aws"],
        ["diff", "--from", "one"],
        ["no-such-command"],
    ])
    func invalidArgumentsAreRejected(_ arguments: [String]) {
        // Given arguments the CLI must refuse
        // When they are parsed
        // Then parsing throws (exit 64 with a usage message), before anything runs
        #expect(throws: (any Error).self) { try Roster.parseAsRoot(arguments) }
    }

    @Test func failOnErrorNamesTheOption() {
        // Given an unknown --fail-on level
        // Then the usage error names the option and exits 64
        do {
            _ = try Roster.parseAsRoot(["findings", "--fail-on", "bogus"])
            Issue.record("--fail-on bogus was accepted")
        } catch {
            #expect(Roster.message(for: error).contains("--fail-on"))
            #expect(Roster.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func inventoryParsesItsFilters() async throws {
        // Given every inventory filter
        // Then the model enums parse from their raw values
        let command = try #require(try Roster.parseAsRoot([
            "inventory", "--kind", "iam-role", "--nature", "machine", "--nhi", "--stale", "90", "--owner", "none", "--env", "prod", "--format", "csv",
        ]) as? InventoryCommand)
        #expect(command.kind == .iamRole)
        #expect(command.nature == .machine)
        #expect(command.nhi)
        #expect(command.stale == 90)
        #expect(command.owner == "none")
        #expect(command.env == "prod")
        #expect(command.global.format == .csv)
    }

    @Test func importParsesPathsAndOptions() async throws {
        // Given an import with a directory, a named report, a date and a known account
        // Then each reaches the command
        let command = try #require(try Roster.parseAsRoot([
            "import", "aws", "exports/", "--credential-report", "report.csv", "--as-of", "2026-11-20", "--known-account", "444455556666=CloudHealth",
            "--db", "/tmp/x.db",
        ]) as? ImportAWSCommand)
        #expect(command.paths == ["exports/"])
        #expect(command.credentialReport == ["report.csv"])
        #expect(command.asOf == "2026-11-20")
        #expect(command.global.db == "/tmp/x.db")
    }

    @Test func otherCommandsParse() async throws {
        // Given each remaining subcommand
        // Then it parses to its command type
        #expect(try Roster.parseAsRoot(["show", "svc-etl", "--format", "json"]) is ShowCommand)
        let diff = try #require(try Roster.parseAsRoot(["diff", "--from", "1", "--to", "2"]) as? DiffCommand)
        #expect((diff.from, diff.to) == (1, 2))
        #expect(try Roster.parseAsRoot(["metrics"]) is MetricsCommand)
        #expect(try Roster.parseAsRoot(["snapshots"]) is SnapshotsCommand)
        #expect(try Roster.parseAsRoot(["rules", "--format", "json"]) is RulesCommand)
    }

    @Test func policyOptionsOverrideTheSettings() async throws {
        // Given thresholds and a known account on the command line
        let options = try PolicyOptions.parse(["--max-key-age", "30", "--unused-days", "45", "--known-account", "444455556666=CloudHealth"])
        // When they are applied to the defaults
        let policy = try options.apply(to: .default)
        // Then they win
        #expect(policy.maxKeyAgeDays == 30)
        #expect(policy.unusedDays == 45)
        #expect(policy.knownAccounts == ["444455556666": "CloudHealth"])
        // And malformed values are validation errors
        #expect(throws: ValidationError.self) { try PolicyOptions.parse(["--known-account", "12345"]).apply(to: .default) }
        #expect(throws: ValidationError.self) { try PolicyOptions.parse(["--max-key-age", "0"]).apply(to: .default) }
    }

    @Test func settingsFileLoadsOverTheDefaults() async throws {
        // Given the example settings file
        let policy = try GlobalOptions.parse(["--config", Fixture.acmeSettings]).loadPolicy()
        // Then its known accounts are loaded and the rest keeps its values
        #expect(policy.knownAccounts.keys.sorted() == ["111122223333", "444455556666"])
        #expect(policy.maxKeyAgeDays == 90)
        // And a missing or malformed settings file is bad input
        #expect(throws: CLIError.self) { try GlobalOptions.parse(["--config", "/nonexistent/roster.json"]).loadPolicy() }
        #expect(throws: CLIError.self) { try GlobalOptions.parse(["--config", Fixture.path("credential-report.csv")]).loadPolicy() }
    }
}

struct CLIImportTests {
    @Test func importStoresOneSnapshotAndReimportStoresNothing() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given the small estate imported once
        try await runRoster(["import", "aws", Fixture.path("small-estate")] + workspace.options)
        let first = try await RosterStore.open(at: workspace.db).snapshots(scope: nil)
        #expect(first.map(\.scope) == ["aws:123456789012"])
        #expect(first.first?.identityCount == 10)
        #expect(first.first?.observedAt == utc("2025-11-20T08:00:00Z"))
        // When the same files are imported again
        try await runRoster(["import", "aws", Fixture.path("small-estate")] + workspace.options)
        // Then nothing new is stored
        #expect(try await RosterStore.open(at: workspace.db).snapshots(scope: nil) == first)
    }

    @Test func aFailedImportLeavesTheDatabaseAsItWas() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given a database holding one snapshot
        try await runRoster(["import", "aws", Fixture.path("small-estate")] + workspace.options)
        let before = try await RosterStore.open(at: workspace.db).snapshots(scope: nil)
        // When a good, changed export is imported together with a truncated file
        let code = await exitCode(of: ["import", "aws", Fixture.path("raw-api"), Fixture.path("bad/truncated.json"), "--as-of", "2025-11-20"] + workspace.options)
        // Then the command fails with "bad input" and the snapshots are unchanged
        #expect(code == 2)
        #expect(try await RosterStore.open(at: workspace.db).snapshots(scope: nil) == before)
    }

    @Test func aFailedFirstImportCreatesNoDatabase() async throws {
        // Given no database yet, and an import whose credential report is truncated
        // Then the import fails as bad input and no database file is left behind
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        let code = await exitCode(of: ["import", "aws", Fixture.path("small-estate"), Fixture.path("bad/truncated-row.csv")] + workspace.options)
        #expect(code == 2)
        #expect(!FileManager.default.fileExists(atPath: workspace.db))
    }

    @Test func importRefusesANonDatabaseFile() async throws {
        // Given a text file where the database should be
        // Then the import fails as a store failure (exit 3)
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: workspace.db))
        let code = await exitCode(of: ["import", "aws", Fixture.path("small-estate")] + workspace.options)
        #expect(code == 3)
    }

    @Test func storedFindingsKnowAboutAccountsImportedTogether() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given account A's role trusting a role in account B, both imported in one run
        try await runRoster(["import", "aws", Fixture.path("two-accounts"), "--as-of", "2025-11-20"] + workspace.options)
        let store = try RosterStore.open(at: workspace.db)
        let a = try #require(try await store.snapshots(scope: "aws:100000000001").first)
        // Then analysing the store's estates together does not call B unknown
        let estates = try await store.latestSnapshots().asyncMap { try await store.estate(snapshot: $0.id) }
        #expect(!Analyzer.run(estates).ruleIds(on: "ops-from-b").contains("aws.role.trust-unknown-account"))
        // And the findings stored with A's snapshot (which `roster diff` compares) agree
        let stored = try await store.testFindings(snapshot: a.id).filter { $0.identityName == "ops-from-b" }.map(\.ruleId)
        #expect(!stored.contains("aws.role.trust-unknown-account"))
    }

    @Test func accountsAlreadyInTheStoreAreKnownToLaterImports() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given account B imported first, then account A (whose role trusts a role in B) on its own
        try await runRoster(["import", "aws", Fixture.path("two-accounts/account-b-authorization-details.json"), "--as-of", "2025-11-20"] + workspace.options)
        try await runRoster(["import", "aws", Fixture.path("two-accounts/account-a-authorization-details.json"), "--as-of", "2025-11-20"] + workspace.options)
        // Then the findings stored with A's snapshot do not call B unknown
        let store = try RosterStore.open(at: workspace.db)
        let a = try #require(try await store.snapshots(scope: "aws:100000000001").first)
        let stored = try await store.testFindings(snapshot: a.id).filter { $0.identityName == "ops-from-b" }.map(\.ruleId)
        #expect(!stored.contains("aws.role.trust-unknown-account"))
        // And an account nobody imported is still unknown
        let alone = try CLIWorkspace()
        defer { alone.cleanUp() }
        try await runRoster(["import", "aws", Fixture.path("two-accounts/account-a-authorization-details.json"), "--as-of", "2025-11-20"] + alone.options)
        let aloneStore = try RosterStore.open(at: alone.db)
        let onlyA = try #require(try await aloneStore.snapshots(scope: nil).first)
        #expect(try await aloneStore.testFindings(snapshot: onlyA.id).contains { $0.ruleId == "aws.role.trust-unknown-account" && $0.identityName == "ops-from-b" })
    }
}

struct CLICommandTests {
    /// A workspace with the example estate imported, with the example settings.
    static func acmeWorkspace() async throws -> CLIWorkspace {
        let workspace = try CLIWorkspace(settings: String(decoding: try Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings)), as: UTF8.self))
        try await runRoster(["import", "aws", Fixture.acmeDir] + workspace.options)
        return workspace
    }

    @Test func importedExampleStoresThePlantedFindings() async throws {
        let workspace = try await Self.acmeWorkspace()
        defer { workspace.cleanUp() }
        // Given the example imported through the CLI with its settings
        let store = try RosterStore.open(at: workspace.db)
        let snapshot = try #require(try await store.snapshots(scope: nil).first)
        #expect(snapshot.scope == "aws:210987654321")
        // Then the findings stored with the snapshot are the planted ones, and none on the healthy identities
        let settings = try JSONDecoder().decode(DetectionPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings)))
        let stored = Dictionary(grouping: try await store.testFindings(snapshot: snapshot.id, policy: settings), by: \.identityName).mapValues { Set($0.map(\.ruleId)) }
        for (name, rules) in ExampleEstateTests.risky {
            #expect(rules.isSubset(of: stored[name] ?? []), "\(name): \(stored[name] ?? [])")
        }
        for name in ExampleEstateTests.healthy {
            #expect(stored[name] == nil, "\(name): \(stored[name] ?? [])")
        }
    }

    @Test func findingsExitCodesFollowFailOn() async throws {
        let workspace = try await Self.acmeWorkspace()
        defer { workspace.cleanUp() }
        // Given the example estate, which has critical findings
        // Then --fail-on none exits 0, and --fail-on critical exits 1 (findings were printed)
        #expect(await exitCode(of: ["findings", "--fail-on", "none", "--limit", "1", "--format", "json"] + workspace.options) == 0)
        #expect(await exitCode(of: ["findings", "--fail-on", "critical", "--severity", "critical", "--limit", "1", "--format", "csv"] + workspace.options) == 1)
        // And filtering everything out exits 0 even with --fail-on low
        #expect(await exitCode(of: ["findings", "--rule", "no.such.rule"] + workspace.options) == 0)
    }

    @Test func findingsJSONRecordsCarryTheContractFields() async throws {
        let workspace = try await Self.acmeWorkspace()
        defer { workspace.cleanUp() }
        // Given the example estate loaded the way `findings` loads it
        let global = try GlobalOptions.parse(workspace.options)
        let service = try global.service()
        let view = try await service.view()
        let stored = try await service.findings(FindingQuery(analyses: view.analyses))
        let records = stored.map(JSONOutput.FindingRecord.init)
        // When they are rendered as `findings --format json` renders them
        let json = try JSONOutput.encode(records)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        // Then every object has the documented keys
        #expect(array.count == stored.count)
        #expect(!array.isEmpty)
        for object in array {
            for key in ["id", "ruleId", "severity", "title", "identity", "evidence", "remediation", "owasp"] {
                #expect(object[key] != nil, "missing \(key)")
            }
            let identity = try #require(object["identity"] as? [String: Any])
            #expect(identity["name"] is String)
            #expect(identity["arn"] is String)
            #expect(object["evidence"] is [String])
        }
    }

    @Test func missingDatabaseIsAStoreFailure() async throws {
        // Given no database file
        // Then reading commands fail with exit 3 and do not create one
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        #expect(await exitCode(of: ["findings"] + workspace.options) == 3)
        #expect(await exitCode(of: ["snapshots", "--db", workspace.db]) == 3)
        #expect(!FileManager.default.fileExists(atPath: workspace.db))
    }

    @Test func unknownIdentityOrSnapshotIsNotFound() async throws {
        // Given the small estate imported
        // Then an unknown identity or snapshot exits 4, a known identity 0
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        try await runRoster(["import", "aws", Fixture.path("small-estate")] + workspace.options)
        #expect(await exitCode(of: ["show", "no-such-identity"] + workspace.options) == 4)
        #expect(await exitCode(of: ["findings", "--snapshot", "99"] + workspace.options) == 4)
        #expect(await exitCode(of: ["show", "svc-etl", "--format", "json"] + workspace.options) == 0)
    }

    @Test func tableRenderingSanitisesImportedText() {
        // Given cells holding an ANSI colour, a newline, a bell inside an OSC sequence and an RTL override
        var table = Table(["NAME", "OWNER"])
        table.add(["svc-\u{1B}[31mred\u{1B}[0m", "\u{1B}]0;pwned\u{07}team"])
        table.add(["ops\nrole", "billing-\u{202E}php.exe"])
        // When the table is rendered
        let text = table.render()
        // Then no control character or override reaches the terminal, and each row stays on one line
        #expect(!Data(text.utf8).containsTerminalControl)
        #expect(text.contains("svc-\u{FFFD}[31mred\u{FFFD}[0m"))
        #expect(text.contains("ops role"))
        #expect(text.split(separator: "\n").count == 4)
    }
}

/// Tests that read what the built `roster` binary prints.
@Suite(.enabled(if: RosterProcess.executable != nil, "needs the roster executable next to the test bundle"))
struct CLIOutputTests {
    @Test func findingsJSONOnStdoutIsAnArrayOfFindingRecords() async throws {
        let workspace = try await CLICommandTests.acmeWorkspace()
        defer { workspace.cleanUp() }
        // When `roster findings --format json` runs
        let output = try RosterProcess.run(["findings", "--format", "json", "--fail-on", "none"] + workspace.options, in: workspace.dir)
        // Then stdout is a JSON array of findings with the documented keys
        #expect(output.status == 0, "\(output.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]])
        #expect(array.count > 20)
        for object in array {
            #expect(Set(object.keys).isSuperset(of: ["ruleId", "severity", "title", "identity", "evidence", "remediation", "owasp"]))
            let identity = try #require(object["identity"] as? [String: Any])
            #expect(identity["name"] is String && identity["arn"] is String)
        }
        // The queue starts with the toxic combination (the unused administrator role trusted by an unlisted account), then root's keys.
        #expect(array.first?["ruleId"] as? String == "graph.toxic-combination")
        #expect(array.first { ($0["ruleId"] as? String)?.hasPrefix("aws.root") == true }?["ruleId"] as? String == "aws.root.access-keys")
    }

    @Test func hostileNamesArePrintedSanitised() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given identities whose names and tags hold terminal escapes, a newline and an RTL override
        try await runRoster(["import", "aws", Fixture.path("hostile"), "--as-of", "2025-11-20"] + workspace.options)
        // When the inventory, the findings and one identity are printed as tables
        let inventory = try RosterProcess.run(["inventory"] + workspace.options, in: workspace.dir)
        let findings = try RosterProcess.run(["findings", "--fail-on", "none"] + workspace.options, in: workspace.dir)
        let show = try RosterProcess.run(["show", "AIDAQ3EXAMPLEHOSTILE"] + workspace.options, in: workspace.dir)
        // Then nothing reaches the terminal that could drive it, and the names are still recognisable
        for output in [inventory, findings, show] {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stdout.containsTerminalControl, "\(output.text.debugDescription)")
            #expect(!output.stdout.isEmpty)
        }
        #expect(inventory.text.contains("svc-\u{FFFD}[31mred\u{FFFD}[0m"))
        #expect(inventory.text.contains("billing-\u{FFFD}php.exe"))
        #expect(findings.text.contains("ops role"))
    }

    @Test func hostileAccountIdsArePrintedSanitised() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given an export whose ARN puts an escape sequence where the account id goes
        let export = workspace.dir.appendingPathComponent("authorization-details.json")
        try Data(#"""
            {"UserDetailList": [{"Path": "/", "UserName": "svc-x", "UserId": "AIDAQ3EXAMPLESVCX001",
              "Arn": "arn:aws:iam::1234\u001b[2J56789012:user/svc-x", "CreateDate": "2025-01-01T00:00:00Z",
              "GroupList": [], "AttachedManagedPolicies": [], "Tags": [{"Key": "owner", "Value": "x@example.com"}]}]}
            """#.utf8).write(to: export)
        // When it is imported and the import summary is printed
        let output = try RosterProcess.run(["import", "aws", export.path, "--as-of", "2025-11-20"] + workspace.options, in: workspace.dir)
        // Then the summary line naming the scope does not carry the escape to the terminal
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stdout.containsTerminalControl, "\(output.text.debugDescription)")
    }
}
