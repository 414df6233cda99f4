import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The GCP part of the example estate (examples/estate/gcp): every planted risk is found, with
/// exactly the findings listed, and nothing healthy is flagged.
struct GCPExampleEstateTests {
    static let loaded: (analysis: Analysis?, error: String?) = {
        do {
            let settings = try JSONDecoder().decode(DetectionPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings)))
            return (Analyzer.run(try readGCP([GCPFixture.example]).estates, policy: settings), nil)
        } catch {
            return (nil, "\(error)")
        }
    }()

    func analysis() throws -> Analysis { try #require(Self.loaded.analysis, "examples/estate/gcp did not load: \(Self.loaded.error ?? "")") }

    static let prod = "@acme-prod-4821.iam.gserviceaccount.com"
    static let dev = "@acme-dev-1193.iam.gserviceaccount.com"

    /// `nhi.admin` is the provider-neutral "machine identity is admin" detector; the GCP evaluator decides the level.
    static let risky: [String: Set<String>] = [
        "terraform\(prod)": ["nhi.admin", "gcp.service-account.basic-role"],
        "482190731456-compute@developer.gserviceaccount.com": ["nhi.admin", "gcp.service-account.basic-role", "nhi.owner.missing"],
        "ci-runner\(prod)": ["nhi.admin", "gcp.service-account.project-wide-impersonation", "gcp.service-account-key.user-managed"],
        "gh-deploy\(prod)": ["nhi.admin"],
        "looker-studio\(prod)": ["gcp.service-account.public-impersonation"],
        "reporting-bot\(prod)": ["gcp.service-account-key.exposed"],
        "legacy-etl\(prod)": ["gcp.service-account-key.not-rotated", "gcp.service-account-key.user-managed", "nhi.owner.missing"],
        "acme-dev-1193@appspot.gserviceaccount.com": ["nhi.admin", "gcp.service-account.basic-role"],
        "gh-ci\(dev)": ["gcp.service-account.federation-pool-wide"],
        "data-loader\(dev)": ["gcp.service-account-key.user-managed"],
    ]

    static let healthy = [
        "payments\(prod)", "monitoring-exporter\(prod)", "old-backup\(prod)", "119377208853-compute@developer.gserviceaccount.com", "payments-dev\(dev)",
        "482190731456@cloudservices.gserviceaccount.com", "service-482190731456@compute-system.iam.gserviceaccount.com",
        "service-482190731456@container-engine-robot.iam.gserviceaccount.com", "119377208853@cloudservices.gserviceaccount.com",
        "service-119377208853@gcp-sa-artifactregistry.iam.gserviceaccount.com", "service-119377208853@compute-system.iam.gserviceaccount.com",
    ]

    @Test func everyPlantedRiskIsFoundExactly() throws {
        let analysis = try analysis()
        for (name, rules) in Self.risky {
            #expect(analysis.gcpRules(name) == rules, "\(name)")
        }
    }

    @Test func nothingHealthyIsFlagged() throws {
        let analysis = try analysis()
        for name in Self.healthy {
            #expect(analysis.profile(id: "gcp:serviceAccount:\(name)") != nil, "\(name) missing")
            #expect(analysis.gcpRules(name).isEmpty, "\(name): \(analysis.gcpRules(name))")
        }
        // And every identity is one or the other
        #expect(Set(analysis.profiles.map(\.identity.name)) == Set(Self.risky.keys).union(Self.healthy))
    }

    @Test func theImpersonationChainMakesTheGitHubDeployerAdmin() throws {
        // Given gh-deploy, which GitHub Actions of acme/deploy-infra use and which may impersonate terraform (roles/owner)
        let profile = try #require(try analysis().profile(id: "gcp:serviceAccount:gh-deploy\(Self.prod)"))
        // Then its privilege is terraform's, and the evidence says how
        #expect(profile.privilege.level == .admin)
        #expect(profile.privilege.evidence.first?.contains("it can so act as terraform\(Self.prod), which has admin access (roles/owner") == true)
    }

    @Test func privilegeLevelsFollowTheRoleTable() throws {
        let analysis = try analysis()
        func level(_ name: String) -> PrivilegeLevel? { analysis.profile(id: "gcp:serviceAccount:\(name)")?.privilege.level }
        #expect(level("payments\(Self.prod)") == .write)  // cloudsql.client, secretAccessor (read) under a condition
        #expect(level("monitoring-exporter\(Self.prod)") == .read)  // monitoring.viewer
        #expect(level("looker-studio\(Self.prod)") == .write)  // bigquery.dataViewer (read) and bigquery.jobUser (write)
        #expect(level("payments-dev\(Self.dev)") == .write)
        #expect(level("119377208853-compute@developer.gserviceaccount.com") == .write)  // logWriter, metricWriter
    }
}
