import Foundation

/// A strict, non-validating reader for the XML that Jenkins (XStream) writes: elements,
/// attributes, text, CDATA, comments and processing instructions, the five predefined entities
/// and character references. Anything else is an error with its line and column.
///
/// Why not the platform's `XMLParser` (which SWXMLHash wraps): on Linux it parses with libxml2 in
/// recover mode with entity substitution turned on, fails with an internal error on well-formed
/// documents larger than about 10 MB, and delivers under 35 MB/s before any tree is built. This
/// reader refuses document type declarations (so no entity is ever declared, let alone expanded),
/// reads in one pass over the mapped bytes, and keeps text as byte ranges, so a secret's value is
/// never copied out of the file unless asked for.
struct StrictXML {
    struct Node {
        var name: Range<Int>
        var parent: Int
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1
        /// The bytes between the start tag and the end tag.
        var content: Range<Int>
        /// Whether `content` holds child elements.
        var hasChildren = false
        /// Whether `content` holds references, CDATA, comments or processing instructions to decode.
        var needsDecoding = false
        var attributes: Range<Int> = 0..<0
    }

    struct Attribute {
        var name: Range<Int>
        var value: Range<Int>
        var needsDecoding: Bool
    }

    /// A reason the bytes are not well-formed, and the byte offset where it was found.
    struct Problem: Error {
        var message: String
        var offset: Int
    }

    let data: Data
    private(set) var nodes: [Node] = []
    private(set) var attributes: [Attribute] = []

    /// The deepest nesting accepted: far beyond what XStream writes, far below a stack's limit.
    static let maxDepth = 256

