import Foundation
import Testing

@testable import RosterSecrets

/// The labelled corpus under `Tests/Fixtures/secrets`: real file shapes with format-valid
/// synthetic secrets (every labelled line must be found) and hard negatives (nothing may be).
@Suite struct CorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/secrets").path

    struct Label: Decodable {
        var line: Int
        var kind: String
    }

    func scan(_ folder: String) throws -> [LocatedMatch] {
        var tree = TreeScan(scanner: try SecretScanner(rules: SecretRules.all))
        tree.respectGitignore = false
        return try tree.scan(paths: [Self.root + "/" + folder]).matches
    }

    @Test func everyLabelledSecretIsFound() throws {
        let labels = try JSONDecoder().decode([String: [Label]].self, from: Data(contentsOf: URL(fileURLWithPath: Self.root + "/labels.json")))
        var found = Set<String>()
        for item in try scan("positives") {
            let path = item.location.path.replacingOccurrences(of: Self.root + "/", with: "")
            found.insert("\(path):\(item.location.line)")
            if let paired = item.match.paired { found.insert("\(path):\(paired.line)") }
        }
        var expected = 0
        for (path, list) in labels where path.hasPrefix("positives/") {
            for label in list {
                expected += 1
                #expect(found.contains("\(path):\(label.line)"), "missed \(label.kind) at \(path):\(label.line)")
            }
        }
        #expect(expected >= 15)
        #expect(found.count == expected, "unexpected findings: \(found.sorted())")
    }

    @Test func hardNegativesAreQuiet() throws {
        let matches = try scan("negatives")
        #expect(matches.isEmpty, "\(matches.map { "\($0.match.ruleId) at \($0.location.path):\($0.location.line)" })")
    }
}
