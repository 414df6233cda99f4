import Foundation
import RosterModel
import RosterStore
import Testing

/// Importing the very same files again is recognised from their bytes, before any parsing.
struct ReimportTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/aws-acme").path

    @Test func sameFilesAreRecognisedAndAChangeInBetweenIsNot() async throws {
        // Given the example imported once
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        try await runRoster(["import", "aws", Self.example] + workspace.options)
        let first = try await RosterStore.open(at: workspace.db).snapshots(scope: nil)
        #expect(first.count == 1)
        #expect(first.first?.inputDigest != nil)
        // When the same files are imported again
        try await runRoster(["import", "aws", Self.example] + workspace.options)
        // Then nothing is stored
        #expect(try await RosterStore.open(at: workspace.db).snapshots(scope: nil).count == 1)

        // And when other content for the same account comes in between, the first files are new again
        let changed = workspace.dir.appendingPathComponent("changed")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.example), to: changed)
        let details = changed.appendingPathComponent("authorization-details.json")
        let text = try String(contentsOf: details, encoding: .utf8).replacingOccurrences(of: "\"svc-vendor-sftp\"", with: "\"svc-vendor-sftp2\"")
        try text.write(to: details, atomically: true, encoding: .utf8)
        try await runRoster(["import", "aws", changed.path] + workspace.options)
        try await runRoster(["import", "aws", Self.example] + workspace.options)
        #expect(try await RosterStore.open(at: workspace.db).snapshots(scope: nil).count == 3)
    }
}
