import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// Items 5 (IsTruncated) and 7 (observation time), through the connector's public API.
struct AWSImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aws")

    static func read(_ relative: String, asOf: Date? = nil) throws -> AWSConnector.Result {
        let path = fixtures.appendingPathComponent(relative).path
        return try AWSConnector(asOf: asOf).read([AWSConnector.InputFile(path: path, kind: .authorizationDetails)])
    }

    @Test func truncatedExportIsAWarningNamingTheFile() throws {
        let result = try Self.read("truncated-export/authorization-details.json")
        #expect(result.warnings.contains {
            $0.contains("truncated-export/authorization-details.json") && $0.contains("IsTruncated is true") && $0.contains("--max-items")
        })
        // and the policy on a later page makes the user's privilege unknown, not none
        let analysis = Analyzer.run(result.estates)
        #expect(analysis.profiles.first { $0.identity.name == "svc-first-page" }?.privilege.level == .unknown)
    }

    @Test func observationTimeComesFromTheNewestTimestampInTheData() throws {
        // Given an export without a credential report, whose newest timestamp is a role's last use
        let result = try Self.read("observation-time/authorization-details.json")
        let lastUse = try #require(ISO8601DateFormatter().date(from: "2025-10-02T06:30:00Z"))
        // Then that is the observation time, whatever the file's modification time, and a warning says so
        #expect(result.estates.map(\.observedAt) == [lastUse])
        #expect(result.warnings.contains { $0.contains("RoleLastUsed of role nightly-batch") && $0.contains("--as-of") })
        // And --as-of still wins
        let asOf = try #require(ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z"))
        #expect(try Self.read("observation-time/authorization-details.json", asOf: asOf).estates.map(\.observedAt) == [asOf])
    }
}
