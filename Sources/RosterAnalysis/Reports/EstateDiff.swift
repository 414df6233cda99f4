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
        let oldGrants = Dictionary(grouping: old.grants, by: \.subjectId).mapValues(Set.init)
        let newGrants = Dictionary(grouping: new.grants, by: \.subjectId).mapValues(Set.init)
        let oldPolicies = Dictionary(old.policies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newPolicies = Dictionary(new.policies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newCredentialsByIdentity = Dictionary(grouping: new.credentials, by: \.identityId)

        var changed: [Change] = []
        for identity in new.identities {
            guard let previous = before[identity.id] else { continue }
            var fields = fieldChanges(previous, identity)
            let grantsBefore = oldGrants[identity.id] ?? [], grantsAfter = newGrants[identity.id] ?? []
            for via in [GrantVia.trust, .boundary] {
                let was = grantsBefore.filter { $0.via == via }.map { oldPolicies[$0.policyId] }
                let now = grantsAfter.filter { $0.via == via }.map { newPolicies[$0.policyId] }
                if was != now { fields.append(via == .trust ? "trust policy" : "permissions boundary") }
            }
            let permissionsBefore = grantsBefore.filter { $0.via != .trust && $0.via != .boundary }
            let permissionsAfter = grantsAfter.filter { $0.via != .trust && $0.via != .boundary }
            if permissionsBefore != permissionsAfter { fields.append("policies") }
            for credential in newCredentialsByIdentity[identity.id] ?? [] {
                if let was = oldCredentials[credential.id], was != credential {
                    if was.status != credential.status { fields.append("\(credential.preview ?? credential.id) \(was.status.rawValue)→\(credential.status.rawValue)") }
                    if was.lastUsedAt != credential.lastUsedAt { fields.append("\(credential.preview ?? credential.id) last used") }
                }
            }
            if !fields.isEmpty { changed.append(Change(id: identity.id, name: identity.name, fields: fields)) }
        }
        let oldKeys = Set(oldFindings.map(\.id))
        let newKeys = Set(newFindings.map(\.id))
        return EstateDiff(
            addedIdentities: new.identities.filter { before[$0.id] == nil },
            removedIdentities: old.identities.filter { after[$0.id] == nil },
            changedIdentities: changed,
            addedCredentials: new.credentials.filter { oldCredentials[$0.id] == nil },
            removedCredentials: old.credentials.filter { newCredentials[$0.id] == nil },
            newFindings: newFindings.filter { !oldKeys.contains($0.id) },
            resolvedFindings: oldFindings.filter { !newKeys.contains($0.id) })
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
        return fields
    }
}
