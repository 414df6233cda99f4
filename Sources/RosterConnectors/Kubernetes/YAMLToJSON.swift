import CYaml
import Foundation

/// Turns a YAML stream into one JSON text per document, straight from libyaml's events, so YAML is
/// decoded by the same fast JSON decoder as `kubectl -o json`.
///
/// Yams composes a node tree and resolves every plain scalar's type with regular expressions, which
/// reads kubectl's YAML at a few MB/s. Here plain scalars are resolved by hand, as YAML 1.1 (which
/// Kubernetes' YAML reader follows) does for the values Kubernetes objects hold: `~`, `null` and empty
/// are null; `true`/`false`/`yes`/`no`/`on`/`off` are booleans; JSON-shaped numbers are numbers;
/// everything else, and every quoted or block scalar, is a string.
///
/// Anything this fast path does not take (a syntax error, a complex key, a document the decoder
/// refuses) makes it throw ``Fallback``, and the caller reads the file with Yams instead, which says
/// exactly where the problem is. Duplicate keys, oversized scalars and alias bombs are refused here,
/// with their line and column.
struct YAMLToJSON {
    /// The fast path cannot say precisely what is wrong; read the file the careful way.
    struct Fallback: Error {}

    private enum Frame {
        case mapping(expectKey: Bool, first: Bool, keys: [Range<Int>], anchor: (name: String, start: Int)?)
        case sequence(first: Bool, anchor: (name: String, start: Int)?)
    }

    private var out: [UInt8] = []
    private var stack: [Frame] = []
    private var anchors: [String: [UInt8]] = [:]
    private let budget: Int
    private let path: String
    private let stringLimit: Int

    private init(inputBytes: Int, path: String, stringLimit: Int) {
        self.budget = max(inputBytes * 4, 1 << 20)
        self.path = path
        self.stringLimit = stringLimit
        out.reserveCapacity(inputBytes + inputBytes / 4)
    }

    /// The documents of `data` as JSON, empty documents left out.
    /// - Throws: ``Fallback``, or a located ``ConnectorError`` for duplicate keys, oversized scalars and alias bombs.
    static func documents(_ data: Data, path: String, stringLimit: Int) throws -> [Data] {
        var converter = YAMLToJSON(inputBytes: data.count, path: path, stringLimit: stringLimit)
        return try data.withUnsafeBytes { raw in try converter.run(raw) }
    }

