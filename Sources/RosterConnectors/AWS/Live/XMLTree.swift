import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: enough of XML for AWS Query API responses.
struct XMLElement: Sendable {
    var name: String
    var text: String
    var children: [XMLElement]

    /// The first child with this name.
    subscript(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// The text of the first child with this name, nil when absent.
    func text(_ name: String) -> String? { self[name]?.text }

    /// The `<member>` elements of a list child (`<Users><member>…</member></Users>`).
    func members(_ name: String) -> [XMLElement] { self[name]?.children.filter { $0.name == "member" } ?? [] }

    /// The first element with this name at any depth, this one included.
    func first(_ name: String) -> XMLElement? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// Parses an AWS Query API response; nil when it is not XML Roster accepts.
    ///
    /// `--endpoint-url` can point anywhere, and Foundation's parser expands entities, so a
    /// document type declaration (the vehicle of entity expansion and external entities) is
    /// refused before parsing: AWS never sends one.
    static func parse(_ data: Data) -> XMLElement? {
        if declaresDocumentType(data) { return nil }
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    /// Whether the bytes hold `<!DOCTYPE` or `<!ENTITY`, in any case.
    static func declaresDocumentType(_ data: Data) -> Bool {
        let markers: [[UInt8]] = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8)]
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard bytes.count >= 8 else { return false }
            for i in 0..<(bytes.count - 7) where bytes[i] == UInt8(ascii: "<") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "!") {
                for marker in markers where i + marker.count <= bytes.count {
                    var same = true
                    for (k, expected) in marker.enumerated() where bytes[i + k] | 0x20 != expected | 0x20 { same = false; break }
                    if same { return true }
                }
            }
            return false
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLElement] = []
        var root: XMLElement?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(XMLElement(name: name, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast() else { return }
            if !element.children.isEmpty { element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }
    }
}
