import Foundation
import Testing

@testable import RosterSecrets

/// A generated repository with secrets where history hides them: deleted since, on a branch
/// never merged, in a file renamed since, introduced by a merge's conflict resolution, and in a
/// commit message. Each must be found once, with the commit that introduced it.
@Suite struct GitHistoryTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("roster-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Dana Builder"
        environment["GIT_AUTHOR_EMAIL"] = "dana@example.org"
        environment["GIT_COMMITTER_NAME"] = "Dana Builder"
        environment["GIT_COMMITTER_EMAIL"] = "dana@example.org"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = directory
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 || arguments.contains("merge") else { throw SecretsError.input("git \(arguments) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func commit(_ message: String, date: Int) throws -> String {
        try git("add", "-A")
        try git("-c", "commit.gpgsign=false", "commit", "-q", "-m", message, "--date", "\(1_700_000_000 + date * 3600) +0000")
        return try git("rev-parse", "HEAD")
    }

    @Test func secretsInHistoryAreFoundWithTheCommitThatIntroducedThem() throws {
        try git("init", "-q", "-b", "main")
        try write("README.md", "# service\n")
        try write("old.env", "APP=billing\nDB_PASSWORD=Vq7#mZ2pLx9!\n")
        let deletedIn = try commit("initial", date: 0)
        try FileManager.default.removeItem(atPath: directory + "/old.env")
        _ = try commit("drop the env file", date: 1)

        try write("a/settings.json", #"{"type": "service_account", "private_key_id": "3f9c2a7b1e5d8046c2f1a9b7e3d5c8a1f0b2e4d6", "client_email": "deployer@acme-prod.iam.gserviceaccount.com"}"# + "\n")
        let renamedFrom = try commit("settings", date: 2)
        try FileManager.default.createDirectory(atPath: directory + "/b", withIntermediateDirectories: true)
        try git("mv", "a/settings.json", "b/settings.json")
        _ = try commit("move settings", date: 3)

        // A branch never merged.
        try git("checkout", "-q", "-b", "feature")
        try write("deploy.sh", "export AWS_ACCESS_KEY_ID=AKIA4QKZB7X2M5NPRS3T\nexport AWS_SECRET_ACCESS_KEY=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\n")
        let unmerged = try commit("deploy script", date: 4)

        // A merge whose resolution adds a secret neither side had.
        try git("checkout", "-q", "main")
        try git("checkout", "-q", "-b", "topic")
        try write("conf.txt", "mode=topic\n")
        _ = try commit("topic conf", date: 5)
        try git("checkout", "-q", "main")
        try write("conf.txt", "mode=main\n")
        _ = try commit("main conf", date: 6)
        try git("-c", "commit.gpgsign=false", "merge", "-q", "--no-edit", "topic")
        try write("conf.txt", "mode=merged\nCLIENT_SECRET=q8Zr2Lm5Xv9Tk3Wn7Bc1\n")
        try git("add", "-A")
        try git("-c", "commit.gpgsign=false", "commit", "-q", "--no-edit", "--date", "\(1_700_000_000 + 7 * 3600) +0000")
        let merge = try git("rev-parse", "HEAD")

        // A commit message.
        try write("notes.txt", "rotate keys\n")
        let messaged = try commit("temporary creds\n\napi_key: \"a7Fk29Lq0Zx8Mv3Rt6Wp\"", date: 8)

        let scan = GitHistoryScan(scanner: try SecretScanner(rules: SecretRules.all), repository: directory)
        let (matches, statistics) = try scan.scan()
        let findings = SecretReport.findings(matches, rules: SecretRules.all)
        #expect(findings.count == 5, "\(findings.map { "\($0.rule) \($0.path)" })")
        #expect(statistics.commits == 9)

        func finding(_ rule: String) -> SecretFinding? { findings.first { $0.rule == rule } }
        #expect(finding("generic.password")?.commit?.sha == deletedIn)
        #expect(finding("generic.password")?.path == "old.env")
        #expect(finding("generic.password")?.line == 2)
        #expect(finding("gcp.service-account-key")?.commit?.sha == renamedFrom)
        #expect(finding("gcp.service-account-key")?.path == "a/settings.json")
        #expect(finding("aws.access-key-id")?.commit?.sha == unmerged)
        #expect(finding("aws.access-key-id")?.paired != nil)
        #expect(finding("generic.secret")?.commit?.sha == merge || findings.filter { $0.rule == "generic.secret" }.contains { $0.commit?.sha == merge })
        let message = findings.first { $0.commit?.inMessage == true }
        #expect(message?.commit?.sha == messaged)
        #expect(message?.commit?.email == "dana@example.org")
        #expect(finding("gcp.service-account-key")?.commit?.author == "Dana Builder")

        // Only what `feature` adds over `main`: the deploy script.
        var range = GitHistoryScan(scanner: try SecretScanner(rules: SecretRules.all), repository: directory)
        range.from = "main"
        range.to = "feature"
        let added = SecretReport.findings(try range.scan().matches, rules: SecretRules.all)
        #expect(added.map(\.rule) == ["aws.access-key-id"])
        #expect(added.first?.commit?.sha == unmerged)
    }

    @Test func aFolderThatIsNotARepositoryIsAClearError() throws {
        let scan = GitHistoryScan(scanner: try SecretScanner(rules: SecretRules.all), repository: directory)
        #expect(throws: SecretsError.self) { try scan.scan() }
    }
}
