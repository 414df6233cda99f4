import GRDB

/// The schema, one migration per release. Never edit a migration once released: add one.
///
/// `snapshot.takenAt` and `snapshot.observedAt` hold seconds since 2001-01-01 UTC (Foundation's
/// reference date), which round-trips a `Date` exactly.
///
/// v2: every distinct version of an identity, credential, policy, grant, resource or edge is one
/// `object` row, its `vid` the first 8 bytes of the SHA-256 of its type and canonical JSON; a
/// snapshot is its `member` rows. Analysis is stored per snapshot and settings digest
/// (`analysis`, `profile`, `finding`, `edge`), and `findingHistory` keeps first/last seen.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: snapshots") { db in
            try db.execute(sql: """
                CREATE TABLE snapshot (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    scope TEXT NOT NULL,
                    takenAt DOUBLE NOT NULL,
                    observedAt DOUBLE NOT NULL,
                    source TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    inputDigest TEXT,
                    identityCount INTEGER NOT NULL,
                    credentialCount INTEGER NOT NULL
                );
                CREATE INDEX snapshot_scope ON snapshot(scope, id);

                CREATE TABLE identity (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    account TEXT,
                    owner TEXT,
                    environment TEXT,
                    nature TEXT NOT NULL,
                    lastUsedAt DOUBLE,
                    data BLOB NOT NULL,
                    PRIMARY KEY (snapshotId, id)
                ) WITHOUT ROWID;
                CREATE INDEX identity_name ON identity(snapshotId, name);

                CREATE TABLE credential (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    identityId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    fingerprint TEXT,
                    data BLOB NOT NULL,
                    PRIMARY KEY (snapshotId, id)
                ) WITHOUT ROWID;
                CREATE INDEX credential_identity ON credential(snapshotId, identityId);
                CREATE INDEX credential_fingerprint ON credential(fingerprint);

                CREATE TABLE policy (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (snapshotId, id)
                ) WITHOUT ROWID;

                CREATE TABLE permissionGrant (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    subjectId TEXT NOT NULL,
                    policyId TEXT NOT NULL,
                    via TEXT NOT NULL,
                    PRIMARY KEY (snapshotId, subjectId, policyId, via)
                ) WITHOUT ROWID;

                CREATE TABLE resource (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (snapshotId, id)
                ) WITHOUT ROWID;

                CREATE TABLE link (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    fromId TEXT NOT NULL,
                    toId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    PRIMARY KEY (snapshotId, fromId, toId, kind)
                ) WITHOUT ROWID;

                CREATE TABLE finding (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    ruleId TEXT NOT NULL,
                    identityId TEXT NOT NULL,
                    identityName TEXT NOT NULL,
                    credentialId TEXT,
                    severity TEXT NOT NULL,
                    owasp TEXT NOT NULL,
                    title TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    remediation TEXT NOT NULL
                );
                CREATE INDEX finding_snapshot ON finding(snapshotId, identityId);
                """)
        }
        migrator.registerMigration("v2: content-addressed versions and stored analysis") { db in
            try db.execute(sql: """
                CREATE TABLE object (
                    vid INTEGER PRIMARY KEY,
                    type TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT,
                    data BLOB NOT NULL
                );
                CREATE INDEX object_credential_key ON object(key) WHERE type = 'credential';
                CREATE INDEX object_fingerprint ON object(fingerprint) WHERE fingerprint IS NOT NULL;

                CREATE TABLE member (
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    vid INTEGER NOT NULL,
                    PRIMARY KEY (snapshotId, vid)
                ) WITHOUT ROWID;
                """)
            // Snapshots written by v1 become membership lists of the same content; their stored
            // findings are dropped and analysis runs again, once, on the first read.
            try LegacyV1.convert(db)
            try db.execute(sql: """
                DROP TABLE identity;
                DROP TABLE credential;
                DROP TABLE policy;
                DROP TABLE permissionGrant;
                DROP TABLE resource;
                DROP TABLE link;
                DROP TABLE finding;

                CREATE TABLE analysis (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    snapshotId INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    settingsDigest TEXT NOT NULL,
                    analysedAt DOUBLE NOT NULL,
                    metrics BLOB NOT NULL,
                    UNIQUE (snapshotId, settingsDigest)
                );

                CREATE TABLE profile (
                    analysisId INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                    identityId TEXT NOT NULL,
                    nativeId TEXT,
                    name TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    account TEXT,
                    owner TEXT,
                    environment TEXT,
                    nature TEXT NOT NULL,
                    privilege TEXT NOT NULL,
                    risk INTEGER NOT NULL,
                    idleDays INTEGER,
                    findingCount INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    UNIQUE (analysisId, identityId)
                );
                CREATE INDEX profile_rank ON profile(analysisId, risk DESC, identityId);
                CREATE INDEX profile_name ON profile(name COLLATE NOCASE, analysisId);
                CREATE INDEX profile_kind ON profile(kind, analysisId);
                CREATE INDEX profile_native ON profile(nativeId, analysisId) WHERE nativeId IS NOT NULL;

                CREATE TABLE finding (
                    analysisId INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    ruleId TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    owasp TEXT NOT NULL,
                    identityId TEXT NOT NULL,
                    identityName TEXT NOT NULL,
                    identityKind TEXT,
                    provider TEXT,
                    account TEXT,
                    nature TEXT,
                    credentialId TEXT,
                    risk INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    remediation TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    UNIQUE (analysisId, id)
                );
                CREATE INDEX finding_queue ON finding(analysisId, severity, position);
                CREATE INDEX finding_identity ON finding(identityId, analysisId);

                CREATE TABLE edge (
                    analysisId INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                    fromId TEXT NOT NULL,
                    toId TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    data BLOB NOT NULL
                );
                CREATE INDEX edge_from ON edge(fromId);
                CREATE INDEX edge_to ON edge(toId);

                CREATE TABLE findingHistory (
                    scope TEXT NOT NULL,
                    id TEXT NOT NULL,
                    ruleId TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    title TEXT NOT NULL,
                    identityId TEXT NOT NULL,
                    identityName TEXT NOT NULL,
                    credentialId TEXT,
                    firstSeenSnapshot INTEGER NOT NULL,
                    lastSeenSnapshot INTEGER NOT NULL,
                    firstSeen DOUBLE NOT NULL,
                    lastSeen DOUBLE NOT NULL,
                    PRIMARY KEY (scope, id)
                ) WITHOUT ROWID;
                CREATE INDEX findingHistory_id ON findingHistory(id);

                CREATE TABLE suppression (
                    findingId TEXT PRIMARY KEY NOT NULL,
                    reason TEXT NOT NULL,
                    expiresAt DOUBLE,
                    createdAt DOUBLE NOT NULL,
                    source TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: activity") { db in
            // Activity is kept folded: one usage record per identity (merged as logs arrive), the
            // files already read (by path and digest, so a re-import skips them), and a digest
            // of the whole that analyses depend on.
            try db.execute(sql: """
                CREATE TABLE activityFile (
                    path TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    source TEXT NOT NULL,
                    events INTEGER NOT NULL,
                    importedAt DOUBLE NOT NULL,
                    PRIMARY KEY (path, digest)
                ) WITHOUT ROWID;

                CREATE TABLE activityUsage (
                    identityId TEXT PRIMARY KEY NOT NULL,
                    lastUsed DOUBLE NOT NULL,
                    data BLOB NOT NULL
                );

                CREATE TABLE activityState (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
