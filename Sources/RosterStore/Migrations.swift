import GRDB

/// The schema, one migration per release. Never edit a migration once released: add one.
///
/// `snapshot.takenAt` and `snapshot.observedAt` hold seconds since 2001-01-01 UTC (Foundation's
/// reference date), which round-trips a `Date` exactly; `identity.lastUsedAt` holds seconds since
/// 1970 for filtering in SQL (the exact value is in `data`).
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
        return migrator
    }
}
