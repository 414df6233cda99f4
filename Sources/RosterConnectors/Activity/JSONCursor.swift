#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a scan stopped.
enum JSONScanError: Error {
    /// The value runs past the bytes read so far; read more and scan it again.
    case needMore
    /// The bytes are not what was expected. `offset` counts from the start of the scanned bytes;
    /// `path` is relative to the value being read (`userIdentity.arn`), nil when unknown.
    case bad(offset: Int, path: String?, message: String, code: ConnectorError.Code)

    /// A ``bad(offset:path:message:code:)`` placed in the file.
    struct Failure: Error {
        var offset: Int
        var path: String?
        var message: String
        var code: ConnectorError.Code
    }

    /// This error with `path` set when it had none, and prefixed when it had one.
    func under(_ prefix: String) -> JSONScanError {
        guard case .bad(let offset, let path, let message, let code) = self else { return self }
        return .bad(offset: offset, path: path.map { $0.isEmpty ? prefix : "\(prefix).\($0)" } ?? prefix, message: message, code: code)
    }
}

/// A member name's bytes in the scanned buffer.
struct JSONKey {
    var start: Int
    var count: Int
}

/// A byte-level JSON reader over contiguous bytes that decodes only what it is asked for and skips
/// everything else (nested objects and arrays included) without building values.
///
/// It never allocates except for the strings it returns. Skipped values are checked for balanced
/// brackets and closed strings, not for every grammar rule; the values it reads are checked fully.
struct JSONCursor {
    let p: UnsafePointer<UInt8>
    var i: Int
    let end: Int
    /// Whether `end` is the end of the input; otherwise running into it throws ``JSONScanError/needMore``.
    let complete: Bool

    init(_ p: UnsafePointer<UInt8>, from: Int, to end: Int, complete: Bool) {
        self.p = p
        self.i = from
        self.end = end
        self.complete = complete
    }

    // MARK: Errors

    func ranOut() -> JSONScanError {
        complete ? .bad(offset: i, path: nil, message: "the JSON ends early (the file is truncated?)", code: .malformed) : .needMore
    }

    func bad(_ message: String, at offset: Int? = nil, _ code: ConnectorError.Code = .malformed) -> JSONScanError {
        .bad(offset: offset ?? i, path: nil, message: message, code: code)
    }

    func wrongType(_ expected: String, _ path: String) -> JSONScanError {
        .bad(offset: i, path: path, message: "expected \(expected), found \(describeNext())", code: .wrongShape)
    }

    /// What starts at the cursor, for messages: "a number", "an object", "`x`".
    func describeNext() -> String {
        guard i < end else { return "the end of the file" }
        switch p[i] {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case 0xEF where i + 2 < end && p[i + 1] == 0xBB && p[i + 2] == 0xBF: return "a byte order mark"
        case let b where b >= 0x21 && b < 0x7F: return "`\(Character(Unicode.Scalar(b)))`"
        case let b: return "the byte 0x\(String(b, radix: 16, uppercase: true))"
        }
    }

    // MARK: Structure

