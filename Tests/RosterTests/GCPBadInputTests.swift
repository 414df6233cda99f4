import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// Broken, foreign and hostile GCP input: one clear error naming the file, the place and what was expected.
struct GCPBadInputTests {
    let accounts = GCPJSON.accounts(GCPJSON.account("svc-a"), GCPJSON.account("svc-b"))

    func error(_ files: [String: String], named: String? = nil) throws -> ConnectorError {
        try withGCPFiles(files) { dir in
            let path = named.map { dir.appendingPathComponent($0).path } ?? dir.path
            return try #require(gcpError([path]), "no error for \(files.keys.sorted())")
        }
    }

    @Test func truncatedListGivesLineAndColumn() throws {
        // Given a service-accounts list cut off after its second line
        let text = String(accounts.prefix(accounts.count - 40))
        // When it is named on the command line
        let error = try error(["p/service-accounts.json": text], named: "p/service-accounts.json")
        // Then the error is a syntax error with a line and a column
        #expect(error.code == .malformed)
        #expect(error.location?.hasPrefix("line ") == true)
        #expect(error.file.hasSuffix("p/service-accounts.json"))
    }

    @Test func wrongTypeGivesTheJSONPath() throws {
        // Given an account whose email is a number
        let text = #"[{"email": "a@p-123456.iam.gserviceaccount.com", "projectId": "p-123456"}, {"email": 42, "projectId": "p-123456"}]"#
        let error = try error(["p/sa.json": text])
        // Then the error names the member and what was expected
        #expect(error.code == .wrongShape)
        #expect(error.location == "$[1].email")
        #expect(error.message.contains("expected a string"))
    }

    @Test func badTimestampGivesItsPathAndTheExpectedForm() throws {
        let text = "[" + GCPJSON.key("svc-a", keyId: "0123456789abcdef0123456789abcdef01234567", created: "15/10/2025") + "]"
        let error = try error(["p/keys.json": text])
        #expect(error.code == .wrongShape)
        #expect(error.location == "$[0].validAfterTime")
        #expect(error.message.contains("RFC 3339"))
    }

    @Test func aRepeatedKeyIsRefused() throws {
        // Given a policy naming "bindings" twice (tools disagree on which one counts)
        let text = #"{"bindings": [{"role": "roles/viewer", "members": ["user:a@acme.com"]}], "bindings": [], "etag": "ACAB"}"#
        let error = try error(["acme-test-5150/project-iam-policy.json": text])
        #expect(error.code == .duplicateKey)
        #expect(error.location?.contains("line 1") == true)
    }

    @Test func aHugeFieldIsRefusedBeforeItIsKept() throws {
        let huge = String(repeating: "x", count: 70_000)
        let text = #"[{"email": "a@p-123456.iam.gserviceaccount.com", "projectId": "p-123456", "displayName": "\#(huge)"}]"#
        let error = try error(["p/sa.json": text])
        #expect(error.code == .tooLarge)
        #expect(error.location?.contains("$[0].displayName") == true)
    }

    @Test func byteOrderMarkAndUTF16AreRead() throws {
        // Given the same list saved with a UTF-8 BOM and as UTF-16 (PowerShell's `>`)
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data(accounts.utf8)
        var utf16 = Data([0xFF, 0xFE])
        for unit in accounts.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        try withTemporaryDirectory { dir in
            let project = dir.appendingPathComponent(GCPJSON.project)
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            try bom.write(to: project.appendingPathComponent("bom.json"))
            try utf16.write(to: project.appendingPathComponent("utf16.json"))
            // Then both import, as the same accounts
            let estate = try #require(try readGCP([dir.path], asOf: Fixture.now).estates.first)
            #expect(estate.identities.count == 2)
        }
    }

    @Test func aBrokenAssetLineIsReportedByItsLineNumber() throws {
        // Given an asset export whose third line is cut off
        let good = #"{"name":"//cloudresourcemanager.googleapis.com/projects/1","asset_type":"compute.googleapis.com/Disk","resource":{"data":{}}}"#
        let text = [good, good, String(good.prefix(60)), good].joined(separator: "\n")
        let error = try error(["assets.json": text])
        #expect(error.code == .malformed)
        #expect(error.location?.hasPrefix("line 3, column ") == true, "\(error)")
    }

