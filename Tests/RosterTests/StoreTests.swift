import Foundation
import RosterConnectors
import RosterModel
import RosterStore
import Testing

struct StoreTests {
    /// The same snapshot: equal in every field, with times equal to the microsecond (they pass through a Double of seconds since 1970).
    func same(_ a: SnapshotInfo, _ b: SnapshotInfo) -> Bool {
        a.id == b.id && a.scope == b.scope && a.source == b.source && a.digest == b.digest && a.identityCount == b.identityCount
            && a.credentialCount == b.credentialCount && abs(a.takenAt.timeIntervalSince(b.takenAt)) < 1e-6
            && abs(a.observedAt.timeIntervalSince(b.observedAt)) < 1e-6
    }

    /// An estate using every model type with every optional field set.
    static func fullEstate(scope: String = "aws:123456789012") throws -> Estate {
        let user = Identity(
            id: "arn:aws:iam::123456789012:user/service/svc-etl", provider: .aws, kind: .iamUser, name: "svc-etl",
            nativeId: "AIDAQ3EXAMPLEETL0USR", account: "123456789012", path: "/service/", environment: "prod",
            owner: "data-platform@example.com", tags: ["owner": "data-platform@example.com", "env": "prod"],
            createdAt: utc("2025-01-10T09:00:00Z"), lastUsedAt: utc("2025-11-20T06:45:00Z"), lastUsedDetail: "s3 in eu-west-1",
            usageTracked: true, nature: .machine, natureReason: "no console password: it can only sign in programmatically",
            console: ConsoleAccess(passwordEnabled: true, mfaActive: false, passwordLastUsedAt: utc("2025-11-02T16:40:00Z"),
                                   passwordLastChangedAt: utc("2024-05-01T09:00:00Z")),
            managedBy: "aws")
        let role = Identity(id: "arn:aws:iam::123456789012:role/app-ec2", provider: .aws, kind: .iamRole, name: "app-ec2")
        let key = Credential(
            id: "AKIAQ3EXAMPLEETL0001", identityId: user.id, kind: .accessKey, status: .inactive, createdAt: utc("2025-10-01T12:00:00Z"),
            lastRotatedAt: utc("2025-10-02T12:00:00Z"), lastUsedAt: utc("2025-11-20T06:45:00Z"), lastUsedDetail: "s3 in eu-west-1",
            usageTracked: true, expiresAt: utc("2026-10-01T12:00:00Z"),
            fingerprint: "aws.access-key-id:sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", preview: "AKIA…0001")
        let trust = Policy(id: "\(user.id)#trust", name: "svc-etl trust policy", kind: .trust, document: 
try policyDocument(#"""
                {"Version": "2012-10-17", "Statement": [{"Sid": "Vendor", "Effect": "Allow",
                  "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com",
                                "Federated": "arn:aws:iam::123456789012:saml-provider/Okta", "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
                  "Action": ["sts:AssumeRole"], "Condition": {"StringEquals": {"sts:ExternalId": ["ex-1", "ex-2"]}}}]}
                """#))
        let gcpRole = Policy(id: "projects/p/roles/custom", name: "custom", provider: .gcp, kind: .customerManaged,
                             body: .gcpRole(permissions: ["iam.serviceAccounts.actAs"]))
        let notPrincipal = Policy(
            id: "arn:aws:iam::123456789012:policy/deny-outsiders", name: "deny-outsiders", provider: .aws, kind: .customerManaged,
            document: try policyDocument(#"""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "DenyOthers", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/app-ec2"},
                   "NotAction": "s3:GetObject", "NotResource": ["arn:aws:s3:::public/*"],
                   "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/*"]},
                                 "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
                  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
                """#))
        return Estate(
            observedAt: utc("2025-11-20T08:00:00Z"), scope: scope, identities: [user, role], credentials: [key],
            policies: [notPrincipal, Policies.administratorAccess, trust, gcpRole],
            grants: [
                Grant(subjectId: user.id, policyId: trust.id, via: .trust),
                Grant(subjectId: "serviceAccount:ci@p.iam.gserviceaccount.com", policyId: gcpRole.id, via: .binding,
                      scope: GrantScope(.project, "p"), condition: "request.time < timestamp('2027-01-01T00:00:00Z')"),
                Grant(subjectId: user.id, policyId: notPrincipal.id, via: .attached),
                Grant(subjectId: user.id, policyId: "arn:aws:iam::123456789012:policy/boundaries/data-boundary", via: .boundary),
                Grant(subjectId: role.id, policyId: "\(role.id)#inline/x", via: .inline),
            ],
            resources: [Resource(
                id: "arn:aws:iam::123456789012:group/Readers", provider: .aws, type: "aws.iam.group", name: "Readers",
                account: "123456789012", attributes: ["path": "/", "groupId": "AGPAQ3EXAMPLEREADERS"])],
            edges: [
                Edge(from: user.id, to: "arn:aws:iam::123456789012:group/Readers", kind: .memberOf, rule: "aws.import", reason: "member"),
                Edge(from: "arn:aws:iam::123456789012:instance-profile/app-ec2", to: role.id, kind: .carries, rule: "aws.import"),
                Edge(from: "service:ec2.amazonaws.com", to: role.id, kind: .canAssume, rule: "aws.trust", conditions: ["StringEquals aws:SourceAccount = 123456789012"], statement: StatementRef(policyId: "\(role.id)#trust", index: 0, sid: "ec2")),
            ])
    }

    static let finding = Finding(
        ruleId: "aws.access-key.not-rotated", severity: .high, title: "Access key not rotated", owasp: .nhi7LongLivedSecrets,
        identityId: "arn:aws:iam::123456789012:user/service/svc-etl", identityName: "svc-etl", credentialId: "AKIAQ3EXAMPLEETL0001",
        evidence: ["access key AKIA…0001 created 2025-10-01, 400 days old (limit 90)", "last used 2025-11-20"],
        remediation: "Rotate the key.")

    @Test func everyModelTypeRoundTrips() async throws {
        // Given a fresh store and an estate using every model type with every optional set
        let store = try RosterStore.inMemory()
        let estate = try Self.fullEstate()
        let other = Finding(
            ruleId: "nhi.owner.missing", severity: .low, title: "Machine identity has no owner", owasp: .nhi1ImproperOffboarding,
            identityId: "arn:aws:iam::123456789012:role/app-ec2", identityName: "app-ec2", evidence: ["no tags at all"], remediation: "Tag it.")
        // When it is saved and read back
        let outcome = try #require(try await store.save([SnapshotInput(estate: estate, source: "Tests/Fixtures")]).first)
        guard case .created(let info) = outcome else {
            Issue.record("expected a new snapshot, got \(outcome)")
            return
        }
        // Then everything comes back equal, and the snapshot describes it
        #expect(try await store.estate(snapshot: info.id) == estate.sorted())
        // (read back in queue order: by identity risk, then identity, then severity)
        #expect(Set(try await store.storeAndReadFindings([Self.finding, other], snapshot: info.id)) == [Self.finding, other])
        #expect(info.scope == "aws:123456789012")
        #expect(info.identityCount == 2)
        #expect(info.credentialCount == 1)
        #expect(info.observedAt == estate.observedAt)
        #expect(info.source == "Tests/Fixtures")
        #expect(info.digest.count == 64)
        #expect(try await store.snapshots(scope: nil).map(\.id) == [info.id])
        #expect(try await store.snapshots(scope: nil).first.map { same($0, info) } == true)
    }

    @Test func importedEstateRoundTrips() async throws {
        // Given the small estate as the connector maps it
        let store = try RosterStore.inMemory()
        let estate = try #require(try readAWS([Fixture.path("small-estate")]).estates.first)
        // When it is saved and read back
        let info = try #require(try await store.save([SnapshotInput(estate: estate, source: "small-estate")]).first).snapshot
        // Then it is the same estate
        #expect(try await store.estate(snapshot: info.id) == estate.sorted())
    }

    @Test func savingTheSameEstateAgainStoresNothing() async throws {
        // Given a store holding one snapshot
        let store = try RosterStore.inMemory()
        let estate = try Self.fullEstate()
        let first = try await store.save([SnapshotInput(estate: estate, source: "a")])
        // When the same estate is saved again, with its collections in another order
        var shuffled = estate
        shuffled.identities.reverse()
        shuffled.edges.reverse()
        let second = try await store.save([SnapshotInput(estate: shuffled, source: "b")])
        // Then it is unchanged, pointing at the first snapshot, and no snapshot is added
        guard case .unchanged(let unchanged)? = second.first else {
            Issue.record("expected .unchanged, got \(second)")
            return
        }
        #expect(same(unchanged, first[0].snapshot))
        #expect(try await store.snapshots(scope: nil).count == 1)
    }

    @Test func savingAChangedEstateCreatesASnapshot() async throws {
        let store = try RosterStore.inMemory()
        var estate = try Self.fullEstate()
        let first = try await store.save([SnapshotInput(estate: estate, source: "a")])[0].snapshot
        // When an owner changes
        estate.identities[0].owner = "new-owner@example.com"
        let second = try #require(try await store.save([SnapshotInput(estate: estate, source: "a")]).first)
        // Then a new snapshot is created with a new digest
        guard case .created(let info) = second else {
            Issue.record("expected .created, got \(second)")
            return
        }
        #expect(info.id != first.id)
        #expect(info.digest != first.digest)
        #expect(try await store.snapshots(scope: nil).map(\.id) == [first.id, info.id])
        #expect(try await store.latestSnapshots().map(\.id) == [info.id])
    }

    @Test func snapshotsAreKeptPerScope() async throws {
        let store = try RosterStore.inMemory()
        // Given two accounts saved in one batch
        let outcomes = try await store.save([
            SnapshotInput(estate: try Self.fullEstate(scope: "aws:123456789012"), source: "a"),
            SnapshotInput(estate: try Self.fullEstate(scope: "aws:444455556666"), source: "a"),
        ])
        // Then each has its own snapshot
        #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } })
        #expect(try await store.snapshots(scope: "aws:444455556666").map(\.scope) == ["aws:444455556666"])
        #expect(try await store.latestSnapshots().map(\.scope) == ["aws:123456789012", "aws:444455556666"])
    }

    @Test func aFailedBatchWritesNothing() async throws {
        // Given a store with one snapshot, and a batch whose second estate has two identities with the same id
        let store = try RosterStore.inMemory()
        let before = try await store.save([SnapshotInput(estate: try Self.fullEstate(scope: "aws:100000000001"), source: "old")])
        let good = try Self.fullEstate(scope: "aws:123456789012")
        var broken = try Self.fullEstate(scope: "aws:444455556666")
        broken.identities.append(broken.identities[0])
        // When the batch is saved
        await #expect {
            _ = try await store.save([
                SnapshotInput(estate: good, source: "batch"),
                SnapshotInput(estate: broken, source: "batch"),
            ])
        } throws: { error in
            (error as? StoreError)?.code == .writeFailed && "\(error)".contains("nothing was written")
        }
        // Then not even the first, valid estate was written: the store is as it was
        #expect(try await store.snapshots(scope: nil).map(\.id) == [before[0].snapshot.id])
        #expect(try await store.snapshots(scope: "aws:123456789012").isEmpty)
    }

    @Test func aMissingSnapshotIsNotFound() async throws {
        // Given an empty store
        // Then asking for a snapshot is a not-found StoreError
        let store = try RosterStore.inMemory()
        await #expect {
            _ = try await store.estate(snapshot: 42)
        } throws: { error in
            (error as? StoreError)?.code == .notFound
        }
    }

    @Test func snapshotsPersistInAFile() async throws {
        try await withTemporaryDirectory { dir in
            // Given a database file written by one store
            let path = dir.appendingPathComponent("roster.db").path
            let saved = try await RosterStore.open(at: path).save([SnapshotInput(estate: try Self.fullEstate(), source: "a")])
            // When it is opened again
            let reopened = try RosterStore.open(at: path)
            // Then the snapshot and its findings are there
            let stored = try await reopened.snapshots(scope: nil)
            #expect(stored.count == 1)
            #expect(stored.first.map { same($0, saved[0].snapshot) } == true)
            #expect(try await reopened.testFindings(snapshot: saved[0].snapshot.id).contains { $0.ruleId == "aws.nhi.console-password" })
        }
    }

    @Test func aFileThatIsNotADatabaseIsAStoreError() async throws {
        try withTemporaryDirectory { dir in
            // Given a text file where the database should be
            let path = dir.appendingPathComponent("roster.db").path
            try Data(String(repeating: "user,arn,user_creation_time\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
            // When it is opened as the store
            // Then a StoreError names the file and says it is not a Roster database
            #expect {
                _ = try RosterStore.open(at: path)
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.code == .corrupt && error.message.contains(path) && error.message.contains("not a Roster database")
            }
        }
    }

    @Test func observedAtWithFractionalSecondsRoundTrips() async throws {
        // Given an estate observed at an instant with a fraction of a second (as `Date()` is when no report or
        // --as-of dates the import)
        let store = try RosterStore.inMemory()
        var estate = try Self.fullEstate()
        estate.observedAt = Date(timeIntervalSinceReferenceDate: 785_318_400.0 + 0.1 + 0.012_345_6)
        // When it is saved and read back
        let info = try await store.save([SnapshotInput(estate: estate, source: "a")])[0].snapshot
        let stored = try await store.estate(snapshot: info.id)
        // Then it is within a microsecond
        #expect(abs(stored.observedAt.timeIntervalSince(estate.observedAt)) < 1e-6)
        // And the estate is equal, as for whole seconds
        #expect(stored.observedAt == estate.observedAt)
        #expect(stored == estate.sorted())
    }
}
