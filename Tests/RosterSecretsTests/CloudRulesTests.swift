import Foundation
import RosterModel
import RosterSecrets
import Testing

/// The cloud rules against every rule (so clashes between families show up), plus the edges the
/// rules' own examples do not reach: boundaries inside longer tokens, order of fields, escaping.
@Suite struct CloudRulesTests {
    static let scanner = try! SecretScanner(rules: SecretRules.all)

    static func ruleIds(_ text: String, path: String = "settings.env") -> [String] {
        scanner.scan(text: text, path: path).map(\.ruleId)
    }



    @Test func googleAPIKeyNeedsItsExactLengthAndBoundaries() {
        let key = "AIzarAl8kD5US9iVapHebVMVK9a9zqXzFklt0ec"
        #expect(Self.ruleIds("key=\(key)") == ["gcp.api-key"])
        #expect(Self.ruleIds("key=\(key)Q").isEmpty)
        #expect(Self.ruleIds("key=x\(key)").isEmpty)
        #expect(Self.ruleIds(#"{\"apiKey\":\"\#(key)\"}"#) == ["gcp.api-key"])
    }

    @Test func entraSecretNeedsTheDigitBeforeQTilde() {
        let secret = "uCl8Q~DAhkYXdLKhyCto~Js03KePtg7i8utftvvi"
        #expect(Self.ruleIds("AZURE_CLIENT_SECRET=\(secret)").contains("azure.entra.client-secret"))
        let noDigit = secret.replacingOccurrences(of: "l8Q~", with: "lxQ~")
        #expect(!Self.ruleIds("AZURE_CLIENT_SECRET=\(noDigit)").contains("azure.entra.client-secret"))
    }

    @Test func storageKeyIsOneFindingAndTheCosmosKeyIsNotAStorageKey() {
        let key = "ygybM6LFx2nKzSwMQZH1YfYUa1r7vjfJH6+lJTBHStm7Mwt2aJRLrH6zOt4ZWDktjLTKgGlOk+zlhoccX8Fyhg=="
        #expect(
            Self.ruleIds("DefaultEndpointsProtocol=https;AccountName=logs01;AccountKey=\(key);EndpointSuffix=core.windows.net") == [
                "azure.storage.connection-string"
            ]
        )
        #expect(Self.ruleIds("AccountEndpoint=https://orders.documents.azure.com:443/;AccountKey=\(key);") == ["azure.cosmosdb.account-key"])
    }

    @Test func sasTokenNeedsVersionExpiryAndSignature() {
        let sig = "xlffXRL2GDApg%2FiORqWdNuFqIYqiKCedo5MPxfw6aQk%3D"
        let url = "https://logs01.blob.core.windows.net/c?sv=2022-11-02&se=2026-01-01&sp=r&sig=\(sig)"
        #expect(Self.ruleIds(url) == ["azure.storage.sas-token"])
        #expect(Self.ruleIds(url.replacingOccurrences(of: "&se=2026-01-01", with: "")).isEmpty)
        #expect(Self.ruleIds(url.replacingOccurrences(of: "sv=2022-11-02&", with: "")).isEmpty)
        // `use=` is not `se=`.
        #expect(Self.ruleIds(url.replacingOccurrences(of: "&se=", with: "&use=")).isEmpty)
    }

    @Test func azureDevOpsTokenNeedsItsSignatures() {
        let pat = "dpbPGPcJpgSxeUXAS43sgkNhKyJO3MPXRYwSqjcJKiuWTYXv0MJMJQQJ99wN1ANSVJzRt2RMBRBgAZDOa2PA"
        #expect(Self.ruleIds("PAT=\(pat)") == ["azure-devops.pat"])
        #expect(Self.ruleIds("PAT=\(pat.replacingOccurrences(of: "JQQJ9", with: "JQQJ8"))").isEmpty)
        #expect(Self.ruleIds("PAT=\(pat)0").isEmpty)
    }

    @Test func vaultServiceTokenInsideALongerWordIsNot() {
        let token = "hvs.CAESIdVYf_qJo4K_UIOcVhSXsE7JAsAf_raN-d2HkJ3B0C-HP6hfzoSVqOHqW8ZDuxvZfxgWNNU7Zd43B-98pEsRr22"
        #expect(Self.ruleIds("VAULT_TOKEN=\(token)") == ["hashicorp.vault.service-token"])
        #expect(Self.ruleIds("VAULT_TOKEN=x\(token)").filter { !$0.hasPrefix("generic.") }.isEmpty)
    }

    @Test func everyCloudRuleIsOpaqueAndDistinct() {
        #expect(SecretRules.cloud.allSatisfy { $0.fingerprint == .opaque })
        #expect(Set(SecretRules.cloud.map(\.id)).count == SecretRules.cloud.count)
        #expect(SecretRules.cloud.allSatisfy { $0.keywords.allSatisfy { $0.count >= 3 } })
    }
}
