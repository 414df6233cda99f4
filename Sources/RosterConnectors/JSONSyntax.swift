import Foundation

/// A byte-level JSON checker that says *where* a document breaks, and what its top-level keys are.
///
/// Foundation's decoder reports "not valid JSON" without a position, takes one of two values for
/// a repeated key without a word, and accepts a field of any size. ``check(_:limits:)`` runs once
/// over the bytes before decoding, in one pass with no allocation per value, and finds all of
/// these with a line, a column and a JSON path.
enum JSONSyntax {
    /// What is wrong with a document, and where.
    struct Problem: Error, Equatable {
        enum Kind: Equatable, Sendable {
            case syntax, invalidUTF8, duplicateKey, tooLarge
        }

        var kind: Kind
        /// Bytes from the start of the checked text to the offending byte.
        var offset: Int
        var line: Int
        var column: Int
        /// The JSON path of the member or element being read (`$.UserDetailList[3].UserName`).
        var path: String
        /// What was expected or what is wrong, to follow "not valid JSON: " and the like.
        var message: String

        var location: String { "line \(line), column \(column)" }
    }

    /// The largest strings and values a check accepts, so a damaged or hostile file is refused
    /// before a 280 MB "user name" reaches the database.
    struct Limits: Sendable {
        /// A larger limit for the value of one member, wherever it appears.
        struct Member: Sendable {
            var bytes: Int
            /// What the member holds, for messages: "a policy document".
            var what: String
        }

        /// The longest string or member name, in bytes as written.
        var string: Int
        /// What `string` is for, for messages.
        var stringWhat: String
        /// Members whose whole value (string, object or array) may be larger, by name.
        var members: [String: Member]

        static let none = Limits(string: .max, stringWhat: "a field", members: [:])
    }

    /// The first thing wrong with `data`: a syntax error, invalid UTF-8, a repeated key or a value over `limits`.
    static func check(_ data: Data, limits: Limits = .none, duplicateKeys: Bool = true) -> Problem? {
        data.withUnsafeBytes { buffer in
            var scanner = Scanner(buffer, limits: limits, duplicateKeys: duplicateKeys)
            return scanner.document()
        }
    }

    /// The first syntax or encoding error in `data`, or nil when the bytes are one valid JSON value.
    static func firstError(in data: Data) -> Problem? {
        check(data, duplicateKeys: false)
    }

    /// The keys of the top-level object in order, and whether the document starts with an object at all.
    ///
    /// Reads the whole text however much whitespace or data comes first (values are skipped, not
    /// decoded), stops early once `enough` says the keys so far settle the question, and returns
    /// what it has when the text breaks off.
    static func topLevelKeys(in data: Data, enough: ([String]) -> Bool = { _ in false }) -> (isObject: Bool, keys: [String]) {
        data.withUnsafeBytes { buffer in
            var scanner = Scanner(buffer, limits: .none, duplicateKeys: false)
            return scanner.topLevelKeys(enough: enough)
        }
    }

    private struct Scanner {
        /// The member or element being read at each level, for the JSON path of a problem.
        enum Step {
            case start
            case key(Range<Int>)
            case index(Int)
        }

        /// A member name's bytes as written, and whether they hold an escape (and so must be decoded to compare).
        struct Key {
            var range: Range<Int>
            var escaped: Bool
        }

        let bytes: UnsafeRawBufferPointer
        let count: Int
        var index = 0
        let limits: Limits
        let duplicateKeys: Bool
        var path: [Step] = []
        /// The keys of every object being read, innermost last; each object remembers where its own start.
        var keys: [Key] = []
        /// For objects with many keys, a set of the decoded names, by the object's first index into `keys`.
        var largeObjects: [Int: Set<[UInt8]>] = [:]
        /// `limits.members` as bytes, and a bit for each name length under 64, so most keys are passed over at one test.
        let specialNames: [(name: [UInt8], member: Limits.Member)]
        let specialLengths: UInt64

        /// Up to this many keys an object is searched linearly: typical AWS objects have a handful.
        static let linearKeys = 16

