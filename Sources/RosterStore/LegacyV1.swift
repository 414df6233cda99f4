import Foundation
import GRDB
import RosterModel

/// Reads snapshots as release 1 stored them (a full copy of every row per snapshot, AWS-shaped
/// identities) and writes them as v2 membership lists, inside the v2 migration.
enum LegacyV1 {
    /// The fields v1 kept on identities that v2 keeps as grants of policies.
    private struct IdentityExtras: Decodable {
        var trustPolicy: PolicyDocument?
    }

    /// v1 policies had an AWS `document` instead of a provider-tagged body.
    private struct PolicyV1: Decodable {
        var id: String
        var name: String
        var provider: Provider
        var kind: PolicyKind
        var document: PolicyDocument
    }

    static func convert(_ db: Database) throws {
        let decoder = JSONDecoder()
        let snapshots = try Row.fetchAll(db, sql: "SELECT id, scope, observedAt FROM snapshot ORDER BY id")
        let insertObject = try db.makeStatement(sql: "INSERT OR IGNORE INTO object (vid, type, key, fingerprint, data) VALUES (?, ?, ?, ?, ?)")
        let insertMember = try db.makeStatement(sql: "INSERT OR IGNORE INTO member (snapshotId, vid) VALUES (?, ?)")
        for snapshot in snapshots {
            let id: Int64 = snapshot["id"]
            var estate = Estate(observedAt: Date(timeIntervalSinceReferenceDate: snapshot["observedAt"]), scope: snapshot["scope"])
            func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: [id]) }
            func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
                do {
                    return try decoder.decode(T.self, from: data)
                } catch {
                    throw StoreError(.corrupt, "snapshot #\(id) holds a \(T.self) that cannot be upgraded (\(error))")
                }
            }
            for row in try rows("SELECT data FROM identity WHERE snapshotId = ?") {
                let data: Data = row["data"]
                let identity = try decode(Identity.self, data)
                estate.identities.append(identity)
                if let trust = try decode(IdentityExtras.self, data).trustPolicy {
                    let policyId = "\(identity.id)#trust"
                    estate.policies.append(Policy(id: policyId, name: "\(identity.name) trust policy", kind: .trust, document: trust))
                    estate.grants.append(Grant(subjectId: identity.id, policyId: policyId, via: .trust))
                }
            }
            for row in try rows("SELECT data FROM credential WHERE snapshotId = ?") {
                var credential = try decode(Credential.self, row["data"])
                // v1 fingerprints were bare hex SHA-256 of the key id.
                if let hex = credential.fingerprint, hex.count == 64, credential.kind == .accessKey {
                    credential.fingerprint = "\(CredentialFingerprint.Namespace.awsAccessKeyId.rawValue):sha256:\(hex)"
                }
                estate.credentials.append(credential)
            }
            for row in try rows("SELECT data FROM policy WHERE snapshotId = ?") {
                let v1 = try decode(PolicyV1.self, row["data"])
                estate.policies.append(Policy(id: v1.id, name: v1.name, provider: v1.provider, kind: v1.kind, document: v1.document))
            }
            for row in try rows("SELECT data FROM resource WHERE snapshotId = ?") {
                estate.resources.append(try decode(Resource.self, row["data"]))
            }
            for row in try rows("SELECT subjectId, policyId, via FROM permissionGrant WHERE snapshotId = ?") {
                estate.grants.append(Grant(subjectId: row["subjectId"], policyId: row["policyId"], via: GrantVia(rawValue: row["via"])))
            }
            // can-assume links were derived from trust policies; v2 derives them in analysis.
            for row in try rows("SELECT fromId, toId, kind FROM link WHERE snapshotId = ? AND kind != 'can-assume'") {
                let kind = EdgeKind(rawValue: row["kind"])
                estate.edges.append(Edge(from: row["fromId"], to: row["toId"], kind: kind, rule: "aws.import",
                                         reason: kind == .memberOf ? "member of the group" : "instance profile carries the role"))
            }
            let objects = try EstateEncoding.encode(estate.sorted())
            for object in objects {
                try insertObject.execute(arguments: [object.vid, object.type.rawValue, object.key, object.fingerprint, object.data])
                try insertMember.execute(arguments: [id, object.vid])
            }
            try db.execute(sql: "UPDATE snapshot SET digest = ? WHERE id = ?", arguments: [EstateEncoding.digest(scope: estate.scope, objects: objects), id])
        }
    }
}
