import Crypto
public import Foundation
import GRDB
public import RosterModel

/// The embedded store: snapshots and their analysis in one SQLite file.
///
/// Every write is one transaction, so a failed import leaves the file exactly as it was. Each
/// distinct version of an object is stored once (content-addressed, as git stores blobs) and a
/// snapshot lists the versions it holds. Analysis is stored beside it and read by indexed
/// queries. Readers use a `DatabasePool` (WAL), so an import never blocks them.
///
/// For example:
/// ```swift
/// let store = try RosterStore.open(at: "roster.db")
/// let outcomes = try await store.save([SnapshotInput(estate: estate, source: "export/")])
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

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.publicStatementArguments = false
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL cannot corrupt the file; a power cut may lose the last import, which is re-run.
            // A larger page cache (up to 256 MB, used only as needed) keeps a large import's index pages in memory.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144")
        }
        return configuration
    }

    /// Opens (creating if needed) the store at `path`, upgrading a database written by an earlier release.
    ///
    /// - Throws: ``StoreError`` when the file cannot be created or is not a Roster database.
    public static func open(at path: String) throws -> RosterStore {
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            return try RosterStore(writer: pool)
        } catch let error as StoreError {
            throw StoreError(error.code, "\(path): \(error.message)")
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { throw StoreError(.corrupt, "\(path): not a Roster database (SQLite says: file is not a database)") }
            throw StoreError(.cannotOpen, "\(path): cannot open the database: \(error.message ?? error.resultCode.description)")
        }
    }

    /// A store that lives in memory only, for tests and one-off analyses.
    public static func inMemory() throws -> RosterStore {
        try RosterStore(writer: try DatabaseQueue(configuration: configuration()))
    }

    // MARK: Access

    private func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError(.writeFailed, "\(what) was not saved (nothing was written): \(error.message ?? error.resultCode.description)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(.corrupt, "cannot read the database: \(error.message ?? error.resultCode.description)")
        }
    }

    // MARK: Snapshots

    public func save(_ items: [SnapshotInput]) async throws -> [SaveOutcome] {
        for item in items { try Self.checkUnique(item.estate) }
        // Encoding and hashing happen before the transaction, on all cores.
        let prepared = try items.map { item -> (SnapshotInput, [EncodedObject]) in
            var sorted = item
            sorted.estate = item.estate.sorted()
            return (sorted, try EstateEncoding.encode(sorted.estate))
        }
        return try await write("the import") { db in
            try prepared.map { item, objects in try Self.save(item, objects: objects, in: db) }
        }
    }

    /// An estate naming two different things by one id is refused: which one is meant would be a guess.
    private static func checkUnique(_ estate: Estate) throws {
        func check<T>(_ values: [T], _ what: String, _ id: (T) -> String) throws {
            var seen = Set<String>()
            for value in values where !seen.insert(id(value)).inserted {
                throw StoreError(.writeFailed, "the import was not saved (nothing was written): \(estate.scope) holds two \(what) with the id \(id(value).prefix(200))")
            }
        }
        try check(estate.identities, "identities", \.id)
        try check(estate.credentials, "credentials", \.id)
        try check(estate.policies, "policies", \.id)
        try check(estate.resources, "resources", \.id)
    }

    private static func save(_ item: SnapshotInput, objects: [EncodedObject], in db: Database) throws -> SaveOutcome {
        let estate = item.estate
        let digest = EstateEncoding.digest(scope: estate.scope, objects: objects)
        let latest = try latestSnapshot(scope: estate.scope, in: db)
        // Same content observed the same UTC day: nothing new. On a later day the content is
        // the same but ages moved on, so it is a new snapshot that reuses every stored version.
        if let latest, latest.digest == digest, latest.observedAt.utcDay == estate.observedAt.utcDay {
            return .unchanged(latest)
        }
        let takenAt = Date()
        try db.execute(
            sql: """
                INSERT INTO snapshot (scope, takenAt, observedAt, source, digest, inputDigest, identityCount, credentialCount)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [estate.scope, takenAt.timeIntervalSinceReferenceDate, estate.observedAt.timeIntervalSinceReferenceDate, item.source, digest,
                        item.inputDigest, estate.identities.count, estate.credentials.count])
        let id = db.lastInsertedRowID
        if let latest, latest.digest == digest {
            try db.execute(sql: "INSERT INTO member (snapshotId, vid) SELECT ?, vid FROM member WHERE snapshotId = ?", arguments: [id, latest.id])
        } else {
            // Versions the latest snapshot already holds are stored; only new ones are written.
            var known = Set<Int64>()
            if let latest {
                known.reserveCapacity(latest.identityCount * 4)
                let cursor = try Int64.fetchCursor(db, sql: "SELECT vid FROM member WHERE snapshotId = ?", arguments: [latest.id])
                while let vid = try cursor.next() { known.insert(vid) }
            }
            let insertObject = try db.makeStatement(sql: "INSERT OR IGNORE INTO object (vid, type, key, fingerprint, data) VALUES (?, ?, ?, ?, ?)")
            let insertMember = try db.makeStatement(sql: "INSERT OR IGNORE INTO member (snapshotId, vid) VALUES (?, ?)")
            // In key order, so both b-trees are appended to rather than split at random places.
            for object in objects.sorted(by: { $0.vid < $1.vid }) {
                if !known.contains(object.vid) {
                    try insertObject.execute(arguments: [object.vid, object.type.rawValue, object.key, object.fingerprint, object.data])
                }
                try insertMember.execute(arguments: [id, object.vid])
            }
        }
        return .created(SnapshotInfo(
            id: id, scope: estate.scope, takenAt: takenAt, observedAt: estate.observedAt, source: item.source, digest: digest,
            identityCount: estate.identities.count, credentialCount: estate.credentials.count, inputDigest: item.inputDigest))
    }

    public func snapshots(scope: String? = nil) async throws -> [SnapshotInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM snapshot WHERE ? IS NULL OR scope = ? ORDER BY id", arguments: [scope, scope]).map(Self.snapshotInfo)
        }
    }

    public func latestSnapshots() async throws -> [SnapshotInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM snapshot WHERE id IN (SELECT MAX(id) FROM snapshot GROUP BY scope) ORDER BY scope").map(Self.snapshotInfo)
        }
    }

    public func estate(snapshot id: Int64) async throws -> Estate {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [id]) else {
                throw StoreError(.notFound, "no snapshot #\(id)")
            }
            let info = Self.snapshotInfo(row)
            var estate = Estate(observedAt: info.observedAt, scope: info.scope)
            let decoder = JSONDecoder()
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT o.type, o.data FROM member m JOIN object o ON o.vid = m.vid WHERE m.snapshotId = ?", arguments: [id])
            while let row = try cursor.next() {
                try EstateEncoding.decode(type: row[0], data: row[1], into: &estate, decoder: decoder)
            }
            return estate.sorted()
        }
    }

    public func prune(keep: Int) async throws -> PruneReport {
        precondition(keep >= 1)
        return try await write("the prune") { db in
            let doomed = try Int64.fetchAll(db, sql: """
                SELECT id FROM snapshot s
                WHERE (SELECT COUNT(*) FROM snapshot t WHERE t.scope = s.scope AND t.id > s.id) >= ?
                """, arguments: [keep])
            for id in doomed { try db.execute(sql: "DELETE FROM snapshot WHERE id = ?", arguments: [id]) }
            var live = Set<Int64>()
            let cursor = try Int64.fetchCursor(db, sql: "SELECT DISTINCT vid FROM member")
            while let vid = try cursor.next() { live.insert(vid) }
            let delete = try db.makeStatement(sql: "DELETE FROM object WHERE vid = ?")
            var deleted = 0
            for vid in try Int64.fetchAll(db, sql: "SELECT vid FROM object") where !live.contains(vid) {
                try delete.execute(arguments: [vid])
                deleted += 1
            }
            return PruneReport(snapshotsDeleted: doomed.count, versionsDeleted: deleted)
        }
    }

    // MARK: Analysis

    public func analysisId(snapshot: Int64, settingsDigest: String) async throws -> Int64? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM analysis WHERE snapshotId = ? AND settingsDigest = ?", arguments: [snapshot, settingsDigest])
        }
    }

    public func saveAnalyses(_ analyses: [AnalysisRecord]) async throws -> [Int64] {
        // Encode the profiles off the write transaction, on all cores.
        let encoded = try analyses.map { analysis -> [Data] in
            var out: [Data] = []
            out.reserveCapacity(analysis.profiles.count)
            try Parallel.map(analysis.profiles, { profile in
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                return try encoder.encode(profile)
            }) { _, data in out.append(data) }
            return out
        }
        return try await write("the analysis") { db in
            var ids: [Int64] = []
            for (analysis, profileData) in zip(analyses, encoded) {
                ids.append(try Self.save(analysis, profileData: profileData, in: db))
            }
            return ids
        }
    }

    private static func save(_ analysis: AnalysisRecord, profileData: [Data], in db: Database) throws -> Int64 {
        guard let snapshot = try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [analysis.snapshotId]).map(snapshotInfo) else {
            throw StoreError(.notFound, "no snapshot #\(analysis.snapshotId)")
        }
        let latest = try latestSnapshot(scope: snapshot.scope, in: db)
        let isLatest = analysis.crossScope != nil || latest?.id == snapshot.id
        let scope = analysis.crossScope ?? snapshot.scope
        if let kind = analysis.crossScope {
            // A cross-scope analysis spans every scope: only the newest of its kind is kept.
            try db.execute(sql: "DELETE FROM analysis WHERE settingsDigest LIKE ?", arguments: [kind + ":%"])
        } else {
            // One stored analysis per snapshot, and only the latest snapshot's (and this one's) are kept:
            // older analyses are what grows a database that is imported into every day.
            try db.execute(
                sql: """
                    DELETE FROM analysis WHERE (snapshotId = ?
                       OR snapshotId IN (SELECT id FROM snapshot WHERE scope = ? AND id != ? AND id != ?))
                       AND instr(settingsDigest, ':') = 0
                    """,
                arguments: [snapshot.id, snapshot.scope, snapshot.id, latest?.id ?? -1])
        }
        try db.execute(
            sql: "INSERT INTO analysis (snapshotId, settingsDigest, analysedAt, metrics) VALUES (?, ?, ?, ?)",
            arguments: [snapshot.id, analysis.settingsDigest, Date().timeIntervalSinceReferenceDate, analysis.metrics])
        let analysisId = db.lastInsertedRowID

        let insertProfile = try db.makeStatement(sql: """
            INSERT INTO profile (analysisId, identityId, nativeId, name, provider, kind, account, owner, environment, nature, privilege, risk, idleDays, findingCount, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var profileByIdentity: [String: IdentityProfileRecord] = [:]
        profileByIdentity.reserveCapacity(analysis.profiles.count)
        // Rows go in in key order (identity id, finding id), so each b-tree is appended to rather than
        // split at random pages: at a million identities that is most of the cost of storing analysis.
        for profile in analysis.context { profileByIdentity[profile.identity.id] = profile }
        for (profile, data) in zip(analysis.profiles, profileData).sorted(by: { $0.0.identity.id < $1.0.identity.id }) {
            let identity = profile.identity
            profileByIdentity[identity.id] = profile
            try insertProfile.execute(arguments: [
                analysisId, identity.id, identity.nativeId, identity.name, identity.provider.rawValue, identity.kind.rawValue, identity.account,
                identity.owner, identity.environment, identity.nature.rawValue, profile.privilege, profile.risk, profile.idleDays,
                profile.findingIds.count, data,
            ])
        }

        let insertFinding = try db.makeStatement(sql: """
            INSERT OR REPLACE INTO finding (analysisId, id, scope, ruleId, severity, owasp, identityId, identityName, identityKind, provider, account, nature,
                credentialId, risk, position, title, evidence, remediation, subject)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let upsertHistory = try db.makeStatement(sql: """
            INSERT INTO findingHistory (scope, id, ruleId, severity, title, identityId, identityName, credentialId, firstSeenSnapshot, lastSeenSnapshot, firstSeen, lastSeen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (scope, id) DO UPDATE SET
                severity = excluded.severity, title = excluded.title, identityName = excluded.identityName,
                firstSeenSnapshot = MIN(firstSeenSnapshot, excluded.firstSeenSnapshot), firstSeen = MIN(firstSeen, excluded.firstSeen),
                lastSeenSnapshot = MAX(lastSeenSnapshot, excluded.lastSeenSnapshot), lastSeen = MAX(lastSeen, excluded.lastSeen)
            """)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let seen = snapshot.observedAt.timeIntervalSinceReferenceDate
        for (position, finding) in analysis.findings.enumerated().sorted(by: { $0.element.id < $1.element.id }) {
            let identity = profileByIdentity[finding.identityId]?.identity
            try insertFinding.execute(arguments: [
                analysisId, finding.id, scope, finding.ruleId, finding.severity.rank, finding.owasp.rawValue, finding.identityId,
                finding.identityName, identity?.kind.rawValue, identity?.provider.rawValue, identity?.account, identity?.nature.rawValue,
                finding.credentialId, profileByIdentity[finding.identityId]?.risk ?? 0, position, finding.title, jsonArray(finding.evidence),
                finding.remediation, String(decoding: try encoder.encode(finding.subject), as: UTF8.self),
            ])
            // History follows the newest snapshot only: re-analysing an old one must not rewrite it.
            if isLatest {
                try upsertHistory.execute(arguments: [
                    scope, finding.id, finding.ruleId, finding.severity.rawValue, finding.title, finding.identityId, finding.identityName,
                    finding.credentialId, snapshot.id, snapshot.id, seen, seen,
                ])
            }
        }

        let insertEdge = try db.makeStatement(sql: "INSERT INTO edge (analysisId, fromId, toId, kind, rule, data) VALUES (?, ?, ?, ?, ?, ?)")
        for edge in analysis.edges.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
            try insertEdge.execute(arguments: [analysisId, edge.from, edge.to, edge.kind.rawValue, edge.rule, try encoder.encode(edge)])
        }
        return analysisId
    }

    public func forEachProfile(_ query: ProfileQuery, _ body: @Sendable ([IdentityProfileRecord]) throws -> Void) async throws {
        try await withoutActuallyEscaping(body) { body in
            try await read { db in
                let (sql, arguments) = Self.profileSQL(query)
                let cursor = try Data.fetchCursor(db, sql: sql, arguments: arguments)
                var batch: [Data] = []
                func flush() throws {
                    var records: [IdentityProfileRecord] = []
                    records.reserveCapacity(batch.count)
                    // Decoded on all cores; handed on in order.
                    try Parallel.map(batch, { try Self.decode(IdentityProfileRecord.self, $0, decoder: JSONDecoder()) }) { _, record in records.append(record) }
                    batch.removeAll(keepingCapacity: true)
                    try body(records)
                }
                while let data = try cursor.next() {
                    batch.append(data)
                    if batch.count == Parallel.chunkSize { try flush() }
                }
                if !batch.isEmpty { try flush() }
            }
        }
    }

    public func profiles(_ query: ProfileQuery) async throws -> [IdentityProfileRecord] {
        try await read { db in
            let (sql, arguments) = Self.profileSQL(query)
            let decoder = JSONDecoder()
            return try Data.fetchAll(db, sql: sql, arguments: arguments).map { try Self.decode(IdentityProfileRecord.self, $0, decoder: decoder) }
        }
    }

    private static func profileSQL(_ query: ProfileQuery) -> (String, StatementArguments) {
        var clauses = ["analysisId IN (\(placeholders(query.analyses.count)))"]
        var arguments = StatementArguments(query.analyses)
        if let ids = query.identityIds {
            clauses.append("identityId IN (\(placeholders(ids.count)))")
            arguments += StatementArguments(ids)
        }
        if let provider = query.provider {
            clauses.append("provider = ?")
            arguments += [provider.rawValue]
        }
        if let kind = query.kind {
            clauses.append("kind = ?")
            arguments += [kind.rawValue]
        }
        if let nature = query.nature {
            clauses.append("nature = ?")
            arguments += [nature.rawValue]
        }
        if query.nonHumanOnly { clauses.append("nature IN ('machine', 'unknown')") }
        if let owner = query.owner {
            if owner.isEmpty {
                clauses.append("owner IS NULL")
            } else {
                clauses.append("owner LIKE ? ESCAPE '\\'")
                arguments += ["%" + likeEscaped(owner) + "%"]
            }
        }
        if let environment = query.environment {
            clauses.append("environment = ? COLLATE NOCASE")
            arguments += [environment]
        }
        if let days = query.minIdleDays {
            clauses.append("idleDays >= ?")
            arguments += [days]
        }
        // Looking up given identities must go through the (analysisId, identityId) key, not walk the rank index.
        let order = query.identityIds == nil ? "risk DESC, identityId" : "+risk DESC, identityId"
        var sql = "SELECT data FROM profile WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order)"
        if let limit = query.limit {
            sql += " LIMIT ? OFFSET ?"
            arguments += [limit, query.offset]
        } else if query.offset > 0 {
            sql += " LIMIT -1 OFFSET ?"
            arguments += [query.offset]
        }
        return (sql, arguments)
    }

    public func lookupIdentity(_ text: String, analyses: [Int64]) async throws -> [String] {
        try await read { db in
            let scope = "analysisId IN (\(Self.placeholders(analyses.count)))"
            // `+analysisId` where another index is better: the lookups go through the id, native-id, name and kind
            // indexes, never a walk of a whole analysis.
            let byIndex = "+" + scope
            func ids(_ condition: String, _ value: String, scope: String) throws -> [String] {
                try String.fetchAll(db, sql: "SELECT DISTINCT identityId FROM profile WHERE \(scope) AND \(condition) ORDER BY identityId",
                                    arguments: StatementArguments(analyses) + [value])
            }
            for (condition, scope) in [("identityId = ?", scope), ("nativeId = ?", byIndex)] {
                let found = try ids(condition, text, scope: scope)
                if !found.isEmpty { return found }
            }
            // Names: the index folds case; an exact match wins over a case-insensitive one.
            let named = try Row.fetchAll(
                db, sql: "SELECT DISTINCT identityId, name FROM profile WHERE \(byIndex) AND name = ? COLLATE NOCASE ORDER BY identityId",
                arguments: StatementArguments(analyses) + [text])
            let exact = named.filter { ($0["name"] as String) == text }
            if !named.isEmpty { return (exact.isEmpty ? named : exact).map { $0["identityId"] } }
            if text.lowercased() == "root" {
                let found = try ids("kind = ?", IdentityKind.rootAccount.rawValue, scope: byIndex)
                if !found.isEmpty { return found }
            }
            // A credential: an access key id, or a fingerprint.
            let decoder = JSONDecoder()
            let rows = try Data.fetchAll(db, sql: """
                SELECT data FROM object WHERE (type = 'credential' AND key = ?) OR fingerprint = ? LIMIT 20
                """, arguments: [text, text])
            let owners = try Set(rows.map { try Self.decode(Credential.self, $0, decoder: decoder).identityId })
            guard !owners.isEmpty else { return [] }
            return try String.fetchAll(
                db, sql: "SELECT DISTINCT identityId FROM profile WHERE \(scope) AND identityId IN (\(Self.placeholders(owners.count))) ORDER BY identityId",
                arguments: StatementArguments(analyses) + StatementArguments(Array(owners)))
        }
    }

    public func knownActivityFiles(_ files: [ActivityFileRecord]) async throws -> Set<ActivityFileRecord> {
        guard !files.isEmpty else { return [] }
        return try await read { db in
            var known = Set<ActivityFileRecord>()
            let statement = try db.makeStatement(sql: "SELECT 1 FROM activityFile WHERE path = ? AND digest = ?")
            for file in files where try Bool.fetchOne(statement, arguments: [file.path, file.digest]) != nil {
                known.insert(file)
            }
            return known
        }
    }

    public func activityUsage(identityIds: [String]?) async throws -> [String: Data] {
        try await read { db in
            var out: [String: Data] = [:]
            if let identityIds {
                let statement = try db.makeStatement(sql: "SELECT data FROM activityUsage WHERE identityId = ?")
                for id in identityIds {
                    if let data = try Data.fetchOne(statement, arguments: [id]) { out[id] = data }
                }
            } else {
                let rows = try Row.fetchCursor(db, sql: "SELECT identityId, data FROM activityUsage")
                while let row = try rows.next() { out[row["identityId"]] = row["data"] }
            }
            return out
        }
    }

    public func activityLastUsed() async throws -> [String: Date] {
        try await read { db in
            var out: [String: Date] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT identityId, lastUsed FROM activityUsage")
            while let row = try rows.next() { out[row["identityId"]] = Date(timeIntervalSinceReferenceDate: row["lastUsed"]) }
            return out
        }
    }

    public func saveActivity(usage: [String: (lastUsed: Date, data: Data)], files: [ActivityFileRecord], digest: String) async throws {
        try await write("store the activity") { db in
            let upsert = try db.makeStatement(sql: """
                INSERT INTO activityUsage (identityId, lastUsed, data) VALUES (?, ?, ?)
                ON CONFLICT (identityId) DO UPDATE SET lastUsed = excluded.lastUsed, data = excluded.data
                """)
            for (id, value) in usage.sorted(by: { $0.key < $1.key }) {
                try upsert.execute(arguments: [id, value.lastUsed.timeIntervalSinceReferenceDate, value.data])
            }
            let record = try db.makeStatement(sql: "INSERT OR REPLACE INTO activityFile (path, digest, source, events, importedAt) VALUES (?, ?, ?, ?, ?)")
            let now = Date().timeIntervalSinceReferenceDate
            for file in files { try record.execute(arguments: [file.path, file.digest, file.source, file.events, now]) }
            try db.execute(sql: "INSERT OR REPLACE INTO activityState (key, value) VALUES ('digest', ?)", arguments: [digest])
        }
    }

    public func activityDigest() async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT value FROM activityState WHERE key = 'digest'") }
    }

    public func credentials(withFingerprints fingerprints: [String], current snapshots: [Int64]) async throws -> [(credential: Credential, current: Bool)] {
        guard !fingerprints.isEmpty else { return [] }
        return try await read { db in
            let decoder = JSONDecoder()
            var out: [String: (credential: Credential, current: Bool)] = [:]
            // In batches: SQLite limits the number of bound values.
            for batch in stride(from: 0, to: fingerprints.count, by: 500).map({ Array(fingerprints[$0..<min($0 + 500, fingerprints.count)]) }) {
                let current = snapshots.isEmpty ? "0" : "EXISTS (SELECT 1 FROM member m WHERE m.vid = o.vid AND m.snapshotId IN (\(Self.placeholders(snapshots.count))))"
                let rows = try Row.fetchAll(
                    db, sql: "SELECT o.data, \(current) AS current FROM object o WHERE o.fingerprint IN (\(Self.placeholders(batch.count))) AND o.type = 'credential' ORDER BY o.vid",
                    arguments: StatementArguments(snapshots) + StatementArguments(batch))
                for row in rows {
                    let credential = try Self.decode(Credential.self, row["data"], decoder: decoder)
                    let isCurrent: Bool = row["current"]
                    // The newest version wins; a current version wins over any old one.
                    if let known = out[credential.id], known.current, !isCurrent { continue }
                    out[credential.id] = (credential, isCurrent)
                }
            }
            return out.values.sorted { $0.credential.id < $1.credential.id }
        }
    }

    public func suggestions(for text: String, analyses: [Int64], limit: Int) async throws -> [String] {
        try await read { db in
            let target = Self.fold(text)
            var scored: [(Int, String)] = []
            let cursor = try String.fetchCursor(
                db, sql: "SELECT name FROM profile WHERE analysisId IN (\(Self.placeholders(analyses.count)))", arguments: StatementArguments(analyses))
            let budget = max(2, target.count / 3)
            while let name = try cursor.next() {
                let folded = Self.fold(name)
                if folded.contains(target) || target.contains(folded) && folded.count >= 3 {
                    scored.append((0, name))
                } else if abs(folded.count - target.count) <= budget, let distance = Self.distance(folded, target, limit: budget) {
                    scored.append((distance, name))
                }
            }
            var seen = Set<String>()
            return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.1).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
        }
    }

    public func findings(_ query: FindingQuery) async throws -> [StoredFinding] {
        try await read { db in
            var clauses = ["f.analysisId IN (\(Self.placeholders(query.analyses.count)))", query.identityId == nil ? "f.severity >= ?" : "+f.severity >= ?"]
            var arguments = StatementArguments(query.analyses) + [query.minSeverity.rank]
            if !query.rules.isEmpty {
                clauses.append("(" + query.rules.map { _ in "f.ruleId GLOB ?" }.joined(separator: " OR ") + ")")
                arguments += StatementArguments(query.rules)
            }
            if !query.owasp.isEmpty {
                clauses.append("f.owasp IN (\(Self.placeholders(query.owasp.count)))")
                arguments += StatementArguments(query.owasp.map(\.rawValue))
            }
            if let provider = query.provider {
                clauses.append("f.provider = ?")
                arguments += [provider.rawValue]
            }
            if let identity = query.identityId {
                clauses.append("f.identityId = ?")
                arguments += [identity]
            }
            if let ids = query.ids {
                clauses.append("f.id IN (\(Self.placeholders(ids.count)))")
                arguments += StatementArguments(ids)
            }
            // For one identity's findings, the identity index decides (the unary + keeps the queue index out of the plan).
            let order = query.identityId == nil ? "f.risk DESC, f.identityId, f.analysisId, f.position" : "+f.risk DESC, f.identityId, f.analysisId, +f.position"
            var sql = """
                SELECT f.*, h.firstSeen AS firstSeenAt, h.lastSeen AS lastSeenAt,
                       s.reason AS suppressionReason, s.expiresAt AS suppressionExpiresAt, s.createdAt AS suppressionCreatedAt, s.source AS suppressionSource
                FROM finding f
                LEFT JOIN findingHistory h ON h.scope = f.scope AND h.id = f.id
                LEFT JOIN suppression s ON s.findingId = f.id
                WHERE \(clauses.joined(separator: " AND "))
                ORDER BY \(order)
                """
            if let limit = query.limit {
                sql += " LIMIT ?"
                arguments += [limit]
            }
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.storedFinding($0, decoder: decoder) }
        }
    }

    private static func storedFinding(_ row: Row, decoder: JSONDecoder) throws -> StoredFinding {
        let rank: Int = row["severity"]
        guard let severity = Severity.allCases.first(where: { $0.rank == rank }), let owasp = OWASPCategory(rawValue: row["owasp"]),
            let evidence = try JSONSerialization.jsonObject(with: Data((row["evidence"] as String).utf8)) as? [String]
        else {
            throw StoreError(.corrupt, "a stored finding cannot be read; the database may come from a newer Roster")
        }
        let subject = try decode(FindingSubject.self, Data((row["subject"] as String).utf8), decoder: decoder)
        var finding = Finding(
            ruleId: row["ruleId"], severity: severity, title: row["title"], owasp: owasp, identityId: row["identityId"], identityName: row["identityName"],
            credentialId: row["credentialId"], subject: subject, evidence: evidence, remediation: row["remediation"])
        finding.id = row["id"]
        func nature(_ text: String?) throws -> IdentityNature? {
            guard let text else { return nil }
            guard let nature = IdentityNature(rawValue: text) else { throw StoreError(.corrupt, "a stored finding has nature \"\(text)\", unknown to this Roster") }
            return nature
        }
        let suppression = (row["suppressionReason"] as String?).map { reason in
            Suppression(
                findingId: finding.id, reason: reason, expiresAt: (row["suppressionExpiresAt"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)),
                createdAt: Date(timeIntervalSinceReferenceDate: row["suppressionCreatedAt"]), source: row["suppressionSource"])
        }
        return StoredFinding(
            finding: finding, identityKind: (row["identityKind"] as String?).map(IdentityKind.init(rawValue:)),
            provider: (row["provider"] as String?).map(Provider.init(rawValue:)), account: row["account"], nature: try nature(row["nature"]),
            risk: row["risk"], firstSeen: (row["firstSeenAt"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)),
            lastSeen: (row["lastSeenAt"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)), suppression: suppression)
    }

    public func edges(of identityId: String, analyses: [Int64]) async throws -> [Edge] {
        try await read { db in
            let decoder = JSONDecoder()
            let rows = try Data.fetchAll(db, sql: """
                SELECT data FROM edge WHERE (fromId = ? OR toId = ?) AND analysisId IN (\(Self.placeholders(analyses.count)))
                ORDER BY kind, fromId, toId
                """, arguments: [identityId, identityId] + StatementArguments(analyses))
            return try rows.map { try Self.decode(Edge.self, $0, decoder: decoder) }
        }
    }

    public func edges(analyses: [Int64], kinds: [EdgeKind]) async throws -> [Edge] {
        guard !analyses.isEmpty, !kinds.isEmpty else { return [] }
        return try await read { db in
            let rows = try Data.fetchAll(db, sql: """
                SELECT data FROM edge WHERE analysisId IN (\(Self.placeholders(analyses.count))) AND kind IN (\(Self.placeholders(kinds.count)))
                """, arguments: StatementArguments(analyses) + StatementArguments(kinds.map(\.rawValue)))
            return try Parallel.mapped(rows) { data in try Self.decode(Edge.self, data, decoder: JSONDecoder()) }
        }
    }

    public func metrics(analyses: [Int64]) async throws -> [Data] {
        try await read { db in
            try Data.fetchAll(db, sql: "SELECT metrics FROM analysis WHERE id IN (\(Self.placeholders(analyses.count))) ORDER BY id",
                              arguments: StatementArguments(analyses))
        }
    }

    public func findingChanges(scope: String, from: Int64, to: Int64) async throws -> (new: [FindingHistory], resolved: [FindingHistory]) {
        try await read { db in
            func fetch(_ condition: String, _ arguments: StatementArguments) throws -> [FindingHistory] {
                try Row.fetchAll(db, sql: "SELECT * FROM findingHistory WHERE scope = ? AND \(condition) ORDER BY ruleId, identityName",
                                 arguments: [scope] + arguments).map { row in
                    guard let severity = Severity(rawValue: row["severity"]) else { throw StoreError(.corrupt, "finding history holds an unknown severity") }
                    return FindingHistory(
                        id: row["id"], scope: row["scope"], ruleId: row["ruleId"], severity: severity, title: row["title"],
                        identityId: row["identityId"], identityName: row["identityName"], credentialId: row["credentialId"],
                        firstSeenSnapshot: row["firstSeenSnapshot"], lastSeenSnapshot: row["lastSeenSnapshot"],
                        firstSeen: Date(timeIntervalSinceReferenceDate: row["firstSeen"]), lastSeen: Date(timeIntervalSinceReferenceDate: row["lastSeen"]))
                }
            }
            // New: first seen after `from`, by `to`. Resolved: seen at `from`, last seen before `to`.
            return (
                try fetch("firstSeenSnapshot > ? AND firstSeenSnapshot <= ?", [from, to]),
                try fetch("firstSeenSnapshot <= ? AND lastSeenSnapshot >= ? AND lastSeenSnapshot < ?", [from, from, to])
            )
        }
    }

    // MARK: Suppressions

    public func suppress(_ suppression: Suppression) async throws {
        try await write("the suppression") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO suppression (findingId, reason, expiresAt, createdAt, source) VALUES (?, ?, ?, ?, ?)",
                arguments: [suppression.findingId, suppression.reason, suppression.expiresAt?.timeIntervalSinceReferenceDate,
                            suppression.createdAt.timeIntervalSinceReferenceDate, suppression.source])
        }
    }

    public func unsuppress(findingId: String) async throws -> Bool {
        try await write("the change") { db in
            try db.execute(sql: "DELETE FROM suppression WHERE findingId = ?", arguments: [findingId])
            return db.changesCount > 0
        }
    }

    public func suppressions() async throws -> [Suppression] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM suppression ORDER BY findingId").map { row in
                Suppression(
                    findingId: row["findingId"], reason: row["reason"], expiresAt: (row["expiresAt"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)),
                    createdAt: Date(timeIntervalSinceReferenceDate: row["createdAt"]), source: row["source"])
            }
        }
    }

    // MARK: Helpers

    private static func latestSnapshot(scope: String, in db: Database) throws -> SnapshotInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE scope = ? ORDER BY id DESC LIMIT 1", arguments: [scope]).map(snapshotInfo)
    }

    private static func snapshotInfo(_ row: Row) -> SnapshotInfo {
        SnapshotInfo(
            id: row["id"], scope: row["scope"], takenAt: Date(timeIntervalSinceReferenceDate: row["takenAt"]),
            observedAt: Date(timeIntervalSinceReferenceDate: row["observedAt"]), source: row["source"], digest: row["digest"],
            identityCount: row["identityCount"], credentialCount: row["credentialCount"], inputDigest: row["inputDigest"])
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data, decoder: JSONDecoder) throws -> T {
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw StoreError(.corrupt, "a stored \(T.self) cannot be read (\(error)); the database may come from a newer Roster")
        }
    }

    private static func placeholders(_ count: Int) -> String {
        count == 0 ? "NULL" : Array(repeating: "?", count: count).joined(separator: ", ")
    }

    private static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Lowercase, with separators folded, so `bad-rol` is near `bad_role`.
    private static func fold(_ text: String) -> String {
        String(text.lowercased().map { "-_. /".contains($0) ? "-" : $0 })
    }

    /// Levenshtein distance, or nil once it exceeds `limit`.
    private static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var best = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, current[j])
            }
            if best > limit { return nil }
            swap(&previous, &current)
        }
        let result = a.isEmpty ? b.count : previous[b.count]
        return result <= limit ? result : nil
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
}