        init(_ bytes: UnsafeRawBufferPointer, limits: Limits, duplicateKeys: Bool) {
            self.bytes = bytes
            count = bytes.count
            self.limits = limits
            self.duplicateKeys = duplicateKeys
            specialNames = limits.members.map { (Array($0.key.utf8), $0.value) }
            specialLengths = specialNames.reduce(0) { $1.name.count < 64 ? $0 | 1 << UInt64($1.name.count) : $0 }
        }

        var peek: UInt8? { index < count ? bytes[index] : nil }

        mutating func document() -> Problem? {
            do throws(Problem) {
                try value(depth: 0, stringLimit: limits.string)
                skipWhitespace()
                if index < count { throw error("end of input after the top-level value") }
                return nil
            } catch {
                return error
            }
        }

        mutating func topLevelKeys(enough: ([String]) -> Bool) -> (isObject: Bool, keys: [String]) {
            skipWhitespace()
            guard peek == UInt8(ascii: "{") else { return (false, []) }
            index += 1
            var names: [String] = []
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { break }
                guard let key = try? string() else { break }
                names.append(text(key.range))
                if enough(names) { break }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { break }
                index += 1
                guard (try? value(depth: 1, stringLimit: .max)) != nil else { break }
                skipWhitespace()
                guard peek == UInt8(ascii: ",") else { break }
                index += 1
            }
            return (true, names)
        }

