import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import Testing

/// Every GCP detector fires on its risky case and stays silent on a healthy look-alike, on
/// projects imported from gcloud output the way `roster import gcp` reads them.
struct GCPDetectorTests {
    typealias J = GCPJSON
    static let keyId = "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c"
    static let otherKeyId = "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"

    /// A project with one account, `svc-a`, and whatever keys and bindings a case adds.
    static func project(
        account: String = J.account("svc-a", description: "owner: team-a@acme.com"), keys: [String] = [], bindings: [(String, [String])] = [],
        accountPolicy: String? = nil, extra: [String: String] = [:]
    ) -> [String: String] {
        var files = ["service-accounts.json": J.accounts(account, J.account("svc-b", description: "owner: team-b@acme.com")),
                     "keys/svc-a@acme-test-5150.iam.gserviceaccount.com.json": "[" + keys.joined(separator: ",") + "]",
                     "project-iam-policy.json": J.policy(bindings)]
        if let accountPolicy { files["sa-policies/svc-a@acme-test-5150.iam.gserviceaccount.com.json"] = accountPolicy }
        return files.merging(extra) { $1 }
    }

    // MARK: Keys (NHI7, NHI2)

    @Test func userManagedKeyFiresAndSystemOrDisabledKeysDoNot() throws {
        let rule = "gcp.service-account-key.user-managed"
        // Given an active user-managed key
        let risky = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-10-30T00:00:00Z")]))
        let finding = try #require(risky.gcpFindings("svc-a", rule: rule).first)
        #expect(finding.severity == .medium)
        #expect(finding.owasp == .nhi7LongLivedSecrets)
        #expect(finding.evidence.contains { $0.contains("key 4f1c…3b4c created 2026-10-30") && $0.contains("never expires") })
        // Then it stays silent on a system-managed key, on a disabled key, on an expired key and on a disabled account's key
        let system = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-11-10T00:00:00Z", type: "SYSTEM_MANAGED",
                                                                expires: "2026-11-27T00:00:00Z")]))
        let disabled = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-10-30T00:00:00Z", disabled: true)]))
        let expired = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-01-01T00:00:00Z",
                                                                 expires: "2026-04-01T00:00:00Z")]))
        let account = try analyseGCP(Self.project(account: J.account("svc-a", description: "owner: a", disabled: true),
                                                  keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-10-30T00:00:00Z")]))
        for analysis in [system, disabled, expired, account] { #expect(!analysis.gcpRules("svc-a").contains(rule)) }
    }

    @Test func oldKeyIsNotRotatedAndTheLimitComesFromTheDetectionPolicy() throws {
        let rule = "gcp.service-account-key.not-rotated"
        // Given a user-managed key 400 days old
        let files = Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2025-10-16T00:00:00Z")])
        let finding = try #require(try analyseGCP(files).gcpFindings("svc-a", rule: rule).first)
        // Then it is reported as the key, with its age and the limit
        #expect(finding.severity == .high)
        #expect(finding.owasp == .nhi7LongLivedSecrets)
        #expect(finding.credentialId == "gcp:serviceAccount:svc-a@acme-test-5150.iam.gserviceaccount.com/keys/\(Self.keyId)")
        #expect(finding.evidence.first == "key 4f1c…3b4c created 2025-10-16, 400 days old (limit 90)")
        // And a 500-day limit (maxKeyAgeDays, as for AWS keys) lets it be
        #expect(!(try analyseGCP(files, policy: DetectionPolicy(maxKeyAgeDays: 500)).gcpRules("svc-a").contains(rule)))
        // And a young key, an old system-managed key and an old key of a disabled account are fine
        let young = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-10-21T00:00:00Z")]))
        let system = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2024-01-01T00:00:00Z", type: "SYSTEM_MANAGED")]))
        let disabledAccount = try analyseGCP(Self.project(account: J.account("svc-a", description: "owner: a", disabled: true),
                                                          keys: [J.key("svc-a", keyId: Self.keyId, created: "2025-07-07T00:00:00Z")]))
        for analysis in [young, system, disabledAccount] { #expect(!analysis.gcpRules("svc-a").contains(rule)) }
    }

    @Test func exposedKeyIsCriticalEvenWhenGoogleDisabledIt() throws {
        let rule = "gcp.service-account-key.exposed"
        // Given a key Google disabled because it found it exposed
        let risky = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-06-02T00:00:00Z", disabled: true,
                                                               reason: "SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED")]))
        let finding = try #require(risky.gcpFindings("svc-a", rule: rule).first)
        #expect(finding.severity == .critical)
        #expect(finding.owasp == .nhi2SecretLeakage)
        #expect(finding.evidence.contains("disableReason SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED"))
        // Then a key its owner disabled is not exposed
        let healthy = try analyseGCP(Self.project(keys: [J.key("svc-a", keyId: Self.keyId, created: "2026-06-02T00:00:00Z", disabled: true,
                                                                 reason: "SERVICE_ACCOUNT_KEY_DISABLE_REASON_USER_INITIATED")]))
        #expect(!healthy.gcpRules("svc-a").contains(rule))
    }

    // MARK: Roles (NHI5)

    @Test func basicRolesAreReportedOnCustomerAccountsOnly() throws {
        let rule = "gcp.service-account.basic-role"
        let compute = "\(J.number)-compute@developer.gserviceaccount.com"
        let agent = "\(J.number)@cloudservices.gserviceaccount.com"
        // Given the default Compute Engine account with roles/editor and svc-a with roles/owner
        let analysis = try analyseGCP(Self.project(
            bindings: [("roles/editor", ["serviceAccount:\(compute)", "serviceAccount:\(agent)"]), ("roles/owner", ["serviceAccount:" + J.email("svc-a")])],
            extra: ["service-accounts.json": J.accounts(J.account("svc-a", description: "owner: a"), J.account(compute))]))
        let editor = try #require(analysis.gcpFindings(compute, rule: rule).first)
        #expect(editor.severity == .high)
        #expect(editor.owasp == .nhi5OverprivilegedNHI)
        #expect(editor.evidence.contains { $0.contains("iam.automaticIamGrantsForDefaultServiceAccounts") })
        #expect(analysis.gcpFindings("svc-a", rule: rule).first?.severity == .critical)
        // Then Google's service agent, which has roles/editor by design, is not governed here
        #expect(analysis.gcpRules(agent).isEmpty)
        // And a viewer is no basic-role finding
        let viewer = try analyseGCP(Self.project(bindings: [("roles/viewer", ["serviceAccount:" + J.email("svc-a")])]))
        #expect(!viewer.gcpRules("svc-a").contains(rule))
    }

    @Test func projectWideImpersonationFiresButOneAccountGrantDoesNot() throws {
        let rule = "gcp.service-account.project-wide-impersonation"
        // Given svc-a with Token Creator on the project, and svc-b holding roles/editor
        let risky = try analyseGCP(Self.project(bindings: [
            ("roles/iam.serviceAccountTokenCreator", ["serviceAccount:" + J.email("svc-a")]), ("roles/editor", ["serviceAccount:" + J.email("svc-b")]),
        ]))
        let finding = try #require(risky.gcpFindings("svc-a", rule: rule).first)
        #expect(finding.severity == .high)
        #expect(finding.evidence.contains { $0.contains("the most privileged being svc-b@acme-test-5150.iam.gserviceaccount.com (admin") })
        // And its privilege is svc-b's, reached through impersonation
        #expect(risky.profile(id: "gcp:serviceAccount:" + J.email("svc-a"))?.privilege.level == .admin)
        // Then the same role on svc-b's own IAM policy is the recommended way and not reported
        let healthy = try analyseGCP(Self.project(
            bindings: [("roles/editor", ["serviceAccount:" + J.email("svc-b")])],
            extra: ["sa-policies/svc-b@acme-test-5150.iam.gserviceaccount.com.json": J.policy([
                ("roles/iam.serviceAccountTokenCreator", ["serviceAccount:" + J.email("svc-a")]),
            ])]))
        #expect(!healthy.gcpRules("svc-a").contains(rule))
        // But it is still what it is: svc-a can act as svc-b, so it is admin too
        #expect(healthy.profile(id: "gcp:serviceAccount:" + J.email("svc-a"))?.privilege.level == .admin)
    }

    // MARK: Who may act as the account (NHI6)

    @Test func domainOrPublicImpersonationIsCritical() throws {
        let rule = "gcp.service-account.public-impersonation"
        // Given svc-a's policy letting every acme.com account create its tokens
        let risky = try analyseGCP(Self.project(accountPolicy: J.policy([("roles/iam.serviceAccountTokenCreator", ["domain:acme.com"])])))
        let finding = try #require(risky.gcpFindings("svc-a", rule: rule).first)
        #expect(finding.severity == .critical)
        #expect(finding.owasp == .nhi6InsecureCloudDeploymentConfigurations)
        #expect(finding.evidence.first == "roles/iam.serviceAccountTokenCreator granted to domain:acme.com on the account")
        // And allAuthenticatedUsers on the project reaches every account of it
        let project = try analyseGCP(Self.project(bindings: [("roles/iam.serviceAccountUser", ["allAuthenticatedUsers"])]))
        #expect(project.gcpRules("svc-a").contains(rule))
        #expect(project.gcpRules("svc-b").contains(rule))
        // Then a group of people holding Token Creator on the account is the recommended way
        let healthy = try analyseGCP(Self.project(accountPolicy: J.policy([("roles/iam.serviceAccountTokenCreator", ["group:platform-admins@acme.com"])])))
        #expect(!healthy.gcpRules("svc-a").contains(rule))
        // And a domain that may only view the account is no impersonation
        let viewer = try analyseGCP(Self.project(accountPolicy: J.policy([("roles/iam.serviceAccountViewer", ["domain:acme.com"])])))
        #expect(!viewer.gcpRules("svc-a").contains(rule))
    }

    @Test func aWholePoolIsTooBroadButOneRepositoryIsNot() throws {
        let rule = "gcp.service-account.federation-pool-wide"
        let pool = "principalSet://iam.googleapis.com/projects/\(J.number)/locations/global/workloadIdentityPools/github"
        let provider = #"[{"name": "projects/\#(J.number)/locations/global/workloadIdentityPools/github/providers/gh", "oidc": {"issuerUri": "https://token.actions.githubusercontent.com"}, "attributeMapping": {"google.subject": "assertion.sub"}, "state": "ACTIVE"}]"#
        // Given svc-a letting the whole GitHub pool impersonate it, and the pool's provider without an attribute condition
        let risky = try analyseGCP(Self.project(
            accountPolicy: J.policy([("roles/iam.workloadIdentityUser", ["\(pool)/*"])]),
            extra: ["project.json": J.describe, "providers.json": provider]))
        let finding = try #require(risky.gcpFindings("svc-a", rule: rule).first)
        #expect(finding.severity == .high)
        #expect(finding.evidence.contains { $0.contains("no attribute condition") })
        // Then one repository's principal set is the narrow grant
        let healthy = try analyseGCP(Self.project(accountPolicy: J.policy([("roles/iam.workloadIdentityUser", ["\(pool)/attribute.repository/acme/api"])])))
        #expect(!healthy.gcpRules("svc-a").contains(rule))
    }

    // MARK: The provider-neutral detectors on GCP accounts

    @Test func neutralDetectorsJudgeGCPAccountsSensibly() throws {
        // Given one account with an owner in its description and one without, neither with any record of use
        let analysis = try analyseGCP([
            "service-accounts.json": J.accounts(J.account("svc-a", description: "Loads orders. owner: orders-team@acme.com"), J.account("svc-b")),
            "project-iam-policy.json": J.policy([("roles/viewer", ["serviceAccount:" + J.email("svc-a"), "serviceAccount:" + J.email("svc-b")])]),
        ])
        // Then only the one without an owner is reported, and neither is called unused: GCP's exports do not record use
        #expect(!analysis.gcpRules("svc-a").contains("nhi.owner.missing"))
        #expect(analysis.gcpRules("svc-b").contains("nhi.owner.missing"))
        #expect(!analysis.gcpRules("svc-a").contains("nhi.unused"))
        #expect(!analysis.gcpRules("svc-b").contains("nhi.unused"))
        // And the project's owner label (when it has one) names the owner of its accounts
        let labelled = try analyseGCP([
            "service-accounts.json": J.accounts(J.account("svc-b")),
            "project.json": #"{"projectId": "acme-test-5150", "projectNumber": "515012345678", "labels": {"team": "payments"}}"#,
        ])
        #expect(!labelled.gcpRules("svc-b").contains("nhi.owner.missing"))
        #expect(labelled.profile(id: "gcp:serviceAccount:" + J.email("svc-b"))?.identity.owner == "payments")
    }

    // MARK: Registry

    @Test(arguments: Detectors.gcpFamily.map(\.id))
    func detectorIsFullyDeclared(_ id: String) throws {
        let detector = try #require(Detectors.gcpFamily.first { $0.id == id })
        #expect(id.range(of: #"^gcp(\.[a-z0-9-]+)+$"#, options: .regularExpression) != nil, "id \(id)")
        #expect(!detector.title.isEmpty)
        #expect(!detector.summary.isEmpty)
        #expect(detector.remediation.count > 20)
        #expect(Detectors.all.contains { $0.id == id })
    }

    @Test func removingTheFamilyRemovesItsFindings() throws {
        // Given the example estate analysed without the GCP detectors
        let estates = try readGCP([GCPFixture.example]).estates
        let without = Detectors.all.filter { !$0.id.hasPrefix("gcp.") }
        // Then no gcp.* finding remains: the findings depend on the family being registered
        #expect(!Analyzer.run(estates).findings.filter { $0.ruleId.hasPrefix("gcp.") }.isEmpty)
        #expect(Analyzer.run(estates, detectors: without).findings.allSatisfy { !$0.ruleId.hasPrefix("gcp.") })
    }
}
