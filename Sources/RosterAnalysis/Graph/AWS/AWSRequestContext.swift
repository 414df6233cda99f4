import RosterModel

/// What an AWS request carries for condition keys, as far as the export lets us know.
///
/// Keys are case-insensitive (stored lowercased, tag keys included). A key maps to its values
/// (several for multivalued keys such as `aws:TagKeys`); an empty list means the request is known
/// not to carry the key; a key that is not in `values` is unknown, and a condition on it is undecided.
///
/// For example, a role session calling IAM with a role tag `team=ci`:
/// ```swift
/// var context = AWSRequestContext()
/// context.set("aws:MultiFactorAuthPresent", "false")
/// context.set("aws:PrincipalTag/team", "ci")
/// context.setAbsent("aws:SourceIdentity")
/// ```
public struct AWSRequestContext: Hashable, Sendable {
    public var values: [String: [String]]
    /// Lowercased key prefixes whose every key is known (`aws:principaltag/` when the export lists
    /// all of a principal's tags): a key under one that is not in `values` is absent, not unknown.
    public var completePrefixes: Set<String> = []

    public init(values: [String: [String]] = [:]) {
        self.values = [:]
        for (key, value) in values { self.values[key.lowercased()] = value }
    }

    public enum Lookup: Hashable, Sendable {
        case present([String])
        case absent
        case unknown
    }

    public func lookup(_ key: String) -> Lookup {
        let key = key.lowercased()
        guard let found = values[key] else {
            return completePrefixes.contains { key.hasPrefix($0) } ? .absent : .unknown
        }
        return found.isEmpty ? .absent : .present(found)
    }

    /// This context with `other`'s keys added (and replacing the same keys here).
    public func merging(_ other: AWSRequestContext) -> AWSRequestContext {
        var out = self
        out.values.merge(other.values) { _, b in b }
        out.completePrefixes.formUnion(other.completePrefixes)
        return out
    }

    public mutating func set(_ key: String, _ value: String...) { values[key.lowercased()] = value }
    public mutating func set(_ key: String, values list: [String]) { values[key.lowercased()] = list }
    public mutating func setAbsent(_ key: String) { values[key.lowercased()] = [] }
}

/// The outcome of one condition block (or of one operator test) on a request context.
public enum ConditionOutcome: Hashable, Sendable {
    case matches
    case fails
    /// The context does not fix a key the condition needs; the text says which and how.
    case undecided(String)
}
