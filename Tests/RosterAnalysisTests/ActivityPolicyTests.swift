import Foundation
import RosterAnalysis
import RosterModel
import Testing

struct ActivityPolicyTests {
    static func usage(_ id: String, anomalies: Bool = false) -> IdentityUsage {
        var accumulator = ActivityAccumulator()
        ActivityHistory.build(anomalies: anomalies).events.forEach { accumulator.add($0) }
        return accumulator.usage[id]!
    }

    static let granted = [
        "s3:*", "sts:GetCallerIdentity", "ecr:GetAuthorizationToken", "ecs:UpdateService", "iam:PassRole", "ec2:TerminateInstances",
    ]

    @Test func suggestedPolicyAllowsWhatWasUsedAndNothingElse() throws {
        // Given the CI role's 40 days, with a routinely refused s3:GetBucketPolicy
        let usage = Self.usage(ActivityHistory.ci)
        // When a policy is suggested over the last 30 days
        let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: Self.granted, since: daysBefore(30))
        let allowed = suggestion.document.allowedActions
        // Then every used action is allowed, and no unused or denied one
        #expect(allowed == ["ecr:GetAuthorizationToken", "ecs:UpdateService", "s3:PutObject", "sts:GetCallerIdentity"])
        #expect(suggestion.used == allowed.sorted())
        #expect(suggestion.denied == ["s3:GetBucketPolicy"])
        #expect(suggestion.unused == ["ec2:TerminateInstances", "iam:PassRole", "s3:*"])
        #expect(suggestion.broaderThanNeeded == ["s3:*": ["s3:PutObject"]])
        for action in suggestion.denied + suggestion.unused { #expect(!allowed.contains(action)) }
        // And resources are narrowed to those the calls named, `*` where a call named none
        let statements = suggestion.document.statements
        #expect(statements.first { $0.actions.contains("s3:PutObject") }?.resources == (0..<5).map { "arn:aws:s3:::artifacts/build-\($0)" })
        #expect(statements.first { $0.actions.contains("sts:GetCallerIdentity") }?.resources == ["*"])
        #expect(statements.first { $0.actions.contains("ecs:UpdateService") }?.resources == ["arn:aws:ecs:us-east-1:123456789012:service/prod/orders"])
        // And the JSON is an IAM policy document
        let json = try suggestion.document.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["Version"] as? String == "2012-10-17")
        let first = try #require((object["Statement"] as? [[String: Any]])?.first)
        #expect(first["Effect"] as? String == "Allow" && first["Action"] is [String] && first["Resource"] is [String])
    }

    @Test func enumerationDeniedCallsAreNeverAllowed() {
        // Given web-app's burst: 25 reads that succeeded, 15 refused
        let usage = Self.usage(ActivityHistory.webApp, anomalies: true)
        // When a policy is suggested
        let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: nil, since: daysBefore(30))
        // Then the refused actions are listed as denied and left out of the document
        #expect(suggestion.denied.count == 15)
        #expect(suggestion.document.allowedActions.isDisjoint(with: suggestion.denied))
        #expect(suggestion.document.allowedActions.count == 27)
        #expect(suggestion.unused.isEmpty)
    }

    @Test func grantedButUnusedIsAFinding() throws {
        // Given the benign history and the CI role's grants
        let history = ActivityHistory.build(anomalies: false)
        // When analysed with the grants
        let findings = ActivityTests.analyse(history, granted: [ActivityHistory.ci: Self.granted, ActivityHistory.backup: ["s3:ListBucket", "s3:PutObject"]])
        // Then one finding lists what was granted and not used, and the over-broad wildcard
        let finding = try #require(findings.only)
        #expect(finding.ruleId == "activity.granted-unused" && finding.identityId == ActivityHistory.ci && finding.owasp == .nhi5OverprivilegedNHI)
        #expect(finding.evidence.contains("granted but not used since 2025-10-20: ec2:TerminateInstances, iam:PassRole"))
        #expect(finding.evidence.contains("s3:* is broader than needed: used only s3:PutObject"))
    }

    @Test(arguments: [
        ("s3:*", "s3:GetObject", true), ("S3:get*", "s3:GetObject", true), ("s3:Get*", "s3:PutObject", false), ("*", "iam:ListUsers", true),
        ("ec2:Describe?nstances", "ec2:DescribeInstances", true), ("iam:ListUsers", "iam:ListUsersX", false),
    ])
    func wildcardGrantsCoverUsedActions(pattern: String, action: String, covered: Bool) {
        var usage = IdentityUsage(identityId: "x")
        usage.add(ActivityEvent(id: "1", time: testNow, source: "cloudtrail", action: action, actor: ActivityActor(type: "IAMUser", identityId: "x", principal: "x")))
        let suggestion = PolicySuggestion.suggest(for: usage, grantedActions: [pattern], since: daysBefore(1))
        #expect((suggestion.broaderThanNeeded[pattern] != nil || suggestion.unused.isEmpty) == covered)
    }
}

extension Array {
    fileprivate var only: Element? { count == 1 ? first : nil }
}
