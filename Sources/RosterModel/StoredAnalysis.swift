public import Foundation

/// What analysis concluded about one identity, as stored and read back: everything `show` and
/// `inventory` print, without running analysis again.
public struct IdentityProfileRecord: Codable, Hashable, Sendable {
    public var identity: Identity
    public var credentials: [Credential]
    /// `admin`, `write`, `read`, `none` or `unknown`.
    public var privilege: String
    public var privilegeEvidence: [String]
    /// Who may assume it, a sentence per principal (roles).
    public var trustedBy: [String]?
    /// The id of its permissions boundary, if it has one.
    public var boundary: String?
    public var risk: Int
    public var riskFactors: [String]
    /// Its findings' ids, highest severity first.
    public var findingIds: [String]
    /// The time its data was observed; its ages are measured to it.
    public var observedAt: Date
    /// Whole days since last use (or creation, if never used), when usage is tracked.
    public var idleDays: Int?

    public init(
        identity: Identity, credentials: [Credential], privilege: String, privilegeEvidence: [String], trustedBy: [String]?, boundary: String?,
        risk: Int, riskFactors: [String], findingIds: [String], observedAt: Date, idleDays: Int?
    ) {
        self.identity = identity
        self.credentials = credentials
        self.privilege = privilege
        self.privilegeEvidence = privilegeEvidence
        self.trustedBy = trustedBy
        self.boundary = boundary
        self.risk = risk
        self.riskFactors = riskFactors
        self.findingIds = findingIds
        self.observedAt = observedAt
        self.idleDays = idleDays
    }
}

/// One snapshot's analysis under one set of settings, ready to store.
public struct AnalysisRecord: Sendable {
    public var snapshotId: Int64
    /// Digest of the settings and facts analysis depended on (thresholds, known accounts, rule versions).
    public var settingsDigest: String
    /// Profiles, highest risk first.
    public var profiles: [IdentityProfileRecord]
    /// Findings, in queue order (identity risk, then severity).
    public var findings: [Finding]
    /// Every edge: those the sources state and those analysis derived.
    public var edges: [Edge]
    /// Additive governance counts, encoded by the analysis module.
    public var metrics: Data
    /// Set for an analysis that spans every scope (`links`, the cross-system link pass;
    /// `activity`, the activity rules): it has no profiles of its own, replaces the previous one
    /// of its kind, and takes its findings' identity facts from `context`. Its settings digest
    /// starts with the kind and a colon.
    public var crossScope: String?
    public var isLinks: Bool { crossScope == "links" }
    /// Profiles (stored elsewhere) of the identities the link findings name.
    public var context: [IdentityProfileRecord]

    /// The settings digest prefix that marks a link analysis.
    public static let linksPrefix = "links:"
    /// The settings digest prefix that marks the activity analysis.
    public static let activityPrefix = "activity:"

    public init(
        snapshotId: Int64, settingsDigest: String, profiles: [IdentityProfileRecord], findings: [Finding], edges: [Edge], metrics: Data,
        isLinks: Bool = false, crossScope: String? = nil, context: [IdentityProfileRecord] = []
    ) {
        self.snapshotId = snapshotId
        self.settingsDigest = settingsDigest
        self.profiles = profiles
        self.findings = findings
        self.edges = edges
        self.metrics = metrics
        self.crossScope = isLinks ? "links" : crossScope
        self.context = context
    }
}

/// A finding as stored: with the identity facts a report needs, its identity's risk, when it
/// was first and last seen, and its suppression, if any.
public struct StoredFinding: Codable, Hashable, Sendable {
    public var finding: Finding
    public var identityKind: IdentityKind?
    public var provider: Provider?
    public var account: String?
    public var nature: IdentityNature?
    public var risk: Int
    public var firstSeen: Date?
    public var lastSeen: Date?
    public var suppression: Suppression?

    public init(finding: Finding, identityKind: IdentityKind?, provider: Provider?, account: String?, nature: IdentityNature?, risk: Int,
                firstSeen: Date? = nil, lastSeen: Date? = nil, suppression: Suppression? = nil) {
        self.finding = finding
        self.identityKind = identityKind
        self.provider = provider
        self.account = account
        self.nature = nature
        self.risk = risk
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.suppression = suppression
    }
}

/// An accepted finding: hidden from `findings` and `--fail-on` until it expires.
public struct Suppression: Codable, Hashable, Sendable {
    public var findingId: String
    public var reason: String
    public var expiresAt: Date?
    public var createdAt: Date
    /// Where it was declared: `store` (roster suppress) or the settings file.
    public var source: String

    public init(findingId: String, reason: String, expiresAt: Date? = nil, createdAt: Date = Date(), source: String = "store") {
        self.findingId = findingId
        self.reason = reason
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.source = source
    }

    /// Whether it still applies at `now`.
    public func isActive(at now: Date = Date()) -> Bool { expiresAt.map { $0 > now } ?? true }
}
