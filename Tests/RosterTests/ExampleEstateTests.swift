import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The bundled example (examples/aws-acme, settings in examples/roster.json): every planted risk is
/// found and nothing healthy is flagged. The table mirrors the header of examples/generate_acme.py.
struct ExampleEstateTests {
    /// Read and analysed once for the suite.
    static let loaded: (analysis: Analysis?, estate: Estate?, error: String?) = {
        do {
            let settings = try JSONDecoder().decode(DetectionPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings)))
            let estates = try readAWS([Fixture.acmeDir]).estates
            return (Analyzer.run(estates, policy: settings), estates.first, nil)
        } catch {
            return (nil, nil, "\(error)")
        }
    }()

    func analysis() throws -> Analysis { try #require(Self.loaded.analysis, "examples/aws-acme did not load: \(Self.loaded.error ?? "")") }

    static let risky: [String: Set<String>] = [
        "root (210987654321)": ["aws.root.access-keys"],
        "ci-deploy": ["aws.access-key.not-rotated"],
        "svc-tableau-export": ["aws.access-key.never-used"],
        "svc-payments-sync": ["aws.access-key.two-active"],
        "terraform-runner": ["aws.nhi.admin"],
        "deploy-bot": ["aws.nhi.admin"],
        "lambda-ops-automation": ["aws.nhi.admin"],
        "svc-migration-tool": ["aws.nhi.admin", "nhi.owner.missing"],
        "jenkins-deploy": ["aws.nhi.console-password"],
        "svc-old-crawler": ["nhi.unused", "nhi.owner.missing"],
        "svc-vendor-sftp": ["nhi.owner.missing"],
        "legacy-reporting-role": ["nhi.unused"],
        "tmp-debug-role": ["nhi.unused", "nhi.owner.missing"],
        "data-share-public": ["aws.role.trust-any-principal", "nhi.owner.missing"],
        "contractor-access": ["aws.role.trust-unknown-account", "nhi.owner.missing"],
        "github-actions-deploy-legacy": ["aws.role.oidc-unscoped"],
        "github-actions-shared": ["aws.role.oidc-unscoped"],
        "eks-orders-worker": ["aws.role.oidc-unscoped"],
    ]

    /// The realistic judgement call: AdministratorAccess trusted by the (known) management account, untagged.
    static let judgementCall = "OrganizationAccountAccessRole"

    static let healthy = [
        "svc-data-pipeline", "svc-artifact-reader", "org-audit-readonly", "github-actions-web-app-deploy", "github-actions-infra-plan",
        "eks-payments-api", "partner-cloudhealth-readonly", "alice.nguyen", "svc-report-generator", "svc-billing-exporter",
        "AWSServiceRoleForAutoScaling", "AWSServiceRoleForElasticLoadBalancing", "AWSServiceRoleForSupport", "AWSServiceRoleForTrustedAdvisor",
        "svc-log-shipper", "svc-backup-agent", "svc-metrics-collector", "svc-ses-mailer", "svc-orders-consumer", "svc-dns-updater",
        "svc-ecr-pusher", "svc-cdn-purger", "svc-snowflake-loader", "svc-secrets-rotator", "sentry-sourcemaps-uploader",
        "app-web-ec2", "batch-worker-ec2", "carol.smith", "maria.garcia", "bob.martinez",
    ]

    @Test func theExampleIsObservedWhenItsReportWasGenerated() throws {
        // Given the example's get-credential-report output (GeneratedTime 2026-11-20T08:00:00Z)
        // Then the estate is the account's, observed at that time
        let estate = try #require(Self.loaded.estate, "\(Self.loaded.error ?? "")")
        #expect(estate.scope == "aws:210987654321")
        #expect(estate.observedAt == utc("2026-11-20T08:00:00Z"))
        #expect(estate.identities.count > 70)
    }

    @Test(arguments: risky.keys.sorted())
    func plantedRiskIsFound(_ name: String) throws {
        // Given an identity the generator planted a risk on
        // Then it gets that rule's finding
        let analysis = try analysis()
        #expect(analysis.profile(named: name) != nil, "\(name) is not in the example")
        let expected = try #require(Self.risky[name])
        let found = analysis.ruleIds(on: name)
        #expect(expected.isSubset(of: found), "\(name): expected \(expected.sorted()), found \(found.sorted())")
    }

    @Test(arguments: healthy)
    func healthyIdentityHasNoFinding(_ name: String) throws {
        // Given an identity the generator made healthy (some of them deliberately look risky)
        // Then it has no finding and a risk of 0
        let analysis = try analysis()
        let profile = try #require(analysis.profile(named: name), "\(name) is not in the example")
        #expect(profile.findings.isEmpty, "\(name): \(profile.findings.map { "\($0.ruleId): \($0.evidence.first ?? "")" })")
        #expect(profile.risk.value == 0)
    }

    @Test func nothingOutsideThePlantedRisksIsFlagged() throws {
        // Given every identity with a finding
        let flagged = Set(try analysis().findings.map(\.identityName))
        // Then each is a planted risk or the documented judgement call: no false positives
        #expect(flagged.subtracting(Self.risky.keys).subtracting([Self.judgementCall]).isEmpty)
    }

    @Test func peopleAndSSORolesAreClassifiedHuman() throws {
        // Given people with console passwords and MFA, and Identity Center roles
        // Then they are human, and the automation account with a password is not
        let analysis = try analysis()
        for name in ["alice.nguyen", "bob.martinez", "carol.smith", "maria.garcia"] {
            #expect(analysis.profile(named: name)?.identity.nature == .human, "\(name)")
        }
        let sso = analysis.profiles.filter { $0.identity.name.hasPrefix("AWSReservedSSO_") }
        #expect(!sso.isEmpty)
        #expect(sso.allSatisfy { $0.identity.nature == .human && $0.findings.isEmpty })
        #expect(analysis.profile(named: "jenkins-deploy")?.identity.nature == .machine)
    }

    @Test func riskiestIdentitiesComeFirst() throws {
        let analysis = try analysis()
        // Then the head of the queue has a critical finding
        #expect(analysis.profiles.first?.findings.contains { $0.severity == .critical } == true)
        // And every planted risk ranks above every healthy identity
        let riskyScores = Self.risky.keys.compactMap { analysis.profile(named: $0)?.risk.value }
        let healthyScores = Self.healthy.compactMap { analysis.profile(named: $0)?.risk.value }
        #expect(riskyScores.min() ?? 0 > healthyScores.max() ?? 100)
        let order = analysis.profiles.map(\.identity.name)
        let riskyPlaces = Self.risky.keys.compactMap { order.firstIndex(of: $0) }
        let healthyPlaces = Self.healthy.compactMap { order.firstIndex(of: $0) }
        #expect(riskyPlaces.max() ?? Int.max < healthyPlaces.min() ?? Int.min)
    }
}
