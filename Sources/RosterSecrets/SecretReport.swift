public import Foundation
public import RosterModel

/// One leaked secret, wherever it occurs: the record `--format json` prints.
///
/// Findings are one per fingerprint: the same key in twelve files is one key to revoke, with
/// twelve locations. The value itself is never here: its fingerprint and a redacted preview.
public struct SecretFinding: Sendable, Codable, Hashable {
    /// Stable across runs and machines: derived from the rule and the fingerprint.
    public var id: String
    /// The rule id, as `rule` (the scanner's vocabulary) and `ruleId` (Roster's findings').
    public var rule: String
    public var ruleId: String
    public var title: String
    public var severity: Severity
    public var owasp: String
    /// The first location (by commit date in history, by path in a tree).
    public var path: String
    public var line: Int
    public var column: Int
    public var commit: SecretLocation.CommitInfo?
    public var fingerprint: String
    public var preview: String
    public var paired: Paired?
    public var attributes: [String: String]
    public var occurrences: Int
    /// Every location, up to ``SecretReport/maxLocations``.
    public var locations: [SecretLocation]
    /// Who holds the credential, when the scan was tied to a stored inventory (`--db`).
    public var identity: CredentialHolder?
    /// What `--verify` learnt from the issuer.
    public var verification: Verification?
    public var evidence: [String]
    public var remediation: String

    public struct Paired: Sendable, Codable, Hashable {
        public var rule: String
        public var fingerprint: String
        public var preview: String
        public var line: Int
    }

    public struct Verification: Sendable, Codable, Hashable {
        /// `valid`, `invalid` or `error`.
        public var status: String
        public var detail: String
        public init(status: String, detail: String) {
            self.status = status
            self.detail = detail
        }
    }
}

/// Builds findings from matches: deduplicated by fingerprint, baseline applied.
public enum SecretReport {
    public static let maxLocations = 20

    /// The stable id of a finding for `rule` and `fingerprint`.
    public static func findingId(rule: String, fingerprint: CredentialFingerprint) -> String {
        "secret:" + String(SHA256Digest.hex(of: Array("\(rule)|\(fingerprint.description)".utf8)).prefix(20))
    }

    public static func findings(_ located: [LocatedMatch], rules: [SecretRule]) -> [SecretFinding] {
        let byId = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var order: [CredentialFingerprint] = []
        var groups: [CredentialFingerprint: [LocatedMatch]] = [:]
        for item in located {
            if groups[item.match.fingerprint] == nil { order.append(item.match.fingerprint) }
            groups[item.match.fingerprint, default: []].append(item)
        }
        return order.compactMap { fingerprint in
            guard let items = groups[fingerprint], let first = items.first, let rule = byId[first.match.ruleId] else { return nil }
            let match = first.match
            // A paired secret anywhere makes the key whole.
            let paired = items.lazy.compactMap(\.match.paired).first
            var severity = rule.severity
            if paired != nil, rule.fingerprint == .awsAccessKeyId { severity = .critical }
            var evidence = ["\(rule.title) at \(first.location.path):\(first.location.line) (\(match.preview))"]
            if let commit = first.location.commit {
                evidence.append("introduced in \(commit.sha.prefix(12)) by \(commit.author) <\(commit.email)> on \(commit.date)")
            }
            if let paired { evidence.append("with its secret (\(paired.preview)) on line \(paired.line)") }
            if items.count > 1 { evidence.append("found in \(items.count) places") }
            return SecretFinding(
                id: findingId(rule: rule.id, fingerprint: fingerprint), rule: rule.id, ruleId: rule.id, title: rule.title, severity: severity,
                owasp: rule.owasp.rawValue, path: first.location.path, line: first.location.line, column: first.location.column,
                commit: first.location.commit, fingerprint: fingerprint.description, preview: match.preview,
                paired: paired.map { .init(rule: $0.ruleId, fingerprint: $0.fingerprint.description, preview: $0.preview, line: $0.line) },
                attributes: match.attributes, occurrences: items.count, locations: Array(items.map(\.location).prefix(maxLocations)),
                identity: nil, verification: nil, evidence: evidence, remediation: rule.remediation)
        }
    }

    /// Ties findings to the credentials' holders: an active credential the inventory knows
    /// becomes critical and names its holder; an unknown one is said to be unknown.
    public static func attribute(_ findings: inout [SecretFinding], holders: [CredentialFingerprint: CredentialHolder]) {
        for index in findings.indices {
            guard let fingerprint = CredentialFingerprint(parsing: findings[index].fingerprint), let holder = holders[fingerprint] else { continue }
            findings[index].identity = holder
            switch holder.status {
            case "active":
                findings[index].severity = .critical
                findings[index].title = "Leaked active credential: " + findings[index].title.lowercased()
                var line = "held by \(holder.identityName ?? holder.identityId ?? "?")"
                if let arn = holder.arn { line += " (\(arn))" }
                if let owner = holder.owner { line += ", owned by \(owner)" }
                line += "; the credential is active"
                if let used = holder.lastUsedAt { line += ", last used \(ISO8601DateFormatter().string(from: used))" }
                if let privilege = holder.privilege { line += "; privilege: \(privilege)" }
                findings[index].evidence.append(line)
            case "inactive":
                findings[index].evidence.append("held by \(holder.identityName ?? holder.identityId ?? "?"); the credential is inactive in the inventory")
            case "deleted":
                findings[index].evidence.append("the inventory held this credential (\(holder.credentialId ?? "?")) in an earlier snapshot; it is gone from the current one")
            default:
                findings[index].evidence.append("the inventory holds no credential with this fingerprint (unknown or deleted before Roster saw it)")
            }
        }
    }

    /// Drops findings a baseline accepts. The baseline is an earlier `--format json` output (an
    /// array of findings or `{"findings": [...]}`); a finding is accepted when its fingerprint
    /// and rule are there, wherever it now is.
    public static func applyBaseline(_ findings: [SecretFinding], baseline data: Data, path: String) throws -> (kept: [SecretFinding], accepted: Int) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SecretsError.input("\(path): not JSON; a baseline is the output of `roster secrets scan --format json`")
        }
        let list: [Any]
        if let array = object as? [Any] {
            list = array
        } else if let dictionary = object as? [String: Any], let array = dictionary["findings"] as? [Any] {
            list = array
        } else {
            throw SecretsError.input("\(path): $: expected an array of findings or {\"findings\": [...]}")
        }
        var accepted = Set<String>()
        for (index, item) in list.enumerated() {
            guard let entry = item as? [String: Any], let fingerprint = entry["fingerprint"] as? String else {
                throw SecretsError.input("\(path): $[\(index)].fingerprint: expected a string such as \"secret:sha256:…\"")
            }
            accepted.insert(fingerprint)
        }
        let kept = findings.filter { !accepted.contains($0.fingerprint) }
        return (kept, findings.count - kept.count)
    }
}