        mutating func skipWhitespace() {
            while index < count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        // MARK: Values

        mutating func value(depth: Int, stringLimit: Int) throws(Problem) {
            guard depth < 512 else { throw error("at most 512 levels of nesting") }
            skipWhitespace()
            guard index < count else { throw error("a JSON value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth, stringLimit: stringLimit)
            case UInt8(ascii: "\""):
                let start = index
                let text = try string()
                if text.range.count > stringLimit { throw tooLarge(text.range.count, limit: stringLimit, at: start) }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw error("a JSON value (object, array, string, number, true, false or null)")
            }
        }

        mutating func object(depth: Int) throws(Problem) {
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return
            }
            let first = keys.count
            path.append(.start)
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error("a quoted member name") }
                let keyStart = index
                let key = try string()
                if key.range.count > limits.string {
                    path[path.count - 1] = .start
                    throw tooLarge(key.range.count, limit: limits.string, at: keyStart, what: "a member name")
                }
                path[path.count - 1] = .key(key.range)
                if duplicateKeys { try checkUnique(key, first: first, at: keyStart) }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("':' after a member name") }
                index += 1
                if specialLengths != 0, let member = special(key) {
                    // The whole value is measured, whatever its form (a policy document is an object in
                    // AWS CLI output and a URL-encoded string in raw API answers).
                    skipWhitespace()
                    let start = index
                    try value(depth: depth + 1, stringLimit: .max)
                    if index - start > member.bytes { throw tooLarge(index - start, limit: member.bytes, at: start, what: member.what) }
                } else {
                    try value(depth: depth + 1, stringLimit: limits.string)
                }
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    path.removeLast()
                    if keys.count - first > Self.linearKeys { largeObjects[first] = nil }
                    keys.removeSubrange(first...)
                    return
                default: throw error("',' or '}' after an object member")
                }
            }
        }

        mutating func array(depth: Int, stringLimit: Int) throws(Problem) {
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return
            }
            path.append(.index(0))
            var element = 0
            while true {
                path[path.count - 1] = .index(element)
                try value(depth: depth + 1, stringLimit: stringLimit)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","):
                    index += 1
                    element += 1
                case UInt8(ascii: "]"):
                    index += 1
                    path.removeLast()
                    return
                default: throw error("',' or ']' after an array element")
                }
            }
        }

        /// Reads a string, checking its escapes and its UTF-8; returns the bytes between the quotes.
        mutating func string() throws(Problem) -> Key {
            index += 1
            let start = index
            var escaped = false
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let key = Key(range: start..<index, escaped: escaped)
                    index += 1
                    return key
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    try escape()
                } else if byte < 0x20 {
                    throw error("no raw control characters inside a string (escape them)")
                } else if byte >= 0x80 {
                    guard let length = utf8Length(at: index) else { throw invalidUTF8() }
                    index += length
                } else {
                    index += 1
                }
            }
            throw error("a closing '\"'")
        }

        mutating func escape() throws(Problem) {
            index += 1
            guard index < count else { throw error("an escaped character after '\\'") }
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                index += 1
            case UInt8(ascii: "u"):
                index += 1
                for _ in 0..<4 {
                    guard index < count, Self.hexValue(bytes[index]) != nil else { throw error("four hex digits after '\\u'") }
                    index += 1
                }
            default:
                throw error("an escape such as \\n, \\\" or \\u0041 after '\\'")
            }
        }

        mutating func literal(_ word: StaticString) throws(Problem) {
            let text = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for expected in text {
                guard peek == expected else { throw error("'\(word)'") }
                index += 1
            }
        }

        mutating func number() throws(Problem) {
            let start = index
            if peek == UInt8(ascii: "-") { index += 1 }
            guard let first = peek, Self.isDigit(first) else { throw error("a digit") }
            skipDigits()
            if peek == UInt8(ascii: ".") {
                index += 1
                guard let byte = peek, Self.isDigit(byte) else { throw error("a digit after '.'") }
                skipDigits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard let byte = peek, Self.isDigit(byte) else { throw error("a digit in the exponent") }
                skipDigits()
            }
            if index - start > limits.string { throw tooLarge(index - start, limit: limits.string, at: start) }
        }

        mutating func skipDigits() {
            while index < count, Self.isDigit(bytes[index]) { index += 1 }
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        /// The length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or nil.
        func utf8Length(at i: Int) -> Int? {
            let lead = bytes[i]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return nil
            }
            guard i + length <= count else { return nil }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return nil }
            for j in (i + 2)..<(i + length) where bytes[j] & 0xC0 != 0x80 { return nil }
            return length
        }

        // MARK: Repeated keys and limits

        /// Throws when `key` is already a member of the object whose keys start at `first`, then records it.
        mutating func checkUnique(_ key: Key, first: Int, at offset: Int) throws(Problem) {
            let members = keys.count - first
            if members < Self.linearKeys {
                for i in first..<keys.count where same(keys[i], key) { throw duplicate(key, earlier: keys[i], at: offset) }
            } else {
                if members == Self.linearKeys { largeObjects[first] = Set(keys[first...].map(decoded)) }
                if largeObjects[first]!.insert(decoded(key)).inserted == false {
                    let earlier = keys[first...].first { same($0, key) } ?? key
                    throw duplicate(key, earlier: earlier, at: offset)
                }
            }
            keys.append(key)
        }

        func same(_ a: Key, _ b: Key) -> Bool {
            if !a.escaped && !b.escaped {
                guard a.range.count == b.range.count else { return false }
                return memcmp(bytes.baseAddress! + a.range.lowerBound, bytes.baseAddress! + b.range.lowerBound, a.range.count) == 0
            }
            return decoded(a) == decoded(b)
        }

        /// A name's UTF-8 bytes with its escapes decoded, so `"a"` and `"\u0061"` compare equal, as they do to a decoder.
        func decoded(_ key: Key) -> [UInt8] {
            guard key.escaped else { return Array(UnsafeRawBufferPointer(rebasing: bytes[key.range])) }
            var out: [UInt8] = []
            var scalars = String.UnicodeScalarView()
            var i = key.range.lowerBound
            func hex4(_ at: Int) -> UInt32 {
                (at..<(at + 4)).reduce(0) { $0 << 4 | (Self.hexValue(bytes[$1]) ?? 0) }
            }
            while i < key.range.upperBound {
                let byte = bytes[i]
                guard byte == UInt8(ascii: "\\") else {
                    out.append(byte)
                    i += 1
                    continue
                }
                let kind = bytes[i + 1]
                i += 2
                switch kind {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = hex4(i)
                    i += 4
                    if (0xD800..<0xDC00).contains(code), i + 6 <= key.range.upperBound, bytes[i] == UInt8(ascii: "\\"),
                        bytes[i + 1] == UInt8(ascii: "u") {
                        let low = hex4(i + 2)
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                    }
                    scalars.removeAll()
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    out += String(scalars).utf8
                default: out.append(kind)
                }
            }
            return out
        }

        func special(_ key: Key) -> Limits.Member? {
            if key.escaped { return limits.members[String(decoding: decoded(key), as: UTF8.self)] }
            let length = key.range.count
            guard length < 64, specialLengths & (1 << UInt64(length)) != 0 else { return nil }
            for (name, member) in specialNames where name.count == length {
                let same = name.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress! + key.range.lowerBound, length) == 0 }
                if same { return member }
            }
            return nil
        }

        // MARK: Problems

        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// A name as it is shown in messages and paths: at most 64 characters.
        func shown(_ range: Range<Int>) -> String {
            let name = text(range.lowerBound..<min(range.upperBound, range.lowerBound + 256))
            return name.count > 64 ? String(name.prefix(63)) + "…" : name
        }

        var jsonPath: String {
            var out = "$"
            for step in path {
                switch step {
                case .start: break
                case .key(let range): out += "." + shown(range)
                case .index(let element): out += "[\(element)]"
                }
            }
            return out
        }

        /// Line and column (in characters, not bytes) of byte `offset`.
        func position(of offset: Int) -> (line: Int, column: Int) {
            let end = min(offset, count)
            var line = 1
            var lineStart = 0
            if let base = bytes.baseAddress {
                var i = 0
                while i < end {
                    if let found = memchr(base + i, 0x0A, end - i) {
                        i = base.distance(to: UnsafeRawPointer(found)) + 1
                        line += 1
                        lineStart = i
                    } else {
                        break
                    }
                }
            }
            var column = 1
            for j in lineStart..<end where bytes[j] & 0xC0 != 0x80 { column += 1 }
            return (line, column)
        }

        func problem(_ kind: Problem.Kind, at offset: Int, _ message: String) -> Problem {
            let (line, column) = position(of: offset)
            return Problem(kind: kind, offset: offset, line: line, column: column, path: jsonPath, message: message)
        }

        func error(_ expected: String) -> Problem {
            guard index < count else { return problem(.syntax, at: index, "expected \(expected), the file ends (truncated?)") }
            let byte = bytes[index]
            if byte >= 0x80 && utf8Length(at: index) == nil { return invalidUTF8() }
            let found = byte >= 0x21 && byte < 0x7F ? "found '\(Character(UnicodeScalar(byte)))'" : String(format: "found byte 0x%02X", byte)
            return problem(.syntax, at: index, "expected \(expected), \(found)")
        }

        func invalidUTF8() -> Problem {
            let byte = bytes[index]
            let why = (0x80...0xBF).contains(byte) || byte == 0xC0 || byte == 0xC1 || byte >= 0xF5
                ? "cannot start a character" : "starts a character that is cut short or over-long"
            return problem(
                .invalidUTF8, at: index,
                String(format: "found byte 0x%02X at byte offset \(index), which \(why); save the file as UTF-8", byte))
        }

        func duplicate(_ key: Key, earlier: Key, at offset: Int) -> Problem {
            let first = position(of: earlier.range.lowerBound - 1)
            return problem(
                .duplicateKey, at: offset,
                "\"\(shown(key.range))\" appears twice in one object (first at line \(first.line), column \(first.column)); "
                    + "tools disagree on which value counts (most take the last), so the file is refused: remove one of them")
        }

        func tooLarge(_ size: Int, limit: Int, at offset: Int, what: String? = nil) -> Problem {
            let subject = what == "a member name" ? "a member name" : "the value"
            return problem(
                .tooLarge, at: offset,
                "\(subject) is \(size) bytes long, over Roster's limit of \(JSONSyntax.bytesText(limit)) for \(what ?? limits.stringWhat); "
                    + "the file looks damaged or hand-made")
        }
    }

    /// `64 KiB`, `1 MiB`, `4 GiB` for round sizes, else a count of bytes.
    static func bytesText(_ n: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where n >= 1 << shift && n % (1 << shift) == 0 {
            return "\(n >> shift) \(unit)"
        }
        return "\(n) bytes"
    }
}