    /// Parses `data` (UTF-8) into a tree of elements.
    ///
    /// - Throws: ``Problem`` with a message and the byte offset (see ``location(of:)``).
    init(_ data: Data) throws {
        self.data = data
        let count = data.count
        var nodes: [Node] = []
        var attributes: [Attribute] = []
        nodes.reserveCapacity(count / 48)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress, count > 0 else { throw Problem(message: "the file is empty", offset: 0) }
            if let bad = StrictXML.firstInvalidUTF8(base, count) { throw Problem(message: "not valid UTF-8", offset: bad) }
            var reader = Reader(bytes: base, count: count)
            try reader.document(into: &nodes, attributes: &attributes)
        }
        self.nodes = nodes
        self.attributes = attributes
    }

    var root: Int? { nodes.isEmpty ? nil : 0 }

    /// The child elements of a node, in order.
    func children(of node: Int) -> [Int] {
        var out: [Int] = []
        var child = nodes[node].firstChild
        while child >= 0 {
            out.append(child)
            child = nodes[child].nextSibling
        }
        return out
    }

    func name(of node: Int) -> String { string(nodes[node].name) }

    /// Whether a node's name is `name`, compared without making a String.
    func hasName(_ node: Int, _ name: StaticString) -> Bool {
        let range = nodes[node].name
        guard range.count == name.utf8CodeUnitCount else { return false }
        return data.withUnsafeBytes { raw in
            memcmp(raw.baseAddress! + range.lowerBound, name.utf8Start, range.count) == 0
        }
    }

    /// An attribute's decoded value.
    func attribute(_ name: String, of node: Int) -> String? {
        for index in nodes[node].attributes where string(attributes[index].name) == name {
            let attribute = attributes[index]
            return attribute.needsDecoding ? decode(attribute.value) : string(attribute.value)
        }
        return nil
    }

    /// The size in bytes of a node's content, as written.
    func contentSize(of node: Int) -> Int { nodes[node].content.count }

    /// A leaf node's text, decoded; the text directly inside a node with children is not kept (XStream writes no mixed content).
    func text(of node: Int) -> String {
        let item = nodes[node]
        guard !item.hasChildren else { return "" }
        return item.needsDecoding ? decode(item.content) : string(item.content)
    }

    /// Calls `body` with a leaf node's content bytes as written, when they need no decoding; nil otherwise.
    func withLeafBytes<Result>(of node: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        let item = nodes[node]
        guard !item.hasChildren, !item.needsDecoding else { return nil }
        return data.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[item.content])) }
    }

    /// `line L, column C` of a byte offset, columns counted in characters.
    static func location(of offset: Int, in data: Data) -> String {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = min(offset, bytes.count)
            var line = 1
            var lineStart = 0
            for i in 0..<end where bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            var column = 1
            for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
            return "line \(line), column \(column)"
        }
    }

    private func string(_ range: Range<Int>) -> String {
        data.withUnsafeBytes { raw in String(decoding: UnsafeRawBufferPointer(rebasing: raw[range]), as: UTF8.self) }
    }

    /// Decodes references and CDATA and drops comments and processing instructions; the bytes were checked when read.
    private func decode(_ range: Range<Int>) -> String {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var out: [UInt8] = []
            out.reserveCapacity(range.count)
            var i = range.lowerBound
            while i < range.upperBound {
                let byte = bytes[i]
                if byte == UInt8(ascii: "&") {
                    var end = i + 1
                    while bytes[end] != UInt8(ascii: ";") { end += 1 }
                    let reference = String(decoding: UnsafeRawBufferPointer(rebasing: raw[(i + 1)..<end]), as: UTF8.self)
                    if let scalar = StrictXML.resolve(reference) { out.append(contentsOf: Array(String(Character(scalar)).utf8)) }
                    i = end + 1
                } else if byte == UInt8(ascii: "<") {
                    if StrictXML.starts(bytes, i, "<![CDATA[") {
                        var end = i + 9
                        while !StrictXML.starts(bytes, end, "]]>") { end += 1 }
                        out.append(contentsOf: bytes[(i + 9)..<end])
                        i = end + 3
                    } else if StrictXML.starts(bytes, i, "<!--") {
                        var end = i + 4
                        while !StrictXML.starts(bytes, end, "-->") { end += 1 }
                        i = end + 3
                    } else {
                        var end = i + 2
                        while !StrictXML.starts(bytes, end, "?>") { end += 1 }
                        i = end + 2
                    }
                } else {
                    out.append(byte)
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The character a predefined entity or character reference names (without `&` and `;`), or nil.
    static func resolve(_ reference: String) -> Unicode.Scalar? {
        switch reference {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard reference.hasPrefix("#") else { return nil }
            let digits = reference.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init).flatMap { $0.value == 0 ? nil : $0 }
        }
    }

    static func starts(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        for k in 0..<count where bytes[i + k] != text.utf8Start[k] { return false }
        return true
    }

    /// The offset of the first byte that is not part of valid UTF-8, checking only from the first non-ASCII byte.
    static func firstInvalidUTF8(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        while i < count {
            let byte = bytes[i]
            if byte < 0x80 {
                i += 1
                continue
            }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= count else { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            // Overlong forms and surrogates, which the lead byte alone does not rule out.
            if byte == 0xE0 && bytes[i + 1] < 0xA0 || byte == 0xED && bytes[i + 1] > 0x9F || byte == 0xF0 && bytes[i + 1] < 0x90
                || byte == 0xF4 && bytes[i + 1] > 0x8F
            {
                return i
            }
            i += length
        }
        return nil
    }
}

/// The single pass over the bytes.
private struct Reader {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    var i = 0

    init(bytes: UnsafePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    typealias Problem = StrictXML.Problem

    @inline(__always) func byte(_ at: Int) -> UInt8 { at < count ? bytes[at] : 0 }

    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    @inline(__always) func isNameByte(_ b: UInt8) -> Bool {
        b >= 0x80 || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D || b == 0x2E || b == 0x3A
    }

    func starts(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard i + n <= count else { return false }
        return memcmp(bytes + i, text.utf8Start, n) == 0
    }

    mutating func skipSpace() { while i < count && isSpace(bytes[i]) { i += 1 } }

    /// Moves past the next `end`, or fails naming what was left open.
    mutating func skip(past end: StaticString, what: String, from start: Int) throws {
        let n = end.utf8CodeUnitCount
        let first = end.utf8Start[0]
        while i + n <= count {
            if bytes[i] == first && memcmp(bytes + i, end.utf8Start, n) == 0 {
                i += n
                return
            }
            i += 1
        }
        throw Problem(message: "the file ends inside \(what) begun here", offset: start)
    }

    mutating func name() throws -> Range<Int> {
        let start = i
        let first = byte(i)
        guard isNameByte(first), !(first >= 0x30 && first <= 0x39), first != 0x2D, first != 0x2E else {
            throw Problem(message: "expected an element or attribute name", offset: i)
        }
        while i < count && isNameByte(bytes[i]) { i += 1 }
        return start..<i
    }

    /// Prolog, root element, and what may follow it.
    mutating func document(into nodes: inout [StrictXML.Node], attributes: inout [StrictXML.Attribute]) throws {
        try misc(allowDeclaration: true)
        guard i < count else { throw Problem(message: "no root element", offset: i) }
        try element(parent: -1, depth: 0, nodes: &nodes, attributes: &attributes)
        try misc(allowDeclaration: false)
        if i < count { throw Problem(message: "content after the root element ends", offset: i) }
    }

    /// Whitespace, comments and processing instructions; a DOCTYPE is refused.
    mutating func misc(allowDeclaration: Bool) throws {
        while true {
            skipSpace()
            guard i < count else { return }
            if starts("<!--") {
                let start = i
                i += 4
                try skip(past: "-->", what: "a comment", from: start)
            } else if starts("<?") {
                let start = i
                i += 2
                try skip(past: "?>", what: "a processing instruction", from: start)
            } else if starts("<!DOCTYPE") {
                throw Problem(message: "a DOCTYPE declaration, which Roster refuses", offset: i)
            } else if bytes[i] == UInt8(ascii: "<") {
                return
            } else {
                throw Problem(message: "text outside the root element", offset: i)
            }
        }
    }

    /// One element and everything in it, iteratively (a stack of open elements, not recursion).
    mutating func element(parent: Int, depth: Int, nodes: inout [StrictXML.Node], attributes: inout [StrictXML.Attribute]) throws {
        var open: [Int] = []
        repeat {
            // At "<" of a start tag.
            let tagStart = i
            i += 1
            let name = try self.name()
            let attributeStart = attributes.count
            while true {
                let hadSpace = i < count && isSpace(bytes[i])
                skipSpace()
                guard i < count else { throw Problem(message: "the file ends inside the start tag begun here", offset: tagStart) }
                let b = bytes[i]
                if b == UInt8(ascii: ">") || b == UInt8(ascii: "/") { break }
                guard hadSpace else { throw Problem(message: "expected a space, > or /> after the name", offset: i) }
                let attributeName = try self.name()
                skipSpace()
                guard byte(i) == UInt8(ascii: "=") else { throw Problem(message: "expected = after an attribute name", offset: i) }
                i += 1
                skipSpace()
                let quote = byte(i)
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw Problem(message: "expected a quoted attribute value", offset: i)
                }
                i += 1
                let valueStart = i
                var decode = false
                while i < count && bytes[i] != quote {
                    if bytes[i] == UInt8(ascii: "<") { throw Problem(message: "< inside an attribute value", offset: i) }
                    if bytes[i] == UInt8(ascii: "&") {
                        try reference()
                        decode = true
                    } else {
                        i += 1
                    }
                }
                guard i < count else { throw Problem(message: "the file ends inside an attribute value begun here", offset: valueStart - 1) }
                let nameBytes = UnsafeBufferPointer(start: bytes + attributeName.lowerBound, count: attributeName.count)
                for earlier in attributes[attributeStart...]
                where earlier.name.count == attributeName.count
                    && memcmp(bytes + earlier.name.lowerBound, nameBytes.baseAddress!, attributeName.count) == 0
                {
                    throw Problem(message: "the same attribute appears twice in one element", offset: attributeName.lowerBound)
                }
                attributes.append(StrictXML.Attribute(name: attributeName, value: valueStart..<i, needsDecoding: decode))
                i += 1
            }
            let index = nodes.count
            let parentIndex = open.last ?? parent
            nodes.append(StrictXML.Node(name: name, parent: parentIndex, content: i..<i, attributes: attributeStart..<attributes.count))
            if parentIndex >= 0 {
                if nodes[parentIndex].lastChild >= 0 {
                    nodes[nodes[parentIndex].lastChild].nextSibling = index
                } else {
                    nodes[parentIndex].firstChild = index
                }
                nodes[parentIndex].lastChild = index
                nodes[parentIndex].hasChildren = true
            }
            if bytes[i] == UInt8(ascii: "/") {
                guard byte(i + 1) == UInt8(ascii: ">") else { throw Problem(message: "expected /> to close an empty element", offset: i) }
                i += 2
                nodes[index].content = i..<i
            } else {
                i += 1
                guard depth + open.count < StrictXML.maxDepth else {
                    throw Problem(message: "elements nested deeper than \(StrictXML.maxDepth) levels", offset: tagStart)
                }
                open.append(index)
                nodes[index].content = i..<i
            }
            // Content of the innermost open element, up to its next child start tag (loop again) or until it closes.
            while let current = open.last {
                var decode = false
                var child = false
                while i < count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "<") {
                        if starts("</") { break }
                        if starts("<!--") {
                            let start = i
                            i += 4
                            try skip(past: "-->", what: "a comment", from: start)
                            decode = true
                        } else if starts("<![CDATA[") {
                            let start = i
                            i += 9
                            try skip(past: "]]>", what: "a CDATA section", from: start)
                            decode = true
                        } else if starts("<?") {
                            let start = i
                            i += 2
                            try skip(past: "?>", what: "a processing instruction", from: start)
                            decode = true
                        } else if starts("<!") {
                            throw Problem(message: "a declaration inside an element", offset: i)
                        } else {
                            child = true
                            break
                        }
                    } else if b == UInt8(ascii: "&") {
                        try reference()
                        decode = true
                    } else {
                        i += 1
                    }
                }
                if decode { nodes[current].needsDecoding = true }
                if child { break }
                guard i < count else {
                    func text(_ range: Range<Int>) -> String {
                        String(decoding: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count), as: UTF8.self)
                    }
                    let innermost = text(nodes[current].name).prefix(80)
                    let outermost = text(nodes[open[0]].name).prefix(80)
                    throw Problem(
                        message: open.count == 1
                            ? "the file ends before </\(outermost)>: it looks cut off"
                            : "the file ends inside <\(innermost)>, before </\(outermost)> and \(open.count - 1) other closing tags: it looks cut off",
                        offset: count
                    )
                }
                // An end tag: it must close the innermost open element.
                let endStart = i
                i += 2
                let endName = try self.name()
                skipSpace()
                guard byte(i) == UInt8(ascii: ">") else { throw Problem(message: "expected > to close the end tag", offset: i) }
                let openName = nodes[current].name
                guard endName.count == openName.count, memcmp(bytes + endName.lowerBound, bytes + openName.lowerBound, openName.count) == 0 else {
                    let expected = String(decoding: UnsafeBufferPointer(start: bytes + openName.lowerBound, count: openName.count), as: UTF8.self)
                    let found = String(decoding: UnsafeBufferPointer(start: bytes + endName.lowerBound, count: endName.count), as: UTF8.self)
                    throw Problem(message: "</\(found.prefix(80))> closes <\(expected.prefix(80))>", offset: endStart)
                }
                nodes[current].content = nodes[current].content.lowerBound..<endStart
                i += 1
                open.removeLast()
            }
        } while !open.isEmpty
    }

    /// Checks a reference (`&amp;`, `&#x41;`) at `i` and moves past it; any other entity is undefined, since none can be declared.
    mutating func reference() throws {
        let start = i
        i += 1
        while i < count && bytes[i] != UInt8(ascii: ";") && i - start < 12 { i += 1 }
        guard byte(i) == UInt8(ascii: ";") else { throw Problem(message: "a bare & (write &amp;)", offset: start) }
        let name = String(decoding: UnsafeBufferPointer(start: bytes + start + 1, count: i - start - 1), as: UTF8.self)
        guard StrictXML.resolve(name) != nil else { throw Problem(message: "an undefined entity &\(name.prefix(12));", offset: start) }
        i += 1
    }
}
