import Foundation
import RosterAnalysis
import RosterModel
import RosterService

/// The JSON shapes other tools build on. Field names here are a contract: add, never rename.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return escapingInvisible(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
    }

    /// JSON text with the characters JSONEncoder leaves raw and terminals act on (C1 controls,
    /// bidirectional overrides and isolates) written as `\uXXXX` escapes, which decode to the
    /// same string: a consumer gets the data, a terminal showing the output is not driven by it.
    static func escapingInvisible(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isInvisible) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if isInvisible(scalar) {
                out.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    struct IdentityRef: Encodable {
        var id: String
        var name: String
        var arn: String?
        var kind: String?
        var provider: String?
        var account: String?
        var nature: String?

        init(_ identity: Identity) {
            id = identity.id
            name = identity.name
            arn = identity.arn
            kind = identity.kind.rawValue
            provider = identity.provider.rawValue
            account = identity.account
            nature = identity.nature.rawValue
        }

        init(_ stored: StoredFinding) {
            id = stored.finding.identityId
            name = stored.finding.identityName
            arn = id.hasPrefix("arn:") ? id : nil
            kind = stored.identityKind?.rawValue
            provider = stored.provider?.rawValue
            account = stored.account
            nature = stored.nature?.rawValue
        }
    }

    struct SuppressionRecord: Encodable {
        var reason: String
        var expiresAt: Date?
        var source: String

        init(_ s: Suppression) {
            reason = s.reason
            expiresAt = s.expiresAt
            source = s.source
        }
    }

    struct FindingRecord: Encodable {
        var id: String
        var ruleId: String
        var severity: String
        var title: String
        var owasp: String
        var owaspTitle: String
        var identity: IdentityRef
        var credentialId: String?
        var evidence: [String]
        var remediation: String
        var riskScore: Int
        var firstSeen: Date?
        var lastSeen: Date?
        var suppressed: SuppressionRecord?

        init(_ stored: StoredFinding) {
            let finding = stored.finding
            id = finding.id
            ruleId = finding.ruleId
            severity = finding.severity.rawValue
            title = finding.title
            owasp = finding.owasp.rawValue
            owaspTitle = finding.owasp.title
            identity = IdentityRef(stored)
            credentialId = finding.credentialId
            evidence = finding.evidence
            remediation = finding.remediation
            riskScore = stored.risk
            firstSeen = stored.firstSeen
            lastSeen = stored.lastSeen
            suppressed = stored.suppression.map(SuppressionRecord.init)
        }
    }

    struct CredentialRecord: Encodable {
        var id: String
        var kind: String
        var status: String
        var createdAt: Date?
        var lastRotatedAt: Date?
        var lastUsedAt: Date?
        var lastUsedDetail: String?
        var expiresAt: Date?
        var fingerprint: String?
        var preview: String?

        init(_ c: Credential) {
            id = c.id
            kind = c.kind.rawValue
            status = c.status.rawValue
            createdAt = c.createdAt
            lastRotatedAt = c.lastRotatedAt
            lastUsedAt = c.lastUsedAt
            lastUsedDetail = c.lastUsedDetail
            expiresAt = c.expiresAt
            fingerprint = c.fingerprint
            preview = c.preview
        }
    }

    struct IdentityRecord: Encodable {
        var id: String
        var name: String
        var arn: String?
        var kind: String
        var provider: String
        var account: String?
        var nature: String
        var natureReason: String
        var owner: String?
        var environment: String?
        var tags: [String: String]
        var createdAt: Date?
        var lastUsedAt: Date?
        var lastUsedDetail: String?
        var idleDays: Int?
        var privilege: String
        var riskScore: Int
        var findings: Int
        var credentials: [CredentialRecord]?
        var findingDetails: [FindingRecord]?
        var riskFactors: [String]?
        var privilegeEvidence: [String]?

        var trustedBy: [String]?
        var edges: [EdgeRecord]?

        init(_ p: IdentityProfileRecord, findings: [StoredFinding]? = nil, edges: [Edge]? = nil) {
            let i = p.identity
            id = i.id
            name = i.name
            arn = i.arn
            kind = i.kind.rawValue
            provider = i.provider.rawValue
            account = i.account
            nature = i.nature.rawValue
            natureReason = i.natureReason
            owner = i.owner
            environment = i.environment
            tags = i.tags
            createdAt = i.createdAt
            lastUsedAt = i.lastUsedAt
            lastUsedDetail = i.lastUsedDetail
            idleDays = p.idleDays
            privilege = p.privilege
            riskScore = p.risk
            self.findings = p.findingIds.count
            credentials = p.credentials.map(CredentialRecord.init)
            if let findings {
                findingDetails = findings.map(FindingRecord.init)
                riskFactors = p.riskFactors
                privilegeEvidence = p.privilegeEvidence
                trustedBy = p.trustedBy
            }
            self.edges = edges?.map { EdgeRecord($0, from: i.id) }
        }

        private enum CodingKeys: String, CodingKey {
            case id, name, arn, kind, provider, account, nature, natureReason, owner, environment, tags, createdAt, lastUsedAt, lastUsedDetail
            case idleDays, privilege, riskScore, findings, credentials, findingDetails, riskFactors, privilegeEvidence, trustedBy, edges
        }

        /// The contract's fields (`account`, `owner`, `environment` included) are always present, null when unknown.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encodeIfPresent(arn, forKey: .arn)
            try c.encode(kind, forKey: .kind)
            try c.encode(provider, forKey: .provider)
            try c.encode(account, forKey: .account)
            try c.encode(nature, forKey: .nature)
            try c.encode(natureReason, forKey: .natureReason)
            try c.encode(owner, forKey: .owner)
            try c.encode(environment, forKey: .environment)
            try c.encode(tags, forKey: .tags)
            try c.encodeIfPresent(createdAt, forKey: .createdAt)
            try c.encodeIfPresent(lastUsedAt, forKey: .lastUsedAt)
            try c.encodeIfPresent(lastUsedDetail, forKey: .lastUsedDetail)
            try c.encodeIfPresent(idleDays, forKey: .idleDays)
            try c.encode(privilege, forKey: .privilege)
            try c.encode(riskScore, forKey: .riskScore)
            try c.encode(findings, forKey: .findings)
            try c.encodeIfPresent(credentials, forKey: .credentials)
            try c.encodeIfPresent(findingDetails, forKey: .findingDetails)
            try c.encodeIfPresent(riskFactors, forKey: .riskFactors)
            try c.encodeIfPresent(privilegeEvidence, forKey: .privilegeEvidence)
            try c.encodeIfPresent(trustedBy, forKey: .trustedBy)
            try c.encodeIfPresent(edges, forKey: .edges)
        }
    }

    /// An edge as `show --format json` prints it: the other end's id, which way, and why.
    struct EdgeRecord: Encodable {
        var direction: String
        var otherId: String
        var kind: String
        var rule: String
        var reason: String
        var conditions: [String]
        var statement: String?

        init(_ edge: Edge, from identity: String) {
            direction = edge.from == identity ? "out" : "in"
            otherId = edge.from == identity ? edge.to : edge.from
            kind = edge.kind.rawValue
            rule = edge.rule
            reason = edge.reason
            conditions = edge.conditions
            statement = edge.statement?.description
        }
    }
}
