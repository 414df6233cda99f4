import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import RosterService
import RosterStore
import Testing

/// The example estate's settings, as `roster --config examples/roster.json` reads them.
func acmeSettings() throws -> DetectionPolicy {
    try JSONDecoder().decode(DetectionPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: Fixture.acmeSettings)))
}

/// A service over a fresh in-memory store with the example account imported.
func acmeService() async throws -> RosterService {
    let service = RosterService(store: try RosterStore.inMemory(), configuration: .init(policy: try acmeSettings()))
    let connector = AWSConnector()
    _ = try await service.importFiles(connector, files: try connector.discover([Fixture.acmeDir]), source: "examples/aws-acme")
    return service
}

struct ModelV2Tests {
    @Test func sha256MatchesThePublishedVectors() {
        // FIPS 180-4 examples: "", "abc" and the two-block 448-bit message
        #expect(SHA256Digest.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // And a message whose padding needs a block of its own (55, 56 and 64 bytes)
        #expect(SHA256Digest.hex(of: String(repeating: "a", count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test func fingerprintsAreNamespacedAndParse() throws {
        let print = CredentialFingerprint(.awsAccessKeyId, of: "AKIAIOSFODNN7EXAMPLE")
        #expect(print.description.hasPrefix("aws.access-key-id:sha256:"))
        #expect(CredentialFingerprint(parsing: print.description) == print)
        // The same value under another namespace is another fingerprint
        #expect(CredentialFingerprint(.awsSecretAccessKey, of: "AKIAIOSFODNN7EXAMPLE") != print)
        #expect(CredentialFingerprint(parsing: "sha256:abc") == nil)
        #expect(CredentialFingerprint(parsing: "x:sha256:" + String(repeating: "g", count: 64)) == nil)
    }

    @Test func findingIdsDependOnRuleSubjectAndDiscriminatorOnly() {
        let a = Finding(ruleId: "r", severity: .low, title: "t", owasp: .nhi1ImproperOffboarding, identityId: "i", identityName: "n", evidence: ["x"], remediation: "f")
        var b = a
        b.evidence = ["other evidence, a day later"]
        let c = Finding(ruleId: "r", severity: .high, title: "t2", owasp: .nhi1ImproperOffboarding, identityId: "i", identityName: "renamed", evidence: [], remediation: "")
        let keyed = Finding(ruleId: "r", severity: .low, title: "t", owasp: .nhi1ImproperOffboarding, identityId: "i", identityName: "n", credentialId: "AKIA1", evidence: [], remediation: "")
        #expect(a.id == c.id)
        #expect(a.id == FindingID.make(rule: "r", subject: .identity("i")))
        #expect(keyed.id != a.id)
        #expect(a.id.count == 16)
        #expect(FindingID.make(rule: "secret.aws", subject: .location(file: "a.env", line: 3, commit: "abc")) != FindingID.make(rule: "secret.aws", subject: .location(file: "a.env", line: 4, commit: "abc")))
        _ = b
    }

    @Test func unknownKindsRoundTripThroughTheStore() async throws {
        // Given an estate written by a newer Roster: a provider, kinds, a policy grammar and an edge kind this build does not know
        let identity = Identity(id: "ocid1.dynamicgroup.oc1..aaa", provider: "oci", kind: "oci.dynamic-group", name: "builders", nature: .machine)
        let policy = Policy(
            id: "ocid1.policy.oc1..bbb", name: "builders-policy", provider: "oci", kind: "oci.tenancy-policy",
            body: .other(type: "oci-policy", content: .object(["statements": .array([.string("Allow dynamic-group builders to manage all-resources in tenancy")])])))
        let estate = Estate(
            observedAt: Date(timeIntervalSinceReferenceDate: 800_000_000), scope: "oci:tenancy",
            identities: [identity],
            credentials: [Credential(id: "tok-1", identityId: identity.id, kind: "oci.auth-token")],
            policies: [policy],
            grants: [Grant(subjectId: identity.id, policyId: policy.id, via: "oci.statement", scope: GrantScope("oci.compartment", "ocid1.compartment..c"))],
            edges: [Edge(from: identity.id, to: "ocid1.instance..d", kind: "oci.matches", rule: "oci.import", reason: "matching rule")])
        // When it is stored and read back
        let store = try RosterStore.inMemory()
        let info = try #require(try await store.save([SnapshotInput(estate: estate, source: "t")]).first).snapshot
        let back = try await store.estate(snapshot: info.id)
        // Then every value is as written, none coerced into a known one
        #expect(back == estate.sorted())
        #expect(back.identities[0].kind.rawValue == "oci.dynamic-group")
        #expect(back.edges[0].kind != .canAssume)
        #expect(back.policies[0].body.type == "oci-policy")
        // And it can be analysed without AWS assumptions failing
        let service = RosterService(store: store)
        let view = try await service.view()
        #expect(try await store.profiles(ProfileQuery(analyses: view.analyses)).map(\.identity.id) == [identity.id])
    }
}

