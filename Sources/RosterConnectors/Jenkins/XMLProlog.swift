import Foundation

/// What comes before an XML document's root element, read without an XML parser: the root
/// element's name, and where a document type declaration (DOCTYPE) is, if there is one.
///
/// Recognising a file by its root element this way costs a few bytes, and it finds a DOCTYPE
/// before any parser could expand the entities it declares: Roster refuses every DOCTYPE, so
/// neither "billion laughs" expansion nor external entities (`SYSTEM "file:///etc/passwd"`) can
/// ever reach the parser. Jenkins never writes one.
struct XMLProlog: Equatable {
    /// The root element's name (for a DOCTYPE, the name it declares), or nil when the text is not XML.
    var root: String?
    /// `line L, column C` of a `<!DOCTYPE`, when there is one.
    var doctype: String?
    /// The byte range of the XML declaration (`<?xml …?>`), when there is one.
    var declaration: Range<Int>?

    /// Reads the prolog of `data`, looking at most at its first `limit` bytes.
    static func read(_ data: Data, limit: Int = 1 << 16) -> XMLProlog {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var scanner = Scanner(bytes: buffer, end: min(buffer.count, limit))
            return scanner.prolog()
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        let end: Int
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: UnsafeRawBufferPointer, end: Int) {
            self.bytes = bytes
            self.end = end
        }

        mutating func prolog() -> XMLProlog {
            var result = XMLProlog()
            while true {
                skipSpace()
                guard i < end, bytes[i] == UInt8(ascii: "<") else { return result }
                if starts("<?") {
                    let start = i
                    guard skip(past: "?>") else { return result }
                    if start == 0 || result.declaration == nil && starts(at: start, "<?xml") { result.declaration = start..<i }
                } else if starts("<!--") {
                    guard skip(past: "-->") else { return result }
                } else if starts("<!DOCTYPE") {
                    result.doctype = "line \(line), column \(i - lineStart + 1)"
                    i += 9
                    skipSpace()
                    result.root = name()
                    return result
                } else {
                    i += 1
                    result.root = name()
                    return result
                }
            }
        }

        /// An XML name: anything up to whitespace, `/`, `>` or `[`; nil when empty or not a name start.
        mutating func name() -> String? {
            let start = i
            while i < end {
                let byte = bytes[i]
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "[")
                {
                    break
                }
                i += 1
            }
            guard i > start else { return nil }
            let first = bytes[start]
            // A name starts with a letter, `_` or `:` (or any non-ASCII byte of a letter); `<1` or `<<` is not XML.
            guard first >= 0x80 || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else {
                return nil
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        mutating func skipSpace() {
            while i < end {
                switch bytes[i] {
                case 0x0A:
                    line += 1
                    lineStart = i + 1
                case 0x20, 0x09, 0x0D: break
                default: return
                }
                i += 1
            }
        }

        func starts(_ text: StaticString) -> Bool { starts(at: i, text) }

        func starts(at position: Int, _ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position + count <= end else { return false }
            for k in 0..<count where bytes[position + k] != text.utf8Start[k] { return false }
            return true
        }

        /// Moves past the next `text`, counting lines; false when it never comes.
        mutating func skip(past text: StaticString) -> Bool {
            while i < end {
                if starts(text) {
                    i += text.utf8CodeUnitCount
                    return true
                }
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
            return false
        }
    }
}
