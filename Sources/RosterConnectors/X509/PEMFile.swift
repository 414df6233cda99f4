import Foundation

/// The blocks of a PEM file (`-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`), or a
/// DER file's single certificate, found without decoding anything but certificates.
///
/// Private key blocks are recorded by their label and line only: their base64 is never decoded,
/// so no key material is ever held in memory beyond the mapped file. A legacy encrypted key
/// says so in a `Proc-Type: 4,ENCRYPTED` header line, which is read; an OpenSSH key hides it
/// inside the base64, so whether it is encrypted stays unknown.
struct PEMFile: Sendable {
    /// A certificate's DER bytes and the line its block starts on (1 for a DER file).
    struct CertificateBlock: Sendable {
        var der: [UInt8]
        var line: Int
    }

    /// A private key found in the file: its PEM label and whether it is encrypted, never its value.
    struct KeyBlock: Sendable, Hashable {
        /// `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`…
        var label: String
        var line: Int
        /// True or false when the file says; nil when only decoding the key would tell (OpenSSH).
        var encrypted: Bool?
    }

    var certificates: [CertificateBlock] = []
    /// Whether the file is one DER certificate rather than PEM text.
    var isDER = false
    var keys: [KeyBlock] = []
    /// Labels of other blocks (`CERTIFICATE REQUEST`, `X509 CRL`), with their lines, which are not read.
    var others: [(label: String, line: Int)] = []

    /// Splits a file into its blocks; a file without PEM armour is read as one DER certificate.
    ///
    /// One pass over the bytes, line by line; only certificate bodies are decoded.
    /// - Throws: ``ConnectorError`` naming the line of a block that never ends, or whose base64 is not valid.
    static func read(_ data: Data, path: String) throws -> PEMFile {
        guard data.range(of: Data("-----BEGIN ".utf8)) != nil else {
            guard data.first == 0x30 else {
                throw ConnectorError(.unrecognised, "neither a PEM file (no -----BEGIN line) nor a DER-encoded certificate", file: path)
            }
            return PEMFile(certificates: [CertificateBlock(der: Array(data), line: 1)], isDER: true)
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var file = PEMFile()
            var open: (label: String, line: Int, bodyStart: Int, encrypted: Bool)?
            var number = 0
            var lineStart = 0
            while lineStart < bytes.count {
                number += 1
                var lineEnd = lineStart
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let next = lineEnd + 1
                var end = lineEnd
                if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
                if var block = open {
                    if Self.starts(line, "-----END ") {
                        let label = Self.label(line, after: 9)
                        guard label == block.label else {
                            throw ConnectorError(
                                .malformed,
                                "the \(block.label.prefix(60)) block begun at line \(block.line) ends with END \(label.prefix(60))",
                                file: path,
                                location: "line \(number)"
                            )
                        }
                        try file.close(
                            block.label,
                            line: block.line,
                            body: UnsafeBufferPointer(rebasing: bytes[block.bodyStart..<lineStart]),
                            encrypted: block.encrypted,
                            path: path
                        )
                        open = nil
                    } else if Self.starts(line, "-----BEGIN ") {
                        throw ConnectorError(
                            .malformed,
                            "a new block begins before the \(block.label.prefix(60)) block begun at line \(block.line) ends",
                            file: path,
                            location: "line \(number)"
                        )
                    } else if !block.encrypted, Self.starts(line, "Proc-Type:"), Self.contains(line, "ENCRYPTED") {
                        // A legacy encrypted key says so in a header line; its base64 is never looked at.
                        block.encrypted = true
                        open = block
                    }
                } else if Self.starts(line, "-----BEGIN ") {
                    open = (Self.label(line, after: 11), number, next, false)
                }
                lineStart = next
            }
            if let block = open {
                throw ConnectorError(
                    .malformed,
                    "the file ends inside the \(block.label.prefix(60)) block begun at line \(block.line), before its END line (cut off?)",
                    file: path,
                    location: "line \(block.line)"
                )
            }
            return file
        }
    }

    private mutating func close(_ label: String, line: Int, body: UnsafeBufferPointer<UInt8>, encrypted: Bool, path: String) throws {
        if Self.isCertificate(label) {
            // Header lines ("Key: value") do not occur in certificate blocks; anything but base64 and whitespace is an error.
            guard let der = Self.base64Decode(body), !der.isEmpty else {
                throw ConnectorError(.malformed, "the \(label) block's body is not valid base64", file: path, location: "line \(line)")
            }
            certificates.append(CertificateBlock(der: der, line: line))
        } else if label.hasSuffix("PRIVATE KEY") {
            let known: Bool? = label.hasPrefix("ENCRYPTED") || encrypted ? true : (label == "OPENSSH PRIVATE KEY" ? nil : false)
            keys.append(KeyBlock(label: label, line: line, encrypted: known))
        } else {
            others.append((label, line))
        }
    }

    private static func starts(_ line: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        return memcmp(line.baseAddress!, prefix.utf8Start, count) == 0
    }

    private static func contains(_ line: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard line.count >= count else { return false }
        for start in 0...(line.count - count) where memcmp(line.baseAddress! + start, text.utf8Start, count) == 0 { return true }
        return false
    }

    /// The label after `-----BEGIN ` or `-----END ` (`skip` bytes), without the closing dashes and spaces.
    private static func label(_ line: UnsafeBufferPointer<UInt8>, after skip: Int) -> String {
        var end = line.count
        while end > skip && (line[end - 1] == UInt8(ascii: "-") || line[end - 1] == 0x20) { end -= 1 }
        var start = skip
        while start < end && line[start] == 0x20 { start += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: line[start..<min(end, start + 80)]), as: UTF8.self)
    }

    /// Decodes base64, skipping whitespace; nil for any other character or a bad length or padding.
    static func base64Decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var quad: UInt32 = 0
        var count = 0
        var padding = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                value = 0
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: return nil
            }
            // Nothing but padding may follow padding.
            if padding > 0 && byte != UInt8(ascii: "=") { return nil }
            quad = quad << 6 | value
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: quad >> 16))
                if padding < 2 { out.append(UInt8(truncatingIfNeeded: quad >> 8)) }
                if padding < 1 { out.append(UInt8(truncatingIfNeeded: quad)) }
                quad = 0
                count = 0
            }
        }
        guard count == 0, padding <= 2 else { return nil }
        return out
    }

    static func isCertificate(_ label: String) -> Bool { label == "CERTIFICATE" || label == "X509 CERTIFICATE" }

    /// The label between `-----BEGIN ` (or `-----END `) and the closing dashes.
    private static func label(_ line: Substring, after prefix: String) -> String {
        var rest = line.dropFirst(prefix.count)
        while rest.hasSuffix("-") { rest = rest.dropLast() }
        return String(rest.trimmingCharacters(in: .whitespaces).prefix(80))
    }
}
