import Foundation
import RosterConnectors
import RosterModel
import Testing

/// Every way an input file can be wrong gives one ``ConnectorError`` that names the file, says
/// where in it and says what was expected.
struct BadInputTests {
    func error(_ relative: String, expected: AWSFileKind? = nil) throws -> ConnectorError {
        try #require(connectorError([Fixture.path(relative)], expected: expected), "\(relative) was accepted")
    }

    @Test func truncatedJSONGivesLineAndColumn() throws {
        // Given get-account-authorization-details output cut off inside a string on line 13
        // When it is imported
        let error = try error("bad/truncated.json")
        // Then the error names the file, the line and column, and what was expected there
        #expect(error.code == .malformed)
        #expect(error.file == Fixture.path("bad/truncated.json"))
        #expect(error.location?.hasPrefix("line 13, column ") == true, "\(error.location ?? "nil")")
        #expect(error.message.contains("expected"))
        #expect(error.message.contains("truncated"))
        #expect(error.description.hasPrefix("\(Fixture.path("bad/truncated.json")): line 13, column "))
    }

    @Test func syntaxErrorInTheMiddleGivesItsLineAndColumn() throws {
        try withTemporaryDirectory { dir in
            // Given a missing comma between two members on line 3
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data("{\n  \"UserDetailList\": [],\n  \"RoleDetailList\": [] \"Policies\": []\n}\n".utf8).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the location points at the offending token
            #expect(error.code == .malformed)
            #expect(error.location == "line 3, column 24")
            #expect(error.message.contains("expected ',' or '}'"))
            #expect(error.message.contains("found '\"'"))
        }
    }

    @Test func wrongTypeGivesTheJSONPath() throws {
        // Given a user whose UserName is a number
        let error = try error("bad/username-number.json")
        // Then the error says which field, and that a string was expected
        #expect(error.code == .wrongShape)
        #expect(error.file == Fixture.path("bad/username-number.json"))
        #expect(error.location == "$.UserDetailList[0].UserName")
        #expect(error.message.contains("expected a string"))
    }

    @Test func missingRequiredFieldGivesTheObjectsPathAndTheFieldName() throws {
        // Given a user without an Arn
        let error = try error("bad/missing-arn.json")
        // Then the error points at that user and names the field
        #expect(error.code == .wrongShape)
        #expect(error.location == "$.UserDetailList[0]")
        #expect(error.message.contains("missing required field \"Arn\""))
    }

    @Test func badTimestampGivesTheFieldsPathAndTheExpectedForm() throws {
        // Given a CreateDate written as 10/01/2025 09:00
        let error = try error("bad/bad-timestamp.json")
        // Then the error points at the field and shows the expected form
        #expect(error.code == .wrongShape)
        #expect(error.location == "$.UserDetailList[0].CreateDate")
        #expect(error.message.contains("ISO 8601"))
    }

    @Test func badPolicyDocumentGivesThePathIntoTheDocument() throws {
        try withTemporaryDirectory { dir in
            // Given an inline policy whose Effect is "Permit"
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data("""
                {"UserDetailList": [{"UserName": "svc-a", "Arn": "arn:aws:iam::123456789012:user/svc-a",
                  "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]}}]}]}
                """.utf8).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the location runs into the document to the bad field
            #expect(error.code == .wrongShape)
            #expect(error.location == "$.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Effect")
            #expect(error.message.contains("\"Allow\" or \"Deny\""))
        }
    }

    @Test func truncatedCSVRowGivesItsLineAndTheFieldCount() throws {
        // Given a credential report whose fourth line stops after five fields
        let error = try error("bad/truncated-row.csv")
        // Then the error gives the line and the expected number of fields
        #expect(error.code == .malformed)
        #expect(error.file == Fixture.path("bad/truncated-row.csv"))
        #expect(error.location == "line 4")
        #expect(error.message.contains("expected 22 fields"))
        #expect(error.message.contains("found 5"))
    }

    @Test func unclosedQuoteInCSVGivesTheLineWhereItOpened() throws {
        // Given a credential report whose third line opens a quote that never closes
        let error = try error("bad/unclosed-quote.csv")
        // Then the error gives that line
        #expect(error.code == .malformed)
        #expect(error.location == "line 3")
        #expect(error.message.contains("never closes"))
    }