    @Test func aWrongShapeInAnAssetLineGivesTheLineAndPath() throws {
        let line1 = #"{"name":"//iam.googleapis.com/projects/p-123456/serviceAccounts/1","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"email":"a@p-123456.iam.gserviceaccount.com","projectId":"p-123456"}}}"#
        let line2 = #"{"name":"//iam.googleapis.com/projects/p-123456/serviceAccounts/2","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"email":["b"]}}}"#
        let error = try error(["assets.json": line1 + "\n" + line2 + "\n"])
        #expect(error.code == .wrongShape)
        #expect(error.location == "line 2, $.resource.data.email")
    }

    @Test func aProjectPolicyWithoutAProjectIsRefused() throws {
        // Given a bare project policy in a folder that names no project, with nothing beside it
        let error = try error(["gcp/iam.json": GCPJSON.policy([("roles/owner", ["user:a@acme.com"])])])
        // Then the error says why and how to keep the files
        #expect(error.code == .inconsistent)
        #expect(error.message.contains("folder named after the project"))
    }

    @Test func aProjectTakenFromAFolderNameAloneIsSaid() throws {
        // Given a bare project policy alone in a folder whose name has the form of a project id
        let result = try withGCPFiles(["exports/iam.json": GCPJSON.policy([("roles/owner", ["serviceAccount:x@exports.iam.gserviceaccount.com"])])]) {
            try readGCP([$0.path], asOf: Fixture.now)
        }
        // Then it is read as that project's, and a warning says so, so a mistaken folder name shows
        #expect(result.estates.map(\.scope) == ["gcp:exports"])
        #expect(result.warnings.contains { $0.contains("read as the IAM policy of project exports, its folder's name") })
    }

    @Test func aPolicyNamedAfterAnAccountIdIsRefused() throws {
        // Given gh-deploy's policy saved as gh-deploy.json beside the project's accounts
        let error = try error([
            "acme-test-5150/service-accounts.json": GCPJSON.accounts(GCPJSON.account("gh-deploy")),
            "acme-test-5150/gh-deploy.json": GCPJSON.policy([("roles/iam.workloadIdentityUser", ["principalSet://iam.googleapis.com/x/*"])]),
        ])
        // Then it is not read as the project's policy (which would grant the role project-wide)
        #expect(error.code == .inconsistent)
        #expect(error.message.contains("gh-deploy@acme-test-5150.iam.gserviceaccount.com.json"))
    }

    @Test func aProjectPolicyNamedAfterItsProjectIsRead() throws {
        // Given the project policy saved as PROJECT.json beside the App Engine default account PROJECT@appspot…
        let result = try withGCPFiles([
            "acme-test-5150/sa.json": GCPJSON.accounts(GCPJSON.account("acme-test-5150@appspot.gserviceaccount.com")),
            "acme-test-5150/acme-test-5150.json": GCPJSON.policy([("roles/editor", ["serviceAccount:acme-test-5150@appspot.gserviceaccount.com"])]),
        ]) { try readGCP([$0.path], asOf: Fixture.now) }
        // Then it is the project's policy
        #expect(result.estates.first?.grants.contains { $0.policyId == "gcp:roles/editor" && $0.scope == GrantScope(.project, "acme-test-5150") } == true)
    }

    @Test func aPolicyFileNameWithAnUnknownAccountIsRefused() throws {
        // Given an account policy saved with a hyphenated prefix, which joins the account id
        let error = try error([
            "acme-test-5150/service-accounts.json": GCPJSON.accounts(GCPJSON.account("gh-deploy")),
            "acme-test-5150/policy-gh-deploy@acme-test-5150.iam.gserviceaccount.com.json": GCPJSON.policy([]),
        ])
        #expect(error.code == .inconsistent)
        #expect(error.message.contains("does not hold that account"))
    }

    @Test func twoDifferentPoliciesOfOneProjectAreRefused() throws {
        let error = try error([
            "acme-test-5150/service-accounts.json": GCPJSON.accounts(GCPJSON.account("svc-a")),
            "acme-test-5150/policy-monday.json": GCPJSON.policy([("roles/owner", ["user:a@acme.com"])]),
            "acme-test-5150/policy-tuesday.json": GCPJSON.policy([("roles/owner", ["user:b@acme.com"])]),
        ])
        #expect(error.code == .inconsistent)
        #expect(error.message.contains("second, different IAM policy of project acme-test-5150"))
    }

