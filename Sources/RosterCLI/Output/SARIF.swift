import Foundation
import RosterAnalysis
import RosterModel

/// SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them).
///
/// Each detector is a rule (with `security-severity` and the OWASP category as tags); each
/// finding a result with the stable finding id in `partialFingerprints`, the identity as a
/// logical location, and the export it came from as the physical location that code-scanning
/// tools require.
enum SARIF {
    static let version = "2.1.0"
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// What SARIF says of a rule: detectors, the access graph's rules and the activity rules alike.
    struct Rule {
        var id, title, summary, remediation: String
        var severity: Severity
        var owasp: OWASPCategory
    }

    /// Every rule that can raise a stored finding.
    static var allRules: [Rule] {
        Detectors.all.map { Rule(id: $0.id, title: $0.title, summary: $0.summary, remediation: $0.remediation, severity: $0.severity, owasp: $0.owasp) }
            + GraphFindings.all.map { Rule(id: $0.id, title: $0.title, summary: $0.summary, remediation: $0.remediation, severity: $0.severity, owasp: $0.owasp) }
            + ActivityRules.all.map { Rule(id: $0.id, title: $0.title, summary: $0.summary, remediation: $0.remediation, severity: $0.severity, owasp: $0.owasp) }
    }

    static func render(_ findings: [StoredFinding], rules: [Rule] = allRules, artifact: String, toolVersion: String) throws -> String {
        let rules = rules.sorted { $0.id < $1.id }
        var index: [String: Int] = [:]
        for (i, rule) in rules.enumerated() { index[rule.id] = i }
        let log: [String: Any] = [
            "$schema": schema,
            "version": version,
            "runs": [[
                "tool": [
                    "driver": [
                        "name": "roster",
                        "version": toolVersion,
                        "informationUri": "https://owasp.org/www-project-non-human-identities-top-10/",
                        "rules": rules.map(rule),
                    ] as [String: Any],
                ],
                "results": findings.map { result($0, ruleIndex: index[$0.finding.ruleId], artifact: artifact) },
            ] as [String: Any]],
        ]
        let data = try JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return JSONOutput.escapingInvisible(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// GitHub's mapping: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    static func rule(_ detector: Rule) -> [String: Any] {
        [
            "id": detector.id,
            "name": detector.id.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
            "shortDescription": ["text": detector.title],
            "fullDescription": ["text": detector.summary],
            "help": ["text": detector.remediation, "markdown": "**Fix:** \(detector.remediation)"],
            "defaultConfiguration": ["level": level(detector.severity)],
            "properties": [
                "tags": ["security", "non-human-identity", "OWASP-\(detector.owasp.rawValue)"],
                "security-severity": securitySeverity(detector.severity),
                "precision": "high",
            ] as [String: Any],
        ]
    }

    static func result(_ stored: StoredFinding, ruleIndex: Int?, artifact: String) -> [String: Any] {
        let f = stored.finding
        var result: [String: Any] = [
            "ruleId": f.ruleId,
            "level": level(f.severity),
            "message": ["text": "\(f.title): \(f.identityName). " + f.evidence.joined(separator: "; ")],
            "partialFingerprints": ["rosterFindingId/v1": f.id],
            "locations": [[
                "physicalLocation": ["artifactLocation": ["uri": artifact], "region": ["startLine": 1]],
                "logicalLocations": [["fullyQualifiedName": f.identityId, "name": f.identityName, "kind": "member"]],
            ] as [String: Any]],
            "properties": [
                "findingId": f.id, "owasp": f.owasp.rawValue, "owaspTitle": f.owasp.title, "riskScore": stored.risk,
                "identity": f.identityId, "remediation": f.remediation,
            ] as [String: Any],
        ]
        if let ruleIndex { result["ruleIndex"] = ruleIndex }
        if let suppression = stored.suppression {
            result["suppressions"] = [["kind": "external", "status": "accepted", "justification": suppression.reason]]
        }
        return result
    }
}
