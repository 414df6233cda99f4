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
}
