import Foundation
import RosterModel
import Testing

@testable import RosterConnectors

/// Every way a certificate file can be damaged or of the wrong kind gives one ``ConnectorError``
/// naming the file and, for PEM, the line of the block; nothing is imported.
struct X509BadInputTests {
    func error(_ relative: String) throws -> ConnectorError {
        let path = X509Fixture.file(relative)
        let error = try #require(X509Fixture.error([path]), "\(relative) was accepted")
        #expect(error.file == path)
        return error
    }

    /// Writes `text` into a folder and returns the error reading the folder gives.
    func error(writing data: Data, named name: String) throws -> ConnectorError {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent(name)
            try data.write(to: path)
            let error = try #require(X509Fixture.error([dir.path]) ?? X509Fixture.error([path.path]), "\(name) was accepted")
            #expect(error.file == path.path)
            return error
        }
    }

    @Test func truncatedPEMSaysWhichBlockNeverEnds() throws {
        // Given a PEM certificate cut off after 600 bytes
        let error = try error("broken/truncated.pem")
        #expect(error.code == .malformed)
        #expect(error.location == "line 1")
        #expect(error.message.contains("ends inside the CERTIFICATE block begun at line 1"))
    }

    @Test func damagedBase64GivesTheBlocksLine() throws {
        // Given a certificate whose base64 has a character replaced on line 3
        let error = try error("broken/bad-base64.pem")
        #expect(error.code == .malformed)
        #expect(error.location == "line 1")
        #expect(error.message.contains("the CERTIFICATE block's body is not valid base64"))
    }

    @Test func truncatedDERIsNamedAsTheFile() throws {
        // Given a DER certificate cut off after 300 bytes
        let error = try error("broken/truncated.der")
        // Then the file itself is named as not a valid certificate, with no line (DER has none)
        #expect(error.code == .malformed)
        #expect(error.location == nil)
        #expect(error.message.hasPrefix("the file is not a valid DER-encoded X.509 certificate"))
    }

    @Test func secondCertificateInABundleIsLocatedByLine() throws {
        // Given a bundle whose second certificate (from line 21) is damaged
        let good = try String(contentsOfFile: X509Fixture.file("production/payments-api.pem"), encoding: .utf8)
        var second = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        second[5] = String(repeating: "A", count: second[5].count)
        let bundle = good + second.joined(separator: "\n")
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).count
        let error = try error(writing: Data(bundle.utf8), named: "bundle.pem")
        #expect(error.code == .malformed)
        #expect(error.location == "line \(lines)")
    }

    @Test func mismatchedEndLineIsMalformed() throws {
        let text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n"
        let error = try error(writing: Data(text.utf8), named: "odd.pem")
        #expect(error.code == .malformed)
        #expect(error.location == "line 3")
        #expect(error.message.contains("ends with END PRIVATE KEY"))
    }

    @Test func namedFilesOfOtherKindsAreRefusedWithWhatTheyAre() throws {
        try withTemporaryDirectory { dir in
            let key = dir.appendingPathComponent("client.key")
            try Data("never opened".utf8).write(to: key)
            let keyOnly = dir.appendingPathComponent("client-key.pem")
            try Data("-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n".utf8).write(to: keyOnly)
            let json = dir.appendingPathComponent("cert.pem")
            try Data("{\"certificate\": null}".utf8).write(to: json)
            let empty = dir.appendingPathComponent("empty.crt")
            try Data().write(to: empty)
            let notDER = dir.appendingPathComponent("random.pem")
            try Data([0x30, 0x03, 0x02, 0x01, 0x05]).write(to: notDER)
            #expect(X509Fixture.error([key.path])?.code == .wrongKind)
            #expect(X509Fixture.error([key.path])?.message.contains("never reads private keys") == true)
            #expect(X509Fixture.error([keyOnly.path])?.code == .wrongKind)
            #expect(X509Fixture.error([json.path])?.code == .unrecognised)
            #expect(X509Fixture.error([empty.path])?.code == .malformed)
            #expect(X509Fixture.error([notDER.path])?.code == .unrecognised)
            // In a directory, none of them is an error: each is passed over (the keys, with no certificate beside them)
            let found = try X509Connector().discover([dir.path])
            #expect(found.files.isEmpty)
            #expect(found.skips.count == 5)
        }
    }

    @Test func aDERFileFoundInADirectoryThatIsBrokenIsAnError() throws {
        // Given a .der file that starts like a certificate but is cut off, in a folder
        let error = try error(writing: try Data(contentsOf: URL(fileURLWithPath: X509Fixture.file("broken/truncated.der"))), named: "client.der")
        // Then it is read as a certificate, and refused as a damaged one
        #expect(error.code == .malformed)
    }

    @Test(
        arguments: [
            ([0x30, 0x80, 0x00, 0x00], "indefinite length"),
            ([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01], "longer than the data"),
            ([0x30, 0x04, 0x3F, 0x81, 0x01, 0x00], "multi-byte tag"),
            ([0x30, 0x03, 0x02, 0x01, 0x01], "expected the signed body (tag 0x30), found tag 0x2"),
        ] as [([UInt8], String)]
    )
    func hostileDERIsRefusedWithWhatIsWrong(_ bytes: [UInt8], _ problem: String) throws {
        let error = try error(writing: Data(bytes), named: "hostile.der")
        #expect(error.code == .malformed)
        #expect(error.message.contains(problem), "\(error.message)")
    }

    @Test func trailingBytesAfterADERCertificateAreRefused() throws {
        let der = try X509Fixture.der(X509Fixture.file("production/api-server.der"))
        let error = try error(writing: Data(der + [0x00]), named: "padded.der")
        #expect(error.message.contains("unexpected data after the certificate"))
    }

    @Test(arguments: [("TWFu", [77, 97, 110]), ("TWE=", [77, 97]), ("TQ==", [77]), ("TW\nFu", [77, 97, 110])] as [(String, [UInt8])])
    func base64DecodesPaddedTextAcrossLines(_ text: String, _ bytes: [UInt8]) {
        let decoded = Array(text.utf8).withUnsafeBufferPointer { PEMFile.base64Decode($0) }
        #expect(decoded == bytes)
    }

    @Test(arguments: ["TWF", "TQ==TWFu", "TW!u", "T==="])
    func base64RefusesBadText(_ text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { PEMFile.base64Decode($0) } == nil)
    }

    @Test func deeplyNestedDERIsRefusedNotRecursedForever() throws {
        // Given 10,000 nested SEQUENCE headers, DER that a naive recursive parser would overflow the stack on
        var bytes: [UInt8] = []
        for level in 0..<10_000 {
            let remaining = (10_000 - level - 1) * 4
            bytes += [0x30, 0x82, UInt8(remaining >> 8 & 0xFF), UInt8(remaining & 0xFF)]
        }
        let error = try error(writing: Data(bytes), named: "nested.der")
        #expect(error.code == .malformed || error.code == .unrecognised)
    }
}
