import Foundation
import Testing

/// `roster secrets scan` through the built binary: tied to a stored inventory, SARIF, baselines,
/// rules files, and verification against a real STS API (moto).
@Suite struct SecretsCLITests {
    static func json(_ output: RosterProcess.Output) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]], "not a JSON array: \(output.text.prefix(200)) \(output.stderr)")
    }

    /// A checkout with three AWS keys: one the inventory holds and is active, one it holds
    /// inactive, and one it never saw.
    func checkout(in dir: URL) throws -> URL {
        let repo = dir.appendingPathComponent("checkout")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("deploy"), withIntermediateDirectories: true)
        try Data("""
            # metrics collector
            AWS_ACCESS_KEY_ID=AKIAY4RENQXWBAFGLSI3
            AWS_SECRET_ACCESS_KEY=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

            """.utf8).write(to: repo.appendingPathComponent(".env"))
        try Data("""
            provider "aws" {
              access_key = "AKIA4QKZB7X2M5NPRS3T"
            }

            """.utf8).write(to: repo.appendingPathComponent("deploy/main.tf"))
        return repo
    }

    @Test func aLeakedKeyIsTiedToItsHolderAndAnUnknownOneIsNot() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = Fixture.packageRoot.path
        let db = dir.appendingPathComponent("roster.db").path
        let imported = try RosterProcess.run(["import", root + "/examples/aws-acme", "--as-of", "2026-11-20", "--db", db], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        let repo = try checkout(in: dir)

        let output = try RosterProcess.run(["secrets", "scan", repo.path, "--db", db, "--format", "json"], in: dir)
        #expect(output.status == 1)
        let findings = try Self.json(output)
        #expect(findings.count == 2)
        let held = try #require(findings.first { ($0["preview"] as? String) == "AKIA…LSI3" })
        #expect(held["severity"] as? String == "critical")
        #expect(held["owasp"] as? String == "NHI2")
        #expect((held["title"] as? String)?.hasPrefix("Leaked active credential") == true)
        let identity = try #require(held["identity"] as? [String: Any])
        #expect(identity["status"] as? String == "active")
        #expect(identity["identityName"] as? String == "svc-metrics-collector")
        #expect((identity["arn"] as? String)?.hasSuffix(":user/svc-metrics-collector") == true || (identity["identityId"] as? String)?.contains("svc-metrics-collector") == true)
        #expect(held["paired"] != nil)
        for key in ["id", "rule", "ruleId", "path", "line", "fingerprint", "evidence", "remediation"] { #expect(held[key] != nil, "no \(key)") }
        // The value is never printed: only the preview and fingerprints.
        #expect(!output.text.contains("AKIAY4RENQXWBAFGLSI3"))
        #expect(!output.text.contains("Jq3vN8sL2kW9xR5tB7mZ4cF1hY6gD0pA"))

        let unknown = try #require(findings.first { ($0["preview"] as? String) == "AKIA…RS3T" })
        let nobody = try #require(unknown["identity"] as? [String: Any])
        #expect(nobody["status"] as? String == "unknown")
        #expect(nobody["identityId"] == nil)
        #expect(unknown["severity"] as? String == "high")
        #expect(unknown["path"] as? String == repo.path + "/deploy/main.tf")
        #expect(unknown["line"] as? Int == 2)
    }

    @Test func sarifBaselineAndExitCodes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let repo = try checkout(in: dir)
        let sarif = try RosterProcess.run(["secrets", "scan", repo.path, "--format", "sarif"], in: dir)
        #expect(sarif.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: sarif.stdout) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.allSatisfy { ($0["partialFingerprints"] as? [String: String])?["rosterSecretFingerprint/v1"] != nil })

        // A baseline written from today's output accepts today's findings.
        let json = try RosterProcess.run(["secrets", "scan", repo.path, "--format", "json"], in: dir)
        let baseline = dir.appendingPathComponent("baseline.json")
        try json.stdout.write(to: baseline)
        let accepted = try RosterProcess.run(["secrets", "scan", repo.path, "--baseline", baseline.path], in: dir)
        #expect(accepted.status == 0, "\(accepted.text)")
        #expect(accepted.text.contains("2 accepted by the baseline"))

        // A rules file with a mistake is refused with its place.
        let rules = dir.appendingPathComponent("rules.toml")
        try Data("[[rules]]\nid = \"acme.token\"\nregex = '''acme_[a-z0-9]{32}'''\nkeywords = [\"acme_\"\n".utf8).write(to: rules)
        let bad = try RosterProcess.run(["secrets", "scan", repo.path, "--rules", rules.path], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("rules.toml:"))
    }

    @Test func aGitleaksStyleRulesFileAddsRules() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("gitleaks.toml")
        try Data("""
            title = "acme"

            [[rules]]
            id = "acme-deploy-token"
            description = "Acme deploy token"
            regex = '''\\b(acme_dt_[a-z0-9]{32})\\b'''
            entropy = 3.0
            tags = ["acme"]

            [rules.allowlist]
            stopwords = ["acme_dt_0000"]

            """.utf8).write(to: rules)
        let file = dir.appendingPathComponent("ci.yml")
        try Data("env:\n  ACME: acme_dt_9f2k4m7q1x8z3c6v5b0n2l4j7h9g1d3s\n".utf8).write(to: file)
        let output = try RosterProcess.run(["secrets", "scan", file.path, "--rules", rules.path, "--format", "json"], in: dir)
        #expect(output.status == 1, "\(output.stderr)")
        let findings = try Self.json(output)
        #expect(findings.map { $0["rule"] as? String } == ["acme-deploy-token"])
        #expect(findings.first?["line"] as? Int == 2)
    }
}

