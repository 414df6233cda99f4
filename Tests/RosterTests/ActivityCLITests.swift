import Foundation
import Testing

/// Activity end to end through the binary: the aws-acme example with 35 days of its CloudTrail.
@Suite struct ActivityCLITests {
    static func json(_ output: RosterProcess.Output) throws -> Any {
        try JSONSerialization.jsonObject(with: output.stdout)
    }

    @Test func plantedAnomaliesAreFoundAndRoutineActivityIsNot() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = Fixture.packageRoot.path
        let db = ["--db", dir.appendingPathComponent("roster.db").path]
        let imported = try RosterProcess.run(["import", root + "/examples/aws-acme", root + "/examples/activity", "--as-of", "2026-11-20"] + db, in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.text.contains("Read 35 activity logs (772 events)"))

        let findings = try #require(try Self.json(try RosterProcess.run(["findings", "--rule", "activity.*", "--format", "json", "--fail-on", "none"] + db, in: dir)) as? [[String: Any]])
        func names(_ rule: String) -> Set<String> {
            Set(findings.filter { $0["ruleId"] as? String == rule }.compactMap { ($0["identity"] as? [String: Any])?["name"] as? String })
        }
        // The three planted incidents.
        #expect(names("activity.human-use").contains("deploy-bot"))
        #expect(names("activity.concurrent-networks") == ["svc-billing-exporter"])
        #expect(names("activity.enumeration") == ["svc-old-crawler"])
        // Routine machines stay quiet: NAT churn, a CLI upgrade, hourly jobs, an instance role in its VPC.
        let anomalies = findings.filter { $0["ruleId"] as? String != "activity.granted-unused" }
        let flagged = Set(anomalies.compactMap { ($0["identity"] as? [String: Any])?["name"] as? String })
        #expect(flagged.isDisjoint(with: ["terraform-runner", "svc-metrics-collector", "app-web-ec2"]))
        // What was granted and not used is listed, action by action.
        let unused = findings.first { $0["ruleId"] as? String == "activity.granted-unused" && ($0["identity"] as? [String: Any])?["name"] as? String == "svc-billing-exporter" }
        #expect((unused?["evidence"] as? [String])?.joined().contains("ce:GetCostForecast") == true)
        #expect(findings.allSatisfy { ($0["evidence"] as? [String])?.isEmpty == false && $0["owasp"] != nil })

        // Usage, as the issue's JSON shape.
        let usage = try #require(try Self.json(try RosterProcess.run(["usage", "terraform-runner", "--format", "json"] + db, in: dir)) as? [String: Any])
        #expect((usage["identity"] as? String)?.hasSuffix(":user/terraform-runner") == true)
        #expect(Set((usage["actions"] as? [String: Any])?.keys.map { $0 } ?? []) == ["iam:GetRole", "s3:ListBuckets", "ec2:DescribeInstances", "iam:ListAttachedRolePolicies"])
        #expect(usage["lastUsed"] as? String == "2026-11-19T02:09:00Z")

        // The suggested policy allows what was used, not what was granted and unused.
        let policy = try #require(try Self.json(try RosterProcess.run(["policy", "suggest", "svc-billing-exporter", "--format", "json"] + db, in: dir)) as? [String: Any])
        let allowed = Set(((policy["Statement"] as? [[String: Any]]) ?? []).flatMap { ($0["Action"] as? [String]) ?? [] })
        #expect(allowed.isSuperset(of: ["s3:PutObject", "ce:GetCostAndUsage"]))
        #expect(!allowed.contains("ce:GetCostForecast"))
        #expect(policy["Version"] as? String == "2012-10-17")
        // 35 daily export objects are more than a policy lists: their shared prefix, not `*`.
        let put = ((policy["Statement"] as? [[String: Any]]) ?? []).first { ($0["Action"] as? [String])?.contains("s3:PutObject") == true }
        #expect(put?["Resource"] as? [String] == ["arn:aws:s3:::acme-billing-exports/2026/*"])

        // Importing the trail again reads nothing.
        let again = try RosterProcess.run(["import", "cloudtrail", root + "/examples/activity"] + db, in: dir)
        #expect(again.status == 0)
        #expect(again.text.contains("Nothing new: 35 activity logs already read"))
    }

    @Test func aBadLogLeavesTheStoreAsItWas() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = Fixture.packageRoot.path
        let db = ["--db", dir.appendingPathComponent("roster.db").path]
        _ = try RosterProcess.run(["import", root + "/examples/aws-acme", "--as-of", "2026-11-20"] + db, in: dir)
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try Data(##"{"Records": [{"eventID": "a", "eventTime": "2026-11-19T01:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:user/terraform-runner"}}, {"eventID": "#"##.utf8)
            .write(to: logs.appendingPathComponent("trail.json"))
        let bad = try RosterProcess.run(["import", "cloudtrail", logs.path] + db, in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("trail.json"))
        let usage = try RosterProcess.run(["usage", "terraform-runner"] + db, in: dir)
        #expect(usage.status == 4)
        #expect(usage.stderr.contains("no activity recorded"))
    }
}
