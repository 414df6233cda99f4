import RosterAnalysis
import RosterModel
import Testing

struct RiskTests {
    @Test func adminWithACriticalFindingRanksAboveAReaderWithALowOne() throws {
        // Given an admin NHI (critical finding) and a read-only NHI whose only problem is a missing owner (low)
        var b = EstateBuilder()
        b.attach(Policies.s3ReadOnly, to: b.user("svc-reader", owner: nil))
        b.attach(Policies.administratorAccess, to: b.user("svc-admin"))
        // When the estate is analysed
        let analysis = b.analyse()
        let admin = try #require(analysis.profile(named: "svc-admin"))
        let reader = try #require(analysis.profile(named: "svc-reader"))
        #expect(admin.findings.map(\.ruleId) == ["aws.nhi.admin"])
        #expect(reader.findings.map(\.ruleId) == ["nhi.owner.missing"])
        #expect(admin.privilege.level == .admin)
        #expect(reader.privilege.level == .read)
        // Then the admin is first in the queue, with the higher score
        #expect(admin.risk.value > reader.risk.value)
        #expect(reader.risk.value > 0)
        #expect(analysis.profiles.map(\.identity.name).prefix(2) == ["svc-admin", "svc-reader"])
        #expect(analysis.findings.first?.ruleId == "aws.nhi.admin")
        #expect(admin.risk.factors.contains("privilege admin ×1.0"))
    }

    @Test func anIdentityWithoutFindingsScoresZero() throws {
        // Given a human admin and a least-privilege NHI, neither with a finding
        // Then both score 0 with no factors
        var b = EstateBuilder()
        b.attach(Policies.administratorAccess, to: b.user("alice.nguyen", nature: .human, owner: nil,
                                                          console: ConsoleAccess(passwordEnabled: true, mfaActive: true)))
        b.attach(Policies.s3ReadOnly, to: b.user("svc-healthy"))
        let analysis = b.analyse()
        for name in ["alice.nguyen", "svc-healthy"] {
            let profile = try #require(analysis.profile(named: name))
            #expect(profile.findings.isEmpty)
            #expect(profile.risk.value == 0)
            #expect(profile.risk.factors.isEmpty)
        }
    }

    @Test func exposureAndStalenessRaiseTheScore() throws {
        // Given two roles with one medium finding each: one unused, one also reachable by anyone
        var b = EstateBuilder()
        try b.role("public-idle", trust: awsTrust(#""*""#), lastUsedDaysAgo: 200)
        try b.role("private-idle", trust: awsTrust(#"{"Service": "ec2.amazonaws.com"}"#), lastUsedDaysAgo: 200)
        let analysis = b.analyse()
        let exposed = try #require(analysis.profile(named: "public-idle"))
        let idle = try #require(analysis.profile(named: "private-idle"))
        // Then both carry staleness, only the public one exposure, and the scores stay within 0...100
        #expect(exposed.risk.factors.contains("exposure +20"))
        #expect(exposed.risk.factors.contains("staleness +10"))
        #expect(idle.risk.factors.contains("staleness +10"))
        #expect(!idle.risk.factors.contains("exposure +20"))
        #expect(exposed.risk.value > idle.risk.value)
        #expect((0...100).contains(exposed.risk.value))
    }

    @Test func findingsAreOrderedHighestRiskFirst() {
        // Given identities with low, high and critical findings
        // Then findings and profiles come out highest risk first
        var b = EstateBuilder()
        b.user("svc-a", owner: nil)
        b.key("AKIAQ3EXAMPLEKEYB001", of: b.user("svc-b"), createdDaysAgo: 400)
        b.attach(Policies.administratorAccess, to: b.user("svc-c"))
        let analysis = b.analyse()
        let risks = analysis.findings.map { f in analysis.profiles.first { $0.identity.id == f.identityId }!.risk.value }
        #expect(risks == risks.sorted(by: >))
        #expect(analysis.profiles.map(\.risk.value) == analysis.profiles.map(\.risk.value).sorted(by: >))
    }
}

struct GovernanceMetricsTests {
    @Test func countsOwnershipRotationStalenessAndPrivilege() throws {
        // Given four NHIs and one person:
        // svc-admin (admin, owned, fresh key), svc-old (owned, 400-day key, unused 100 days),
        // svc-orphan (no owner), a service-linked role (not governed) and alice (human)
        var b = EstateBuilder()
        let admin = b.user("svc-admin")
        b.attach(Policies.administratorAccess, to: admin)
        b.key("AKIAQ3EXAMPLEADMIN01", of: admin, createdDaysAgo: 10)
        b.key("AKIAQ3EXAMPLEOLD0001", of: b.user("svc-old", lastUsedDaysAgo: 100), createdDaysAgo: 400, lastUsedDaysAgo: 100)
        b.user("svc-orphan", owner: nil, lastUsedDaysAgo: 45)
        try b.role("AWSServiceRoleForSupport", trust: awsTrust(#"{"Service": "support.amazonaws.com"}"#), owner: nil,
                   path: "/aws-service-role/support.amazonaws.com/", managedBy: "aws")
        b.user("alice.nguyen", nature: .human, owner: nil, console: ConsoleAccess(passwordEnabled: true, mfaActive: true))
        // When the metrics are computed
        let metrics = GovernanceMetrics.compute(b.analyse())
        // Then they count governed NHIs only, against the policy's thresholds
        #expect(metrics.identities == 5)
        #expect(metrics.humans == 1)
        #expect(metrics.nonHuman == 4)
        #expect((metrics.withOwner.count, metrics.withOwner.total) == (2, 3))
        #expect(metrics.withOwner.percent == 66.7)
        #expect((metrics.keysRotatedWithinPolicy.count, metrics.keysRotatedWithinPolicy.total) == (1, 2))
        #expect(metrics.unused["30d"]?.count == 2)
        #expect(metrics.unused["60d"]?.count == 1)
        #expect(metrics.unused["90d"]?.count == 1)
        #expect(metrics.unused["90d"]?.total == 3)
        #expect((metrics.overPrivileged.count, metrics.overPrivileged.total) == (1, 3))
        #expect(metrics.findingsBySeverity["critical"] == 1)
        #expect(metrics.findingsByOWASP["NHI5"] == 1)
        #expect(metrics.findingsBySeverity.values.reduce(0, +) == b.analyse().findings.count)
    }
}
