import Foundation
import RosterAnalysis
import RosterModel

/// The JSON shapes other tools build on. Field names here are a contract: add, never rename.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    struct IdentityRef: Encodable {
        var id: String
        var name: String
        var arn: String?
        var kind: String
        var provider: String
        var account: String?
        var nature: String

        init(_ identity: Identity) {
            id = identity.id
            name = identity.name
            arn = identity.arn
            kind = identity.kind.rawValue
            provider = identity.provider.rawValue
            account = identity.account
            nature = identity.nature.rawValue
        }
    }

    struct FindingRecord: Encodable {
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

        init(_ finding: Finding, profile: IdentityProfile) {
            ruleId = finding.ruleId
            severity = finding.severity.rawValue
            title = finding.title
            owasp = finding.owasp.rawValue
            owaspTitle = finding.owasp.title
            identity = IdentityRef(profile.identity)
            credentialId = finding.credentialId
            evidence = finding.evidence
            remediation = finding.remediation
            riskScore = profile.risk.value
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

        init(_ p: IdentityProfile, detailed: Bool) {
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
            privilege = p.privilege.level.description
            riskScore = p.risk.value
            findings = p.findings.count
            credentials = p.credentials.map(CredentialRecord.init)
            if detailed {
                findingDetails = p.findings.map { FindingRecord($0, profile: p) }
                riskFactors = p.risk.factors
                privilegeEvidence = p.privilege.evidence
            }
        }
    }
}
