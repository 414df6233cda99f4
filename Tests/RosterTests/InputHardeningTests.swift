import Foundation
@testable import RosterCLI
@testable import RosterConnectors
import RosterModel
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files as people really hand them over (saved by PowerShell, padded, huge, hostile, or not files
/// at all) are read when they are exports and refused, with the place and the reason, when they are not.
struct InputHardeningTests {
    static let smallEstate = Fixture.aws.appendingPathComponent("small-estate")
    static let smallDetails = Fixture.path("small-estate/authorization-details.json")

    // MARK: Policy element types

    @Test func numericActionIsAnErrorWithItsPath() throws {
        // Given a statement whose Action list holds the number 5
        let error = try #require(connectorError([Fixture.path("bad/action-number.json")]))
        // Then it is refused at that element, not read as the action "5"
        #expect(error.code == .wrongShape)
        #expect(error.location == "$.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Action[1]")
        #expect(error.message.contains("expected a string, found a number"))
    }

    @Test(arguments: [
        (#""Action": true"#, ".Action", "true or false"),
        (#""Action": {"s3": "GetObject"}"#, ".Action", "an object"),
        (#""NotAction": [["s3:GetObject"]]"#, ".NotAction[0]", "an array"),
        (#""Action": "*", "Resource": 42"#, ".Resource", "a number"),
        (#""Action": "*", "NotResource": ["arn:aws:s3:::b", null]"#, ".NotResource[1]", "null"),
        (#""Action": "*", "Principal": {"AWS": 123456789012}"#, ".Principal.AWS", "a number"),
        (#""Action": "*", "Sid": 7"#, ".Sid", "a number"),
    ])
    func nonStringPolicyElementsAreErrorsWithTheirPath(_ members: String, _ path: String, _ found: String) throws {
        // Given a statement with a number, boolean, object or nested list where strings belong
        let json = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", \#(members)}]}"#
        // When it is parsed
        do {
            _ = try policyDocument(json)
            Issue.record("accepted \(members)")
        } catch let error as AWSPolicyDocument.Invalid {
            // Then the error gives the path to the element and what was found there
            #expect(error.path == ".Statement[0]" + path)
            #expect(error.expected.contains("found \(found)"), "\(error.expected)")
        }
    }

    @Test func conditionValuesMayStillBeNumbersAndBooleans() throws {
        // Given conditions written with a boolean and a number, as IAM's grammar allows
        let document = try policyDocument(#"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
              "Condition": {"Bool": {"aws:MultiFactorAuthPresent": false}, "NumericGreaterThan": {"s3:max-keys": 10}}}]}
            """#)
        // Then they are read as text
        #expect(document.statements.first?.conditions.map(\.values) == [["false"], ["10"]])
    }

    // MARK: Invalid UTF-8

    @Test func invalidUTF8GivesTheByteOffsetLineAndColumn() throws {
        // Given authorization details whose fifth line holds the bytes 0xFF 0xFE inside a user name
        let path = Fixture.path("bad/invalid-utf8.json")
        // When it is imported
        let error = try #require(connectorError([path]))
        // Then the error names the file, the byte offset, the line and the column
        #expect(error.code == .malformed)
        #expect(error.file == path)
        #expect(error.location == "line 5, column 30")
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.message.contains("0xFF at byte offset 90"), "\(error)")
    }

    @Test(arguments: [[0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]] as [[UInt8]])
    func overlongTruncatedAndSurrogateSequencesAreInvalid(_ sequence: [UInt8]) throws {
        // Given a name holding an ill-formed UTF-8 sequence
        let data = Data(#"{"UserDetailList": [{"UserName": "a"#.utf8) + sequence + Data(#"b"}]}"#.utf8)
        // When it is checked
        let problem = try #require(JSONSyntax.check(data))
        // Then it is refused at the sequence's first byte
        #expect(problem.kind == .invalidUTF8)
        #expect(problem.offset == 35)
    }

    @Test func wellFormedUTF8IsAccepted() {
        #expect(JSONSyntax.check(Data(#"{"a": "é € 𝄞 \u00e9 \ud834\udd1e"}"#.utf8)) == nil)
    }

    // MARK: Duplicate keys

    @Test func duplicateKeyIsRefusedNamingTheKeyAndBothPlaces() throws {
        // Given a statement that says "Effect": "Deny" and, three lines on, "Effect": "Allow"
        let path = Fixture.path("bad/duplicate-effect.json")
        // When it is imported
        let error = try #require(connectorError([path]))
        // Then it is refused, naming the key, its JSON path and both lines
        #expect(error.code == .duplicateKey)
        #expect(error.file == path)
        #expect(error.location == "line 19, column 33, at $.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Effect")
        #expect(error.message.contains("\"Effect\" appears twice"))
        #expect(error.message.contains("first at line 16, column 33"))
    }

    @Test func duplicateKeyExitsWithTheBadInputCode() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // When a file with a repeated key is imported
        let code = await exitCode(of: ["import", "aws", Fixture.path("bad/duplicate-effect.json")] + workspace.options)
        // Then roster exits 2 (bad input) and stores nothing
        #expect(code == 2)
        #expect(!FileManager.default.fileExists(atPath: workspace.db))
    }

    @Test func duplicateWrittenWithAnEscapeIsStillADuplicate() throws {
        // Given "Effect" and "\u0045ffect", which every decoder reads as the same key
        let data = Data(#"{"Statement": [{"Effect": "Deny", "\u0045ffect": "Allow"}]}"#.utf8)
        // When it is checked
        let problem = try #require(JSONSyntax.check(data))
        // Then it is a duplicate
        #expect(problem.kind == .duplicateKey)
        #expect(problem.path == #"$.Statement[0].\u0045ffect"#)
    }

    @Test func duplicateInAnObjectWithManyKeysIsFound() throws {
        // Given an object of 5,000 distinct keys and then the 17th again
        var members = (0..<5000).map { #""key-\#($0)": \#($0)"# }
        members.append(#""key-16": "again""#)
        let data = Data("{\"Tags\": {\(members.joined(separator: ", "))}}".utf8)
        // When it is checked
        let problem = try #require(JSONSyntax.check(data))
        // Then the repeat is found
        #expect(problem.kind == .duplicateKey)
        #expect(problem.path == "$.Tags.key-16")
    }

    @Test func sameKeyInDifferentObjectsIsNotADuplicate() {
        // Given the same names in sibling, nested and many-keyed objects
        let many = (0..<40).map { #""k\#($0)": {"k\#($0)": {"k\#($0)": 1}}"# }.joined(separator: ", ")
        let data = Data(#"{"a": {"x": 1, "b": {"x": 2}}, "b": [{"x": 1}, {"x": 2}], "x": 3, "m": {\#(many)}}"#.utf8)
        // Then none is a duplicate
        #expect(JSONSyntax.check(data) == nil)
    }

    @Test func duplicateInsideAURLEncodedPolicyDocumentIsRefused() throws {
        try withTemporaryDirectory { dir in
            // Given raw API output whose URL-encoded trust policy repeats "Effect"
            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Effect":"Allow"}]}"#
            let encoded = try #require(trust.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data(#"""
                {"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "AssumeRolePolicyDocument": "\#(encoded)"}]}
                """#.utf8).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the error points at the document and names the key
            #expect(error.location == "$.RoleDetailList[0].AssumeRolePolicyDocument")
            #expect(error.message.contains("\"Effect\" appears twice"), "\(error)")
        }
    }

    // MARK: Field and document sizes

    func authorizationDetails(userName: String) -> Data {
        Data(#"""
            {"UserDetailList": [{"Path": "/", "UserName": "\#(userName)", "UserId": "AIDAQ3EXAMPLEHUGE001",
              "Arn": "arn:aws:iam::123456789012:user/huge", "CreateDate": "2025-01-10T09:00:00+00:00"}]}
            """#.utf8)
    }

    @Test func fieldOverTheLimitIsRefusedNamingTheFieldAndTheLimit() throws {
        try withTemporaryDirectory { dir in
            // Given a user name of 100 KiB (AWS allows 64 characters)
            let file = dir.appendingPathComponent("authorization-details.json")
            try authorizationDetails(userName: String(repeating: "a", count: 100 << 10)).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then it is refused, naming the field, its size and the limit
            #expect(error.code == .tooLarge)
            #expect(error.location == "line 1, column 47, at $.UserDetailList[0].UserName")
            #expect(error.message.contains("102400 bytes"))
            #expect(error.message.contains("limit of 64 KiB"))
        }
    }

    @Test func policyDocumentsMayBeLargerThanAFieldButNotOverTheirOwnLimit() throws {
        try withTemporaryDirectory { dir in
            // Given one inline policy of about 200 KiB and, in another file, one of about 2 MiB (AWS allows 10,240 characters)
            func export(resources: Int) -> Data {
                let list = (0..<resources).map { "\"arn:aws:s3:::bucket-\($0)/*\"" }.joined(separator: ", ")
                return Data(#"""
                    {"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u", "UserPolicyList": [{"PolicyName": "p",
                      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [\#(list)]}]}}]}]}
                    """#.utf8)
            }
            let medium = dir.appendingPathComponent("medium.json")
            try export(resources: 8_000).write(to: medium)
            let large = dir.appendingPathComponent("large.json")
            try export(resources: 80_000).write(to: large)
            // When each is imported
            // Then the first is read, and the second refused at the document with the limit
            #expect(connectorError([medium.path]) == nil)
            let error = try #require(connectorError([large.path]))
            #expect(error.code == .tooLarge)
            #expect(error.location?.hasSuffix("at $.UserDetailList[0].UserPolicyList[0].PolicyDocument") == true, "\(error)")
            #expect(error.message.contains("limit of 1 MiB for a policy document"))
        }
    }

    @Test func urlEncodedPolicyDocumentOverAFieldLimitIsRead() throws {
        try withTemporaryDirectory { dir in
            // Given raw API output whose URL-encoded trust policy is about 100 KiB (over the field limit, under the document limit)
            let principals = (0..<3000).map { "\"arn:aws:iam::123456789012:role/r\($0)\"" }.joined(separator: ",")
            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[\#(principals)]},"Action":"sts:AssumeRole"}]}"#
            let encoded = try #require(trust.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(encoded.utf8.count > 64 << 10)
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data(#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "AssumeRolePolicyDocument": "\#(encoded)"}]}"#.utf8)
                .write(to: file)
            // When it is imported
            let estate = try #require(try readAWS([file.path], asOf: Fixture.now).estates.first)
            // Then it is read
            #expect(estate.identity(named: "r").flatMap { estate.trustPolicy(of: $0.id) }?.statements.count == 1)
        }
    }

    // MARK: Encodings

    @Test func exportSavedWithAUTF8ByteOrderMarkIsRead() throws {
        // Given authorization details saved as UTF-8 with a byte order mark (Notepad, PowerShell 7's utf8BOM)
        let path = Fixture.path("encodings/authorization-details-utf8-bom.json")
        // When it is imported
        let estate = try #require(try readAWS([path], asOf: Fixture.now).estates.first)
        // Then it is read, non-ASCII text and all
        #expect(estate.identity(named: "svc-café")?.owner == "Zoë 🚀 platform@example.com")
    }

    @Test func credentialReportWithAUTF8ByteOrderMarkIsRead() throws {
        try withTemporaryDirectory { dir in
            // Given get-credential-report JSON saved with a byte order mark
            let original = try Data(contentsOf: Self.smallEstate.appendingPathComponent("credential-report.json"))
            let file = dir.appendingPathComponent("credential-report.json")
            try (Data([0xEF, 0xBB, 0xBF]) + original).write(to: file)
            // When it is discovered and read
            let found = try AWSConnector.discover([file.path])
            let result = try AWSConnector().read(found.files)
            // Then it is the credential report, as without the mark
            #expect(found.files.map(\.kind) == [.credentialReportJSON])
            #expect(result.estates.first?.observedAt == Fixture.now)
        }
    }

    @Test func exportSavedByPowerShellAsUTF16IsRead() throws {
        // Given authorization details as PowerShell 5's `>` writes them: UTF-16LE with a byte order mark, CRLF
        let path = Fixture.path("encodings/authorization-details-utf16le.json")
        // When it is imported
        let estate = try #require(try readAWS([path], asOf: Fixture.now).estates.first)
        // Then it reads as the UTF-8 original does, characters outside the BMP included
        #expect(estate.identity(named: "svc-café")?.owner == "Zoë 🚀 platform@example.com")
    }

    enum UTF16Form: String, CaseIterable {
        case littleEndianWithMark, bigEndianWithMark, littleEndianBare, bigEndianBare

        func encode(_ text: String) -> Data {
            let bigEndian = self == .bigEndianWithMark || self == .bigEndianBare
            var out = Data()
            if self == .littleEndianWithMark { out += [0xFF, 0xFE] }
            if self == .bigEndianWithMark { out += [0xFE, 0xFF] }
            for unit in text.utf16 {
                out += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            }
            return out
        }
    }

    @Test(arguments: UTF16Form.allCases)
    func utf16InEitherByteOrderReadsAsTheUTF8Original(_ form: UTF16Form) throws {
        try withTemporaryDirectory { dir in
            // Given the small estate's authorization details transcoded to UTF-16
            let text = try String(contentsOfFile: Self.smallDetails, encoding: .utf8)
            let file = dir.appendingPathComponent("authorization-details.json")
            try form.encode(text).write(to: file)
            // When it is imported
            let utf16 = try #require(try readAWS([file.path], asOf: Fixture.now).estates.first)
            // Then it gives the same identities and policies as the original
            let utf8 = try #require(try readAWS([Self.smallDetails], asOf: Fixture.now).estates.first)
            #expect(utf16.identities == utf8.identities)
            #expect(utf16.policies == utf8.policies)
        }
    }

    @Test(arguments: [UTF16Form.littleEndianWithMark, .bigEndianWithMark])
    func syntaxErrorInUTF16GivesTheLineAndColumnAnEditorShows(_ form: UTF16Form) throws {
        try withTemporaryDirectory { dir in
            // Given a UTF-16 file missing a comma on line 3, after a non-ASCII name on line 2
            let file = dir.appendingPathComponent("authorization-details.json")
            try form.encode("{\n  \"UserDetailList\": [], \"Zoë\": 1,\n  \"RoleDetailList\": [] \"Policies\": []\n}\n").write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the place is counted in characters of the file as saved, as for UTF-8
            #expect(error.code == .malformed)
            #expect(error.location == "line 3, column 24")
            #expect(error.message.contains("expected ',' or '}'"))
        }
    }

    @Test func unpairedSurrogateInUTF16GivesItsByteOffset() throws {
        try withTemporaryDirectory { dir in
            // Given UTF-16LE whose second line holds a lone high surrogate (0xD83D) where a name should be
            let file = dir.appendingPathComponent("authorization-details.json")
            var data = UTF16Form.littleEndianWithMark.encode("{\n  \"UserDetailList\": [\"")
            let offset = data.count
            data += [0x3D, 0xD8] + UTF16Form.littleEndianBare.encode("\"]}\n")
            try data.write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then the error gives the byte offset in the file and the line and column
            #expect(error.code == .malformed)
            #expect(error.file == file.path)
            #expect(error.message.contains("unpaired surrogate 0xD83D at byte offset \(offset)"), "\(error)")
            #expect(error.location == "line 2, column 23")
        }
    }

    // MARK: File size, and files that are not files

    @Test func fileOverTheSizeLimitIsRefusedNamingTheLimit() throws {
        // Given a limit of 1 KiB on files
        // When the small estate's 24 KiB authorization details are read
        #expect {
            _ = try SourceFile.read(Self.smallDetails, maxBytes: 1 << 10)
        } throws: { error in
            // Then the file is refused, with its size, the limit and how to raise it
            let error = error as? ConnectorError
            return error?.code == .tooLarge && error?.file == Self.smallDetails && error?.message.contains("limit of 1 KiB for one file") == true
                && error?.message.contains("ROSTER_MAX_FILE_BYTES") == true
        }
    }

    @Test func fileSizeLimitComesFromTheEnvironment() throws {
        try withTemporaryDirectory { dir in
            // Given ROSTER_MAX_FILE_BYTES=16K
            let db = dir.appendingPathComponent("roster.db").path
            // When the small estate (one file of 24 KiB) is imported
            let output = try runRosterBinary(["import", "aws", Self.smallEstate.path, "--db", db], in: dir, environment: ["ROSTER_MAX_FILE_BYTES": "16K"])
            // Then it exits 2, naming the file and the limit
            #expect(output.status == 2)
            #expect(output.stderr.contains("authorization-details.json: the file is 24"), "\(output.stderr)")
            #expect(output.stderr.contains("limit of 16 KiB"))
        }
    }

    @Test(arguments: ["", "lots", "-5", "12Q"])
    func badFileSizeLimitSettingIsAConfigurationError(_ setting: String) throws {
        try withTemporaryDirectory { dir in
            let output = try runRosterBinary(
                ["import", "aws", Self.smallDetails, "--db", dir.appendingPathComponent("roster.db").path], in: dir,
                environment: ["ROSTER_MAX_FILE_BYTES": setting])
            #expect(output.status == 2)
            #expect(output.stderr.contains("ROSTER_MAX_FILE_BYTES must be a number of bytes"), "\(output.stderr)")
        }
    }

    /// Runs the built `roster` with `environment` added to this process's (less its ROSTER_* settings).
    func runRosterBinary(_ arguments: [String], in dir: URL, environment: [String: String]) throws -> RosterProcess.Output {
        let process = Process()
        process.executableURL = try RosterProcess.requireExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROSTER_") }.merging(environment) { $1 }
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let handle = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return RosterProcess.Output(status: process.terminationStatus, stdout: Data(), stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Runs `body`, and if it has not returned after `seconds`, opens `fifo` for writing so a read
    /// blocked on it ends, and records the hang.
    func withoutHanging<T: Sendable>(_ seconds: Double, fifo: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = ResultBox<T>()
        Thread.detachNewThread {
            box.result = Result { try body() }
            box.done.signal()
        }
        if box.done.wait(timeout: .now() + seconds) == .timedOut {
            Issue.record("hung on the FIFO for \(seconds) s")
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            box.done.wait()
        }
        return try box.result!.get()
    }

    @Test func fifoNamedOnTheCommandLineIsRefusedAtOnce() throws {
        try withTemporaryDirectory { dir in
            // Given a named pipe with no writer, named as the export
            let fifo = dir.appendingPathComponent("authorization-details.json").path
            try #require(mkfifo(fifo, 0o644) == 0)
            // When it is imported
            let error = try withoutHanging(20, fifo: fifo) { connectorError([fifo]) }
            // Then it is refused as not a regular file, without waiting for a writer
            #expect(error?.code == .unreadable)
            #expect(error?.file == fifo)
            #expect(error?.message.contains("a named pipe (FIFO), not a regular file") == true)
        }
    }

    // MARK: Recognition

    @Test(arguments: [70 << 10, 2 << 20])
    func exportAfterMuchLeadingWhitespaceIsRecognised(_ padding: Int) throws {
        try withTemporaryDirectory { dir in
            // Given authorization details after `padding` bytes of spaces and newlines
            let file = dir.appendingPathComponent("authorization-details.json")
            let pad = Data(repeating: 0x20, count: padding - 1) + [0x0A]
            try (pad + Data(contentsOf: URL(fileURLWithPath: Self.smallDetails))).write(to: file)
            // When it is discovered and read
            let found = try AWSConnector.discover([file.path])
            let estate = try #require(try AWSConnector(asOf: Fixture.now).read(found.files).estates.first)
            // Then it is recognised and read in full
            #expect(found.files.map(\.kind) == [.authorizationDetails])
            #expect(estate.identity(named: "svc-etl") != nil)
        }
    }

    @Test func exportWhoseFirstMemberIsLargeIsStillAuthorizationDetails() throws {
        try withTemporaryDirectory { dir in
            // Given authorization details with 2 MiB of managed policies before the user list (as `jq -S` may order them)
            let policy = #"{"PolicyName": "p", "Arn": "arn:aws:iam::123456789012:policy/p", "PolicyVersionList": []}"#
            let policies = Array(repeating: policy, count: (2 << 20) / policy.utf8.count + 1).joined(separator: ",")
            let text = #"{"Policies": [\#(policies)], "UserDetailList": [], "RoleDetailList": []}"#
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data(text.utf8).write(to: file)
            // When it is discovered
            let found = try AWSConnector.discover([file.path])
            // Then it is recognised by the keys after the large one, not taken for list-policies output
            #expect(found.files.map(\.kind) == [.authorizationDetails])
        }
    }

    @Test func largeValidJSONThatIsNotAnExportIsUnrecognisedNotTruncated() throws {
        try withTemporaryDirectory { dir in
            // Given a valid 200 KiB JSON file of another tool
            let items = (0..<4000).map { #"{"id": \#($0), "name": "item-\#($0)"}"# }.joined(separator: ",\n")
            let file = dir.appendingPathComponent("inventory.json")
            try Data("{\"items\": [\n\(items)\n]}\n".utf8).write(to: file)
            // When it is named on the command line
            let error = try #require(connectorError([file.path]))
            // Then it is reported as not an AWS export, with no invented syntax error
            #expect(error.code == .unrecognised)
            #expect(error.location == nil)
            #expect(!error.message.contains("truncated"))
            #expect(error.message.contains("not an AWS IAM export"))
        }
    }

    // MARK: Directories

    func copyOfSmallEstate(in dir: URL) throws -> URL {
        let target = dir.appendingPathComponent("export")
        try FileManager.default.copyItem(at: Self.smallEstate, to: target)
        return target
    }

    @Test func fifoInADirectoryIsSkippedWithoutBeingOpened() throws {
        try withTemporaryDirectory { dir in
            // Given the small estate and a named pipe called like an export, with no writer
            let export = try copyOfSmallEstate(in: dir)
            let fifo = export.appendingPathComponent("pipe.json").path
            try #require(mkfifo(fifo, 0o644) == 0)
            // When the directory is discovered
            let found = try withoutHanging(20, fifo: fifo) { try AWSConnector.discover([export.path]) }
            // Then the pipe is skipped with a warning naming it and why, and the exports are found
            #expect(found.files.count == 4)
            #expect(found.skipped == [fifo])
            #expect(found.warnings == ["\(fifo): skipped, a named pipe (FIFO), not a regular file; it was not opened"])
        }
    }

    @Test func deviceInADirectoryIsSkippedWithAWarning() throws {
        try withTemporaryDirectory { dir in
            // Given the small estate and a link called like an export that leads to /dev/null
            let export = try copyOfSmallEstate(in: dir)
            let device = export.appendingPathComponent("null.json").path
            try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/null")
            // When the directory is discovered
            let found = try AWSConnector.discover([export.path])
            // Then it is skipped as a device, and the exports are found
            #expect(found.files.count == 4)
            #expect(found.warnings == ["\(device): skipped, a character device, not a regular file; it was not opened"])
        }
    }

    @Test func symbolicLinkLoopInADirectoryIsSkippedWithAWarning() throws {
        try withTemporaryDirectory { dir in
            // Given the small estate, a link that points at itself and a link back to the directory
            let export = try copyOfSmallEstate(in: dir)
            let loop = export.appendingPathComponent("loop.json").path
            try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop.json")
            let up = export.appendingPathComponent("access-keys/up").path
            try FileManager.default.createSymbolicLink(atPath: up, withDestinationPath: "..")
            // When the directory is discovered and read
            let found = try AWSConnector.discover([export.path])
            let result = try AWSConnector().read(found.files)
            // Then both are skipped, each with why, and the estate imports as usual
            #expect(Set(found.warnings) == [
                "\(loop): skipped, a symbolic link loop: following it leads back to itself",
                "\(up): skipped, a symbolic link to a directory, not followed (name that directory to import it)",
            ])
            #expect(found.files.count == 4)
            #expect(result.estates.first?.identities.count == 10)
        }
    }

    @Test func brokenLinkInADirectoryIsSkippedWithAWarning() throws {
        try withTemporaryDirectory { dir in
            // Given the small estate and a link to an export that was since deleted
            let export = try copyOfSmallEstate(in: dir)
            let broken = export.appendingPathComponent("old-report.csv").path
            try FileManager.default.createSymbolicLink(atPath: broken, withDestinationPath: "deleted.csv")
            // When the directory is discovered
            let found = try AWSConnector.discover([export.path])
            // Then the link is skipped, saying why
            #expect(found.files.count == 4)
            #expect(found.warnings == ["\(broken): skipped, a broken symbolic link: what it points to does not exist"])
        }
    }

    @Test func unreadableSubdirectoryIsAnErrorNamingIt() throws {
        try withTemporaryDirectory { dir in
            // Given the small estate with a subdirectory no one may list
            let export = try copyOfSmallEstate(in: dir)
            let locked = export.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
            try Data("{}".utf8).write(to: locked.appendingPathComponent("more.json"))
            try #require(chmod(locked.path, 0) == 0)
            defer { chmod(locked.path, 0o755) }
            // When the directory is discovered by an unprivileged user
            let error = asUnprivilegedUser { connectorError([export.path]) }
            // Then the import fails, naming the subdirectory, rather than leaving its exports out unsaid
            #expect(error?.code == .unreadable)
            #expect(error?.file == locked.path)
            #expect(error?.message.contains("cannot list this directory (Permission denied)") == true, "\(String(describing: error))")
        }
    }

    /// Runs `body` with this thread's file-system identity set to `nobody` when the tests run as
    /// root (as in CI), since root may list any directory. Only this thread is affected.
    func asUnprivilegedUser<T>(_ body: () -> T) -> T {
        #if os(Linux)
        guard getuid() == 0 else { return body() }
        _ = setFileSystemUser(65534)
        defer { _ = setFileSystemUser(0) }
        return body()
        #else
        return body()
        #endif
    }

    @Test func credentialReportFieldOverTheLimitIsRefusedNamingTheColumn() throws {
        try withTemporaryDirectory { dir in
            // Given a credential report whose second user's name is 100 KiB
            let lines = try String(contentsOfFile: Fixture.path("credential-report.csv"), encoding: .utf8).split(separator: "\n")
            var row = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            row[0] = String(repeating: "b", count: 100 << 10)
            let file = dir.appendingPathComponent("credential-report.csv")
            let text = ([lines[0], lines[1], Substring(row.joined(separator: ","))] + lines[3...]).joined(separator: "\n")
            try Data(text.utf8).write(to: file)
            // When it is imported
            let error = try #require(connectorError([file.path]))
            // Then it is refused at its line, naming the column and the limit
            #expect(error.code == .tooLarge)
            #expect(error.location == "line 3")
            #expect(error.message.hasPrefix("column user is 102400 bytes long, over Roster's limit of 64 KiB"))
        }
    }

    // MARK: CSV output

    @Test(arguments: [
        ("svc-\u{1B}[31mred\u{1B}[0m", #"svc-\x1B[31mred\x1B[0m"#),
        ("ops\r\nrole", #"ops\r\nrole"#),
        ("bell\u{07}", #"bell\x07"#),
        ("billing-\u{202E}php.exe", #"billing-\u202Ephp.exe"#),
        ("\u{2066}isolate\u{2069}", #"\u2066isolate\u2069"#),
        ("c1\u{9B}31m", #"c1\x9B31m"#),
        ("tab\there", #"tab\there"#),
    ])
    func csvCellsShowControlCharactersInsteadOfPassingThemOn(_ value: String, _ shown: String) {
        // Given a cell holding a terminal escape, CR/LF, BEL, a C1 control, or a bidirectional override
        // When it is written as CSV
        let cell = CSVWriter.escape(value)
        // Then each is written as a visible escape and nothing raw remains
        #expect(cell == shown)
        #expect(!cell.unicodeScalars.contains(where: Sanitize.isUnsafe))
    }

    @Test func csvStillNeutralisesFormulasAndQuotesCommas() {
        #expect(CSVWriter.escape("=HYPERLINK(\"http://x\")") == #""'=HYPERLINK(""http://x"")""#)
        #expect(CSVWriter.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.escape("-42") == "-42")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("\u{1B}=cmd") == #"\x1B=cmd"#)
        #expect(CSVWriter.escape("plain café") == "plain café")
    }

    @Test func hostileNamesInCSVOutputReachNoTerminal() async throws {
        let workspace = try CLIWorkspace()
        defer { workspace.cleanUp() }
        // Given identities whose names and tags hold terminal escapes, a newline and an RTL override
        try await runRoster(["import", "aws", Fixture.path("hostile"), "--as-of", "2025-11-20"] + workspace.options)
        // When the inventory and the findings are printed as CSV
        let inventory = try RosterProcess.run(["inventory", "--format", "csv"] + workspace.options, in: workspace.dir)
        let findings = try RosterProcess.run(["findings", "--format", "csv", "--fail-on", "none"] + workspace.options, in: workspace.dir)
        // Then no control character reaches the output, one line per row, and the names are still recognisable
        for output in [inventory, findings] {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stdout.containsTerminalControl, "\(output.text.debugDescription)")
            #expect(!output.stdout.contains(0x0D))
        }
        #expect(inventory.text.contains(#"svc-\x1B[31mred\x1B[0m"#))
        #expect(inventory.text.contains(#"billing-\u202Ephp.exe"#))
        #expect(inventory.text.contains(#"ops\nrole"#))
    }

}

/// A result handed from another thread, which the semaphore orders.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
}

#if os(Linux)
/// glibc's `setfsuid(2)`, which the Glibc module does not import: it changes the calling thread's
/// file-system user only, so the other tests running in parallel keep root's.
@_silgen_name("setfsuid")
private func setFileSystemUser(_ uid: UInt32) -> Int32
#endif
