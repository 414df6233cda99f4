import Foundation
import RosterCLI
import Testing

/// The read commands as a user runs them: the real binary, real stdout.
struct CLIReadTests {
    /// A temporary directory with the example imported by the binary, with the example settings.
    static func acme() throws -> (dir: URL, options: [String]) {
        let dir = try makeTemporaryDirectory()
        let options = ["--db", dir.appendingPathComponent("roster.db").path, "--config", Fixture.acmeSettings]
        let imported = try RosterProcess.run(["import", "aws", Fixture.acmeDir] + options, in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        return (dir, options)
    }

    static func json(_ output: RosterProcess.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: output.stdout)
    }

    @Test func sarifOutputValidatesAgainstTheSchema() throws {
        let (dir, options) = try Self.acme()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Given the example's findings as SARIF
        let output = try RosterProcess.run(["findings", "--format", "sarif", "--fail-on", "none"] + options, in: dir)
        #expect(output.status == 0, "\(output.stderr)")
        let log = try #require(try Self.json(output) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        // Then every result carries its stable finding id as a partial fingerprint, a rule and a physical location
        let findings = try #require(try Self.json(try RosterProcess.run(["findings", "--format", "json", "--fail-on", "none"] + options, in: dir)) as? [[String: Any]])
        #expect(results.count == findings.count)
        #expect(results.compactMap { ($0["partialFingerprints"] as? [String: String])?["rosterFindingId/v1"] } == findings.compactMap { $0["id"] as? String })
        for result in results {
            let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "\(Fixture.acmeDir)")
        }
        let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
        #expect(rules.allSatisfy { (($0["properties"] as? [String: Any])?["security-severity"] as? String) != nil })
        // And the whole log is valid SARIF 2.1.0 by the OASIS schema (kept in Tests/Fixtures/sarif)
        let file = dir.appendingPathComponent("roster.sarif")
        try output.stdout.write(to: file)
        let validator = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/sarif")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", validator.appendingPathComponent("validate.py").path,
                           validator.appendingPathComponent("sarif-schema-2.1.0.json").path, file.path]
        let pipe = Pipe()
        check.standardOutput = pipe
        check.standardError = pipe
        try check.run()
        check.waitUntilExit()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if check.terminationStatus == 2 && ProcessInfo.processInfo.environment["ROSTER_REQUIRE_SARIF_VALIDATOR"] == nil {
            // No python3 or jsonschema here (CI installs them and requires this check).
            return
        }
        #expect(check.terminationStatus == 0, "\(said)")
    }

    @Test func aSuppressionLiftsFailOnUntilItExpires() throws {
        let (dir, options) = try Self.acme()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Given the example's critical findings, which fail a --fail-on critical gate
        let gate = ["findings", "--severity", "critical", "--fail-on", "critical", "--format", "json"] + options
        let before = try RosterProcess.run(gate, in: dir)
        #expect(before.status == 1)
        let ids = try #require(try Self.json(before) as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(!ids.isEmpty)
        // When all but one are suppressed with a reason
        for id in ids.dropFirst() {
            let said = try RosterProcess.run(["suppress", id, "--reason", "accepted by the platform team", "--expires", "2099-01-01"] + options, in: dir)
            #expect(said.status == 0, "\(said.stderr)")
        }
        // Then the gate still fails on the last one, and lists only it
        let partly = try RosterProcess.run(gate, in: dir)
        #expect(partly.status == 1)
        #expect(try #require(try Self.json(partly) as? [[String: Any]]).compactMap { $0["id"] as? String } == [ids[0]])
        // And once the last is suppressed, it passes; --include-suppressed shows them, marked, still passing
        _ = try RosterProcess.run(["suppress", ids[0], "--reason", "compensating control: SCP"] + options, in: dir)
        #expect(try RosterProcess.run(gate, in: dir).status == 0)
        let shown = try RosterProcess.run(gate + ["--include-suppressed"], in: dir)
        #expect(shown.status == 0)
        let records = try #require(try Self.json(shown) as? [[String: Any]])
        #expect(records.count == ids.count && records.allSatisfy { $0["suppressed"] is [String: Any] })
        // And a suppression without a reason is refused
        #expect(try RosterProcess.run(["suppress", ids[0]] + options, in: dir).status == 64)
        // And an expired suppression from the settings file does not apply, an active one does
        _ = try RosterProcess.run(["suppress", ids[0], "--remove"] + options, in: dir)
        let settings = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings))) as? [String: Any] ?? [:]
        func config(expires: String) throws -> [String] {
            var file = settings
            file["suppressions"] = [["id": ids[0], "reason": "vendor role, reviewed", "expires": expires]]
            let path = dir.appendingPathComponent("settings-\(expires).json")
            try JSONSerialization.data(withJSONObject: file).write(to: path)
            return ["--db", dir.appendingPathComponent("roster.db").path, "--config", path.path]
        }
        let gateOnly = ["findings", "--severity", "critical", "--fail-on", "critical"]
        #expect(try RosterProcess.run(gateOnly + (try config(expires: "2001-01-01")), in: dir).status == 1)
        #expect(try RosterProcess.run(gateOnly + (try config(expires: "2099-01-01")), in: dir).status == 0)
    }

    @Test func inventoryJSONIsStreamedWithTheContractFields() throws {
        let (dir, options) = try Self.acme()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Given every identity as JSON
        let output = try RosterProcess.run(["inventory", "--format", "json"] + options, in: dir)
        #expect(output.status == 0, "\(output.stderr)")
        let records = try #require(try Self.json(output) as? [[String: Any]])
        // Then there is one record per identity, each with the documented keys, highest risk first
        #expect(records.count == 76)
        for record in records {
            for key in ["id", "name", "provider", "kind", "nature", "privilege", "riskScore"] { #expect(record[key] != nil, "missing \(key)") }
        }
        let risks = records.compactMap { $0["riskScore"] as? Int }
        #expect(risks == risks.sorted(by: >))
        // And paging returns the same records in slices
        let page = try #require(try Self.json(try RosterProcess.run(["inventory", "--format", "json", "--limit", "5", "--offset", "5"] + options, in: dir)) as? [[String: Any]])
        #expect(page.compactMap { $0["id"] as? String } == records[5..<10].compactMap { $0["id"] as? String })
        // And an empty result is still valid JSON
        let none = try RosterProcess.run(["inventory", "--format", "json", "--owner", "nobody-has-this-owner"] + options, in: dir)
        #expect((try Self.json(none) as? [Any])?.isEmpty == true)
    }

    @Test func showExplainsEdgesAndSuggestsNearNames() throws {
        let (dir, options) = try Self.acme()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Given a role trusted by a vendor account
        let shown = try RosterProcess.run(["show", "partner-cloudhealth-readonly", "--format", "json"] + options, in: dir)
        #expect(shown.status == 0, "\(shown.stderr)")
        let record = try #require(try Self.json(shown) as? [String: Any])
        let edges = try #require(record["edges"] as? [[String: Any]])
        // Then its edges name the other end, the rule and the statement
        #expect(edges.contains { $0["kind"] as? String == "can-assume" && $0["otherId"] as? String == "arn:aws:iam::444455556666:root"
            && $0["rule"] as? String == "aws.trust" && ($0["statement"] as? String)?.contains("#trust") == true })
        // And a misspelt name is not found, with suggestions
        let missed = try RosterProcess.run(["show", "partner-cloudhealth-readonli"] + options, in: dir)
        #expect(missed.status == 4)
        #expect(missed.stderr.contains("did you mean partner-cloudhealth-readonly"))
    }

    @Test func formatSarifIsOnlyForFindings() throws {
        let (dir, options) = try Self.acme()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try RosterProcess.run(["inventory", "--format", "sarif"] + options, in: dir)
        #expect(output.status == 64)
        #expect(output.stderr.contains("--format sarif is for `roster findings`"))
    }
}
