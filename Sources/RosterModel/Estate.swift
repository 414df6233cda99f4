public import Foundation

/// Everything one import observed: the contents of a snapshot.
///
/// `observedAt` is when the source data was produced (a credential report's generation time),
/// and is the "now" that staleness and key age are measured against, so the same files give
/// the same findings whenever they are analysed.
public struct Estate: Codable, Hashable, Sendable {
    public var observedAt: Date
    /// What the estate covers, such as `aws:210987654321`; snapshots of the same scope are compared.
    public var scope: String
    public var identities: [Identity]
    public var credentials: [Credential]
    public var policies: [Policy]
    public var grants: [Grant]
    public var resources: [Resource]
    /// Relations the sources state (membership, instance profiles); analysis adds derived ones.
    public var edges: [Edge]

    public init(
        observedAt: Date,
        scope: String,
        identities: [Identity] = [],
        credentials: [Credential] = [],
        policies: [Policy] = [],
        grants: [Grant] = [],
        resources: [Resource] = [],
        edges: [Edge] = []
    ) {
        self.observedAt = observedAt
        self.scope = scope
        self.identities = identities
        self.credentials = credentials
        self.policies = policies
        self.grants = grants
        self.resources = resources
        self.edges = edges
    }

    /// The same estate with every collection in a fixed order, so equal data compares and hashes equal.
    public func sorted() -> Estate {
        var copy = self
        // Checking order is linear; sorting strings is not. Estates usually arrive sorted already.
        func sort<T>(_ list: inout [T], by less: (T, T) -> Bool) {
            if zip(list, list.dropFirst()).contains(where: { !less($0, $1) && less($1, $0) }) { list.sort(by: less) }
        }
        sort(&copy.identities) { $0.id < $1.id }
        sort(&copy.credentials) { $0.id < $1.id }
        sort(&copy.policies) { $0.id < $1.id }
        sort(&copy.grants) { ($0.subjectId, $0.policyId, $0.via.rawValue, $0.scope?.description ?? "") < ($1.subjectId, $1.policyId, $1.via.rawValue, $1.scope?.description ?? "") }
        sort(&copy.resources) { $0.id < $1.id }
        sort(&copy.edges) { ($0.from, $0.to, $0.kind.rawValue, $0.rule) < ($1.from, $1.to, $1.kind.rawValue, $1.rule) }
        return copy
    }
}

/// A stored import: when it was taken, what it covers, and how much it holds.
public struct SnapshotInfo: Codable, Hashable, Sendable, Identifiable {
    public var id: Int64
    public var scope: String
    public var takenAt: Date
    public var observedAt: Date
    /// What was imported (file names or an endpoint), for people.
    public var source: String
    /// SHA-256 of the estate's canonical form; equal data, equal digest.
    public var digest: String
    public var identityCount: Int
    public var credentialCount: Int
    /// SHA-256 of the input files (for file imports), so an import of the very same files is
    /// recognised before they are parsed.
    public var inputDigest: String?

    public init(
        id: Int64,
        scope: String,
        takenAt: Date,
        observedAt: Date,
        source: String,
        digest: String,
        identityCount: Int,
        credentialCount: Int,
        inputDigest: String? = nil
    ) {
        self.id = id
        self.scope = scope
        self.takenAt = takenAt
        self.observedAt = observedAt
        self.source = source
        self.digest = digest
        self.identityCount = identityCount
        self.credentialCount = credentialCount
        self.inputDigest = inputDigest
    }
}
