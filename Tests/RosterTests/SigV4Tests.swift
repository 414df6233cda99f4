import Foundation
import RosterConnectors
import Testing

/// SigV4 against the published AWS test vectors (aws-sig-v4-test-suite and the IAM signing walkthrough).
struct SigV4Tests {
    let example = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", source: "test vector")
    let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    @Test func amzDateFormat() {
        #expect(SigV4Signer.amzDate(date) == "20150830T123600Z")
    }

    @Test func getVanillaCanonicalRequestStringToSignAndSignature() throws {
        // Given the suite's get-vanilla request
        let signer = SigV4Signer(credentials: example, region: "us-east-1", service: "service")
        let url = try #require(URL(string: "https://example.amazonaws.com/"))
        // When it is canonicalised and signed
        let canonical = signer.canonicalRequest(
            method: "GET", url: url, headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], body: Data())
        let toSign = signer.stringToSign(canonicalRequest: canonical.text, amzDate: "20150830T123600Z")
        let headers = signer.signedHeaders(method: "GET", url: url, headers: [("Host", "example.amazonaws.com")], body: Data(), date: date)
        // Then every step matches the published values
        #expect(canonical.text == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(toSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
        #expect(SigV4Signer.hex(signer.signingKey(date: "20150830")) == "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75")
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func sessionTokenIsSignedAsAHeader() throws {
        // Given temporary credentials (get-vanilla-with-session-token)
        var credentials = example
        credentials.sessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        // When signed
        let headers = signer.signedHeaders(
            method: "GET", url: try #require(URL(string: "https://example.amazonaws.com/")), headers: [("Host", "example.amazonaws.com")], body: Data(), date: date)
        // Then the token is sent and signed
        #expect(headers.contains { $0.0 == "X-Amz-Security-Token" && $0.1 == credentials.sessionToken })
        let authorization = try #require(headers.first { $0.0 == "Authorization" }?.1)
        #expect(authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"))
        #expect(authorization.hasSuffix("Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"))
    }

    @Test func iamListUsersExampleFromTheSigningDocumentation() throws {
        // Given the documentation's GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08
        let signer = SigV4Signer(credentials: example, region: "us-east-1", service: "iam")
        let url = try #require(URL(string: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"))
        let headers = signer.signedHeaders(
            method: "GET", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com")],
            body: Data(), date: date)
        let canonical = signer.canonicalRequest(method: "GET", url: url, headers: headers.filter { $0.0 != "Authorization" }, body: Data())
        // Then the canonical query, the key and the signature are the documented ones
        #expect(canonical.text.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Action=ListUsers&Version=2010-05-08")
        #expect(SigV4Signer.hex(signer.signingKey(date: "20150830")) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        let authorization = try #require(headers.first { $0.0 == "Authorization" }?.1)
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test(arguments: [("a b", "a%20b"), ("a+b", "a%2Bb"), ("~-_.", "~-_."), ("arn:aws:iam::1:role/x", "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx"), ("é", "%C3%A9")])
    func uriEncodingFollowsRFC3986(_ input: String, _ expected: String) {
        #expect(SigV4Signer.encode(input) == expected)
    }

    @Test func credentialsNeverPrintTheirSecret() {
        #expect(!"\(example)".contains(example.secretAccessKey))
        #expect("\(example)".contains("AKID…MPLE"))
    }
}
