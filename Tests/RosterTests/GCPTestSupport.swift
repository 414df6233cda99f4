import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel

/// Where the GCP fixtures and the example estate live.
enum GCPFixture {
    static let dir = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/gcp")
    static let example = Fixture.packageRoot.appendingPathComponent("examples/estate/gcp").path
    static let exampleNow = utc("2026-11-19T21:14:05Z")

    static func path(_ relative: String) -> String { dir.appendingPathComponent(relative).path }
}

/// Discovers and reads GCP exports the way `roster import gcp` does.
func readGCP(_ paths: [String], asOf: Date? = nil) throws -> ConnectorResult {
    let connector = GCPConnector(asOf: asOf)
    return try connector.read(connector.discover(paths).files)
}

/// The error reading `paths` throws, when it is a ``ConnectorError``.
func gcpError(_ paths: [String]) -> ConnectorError? {
    do {
        _ = try readGCP(paths)
        return nil
    } catch let error as ConnectorError {
        return error
    } catch {
        return nil
    }
}

/// A project folder of gcloud output written into a temporary directory: file names (relative, may hold folders) to contents.
func withGCPFiles<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return try body(dir)
    }
}

/// Small gcloud outputs for hand-built projects (project `acme-test-5150`, number 515012345678).
enum GCPJSON {
    static let project = "acme-test-5150"
    static let number = "515012345678"

    static func email(_ id: String) -> String { id.contains("@") ? id : "\(id)@\(project).iam.gserviceaccount.com" }

    static func account(_ id: String, description: String? = nil, disabled: Bool = false) -> String {
        let email = email(id)
        var fields = [
            #""email": "\#(email)""#, #""name": "projects/\#(project)/serviceAccounts/\#(email)""#, #""projectId": "\#(project)""#,
            #""uniqueId": "1\#(String(email.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }))""#,
            #""displayName": "\#(id)""#,
        ]
        if let description { fields.append(#""description": "\#(description)""#) }
        if disabled { fields.append(#""disabled": true"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func accounts(_ items: String...) -> String { "[" + items.joined(separator: ",\n") + "]" }

    static func key(
        _ id: String, keyId: String, created: String, type: String = "USER_MANAGED", disabled: Bool = false, reason: String? = nil,
        expires: String = "9999-12-31T23:59:59Z"
    ) -> String {
        let email = email(id)
        var fields = [
            #""keyAlgorithm": "KEY_ALG_RSA_2048""#, #""keyOrigin": "GOOGLE_PROVIDED""#, #""keyType": "\#(type)""#,
            #""name": "projects/\#(project)/serviceAccounts/\#(email)/keys/\#(keyId)""#, #""validAfterTime": "\#(created)""#,
            #""validBeforeTime": "\#(expires)""#,
        ]
        if disabled { fields.append(#""disabled": true"#) }
        if let reason { fields.append(#""disableReason": "\#(reason)""#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// An IAM policy from (role, members) pairs.
    static func policy(_ bindings: [(String, [String])]) -> String {
        let list = bindings.map { role, members in
            #"{"role": "\#(role)", "members": [\#(members.map { "\"\($0)\"" }.joined(separator: ", "))]}"#
        }
        return #"{"bindings": [\#(list.joined(separator: ", "))], "etag": "BwXhqDWDy8U=", "version": 1}"#
    }

    static let describe = #"{"projectId": "acme-test-5150", "projectNumber": "515012345678", "name": "acme-test", "lifecycleState": "ACTIVE", "labels": {"env": "test"}}"#
}

extension Estate {
    func gcpIdentity(_ id: String) -> Identity? { identities.first { $0.name == GCPJSON.email(id) || $0.name == id } }
}

extension Analysis {
    /// The rule ids raised on the account `id` (an account id of the test project or a full email).
    func gcpRules(_ id: String) -> Set<String> {
        Set(findings.filter { $0.identityName == GCPJSON.email(id) || $0.identityName == id }.map(\.ruleId))
    }

    func gcpFindings(_ id: String, rule: String) -> [Finding] {
        findings.filter { ($0.identityName == GCPJSON.email(id) || $0.identityName == id) && $0.ruleId == rule }
    }
}

/// Imports a hand-built project folder and analyses it.
func analyseGCP(_ files: [String: String], policy: DetectionPolicy = .default, asOf: Date = utc("2026-11-20T00:00:00Z")) throws -> Analysis {
    try withGCPFiles(files.reduce(into: [:]) { $0["\(GCPJSON.project)/\($1.key)"] = $1.value }) { dir in
        Analyzer.run(try readGCP([dir.path], asOf: asOf).estates, policy: policy)
    }
}
