import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The X.509 detectors on the fixture folders (judged as of 2026-11-20): each fires on its risky
/// certificate and stays silent on the healthy look-alike beside it.
struct X509DetectorTests {
    /// Each folder analysed on its own, as the service analyses each stored snapshot.
    static let analyses: [Analysis]? = try? X509Fixture.read().estates.map { Analyzer.run([$0]) }

    static func profiles(_ analyses: [Analysis]) -> [IdentityProfile] { analyses.flatMap(\.profiles) }

    func profiles() throws -> [IdentityProfile] { Self.profiles(try #require(Self.analyses, "the X.509 fixtures did not load")) }

    /// The rules that fire on the certificate named `name` in `folder`.
    func rules(_ name: String, in folder: String = "production", of profiles: [IdentityProfile]? = nil) throws -> Set<String> {
        let all = try profiles ?? self.profiles()
        let profile = try #require(all.first { $0.identity.name == name && $0.identity.account == folder }, "\(name) in \(folder)")
        return Set(profile.findings.map(\.ruleId))
    }

    func finding(_ rule: String, on name: String) throws -> Finding {
        try #require(try profiles().flatMap(\.findings).first { $0.ruleId == rule && $0.identityName == name })
    }

    @Test func x509DetectorsAreRegistered() {
        let ids = Set(Detectors.all.map(\.id))
        for detector in Detectors.x509Family { #expect(ids.contains(detector.id)) }
        #expect(Detectors.x509Family.count == 8)
    }

    @Test func expiredCertificateIsReported() throws {
        #expect(try rules("billing-exporter") == ["x509.certificate.expired"])
        let finding = try finding("x509.certificate.expired", on: "billing-exporter")
        #expect(finding.owasp == .nhi1ImproperOffboarding)
        #expect(finding.evidence.first == "expired 2026-01-01, 323 days before 2026-11-20")
        #expect(finding.credentialId?.hasSuffix("#certificate") == true)
    }

    @Test func expiringWithinThirtyDaysIsReportedAndSixtyDaysIsNot() throws {
        // Given orders-consumer (expires 2026-12-10, in 19 days) and orders-producer (2027-01-19, in 59 days)
        #expect(try rules("orders-consumer") == ["x509.certificate.expiring"])
        #expect(try rules("orders-producer").isEmpty)
        let finding = try finding("x509.certificate.expiring", on: "orders-consumer")
        #expect(finding.severity == .low)
        #expect(finding.evidence.first?.hasPrefix("expires 2026-12-10, in 19 days") == true)
    }

    @Test func weakKeyIsReportedAndA2048BitOrP256KeyIsNot() throws {
        #expect(try rules("legacy-reporting") == ["x509.certificate.weak-key"])
        #expect(
            try finding("x509.certificate.weak-key", on: "legacy-reporting").evidence.first
                == "RSA 1024-bit key, below the 2048 bits NIST SP 800-57 accepts"
        )
        #expect(try rules("api.acme.io").isEmpty)
        #expect(try rules("deploy-agent", in: "staging").isEmpty)
    }

    @Test func sha1SignatureIsReportedOnACAIssuedCertificate() throws {
        #expect(try rules("etl-loader") == ["x509.certificate.weak-signature"])
        let finding = try finding("x509.certificate.weak-signature", on: "etl-loader")
        #expect(finding.owasp == .nhi4InsecureAuthentication)
        #expect(finding.evidence.first == "signed with sha1WithRSAEncryption by Acme Issuing CA 1")
    }

    @Test func selfSignedClientIsReportedButSelfSignedRootsAreNot() throws {
        // Given vendor-sftp-client, self-signed with clientAuth (and no OU), and the self-signed Acme Root CA
        #expect(try rules("vendor-sftp-client") == ["x509.client-certificate.self-signed", "nhi.owner.missing"])
        let finding = try finding("x509.client-certificate.self-signed", on: "vendor-sftp-client")
        #expect(finding.owasp == .nhi4InsecureAuthentication)
        #expect(finding.evidence.first == "self-signed: its own key verifies its signature")
        // The root is a resource: nothing is ever reported on it
        #expect(try !profiles().flatMap(\.findings).contains { $0.identityName.hasPrefix("Acme ") })
    }

    @Test func certificateInTwoEnvironmentsIsReportedOnce() throws {
        // Given deploy-agent in production and staging
        #expect(try rules("deploy-agent") == ["x509.certificate.shared-across-environments"])
        #expect(try rules("deploy-agent", in: "staging").isEmpty)
        let finding = try finding("x509.certificate.shared-across-environments", on: "deploy-agent")
        #expect(finding.severity == .high)
        #expect(finding.owasp == .nhi8EnvironmentIsolation)
        #expect(
            finding.evidence == [
                "the same certificate is in folders production, staging",
                "they are the environments production, staging: whoever holds the key in one authenticates in all",
            ]
        )
    }

    @Test func certificateInTwoFoldersOfNoEnvironmentIsReuseNotIsolation() throws {
        // Given edge.acme.io in lb-east and lb-west
        #expect(try rules("edge.acme.io", in: "lb-east") == ["x509.certificate.reused"])
        #expect(try rules("edge.acme.io", in: "lb-west").isEmpty)
        #expect(try finding("x509.certificate.reused", on: "edge.acme.io").owasp == .nhi9NHIReuse)
    }

    @Test func privateKeyBesideItsCertificateIsReportedLowerWhenEncrypted() throws {
        #expect(try rules("payments-api") == ["x509.private-key.beside-certificate"])
        let plain = try finding("x509.private-key.beside-certificate", on: "payments-api")
        #expect(plain.severity == .medium)
        #expect(plain.owasp == .nhi2SecretLeakage)
        #expect(plain.evidence.last == "the key is not encrypted")
        #expect(try rules("orders-producer-staging", in: "staging") == ["x509.private-key.beside-certificate"])
        #expect(try finding("x509.private-key.beside-certificate", on: "orders-producer-staging").severity == .low)
    }

    @Test func healthyLookAlikesOnHandBuiltCertificates() throws {
        // Given certificates the fixtures lack: a self-signed leaf with a SHA-1 self-signature, and a P-192 key
        func identity(_ name: String, _ tags: [String: String]) -> Identity {
            Identity(
                id: "x509:sha256:\(name)",
                provider: .x509,
                kind: .x509ServerCertificate,
                name: name,
                account: "lab",
                owner: "lab-team",
                tags: tags.merging([X509Tag.folders: "lab"]) { a, _ in a },
                nature: .machine
            )
        }
        let estate = Estate(
            observedAt: X509Fixture.asOf,
            scope: "x509:lab",
            identities: [
                identity(
                    "sha1-self",
                    [X509Tag.weakSignatureHash: "true", X509Tag.selfSigned: "verified", X509Tag.signatureAlgorithm: "sha1WithRSAEncryption"]
                ),
                identity("p192", [X509Tag.keyAlgorithm: "EC", X509Tag.keyBits: "192", X509Tag.curve: "P-192"]),
                identity("ed25519", [X509Tag.keyAlgorithm: "Ed25519", X509Tag.keyBits: "256"]),
                identity("self-server", [X509Tag.selfSigned: "verified"]),
            ]
        )
        let findings = Analyzer.run([estate]).findings
        func rules(_ name: String) -> Set<String> { Set(findings.filter { $0.identityName == name }.map(\.ruleId)) }
        // Then a self-signed certificate's own SHA-1 signature is not reported, a P-192 key is,
        // Ed25519 is not, and a self-signed server certificate is not a self-signed client
        #expect(rules("sha1-self").isEmpty)
        #expect(rules("p192") == ["x509.certificate.weak-key"])
        #expect(rules("ed25519").isEmpty)
        #expect(rules("self-server").isEmpty)
    }

    @Test func theExampleFoldersShowEachRiskAndTheHealthyCertificates() throws {
        // Given examples/estate/x509, judged as of the AWS example's date
        let profiles = Self.profiles(try X509Fixture.read([X509Fixture.example]).estates.map { Analyzer.run([$0]) })
        func rules(_ name: String, _ folder: String = "production") throws -> Set<String> { try self.rules(name, in: folder, of: profiles) }
        #expect(try rules("billing-exporter") == ["x509.certificate.expired"])
        #expect(try rules("legacy-reporting") == ["x509.certificate.weak-key"])
        #expect(try rules("vendor-sftp-client") == ["x509.client-certificate.self-signed", "nhi.owner.missing"])
        // The example's vendor certificate is RSA: self-issued with matching key ids, its signature not checked
        let vendor = try #require(
            profiles.first { $0.identity.name == "vendor-sftp-client" }?.findings.first { $0.ruleId == "x509.client-certificate.self-signed" }
        )
        #expect(vendor.evidence.first == "self-issued: issuer equals subject and the key ids agree")
        #expect(try rules("deploy-agent") == ["x509.certificate.shared-across-environments"])
        #expect(try rules("orders-consumer-staging", "staging") == ["x509.private-key.beside-certificate"])
        #expect(try rules("payments-api").isEmpty)
        #expect(try rules("www.acme.io").isEmpty)
    }
}