struct StoreUpgradeTests {
    /// A database written by release 1 (`roster import aws Tests/Fixtures/aws/small-estate` at c7b644a).
    static let fixture = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/store/v1-small-estate.sqlite")

    @Test func aRelease1DatabaseUpgradesInPlace() async throws {
        try await withTemporaryDirectory { dir in
            // Given a copy of a database written by release 1
            let path = dir.appendingPathComponent("old.db").path
            try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
            // When this release opens it
            let store = try RosterStore.open(at: path)
            // Then its snapshot is there with the same content the same files give today
            let snapshots = try await store.snapshots(scope: nil)
            #expect(snapshots.map(\.scope) == ["aws:123456789012"])
            let upgraded = try await store.estate(snapshot: snapshots[0].id)
            let fresh = try #require(try readAWS([Fixture.path("small-estate")]).estates.first)
            #expect(upgraded.identities == fresh.identities)
            #expect(upgraded.credentials == fresh.credentials)
            #expect(Set(upgraded.policies) == Set(fresh.policies))
            #expect(Set(upgraded.grants) == Set(fresh.grants))
            #expect(Set(upgraded.edges.map { "\($0.from) \($0.kind) \($0.to)" }) == Set(fresh.edges.map { "\($0.from) \($0.kind) \($0.to)" }))
            // And analysis runs once on first read and gives what the files give
            let service = RosterService(store: store)
            let stored = try await service.findings(FindingQuery(analyses: try await service.view().analyses)).map(\.finding.id)
            #expect(stored == Analyzer.run([fresh], policy: service.configuration.policy).findings.map(\.id))
            #expect(!stored.isEmpty)
            // And re-importing the same files is recognised as unchanged content
            let connector = AWSConnector()
            let report = try await service.importFiles(connector, files: try connector.discover([Fixture.path("small-estate")]), source: "again")
            guard case .unchanged = report.outcomes.first else {
                Issue.record("expected unchanged, got \(report.outcomes)")
                return
            }
        }
    }
}

struct StoredAnalysisTests {
    @Test func storedQueriesEqualAFullReanalysis() async throws {
        // Given the example account imported through the pipeline
        let service = try await acmeService()
        let view = try await service.view()
        // And the same files analysed from scratch
        let estate = try #require(try readAWS([Fixture.acmeDir]).estates.first)
        var policy = try acmeSettings()
        policy.knownAccounts[String(estate.scope.dropFirst(4))] = "in the store"
        let analysis = Analyzer.run([estate], policy: policy)
        // Then the stored findings are the same findings, in the same order, with the same evidence
        let stored = try await service.findings(FindingQuery(analyses: view.analyses))
        #expect(stored.map(\.finding) == analysis.findings)
        #expect(stored.count == analysis.findings.count && stored.count > 20)
        // And every profile has the same risk, privilege and findings
        let profiles = try await service.store.profiles(ProfileQuery(analyses: view.analyses))
        #expect(profiles.map(\.identity.id) == analysis.profiles.map(\.identity.id))
        #expect(profiles.map(\.risk) == analysis.profiles.map(\.risk.value))
        #expect(profiles.map(\.privilege) == analysis.profiles.map(\.privilege.level.description))
        #expect(profiles.map(\.findingIds) == analysis.profiles.map { $0.findings.map(\.id) })
        // And the metrics are those of the analysis
        let metrics = try await service.metrics(analyses: view.analyses)[0]
        let expected = GovernanceMetrics.compute(analysis)
        #expect(metrics.identities == expected.identities)
        #expect(metrics.overPrivileged.count == expected.overPrivileged.count)
        #expect(metrics.findingsBySeverity == expected.findingsBySeverity)
        // And filtered queries agree with filtering the analysis
        let critical = try await service.findings(FindingQuery(analyses: view.analyses, minSeverity: .critical)).map(\.finding)
        #expect(critical == analysis.findings.filter { $0.severity == .critical })
        let keys = try await service.findings(FindingQuery(analyses: view.analyses, rules: ["aws.access-key.*"])).map(\.finding)
        #expect(keys == analysis.findings.filter { $0.ruleId.hasPrefix("aws.access-key.") })
        let nhi7 = try await service.findings(FindingQuery(analyses: view.analyses, owasp: [.nhi7LongLivedSecrets])).map(\.finding)
        #expect(nhi7 == analysis.findings.filter { $0.owasp == .nhi7LongLivedSecrets })
        let stale = try await service.store.profiles(ProfileQuery(analyses: view.analyses, nonHumanOnly: true, minIdleDays: 90))
        #expect(stale.map(\.identity.id) == analysis.profiles.filter { $0.identity.nature.isNonHuman && ($0.idleDays ?? -1) >= 90 }.map(\.identity.id))
        let unowned = try await service.store.profiles(ProfileQuery(analyses: view.analyses, owner: ""))
        #expect(unowned.map(\.identity.id) == analysis.profiles.filter { $0.identity.owner == nil }.map(\.identity.id))
    }

