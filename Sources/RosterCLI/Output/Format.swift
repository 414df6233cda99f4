import Foundation
import RosterModel

enum Format {
    static func date(_ date: Date?) -> String {
        date?.utcDay ?? "-"
    }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    static func severityCounts(_ counts: [Severity: Int]) -> String {
        let parts = Severity.allCases.reversed().compactMap { severity -> String? in
            guard let n = counts[severity], n > 0 else { return nil }
            return "\(n) \(severity.rawValue)"
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    static func severityCounts(_ findings: [Finding]) -> String {
        severityCounts(Dictionary(grouping: findings, by: \.severity).mapValues(\.count))
    }
}
