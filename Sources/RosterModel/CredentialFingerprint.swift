import Foundation

/// The one fingerprint scheme for credentials: `<namespace>:sha256:<64 hex digits>`.
///
/// The namespace says what was hashed (`aws.access-key-id` for the key id, `aws.secret-access-key`
/// for a secret), so equal strings from different formats never collide and any connector or the
/// secret scanner that meets the same credential computes the same fingerprint.
///
/// For example:
/// ```swift
/// let print = CredentialFingerprint(.awsAccessKeyId, of: "AKIAIOSFODNN7EXAMPLE")
/// print.description   // "aws.access-key-id:sha256:…"
/// ```
public struct CredentialFingerprint: Hashable, Sendable, CustomStringConvertible, Codable {
    /// What was hashed.
    public struct Namespace: OpenKind {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let awsAccessKeyId: Namespace = "aws.access-key-id"
        public static let awsSecretAccessKey: Namespace = "aws.secret-access-key"
        public static let gcpServiceAccountKeyId: Namespace = "gcp.service-account-key-id"
        public static let azureClientSecretKeyId: Namespace = "azure.client-secret-key-id"
        public static let x509Certificate: Namespace = "x509.certificate-der"
        public static let sshPublicKey: Namespace = "ssh.public-key"
        public static let opaque: Namespace = "secret"
    }

    public var namespace: Namespace
    /// Lowercase hex SHA-256.
    public var hex: String

    public init(_ namespace: Namespace, of value: String) {
        self.init(namespace, bytes: Array(value.utf8))
    }

    public init(_ namespace: Namespace, bytes: [UInt8]) {
        self.namespace = namespace
        self.hex = SHA256Digest.hex(of: bytes)
    }

    /// Reads `namespace:sha256:hex`; nil for anything else.
    public init?(parsing text: String) {
        guard let range = text.range(of: ":sha256:") else { return nil }
        let hex = text[range.upperBound...]
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit), range.lowerBound > text.startIndex else { return nil }
        self.namespace = Namespace(rawValue: String(text[..<range.lowerBound]))
        self.hex = hex.lowercased()
    }

    public var description: String { "\(namespace.rawValue):sha256:\(hex)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = CredentialFingerprint(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected namespace:sha256:hex, got \(text.prefix(80))"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// A redacted form safe to print: the first and last four characters (`AKIA…MPLE`).
    public static func preview(_ value: String) -> String {
        guard value.count > 8 else { return String(repeating: "•", count: value.count) }
        return "\(value.prefix(4))…\(value.suffix(4))"
    }
}