    @Test func aSettingsChangeIsAnalysedOnceAndStored() async throws {
        // Given the example analysed under its settings
        var service = try await acmeService()
        let first = try await service.view().analyses
        let notRotated = try await service.findings(FindingQuery(analyses: first, rules: ["aws.access-key.not-rotated"])).count
        // When the key age limit changes
        service.configuration.policy.maxKeyAgeDays = 10_000
        let second = try await service.view().analyses
        // Then a new analysis is stored once and reads use it
        #expect(second != first)
        #expect(try await service.view().analyses == second)
        #expect(try await service.findings(FindingQuery(analyses: second, rules: ["aws.access-key.not-rotated"])).isEmpty)
        #expect(notRotated > 0)
    }

    @Test func findingIdsAreStableAcrossSnapshotsAndHistoryIsKept() async throws {
        // Given an estate with a stale key and a missing owner, imported on day 1
        var builder = EstateBuilder()
        let svc = builder.user("svc-a", owner: nil)
        builder.key("AKIAQ3EXAMPLE0000001", of: svc, createdDaysAgo: 400)
        let store = try RosterStore.inMemory()
        let service = RosterService(store: store)
        let day1 = try await service.ingest(ConnectorResult(estates: [builder.estate]), source: "day1", inputDigest: nil, replace: false)
        let firstIds = Set(try await service.findings(FindingQuery(analyses: try await service.view().analyses)).map(\.finding.id))
        // When on day 2 the owner is tagged and a second user with no owner appears
        var day2Estate = builder.estate
        day2Estate.observedAt = day2Estate.observedAt.addingTimeInterval(86_400)
        day2Estate.identities[0].owner = "team@example.com"
        var other = day2Estate.identities[0]
        other.id = "arn:aws:iam::123456789012:user/svc-b"
        other.name = "svc-b"
        other.owner = nil
        day2Estate.identities.append(other)
        let day2 = try await service.ingest(ConnectorResult(estates: [day2Estate]), source: "day2", inputDigest: nil, replace: false)
        let stored = try await service.findings(FindingQuery(analyses: try await service.view().analyses))
        // Then the key finding keeps its id and its first-seen day
        let key = try #require(stored.first { $0.finding.ruleId == "aws.access-key.not-rotated" })
        #expect(firstIds.contains(key.finding.id))
        #expect(key.firstSeen == builder.estate.observedAt)
        #expect(key.lastSeen == day2Estate.observedAt)
        // And the history says what is new and what was resolved
        let changes = try await store.findingChanges(scope: builder.estate.scope, from: day1.outcomes[0].snapshot.id, to: day2.outcomes[0].snapshot.id)
        #expect(changes.new.map(\.identityName) == ["svc-b"])
        #expect(changes.resolved.map { "\($0.ruleId) \($0.identityName)" } == ["nhi.owner.missing svc-a"])
    }

    @Test func diffComparesContentAndFindingHistory() async throws {
        // Given two daily snapshots: an owner tag removed from one user between them
        var builder = EstateBuilder()
        builder.user("svc-a")
        builder.user("svc-b")
        let service = RosterService(store: try RosterStore.inMemory())
        _ = try await service.ingest(ConnectorResult(estates: [builder.estate]), source: "day1", inputDigest: nil, replace: false)
        var next = builder.estate
        next.observedAt = next.observedAt.addingTimeInterval(86_400)
        next.identities[1].owner = nil
        next.identities[1].tags = [:]
        _ = try await service.ingest(ConnectorResult(estates: [next]), source: "day2", inputDigest: nil, replace: false)
        // When the scope's two newest snapshots are compared
        let (diffs, single) = try await service.diffs()
        // Then the changed identity and the new finding are reported, nothing else
        let diff = try #require(diffs.first)
        #expect(diffs.count == 1 && single.isEmpty)
        #expect(diff.changes.changedIdentities.map(\.name) == ["svc-b"])
        #expect(diff.changes.changedIdentities.first?.fields.contains("owner") == true)
        #expect(diff.newFindings.map { "\($0.ruleId) \($0.identityName)" } == ["nhi.owner.missing svc-b"])
        #expect(diff.resolvedFindings.isEmpty)
        // And snapshots of two scopes cannot be compared
        await #expect(throws: ServiceError.self) { _ = try await service.diffs(from: diff.old.id, to: 999) }
    }

