import Foundation
import Testing

@testable import RosterConnectors

/// The XML reader under the Jenkins connector: what XStream writes is read, every other construct
/// is decoded exactly or refused with its line and column.
struct JenkinsStrictXMLTests {
    func document(_ text: String) throws -> StrictXML { try StrictXML(Data(text.utf8)) }

    /// The problem reading `text` gives, with its place.
    func problem(_ bytes: Data) -> (message: String, location: String)? {
        do {
            _ = try StrictXML(bytes)
            return nil
        } catch let problem as StrictXML.Problem {
            return (problem.message, StrictXML.location(of: problem.offset, in: bytes))
        } catch {
            return nil
        }
    }

    func problem(_ text: String) -> (message: String, location: String)? { problem(Data(text.utf8)) }

    @Test func readsElementsAttributesAndText() throws {
        let xml = try document("<?xml version='1.1' encoding='UTF-8'?>\n<a plugin=\"p@1\"><b>one</b><c class='x$y'/><b> two </b></a>")
        let root = try #require(xml.root)
        #expect(xml.name(of: root) == "a")
        #expect(xml.attribute("plugin", of: root) == "p@1")
        let children = xml.children(of: root)
        #expect(children.map { xml.name(of: $0) } == ["b", "c", "b"])
        #expect(children.map { xml.text(of: $0) } == ["one", "", " two "])
        #expect(xml.attribute("class", of: children[1]) == "x$y")
        #expect(xml.hasName(children[0], "b") && !xml.hasName(children[0], "bb"))
    }

    @Test func decodesReferencesCDATAAndSkipsCommentsInText() throws {
        let xml = try document(
            "<a><d>Ops &amp; SRE &lt;sre@acme.io&gt; &#233;&#x2713; <!-- note --><![CDATA[<raw & kept>]]></d><e a=\"&quot;q&apos;\"/></a>"
        )
        let children = xml.children(of: 0)
        #expect(xml.text(of: children[0]) == "Ops & SRE <sre@acme.io> é✓ <raw & kept>")
        #expect(xml.attribute("a", of: children[1]) == "\"q'")
    }

    @Test(arguments: [
        ("<a><b></a>", "</a> closes <b>", "line 1, column 7"),
        ("<a>&nbsp;</a>", "an undefined entity &nbsp;", "line 1, column 4"),
        ("<a>AT&T</a>", "a bare & (write &amp;)", "line 1, column 6"),
        ("<a></a><b/>", "content after the root element ends", "line 1, column 8"),
        ("hello<a/>", "text outside the root element", "line 1, column 1"),
        ("<a x='1' x='2'/>", "the same attribute appears twice in one element", "line 1, column 10"),
        ("<a x=1/>", "expected a quoted attribute value", "line 1, column 6"),
        ("<a>\n  <b>\n", "the file ends inside <b>, before </a> and 1 other closing tags: it looks cut off", "line 3, column 1"),
        ("<a>\n<!-- never closed\n</a>", "the file ends inside a comment begun here", "line 2, column 1"),
        ("<a><![CDATA[x</a>", "the file ends inside a CDATA section begun here", "line 1, column 4"),
        ("<a><!ENTITY e 'x'></a>", "a declaration inside an element", "line 1, column 4"),
        ("<!DOCTYPE a><a/>", "a DOCTYPE declaration, which Roster refuses", "line 1, column 1"),
        ("<1a/>", "expected an element or attribute name", "line 1, column 2"),
        ("", "the file is empty", "line 1, column 1"),
        ("<a>&#0;</a>", "an undefined entity &#0;", "line 1, column 4"),
    ])
    func refusesWhatIsNotWellFormed(_ text: String, _ message: String, _ location: String) throws {
        let found = try #require(problem(text), "accepted: \(text)")
        #expect(found.message == message)
        #expect(found.location == location)
    }

    @Test func refusesInvalidUTF8WithItsPlace() throws {
        let bytes = Data("<a>\n<b>caf".utf8) + Data([0xC3, 0x28]) + Data("</b></a>".utf8)
        let found = try #require(problem(bytes))
        #expect(found.message == "not valid UTF-8")
        #expect(found.location == "line 2, column 7")
    }

    @Test func refusesNestingDeeperThanTheLimitWithoutRecursing() throws {
        let depth = 100_000
        let text = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let found = try #require(problem(text))
        #expect(found.message == "elements nested deeper than 256 levels")
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = StrictXML.maxDepth
        let xml = try document(String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth))
        #expect(xml.nodes.count == depth)
        #expect(xml.text(of: depth - 1) == "x")
    }
}
