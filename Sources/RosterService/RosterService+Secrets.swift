import Foundation
public import RosterModel
import RosterStore

extension RosterService {
    /// The holder of each fingerprint in the stored inventory. A fingerprint the inventory does
    /// not hold comes back `unknown`, never attributed to anyone; one only older snapshots hold
    /// comes back `deleted`, with the identity that held it.
    public func holders(of fingerprints: [CredentialFingerprint]) async throws -> [CredentialFingerprint: CredentialHolder] {
        let unique = Array(Set(fingerprints))
        var result = Dictionary(uniqueKeysWithValues: unique.map { ($0, CredentialHolder.unknown) })
        let snapshots = try await store.latestSnapshots()
        guard !snapshots.isEmpty else { return result }
        let found = try await store.credentials(withFingerprints: unique.map(\.description), current: snapshots.map(\.id))
        guard !found.isEmpty else { return result }
        let view = try await view()
        let profiles = try await store.profiles(ProfileQuery(analyses: view.analyses, identityIds: Array(Set(found.map(\.credential.identityId)))))
        let byIdentity = Dictionary(profiles.map { ($0.identity.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (credential, current) in found {
            guard let text = credential.fingerprint, let fingerprint = CredentialFingerprint(parsing: text) else { continue }
            let profile = byIdentity[credential.identityId]
            let identity = profile?.identity
            let status = current ? (credential.status == .active ? "active" : "inactive") : "deleted"
            result[fingerprint] = CredentialHolder(
                status: status, credentialId: credential.id, identityId: credential.identityId, identityName: identity?.name,
                arn: identity?.arn, provider: identity?.provider.rawValue, account: identity?.account, owner: identity?.owner,
                environment: identity?.environment, lastUsedAt: credential.lastUsedAt ?? identity?.lastUsedAt,
                privilege: current ? profile?.privilege : nil, privilegeEvidence: current ? Array((profile?.privilegeEvidence ?? []).prefix(5)) : [],
                risk: current ? profile?.risk : nil)
        }
        return result
    }
}