    @Test func badCSVInsideACredentialReportJSONNamesTheFileAndTheCSVLine() throws {
        try withTemporaryDirectory { dir in
            // Given get-credential-report JSON whose base64 Content is a truncated CSV
            let csv = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("bad/truncated-row.csv")))
            let file = dir.appendingPathComponent("credential-report.json")
            let json = #"{"Content": "\#(csv.base64EncodedString())", "ReportFormat": "text/csv", "GeneratedTime": "2025-11-20T08:00:00+00:00"}"#
            try Data(json.utf8).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the error names the JSON file and the line inside the decoded CSV
            #expect(error.file.hasPrefix(file.path))
            #expect(error.location == "line 4")
        }
    }

    @Test func emptyFileIsReportedAsEmpty() throws {
        // Given an empty file named on the command line
        let error = try error("bad/empty.json")
        // Then the error names it and says it is empty
        #expect(error.code == .malformed)
        #expect(error.file == Fixture.path("bad/empty.json"))
        #expect(error.message.contains("empty"))
    }

    @Test func cloudTrailGivenAsAuthorizationDetailsIsTheWrongKind() throws {
        // Given a CloudTrail log passed where authorization details are expected
        let error = try error("cloudtrail.json", expected: .authorizationDetails)
        // Then the error says what the file is and what was asked for
        #expect(error.code == .wrongKind)
        #expect(error.file == Fixture.path("cloudtrail.json"))
        #expect(error.message.contains("CloudTrail"))
        #expect(error.message.contains("get-account-authorization-details"))
    }

    @Test func cloudTrailNamedOnItsOwnIsRecognisedButNotImported() throws {
        // Given a CloudTrail log named on the command line
        let error = try error("cloudtrail.json")
        // Then it is recognised, and refused with the list of what is imported
        #expect(error.code == .wrongKind)
        #expect(error.message.contains("CloudTrail"))
        #expect(error.message.contains("does not import"))
    }

    @Test func unrecognisedJSONListsWhatIsExpected() throws {
        // Given `aws sts get-caller-identity` output
        let error = try error("unrecognised.json")
        // Then the error says it is not an export Roster reads, and lists those it does
        #expect(error.code == .unrecognised)
        #expect(error.file == Fixture.path("unrecognised.json"))
        #expect(error.message.contains("get-account-authorization-details"))
        #expect(error.message.contains("credential report"))
    }

    @Test func missingFileIsUnreadable() throws {
        // Given a path to a file that does not exist
        // Then the error names it as unreadable
        let error = try error("no-such-export.json")
        #expect(error.code == .unreadable)
        #expect(error.file == Fixture.path("no-such-export.json"))
    }

    @Test func directoryWithOtherFilesSkipsThemAndImports() throws {
        try withTemporaryDirectory { dir in
            // Given a directory holding the small estate, a README.md and a CloudTrail log
            let source = Fixture.aws.appendingPathComponent("small-estate")
            let target = dir.appendingPathComponent("export")
            try FileManager.default.copyItem(at: source, to: target)
            try Data("# Exported 2025-11-20 by the platform team\n".utf8).write(to: target.appendingPathComponent("README.md"))
            try FileManager.default.copyItem(atPath: Fixture.path("cloudtrail.json"), toPath: target.appendingPathComponent("cloudtrail-2025-11-20.json").path)
            // When the directory is discovered and read
            let found = try AWSConnector.discover([target.path])
            let result = try AWSConnector().read(found.files)
            // Then the CloudTrail log is skipped, the README is ignored, and the exports import as usual
            let cloudTrail = target.appendingPathComponent("cloudtrail-2025-11-20.json").path
            #expect(found.skipped.contains(cloudTrail))
            #expect(found.files.count == 4)
            #expect(!found.files.contains { $0.path == cloudTrail || $0.path.hasSuffix("README.md") })
            #expect(result.estates.first?.identities.count == 10)
        }
    }

    @Test func hostileStringsSurviveImportUnchanged() throws {
        // Given names and tags holding an ANSI escape, a newline, an OSC title sequence and an RTL override
        let estate = try #require(try readAWS([Fixture.path("hostile")], asOf: Fixture.now).estates.first)
        // When they are imported
        let names = Set(estate.identities.map(\.name))
        // Then they are kept exactly (sanitising is the printer's job, not the model's)
        #expect(names == ["svc-\u{1B}[31mred\u{1B}[0m", "ops\nrole", "billing-\u{202E}php.exe"])
        #expect(estate.identity(named: "svc-\u{1B}[31mred\u{1B}[0m")?.owner == "\u{1B}]0;pwned\u{07}team@example.com")
    }
}
