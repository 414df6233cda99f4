import Foundation
import RosterModel
import Testing

@testable import RosterConnectors

/// Every way a credentials.xml can be wrong or hostile gives one ``ConnectorError`` naming the
/// file, the place (line and column, or the element) and what was expected; nothing is imported.
struct JenkinsBadInputTests {
    /// Writes `text` as a controller's credentials.xml and returns the error reading it gives.
    func error(_ text: String) throws -> ConnectorError {
        try withTemporaryDirectory { dir in
            let path = try JenkinsFixture.writing(text, in: dir)
            let error = try #require(JenkinsFixture.error([path]), "the file was accepted")
            #expect(error.file == path)
            return error
        }
    }

    let credential = """
                <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
                  <scope>GLOBAL</scope>
                  <id>nexus</id>
                  <username>ci</username>
                  <password>\(JenkinsFixture.encrypted)</password>
                </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
        """

    @Test func truncatedFileSaysItEndsEarlyWithLineAndColumn() throws {
        // Given a credentials.xml cut off in the middle of a credential
        let full = JenkinsFixture.store(credential)
        let error = try error(String(full.prefix(full.count * 2 / 3)))
        // Then the error says the file ends before the root element closes, with a line and column
        #expect(error.code == .malformed)
        #expect(error.message.contains("before </com.cloudbees.plugins.credentials.SystemCredentialsProvider>"))
        #expect(error.message.contains("cut off"))
        #expect(error.location?.hasPrefix("line ") == true)
        #expect(error.location?.contains("column") == true)
    }

    @Test func billionLaughsIsRefusedBeforeAnyExpansion() throws {
        // Given the "billion laughs" entity bomb in front of a valid-looking store
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE com.cloudbees.plugins.credentials.SystemCredentialsProvider [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <com.cloudbees.plugins.credentials.SystemCredentialsProvider>
              <domainCredentialsMap><entry><com.cloudbees.plugins.credentials.domains.Domain/>
                <list><com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
                  <id>&lol9;</id></com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl></list>
              </entry></domainCredentialsMap>
            </com.cloudbees.plugins.credentials.SystemCredentialsProvider>
            """
        // When it is read
        let started = Date()
        let error = try error(bomb)
        // Then the DOCTYPE is refused where it stands, at once
        #expect(error.code == .malformed)
        #expect(error.location == "line 2, column 1")
        #expect(error.message.contains("DOCTYPE"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func externalEntitiesAreNeverResolved() throws {
        // Given an external entity that would read /etc/hostname into a description
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE com.cloudbees.plugins.credentials.SystemCredentialsProvider [ <!ENTITY host SYSTEM "file:///etc/hostname"> ]>
            \(JenkinsFixture.store(credential.replacingOccurrences(of: "<username>ci</username>", with: "<username>&host;</username>"), declaration: ""))
            """
        // When it is read
        let error = try error(xxe)
        // Then it is refused, and nothing of the file it names appears
        #expect(error.code == .malformed)
        #expect(error.message.contains("DOCTYPE"))
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "\u{0}"
        #expect(!error.description.contains(hostname))
    }

    @Test func aHostileFileFoundInADirectoryIsAnErrorNotASkip() throws {
        try withTemporaryDirectory { dir in
            // Given a controller folder whose credentials.xml carries a DOCTYPE
            _ = try JenkinsFixture.writing(
                "<!DOCTYPE com.cloudbees.plugins.credentials.SystemCredentialsProvider [<!ENTITY a \"a\">]>\n"
                    + JenkinsFixture.store("", declaration: ""),
                in: dir
            )
            // When the directory is imported
            let error = try #require(JenkinsFixture.error([dir.path]))
            // Then the file is recognised as Jenkins' and refused, not passed over
            #expect(error.code == .malformed)
            #expect(error.location == "line 1, column 1")
        }
    }

    @Test func mismatchedElementGivesItsLine() throws {
        // Given a credential whose <id> is closed as </description> on line 11
        let text = JenkinsFixture.store(credential.replacingOccurrences(of: "<id>nexus</id>", with: "<id>nexus</description>"))
        let error = try error(text)
        // Then the error is a syntax error on that line
        #expect(error.code == .malformed)
        #expect(error.location?.hasPrefix("line 11, column ") == true, "\(error.location ?? "nil")")
        #expect(error.message.contains("not well-formed XML: </description> closes <id>"))
    }

    @Test func undefinedEntityIsASyntaxError() throws {
        let error = try error(JenkinsFixture.store(credential.replacingOccurrences(of: "<username>ci</username>", with: "<username>&ci;</username>")))
        #expect(error.code == .malformed)
        #expect(error.location?.hasPrefix("line 12, column ") == true, "\(error.location ?? "nil")")
    }

    @Test func namedFileOfAnotherKindSaysWhatItIs() throws {
        try withTemporaryDirectory { dir in
            // Given Jenkins' own config.xml, a Maven pom, a JSON file and an empty file, each named directly
            let config = dir.appendingPathComponent("config.xml")
            try Data("<?xml version='1.1' encoding='UTF-8'?>\n<hudson>\n  <version>2.479.1</version>\n</hudson>\n".utf8).write(to: config)
            let pom = dir.appendingPathComponent("pom.xml")
            try Data("<project xmlns=\"http://maven.apache.org/POM/4.0.0\"/>".utf8).write(to: pom)
            let json = dir.appendingPathComponent("credentials.json")
            try Data("{\"credentials\": []}".utf8).write(to: json)
            let empty = dir.appendingPathComponent("credentials.xml")
            try Data().write(to: empty)
            // Then each is refused with what it is
            let configError = try #require(JenkinsFixture.error([config.path]))
            #expect(configError.code == .wrongKind)
            #expect(configError.message.contains("root element is <hudson>"))
            #expect(try #require(JenkinsFixture.error([pom.path])).code == .wrongKind)
            let jsonError = try #require(JenkinsFixture.error([json.path]))
            #expect(jsonError.code == .unrecognised)
            #expect(jsonError.message.contains("not XML"))
            let emptyError = try #require(JenkinsFixture.error([empty.path]))
            #expect(emptyError.code == .malformed)
            #expect(emptyError.message.contains("empty"))
        }
    }

    @Test func missingCredentialsMapGivesTheElementPath() throws {
        let error = try error(
            "<com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n  <other/>\n</com.cloudbees.plugins.credentials.SystemCredentialsProvider>"
        )
        #expect(error.code == .wrongShape)
        #expect(error.location == "/com.cloudbees.plugins.credentials.SystemCredentialsProvider")
        #expect(error.message.contains("<domainCredentialsMap>"))
    }

    @Test func credentialWithoutIdGivesItsElementPath() throws {
        let error = try error(JenkinsFixture.store(credential.replacingOccurrences(of: "<id>nexus</id>", with: "")))
        #expect(error.code == .wrongShape)
        #expect(
            error.location == "/com.cloudbees.plugins.credentials.SystemCredentialsProvider/domainCredentialsMap/entry[1]"
                + "/java.util.concurrent.CopyOnWriteArrayList/com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl[1]"
        )
        #expect(error.message.contains("has no <id>"))
    }

