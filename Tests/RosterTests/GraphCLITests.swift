import Foundation
import Testing

/// `roster paths`, `can`, `who-can`, `blast-radius` and `graph export` on the AWS graph example, through the binary.
@Suite(.enabled(if: RosterProcess.executable != nil, "needs the roster executable next to the test bundle"))
struct GraphCLITests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/graph/aws/authorization-details.json").path

    static func workspace() throws -> CLIWorkspace {
        let workspace = try CLIWorkspace()
        let output = try RosterProcess.run(["import", example] + workspace.options, in: workspace.dir)
        #expect(output.status == 0, "\(output.stderr)")
        return workspace
    }

    static func json(_ output: RosterProcess.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: output.stdout)
    }

    @Test func pathsJSONNamesEveryPrincipalWithItsSteps() throws {
        let workspace = try Self.workspace()
        defer { workspace.cleanUp() }
        let output = try RosterProcess.run(["paths", "--format", "json"] + workspace.options, in: workspace.dir)
        #expect(output.status == 0, "\(output.stderr)")
        let records = try #require(try Self.json(output) as? [[String: Any]])
        #expect(records.count == 53)
        let chain = try #require(records.first { $0["principal"] as? String == "arn:aws:iam::111122223333:role/chain-start" })
        #expect(chain["adminReachable"] as? Bool == true)
        let steps = try #require(chain["path"] as? [[String: Any]])
        #expect(steps.map { $0["technique"] as? String } == ["aws.sts.assume-role", "aws.iam.create-access-key", "aws.admin"])
        #expect(steps.allSatisfy { ($0["statements"] as? [String])?.isEmpty == false && $0["from"] is String && $0["to"] is String })
        let safe = try #require(records.first { $0["principal"] as? String == "arn:aws:iam::111122223333:role/safe-pass-role-harmless" })
        #expect(safe["adminReachable"] as? Bool == false && (safe["path"] as? [Any])?.isEmpty == true)
    }

    @Test func canAnswersWithTheDecidingStatementAndExitStatus() throws {
        let workspace = try Self.workspace()
        defer { workspace.cleanUp() }
        let target = "arn:aws:iam::111122223333:user/admin-user"
        let allowed = try RosterProcess.run(["can", "esc-create-access-key", "iam:CreateAccessKey", target, "--format", "json"] + workspace.options, in: workspace.dir)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let decision = try #require(try Self.json(allowed) as? [String: Any])
        #expect(decision["decision"] as? String == "allowed")
        #expect((decision["statements"] as? [String])?.first?.contains("RotateAdminUserKeys") == true)
        let denied = try RosterProcess.run(["can", "safe-create-access-key-denied", "iam:CreateAccessKey", target] + workspace.options, in: workspace.dir)
        #expect(denied.status == 1)
        #expect(String(decoding: denied.stdout, as: UTF8.self).contains("explicit deny"))
    }

    @Test func whoCanAndBlastRadius() throws {
        let workspace = try Self.workspace()
        defer { workspace.cleanUp() }
        let who = try RosterProcess.run(["who-can", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/admin-user", "--format", "json"] + workspace.options, in: workspace.dir)
        let names = Set(try #require(try Self.json(who) as? [[String: Any]]).compactMap { $0["name"] as? String })
        #expect(names.contains("esc-create-access-key") && names.contains("chain-middle") && !names.contains("safe-create-access-key-denied"))
        let radius = try RosterProcess.run(["blast-radius", "chain-start", "--format", "json"] + workspace.options, in: workspace.dir)
        let record = try #require(try Self.json(radius) as? [String: Any])
        let counts = try #require(record["counts"] as? [String: Int])
        #expect(counts["admin"] == 1 && counts["secrets"] == 1 && (counts["identity"] ?? 0) > 1)
        let reaches = try #require(record["reaches"] as? [[String: Any]])
        #expect(reaches.first?["category"] as? String == "admin")
        let reader = try RosterProcess.run(["blast-radius", "safe-secrets-reader", "--format", "json"] + workspace.options, in: workspace.dir)
        #expect((try Self.json(reader) as? [String: Any])?["counts"] as? [String: Int] == ["secrets": 1])
    }

    @Test func graphExportsDOTAndNeo4jCSV() throws {
        let workspace = try Self.workspace()
        defer { workspace.cleanUp() }
        let dot = try RosterProcess.run(["graph", "export", "--format", "dot"] + workspace.options, in: workspace.dir)
        let text = String(decoding: dot.stdout, as: UTF8.self)
        #expect(text.hasPrefix("digraph roster {") && text.contains("\"admin:aws:111122223333\"") && text.hasSuffix("}\n"))
        let out = workspace.dir.appendingPathComponent("neo4j").path
        let csv = try RosterProcess.run(["graph", "export", "--format", "csv", "--out", out] + workspace.options, in: workspace.dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let nodes = try String(contentsOfFile: out + "/nodes.csv", encoding: .utf8)
        let relationships = try String(contentsOfFile: out + "/relationships.csv", encoding: .utf8)
        #expect(nodes.hasPrefix("id:ID,name,provider,:LABEL\n") && relationships.hasPrefix(":START_ID,:END_ID,:TYPE,"))
        #expect(relationships.contains("CAN_TAKE_OVER,aws.iam.create-access-key"))
    }

    @Test func kubernetesPathsAndCanI() throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        let example = Self.example.replacingOccurrences(of: "graph/aws/authorization-details.json", with: "graph/kubernetes/graph-demo.json")
        #expect(try RosterProcess.run(["import", example] + workspace.options, in: workspace.dir).status == 0)
        // paths: the Kubernetes shape of the JSON
        let output = try RosterProcess.run(["paths", "--provider", "kubernetes", "--format", "json"] + workspace.options, in: workspace.dir)
        let records = try #require(try Self.json(output) as? [[String: Any]])
        let minter = try #require(records.first { $0["serviceAccount"] as? String == "sa-token/minter" })
        #expect(minter["clusterAdminReachable"] as? Bool == true && minter["cloudIdentities"] is [String])
        #expect((minter["path"] as? [[String: Any]])?.first?["technique"] as? String == "kubernetes.sa-token")
        // can: like `kubectl auth can-i`, with the rule that decides
        let allowed = try RosterProcess.run(["can", "sa-token/minter", "create", "serviceaccounts/token", "-n", "sa-token", "--name", "release-bot"]
            + workspace.options, in: workspace.dir)
        #expect(allowed.status == 0, "\(allowed.text)\(allowed.stderr)")
        let denied = try RosterProcess.run(["can", "sa-token/minter", "create", "pods", "-n", "kube-system"] + workspace.options, in: workspace.dir)
        #expect(denied.status == 1)
    }
}
