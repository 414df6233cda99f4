import Foundation
import RosterModel
import RosterStore
import Testing

/// Ages are whole days, so the same content observed on a later day is a new snapshot.
struct ObservationDayTests {
    func estate(observed: Date) -> Estate {
        Estate(
            observedAt: observed, scope: "aws:210987654321",
            identities: [Identity(id: "arn:aws:iam::210987654321:user/svc", provider: .aws, kind: .iamUser, name: "svc", nature: .machine)])
    }

    @Test func sameContentSameDayIsUnchangedNextDayIsNew() async throws {
        // Given a snapshot observed in the morning
        let store = try RosterStore.inMemory()
        let morning = Date(timeIntervalSince1970: 1_763_625_600)  // 2025-11-20T08:00:00Z
        _ = try await store.save([SnapshotInput(estate: estate(observed: morning), source: "t")])
        // When the same content is observed that evening, and again the next day
        let evening = try await store.save([SnapshotInput(estate: estate(observed: morning.addingTimeInterval(10 * 3600)), source: "t")])
        let tomorrow = try await store.save([SnapshotInput(estate: estate(observed: morning.addingTimeInterval(26 * 3600)), source: "t")])
        // Then the evening import stores nothing and the next day's does
        guard case .unchanged = evening.first, case .created = tomorrow.first else {
            Issue.record("expected unchanged then created, got \(evening) and \(tomorrow)")
            return
        }
        #expect(try await store.snapshots(scope: nil).count == 2)
    }
}

/// Evidence sentences are stored as hand-written JSON; any text must come back unchanged.
struct FindingEvidenceStorageTests {
    @Test func hostileEvidenceRoundTrips() async throws {
        let evidence = ["quote \" backslash \\ slash /", "line\nbreak\ttab\r", "escape \u{1B}[31m red \u{0007}", "emoji 🔑 and RTL \u{202E}", ""]
        let finding = Finding(
            ruleId: "nhi.owner.missing", severity: .low, title: "t", owasp: .nhi1ImproperOffboarding, identityId: "id", identityName: "n",
            evidence: evidence, remediation: "r")
        let store = try RosterStore.inMemory()
        let estate = Estate(observedAt: Date(timeIntervalSince1970: 0), scope: "aws:1")
        let outcome = try #require(try await store.save([SnapshotInput(estate: estate, source: "t")]).first)
        #expect(try await store.storeAndReadFindings([finding], snapshot: outcome.snapshot.id) == [finding])
    }
}
