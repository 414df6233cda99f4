import Foundation
import RosterAnalysis
import RosterModel
import Testing

struct ActivityParsingTests {
    @Test(arguments: [
        ("aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0 exe/x86_64.ubuntu.22 prompt/off", "aws-cli/linux"),
        ("aws-cli/2.15.3 Python/3.11.6 Darwin/23.1.0 exe/x86_64 prompt/off command/s3.ls", "aws-cli/macos"),
        ("aws-cli/2.13.0 Python/3.11.4 Windows/10 exe/AMD64 prompt/off", "aws-cli/windows"),
        ("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.209 lang/python#3.11.7", "boto3/linux"),
        ("aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21.3 api/s3#1.40.0", "aws-sdk-go-v2/linux"),
        ("signin.amazonaws.com", "console"),
        ("console.amazonaws.com", "console"),
        ("console.ec2.amazonaws.com", "console"),
        ("AWS Internal", "aws-internal"),
        ("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10]", "s3-console/linux"),
        ("APN/1.0 HashiCorp/1.0 Terraform/1.6.0 (+https://www.terraform.io) terraform-provider-aws/5.31.0", "terraform"),
        ("kubectl/v1.29.0 (darwin/arm64) kubernetes/3f7a50f", "kubectl/macos"),
        ("", "unknown"),
    ])
    func userAgentsReduceToFamilies(agent: String, key: String) {
        #expect(UserAgentFamily(agent).key == key)
    }

    @Test func workstationToolsAndConsolesAreHuman() {
        #expect(UserAgentFamily("aws-cli/2.15.3 Python/3.11.6 Darwin/23.1.0").isWorkstationCLI)
        #expect(!UserAgentFamily("aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0").isWorkstationCLI)
        #expect(UserAgentFamily("signin.amazonaws.com").isConsole)
        #expect(!UserAgentFamily("AWS Internal").isConsole)
    }

    @Test(arguments: [
        ("203.0.113.77", "203.0.113.0/24", "203.0.0.0/16", false),
        ("10.0.4.9", "10.0.4.0/24", "10.0.0.0/16", true),
        ("2001:db8:1:2::9", "2001:db8:1::/48", "2001:db8::/32", false),
        ("fd00:1:2:3::1", "fd00:1:2::/48", "fd00:1::/32", true),
        ("ec2.amazonaws.com", "ec2.amazonaws.com", "ec2.amazonaws.com", false),
    ])
    func addressesReduceToNetworks(address: String, key: String, group: String, isPrivate: Bool) throws {
        let network = try #require(SourceNetwork(address))
        #expect(network.key == key && network.group == group && network.isPrivate == isPrivate)
    }

    @Test func notAnAddress() {
        #expect(SourceNetwork("999.1.1.1")?.kind == .service)
        #expect(SourceNetwork(nil) == nil)
        #expect(SourceNetwork("1:2:3:4:5:6:7:8:9")?.kind == .service)
    }

    @Test func everyRuleIsDeclaredUnderActivity() {
        #expect(ActivityRules.all.map(\.id) == [
            "activity.human-use", "activity.concurrent-networks", "activity.new-network", "activity.dormant-wakes", "activity.enumeration",
            "activity.granted-unused",
        ])
        #expect(ActivityRules.humanUse.owasp == .nhi10HumanUseOfNHI)
    }

    @Test func dormantIdentityWithNoHistoryWakesAcrossTheLogsCoverage() throws {
        // Given 130 days of logs in which one old identity never appears, then calls
        var history = ActivityHistory.build(anomalies: false)
        let ghost = ActivityHistory.user("ghost")
        history.identity(ghost, kind: .iamUser)
        history.call(ActivityHistory.legacy, day: 130, 1, 0, 0, "s3:ListBucket", from: "54.90.3.3", agent: nil)
        history.call(ghost, day: 0, 3, 0, 0, "sts:GetCallerIdentity", from: "54.90.3.3", agent: nil, key: "AKIAGHOST")
        // When analysed
        let findings = ActivityTests.analyse(history)
        // Then it is a dormant identity waking, and nothing else fires
        let finding = try #require(findings.first)
        #expect(findings.count == 1 && finding.ruleId == "activity.dormant-wakes" && finding.identityId == ghost)
        #expect(finding.evidence[0] == "no activity in the logs from 2025-07-13 (130 days); created 2024-10-16")
    }
}

struct ActivityStorageTests {
    @Test func usageRoundTripsThroughJSON() throws {
        // Given folded usage with every kind of bucket filled
        var accumulator = ActivityAccumulator()
        ActivityHistory.build().events.forEach { accumulator.add($0) }
        // When it is encoded and decoded, as the store will
        let data = try JSONEncoder().encode(accumulator.usage)
        let decoded = try JSONDecoder().decode([String: IdentityUsage].self, from: data)
        // Then it is the same value
        #expect(decoded == accumulator.usage)
    }
}

struct ActivityConcurrencyTests {
    @Test func aPairAcrossMidnightIsStillConcurrent() throws {
        // Given an identity with a baseline, whose key is used from a new network two minutes after its usual call at 23:59
        var history = ActivityHistory.build(anomalies: false)
        let nightly = ActivityHistory.user("nightly")
        history.identity(nightly, kind: .iamUser)
        for day in 2...35 { history.call(nightly, day: day, 23, 59, 0, "s3:PutObject", from: "34.10.0.1", agent: nil, key: "AKIANIGHTLY") }
        history.call(nightly, day: 1, 23, 59, 30, "s3:PutObject", from: "34.10.0.1", agent: nil, key: "AKIANIGHTLY")
        history.call(nightly, day: 0, 0, 1, 0, "s3:GetObject", from: "91.200.1.1", agent: nil, key: "AKIANIGHTLY")
        // When analysed
        let findings = ActivityTests.analyse(history)
        // Then it is reuse of the key, not only a new network
        #expect(findings.map(\.ruleId) == ["activity.concurrent-networks"])
        #expect(findings.first?.evidence.first?.contains("the same access key AKIANIGHTLY called from two networks 1 minute(s) apart") == true)
    }
}