    @Test func oneAccountInTwoProjectsIsRefused() throws {
        let error = try error([
            "a/sa.json": #"[{"email": "x@acme-a-123456.iam.gserviceaccount.com", "projectId": "acme-a-123456"}]"#,
            "b/sa.json": #"[{"email": "x@acme-a-123456.iam.gserviceaccount.com", "projectId": "acme-b-123456"}]"#,
        ])
        #expect(error.code == .inconsistent)
    }

    @Test func aKeyFileIsNeverImportedAndItsSecretNeverQuoted() throws {
        // Given a service account key file (with a synthetic private key) among the exports
        let secret = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SYNTHETIC\\n-----END PRIVATE KEY-----\\n"
        let keyFile = #"{"type": "service_account", "project_id": "acme-test-5150", "private_key_id": "0123456789abcdef", "private_key": "\#(secret)", "client_email": "svc-a@acme-test-5150.iam.gserviceaccount.com"}"#
        try withGCPFiles(["acme-test-5150/sa.json": GCPJSON.accounts(GCPJSON.account("svc-a")), "acme-test-5150/svc-a-key.json": keyFile]) { dir in
            // When the folder is discovered, it is skipped with advice
            let found = try GCPConnector().discover([dir.path])
            let skip = try #require(found.skips.first)
            #expect(skip.path.hasSuffix("svc-a-key.json"))
            #expect(skip.reason.contains("private key"))
            #expect(!skip.reason.contains("SYNTHETIC"))
            // And named, it is the wrong kind, again without the secret
            let error = try #require(gcpError([dir.appendingPathComponent("acme-test-5150/svc-a-key.json").path]))
            #expect(error.code == .wrongKind)
            #expect(!error.description.contains("SYNTHETIC"))
        }
    }

    @Test func otherProvidersFilesAreNotTaken() throws {
        // Given AWS exports and a Kubernetes list
        let connector = GCPConnector()
        let found = try connector.discover([Fixture.acmeDir])
        // Then none is a GCP file, and named they are unrecognised
        #expect(found.files.isEmpty)
        #expect(gcpError([Fixture.path("cloudtrail.json")])?.code == .unrecognised)
        let kubernetes = #"{"apiVersion": "v1", "kind": "List", "items": [{"kind": "ServiceAccount", "metadata": {"name": "default"}}]}"#
        let jwks = #"{"keys": [{"kty": "RSA", "kid": "abc", "n": "x", "e": "AQAB"}]}"#
        try withGCPFiles(["k.json": kubernetes, "jwks.json": jwks, "empty-list.json": "[]\n"]) { dir in
            let files = try connector.discover([dir.path]).files
            #expect(files.isEmpty)
            #expect(gcpError([dir.appendingPathComponent("jwks.json").path])?.code == .unrecognised)
            #expect(gcpError([dir.appendingPathComponent("empty-list.json").path])?.code == .unrecognised)
        }
        // And the AWS connector does not take GCP files either
        #expect(try AWSConnector.discover([GCPFixture.example]).files.isEmpty)
    }

    @Test func anEmptyFileIsReportedAsEmpty() throws {
        let error = try error(["p/x.json": ""], named: "p/x.json")
        #expect(error.code == .malformed)
        #expect(error.message.contains("empty"))
    }

    @Test func anEmptyKeyListNamedAfterItsAccountIsRead() throws {
        // Given `[]` saved as the key list of an account without keys
        let result = try withGCPFiles([
            "acme-test-5150/sa.json": GCPJSON.accounts(GCPJSON.account("svc-a")),
            "acme-test-5150/keys/svc-a@acme-test-5150.iam.gserviceaccount.com.json": "[]\n",
        ]) { dir in try readGCP([dir.path], asOf: Fixture.now) }
        #expect(result.estates.first?.credentials.isEmpty == true)
    }

    @Test func hostileStringsSurviveUnchanged() throws {
        // Given a display name and description with an ANSI escape, a newline and an RTL override
        let text = #"[{"email": "svc-x@acme-test-5150.iam.gserviceaccount.com", "projectId": "acme-test-5150", "displayName": "svc-\u001b[31mred\u001b[0m", "description": "owner: \u202eteam\nops"}]"#
        let estate = try #require(try withGCPFiles(["acme-test-5150/sa.json": text]) { try readGCP([$0.path], asOf: Fixture.now) }.estates.first)
        let identity = try #require(estate.identities.first)
        #expect(identity.natureReason.contains("svc-\u{1B}[31mred\u{1B}[0m"))
        #expect(identity.owner == "\u{202E}team\nops")
    }
}
