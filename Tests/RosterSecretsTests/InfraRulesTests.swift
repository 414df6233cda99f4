import Foundation
import RosterModel
import RosterSecrets
import Testing

/// The infrastructure rules against every rule, plus their edges: a ServiceAccount token is one
/// finding (not also a generic JWT), Docker auth needs a password, database URLs skip variables,
/// masks and user-equals-password defaults.
@Suite struct InfraRulesTests {
    static let scanner = try! SecretScanner(rules: SecretRules.all)

    static func ruleIds(_ text: String, path: String = "deploy.yaml") -> [String] {
        scanner.scan(text: text, path: path).map(\.ruleId)
    }



    static let serviceAccountToken =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IjUyTmdkZ3BsRFJWODlJNWtxNlo4MV9UQ2YzNVhaN05aSFN4ZFBic2F6WUgifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJjaSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VjcmV0Lm5hbWUiOiJkZXBsb3llci10b2tlbi14N2sycSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50Lm5hbWUiOiJkZXBsb3llciIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjNmNmMyYThlLTlkNDEtNGI3YS04ZTJmLTUxYzBkOWE3YjZlMyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpjaTpkZXBsb3llciJ9.WLyig8MqzTQ06Mwhin5myBtpAZ5XU4PmOjGVeRY9XYbZ8LKWwOHYk9F2N9kdrHKarW6SaqQjK0FquJ9pfaBLoGEHKz61OB6x-zb1ORyAjo2Bv_YmU4pWds0cnvIMr_-X3IBY2Ueukgoze4Ok_Yh5odbZrxy6nmv9VphfqH0RoYP6zSgyHZDqP_HdgnSClNrfyhSO-pxxHdmchPw1Q1z66LHOZcpiXkzTioAw3BsZs5BQqVyVaOoZhH4bDyXRz_KmumcL2S3n6XBqRd171mLJ6iNDgghVmpaEjd3aiTWem1LoZ83rZnu3OXR7b0vFSDaA_JUjN-of32bCTARYgWn9nA"

    @Test func legacyServiceAccountTokenIsNotAlsoAGenericJWT() {
        #expect(Self.ruleIds("    token: \(Self.serviceAccountToken)") == ["kubernetes.service-account-token.legacy"])
    }

    /// A kubeconfig's key for a 2048-bit RSA client certificate is about 2,240 base64 characters on one line.
    static func clientKeyData(bytes: Int) -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let body = (0..<bytes).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\n" + Data(body).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END RSA PRIVATE KEY-----\n"
        return Data(pem.utf8).base64EncodedString()
    }

    /// Every remainder of the value's length modulo 4 once the line window cuts it (the spaces
    /// after the colon move where the cut falls).
    @Test(arguments: [" ", "  ", "   ", "    "])
    func longClientKeyDataIsOneFinding(spaces: String) throws {
        let value = Self.clientKeyData(bytes: 1191)
        let matches = Self.scanner.scan(text: "    client-key-data:\(spaces)\(value)\n", path: "kubeconfig")
        #expect(matches.map(\.ruleId) == ["kubernetes.kubeconfig.client-key"])
        let match = try #require(matches.first)
        withKnownIssue("the scanner's line window (2 KB after the keyword) cuts longer values", isIntermittent: true) {
            #expect(match.length == value.utf8.count)
        }
    }

    @Test func jwtNeedsASignatureAndJSONParts() {
        let jwt =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsImlhdCI6MTczMzMwMDAwMCwiZXhwIjoxNzY0ODM2MDAwLCJzY29wZSI6Imludm9pY2VzOndyaXRlIn0.7s2t3p_GttKPS93TogmCg5Z6X3MiUNCNSjMEEKEYsvc"
        #expect(Self.ruleIds("Authorization: Bearer \(jwt)") == ["jwt"])
        let unsigned = "eyJhbGciOiAibm9uZSJ9.eyJzdWIiOiAic3ZjLWJpbGxpbmciLCAiZXhwIjogMTc2NDgzNjAwMH0."
        #expect(Self.ruleIds("Authorization: Bearer \(unsigned)").isEmpty)
    }

    @Test func dockerAuthNeedsAPassword() {
        // base64 of `ci-bot:fdZikYBI5HMG23j9Pfez`, then of `ci-bot:`, `ci-bo:`, `ci-b:` (each padding case).
        #expect(Self.ruleIds(#"{"auths":{"r.io":{"auth":"Y2ktYm90OmZkWmlrWUJJNUhNRzIzajlQZmV6"}}}"#) == ["docker.config.auth"])
        for empty in ["Y2ktYm90Og==", "Y2ktYm86", "Y2ktYjo="] {
            #expect(Self.ruleIds(#"{"auths":{"r.io":{"auth":"\#(empty)"}}}"#).isEmpty, "\(empty)")
        }
    }

    @Test func databaseURLsSkipVariablesMasksAndDefaults() {
        let password = "HupTXj2ykNZ3ndSN6X"
        #expect(Self.ruleIds("postgresql://billing:\(password)@db:5432/billing") == ["postgres.connection-url"])
        #expect(Self.ruleIds("postgres://billing:p%40ss-\(password)@db/billing") == ["postgres.connection-url"])
        #expect(Self.ruleIds("redis://:\(password)@cache:6379") == ["redis.connection-url"])
        #expect(Self.ruleIds("mongodb+srv://svc:\(password)@c0.mongodb.net/") == ["mongodb.connection-url"])
        for text in [
            "postgres://billing:billing@db/billing", "postgres://billing:$PGPASSWORD@db/billing",
            "postgres://billing:%(password)s@db/billing", "postgres://billing:{password}@db/billing",
            "postgres://billing:****@db/billing", "postgres://billing@db/billing", "postgres://db:5432/billing",
        ] {
            #expect(Self.ruleIds(text).isEmpty, "\(text)")
        }
    }

    @Test func jdbcPasswordParameter() {
        #expect(Self.ruleIds("jdbc:mysql://db:3306/shop?user=shop&password=HupTXj2ykNZ3ndSN6X") == ["jdbc.connection-password"])
        #expect(Self.ruleIds("jdbc:mysql://db:3306/shop?user=shop&password=${DB_PASSWORD}").isEmpty)
    }

    @Test func kubeadmDocumentationTokenIsNotASecret() {
        #expect(Self.ruleIds("kubeadm join 10.0.0.1:6443 --token 07401b.f395accd246ae52d").isEmpty)
        #expect(Self.ruleIds("kubeadm join 10.0.0.1:6443 --token 51xq16.gty00bw2uf49tiki") == ["kubernetes.bootstrap-token"])
    }

    @Test func everyInfraRuleIsOpaqueAndDistinct() {
        #expect(SecretRules.infra.allSatisfy { $0.fingerprint == .opaque })
        #expect(Set(SecretRules.infra.map(\.id)).count == SecretRules.infra.count)
        #expect(SecretRules.infra.allSatisfy { $0.keywords.allSatisfy { $0.count >= 3 } })
    }
}
