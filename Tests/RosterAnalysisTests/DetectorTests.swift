import Foundation
import RosterAnalysis
import RosterModel
import Testing

/// Items 2, 3 (trust) and 6.
struct DetectorTests {
    static func trust(_ statements: PolicyStatement...) -> PolicyDocument { PolicyDocument(statements: statements) }

    static let anyone = PolicyStatement(effect: .allow, principals: .only(PrincipalSet(aws: ["*"])), actions: .only(["sts:AssumeRole"]))

    @Test func adminRoleTrustedOnlyByOtherAccountsIsReportedAndCounted() throws {
        // Given an admin role of unknown nature (only another account's principals assume it)
        var b = Builder()
        let partnerTrust = Self.trust(PolicyStatement(
            effect: .allow, principals: .only(PrincipalSet(aws: ["arn:aws:iam::444455556666:root"])), actions: .only(["sts:AssumeRole"])))
        let role = b.role("partner-admin", nature: .unknown, trust: partnerTrust)
        b.attach(administratorAccess, to: role)
        let analysis = b.analyse()
        // Then it gets aws.nhi.admin, and metrics count exactly the identities with that finding
        #expect(analysis.rules(on: "partner-admin").contains("aws.nhi.admin"))
        let metrics = GovernanceMetrics.compute(analysis)
        #expect(metrics.overPrivileged.count == analysis.findings.filter { $0.ruleId == "aws.nhi.admin" }.count)
        #expect(metrics.overPrivileged.count == 1)
    }

    @Test func trustOfAnyoneCancelledByADenyIsNotFlagged() {
        var b = Builder()
        // Deny for everyone
        b.role("denied-all", trust: Self.trust(Self.anyone, PolicyStatement(
            effect: .deny, principals: .only(PrincipalSet(everyone: true)), actions: .only(["sts:AssumeRole"]))))
        // Deny unless the caller is in the organization
        b.role("org-only", trust: Self.trust(Self.anyone, PolicyStatement(
            effect: .deny, principals: .only(PrincipalSet(aws: ["*"])), actions: .only(["sts:AssumeRole"]),
            conditions: [PolicyCondition(operator: "StringNotEquals", key: "aws:PrincipalOrgID", values: ["o-a1b2c3d4e5"])])))
        // Look-alikes: a Deny on a wildcarded organization, and a Deny on another action
        b.role("org-wildcard", trust: Self.trust(Self.anyone, PolicyStatement(
            effect: .deny, principals: .only(PrincipalSet(aws: ["*"])), actions: .only(["sts:AssumeRole"]),
            conditions: [PolicyCondition(operator: "StringNotLike", key: "aws:PrincipalOrgID", values: ["o-*"])])))
        b.role("other-action", trust: Self.trust(Self.anyone, PolicyStatement(
            effect: .deny, principals: .only(PrincipalSet(everyone: true)), actions: .only(["sts:TagSession"]))))
        let analysis = b.analyse()
        #expect(!analysis.rules(on: "denied-all").contains("aws.role.trust-any-principal"))
        #expect(!analysis.rules(on: "org-only").contains("aws.role.trust-any-principal"))
        #expect(analysis.rules(on: "org-wildcard").contains("aws.role.trust-any-principal"))
        #expect(analysis.rules(on: "other-action").contains("aws.role.trust-any-principal"))
    }

    @Test func unusedSeverityRisesByTierWithAStableId() throws {
        func finding(idle: Double, policy: DetectionPolicy = .default) -> Finding? {
            var b = Builder()
            b.user("svc-idle", lastUsedDaysAgo: idle)
            return b.analyse(policy).findings(on: "svc-idle", rule: "nhi.unused").first
        }
        #expect(finding(idle: 20) == nil)
        let low = try #require(finding(idle: 35))
        let medium = try #require(finding(idle: 65))
        let high = try #require(finding(idle: 120))
        #expect([low.severity, medium.severity, high.severity] == [.low, .medium, .high])
        #expect(low.id == medium.id && medium.id == high.id)
        #expect(high.evidence.contains { $0.contains("90+ days") })
        // Tiers are configurable
        let custom = DetectionPolicy(unusedDays: 180, staleTiers: [45, 180])
        #expect(finding(idle: 35, policy: custom) == nil)
        #expect(finding(idle: 50, policy: custom)?.severity == .low)
        #expect(finding(idle: 200, policy: custom)?.severity == .high)
    }

    @Test func consolePasswordWithoutMFAIsReportedOnceWhateverTheNature() {
        var b = Builder()
        b.user("alice", nature: .human, console: ConsoleAccess(passwordEnabled: true, mfaActive: false))
        b.user("bob", nature: .human, console: ConsoleAccess(passwordEnabled: true, mfaActive: true))
        b.user("svc-shared", nature: .machine, console: ConsoleAccess(passwordEnabled: true, mfaActive: false))
        let analysis = b.analyse()
        #expect(analysis.rules(on: "alice").contains("aws.user.console-without-mfa"))
        #expect(analysis.findings(on: "alice", rule: "aws.user.console-without-mfa").first?.owasp == .nhi4InsecureAuthentication)
        #expect(!analysis.rules(on: "bob").contains("aws.user.console-without-mfa"))
        // A machine with a password keeps its NHI10 finding, and is not reported twice
        #expect(analysis.rules(on: "svc-shared").contains("aws.nhi.console-password"))
        #expect(!analysis.rules(on: "svc-shared").contains("aws.user.console-without-mfa"))
    }
}