    private mutating func run(_ raw: UnsafeRawBufferPointer) throws -> [Data] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Fallback() }
        defer { yaml_parser_delete(&parser) }
        guard let base = raw.baseAddress else { return [] }
        yaml_parser_set_input_string(&parser, base.assumingMemoryBound(to: UInt8.self), raw.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var documents: [Data] = []
        var documentStart = 0
        var event = yaml_event_t()
        loop: while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Fallback() }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                break loop
            case YAML_DOCUMENT_START_EVENT:
                out.removeAll(keepingCapacity: true)
                anchors.removeAll()
                documentStart = 0
            case YAML_DOCUMENT_END_EVENT:
                // An empty document is one null scalar.
                if out[documentStart...] != ArraySlice("null".utf8) { documents.append(Data(out)) }
            case YAML_MAPPING_START_EVENT:
                try beginValue(isScalar: false, event)
                let anchor = Self.text(event.data.mapping_start.anchor).map { ($0, out.count) }
                out.append(UInt8(ascii: "{"))
                stack.append(.mapping(expectKey: true, first: true, keys: [], anchor: anchor))
            case YAML_MAPPING_END_EVENT:
                out.append(UInt8(ascii: "}"))
                if case .mapping(_, _, _, let anchor?)? = stack.popLast() { anchors[anchor.name] = Array(out[anchor.start...]) }
            case YAML_SEQUENCE_START_EVENT:
                try beginValue(isScalar: false, event)
                let anchor = Self.text(event.data.sequence_start.anchor).map { ($0, out.count) }
                out.append(UInt8(ascii: "["))
                stack.append(.sequence(first: true, anchor: anchor))
            case YAML_SEQUENCE_END_EVENT:
                out.append(UInt8(ascii: "]"))
                if case .sequence(_, let anchor?)? = stack.popLast() { anchors[anchor.name] = Array(out[anchor.start...]) }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
                if bytes.count > stringLimit {
                    throw ConnectorError(
                        .tooLarge, "a scalar of \(bytes.count) bytes, over Roster's limit of \(JSONSyntax.bytesText(stringLimit)) for a single field",
                        file: path, location: Self.location(event.start_mark))
                }
                let isKey = try beginValue(isScalar: true, event)
                let start = out.count
                if isKey {
                    try addKey(bytes, event)
                } else {
                    writeScalar(bytes, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: Self.text(scalar.tag))
                }
                if let anchor = Self.text(scalar.anchor) { anchors[anchor] = Array(out[start...]) }
            case YAML_ALIAS_EVENT:
                guard let name = Self.text(event.data.alias.anchor), let fragment = anchors[name] else { throw Fallback() }
                guard try !beginValue(isScalar: false, event) else { throw Fallback() }
                out.append(contentsOf: fragment)
                if out.count > budget {
                    throw ConnectorError(
                        .tooLarge, "YAML aliases expand this document to far more values than the file holds; Roster refuses it (a \"billion laughs\" document)",
                        file: path, location: Self.location(event.start_mark))
                }
            default:
                continue
            }
        }
        return documents
    }

    /// Writes what comes before a value (a comma, or for a key its comma) and says whether the scalar is a mapping key.
    private mutating func beginValue(isScalar: Bool, _ event: yaml_event_t) throws -> Bool {
        guard let top = stack.last else { return false }
        switch top {
        case .mapping(let expectKey, let first, let keys, let anchor):
            if expectKey {
                // Only scalar keys map to JSON.
                guard isScalar else { throw Fallback() }
                if !first { out.append(UInt8(ascii: ",")) }
                stack[stack.count - 1] = .mapping(expectKey: false, first: false, keys: keys, anchor: anchor)
                return true
            }
            stack[stack.count - 1] = .mapping(expectKey: true, first: false, keys: keys, anchor: anchor)
            return false
        case .sequence(let first, let anchor):
            if !first { out.append(UInt8(ascii: ",")) }
            stack[stack.count - 1] = .sequence(first: false, anchor: anchor)
            return false
        }
    }

    private mutating func addKey(_ bytes: UnsafeBufferPointer<UInt8>, _ event: yaml_event_t) throws {
        guard case .mapping(let expectKey, let first, var keys, let anchor)? = stack.popLast() else { throw Fallback() }
        // Keys are compared as written (escaped the same way), in place, so no key is copied.
        let start = out.count
        writeString(bytes)
        let written = start..<out.count
        if keys.contains(where: { out[$0].elementsEqual(out[written]) }) {
            throw ConnectorError(
                .duplicateKey, "the key \"\(String(decoding: bytes.prefix(60), as: UTF8.self))\" appears twice in one mapping, so tools disagree on its value",
                file: path, location: Self.location(event.start_mark))
        }
        keys.append(written)
        stack.append(.mapping(expectKey: expectKey, first: first, keys: keys, anchor: anchor))
        out.append(UInt8(ascii: ":"))
    }

    private mutating func writeScalar(_ bytes: UnsafeBufferPointer<UInt8>, plain: Bool, tag: String?) {
        if let tag, tag == "tag:yaml.org,2002:str" || tag == "!" {
            writeString(bytes)
            return
        }
        guard plain else {
            writeString(bytes)
            return
        }
        switch bytes.count {
        case 0:
            out.append(contentsOf: "null".utf8)
            return
        case 1...5:
            let word = String(decoding: bytes, as: UTF8.self)
            if Self.nulls.contains(word) {
                out.append(contentsOf: "null".utf8)
                return
            }
            if let value = Self.booleans[word] {
                out.append(contentsOf: (value ? "true" : "false").utf8)
                return
            }
        default:
            break
        }
        if Self.isJSONNumber(bytes) {
            out.append(contentsOf: bytes)
        } else {
            writeString(bytes)
        }
    }

    private mutating func writeString(_ bytes: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static let nulls: Set<String> = ["~", "null", "Null", "NULL"]
    static let booleans: [String: Bool] = [
        "true": true, "True": true, "TRUE": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
        "false": false, "False": false, "FALSE": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
    ]

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: what JSON accepts as a number (YAML's other forms stay strings).
    static func isJSONNumber(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        func digit(_ i: Int) -> Bool { i < n && b[i] >= 0x30 && b[i] <= 0x39 }
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if b[i] == 0x30 { i += 1 } else { while digit(i) { i += 1 } }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }

    static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    static func location(_ mark: yaml_mark_t) -> String { "line \(mark.line + 1), column \(mark.column + 1)" }
}
