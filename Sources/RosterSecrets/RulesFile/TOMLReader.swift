/// The part of TOML that rules files use: tables, arrays of tables, dotted table names, strings
/// (basic, literal and both multi-line forms), integers, floats, booleans and arrays. Dates and
/// inline tables are refused with their line and column.
///
/// gitleaks' configuration (`[[rules]]`, `regex = '''…'''`, `[rules.allowlist]`) is written in
/// this part, so a gitleaks file reads as is.
struct TOMLReader {
    indirect enum Value: Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])
        case table([String: Value])
        case tables([[String: Value]])
    }

    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    private let chars: [Character]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        chars = Array(text)
    }

    static func parse(_ text: String) throws -> [String: Value] {
        var reader = TOMLReader(text)
        return try reader.document()
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, column: i - lineStart + 1, message: message) }

    private var atEnd: Bool { i >= chars.count }
    private var current: Character? { atEnd ? nil : chars[i] }

    private mutating func advance() {
        if chars[i] == "\n" {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }

    private mutating func skipSpaces() { while let c = current, c == " " || c == "\t" { advance() } }

    /// Spaces, comments and newlines.
    private mutating func skipBlank() {
        while let c = current {
            if c == " " || c == "\t" || c == "\n" || c == "\r\n" || c == "\r" {
                advance()
            } else if c == "#" {
                while let d = current, d != "\n" { advance() }
            } else {
                break
            }
        }
    }

    private mutating func endOfLine() throws {
        skipSpaces()
        if current == "#" { while let d = current, d != "\n" { advance() } }
        guard atEnd || current == "\n" || current == "\r\n" else { throw fail("expected the end of the line") }
    }

    private mutating func document() throws -> [String: Value] {
        var root: [String: Value] = [:]
        var path: [String] = []
        var arrayTable = false
        while true {
            skipBlank()
            guard let c = current else { break }
            if c == "[" {
                advance()
                arrayTable = current == "["
                if arrayTable { advance() }
                skipSpaces()
                path = try keyPath()
                skipSpaces()
                guard current == "]" else { throw fail("expected ] after the table name") }
                advance()
                if arrayTable {
                    guard current == "]" else { throw fail("expected ]] after the table name") }
                    advance()
                }
                try endOfLine()
                try open(&root, path, appending: arrayTable)
                continue
            }
            let key = try keyPath()
            skipSpaces()
            guard current == "=" else { throw fail("expected = after the key \(key.joined(separator: "."))") }
            advance()
            skipSpaces()
            let value = try self.value()
            try endOfLine()
            try assign(&root, path + key, value)
        }
        return root
    }

    private mutating func keyPath() throws -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { throw fail("expected a key") }
            if c == "\"" || c == "'" {
                guard case .string(let s) = try value() else { throw fail("expected a key") }
                parts.append(s)
            } else {
                var key = ""
                while let d = current, d.isLetter || d.isNumber || d == "_" || d == "-" {
                    key.append(d)
                    advance()
                }
                guard !key.isEmpty else { throw fail("expected a key") }
                parts.append(key)
            }
            skipSpaces()
            if current == "." {
                advance()
                continue
            }
            return parts
        }
    }

    private mutating func value() throws -> Value {
        guard let c = current else { throw fail("expected a value") }
        switch c {
        case "\"", "'":
            return .string(try string())
        case "[":
            advance()
            var items: [Value] = []
            while true {
                skipBlank()
                if current == "]" {
                    advance()
                    return .array(items)
                }
                items.append(try value())
                skipBlank()
                if current == "," {
                    advance()
                } else if current != "]" {
                    throw fail("expected , or ] in an array")
                }
            }
        case "{":
            throw fail("inline tables are not supported in rules files; use a [table]")
        case "t", "f":
            var word = ""
            while let d = current, d.isLetter {
                word.append(d)
                advance()
            }
            guard word == "true" || word == "false" else { throw fail("expected true or false, got \(word.prefix(20))") }
            return .bool(word == "true")
        default:
            var token = ""
            while let d = current, d.isNumber || "+-._eE".contains(d) {
                if d != "_" { token.append(d) }
                advance()
            }
            if let n = Int(token) { return .integer(n) }
            if let x = Double(token) { return .float(x) }
            throw fail("expected a string, number, boolean or array")
        }
    }

    private mutating func string() throws -> String {
        let quote = chars[i]
        let literal = quote == "'"
        let multi = i + 2 < chars.count && chars[i + 1] == quote && chars[i + 2] == quote
        advance()
        if multi {
            advance()
            advance()
            if current == "\n" || current == "\r\n" { advance() }  // a newline right after the opening is trimmed
        }
        var out = ""
        while true {
            guard let c = current else { throw fail("unterminated string") }
            if multi {
                if c == quote, i + 2 < chars.count, chars[i + 1] == quote, chars[i + 2] == quote {
                    advance(); advance(); advance()
                    // Up to two more quotes belong to the content.
                    while current == quote, out.count >= 0, i < chars.count {
                        out.append(quote)
                        advance()
                    }
                    return out
                }
            } else {
                if c == quote {
                    advance()
                    return out
                }
                if c == "\n" || c == "\r\n" { throw fail("newline in a single-line string") }
            }
            if !literal, c == "\\" {
                advance()
                guard let e = current else { throw fail("unterminated escape") }
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{C}")
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count {
                        advance()
                        guard let h = current, h.isHexDigit else { throw fail("expected \(count) hex digits after \\\(e)") }
                        hex.append(h)
                    }
                    guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else { throw fail("not a Unicode scalar: \\\(e)\(hex)") }
                    out.append(Character(scalar))
                case "\n", "\r\n", " ", "\t" where multi:
                    // A line-ending backslash: skip the newline and the whitespace after it.
                    while let w = current, w == "\n" || w == "\r\n" || w == " " || w == "\t" { advance() }
                    continue
                default:
                    throw fail("unknown escape \\\(e) (regular expressions read best in '''literal''' strings)")
                }
                advance()
                continue
            }
            out.append(c)
            advance()
        }
    }

    /// `[table]` and `[[table]]` headers: the table at `path`, made if missing (an array of
    /// tables gains an element).
    private func open(_ root: inout [String: Value], _ path: [String], appending: Bool) throws {
        try walk(&root, path) { table, key in
            switch table[key] {
            case nil:
                table[key] = appending ? .tables([[:]]) : .table([:])
            case .table:
                if appending { throw fail("\(path.joined(separator: ".")) is a table, not an array of tables") }
            case .tables(var list):
                guard appending else { throw fail("\(path.joined(separator: ".")) is an array of tables") }
                list.append([:])
                table[key] = .tables(list)
            default:
                throw fail("\(key) is a value, not a table")
            }
        }
    }

    /// `key = value` under the current table.
    private func assign(_ root: inout [String: Value], _ path: [String], _ value: Value) throws {
        try walk(&root, path) { table, key in
            guard table[key] == nil else { throw fail("duplicate key \(path.joined(separator: "."))") }
            table[key] = value
        }
    }

    /// Goes down `path` (into the last element of an array of tables, as TOML says), making the
    /// tables on the way, and hands the innermost table and the last key to `leaf`.
    private func walk(_ table: inout [String: Value], _ path: [String], leaf: (inout [String: Value], String) throws -> Void) throws {
        func descend(_ table: inout [String: Value], _ rest: ArraySlice<String>) throws {
            guard let head = rest.first else { return }
            if rest.count == 1 { return try leaf(&table, head) }
            switch table[head] {
            case nil:
                var inner: [String: Value] = [:]
                try descend(&inner, rest.dropFirst())
                table[head] = .table(inner)
            case .table(var inner):
                try descend(&inner, rest.dropFirst())
                table[head] = .table(inner)
            case .tables(var list):
                var inner = list.removeLast()
                try descend(&inner, rest.dropFirst())
                list.append(inner)
                table[head] = .tables(list)
            default:
                throw fail("\(head) is a value, not a table")
            }
        }
        try descend(&table, path[...])
    }
}
