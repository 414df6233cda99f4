import Foundation

/// Kubernetes Secrets hide their values in base64 (`data:`), where no pattern sees them.
///
/// Where a manifest says `kind: Secret` (YAML, or `"kind": "Secret"` in the JSON kubectl
/// prints), the `data` entries of that document are decoded and each is scanned as the line
/// `name: value` would be, so a format rule (an AWS key, a GitHub token) or the generic rules
/// (`password: …`) judge it. A finding points at the encoded value's place in the file and says
/// it was decoded.
enum KubernetesSecretData {
    /// How far around `kind: Secret` the rest of its document may be.
    static let span = 64 * 1024

    struct Entry {
        var name: String
        var range: Range<Int>
        var decoded: String
    }

    static func matches(in buffer: UnsafeRawBufferPointer, at offsets: [Int], scanner: SecretScanner, into found: inout [SecretScanner.Candidate]) {
        var seen = Set<Int>()
        for offset in offsets {
            for entry in entries(in: buffer, around: offset) where seen.insert(entry.range.lowerBound).inserted {
                // The entry as a one-line assignment: specific rules see the value, generic ones the name too.
                let line = "\(entry.name): \(entry.decoded)"
                let prefix = entry.name.utf8.count + 2
                var bytes = Array(line.utf8)
                let inner = bytes.withUnsafeMutableBytes { raw in
                    let view = UnsafeRawBufferPointer(raw)
                    return Folding.fold(scanner.candidates(in: view, positions: 0..<view.count, base: 0, decoding: false), rules: scanner.rules, buffer: view, ownedPrefixes: scanner.ownedPrefixes)
                }
                for candidate in inner where candidate.range.upperBound > prefix {
                    var outer = candidate
                    outer.range = entry.range
                    outer.attributes["encoding"] = "base64 (Kubernetes Secret data: \(entry.name))"
                    outer.paired = nil
                    found.append(outer)
                }
            }
        }
    }