    @Test func aPartialExportIsRefusedUnlessReplacing() async throws {
        // Given the example account (76 identities) stored
        let service = try await acmeService()
        let before = try await service.store.snapshots(scope: nil)
        // When an export of the same account holding one identity arrives
        let full = try #require(try readAWS([Fixture.acmeDir]).estates.first)
        var partial = full
        partial.identities = [full.identities[0]]
        partial.credentials = full.credentials.filter { $0.identityId == full.identities[0].id }
        partial.observedAt = full.observedAt.addingTimeInterval(86_400)
        // Then it is refused, saying how much it would drop, and nothing is stored
        await #expect {
            _ = try await service.ingest(ConnectorResult(estates: [partial]), source: "partial", inputDigest: nil, replace: false)
        } throws: { error in
            (error as? ServiceError)?.code == .partialSnapshot && "\(error)".contains("drop 75") && "\(error)".contains("--replace")
        }
        #expect(try await service.store.snapshots(scope: nil) == before)
        // And with replace it is stored
        let replaced = try await service.ingest(ConnectorResult(estates: [partial]), source: "partial", inputDigest: nil, replace: true)
        #expect(replaced.outcomes.first?.snapshot.identityCount == 1)
    }

    @Test func identitiesAreFoundByNameIdKeyFingerprintRootAndNearNames() async throws {
        // Given a small estate with a role named bad_role, a user with a key, and the root user
        var builder = EstateBuilder()
        let role = try builder.role("bad_role", trust: #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        let user = builder.user("deployer")
        builder.key("AKIAQ3EXAMPLE0000002", of: user, createdDaysAgo: 10)
        builder.estate.credentials[0].fingerprint = CredentialFingerprint(.awsAccessKeyId, of: "AKIAQ3EXAMPLE0000002").description
        let root = builder.root()
        let service = RosterService(store: try RosterStore.inMemory())
        _ = try await service.ingest(ConnectorResult(estates: [builder.estate]), source: "t", inputDigest: nil, replace: false)
        let view = try await service.view()
        // Then each way of naming them resolves
        #expect(try await service.resolveIdentity(role, in: view) == role)
        #expect(try await service.resolveIdentity("BAD_ROLE", in: view) == role)
        #expect(try await service.resolveIdentity("root", in: view) == root)
        #expect(try await service.resolveIdentity("AKIAQ3EXAMPLE0000002", in: view) == user)
        #expect(try await service.resolveIdentity(CredentialFingerprint(.awsAccessKeyId, of: "AKIAQ3EXAMPLE0000002").description, in: view) == user)
        // And a near miss suggests the name
        await #expect {
            _ = try await service.resolveIdentity("bad-rol", in: view)
        } throws: { error in
            (error as? ServiceError)?.code == .notFound && "\(error)".contains("did you mean bad_role")
        }
        // And the detail lists its edges with the other end and the evidence
        let detail = try await service.detail(of: role, in: view)
        let trust = try #require(detail.edges.first { $0.kind == .canAssume })
        #expect(trust.from == "service:ec2.amazonaws.com" && trust.rule == "aws.trust" && trust.statement?.policyId == "\(role)#trust")
    }

    @Test func pruneKeepsTheNewestSnapshotsAndTheirVersions() async throws {
        // Given three daily snapshots of a changing estate
        var builder = EstateBuilder()
        builder.user("svc-a")
        let store = try RosterStore.inMemory()
        for day in 0..<3 {
            var estate = builder.estate
            estate.observedAt = estate.observedAt.addingTimeInterval(Double(day) * 86_400)
            estate.identities[0].owner = "owner-\(day)@example.com"
            _ = try await store.save([SnapshotInput(estate: estate, source: "day \(day)")])
        }
        // When only the newest is kept
        let report = try await store.prune(keep: 1)
        // Then two snapshots and the identity versions only they held are gone, and the newest is intact
        #expect(report.snapshotsDeleted == 2)
        #expect(report.versionsDeleted == 2)
        let left = try await store.snapshots(scope: nil)
        #expect(left.count == 1)
        #expect(try await store.estate(snapshot: left[0].id).identities[0].owner == "owner-2@example.com")
    }
}
