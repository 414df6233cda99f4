/// A kind whose values are open strings: known values have named constants, and a value this
/// build does not know (written by a newer Roster, or by a connector added later) is kept as it
/// is, compared, stored and printed, never coerced into a known one.
///
/// For example:
/// ```swift
/// let kind = IdentityKind(rawValue: "oci.dynamic-group")   // unknown here, kept verbatim
/// kind == .iamRole                                          // false
/// ```
public protocol OpenKind: RawRepresentable, Codable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension OpenKind {
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The provider namespace of a namespaced value (`gcp` for `gcp.service-account`), if it has one.
    public var namespace: String? {
        rawValue.firstIndex(of: ".").map { String(rawValue[..<$0]) }
    }
}
