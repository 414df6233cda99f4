import RosterModel
import Testing

@testable import RosterSecrets

/// Every rule's own examples and negatives, against the whole rule set (so one rule's look-alike
/// caught by another rule shows up too).
@Suite struct RuleExamplesTests {
    static let scanner = try! SecretScanner(rules: SecretRules.all)

    @Test func theRuleSetIsLargeAndWellFormed() throws {
        let rules = SecretRules.all
        #expect(Set(rules.map(\.id)).count == rules.count)
        for rule in rules {
            #expect(!rule.examples.isEmpty, "\(rule.id) has no example")
            #expect(!rule.negatives.isEmpty, "\(rule.id) has no negative example")
            #expect(rule.keywords.allSatisfy { $0.utf8.count >= 3 && $0 == $0.lowercased() }, "\(rule.id) has a keyword under three characters or not lowercase")
            // A rule whose examples hold none of its keywords would never be tried on them.
            if rule.engine != .kubernetesSecretData {
                for example in rule.examples {
                    #expect(rule.keywords.contains { example.lowercased().contains($0) }, "\(rule.id): no keyword in \(example.prefix(80))")
                }
            }
        }
    }

    @Test(arguments: SecretRules.all.map(\.id))
    func examplesAreFound(_ id: String) throws {
        let rule = try #require(SecretRules.all.first { $0.id == id })
        if rule.engine == .kubernetesSecretData {
            // A decoder reports through the rules that match what it decoded.
            for example in rule.examples {
                let matches = Self.scanner.scan(text: example)
                #expect(!matches.isEmpty && matches.allSatisfy { $0.attributes["encoding"] != nil }, "\(id) decoded nothing in: \(example.prefix(120))")
            }
            return
        }
        for example in rule.examples {
            let matches = Self.scanner.scan(text: example)
            #expect(matches.filter { $0.ruleId == id }.count == 1, "\(id) should find its example once: \(example.prefix(120))")
            // Only this rule, or its siblings for the same credential (a key id beside its secret).
            let providers = Dictionary(SecretRules.all.map { ($0.id, $0.provider) }, uniquingKeysWith: { a, _ in a })
            #expect(matches.allSatisfy { $0.ruleId == id || providers[$0.ruleId] == rule.provider }, "\(id)'s example also matched \(matches.map(\.ruleId))")
        }
    }

    @Test(arguments: SecretRules.all.map(\.id))
    func negativesAreNot(_ id: String) throws {
        let rule = try #require(SecretRules.all.first { $0.id == id })
        // A near miss of one format must not be taken for it or for any other format. The generic
        // rules may still report a drawn value assigned to a secret's name (a 30-character value
        // in AZURE_CLIENT_SECRET is a secret whatever its format); the hard-negative corpus holds
        // them to account.
        for negative in rule.negatives {
            let matches = Self.scanner.scan(text: negative).filter { $0.ruleId == id || !$0.ruleId.hasPrefix("generic.") }
            #expect(matches.isEmpty, "\(id)'s negative matched \(matches.map(\.ruleId)): \(negative.prefix(120))")
        }
        if rule.provider == "generic" {
            for negative in rule.negatives {
                #expect(Self.scanner.scan(text: negative).isEmpty, "\(id)'s negative matched: \(negative.prefix(120))")
            }
        }
    }

    @Test func anAccessKeyIsPairedWithItsSecret() throws {
        let text = """
            [default]
            aws_access_key_id = AKIA4QKZB7X2M5NPRS3T
            aws_secret_access_key = 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
            """
        let matches = Self.scanner.scan(text: text)
        #expect(matches.count == 1)
        let match = try #require(matches.first)
        #expect(match.ruleId == "aws.access-key-id")
        #expect(match.line == 2 && match.column == 21)
        #expect(match.fingerprint == CredentialFingerprint(.awsAccessKeyId, of: "AKIA4QKZB7X2M5NPRS3T"))
        #expect(match.paired?.fingerprint == CredentialFingerprint(.awsSecretAccessKey, of: "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"))
        #expect(match.paired?.line == 3)
        #expect(match.preview == "AKIA…RS3T")
    }

    @Test func kubernetesSecretDataIsDecodedInYAMLAndJSON() throws {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata:
                name: billing
              type: Opaque
              data:
                AWS_ACCESS_KEY_ID: QUtJQTRRS1pCN1gyTTVOUFJTM1Q=
                db-password: VnE3I21aMnBMeDkh
                username: YmlsbGluZy1zdmM=
            ---
            apiVersion: v1
            kind: ConfigMap
            data:
              note: VnE3I21aMnBMeDkh
            """
        let found = Self.scanner.scan(text: yaml)
        #expect(found.map(\.ruleId) == ["aws.access-key-id", "generic.password"])
        #expect(found.map(\.line) == [10, 11])
        #expect(found.first?.fingerprint == CredentialFingerprint(.awsAccessKeyId, of: "AKIA4QKZB7X2M5NPRS3T"))
        #expect(found.first?.attributes["encoding"]?.contains("AWS_ACCESS_KEY_ID") == true)
        let json = """
            {
                "apiVersion": "v1",
                "data": {
                    "token": "Z2hwX1VGYXdmblhsZ0gxSm54bEpQdjRieE9lNUx4bDVTODN4OXlteQ=="
                },
                "kind": "Secret",
                "metadata": {"name": "ci"}
            }
            """
        let decoded = Self.scanner.scan(text: json)
        #expect(decoded.map(\.ruleId) == ["github.pat.classic"])
        #expect(decoded.first?.line == 4)
        #expect(decoded.first?.attributes["encoding"] != nil)
    }

    @Test func inlineAllowAcceptsAFinding() {
        #expect(Self.scanner.scan(text: "AWS_ACCESS_KEY_ID=AKIA4QKZB7X2M5NPRS3T # roster:allow").isEmpty)
    }
}
