import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// Every broken CI file gives one ``ConnectorError`` naming the file, the place and what was expected.
struct CIBadInputTests {
    /// Reads one workflow file's bytes in a fresh checkout and returns the error.
    func workflowError(_ bytes: Data) throws -> (ConnectorError, String) {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir)
            let path = checkout.root.appendingPathComponent(".github/workflows/w.yml")
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: path)
            return (try #require(ciError([checkout.root.path]), "accepted"), path.path)
        }
    }

    func workflowError(_ text: String) throws -> (ConnectorError, String) { try workflowError(Data(text.utf8)) }

    @Test func truncatedYAMLGivesLineAndColumn() throws {
        let (error, path) = try workflowError("on: push\njobs:\n  a:\n    steps:\n      - run: \"echo unterminated\n")
        #expect(error.code == .malformed)
        #expect(error.file == path)
        #expect(error.location?.hasPrefix("line ") == true)
        #expect(error.message.hasPrefix("not valid YAML"))
    }

    @Test func duplicateKeysAreRefusedWithTheirPlace() throws {
        let (error, _) = try workflowError("on: push\npermissions: read-all\njobs:\n  a:\n    steps: []\npermissions: write-all\n")
        #expect(error.code == .duplicateKey)
        #expect(error.message.contains("\"permissions\""))
        #expect(error.location == "line 2, column 1")
    }

    @Test func wrongTypesNameThePlace() throws {
        let (jobs, _) = try workflowError("on: push\njobs: [a, b]\n")
        #expect(jobs.code == .wrongShape)
        #expect(jobs.location == "line 2, column 7")
        #expect(jobs.message.contains("mapping of job ids"))
        let (permissions, _) = try workflowError("on: push\npermissions: everything\njobs:\n  a:\n    steps: []\n")
        #expect(permissions.location == "line 2, column 14")
        #expect(permissions.message.contains("read-all, write-all"))
        let (steps, _) = try workflowError("on: push\njobs:\n  a:\n    steps: run everything\n")
        #expect(steps.message.contains("\"steps\" of job \"a\" to be a list"))
    }

    @Test func aWorkflowWithoutOnIsRefused() throws {
        let (error, _) = try workflowError("jobs:\n  a:\n    steps: []\n")
        #expect(error.code == .wrongShape)
        #expect(error.message.contains("missing \"on\""))
    }

    @Test func utf16AndBOMWorkflowsAreRead() throws {
        let text = "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ secrets.X }}\n"
        for bytes in [Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!] {
            let estate = try withTemporaryDirectory { dir in
                let checkout = try CICheckoutBuilder.github(in: dir)
                try checkout.write(".github/workflows/placeholder", "")
                try bytes.write(to: checkout.root.appendingPathComponent(".github/workflows/w.yml"))
                return try readGitHub([checkout.root.path]).estates[0]
            }
            #expect(estate.credentials.map(\.preview) == ["secrets.X"])
        }
    }

    @Test func aliasBombsAreRefusedNotFollowed() throws {
        var yaml = "a0: &a0 [\"${{ secrets.X }}\", \"y\"]\n"
        for i in 1...24 { yaml += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1)]\n" }
        yaml += "on: push\njobs:\n  a:\n    env: { X: *a24 }\n    steps: []\n"
        let (error, _) = try workflowError(yaml)
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("aliases"))
    }

    @Test func hugeValuesAreRefused() throws {
        let long = String(repeating: "x", count: 10_000)
        let (error, _) = try workflowError("on: push\njobs:\n  a:\n    environment: \(long)\n    steps: []\n")
        #expect(error.code == .tooLarge)
        #expect(error.location == "line 4, column 18")
        #expect(error.message.contains("an environment name is 10000 bytes long"))
    }

    @Test func apiJSONErrorsGiveTheJSONPath() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, files: [
                "e/keys.json": #"[{"id": 1, "key": "not a key", "url": "https://api.github.com/repos/acme/api/keys/1", "title": "t", "verified": true, "read_only": false}]"#,
            ])
            let error = try #require(ciError([checkout.root.path]))
            #expect(error.location == "$[0].key")
            #expect(error.message.contains("OpenSSH public key"))
        }
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, files: ["e/s.json": #"{"total_count": 1, "secrets": [{"name": 5}]}"#])
            let error = try #require(ciError([checkout.root.path]))
            #expect(error.code == .wrongShape)
            #expect(error.location == "$.secrets[0].name")
        }
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, files: ["e/s.json": #"{"total_count": 1, "secrets": [{"name": "A", "updated_at": "yesterday"}]}"#])
            #expect(try #require(ciError([checkout.root.path])).location == "$.secrets[0].updated_at")
        }
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, files: ["e/s.json": #"{"total_count": 1, "secrets": [{"name": "A"}], "secrets": []}"#])
            #expect(try #require(ciError([checkout.root.path])).code == .duplicateKey)
        }
    }

    @Test func otherProvidersFilesAreSkippedNotRead() throws {
        try withTemporaryDirectory { dir in
            // Given AWS, Azure and GitLab JSON next to a GitHub workflow
            let checkout = try CICheckoutBuilder.github(in: dir, workflows: ["w.yml": "on: push\njobs:\n  a:\n    steps: []\n"], files: [
                "aws.json": #"{"UserDetailList": [], "RoleDetailList": []}"#,
                "azure.json": #"[{"appId": "x", "displayName": "y", "servicePrincipalType": "Application"}]"#,
                "gitlab.json": GitLabConnectorTests.variables,
                "k8s/deploy.yml": "apiVersion: apps/v1\nkind: Deployment\n",
            ])
            let github = try GitHubConnector().discover([checkout.root.path])
            #expect(github.files.map { ($0.path as NSString).lastPathComponent } == ["w.yml"])
            #expect(github.skips.count == 3)
            let gitlab = try GitLabConnector().discover([checkout.root.path])
            #expect(gitlab.files.map { ($0.path as NSString).lastPathComponent } == ["gitlab.json"])
        }
    }

    @Test func namedFilesOfAnotherKindAreUnrecognised() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("deploy.yml")
            try Data("apiVersion: v1\nkind: ServiceAccount\n".utf8).write(to: file)
            #expect(throws: ConnectorError.self) { try GitHubConnector().discover([file.path]) }
            let gitlab = dir.appendingPathComponent("vars.json")
            try Data(#"{"UserDetailList": []}"#.utf8).write(to: gitlab)
            do {
                _ = try GitLabConnector().discover([gitlab.path])
                Issue.record("accepted")
            } catch let error as ConnectorError {
                #expect(error.code == .unrecognised)
            }
        }
    }

    @Test func aSecretsListWithNoRepositoryIsRefusedByNameAndSkippedInADirectory() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("secrets.json")
            try Data(#"{"total_count": 1, "secrets": [{"name": "A", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}]}"#.utf8).write(to: file)
            let found = try GitHubConnector().discover([dir.path])
            #expect(found.files.isEmpty)
            #expect(found.skips.first?.reason.contains(".roster-repo") == true)
            let error = try #require(ciError([file.path]))
            #expect(error.code == .inconsistent)
        }
    }

    @Test func gitlabYAMLErrorsAreLocated() throws {
        try withTemporaryDirectory { dir in
            let project = CICheckoutBuilder(root: dir.appendingPathComponent("p"))
            try project.write(".roster-repo", "acme/p")
            try project.write(".gitlab-ci.yml", "deploy:\n  script:\n    - echo\n  script: again\n")
            let error = try #require(ciError([project.root.path], gitlab: true))
            #expect(error.code == .duplicateKey)
            #expect(error.location == "line 2, column 3")
        }
    }
}