    /// The `data` entries of the Secret document around `offset`, YAML or JSON.
    static func entries(in buffer: UnsafeRawBufferPointer, around offset: Int) -> [Entry] {
        let lower = max(0, offset - span)
        let upper = min(buffer.count, offset + span)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[lower..<upper]), as: UTF8.self)
        guard text.utf8.count == upper - lower else { return [] }  // not valid UTF-8: offsets would not map back
        let bytes = Array(text.utf8)
        let hit = offset - lower
        if bytes[hit] == UInt8(ascii: "\"") || (hit > 0 && bytes[hit - 1] == UInt8(ascii: "\"")) {
            return json(bytes, hit: hit).map { Entry(name: $0.name, range: ($0.range.lowerBound + lower)..<($0.range.upperBound + lower), decoded: $0.decoded) }
        }
        return yaml(bytes, hit: hit).map { Entry(name: $0.name, range: ($0.range.lowerBound + lower)..<($0.range.upperBound + lower), decoded: $0.decoded) }
    }

    /// The YAML document around `hit` (between `---` lines): its top-level `data:` block.
    static func yaml(_ bytes: [UInt8], hit: Int) -> [Entry] {
        var lines: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(start..<i)
            start = i + 1
        }
        lines.append(start..<bytes.count)
        guard let hitLine = lines.firstIndex(where: { $0.contains(hit) || $0.upperBound == hit }) else { return [] }
        func text(_ r: Range<Int>) -> Substring { Substring(String(decoding: bytes[r], as: UTF8.self)) }
        var first = hitLine
        while first > 0, !text(lines[first - 1]).hasPrefix("---") { first -= 1 }
        var last = hitLine
        while last + 1 < lines.count, !text(lines[last + 1]).hasPrefix("---") { last += 1 }
        guard first <= last else { return [] }
        // The hit's own indentation is the document's (a Secret inside a List is indented).
        let indent = text(lines[hitLine]).prefix { $0 == " " }.count
        var entries: [Entry] = []
        var index = first
        while index <= last {
            let line = text(lines[index])
            let lineIndent = line.prefix { $0 == " " || $0 == "-" }.count
            if lineIndent == indent, line.dropFirst(lineIndent).hasPrefix("data:"), line.dropFirst(lineIndent + 5).allSatisfy({ $0 == " " }) {
                index += 1
                while index <= last {
                    let entryLine = text(lines[index])
                    let entryIndent = entryLine.prefix { $0 == " " }.count
                    if entryLine.trimmingCharacters(in: .whitespaces).isEmpty {
                        index += 1
                        continue
                    }
                    guard entryIndent > indent else { break }
                    let body = entryLine.dropFirst(entryIndent)
                    if let colon = body.firstIndex(of: ":") {
                        let name = body[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                        var value = body[body.index(after: colon)...].drop { $0 == " " }
                        value = value.prefix { !$0.isWhitespace }
                        let cleaned = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                        if let decoded = decode(cleaned) {
                            let valueStart = lines[index].lowerBound + entryLine.utf8.distance(from: entryLine.startIndex, to: value.startIndex)
                            entries.append(Entry(name: name, range: valueStart..<(valueStart + value.utf8.count), decoded: decoded))
                        }
                    }
                    index += 1
                }
                continue
            }
            index += 1
        }
        return entries
    }

    /// The JSON object around `hit`: the `"data": {…}` of the same object.
    static func json(_ bytes: [UInt8], hit: Int) -> [Entry] {
        // The enclosing object: walk back to its unmatched `{`, forward to its unmatched `}`.
        var depth = 0
        var open = hit
        while open > 0 {
            open -= 1
            if bytes[open] == UInt8(ascii: "}") { depth += 1 }
            if bytes[open] == UInt8(ascii: "{") {
                if depth == 0 { break }
                depth -= 1
            }
        }
        depth = 0
        var close = hit
        while close < bytes.count {
            if bytes[close] == UInt8(ascii: "{") { depth += 1 }
            if bytes[close] == UInt8(ascii: "}") {
                if depth == 0 { break }
                depth -= 1
            }
            close += 1
        }
        guard open < close, close <= bytes.count else { return [] }
        let object = String(decoding: bytes[open..<close], as: UTF8.self)
        guard let dataKey = object.range(of: #""data"\s*:\s*\{"#, options: .regularExpression),
            let end = object[dataKey.upperBound...].firstIndex(of: "}")
        else { return [] }
        let block = object[dataKey.upperBound..<end]
        var entries: [Entry] = []
        let pair = try? NSRegularExpression(pattern: #""([^"\\]{1,253})"\s*:\s*"([A-Za-z0-9+/=]{8,})""#)
        let blockText = String(block)
        let blockOffset = open + object.utf8.distance(from: object.startIndex, to: block.startIndex)
        for match in pair?.matches(in: blockText, range: NSRange(location: 0, length: blockText.utf16.count)) ?? [] {
            guard let nameRange = Range(match.range(at: 1), in: blockText), let valueRange = Range(match.range(at: 2), in: blockText) else { continue }
            guard let decoded = decode(String(blockText[valueRange])) else { continue }
            let start = blockOffset + blockText.utf8.distance(from: blockText.startIndex, to: valueRange.lowerBound)
            entries.append(Entry(name: String(blockText[nameRange]), range: start..<(start + blockText[valueRange].utf8.count), decoded: decoded))
        }
        return entries
    }

    /// Base64 that decodes to printable text of 8 characters or more (binary data, such as a
    /// keystore, is not a line to scan).
    static func decode(_ value: String) -> String? {
        guard value.count >= 12, let data = Data(base64Encoded: value) else { return nil }
        guard let text = String(data: data, encoding: .utf8), text.count >= 8 else { return nil }
        guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F || $0 == "\n" || $0 == "\t" || $0 == "\r" }) else { return nil }
        return text.trimmingCharacters(in: .newlines)
    }
}
