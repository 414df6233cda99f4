import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterStore
import Testing

/// `roster collect aws` against a real AWS API server (moto) over HTTP, with SigV4-signed requests.
///
/// Serialized: the tests share one moto server and reset it.
@Suite(.serialized, .enabled(if: Moto.available, "moto_server is not installed; .ci/run installs it"))
struct LiveCollectTests {
    let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "HOME": "/nonexistent"]

    func collector(endpoint: URL, retry: RetryPolicy = RetryPolicy(), extra: [String: String] = [:]) -> AWSCollector {
        AWSCollector(options: .init(endpointURL: endpoint.absoluteString, retry: retry, environment: environment.merging(extra) { _, new in new }))
    }

    @Test func collectsInventoryAndFindingsFromMoto() async throws {
        // Given a moto account seeded through the real IAM API
        let seeded = try Moto.reset()
        let endpoint = try Moto.require()
        // When it is collected and analysed
        let result = try await collector(endpoint: endpoint).collect()
        let estate = try #require(result.estates.first)
        let analysis = Analyzer.run(result.estates)
        // Then the account, its users, roles, keys and the alias are all there
        #expect(result.estates.count == 1)
        #expect(estate.scope == "aws:123456789012")
        let names = Set(estate.identities.map(\.name))
        #expect(names.isSuperset(of: ["svc-reports", "deploy-bot", "auditor-limited", "gha-deploy", "public-share", "lambda-resizer"]))
        let keys = estate.credentials.filter { $0.kind == .accessKey }
        #expect(keys.count == 4)  // svc-reports, two of deploy-bot, auditor-limited
        #expect(keys.contains { $0.id == seeded["keys"].flatMap { ($0 as? [String: String])?["svc-reports"] } })
        #expect(estate.resources.contains { $0.type == "aws.account" && $0.name == "roster-moto" })
        #expect(estate.resources.contains { $0.type == "aws.iam.group" && $0.name == "admins" })
        // And the detectors work unchanged
        func rules(_ name: String) -> Set<String> { Set(analysis.findings.filter { $0.identityName == name }.map(\.ruleId)) }
        #expect(rules("deploy-bot").isSuperset(of: ["aws.nhi.admin", "aws.access-key.two-active", "aws.nhi.console-password", "nhi.owner.missing"]))
        #expect(rules("gha-deploy") == ["aws.role.oidc-unscoped"])
        #expect(rules("public-share").contains("aws.role.trust-any-principal"))
        #expect(rules("svc-reports").isEmpty)
        #expect(rules("lambda-resizer").isEmpty)
    }

    @Test func liveCollectionAndCLIExportImportGiveEqualIdentities() async throws {
        // Given a seeded account, exported with the AWS CLI as a user would
        _ = try Moto.reset()
        let endpoint = try Moto.require()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-export-\(UUID().uuidString)")
        try Moto.python(["export.py", endpoint.absoluteString, dir.path])
        // When the files are imported and the account is collected live
        let files = try AWSConnector.discover([dir.path]).files
        let imported = try AWSConnector().read(files).estates
        let collected = try await collector(endpoint: endpoint).collect().estates
        // Then the identities and credentials compare equal
        #expect(imported.count == 1 && collected.count == 1)
        let fromFiles = try #require(imported.first)
        let live = try #require(collected.first)
        #expect(fromFiles.identities.count == live.identities.count)
        for (a, b) in zip(fromFiles.identities, live.identities) { #expect(a == b, "\(a.name) differs") }
        #expect(fromFiles.credentials == live.credentials)
        #expect(Set(fromFiles.grants) == Set(live.grants))
        #expect(fromFiles.policies.map(\.document) == live.policies.map(\.document))
    }

    @Test func collectStoresASnapshotLikeImportAndIsIdempotent() async throws {
        _ = try Moto.reset()
        let endpoint = try Moto.require()
        let store = try RosterStore.inMemory()
        let first = try await collector(endpoint: endpoint).collect().estates
        let outcomes = try await store.save(first.map { SnapshotInput(estate: $0, source: "moto") })
        let again = try await collector(endpoint: endpoint).collect().estates
        let second = try await store.save(again.map { SnapshotInput(estate: $0, source: "moto") })
        guard case .created = outcomes.first, case .unchanged = second.first else {
            Issue.record("expected created then unchanged, got \(outcomes) then \(second)")
            return
        }
        #expect(try await store.snapshots(scope: nil).count == 1)
    }

    @Test func assumeRoleCollectsEachAccountAsItsOwnEstate() async throws {
        // Given a second account with its own user, reachable through a role
        _ = try Moto.reset(seedArguments: ["--other-account", "222222222222"])
        let endpoint = try Moto.require()
        // When both accounts' roles are assumed (the first one twice)
        let result = try await AWSCollector(options: .init(
            endpointURL: endpoint.absoluteString,
            assumeRoles: ["arn:aws:iam::222222222222:role/RosterAudit", "arn:aws:iam::123456789012:role/lambda-resizer",
                          "arn:aws:iam::222222222222:role/RosterAudit"],
            environment: environment)).collect()
        // Then there is one estate per account, each with its own identities, and the repeat is skipped with a warning
        #expect(result.estates.map(\.scope) == ["aws:123456789012", "aws:222222222222"])
        #expect(result.estates.last?.identities.map(\.name) == ["partner-sync"])
        #expect(result.estates.first?.identities.contains { $0.name == "partner-sync" } == false)
        #expect(result.warnings.contains { $0.contains("already collected") })
    }

    @Test func serviceControlPoliciesBoundAMemberAccountsPaths() async throws {
        // Given an organization whose OU "prod" holds a member account under an SCP that denies iam:*,
        // and a user there allowed everything
        let seeded = try Moto.reset(seedArguments: ["--organization"])
        let member = try #require(seeded["member"] as? String)
        let endpoint = try Moto.require()
        // When the management account and the member (through a role) are collected
        let result = try await AWSCollector(options: .init(
            endpointURL: endpoint.absoluteString,
            assumeRoles: ["arn:aws:iam::123456789012:role/lambda-resizer", "arn:aws:iam::\(member):role/OrganizationAccountAccessRole"],
            environment: environment)).collect()
        let prod = try #require(result.estates.first { $0.scope == "aws:\(member)" })
        // Then the member carries the SCPs of every level, root (FullAWSAccess) to the OU, and the management account none
        let ou = try #require(seeded["ou"] as? String)
        let levels: [String] = prod.grants.filter { $0.via == .serviceControl }.compactMap { $0.scope?.id }
        #expect(levels.contains { $0.hasPrefix("0 r-") })   // the root's FullAWSAccess
        #expect(levels.contains("1 \(ou)"))
        #expect(levels.contains("2 \(member)"))
        #expect(prod.policies.contains { $0.kind == .serviceControl && $0.name == "SCP deny-iam" })
        #expect(prod.resources.first { $0.type == "aws.account" }?.attributes["organizationId"]?.hasPrefix("o-") == true)
        #expect(result.estates.first { $0.scope == "aws:123456789012" }?.grants.contains { $0.via == .serviceControl } == false)
        // And the administrator of prod cannot use IAM: the graph does not make it admin, and no IAM step is open to it
        let fragment = AWSGraph.fragment(for: prod, index: EstateIndex([prod]))
        let admin = try #require(prod.identities.first { $0.name == "prod-automation" })
        #expect(!fragment.edges.contains { $0.from == admin.id && $0.rule == "aws.admin" })
        let index = EstateIndex([prod])
        let authorizer = AWSAuthorizer(
            principal: admin, policies: index.permissionPolicySet(of: admin).granted.map(\.policy), boundary: nil,
            controlPolicies: index.controlPolicies(of: admin))
        let denied = authorizer.decide("iam:CreateAccessKey", on: admin.id)
        #expect(denied.outcome == .denied && denied.explicit && denied.reasons.contains { $0.contains("SCP") })
        #expect(authorizer.decide("s3:GetObject", on: "arn:aws:s3:::bucket/key").isAllowed)
    }

    @Test func aProfileWithRoleArnAndSourceProfileIsFollowedLikeTheCLI() async throws {
        // Given ~/.aws files where profile "audit" assumes a role in another account from profile "base"
        _ = try Moto.reset(seedArguments: ["--other-account", "222222222222"])
        let endpoint = try Moto.require()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n".write(
            to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try """
            [profile audit]
            role_arn = arn:aws:iam::222222222222:role/RosterAudit
            source_profile = base
            role_session_name = roster-test
            region = us-east-1
            endpoint_url = \(endpoint.absoluteString)
            """.write(to: dir.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let env = ["AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("credentials").path,
                   "AWS_CONFIG_FILE": dir.appendingPathComponent("config").path, "HOME": dir.path]
        // When collecting with --profile audit and nothing else
        let result = try await AWSCollector(options: .init(profile: "audit", environment: env)).collect()
        // Then the role's account is the one collected
        #expect(result.estates.map(\.scope) == ["aws:222222222222"])
        #expect(result.estates.first?.identities.map(\.name) == ["partner-sync"])
    }

    @Test func throttlingIsRetriedWithBackoffUntilTheCollectionCompletes() async throws {
        // Given an endpoint that answers Throttling to the first 5 requests
        _ = try Moto.reset()
        let proxy = try ThrottleProxy(throttling: 5)
        // When collecting through it with a budget larger than that
        let result = try await collector(endpoint: proxy.url, retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.01, maxDelay: 0.05, budget: 20)).collect()
        // Then the collection completes, after absorbing every throttle
        #expect(proxy.throttled == 5)
        #expect(result.estates.first?.identities.contains { $0.name == "deploy-bot" } == true)
    }

    @Test func theCredentialReportIsPolledUntilItIsReady() async throws {
        // Given an endpoint where the report is still being generated for the first two calls
        _ = try Moto.reset()
        let proxy = try ThrottleProxy(throttling: 0, reportPending: 2)
        // When collecting through it
        let result = try await collector(endpoint: proxy.url).collect()
        // Then Roster waited for the report, and its facts (console passwords) are in the estate
        #expect(proxy.reportPendingAnswers == 2)
        let bot = try #require(result.estates.first?.identities.first { $0.name == "deploy-bot" })
        #expect(bot.console?.passwordEnabled == true)
    }

    @Test func whenTheRetryBudgetIsSpentTheErrorSaysSo() async throws {
        // Given an endpoint that always throttles
        _ = try Moto.reset()
        let proxy = try ThrottleProxy(throttling: 1000)
        // When collecting with a budget of 3 retries
        let error = await #expect(throws: ConnectorError.self) {
            try await collector(endpoint: proxy.url, retry: RetryPolicy(maxAttempts: 10, baseDelay: 0.01, maxDelay: 0.02, budget: 3)).collect()
        }
        // Then it gives up with a clear, throttling-specific error and stops calling
        #expect(error?.code == .throttled)
        #expect(error?.message.contains("gave up after") == true)
        #expect(error?.message.contains("Throttling: Rate exceeded") == true)
        #expect(proxy.throttled == 4)
    }

    @Test func aWrongSecretIsOneClearAuthenticationError() async throws {
        // Given moto checking signatures, and a real key id with the wrong secret
        let seeded = try Moto.reset()
        let keyId = try #require((seeded["keys"] as? [String: String])?["svc-reports"])
        try Moto.enforceAuth(true)
        defer { try? Moto.enforceAuth(false) }
        let endpoint = try Moto.require()
        let error = await #expect(throws: ConnectorError.self) {
            try await collector(endpoint: endpoint, extra: ["AWS_ACCESS_KEY_ID": keyId, "AWS_SECRET_ACCESS_KEY": "wrong-secret"]).collect()
        }
        // Then it names the call, what AWS said, the key (shortened), its source and the region, not the secret
        let message = try #require(error?.description)
        #expect(error?.code == .authentication)
        #expect(message.contains("SignatureDoesNotMatch"))
        #expect(message.contains(String(keyId.prefix(4))) && message.contains("environment") && message.contains("us-east-1"))
        #expect(!message.contains("wrong-secret"))
    }

    @Test func withoutAuthorizationDetailsItFallsBackToListingAndSaysSo() async throws {
        // Given moto enforcing permissions, and an auditor allowed iam:List* but not GetAccountAuthorizationDetails
        let seeded = try Moto.reset()
        let limited = try #require(seeded["limited"] as? [String: String])
        try Moto.enforceAuth(true)
        defer { try? Moto.enforceAuth(false) }
        let endpoint = try Moto.require()
        // When collecting with its key
        let result = try await collector(
            endpoint: endpoint, extra: ["AWS_ACCESS_KEY_ID": limited["id"] ?? "", "AWS_SECRET_ACCESS_KEY": limited["secret"] ?? ""]
        ).collect()
        // Then users and roles are still inventoried, without policies, and the warning says why
        let estate = try #require(result.estates.first)
        #expect(Set(estate.identities.map(\.name)).isSuperset(of: ["svc-reports", "deploy-bot", "gha-deploy", "lambda-resizer"]))
        #expect(estate.policies.allSatisfy { $0.kind == .trust })
        #expect(estate.identities.first { $0.name == "gha-deploy" }.map { estate.trustPolicy(of: $0.id) != nil } == true)
        #expect(result.warnings.contains { $0.contains("GetAccountAuthorizationDetails is not allowed") })
    }

    @Test func anUnreachableEndpointIsANetworkError() async throws {
        let error = await #expect(throws: ConnectorError.self) {
            try await collector(endpoint: URL(string: "http://127.0.0.1:9")!, retry: RetryPolicy(budget: 0, timeout: 2)).collect()
        }
        #expect(error?.code == .network || error?.code == .throttled)
    }

    @Test(arguments: [
        (["--profile", "missing"], "profile \"missing\" not found"),
        ([], "no AWS region"),
    ])
    func cliConfigurationErrorsAreOneLineAndNonZero(_ arguments: [String], _ expected: String) throws {
        // Given the built roster binary and an environment without region or profiles
        let binary = Moto.packageRoot.appendingPathComponent(".build/debug/roster")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the roster binary first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["collect", "aws", "--endpoint-url", "http://127.0.0.1:9", "--db", NSTemporaryDirectory() + "roster-\(UUID().uuidString).db"] + arguments
        process.environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        // When it runs
        try process.run()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Then it exits non-zero with exactly one line that says what is wrong
        #expect(process.terminationStatus != 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1, "\(output)")
        #expect(output.hasPrefix("roster: error:"))
        #expect(output.contains(expected))
    }
}
