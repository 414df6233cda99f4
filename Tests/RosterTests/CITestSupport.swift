import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import Testing

/// Builds throwaway repository checkouts for the GitHub and GitLab connector tests.
struct CICheckoutBuilder {
    let root: URL

    /// Writes `text` at `relative` under the checkout root, creating directories.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A GitHub checkout of `slug` with the given workflows (file name → YAML).
    static func github(in dir: URL, slug: String = "acme/api", folder: String = "api", workflows: [String: String] = [:],
                       files: [String: String] = [:], remote: Bool = true) throws -> CICheckoutBuilder {
        let builder = CICheckoutBuilder(root: dir.appendingPathComponent(folder))
        try FileManager.default.createDirectory(at: builder.root, withIntermediateDirectories: true)
        if remote { try builder.write(".git/config", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:\(slug).git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n") }
        for (name, text) in workflows { try builder.write(".github/workflows/\(name)", text) }
        for (name, text) in files { try builder.write(name, text) }
        return builder
    }
}

/// Reads GitHub files the way `roster import github` does.
func readGitHub(_ paths: [String], asOf: Date? = Fixture.now) throws -> ConnectorResult {
    let connector = GitHubConnector(asOf: asOf)
    return try connector.read(try connector.discover(paths).files)
}

/// Reads GitLab files the way `roster import gitlab` does.
func readGitLab(_ paths: [String], asOf: Date? = Fixture.now) throws -> ConnectorResult {
    let connector = GitLabConnector(asOf: asOf)
    return try connector.read(try connector.discover(paths).files)
}

/// The connector error reading `paths` throws, or nil.
func ciError(_ paths: [String], gitlab: Bool = false) -> ConnectorError? {
    do {
        _ = gitlab ? try readGitLab(paths) : try readGitHub(paths)
        return nil
    } catch let error as ConnectorError {
        return error
    } catch {
        return ConnectorError(.malformed, "unexpected \(error)", file: "")
    }
}

/// One workflow in a fresh checkout, read into its estate.
func githubEstate(_ workflows: [String: String], files: [String: String] = [:]) throws -> Estate {
    try withTemporaryDirectory { dir in
        let checkout = try CICheckoutBuilder.github(in: dir, workflows: workflows, files: files)
        let result = try readGitHub([checkout.root.path])
        return try #require(result.estates.first { $0.scope == "github:acme/api" })
    }
}

/// A GitLab project (`acme/platform/billing`) with a pipeline and optional variables JSON, read into its estate.
func gitlabEstate(_ pipeline: String, variables: String? = nil, files: [String: String] = [:]) throws -> Estate {
    try withTemporaryDirectory { dir in
        let project = CICheckoutBuilder(root: dir.appendingPathComponent("billing"))
        try project.write(".git/config", "[remote \"origin\"]\n\turl = git@gitlab.com:acme/platform/billing.git\n")
        try project.write(".gitlab-ci.yml", pipeline)
        if let variables { try project.write("settings/variables.json", variables) }
        for (name, text) in files { try project.write(name, text) }
        let result = try readGitLab([project.root.path])
        return try #require(result.estates.first)
    }
}

extension Estate {
    func identity(id: String) -> Identity? { identities.first { $0.id == id } }
    func edges(from id: String) -> [Edge] { edges.filter { $0.from == id } }
}
