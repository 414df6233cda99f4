import Foundation

/// Where a call came from, reduced to the network it stands for: an IPv4 /24, an IPv6 /48, or
/// the AWS service that made the call (`ec2.amazonaws.com`, `AWS Internal`).
///
/// Addresses inside one /24 are one network, so a NAT gateway or an ECS service whose addresses
/// churn inside its range stays one value; ``group`` widens to the /16 (IPv6 /32) that a VPC or
/// an auto-scaling range spans.
///
/// For example:
/// ```swift
/// SourceNetwork("203.0.113.77")?.key   // "203.0.113.0/24"
/// SourceNetwork("2001:db8:1:2::9")?.key // "2001:db8:1::/48"
/// SourceNetwork("ec2.amazonaws.com")?.key // "ec2.amazonaws.com" (a service)
/// ```
public struct SourceNetwork: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case ipv4, ipv6, service }

    public let kind: Kind
    /// The /24 or /48 prefix, or the service name.
    public let key: String
    /// The /16 or /32 prefix, or the service name.
    public let group: String
    /// RFC 1918, carrier-grade NAT, loopback and IPv6 unique-local addresses: seen through VPC endpoints.
    public let isPrivate: Bool

    public init?(_ address: String?) {
        guard let raw = address?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let octets = Self.ipv4(raw) {
            kind = .ipv4
            key = "\(octets[0]).\(octets[1]).\(octets[2]).0/24"
            group = "\(octets[0]).\(octets[1]).0.0/16"
            isPrivate = octets[0] == 10 || octets[0] == 127 || (octets[0] == 172 && (16...31).contains(octets[1]))
                || (octets[0] == 192 && octets[1] == 168) || (octets[0] == 100 && (64...127).contains(octets[1]))
        } else if let groups = Self.ipv6(raw) {
            kind = .ipv6
            let hex = groups.map { String($0, radix: 16) }
            key = "\(hex[0]):\(hex[1]):\(hex[2])::/48"
            group = "\(hex[0]):\(hex[1])::/32"
            isPrivate = groups[0] & 0xFE00 == 0xFC00 || groups[0] & 0xFFC0 == 0xFE80 || groups.dropLast().allSatisfy { $0 == 0 }
        } else {
            kind = .service
            key = raw.lowercased()
            group = key
            isPrivate = false
        }
    }

    public var isAddress: Bool { kind != .service }

    private static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let n = Int(part), (0...255).contains(n) else { return nil }
            octets.append(n)
        }
        return octets
    }

    /// The eight 16-bit groups of an IPv6 address (`::` expanded, a zone id dropped); an embedded
    /// IPv4 tail is not expanded, it only matters beyond the /48.
    private static func ipv6(_ text: String) -> [UInt16]? {
        var text = Substring(text)
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                if piece.contains(".") {
                    guard let v4 = ipv4(String(piece)) else { return nil }
                    out += [UInt16(v4[0] << 8 | v4[1]), UInt16(v4[2] << 8 | v4[3])]
                } else {
                    guard (1...4).contains(piece.count), let n = UInt16(piece, radix: 16) else { return nil }
                    out.append(n)
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
