import Testing

@testable import RosterSecrets

/// Rules files: gitleaks' TOML as gitleaks' own configuration writes it, and the errors a user
/// gets for a broken one.
@Suite struct RulesFileTests {
    @Test func aGitleaksConfigurationReads() throws {
        let text = #"""
            title = "gitleaks config"
            [extend]
            useDefault = true

            [[rules]]
            id = "acme-api-key"
            description = "Acme API key"
            regex = '''(?i)acme[_-]?key['"]?\s*[:=]\s*['"]?([a-z0-9]{32})'''
            secretGroup = 1
            entropy = 3.5
            keywords = [
                "acme_key",
                "acme-key",   # both spellings
            ]
            tags = ["acme", "key"]
            [[rules.allowlists]]
            regexes = ['''^0{32}$''']
            stopwords = ["fixture"]

            [[rules]]
            id = "internal-token"
            description = "Internal \"service\" token\u0021"
            regex = """itok_[A-Z0-9]{24}"""
            """#
        let rules = try SecretRulesFile.parse(text, path: "gitleaks.toml")
        #expect(rules.map(\.id) == ["acme-api-key", "internal-token"])
        #expect(rules[0].keywords == ["acme_key", "acme-key"])
        #expect(rules[0].secretGroup == 1 && rules[0].minEntropy == 3.5)
        #expect(rules[0].allowPatterns == ["^0{32}$"] && rules[0].stopwords == ["fixture"])
        #expect(rules[1].title == "Internal \"service\" token!")
        // No keywords: the regex's longest literal serves.
        #expect(rules[1].keywords == ["itok_"])
        let scanner = try SecretScanner(rules: rules)
        #expect(scanner.scan(text: "ACME_KEY=9f2k4m7q1x8z3c6v5b0n2l4j7h9g1d3s").map(\.ruleId) == ["acme-api-key"])
        #expect(scanner.scan(text: "acme_key = 00000000000000000000000000000000").isEmpty)
        #expect(scanner.scan(text: "token: itok_Q7W2E9R4T1Y6U3I8O5P0A2S7").map(\.ruleId) == ["internal-token"])
    }

    @Test(arguments: [
        ("[[rules]]\nid = 'a'\nregex = 'x_[0-9]{8}'\nkeywords = [\"x_\"\n", "rules.toml:5:"),
        ("[[rules]]\nid = \"a\"\nregex = \"bad \\q escape\"\n", "rules.toml:3:"),
        ("rules = 3\n", "no [[rules]]"),
        ("[[rules]]\nid = \"a\"\nregex = \"(a|b)c\"\n", "no keywords"),
        ("[[rules]]\nid = \"a\"\nregex = \"abc_[0-9]{4}\"\nseverity = \"urgent\"\n", "severity: expected critical"),
        ("[[rules]]\nid = \"a\"\nregex = \"abc_([0-9]{4}\"\n", "not a valid regular expression"),
        ("[[rules]]\nid = \"a\"\nregex = \"abc_[0-9]{4}\"\nexamples = [\"nothing here\"]\n", "does not match its own example"),
        ("[[rules]]\nid = \"a\"\nregex = \"abc_[0-9]{4}\"\ninline = { a = 1 }\n", "inline tables"),
    ])
    func brokenFilesAreRefusedWithTheirPlace(_ text: String, _ expected: String) {
        do {
            let rules = try SecretRulesFile.parse(text, path: "rules.toml")
            _ = try SecretScanner(rules: rules)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}
