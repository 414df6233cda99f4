import Foundation
import RosterModel
import RosterSecrets

/// SARIF 2.1.0 for secret findings: each rule a SARIF rule, each finding a result at its file
/// and line, with the fingerprint as the partial fingerprint code-scanning tools track.
enum SecretsSARIF {
    static func render(_ findings: [SecretFinding], rules: [SecretRule]) throws -> String {
        let used = Set(findings.map(\.rule))
        let listed = rules.filter { used.contains($0.id) }.sorted { $0.id < $1.id }
        var index: [String: Int] = [:]
        for (i, rule) in listed.enumerated() { index[rule.id] = i }
        let log: [String: Any] = [
            "$schema": SARIF.schema,
            "version": SARIF.version,
            "runs": [[
                "tool": ["driver": [
                    "name": "roster", "informationUri": "https://owasp.org/www-project-non-human-identities-top-10/",
                    "rules": listed.map { rule -> [String: Any] in
                        [
                            "id": rule.id, "name": rule.id.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
                            "shortDescription": ["text": rule.title],
                            "help": ["text": rule.remediation],
                            "defaultConfiguration": ["level": SARIF.level(rule.severity)],
                            "properties": ["tags": ["security", "secret", "OWASP-\(rule.owasp.rawValue)"], "security-severity": SARIF.securitySeverity(rule.severity)] as [String: Any],
                        ]
                    },
                ] as [String: Any]],
                "results": findings.map { finding -> [String: Any] in
                    var result: [String: Any] = [
                        "ruleId": finding.rule,
                        "level": SARIF.level(finding.severity),
                        "message": ["text": "\(finding.title) (\(finding.preview)). " + finding.evidence.joined(separator: "; ")],
                        "partialFingerprints": ["rosterSecretFingerprint/v1": finding.fingerprint],
                        "locations": finding.locations.prefix(10).map { location -> [String: Any] in
                            ["physicalLocation": [
                                "artifactLocation": ["uri": location.path.hasPrefix("./") ? String(location.path.dropFirst(2)) : location.path],
                                "region": ["startLine": max(1, location.line), "startColumn": max(1, location.column)],
                            ] as [String: Any]]
                        },
                    ]
                    if let index = index[finding.rule] { result["ruleIndex"] = index }
                    var properties: [String: Any] = ["findingId": finding.id, "occurrences": finding.occurrences]
                    if let commit = finding.commit { properties["commit"] = commit.sha; properties["author"] = commit.email; properties["date"] = commit.date }
                    if let identity = finding.identity { properties["heldBy"] = identity.identityId ?? "unknown"; properties["credentialStatus"] = identity.status }
                    result["properties"] = properties
                    return result
                },
            ] as [String: Any]],
        ]
        let data = try JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return JSONOutput.escapingInvisible(String(decoding: data, as: UTF8.self)) + "\n"
    }
}
