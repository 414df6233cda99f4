import Foundation

/// The structural checks of ``SecretCheck`` and the tests every candidate value passes.
enum Checks {
    /// Shannon entropy in bits per byte.
    static func entropy(_ bytes: some Collection<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var bits = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            bits -= p * log2(p)
        }
        return bits
    }

    static func passes(_ check: SecretCheck, _ value: String) -> Bool {
        switch check {
        case .none: true
        case .base62CRC32(let prefixLength): base62CRC32(value, prefixLength: prefixLength)
        case .jwt: jwt(value)
        case .base64(let minBytes): (decodeBase64(value)?.count ?? 0) >= minBytes
        case .mixedCharacters: value.utf8.contains { $0 &- 48 < 10 } && value.utf8.contains { ($0 | 0x20) &- 97 < 26 }
        }
    }

    private static let base62Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// GitHub's and npm's token checksum: the last six characters are the CRC32 (IEEE) of the
    /// random part, in base62, left-padded with zeros.
    static func base62CRC32(_ token: String, prefixLength: Int) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count > prefixLength + 6 else { return false }
        let random = bytes[prefixLength..<(bytes.count - 6)]
        return Array(bytes.suffix(6)) == base62(CRC32.checksum(random), width: 6)
    }

    static func base62(_ number: UInt32, width: Int) -> [UInt8] {
        var n = number
        var digits: [UInt8] = []
        repeat {
            digits.append(base62Alphabet[Int(n % 62)])
            n /= 62
        } while n > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }

    static func jwt(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        // An unsigned token (`alg: none`, empty signature) grants nothing a server should accept.
        guard parts.count == 3, parts[2].count >= 16 else { return false }
        for part in parts.prefix(2) {
            guard let data = decodeBase64(String(part)),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return false }
            if part == parts[0], object["alg"] == nil { return false }
        }
        return true
    }

    /// Base64 or base64url, padded or not; nil when the text is not base64.
    static func decodeBase64(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        normalized = normalized.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        while normalized.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized)
    }
}

/// CRC-32 (IEEE 802.3, the zlib polynomial), table-driven.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
