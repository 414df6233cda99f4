public import RosterModel

/// What changed between two snapshots of the same scope.
public struct EstateDiff: Sendable {
    public struct Change: Sendable {
        public var id: String
        public var name: String
        /// The fields that differ, such as `owner`, `lastUsedAt`, `credential AKIA…MPLE status`.
        public var fields: [String]
    }

    public var addedIdentities: [Identity]
    public var removedIdentities: [Identity]
    public var changedIdentities: [Change]
    public var addedCredentials: [Credential]
    public var removedCredentials: [Credential]
    public var newFindings: [Finding]
    public var resolvedFindings: [Finding]

    public var isEmpty: Bool {
        addedIdentities.isEmpty && removedIdentities.isEmpty && changedIdentities.isEmpty && addedCredentials.isEmpty
            && removedCredentials.isEmpty && newFindings.isEmpty && resolvedFindings.isEmpty
    }

    /// Compares `old` with `new` by identity and credential id: linear in their sizes.
    public static func between(_ old: Estate, _ new: Estate, oldFindings: [Finding], newFindings: [Finding]) -> EstateDiff {
        let before = Dictionary(old.identities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.identities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldCredentials = Dictionary(old.credentials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newCredentials = Dictionary(new.credentials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldGrants = Dictionary(grouping: old.grants, by: \.subjectId).mapValues { Set($0.map(\.policyId)) }
        let newGrants = Dictionary(grouping: new.grants, by: \.subjectId).mapValues { Set($0.map(\.policyId)) }

        var changed: [Change] = []
        for identity in new.identities {
            guard let previous = before[identity.id] else { continue }
            var fields = fieldChanges(previous, identity)
            if oldGrants[identity.id] ?? [] != newGrants[identity.id] ?? [] { fields.append("policies") }
            for credential in new.credentials where credential.identityId == identity.id {
                if let was = oldCredentials[credential.id], was != credential {
                    if was.status != credential.status { fields.append("\(credential.preview ?? credential.id) \(was.status.rawValue)→\(credential.status.rawValue)") }
                    if was.lastUsedAt != credential.lastUsedAt { fields.append("\(credential.preview ?? credential.id) last used") }
                }
            }
            if !fields.isEmpty { changed.append(Change(id: identity.id, name: identity.name, fields: fields)) }
        }
        func key(_ f: Finding) -> String { "\(f.ruleId)|\(f.identityId)|\(f.credentialId ?? "")" }
        let oldKeys = Set(oldFindings.map(key))
        let newKeys = Set(newFindings.map(key))
        return EstateDiff(
            addedIdentities: new.identities.filter { before[$0.id] == nil },
            removedIdentities: old.identities.filter { after[$0.id] == nil },
            changedIdentities: changed,
            addedCredentials: new.credentials.filter { oldCredentials[$0.id] == nil },
            removedCredentials: old.credentials.filter { newCredentials[$0.id] == nil },
            newFindings: newFindings.filter { !oldKeys.contains(key($0)) },
            resolvedFindings: oldFindings.filter { !newKeys.contains(key($0)) })
    }

    static func fieldChanges(_ a: Identity, _ b: Identity) -> [String] {
        var fields: [String] = []
        if a.name != b.name { fields.append("name") }
        if a.owner != b.owner { fields.append("owner") }
        if a.environment != b.environment { fields.append("environment") }
        if a.tags != b.tags { fields.append("tags") }
        if a.nature != b.nature { fields.append("nature \(a.nature.rawValue)→\(b.nature.rawValue)") }
        if a.lastUsedAt != b.lastUsedAt { fields.append("last used") }
        if a.console != b.console { fields.append("console access") }
        if a.trustPolicy != b.trustPolicy { fields.append("trust policy") }
        if a.permissionsBoundary != b.permissionsBoundary { fields.append("permissions boundary") }
        return fields
    }
}
