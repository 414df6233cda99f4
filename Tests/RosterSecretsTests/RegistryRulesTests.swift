import Foundation
import RosterModel
import RosterSecrets
import Testing

/// The registry rules against every rule, plus their edges: npm's checksum, exact lengths and case.
@Suite struct RegistryRulesTests {
    static let scanner = try! SecretScanner(rules: SecretRules.all)

    static func ruleIds(_ text: String, path: String = ".npmrc") -> [String] {
        scanner.scan(text: text, path: path).map(\.ruleId)
    }



    @Test func npmTokenNeedsItsChecksum() {
        let token = "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"
        #expect(Self.ruleIds("//registry.npmjs.org/:_authToken=\(token)") == ["npm.access-token"])
        // One character of the random part changed: the CRC32 no longer fits.
        let altered = token.replacingOccurrences(of: "5U9W", with: "5U9X")
        // (Not in a `token` assignment, where the generic rule would rightly report it.)
        #expect(Self.ruleIds("published by \(altered)").isEmpty)
        #expect(Self.ruleIds("published by \(token)X").isEmpty)
    }

    @Test func npmrcHoldsEachFormOnce() {
        let text = """
            //registry.npmjs.org/:_authToken=0fbf5330-1cae-4adb-8fcc-caaca01b9c56
            //npm.corp.io/:_auth=ZGVwbG95OloxNmpSQWhCUkFrWFB3aWg=
            """
        #expect(Self.ruleIds(text).sorted() == ["npm.npmrc.basic-auth", "npm.npmrc.legacy-token"])
    }

    @Test func nugetKeysAreLowercase() {
        #expect(Self.ruleIds("--api-key oy2hz8g1mm330h6r4v0a8kcfy5yzbjtw2ppfxdff46cw3x") == ["nuget.api-key"])
        #expect(Self.ruleIds("--api-key OY2HZ8G1MM330H6R4V0A8KCFY5YZBJTW2PPFXDFF46CW3X").isEmpty)
    }

    @Test func everyRegistryRuleIsOpaqueAndDistinct() {
        #expect(SecretRules.registry.allSatisfy { $0.fingerprint == .opaque })
        #expect(Set(SecretRules.registry.map(\.id)).count == SecretRules.registry.count)
        #expect(SecretRules.registry.allSatisfy { $0.keywords.allSatisfy { $0.count >= 3 } })
    }
}
