import Foundation

/// A byte-level JSON reader that says *where* a document breaks and what its top-level keys are.
///
/// Foundation's decoder reports "not valid JSON" without a position; this scanner runs only
/// after a decode fails (or over a file's first bytes, to recognise its kind), so the happy
/// path pays nothing for it.
enum JSONSyntax {
    struct SyntaxError: Error, Equatable {
        var line: Int
        var column: Int
        var expected: String

        var location: String { "line \(line), column \(column)" }
    }

    /// The first syntax error in `bytes`, or nil when the bytes are one valid JSON value.
    static func firstError(in bytes: some Collection<UInt8>) -> SyntaxError? {
        var scanner = Scanner(Array(bytes), limit: nil)
        do {
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.index < scanner.bytes.count { throw scanner.error("end of input after the top-level value") }
            return nil
        } catch let error as SyntaxError {
            return error
        } catch {
            return nil
        }
    }

    /// The keys of the top-level object found in the first `limit` bytes, in order, and whether
    /// the document starts with an object at all. Tolerates truncation at `limit`.
    static func topLevelKeys(in bytes: some Collection<UInt8>, limit: Int = 1 << 20) -> (isObject: Bool, keys: [String]) {
        var scanner = Scanner(Array(bytes.prefix(limit)), limit: limit)
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{") else { return (false, []) }
        scanner.index += 1
        var keys: [String] = []
        while true {
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: "\"") else { break }
            guard let key = try? scanner.string() else { break }
            keys.append(key)
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: ":") else { break }
            scanner.index += 1
            guard (try? scanner.value(depth: 1)) != nil else { break }
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: ",") else { break }
            scanner.index += 1
        }
        return (true, keys)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        let limit: Int?

        init(_ bytes: [UInt8], limit: Int?) {
            self.bytes = bytes
            self.limit = limit
        }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        func error(_ expected: String) -> SyntaxError {
            var line = 1
            var lineStart = 0
            let end = min(index, bytes.count)
            var i = 0
            while i < end {
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
            // Columns count characters, not bytes: skip UTF-8 continuation bytes.
            var column = 1
            var j = lineStart
            while j < end {
                if bytes[j] & 0xC0 != 0x80 { column += 1 }
                j += 1
            }
            let found: String
            if index >= bytes.count {
                found = "the file ends (truncated?)"
            } else {
                let byte = bytes[index]
                found = byte >= 0x21 && byte < 0x7F ? "found '\(Character(UnicodeScalar(byte)))'" : String(format: "found byte 0x%02X", byte)
            }
            return SyntaxError(line: line, column: column, expected: "expected \(expected), \(found)")
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw error("at most 512 levels of nesting") }
            skipWhitespace()
            guard let byte = peek else { throw error("a JSON value") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw error("a JSON value (object, array, string, number, true, false or null)")
            }
        }

        mutating func object(depth: Int) throws {
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error("a quoted member name") }
                _ = try string()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("':' after a member name") }
                index += 1
                try value(depth: depth + 1)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return
                default: throw error("',' or '}' after an object member")
                }
            }
        }

        mutating func array(depth: Int) throws {
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(depth: depth + 1)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return
                default: throw error("',' or ']' after an array element")
                }
            }
        }

        /// Reads a string; returns its raw bytes as text (escapes left as written, enough for key names).
        mutating func string() throws -> String {
            let start = index + 1
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                } else if byte == UInt8(ascii: "\\") {
                    index += 2
                } else if byte < 0x20 {
                    throw error("no raw control characters inside a string (escape them)")
                } else {
                    index += 1
                }
            }
            index = bytes.count
            throw error("a closing '\"'")
        }

        mutating func literal(_ word: String) throws {
            for expected in word.utf8 {
                guard peek == expected else { throw error("'\(word)'") }
                index += 1
            }
        }

        mutating func number() throws {
            if peek == UInt8(ascii: "-") { index += 1 }
            guard let first = peek, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { throw error("a digit") }
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw error("a digit after '.'") }
                while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw error("a digit in the exponent") }
                while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            }
        }
    }
}
