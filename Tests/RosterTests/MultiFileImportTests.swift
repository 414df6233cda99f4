import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// Authorization details saved as several files (paginated exports, `--filter` runs) join into one account.
struct MultiFileImportTests {
    func write(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-multi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func managedPoliciesInOneFileApplyToPrincipalsInAnother() throws {
        // Given the Policies list in one export and the user that attaches them in another
        let dir = try write([
            "1-policies.json": """
                {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": [
                  {"PolicyName": "PowerUserAccess", "Arn": "arn:aws:iam::aws:policy/PowerUserAccess", "DefaultVersionId": "v5",
                   "PolicyVersionList": [{"VersionId": "v5", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}]}}]},
                  {"PolicyName": "ci-extra", "Arn": "arn:aws:iam::210987654321:policy/ci-extra", "DefaultVersionId": "v1",
                   "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Action": ["iam:*"], "Resource": "*"}]}}]}
                ]}
                """,
            "2-users.json": """
                {"UserDetailList": [{"Path": "/", "UserName": "ci-runner", "UserId": "AIDAEXAMPLEMULTI0001",
                  "Arn": "arn:aws:iam::210987654321:user/ci-runner", "CreateDate": "2025-01-01T00:00:00+00:00", "GroupList": [],
                  "AttachedManagedPolicies": [{"PolicyName": "PowerUserAccess", "PolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
                                              {"PolicyName": "ci-extra", "PolicyArn": "arn:aws:iam::210987654321:policy/ci-extra"}]}]}
                """,
        ])
        // When both are imported together
        let result = try AWSConnector(asOf: ISO8601DateFormatter().date(from: "2026-11-20T00:00:00Z")).read(try AWSConnector.discover([dir.path]).files)
        let estate = try #require(result.estates.first)
        // Then both policies reach the user, and PowerUser plus iam:* is judged admin
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(Set(estate.policies.map(\.name)) == ["PowerUserAccess", "ci-extra"])
        let analysis = Analyzer.run(result.estates)
        #expect(analysis.profiles.first { $0.identity.name == "ci-runner" }?.privilege.level == .admin)
    }
}

