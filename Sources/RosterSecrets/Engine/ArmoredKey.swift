/// Armoured private keys: `-----BEGIN <label>-----`, a base64 body, `-----END <label>-----`.
///
/// The body may span lines, sit in a JSON string with `\n` escapes, or carry RFC 1421 headers
/// (`Proc-Type: 4,ENCRYPTED`, `DEK-Info:`) or PGP's armour headers (`Version:`, `Comment:`).
/// A body shorter than a real key, or with characters base64 does not use, is a placeholder or
/// an illustration, and is not reported.
enum ArmoredKey {
    static let begin = Array("-----BEGIN ".utf8)
    static let dashes = Array("-----".utf8)
    /// The shortest body reported: an Ed25519 OpenSSH key is about 300 base64 characters; 64 lets
    /// every real key through and stops `MIIE...` illustrations.
    static let minimumBody = 64

    static func matches(in buffer: UnsafeRawBufferPointer, at offsets: [Int], label: String, rule: Int, into found: inout [SecretScanner.Candidate]) {
        let wanted = Array(label.utf8)
        var covered = -1
        for offset in offsets where offset >= covered {
            let bytes = buffer
            guard starts(bytes, at: offset, with: begin) else { continue }
            let labelStart = offset + begin.count
            guard let labelEnd = find(dashes, in: bytes, from: labelStart, limit: labelStart + 64) else { continue }
            guard Array(bytes[labelStart..<labelEnd]) == wanted else { continue }
            let bodyStart = labelEnd + dashes.count
            let endMarker = Array("-----END ".utf8) + wanted + dashes
            guard let end = find(endMarker, in: bytes, from: bodyStart, limit: min(bytes.count, bodyStart + SecretScanner.armourSpan)) else { continue }
            covered = end + endMarker.count
            guard let body = normalizedBody(bytes, bodyStart..<end) else { continue }
            var candidate = SecretScanner.Candidate(rule: rule, range: offset..<covered, value: body.text)
            if body.encrypted || label.contains("ENCRYPTED") { candidate.attributes["encrypted"] = "true" }
            found.append(candidate)
        }
    }

    struct Body {
        var text: String
        var encrypted: Bool
    }

    /// The base64 characters of the body, without line breaks, escapes, quotes or headers.
    static func normalizedBody(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Body? {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var encrypted = false
        // Split into lines on real newlines and on the two-character escape `\n`.
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D {
                lines.append(current)
                current = []
            } else if byte == UInt8(ascii: "\\"), i + 1 < range.upperBound, bytes[i + 1] == UInt8(ascii: "n") || bytes[i + 1] == UInt8(ascii: "r") {
                lines.append(current)
                current = []
                i += 1
            } else {
                current.append(byte)
            }
            i += 1
        }
        lines.append(current)
        for line in lines {
            if line.contains(UInt8(ascii: ":")) {
                // An armour header line.
                if String(decoding: line, as: UTF8.self).contains("ENCRYPTED") { encrypted = true }
                continue
            }
            for byte in line {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                    out.append(byte)
                case 0x20, 0x09, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: "#"):
                    // Indentation, string quotes and concatenation in code, YAML block markers, comment leaders.
                    continue
                default:
                    return nil
                }
            }
        }
        guard out.count >= minimumBody else { return nil }
        let text = String(decoding: out, as: UTF8.self)
        guard !NotSecrets.tooRegular(out) else { return nil }
        return Body(text: text, encrypted: encrypted)
    }

    static func starts(_ bytes: UnsafeRawBufferPointer, at offset: Int, with prefix: [UInt8]) -> Bool {
        guard offset + prefix.count <= bytes.count else { return false }
        for (k, byte) in prefix.enumerated() where bytes[offset + k] != byte { return false }
        return true
    }

    static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int? {
        let last = min(limit, bytes.count) - needle.count
        guard start <= last else { return nil }
        var i = start
        while i <= last {
            if bytes[i] == needle[0], starts(bytes, at: i, with: needle) { return i }
            i += 1
        }
        return nil
    }
}