    /// The next byte that is not white space, left unconsumed.
    @inline(__always)
    mutating func peek() throws(JSONScanError) -> UInt8 {
        while i < end {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                i += 1
                continue
            }
            return b
        }
        throw ranOut()
    }

    /// Consumes `byte` after white space, or throws naming `what` was expected.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONScanError) {
        guard try peek() == byte else { throw bad("expected \(what), found \(describeNext())") }
        i += 1
    }

    /// Consumes the `{` opening an object, or throws a wrong-shape error at `path`.
    @inline(__always)
    mutating func beginObject(_ path: String) throws(JSONScanError) {
        guard try peek() == UInt8(ascii: "{") else { throw wrongType("an object", path) }
        i += 1
    }

    /// Consumes the `[` opening an array, or throws a wrong-shape error at `path`.
    @inline(__always)
    mutating func beginArray(_ path: String) throws(JSONScanError) {
        guard try peek() == UInt8(ascii: "[") else { throw wrongType("an array", path) }
        i += 1
    }

    /// The next member name of the object being read and consumes its `:`; nil (consuming `}`) at the end.
    @inline(__always)
    mutating func nextKey(_ first: inout Bool) throws(JSONScanError) -> JSONKey? {
        var b = try peek()
        if b == UInt8(ascii: "}") {
            i += 1
            return nil
        }
        if !first {
            guard b == UInt8(ascii: ",") else { throw bad("expected `,` or `}` after an object member, found \(describeNext())") }
            i += 1
            b = try peek()
        }
        first = false
        guard b == UInt8(ascii: "\"") else { throw bad("expected a member name in double quotes, found \(describeNext())") }
        let (start, count, _) = try rawString()
        try expect(UInt8(ascii: ":"), "`:` after a member name")
        return JSONKey(start: start, count: count)
    }

    /// Whether the array being read has another element (consuming the `,` before it), false (consuming `]`) at the end.
    @inline(__always)
    mutating func nextElement(_ first: inout Bool) throws(JSONScanError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: "]") {
            i += 1
            return false
        }
        if !first {
            guard b == UInt8(ascii: ",") else { throw bad("expected `,` or `]` after an array element, found \(describeNext())") }
            i += 1
            _ = try peek()
        }
        first = false
        return true
    }

    /// Whether `key` is `name` byte for byte (member names with escapes never match).
    @inline(__always)
    func `is`(_ key: JSONKey, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(p + key.start, name.utf8Start, key.count) == 0
    }

    /// A member name as text, for messages.
    func name(_ key: JSONKey) -> String {
        String(decoding: UnsafeBufferPointer(start: p + key.start, count: key.count), as: UTF8.self)
    }

    // MARK: Values

    /// A string (escapes decoded), nil for null; anything else is a wrong-shape error at `path`.
    @inline(__always)
    mutating func string(_ path: String) throws(JSONScanError) -> String? {
        let b = try peek()
        if b == UInt8(ascii: "\"") {
            let (start, count, escaped) = try rawString()
            if !escaped { return String(decoding: UnsafeBufferPointer(start: p + start, count: count), as: UTF8.self) }
            var bytes: [UInt8] = []
            try unescape(start, count, into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        if b == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        throw wrongType("a string", path)
    }

    /// A string's decoded bytes appended to `bytes` (for a JSON document held in a string); false for null.
    mutating func stringBytes(_ path: String, into bytes: inout [UInt8]) throws(JSONScanError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: "n") {
            try literal("null")
            return false
        }
        guard b == UInt8(ascii: "\"") else { throw wrongType("a string", path) }
        let (start, count, escaped) = try rawString()
        if escaped {
            try unescape(start, count, into: &bytes)
        } else {
            bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: count))
        }
        return true
    }

    /// A boolean (`true`, `false`, or the strings `"true"`/`"false"` some logs write), nil for null.
    mutating func bool(_ path: String) throws(JSONScanError) -> Bool? {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        case UInt8(ascii: "n"):
            try literal("null")
            return nil
        case UInt8(ascii: "\""):
            let at = i
            switch try string(path) {
            case "true": return true
            case "false": return false
            default:
                i = at
                throw wrongType("a boolean", path)
            }
        default:
            throw wrongType("a boolean", path)
        }
    }

    /// An integer, nil for null.
    mutating func integer(_ path: String) throws(JSONScanError) -> Int? {
        let b = try peek()
        if b == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        guard b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) else { throw wrongType("an integer", path) }
        let start = i
        try skipNumber()
        var value = 0
        var sign = 1
        var j = start
        if p[j] == UInt8(ascii: "-") {
            sign = -1
            j += 1
        }
        while j < i {
            let d = Int(p[j]) - 48
            guard d >= 0, d <= 9, value < Int.max / 10 - 10 else {
                i = start
                throw wrongType("an integer", path)
            }
            value = value * 10 + d
            j += 1
        }
        return sign * value
    }

    /// Consumes `word` (`true`, `false`, `null`).
    mutating func literal(_ word: StaticString) throws(JSONScanError) {
        let n = word.utf8CodeUnitCount
        guard end - i >= n else {
            // Too few bytes left: a prefix of the word is a truncation, anything else a syntax error.
            if memcmp(p + i, word.utf8Start, end - i) == 0 { throw ranOut() }
            throw bad("expected a JSON value, found \(describeNext())")
        }
        guard memcmp(p + i, word.utf8Start, n) == 0 else { throw bad("expected a JSON value, found \(describeNext())") }
        i += n
    }

    /// At an opening quote: the string's bytes as written (start and count, without quotes) and
    /// whether it holds escapes; the cursor moves past the closing quote.
    @inline(__always)
    mutating func rawString() throws(JSONScanError) -> (Int, Int, Bool) {
        i += 1
        let start = i
        var escaped = false
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return (start, i - 1 - start, escaped)
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            if b < 0x20 { throw bad("a control character (0x\(String(b, radix: 16))) inside a string; JSON needs it escaped") }
            i += 1
        }
        i = start - 1
        throw ranOut()
    }

    /// Decodes the escapes in the string bytes `p[start..<start+count]` into `out`.
    ///
    /// `\uXXXX` pairs of UTF-16 surrogates join into one scalar; a lone surrogate (which JSON's
    /// grammar allows and Unicode text cannot hold) becomes U+FFFD, as Swift does for invalid UTF-8.
    func unescape(_ start: Int, _ count: Int, into out: inout [UInt8]) throws(JSONScanError) {
        out.reserveCapacity(out.count + count)
        var j = start
        let e = start + count
        while j < e {
            let b = p[j]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                j += 1
                continue
            }
            guard j + 1 < e else { throw bad("a backslash ends the string", at: j) }
            let c = p[j + 1]
            j += 2
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(c)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(j, e) else { throw bad("`\\u` must be followed by four hexadecimal digits", at: j - 2) }
                j += 4
                var scalar = Unicode.Scalar(unit)
                if unit >= 0xD800 && unit < 0xDC00, j + 6 <= e, p[j] == UInt8(ascii: "\\"), p[j + 1] == UInt8(ascii: "u"),
                    let low = hex4(j + 2, e), low >= 0xDC00 && low < 0xE000
                {
                    scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    j += 6
                }
                for byte in UTF8.encode(scalar ?? "\u{FFFD}")! { out.append(byte) }
            default:
                throw bad("`\\\(Character(Unicode.Scalar(c)))` is not a JSON escape", at: j - 2)
            }
        }
    }

    private func hex4(_ j: Int, _ e: Int) -> UInt16? {
        guard j + 4 <= e else { return nil }
        var value: UInt16 = 0
        for k in j..<(j + 4) {
            let b = p[k]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt16(d)
        }
        return value
    }

    // MARK: Skipping

    /// Skips one value of any kind.
    mutating func skipValue() throws(JSONScanError) {
        switch try peek() {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), 0x30...0x39: try skipNumber()
        default: throw bad("expected a JSON value, found \(describeNext())")
        }
    }

    /// At an opening quote: moves past the closing one, finding quotes with `memchr` and telling
    /// escaped ones by the backslashes before them.
    @inline(__always)
    mutating func skipString() throws(JSONScanError) {
        let open = i
        i += 1
        while true {
            guard i < end, let found = memchr(p + i, 0x22, end - i) else {
                i = open
                throw ranOut()
            }
            let q = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
            var k = q - 1
            var backslashes = 0
            while k >= i && p[k] == UInt8(ascii: "\\") {
                backslashes += 1
                k -= 1
            }
            i = q + 1
            if backslashes & 1 == 0 { return }
        }
    }

    /// At `{` or `[`: moves past the matching bracket. Brackets must pair up (a bit stack of
    /// 64 levels, more than any log nests); the values inside are not otherwise checked.
    mutating func skipContainer() throws(JSONScanError) {
        let open = i
        var stack: UInt64 = 0
        var depth = 0
        while i < end {
            let b = p[i]
            switch b {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= 64 else { throw bad("values nested more than 64 levels deep", .tooLarge) }
                stack = stack << 1 | (b == UInt8(ascii: "{") ? 1 : 0)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack & 1 == (b == UInt8(ascii: "}") ? 1 : 0) else {
                    throw bad("`\(Character(Unicode.Scalar(b)))` does not close the \(stack & 1 == 1 ? "object" : "array") open here")
                }
                stack >>= 1
                depth -= 1
                if depth == 0 {
                    i += 1
                    return
                }
            default:
                break
            }
            i += 1
        }
        if complete { throw ranOut() }
        i = open
        throw JSONScanError.needMore
    }

    mutating func skipNumber() throws(JSONScanError) {
        let start = i
        while i < end {
            switch p[i] {
            case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): i += 1
            default: return
            }
        }
        // A number running into the end of the bytes read may go on in the next ones.
        if !complete {
            i = start
            throw JSONScanError.needMore
        }
    }
}
