import RosterAnalysis
import RosterModel
import Testing

struct DiffTests {
    static func finding(_ rule: String, on name: String, credential: String? = nil) -> Finding {
        Finding(
            ruleId: rule, severity: .medium, title: rule, owasp: .nhi1ImproperOffboarding, identityId: "arn:aws:iam::123456789012:user/\(name)",
            identityName: name, credentialId: credential, evidence: ["fact"], remediation: "fix")
    }

    func baseline() -> EstateBuilder {
        var b = EstateBuilder()
        let etl = b.user("svc-etl")
        b.key("AKIAQ3EXAMPLEETL0001", of: etl, createdDaysAgo: 30)
        b.attach(Policies.s3ReadOnly, to: etl)
        b.user("svc-old")
        b.user("svc-steady")
        return b
    }

    @Test func identicalEstatesHaveNoDifferences() {
        // Given the same estate and findings twice
        // Then the diff is empty
        let estate = baseline().estate
        let diff = EstateDiff.between(estate, estate, oldFindings: [Self.finding("nhi.unused", on: "svc-old")], newFindings: [Self.finding("nhi.unused", on: "svc-old")])
        #expect(diff.isEmpty)
    }

    @Test func addedRemovedAndChangedIdentitiesAreReported() throws {
        // Given a snapshot, and a later one where svc-old is gone, svc-new appeared, and svc-etl changed
        let old = baseline().estate
        var later = baseline()
        later.estate.identities.removeAll { $0.name == "svc-old" }
        later.user("svc-new")
        let etlIndex = try #require(later.estate.identities.firstIndex { $0.name == "svc-etl" })
        later.estate.identities[etlIndex].owner = "data-platform@example.com"
        later.estate.identities[etlIndex].lastUsedAt = Fixture.now
        later.estate.credentials[0].status = .inactive
        later.attach(Policies.administratorAccess, to: later.estate.identities[etlIndex].id)
        // When they are compared
        let diff = EstateDiff.between(old, later.estate, oldFindings: [], newFindings: [])
        // Then each kind of change is listed once
        #expect(diff.addedIdentities.map(\.name) == ["svc-new"])
        #expect(diff.removedIdentities.map(\.name) == ["svc-old"])
        #expect(diff.changedIdentities.map(\.name) == ["svc-etl"])
        let fields = try #require(diff.changedIdentities.first).fields
        #expect(fields.contains("owner"))
        #expect(fields.contains("last used"))
        #expect(fields.contains("policies"))
        #expect(fields.contains("AKIA…0001 active→inactive"))
        #expect(!diff.isEmpty)
    }

    @Test func addedAndRemovedCredentialsAreReported() {
        // Given svc-etl's key replaced by a new one
        // Then one credential is added and one removed
        let old = baseline().estate
        var later = baseline()
        later.estate.credentials.removeAll()
        later.key("AKIAQ3EXAMPLEETL0002", of: "arn:aws:iam::123456789012:user/svc-etl", createdDaysAgo: 1)
        let diff = EstateDiff.between(old, later.estate, oldFindings: [], newFindings: [])
        #expect(diff.addedCredentials.map(\.id) == ["AKIAQ3EXAMPLEETL0002"])
        #expect(diff.removedCredentials.map(\.id) == ["AKIAQ3EXAMPLEETL0001"])
    }

    @Test func newAndResolvedFindingsAreMatchedByRuleIdentityAndCredential() {
        // Given findings before and after
        let estate = baseline().estate
        let kept = Self.finding("nhi.unused", on: "svc-old")
        let resolved = Self.finding("aws.access-key.not-rotated", on: "svc-etl", credential: "AKIAQ3EXAMPLEETL0001")
        let new = Self.finding("aws.access-key.not-rotated", on: "svc-etl", credential: "AKIAQ3EXAMPLEETL0002")
        var reworded = kept
        reworded.evidence = ["another sentence for the same problem"]
        // When they are compared
        let diff = EstateDiff.between(estate, estate, oldFindings: [kept, resolved], newFindings: [reworded, new])
        // Then a finding on another key is new, the old key's is resolved, and rewording is not a change
        #expect(diff.newFindings == [new])
        #expect(diff.resolvedFindings == [resolved])
    }
}