    @Test func repeatedIdInADomainIsInconsistent() throws {
        let error = try error(JenkinsFixture.store(credential + "\n" + credential))
        #expect(error.code == .inconsistent)
        #expect(error.message.contains("\"nexus\" appears twice"))
        #expect(error.location?.hasSuffix("UsernamePasswordCredentialsImpl[2]") == true)
    }

    @Test func hugeFieldIsRefusedWithItsPlace() throws {
        let huge = String(repeating: "A", count: 70_000)
        let error = try error(
            JenkinsFixture.store(credential.replacingOccurrences(of: "<id>nexus</id>", with: "<id>nexus</id><description>\(huge)</description>"))
        )
        #expect(error.code == .tooLarge)
        #expect(error.location?.hasSuffix("UsernamePasswordCredentialsImpl[1]/description") == true)
        #expect(!error.message.contains(huge.prefix(100)))
    }

    @Test func utf16WithAByteOrderMarkIsRead() throws {
        try withTemporaryDirectory { dir in
            // Given a credentials.xml saved as UTF-16 (little-endian, with a BOM) that declares so
            let text = JenkinsFixture.store(credential, declaration: "<?xml version='1.0' encoding='UTF-16'?>\n")
            let folder = dir.appendingPathComponent("ci-utf16")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("credentials.xml").path
            try (Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!).write(to: URL(fileURLWithPath: path))
            // When it is read
            let estate = try JenkinsFixture.estate([path])
            // Then its credential is there
            #expect(estate.identities.map(\.name) == ["nexus"])
        }
    }

    @Test func anotherDeclaredEncodingIsRefused() throws {
        let error = try error(JenkinsFixture.store(credential, declaration: "<?xml version='1.0' encoding='ISO-8859-1'?>\n"))
        #expect(error.code == .malformed)
        #expect(error.message.contains("ISO-8859-1"))
        #expect(error.location == "line 1, column 1")
    }
}
