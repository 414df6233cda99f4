import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import Testing

/// The GCP connector on the example estate and on Cloud Asset Inventory exports: identities,
/// keys, grants, trust policies and edges in the shapes the model conventions fix.
struct GCPConnectorTests {
    static let example: (result: ConnectorResult?, error: String?) = {
        do { return (try readGCP([GCPFixture.example]), nil) } catch { return (nil, "\(error)") }
    }()

    func estates() throws -> [String: Estate] {
        let result = try #require(Self.example.result, "examples/estate/gcp did not load: \(Self.example.error ?? "")")
        return Dictionary(uniqueKeysWithValues: result.estates.map { ($0.scope, $0) })
    }

    func prod() throws -> Estate { try #require(try estates()["gcp:acme-prod-4821"]) }

    @Test func theExampleIsOneEstatePerProjectObservedAtItsNewestKey() throws {
        // Given the example's two project folders
        let estates = try estates()
        // Then each project is an estate, observed at the newest key's validity start (no --as-of, no report time)
        #expect(Set(estates.keys) == ["gcp:acme-prod-4821", "gcp:acme-dev-1193"])
        #expect(estates.values.allSatisfy { $0.observedAt == GCPFixture.exampleNow })
        #expect(Self.example.result?.warnings.contains { $0.contains("observation time 2026-11-19T21:14:05Z") } == true)
    }

    @Test func serviceAccountsFollowTheIdConventions() throws {
        let prod = try prod()
        // Given gh-deploy in the service-accounts list
        let identity = try #require(prod.gcpIdentity("gh-deploy@acme-prod-4821.iam.gserviceaccount.com"))
        // Then its id, name, native id, account, kind and nature are the contract's
        #expect(identity.id == "gcp:serviceAccount:gh-deploy@acme-prod-4821.iam.gserviceaccount.com")
        #expect(identity.name == "gh-deploy@acme-prod-4821.iam.gserviceaccount.com")
        #expect(identity.nativeId?.count == 21)
        #expect(identity.account == "acme-prod-4821")
        #expect(identity.kind == .gcpServiceAccount)
        #expect(identity.provider == .gcp)
        #expect(identity.nature == .machine)
        #expect(identity.environment == "production")
        #expect(identity.owner == "platform-team@acme.com")
        // And nothing records its use, so "never used" is not claimed
        #expect(identity.usageTracked == false)
        #expect(identity.lastUsedAt == nil)
    }

    @Test func defaultAccountsAreCustomerGovernedAndServiceAgentsProviderManaged() throws {
        let prod = try prod()
        // Given the Compute Engine default account (listed) and service agents (only in the project's bindings)
        let compute = try #require(prod.gcpIdentity("482190731456-compute@developer.gserviceaccount.com"))
        let apis = try #require(prod.gcpIdentity("482190731456@cloudservices.gserviceaccount.com"))
        let robot = try #require(prod.gcpIdentity("service-482190731456@container-engine-robot.iam.gserviceaccount.com"))
        // Then the default account is the customer's to govern, the agents Google's
        #expect(compute.managedBy == nil)
        #expect(compute.natureReason.contains("Compute Engine default service account"))
        #expect(apis.managedBy == "google")
        #expect(robot.managedBy == "google")
        #expect(apis.account == "acme-prod-4821")
        // And the dev project's App Engine default account is customer-governed too
        let dev = try #require(try estates()["gcp:acme-dev-1193"])
        #expect(dev.gcpIdentity("acme-dev-1193@appspot.gserviceaccount.com")?.managedBy == nil)
        #expect(dev.gcpIdentity("acme-dev-1193@appspot.gserviceaccount.com")?.environment == "development")
    }

    @Test func keysAreCredentialsWithFingerprintsOfTheirIds() throws {
        let prod = try prod()
        let email = "legacy-etl@acme-prod-4821.iam.gserviceaccount.com"
        let keys = prod.credentials.filter { $0.identityId == "gcp:serviceAccount:\(email)" }
        // Given a user-managed key and a system-managed one
        let user = try #require(keys.first { $0.kind == .gcpServiceAccountKey })
        let system = try #require(keys.first { $0.kind == .gcpSystemManagedKey })
        // Then the user-managed key is active, dated by its validity start, never expiring, fingerprinted by its public id
        let keyId = String(user.id.split(separator: "/").last!)
        #expect(user.id == "gcp:serviceAccount:\(email)/keys/\(keyId)")
        #expect(keyId.count == 40)
        #expect(user.status == .active)
        #expect(user.createdAt == utc("2025-10-15T09:32:11Z"))
        #expect(user.expiresAt == nil)
        #expect(user.fingerprint == CredentialFingerprint(.gcpServiceAccountKeyId, of: keyId).description)
        #expect(user.preview == "\(keyId.prefix(4))…\(keyId.suffix(4))")
        // And the system-managed key expires with Google's rotation
        #expect(system.expiresAt == utc("2026-11-28T02:55:20Z"))
        // And a key Google disabled is inactive, its reason kept on the key's resource
        let exposed = try #require(prod.credentials.first { $0.identityId.contains("reporting-bot") })
        #expect(exposed.status == .inactive)
        #expect(prod.resources.first { $0.id == exposed.id }?.attributes["disableReason"] == "SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED")
    }

    @Test func projectBindingsAreGrantsOfRolePolicies() throws {
        let prod = try prod()
        let compute = "gcp:serviceAccount:482190731456-compute@developer.gserviceaccount.com"
        // Given roles/editor bound to the default account on the project
        let grant = try #require(prod.grants.first { $0.subjectId == compute && $0.policyId == "gcp:roles/editor" })
        // Then it is a binding scoped to the project, of a provider-managed gcp-role policy
        #expect(grant.via == .binding)
        #expect(grant.scope == GrantScope(.project, "acme-prod-4821"))
        let editor = try #require(prod.policies.first { $0.id == "gcp:roles/editor" })
        #expect(editor.kind == .providerManaged)
        #expect(editor.body == .gcpRole(permissions: []))
        // And a custom role with its definition imported carries its permissions
        let custom = try #require(prod.policies.first { $0.id == "gcp:projects/acme-prod-4821/roles/cloudRunDeployer" })
        #expect(custom.kind == .customerManaged)
        #expect(custom.body == .gcpRole(permissions: [
            "artifactregistry.repositories.downloadArtifacts", "run.revisions.get", "run.services.get", "run.services.update",
        ]))
        // And a conditional binding keeps its condition
        let secrets = try #require(prod.grants.first { $0.policyId == "gcp:roles/secretmanager.secretAccessor" })
        #expect(secrets.condition == #"resource.name.startsWith("projects/482190731456/secrets/payments-")"#)
        // And the deleted principal's binding is reported, not imported
        #expect(Self.example.result?.warnings.contains { $0.contains("deleted principal") && $0.contains("tmp-migration") } == true)
    }

    @Test func anAccountsIAMPolicyIsItsTrustPolicy() throws {
        let prod = try prod()
        let id = "gcp:serviceAccount:gh-deploy@acme-prod-4821.iam.gserviceaccount.com"
        // Given gh-deploy's get-iam-policy output, saved under its email
        let grant = try #require(prod.grants.first { $0.subjectId == id && $0.via == .trust })
        let trust = try #require(prod.policies.first { $0.id == grant.policyId })
        // Then it is the account's trust policy, `<id>#iam-policy`, holding the bindings as written
        #expect(trust.id == id + "#iam-policy")
        #expect(trust.kind == .trust)
        let member = "principalSet://iam.googleapis.com/projects/482190731456/locations/global/workloadIdentityPools/github/attribute.repository/acme/deploy-infra"
        guard case .other("gcp.iam-policy", .object(let content)) = trust.body, case .array(let bindings)? = content["bindings"] else {
            Issue.record("not a gcp.iam-policy body: \(trust.body)")
            return
        }
        let second = member.replacingOccurrences(of: "acme/deploy-infra", with: "acme/payments-api")
        #expect(bindings.first == .object(["role": .string("roles/iam.workloadIdentityUser"), "members": .array([.string(member), .string(second)])]))
        // And after its own bindings come those it inherits from the project (ci-runner's project-wide Token Creator)
        #expect(bindings.count == 2)
        // And the workload it serves explains its nature
        #expect(prod.gcpIdentity(id.replacingOccurrences(of: "gcp:serviceAccount:", with: ""))?.natureReason.contains("acme/deploy-infra") == true)
        #expect(prod.gcpIdentity("payments@acme-prod-4821.iam.gserviceaccount.com")?.natureReason.contains("payments/payments-api") == true)
    }

    @Test func theWorkloadAnAccountServesIsItsNatureReason() throws {
        // Given accounts trusted by a KSA in either GKE form, and by a federated subject
        let pool = "principal://iam.googleapis.com/projects/\(GCPJSON.number)/locations/global/workloadIdentityPools"
        let estate = try #require(try withGCPFiles([
            "acme-test-5150/sa.json": GCPJSON.accounts(GCPJSON.account("legacy-form"), GCPJSON.account("new-form"), GCPJSON.account("ci")),
            "acme-test-5150/legacy-form@acme-test-5150.iam.gserviceaccount.com.json": GCPJSON.policy([
                ("roles/iam.workloadIdentityUser", ["serviceAccount:acme-test-5150.svc.id.goog[orders/worker]"]),
            ]),
            "acme-test-5150/new-form@acme-test-5150.iam.gserviceaccount.com.json": GCPJSON.policy([
                ("roles/iam.workloadIdentityUser", ["\(pool)/acme-test-5150.svc.id.goog/subject/ns/billing/sa/invoicer"]),
            ]),
            "acme-test-5150/ci@acme-test-5150.iam.gserviceaccount.com.json": GCPJSON.policy([
                ("roles/iam.workloadIdentityUser", ["\(pool)/gitlab/subject/project_path:acme/api:ref_type:branch:ref:main"]),
            ]),
        ]) { try readGCP([$0.path], asOf: Fixture.now) }.estates.first)
        // Then each account's nature says which workload uses it
        #expect(estate.gcpIdentity("legacy-form")?.natureReason.contains("Kubernetes service account orders/worker") == true)
        #expect(estate.gcpIdentity("new-form")?.natureReason.contains("Kubernetes service account billing/invoicer") == true)
        #expect(estate.gcpIdentity("ci")?.natureReason.contains("workload identity federation") == true)
    }

    @Test func projectImpersonationBindingsAreInheritedByEveryAccount() throws {
        let prod = try prod()
        // Given ci-runner holding roles/iam.serviceAccountTokenCreator on the project
        let trust = try #require(prod.policies.first { $0.id == "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com#iam-policy" })
        guard case .other(_, .object(let content)) = trust.body, case .array(let bindings)? = content["bindings"] else {
            Issue.record("not a gcp.iam-policy body")
            return
        }
        // Then every account's trust policy holds it, marked as inherited from the project
        #expect(bindings.contains(.object([
            "role": .string("roles/iam.serviceAccountTokenCreator"),
            "members": .array([.string("serviceAccount:ci-runner@acme-prod-4821.iam.gserviceaccount.com")]),
            "inheritedFrom": .string("projects/acme-prod-4821"),
        ])))
    }

    @Test func impersonationIsStatedAsActsAsEdges() throws {
        let prod = try prod()
        let gh = "gcp:serviceAccount:gh-deploy@acme-prod-4821.iam.gserviceaccount.com"
        let terraform = "gcp:serviceAccount:terraform@acme-prod-4821.iam.gserviceaccount.com"
        // Given gh-deploy holding Token Creator on terraform's own policy
        let edge = try #require(prod.edges.first { $0.from == gh && $0.to == terraform })
        // Then the edge says so, made by the import
        #expect(edge.kind == .actsAs)
        #expect(edge.rule == "gcp.import")
        #expect(edge.reason.contains("roles/iam.serviceAccountTokenCreator"))
        // And ci-runner's project-level Token Creator reaches every customer account of the project, not the service agents
        let ci = "gcp:serviceAccount:ci-runner@acme-prod-4821.iam.gserviceaccount.com"
        let reached = Set(prod.edges.filter { $0.from == ci }.map(\.to))
        #expect(reached.contains(terraform))
        #expect(reached.contains("gcp:serviceAccount:482190731456-compute@developer.gserviceaccount.com"))
        #expect(!reached.contains(ci))
        #expect(!reached.contains { $0.contains("cloudservices") })
        // And the federated and GKE members stay inbound facts in the trust policy: no edge is invented for them
        #expect(!prod.edges.contains { $0.to == "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com" && $0.from.contains("svc.id.goog") })
    }

    @Test func workloadIdentityProvidersAreResourcesByTheirReference() throws {
        let prod = try prod()
        // Given the GitHub provider of the prod pool
        let id = "gcp:workloadIdentityProvider:projects/482190731456/locations/global/workloadIdentityPools/github/providers/github-actions"
        let provider = try #require(prod.resources.first { $0.id == id })
        // Then it carries its issuer, pool and attribute condition
        #expect(provider.type == "gcp.iam.workload-identity-provider")
        #expect(provider.attributes["issuer"] == "https://token.actions.githubusercontent.com")
        #expect(provider.attributes["pool"] == "github")
        #expect(provider.attributes["attributeCondition"] == "assertion.repository_owner == 'acme'")
    }

    @Test func anAssetInventoryExportIsReadLineByLine() throws {
        // Given a `gcloud asset export` file: snake_case records, a 75 KB instance line, a bucket policy, a custom role
        let result = try readGCP([GCPFixture.path("asset-inventory/export.json")])
        let estate = try #require(result.estates.first)
        // Then the project comes from the Project asset and its number pairs the policies with it
        #expect(result.estates.map(\.scope) == ["gcp:acme-stage-7731"])
        #expect(estate.identities.map(\.name).sorted() == [
            "773100112233@cloudservices.gserviceaccount.com", "deployer@acme-stage-7731.iam.gserviceaccount.com",
            "orders-worker@acme-stage-7731.iam.gserviceaccount.com",
        ])
        // And the key found by the account's unique id belongs to the deployer
        #expect(estate.credentials.map(\.identityId) == ["gcp:serviceAccount:deployer@acme-stage-7731.iam.gserviceaccount.com"])
        // And the project policy (named by number) grants, the account policy (named by unique id) is a trust policy
        #expect(estate.grants.contains { $0.subjectId.hasSuffix("deployer@acme-stage-7731.iam.gserviceaccount.com") && $0.policyId == "gcp:roles/editor" })
        #expect(estate.policies.contains { $0.id == "gcp:serviceAccount:orders-worker@acme-stage-7731.iam.gserviceaccount.com#iam-policy" })
        #expect(estate.policies.first { $0.id == "gcp:projects/acme-stage-7731/roles/ordersReader" }?.body
            == .gcpRole(permissions: ["bigquery.tables.get", "bigquery.tables.getData", "bigquery.tables.list"]))
        // And the labels give environment and owner; the newest update time of a record Roster reads is the observation time
        // (the bucket's later one is in a line that is never decoded)
        #expect(estate.gcpIdentity("orders-worker@acme-stage-7731.iam.gserviceaccount.com")?.environment == "staging")
        #expect(estate.gcpIdentity("orders-worker@acme-stage-7731.iam.gserviceaccount.com")?.owner == "orders")
        #expect(estate.observedAt == utc("2026-11-03T17:45:10Z"))
    }

    @Test func searchResultsPairWithAListOfAccounts() throws {
        // Given search-all-iam-policies output (a list, camelCase) beside the project's service-accounts list
        let accounts = GCPJSON.accounts(
            #"{"email": "deployer@acme-stage-7731.iam.gserviceaccount.com", "projectId": "acme-stage-7731", "uniqueId": "117263548190273645182"}"#)
        let search = try String(contentsOfFile: GCPFixture.path("search/search-all-iam-policies.json"), encoding: .utf8)
        let result = try withGCPFiles(["acme-stage-7731/service-accounts.json": accounts, "acme-stage-7731/search.json": search]) { dir in
            try readGCP([dir.path], asOf: utc("2026-11-20T00:00:00Z"))
        }
        let estate = try #require(result.estates.first)
        // Then the project policy (by id) grants, and the account policy (by unique id) is its trust policy
        #expect(estate.grants.contains { $0.policyId == "gcp:roles/editor" && $0.scope == GrantScope(.project, "acme-stage-7731") })
        let analysis = Analyzer.run(result.estates)
        #expect(analysis.gcpRules("deployer@acme-stage-7731.iam.gserviceaccount.com").contains("gcp.service-account.public-impersonation"))
    }

    @Test func restListAnswersAreReadAndAPartialPageIsReported() throws {
        // Given the REST API's answers: accounts under "accounts" with a next page, keys under "keys"
        let accounts = #"{"accounts": [\#(GCPJSON.account("api-reader"))], "nextPageToken": "CgVhYmNkZQ"}"#
        let keys = #"{"keys": [\#(GCPJSON.key("api-reader", keyId: "0123456789abcdef0123456789abcdef01234567", created: "2026-10-01T00:00:00Z"))]}"#
        let result = try withGCPFiles(["acme-test-5150/accounts.json": accounts, "acme-test-5150/keys.json": keys]) { dir in
            try readGCP([dir.path], asOf: utc("2026-11-20T00:00:00Z"))
        }
        // Then both are read, and the unfinished list is a warning naming the file
        #expect(result.estates.first?.credentials.count == 1)
        #expect(result.warnings.contains { $0.contains("accounts.json") && $0.contains("nextPageToken") })
    }

    @Test func everyImportOfTheSameFilesIsTheSameEstate() throws {
        // Given the example read twice
        let first = try readGCP([GCPFixture.example]).estates
        let second = try readGCP([GCPFixture.example]).estates
        // Then the estates are equal, and so are the digests of the inputs
        #expect(first == second)
        let connector = GCPConnector()
        let files = try connector.discover([GCPFixture.example]).files
        #expect(try connector.inputDigest(files) == connector.inputDigest(files))
    }

    @Test func importOfADirectoryRecognisesGCPFilesAmongOthers() throws {
        // Given the GCP example beside the AWS example
        let parts = try Connectors.recogniseAll([GCPFixture.example, Fixture.acmeDir])
        // Then each provider takes its own files and nothing else
        let gcp = try #require(parts.first { $0.provider == .gcp })
        let aws = try #require(parts.first { $0.provider == .aws })
        #expect(gcp.paths.allSatisfy { $0.contains("/estate/gcp/") })
        #expect(aws.paths.allSatisfy { $0.contains("/aws-acme/") })
        #expect(gcp.paths.count == 36)
        #expect(!aws.paths.contains { $0.contains("/estate/gcp/") })
    }
}
