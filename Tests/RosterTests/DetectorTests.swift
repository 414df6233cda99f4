import Foundation
import RosterAnalysis
import RosterModel
import Testing

/// One detector's fixtures: an estate where `identity` must get the finding, and a healthy variant where it must not.
struct DetectorCase: Sendable {
    var identity: String
    var severity: Severity
    var owasp: OWASPCategory
    /// A fact the finding's evidence must state.
    var evidence: String
    var policy: DetectionPolicy = .default
    var risky: @Sendable () throws -> EstateBuilder
    var healthy: @Sendable () throws -> EstateBuilder
}

/// Known partner account, for the trust detectors.
let partnerPolicy = DetectionPolicy(knownAccounts: ["444455556666": "CloudHealth (cost-management vendor)"])

let githubProvider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"

func githubTrust(_ condition: String) -> String {
    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "\#(githubProvider)"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": \#(condition)}]}"#
}

func awsTrust(_ principal: String, condition: String? = nil) -> String {
    #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": "sts:AssumeRole""#
        + (condition.map { #", "Condition": \#($0)"# } ?? "") + "}]}"
}

/// Every detector in `Detectors.all`, keyed by rule id, with a risky and a healthy estate.
let detectorCases: [String: DetectorCase] = [
    "aws.root.access-keys": DetectorCase(
        identity: "root (123456789012)", severity: .critical, owasp: .nhi5OverprivilegedNHI, evidence: "access key AKIA…T001 active",
        risky: {
            var b = EstateBuilder()
            b.key("AKIAQ3EXAMPLEROOT001", of: b.root(), createdDaysAgo: 2000, lastUsedDaysAgo: 30)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.key("AKIAQ3EXAMPLEROOT001", of: b.root(), status: .inactive, createdDaysAgo: 2000, lastUsedDaysAgo: 900)
            return b
        }),
    "aws.nhi.admin": DetectorCase(
        identity: "svc-terraform", severity: .critical, owasp: .nhi5OverprivilegedNHI, evidence: "AdministratorAccess (attached)",
        risky: {
            var b = EstateBuilder()
            b.attach(Policies.administratorAccess, to: b.user("svc-terraform"))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.attach(Policies.administratorAccess, to: b.user("svc-terraform", boundary: Policies.s3AndLogsBoundary))
            return b
        }),
    "aws.role.trust-any-principal": DetectorCase(
        identity: "data-share", severity: .critical, owasp: .nhi6InsecureCloudDeploymentConfigurations, evidence: #"Principal "*""#,
        risky: {
            var b = EstateBuilder()
            try b.role("data-share", trust: awsTrust(#""*""#))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            try b.role("data-share", trust: awsTrust(#"{"AWS": "*"}"#, condition: #"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#))
            return b
        }),
    "aws.role.oidc-unscoped": DetectorCase(
        identity: "gha-legacy", severity: .critical, owasp: .nhi6InsecureCloudDeploymentConfigurations,
        evidence: "no condition on token.actions.githubusercontent.com:sub",
        risky: {
            var b = EstateBuilder()
            try b.role("gha-legacy", trust: githubTrust(#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            try b.role("gha-legacy", trust: githubTrust(#"""
                {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                  "token.actions.githubusercontent.com:sub": "repo:example-org/web:ref:refs/heads/main"}}
                """#))
            return b
        }),
    "aws.role.trust-unknown-account": DetectorCase(
        identity: "contractor-access", severity: .high, owasp: .nhi3VulnerableThirdPartyNHI, evidence: "account 999988887777",
        policy: partnerPolicy,
        risky: {
            var b = EstateBuilder()
            try b.role("contractor-access", trust: awsTrust(#"{"AWS": "arn:aws:iam::999988887777:root"}"#))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            try b.role("contractor-access", trust: awsTrust(
                #"{"AWS": "arn:aws:iam::444455556666:root"}"#, condition: #"{"StringEquals": {"sts:ExternalId": "ex-4f1c9a72"}}"#))
            return b
        }),
    "aws.nhi.console-password": DetectorCase(
        identity: "svc-jenkins", severity: .high, owasp: .nhi10HumanUseOfNHI, evidence: "console password enabled, MFA not active",
        risky: {
            var b = EstateBuilder()
            b.user("svc-jenkins", console: ConsoleAccess(passwordEnabled: true, mfaActive: false, passwordLastUsedAt: daysAgo(3)))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.user("svc-jenkins", console: ConsoleAccess(passwordEnabled: false, mfaActive: false))
            return b
        }),
    "aws.user.console-without-mfa": DetectorCase(
        identity: "dana.lee", severity: .high, owasp: .nhi4InsecureAuthentication, evidence: "console password enabled, no MFA device active",
        risky: {
            var b = EstateBuilder()
            b.user("dana.lee", nature: .human, console: ConsoleAccess(passwordEnabled: true, mfaActive: false, passwordLastUsedAt: daysAgo(2)))
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.user("dana.lee", nature: .human, console: ConsoleAccess(passwordEnabled: true, mfaActive: true, passwordLastUsedAt: daysAgo(2)))
            return b
        }),
    "aws.access-key.not-rotated": DetectorCase(
        identity: "ci-deploy", severity: .high, owasp: .nhi7LongLivedSecrets, evidence: "400 days old (limit 90)",
        risky: {
            var b = EstateBuilder()
            b.key("AKIAQ3EXAMPLECIDEP01", of: b.user("ci-deploy", createdDaysAgo: 500), createdDaysAgo: 400)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            let id = b.user("ci-deploy", createdDaysAgo: 500)
            b.key("AKIAQ3EXAMPLECIDEP01", of: id, status: .inactive, createdDaysAgo: 400, lastUsedDaysAgo: 40)
            b.key("AKIAQ3EXAMPLECIDEP02", of: id, createdDaysAgo: 40)
            return b
        }),
    "aws.access-key.never-used": DetectorCase(
        identity: "svc-tableau-export", severity: .medium, owasp: .nhi1ImproperOffboarding, evidence: "never used",
        risky: {
            var b = EstateBuilder()
            b.key("AKIAQ3EXAMPLETABLEA1", of: b.user("svc-tableau-export", createdDaysAgo: 30, lastUsedDaysAgo: nil),
                  createdDaysAgo: 30, lastUsedDaysAgo: nil)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.key("AKIAQ3EXAMPLETABLEA1", of: b.user("svc-tableau-export", createdDaysAgo: 3, lastUsedDaysAgo: nil),
                  createdDaysAgo: 3, lastUsedDaysAgo: nil)
            return b
        }),
    "aws.access-key.two-active": DetectorCase(
        identity: "svc-payments-sync", severity: .medium, owasp: .nhi7LongLivedSecrets, evidence: "access key AKIA…SY02",
        risky: {
            var b = EstateBuilder()
            let id = b.user("svc-payments-sync")
            b.key("AKIAQ3EXAMPLEPAYSY01", of: id, createdDaysAgo: 20, lastUsedDaysAgo: 12)
            b.key("AKIAQ3EXAMPLEPAYSY02", of: id, createdDaysAgo: 10)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            let id = b.user("svc-payments-sync")
            b.key("AKIAQ3EXAMPLEPAYSY01", of: id, status: .inactive, createdDaysAgo: 20, lastUsedDaysAgo: 12)
            b.key("AKIAQ3EXAMPLEPAYSY02", of: id, createdDaysAgo: 10)
            return b
        }),
    "nhi.unused": DetectorCase(
        identity: "svc-old-crawler", severity: .high, owasp: .nhi1ImproperOffboarding, evidence: "150 days before 2025-11-20",
        risky: {
            var b = EstateBuilder()
            b.user("svc-old-crawler", createdDaysAgo: 400, lastUsedDaysAgo: 150)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.user("svc-old-crawler", createdDaysAgo: 400, lastUsedDaysAgo: 1)
            return b
        }),
    "nhi.owner.missing": DetectorCase(
        identity: "svc-vendor-sftp", severity: .low, owasp: .nhi1ImproperOffboarding, evidence: "no tags at all",
        risky: {
            var b = EstateBuilder()
            b.user("svc-vendor-sftp", owner: nil)
            return b
        },
        healthy: {
            var b = EstateBuilder()
            b.user("svc-vendor-sftp", owner: "integrations@example.com")
            return b
        }),
]

struct DetectorRegistryTests {
    @Test func everyRegisteredDetectorHasFixturesAndNoOthers() {
        // Given the registry and the fixture table
        // Then each AWS and provider-neutral detector has a risky and a healthy estate here, and no fixture
        // names a detector that is gone (other providers' families and the link rules have their own suites)
        #expect(Set(detectorCases.keys) == Set(Detectors.aws.map(\.id)))
        #expect(Set(detectorCases.keys).isSubset(of: Set(Detectors.all.map(\.id))))
    }

    @Test func detectorIdsAreUnique() {
        // Given the registry
        // Then no id is used twice (ids key findings, diffs and --rule)
        let ids = Detectors.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test(arguments: Detectors.all.map(\.id))
    func detectorIsFullyDeclared(_ id: String) throws {
        let detector = try #require(Detectors.all.first { $0.id == id })
        // Then it says what it finds, how bad, which OWASP category and what to do
        #expect(id.range(of: #"^[a-z0-9-]+(\.[a-z0-9-]+)+$"#, options: .regularExpression) != nil, "id \(id)")
        #expect(!detector.title.isEmpty)
        #expect(!detector.summary.isEmpty)
        #expect(detector.remediation.count > 20)
        #expect(!detector.owasp.title.isEmpty)
        // And its fixture (AWS and provider-neutral detectors) expects the severity and category it declares
        guard Detectors.aws.contains(where: { $0.id == id }) else { return }
        let fixture = try #require(detectorCases[id], "no risky fixture for \(id)")
        #expect(detector.severity == fixture.severity)
        #expect(detector.owasp == fixture.owasp)
    }
}

struct DetectorTests {
    @Test(arguments: detectorCases.keys.sorted())
    func firesOnTheRiskyIdentity(_ ruleId: String) throws {
        let fixture = try #require(detectorCases[ruleId])
        // Given an estate with one risky identity
        let estate = try fixture.risky()
        // When every registered detector runs
        let analysis = estate.analyse(fixture.policy)
        // Then the identity has this rule's finding, with its severity, category, evidence and remediation
        let finding = try #require(analysis.findings(on: fixture.identity).first { $0.ruleId == ruleId },
                                   "\(ruleId) not raised on \(fixture.identity); got \(analysis.ruleIds(on: fixture.identity))")
        #expect(finding.severity == fixture.severity)
        #expect(finding.owasp == fixture.owasp)
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "evidence: \(finding.evidence)")
        #expect(!finding.remediation.isEmpty)
        #expect(!finding.title.isEmpty)
        #expect(finding.identityId == estate.estate.identity(named: fixture.identity)?.id)
    }

    @Test(arguments: detectorCases.keys.sorted())
    func staysSilentOnTheHealthyVariant(_ ruleId: String) throws {
        let fixture = try #require(detectorCases[ruleId])
        // Given the same identity with the problem fixed
        let analysis = try fixture.healthy().analyse(fixture.policy)
        #expect(analysis.profile(named: fixture.identity) != nil)
        // Then the rule does not fire
        #expect(!analysis.ruleIds(on: fixture.identity).contains(ruleId))
    }

    @Test func keyFindingsNameTheKey() throws {
        // Given an old key
        let analysis = try #require(detectorCases["aws.access-key.not-rotated"]).risky().analyse()
        let finding = try #require(analysis.findings.first { $0.ruleId == "aws.access-key.not-rotated" })
        // Then the finding is about that credential
        #expect(finding.credentialId == "AKIAQ3EXAMPLECIDEP01")
    }

    @Test func thresholdsComeFromTheDetectionPolicy() throws {
        // Given a key 100 days old
        var b = EstateBuilder()
        b.key("AKIAQ3EXAMPLEKEY0100", of: b.user("svc-a"), createdDaysAgo: 100)
        // Then it is too old under the default 90 days, and fine under a 120-day policy
        #expect(b.analyse().ruleIds(on: "svc-a").contains("aws.access-key.not-rotated"))
        #expect(!b.analyse(DetectionPolicy(maxKeyAgeDays: 120)).ruleIds(on: "svc-a").contains("aws.access-key.not-rotated"))
        // And "unused" follows the staleness tiers: 45 idle days is the 30-day tier (low) by default, nothing under tiers from 60
        var idle = EstateBuilder()
        idle.user("svc-idle", lastUsedDaysAgo: 45)
        #expect(idle.analyse().findings(on: "svc-idle").map { "\($0.ruleId) \($0.severity)" } == ["nhi.unused low"])
        #expect(idle.analyse(DetectionPolicy(unusedDays: 120, staleTiers: [60, 90, 120])).ruleIds(on: "svc-idle").isEmpty)
    }

    @Test func removingADetectorRemovesItsFindings() throws {
        // Given the risky root estate analysed without the root detector
        let estate = try #require(detectorCases["aws.root.access-keys"]).risky().estate
        let withoutRoot = Detectors.all.filter { $0.id != Detectors.rootAccessKeys.id }
        // Then nothing reports the root key: the fixture depends on the detector being registered
        #expect(Analyzer.run([estate], detectors: withoutRoot).findings.isEmpty)
    }
}

/// Identities that look risky at a glance but are not: every detector must stay silent on them.
struct HealthyTrapTests {
    static let traps: [String: @Sendable () throws -> (EstateBuilder, String, DetectionPolicy)] = [
        "AdministratorAccess bounded to s3 and logs": {
            var b = EstateBuilder()
            let id = b.user("svc-data-pipeline", boundary: Policies.s3AndLogsBoundary)
            b.attach(Policies.administratorAccess, to: id)
            b.key("AKIAQ3EXAMPLEPIPELN1", of: id, createdDaysAgo: 30)
            return (b, "svc-data-pipeline", .default)
        },
        "Allow * with Deny NotAction s3:GetObject": {
            var b = EstateBuilder()
            let id = b.user("svc-artifact-reader")
            b.inline("artifact-read-only", Statement.allow("*"), Statement.denyAllBut("s3:GetObject"), to: id)
            return (b, "svc-artifact-reader", .default)
        },
        "role trusting {AWS: *} within the organization": {
            var b = EstateBuilder()
            try b.role("org-audit-readonly", trust: awsTrust(#"{"AWS": "*"}"#, condition: #"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#))
            return (b, "org-audit-readonly", .default)
        },
        "GitHub OIDC pinned to a branch": {
            var b = EstateBuilder()
            try b.role("gha-web-deploy", trust: githubTrust(#"""
                {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                  "token.actions.githubusercontent.com:sub": "repo:example-org/web:ref:refs/heads/main"}}
                """#))
            return (b, "gha-web-deploy", .default)
        },
        "GitHub OIDC scoped to the organization with StringLike": {
            var b = EstateBuilder()
            try b.role("gha-org-plan", trust: githubTrust(#"""
                {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                 "StringLike": {"token.actions.githubusercontent.com:sub": "repo:example-org/*"}}
                """#))
            return (b, "gha-org-plan", .default)
        },
        "old access key that is inactive": {
            var b = EstateBuilder()
            let id = b.user("svc-report-generator", createdDaysAgo: 800)
            b.key("AKIAQ3EXAMPLEREPORT1", of: id, status: .inactive, createdDaysAgo: 700, lastUsedDaysAgo: 400)
            b.key("AKIAQ3EXAMPLEREPORT2", of: id, createdDaysAgo: 20)
            return (b, "svc-report-generator", .default)
        },
        "key created 3 days ago, not used yet": {
            var b = EstateBuilder()
            let id = b.user("svc-new-exporter", createdDaysAgo: 3, lastUsedDaysAgo: nil)
            b.key("AKIAQ3EXAMPLENEWEXP1", of: id, createdDaysAgo: 3, lastUsedDaysAgo: nil)
            return (b, "svc-new-exporter", .default)
        },
        "person with password, MFA and AdministratorAccess": {
            var b = EstateBuilder()
            let id = b.user("alice.nguyen", nature: .human, owner: nil,
                            console: ConsoleAccess(passwordEnabled: true, mfaActive: true, passwordLastUsedAt: daysAgo(1)))
            b.group("Admins", policies: [Policies.administratorAccess, Policies.forceMFA], members: [id])
            return (b, "alice.nguyen", .default)
        },
        "service-linked role without an owner tag": {
            var b = EstateBuilder()
            let id = try b.role(
                "AWSServiceRoleForSupport", trust: awsTrust(#"{"Service": "support.amazonaws.com"}"#), owner: nil,
                path: "/aws-service-role/support.amazonaws.com/", managedBy: "aws", createdDaysAgo: 2000, lastUsedDaysAgo: nil)
            b.attach(makePolicy("AWSSupportServiceRolePolicy", Statement.allow("ec2:Describe*", "iam:ListRoles"), kind: .providerManaged), to: id)
            return (b, "AWSServiceRoleForSupport", .default)
        },
        "trust to a known partner account with an external id": {
            var b = EstateBuilder()
            try b.role("partner-cloudhealth-readonly", trust: awsTrust(
                #"{"AWS": "arn:aws:iam::444455556666:root"}"#, condition: #"{"StringEquals": {"sts:ExternalId": "ex-7f3c9e2a41b8"}}"#))
            return (b, "partner-cloudhealth-readonly", partnerPolicy)
        },
        "machine in an admin group whose force-MFA policy denies it": {
            var b = EstateBuilder()
            let id = b.user("svc-admin-group-member")
            b.group("Admins", policies: [Policies.administratorAccess, Policies.forceMFA], members: [id])
            b.key("AKIAQ3EXAMPLEMFADEN1", of: id, createdDaysAgo: 30)
            return (b, "svc-admin-group-member", .default)
        },
    ]

    @Test(arguments: traps.keys.sorted())
    func raisesNoFinding(_ trap: String) throws {
        // Given an identity that only looks risky
        let build = try #require(Self.traps[trap])
        let (estate, name, policy) = try build()
        // When every detector runs
        let analysis = estate.analyse(policy)
        // Then it has no finding at all and a risk of 0
        #expect(analysis.findings(on: name).isEmpty, "\(trap): \(analysis.findings(on: name).map { "\($0.ruleId): \($0.evidence)" })")
        #expect(analysis.profile(named: name)?.risk.value == 0)
    }

    @Test func plainBoolMFADenyDoesNotStopAccessKeyCallers() throws {
        // Given a machine user with AdministratorAccess and a Deny * with plain Bool aws:MultiFactorAuthPresent = false.
        // AWS leaves aws:MultiFactorAuthPresent out of requests signed with long-term access keys, and Bool is false for a
        // missing key, so the deny never applies to this user's keys (that is why AWS recommends BoolIfExists)
        var b = EstateBuilder()
        let id = b.user("svc-bool-mfa")
        b.attach(Policies.administratorAccess, to: id)
        b.inline("deny-without-mfa", Statement.deny("*", when: [PolicyCondition(operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["false"])]), to: id)
        b.key("AKIAQ3EXAMPLEBOOLMF1", of: id, createdDaysAgo: 30)
        // When it is analysed
        let analysis = b.analyse()
        // Then it is still an admin NHI
        #expect(analysis.ruleIds(on: "svc-bool-mfa").contains("aws.nhi.admin"))
    }
}
