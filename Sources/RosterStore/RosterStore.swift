import Crypto
public import Foundation
import GRDB
public import RosterModel

/// The embedded store: snapshots in one SQLite file.
///
/// Every import is one transaction, so a failed import leaves the file exactly as it was.
/// Rows keep indexed columns for filtering plus the full value as JSON, so every model type
/// round-trips unchanged.
///
/// For example:
/// ```swift
/// let store = try RosterStore.open(at: "roster.db")
/// let outcomes = try store.save([SnapshotInput(estate: estate, source: "export/", findings: findings)])
/// ```
public struct RosterStore: SnapshotStore {
    private let writer: any DatabaseWriter

    private init(writer: any DatabaseWriter) throws {
        self.writer = writer
        do {
            try Migrations.migrator.migrate(writer)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError(.corrupt, "not a Roster database (SQLite says: file is not a database)")
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, "cannot prepare the database: \(error.message ?? error.resultCode.description)")
        }
    }

    /// Opens (creating if needed) the store at `path`.
    ///
    /// - Throws: ``StoreError`` when the file cannot be created or is not a Roster database.
    public static func open(at path: String) throws -> RosterStore {
        var configuration = Configuration()
        configuration.publicStatementArguments = false
        configuration.busyMode = .timeout(10)
        do {
            return try RosterStore(writer: try DatabaseQueue(path: path, configuration: configuration))
        } catch let error as StoreError {
            throw StoreError(error.code, "\(path): \(error.message)")
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { throw StoreError(.corrupt, "\(path): not a Roster database (SQLite says: file is not a database)") }
            throw StoreError(.cannotOpen, "\(path): cannot open the database: \(error.message ?? error.resultCode.description)")
        }
    }

    /// A store that lives in memory only, for tests and one-off analyses.
    public static func inMemory() throws -> RosterStore {
        try RosterStore(writer: try DatabaseQueue())
    }

    // MARK: Writing

    public func save(_ items: [SnapshotInput]) throws -> [SaveOutcome] {
        do {
            return try writer.write { db in
                var outcomes: [SaveOutcome] = []
                for item in items { outcomes.append(try save(item, in: db)) }
                return outcomes
            }
        } catch let error as DatabaseError {
            throw StoreError(.writeFailed, "the import was not saved (nothing was written): \(error.message ?? error.resultCode.description)")
        }
    }

    private func save(_ item: SnapshotInput, in db: Database) throws -> SaveOutcome {
        let estate = item.estate.sorted()
        let latest = try latestSnapshot(scope: estate.scope, in: db)
        let takenAt = Date()
        var outcome: SaveOutcome?
        // Rows are written while the digest is computed, so nothing is held twice in memory; if the
        // digest shows the data equals the latest snapshot, the savepoint is rolled back.
        try db.inSavepoint {
            try db.execute(
                sql: """
                    INSERT INTO snapshot (scope, takenAt, observedAt, source, digest, inputDigest, identityCount, credentialCount)
                    VALUES (?, ?, ?, ?, '', ?, ?, ?)
                    """,
                arguments: [estate.scope, takenAt.timeIntervalSinceReferenceDate, estate.observedAt.timeIntervalSinceReferenceDate, item.source,
                            item.inputDigest, estate.identities.count, estate.credentials.count])
            let id = db.lastInsertedRowID
            var hasher = SHA256()
            func hash(_ data: Data) {
                hasher.update(data: data)
                hasher.update(data: [0x0A])
            }

            let insertIdentity = try db.makeStatement(sql: """
                INSERT INTO identity (snapshotId, id, provider, kind, name, account, owner, environment, nature, lastUsedAt, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try ChunkEncoder.encode(estate.identities) { identity, data in
                hash(data)
                try insertIdentity.execute(arguments: [
                    id, identity.id, identity.provider.rawValue, identity.kind.rawValue, identity.name, identity.account, identity.owner,
                    identity.environment, identity.nature.rawValue, identity.lastUsedAt?.timeIntervalSince1970, data,
                ])
            }
            let insertCredential = try db.makeStatement(sql: """
                INSERT INTO credential (snapshotId, id, identityId, kind, status, fingerprint, data) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            try ChunkEncoder.encode(estate.credentials) { credential, data in
                hash(data)
                try insertCredential.execute(arguments: [
                    id, credential.id, credential.identityId, credential.kind.rawValue, credential.status.rawValue, credential.fingerprint, data,
                ])
            }
            let insertPolicy = try db.makeStatement(sql: "INSERT INTO policy (snapshotId, id, name, kind, data) VALUES (?, ?, ?, ?, ?)")
            try ChunkEncoder.encode(estate.policies) { policy, data in
                hash(data)
                try insertPolicy.execute(arguments: [id, policy.id, policy.name, policy.kind.rawValue, data])
            }
            let insertResource = try db.makeStatement(sql: "INSERT INTO resource (snapshotId, id, type, name, data) VALUES (?, ?, ?, ?, ?)")
            try ChunkEncoder.encode(estate.resources) { resource, data in
                hash(data)
                try insertResource.execute(arguments: [id, resource.id, resource.type, resource.name, data])
            }
            let insertGrant = try db.makeStatement(sql: "INSERT OR IGNORE INTO permissionGrant (snapshotId, subjectId, policyId, via) VALUES (?, ?, ?, ?)")
            for grant in estate.grants {
                hash(Data("\(grant.subjectId)\u{1F}\(grant.policyId)\u{1F}\(grant.via.rawValue)".utf8))
                try insertGrant.execute(arguments: [id, grant.subjectId, grant.policyId, grant.via.rawValue])
            }
            let insertLink = try db.makeStatement(sql: "INSERT OR IGNORE INTO link (snapshotId, fromId, toId, kind) VALUES (?, ?, ?, ?)")
            for link in estate.links {
                hash(Data("\(link.fromId)\u{1F}\(link.toId)\u{1F}\(link.kind.rawValue)".utf8))
                try insertLink.execute(arguments: [id, link.fromId, link.toId, link.kind.rawValue])
            }
            hash(Data(estate.scope.utf8))
            // Ages are whole days, so a later observation of the same content is new data once the
            // day changes (a key crosses its age limit) and the same data within the day.
            hash(Data(estate.observedAt.utcDay.utf8))
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            if let latest, latest.digest == digest {
                outcome = .unchanged(latest)
                return .rollback
            }
            try db.execute(sql: "UPDATE snapshot SET digest = ? WHERE id = ?", arguments: [digest, id])

            let insertFinding = try db.makeStatement(sql: """
                INSERT INTO finding (snapshotId, ruleId, identityId, identityName, credentialId, severity, owasp, title, evidence, remediation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for finding in item.findings {
                try insertFinding.execute(arguments: [
                    id, finding.ruleId, finding.identityId, finding.identityName, finding.credentialId, finding.severity.rawValue,
                    finding.owasp.rawValue, finding.title, Self.jsonArray(finding.evidence), finding.remediation,
                ])
            }
            outcome = .created(SnapshotInfo(
                id: id, scope: estate.scope, takenAt: takenAt, observedAt: estate.observedAt, source: item.source, digest: digest,
                identityCount: estate.identities.count, credentialCount: estate.credentials.count, inputDigest: item.inputDigest))
            return .commit
        }
        guard let outcome else { throw StoreError(.writeFailed, "the snapshot of \(estate.scope) was neither written nor matched") }
        return outcome
    }

    /// A JSON array of strings, written by hand: JSONSerialization is slow for many small arrays.
    static func jsonArray(_ strings: [String]) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        out += String(format: "\\u%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
        return out + "]"
    }

    // MARK: Reading

    public func snapshots(scope: String? = nil) throws -> [SnapshotInfo] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM snapshot WHERE ? IS NULL OR scope = ? ORDER BY id", arguments: [scope, scope])
            return rows.map(Self.snapshotInfo)
        }
    }

    public func latestSnapshots() throws -> [SnapshotInfo] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM snapshot WHERE id IN (SELECT MAX(id) FROM snapshot GROUP BY scope) ORDER BY scope")
            return rows.map(Self.snapshotInfo)
        }
    }

    public func estate(snapshot id: Int64) throws -> Estate {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [id]) else {
                throw StoreError(.notFound, "no snapshot #\(id)")
            }
            let info = Self.snapshotInfo(row)
            let decoder = JSONDecoder()
            func decodeAll<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
                var out: [T] = []
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: [id])
                while let row = try cursor.next() {
                    let data: Data = row["data"]
                    do {
                        out.append(try decoder.decode(T.self, from: data))
                    } catch {
                        throw StoreError(.corrupt, "snapshot #\(id) holds a \(T.self) that cannot be read; the database may come from a newer Roster")
                    }
                }
                return out
            }
            var estate = Estate(observedAt: info.observedAt, scope: info.scope)
            estate.identities = try decodeAll(Identity.self, "SELECT data FROM identity WHERE snapshotId = ? ORDER BY id")
            estate.credentials = try decodeAll(Credential.self, "SELECT data FROM credential WHERE snapshotId = ? ORDER BY id")
            estate.policies = try decodeAll(Policy.self, "SELECT data FROM policy WHERE snapshotId = ? ORDER BY id")
            estate.resources = try decodeAll(Resource.self, "SELECT data FROM resource WHERE snapshotId = ? ORDER BY id")
            estate.grants = try Row.fetchAll(
                db, sql: "SELECT subjectId, policyId, via FROM permissionGrant WHERE snapshotId = ? ORDER BY subjectId, policyId, via", arguments: [id]
            ).map { Grant(subjectId: $0["subjectId"], policyId: $0["policyId"], via: GrantVia(rawValue: $0["via"]) ?? .attached) }
            estate.links = try Row.fetchAll(
                db, sql: "SELECT fromId, toId, kind FROM link WHERE snapshotId = ? ORDER BY fromId, toId, kind", arguments: [id]
            ).map { Link(fromId: $0["fromId"], toId: $0["toId"], kind: LinkKind(rawValue: $0["kind"]) ?? .canAssume) }
            return estate
        }
    }

    public func findings(snapshot id: Int64) throws -> [Finding] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM finding WHERE snapshotId = ? ORDER BY rowid", arguments: [id])
            return try rows.map { row in
                let evidenceText: String = row["evidence"]
                guard let severity = Severity(rawValue: row["severity"]), let owasp = OWASPCategory(rawValue: row["owasp"]),
                    let evidence = try JSONSerialization.jsonObject(with: Data(evidenceText.utf8)) as? [String]
                else {
                    throw StoreError(.corrupt, "snapshot #\(id) holds a finding that cannot be read; the database may come from a newer Roster")
                }
                return Finding(
                    ruleId: row["ruleId"], severity: severity, title: row["title"], owasp: owasp, identityId: row["identityId"],
                    identityName: row["identityName"], credentialId: row["credentialId"], evidence: evidence, remediation: row["remediation"])
            }
        }
    }

    private func latestSnapshot(scope: String, in db: Database) throws -> SnapshotInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE scope = ? ORDER BY id DESC LIMIT 1", arguments: [scope]).map(Self.snapshotInfo)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(.corrupt, "cannot read the database: \(error.message ?? error.resultCode.description)")
        }
    }

    private static func snapshotInfo(_ row: Row) -> SnapshotInfo {
        SnapshotInfo(
            id: row["id"], scope: row["scope"], takenAt: Date(timeIntervalSinceReferenceDate: row["takenAt"]),
            observedAt: Date(timeIntervalSinceReferenceDate: row["observedAt"]), source: row["source"], digest: row["digest"],
            identityCount: row["identityCount"], credentialCount: row["credentialCount"], inputDigest: row["inputDigest"])
    }
}
