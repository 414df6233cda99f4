import Foundation
import Testing

/// The README's first command, end to end through the built binary: every provider's example
/// files imported in one go, one ranked list across providers, edges across systems on `show`.
@Suite struct MultiProviderImportTests {
    static func json(_ output: RosterProcess.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: output.stdout)
    }

    @Test func theExampleEstateImportsInOneGoAndLinksAcrossSystems() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = Fixture.packageRoot.path
        let options = ["--db", dir.appendingPathComponent("roster.db").path, "--config", root + "/examples/roster.json"]
        // When the AWS example and the multi-provider estate are imported together
        let imported = try RosterProcess.run(["import", root + "/examples/aws-acme", root + "/examples/estate", "--as-of", "2026-11-20"] + options, in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.text.contains("(aws, gcp, azure, kubernetes, github, gitlab, jenkins, saas, x509)"))
        // Then inventory holds every provider, with the contract's fields on each identity
        let inventory = try #require(try Self.json(try RosterProcess.run(["inventory", "--format", "json"] + options, in: dir)) as? [[String: Any]])
        #expect(Set(inventory.compactMap { $0["provider"] as? String }) == ["aws", "gcp", "azure", "kubernetes", "github", "gitlab", "jenkins", "saas", "x509"])
        for key in ["id", "name", "provider", "kind", "account", "environment", "owner", "nature"] {
            #expect(inventory.allSatisfy { $0.keys.contains(key) }, "inventory JSON lacks \(key)")
        }
        // And findings are one ranked list across providers
        let findings = try #require(try Self.json(try RosterProcess.run(["findings", "--format", "json", "--fail-on", "none"] + options, in: dir)) as? [[String: Any]])
        let providers = Set(findings.compactMap { ($0["identity"] as? [String: Any])?["provider"] as? String })
        #expect(providers.isSuperset(of: ["aws", "gcp", "azure", "kubernetes", "github", "gitlab", "jenkins", "saas", "x509"]))
        // And the half-edges the example plants are found: a workflow and a pipeline naming roles that do not exist
        let halfEdges = findings.filter { $0["ruleId"] as? String == "link.target-missing" }.compactMap { ($0["identity"] as? [String: Any])?["id"] as? String }
        #expect(Set(halfEdges) == ["github:acme/deploy-infra/.github/workflows/deploy.yml", "gitlab:acme/platform/billing-service/.gitlab-ci.yml"])
        #expect(!findings.contains { $0["ruleId"] as? String == "link.not-trusted-back" })
        // And a Kubernetes service account's page shows the verified edge into AWS, with evidence from both ends
        let show = try #require(try Self.json(try RosterProcess.run(["show", "kubernetes:prod-eks/payments/payments-api", "--format", "json"] + options, in: dir)) as? [String: Any])
        let edges = try #require(show["edges"] as? [[String: Any]])
        let verified = try #require(edges.first { $0["rule"] as? String == "link.aws-role" })
        #expect(verified["otherId"] as? String == "arn:aws:iam::210987654321:role/eks-payments-api")
        #expect((verified["reason"] as? String)?.contains("annotated eks.amazonaws.com/role-arn") == true)
        #expect((verified["reason"] as? String)?.contains("the trust policy of eks-payments-api admits") == true)
        // And the role's page shows it from the other side
        let role = try #require(try Self.json(try RosterProcess.run(["show", "eks-payments-api", "--format", "json"] + options, in: dir)) as? [String: Any])
        #expect((role["edges"] as? [[String: Any]])?.contains { $0["rule"] as? String == "link.aws-role" && $0["direction"] as? String == "in" } == true)
        // And metrics count every provider
        let metrics = try #require(try Self.json(try RosterProcess.run(["metrics", "--format", "json"] + options, in: dir)) as? [String: Any])
        #expect((metrics["byProvider"] as? [String: Any])?.count == 9)
        #expect(metrics["identities"] as? Int == inventory.count)
    }

    @Test func aFileNoConnectorReadsIsNamedWithWhatTheyRead() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("notes.json")
        try Data(#"{"hello": "world"}"#.utf8).write(to: file)
        let output = try RosterProcess.run(["import", file.path, "--db", dir.appendingPathComponent("r.db").path], in: dir)
        #expect(output.status == 2)
        #expect(output.stderr.contains("notes.json: not a file any Roster connector reads"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.db").path))
    }
}