/// `--verify` asks STS (here moto) whether a found key works; never without the flag.
@Suite(.serialized, .enabled(if: Moto.available, "moto_server is not installed; .ci/run installs it"))
struct SecretsVerifyTests {
    @Test func aPairedKeyIsVerifiedAgainstSTS() throws {
        let endpoint = try Moto.require()
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("credentials")
        try Data("[default]\naws_access_key_id = AKIA4QKZB7X2M5NPRS3T\naws_secret_access_key = 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\n".utf8).write(to: file)
        let plain = try RosterProcess.run(["secrets", "scan", file.path, "--format", "json"], in: dir)
        #expect((try JSONSerialization.jsonObject(with: plain.stdout) as? [[String: Any]])?.first?["verification"] == nil)
        let verified = try RosterProcess.run(["secrets", "scan", file.path, "--format", "json", "--verify", "--sts-endpoint", endpoint.absoluteString], in: dir)
        let finding = try #require((try JSONSerialization.jsonObject(with: verified.stdout) as? [[String: Any]])?.first, "\(verified.stderr)")
        let verification = try #require(finding["verification"] as? [String: Any])
        #expect(verification["status"] as? String == "valid", "\(verification)")
        #expect((verification["detail"] as? String)?.contains("arn:aws:") == true)
        #expect(finding["severity"] as? String == "critical")
    }
}

/// What the scanner does with paths and inputs that are not what it expects.
@Suite struct SecretsBadInputTests {
    @Test func hostileFileNamesNeverReachTheTerminalRaw() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "evil\u{1B}[31m\u{202E}name.env"
        try Data("AWS_ACCESS_KEY_ID=AKIA4QKZB7X2M5NPRS3T\n".utf8).write(to: dir.appendingPathComponent(name))
        let table = try RosterProcess.run(["secrets", "scan", dir.path], in: dir)
        #expect(table.status == 1)
        #expect(!table.text.contains("\u{1B}") && !table.text.contains("\u{202E}"))
        let json = try RosterProcess.run(["secrets", "scan", dir.path, "--format", "json"], in: dir)
        #expect(!json.text.contains("\u{1B}") && !json.text.contains("\u{202E}"))
        let sarif = try RosterProcess.run(["secrets", "scan", dir.path, "--format", "sarif"], in: dir)
        #expect(!sarif.text.contains("\u{1B}"))
    }

    @Test func missingPathsBadBaselinesAndBadRulesAreOneLineErrors() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try RosterProcess.run(["secrets", "scan", dir.appendingPathComponent("nope").path], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope: no such file or directory"))

        let file = dir.appendingPathComponent("a.env")
        try Data("X=1\n".utf8).write(to: file)
        let baseline = dir.appendingPathComponent("baseline.json")
        try Data("[{\"rule\": 3}]".utf8).write(to: baseline)
        let badBaseline = try RosterProcess.run(["secrets", "scan", file.path, "--baseline", baseline.path], in: dir)
        #expect(badBaseline.status == 2)
        #expect(badBaseline.stderr.contains("baseline.json: $[0].fingerprint"))

        let rules = dir.appendingPathComponent("dup.toml")
        try Data("[[rules]]\nid = \"a.b\"\nid = \"a.c\"\nregex = 'abc_[0-9]{8}'\n".utf8).write(to: rules)
        let duplicate = try RosterProcess.run(["secrets", "scan", file.path, "--rules", rules.path], in: dir)
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("dup.toml:3:"))
        #expect(duplicate.stderr.contains("duplicate key"))

        let notGit = try RosterProcess.run(["secrets", "scan", "--git", dir.path], in: dir)
        #expect(notGit.status == 2)
        #expect(notGit.stderr.contains("is not a git repository"))

        let noDatabase = try RosterProcess.run(["secrets", "scan", file.path, "--db", dir.appendingPathComponent("none.db").path], in: dir)
        #expect(noDatabase.status == 3)
    }
}
