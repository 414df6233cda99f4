import Foundation
import RosterAnalysis
import RosterModel
import Testing

extension EstateBuilder {
    /// A certificate folder estate built in code, observed at ``Fixture/now`` (2025-11-20).
    static func x509(folder: String = "production", _ build: (inout Estate) -> Void) -> EstateBuilder {
        var builder = EstateBuilder()
        builder.estate = Estate(observedAt: Fixture.now, scope: "x509:\(folder)")
        build(&builder.estate)
        return builder
    }
}

extension Estate {
    /// Adds a certificate identity as the X.509 connector maps it, healthy by default: a CA-issued
    /// RSA 2048 client certificate, valid from 100 days before ``Fixture/now`` for 365 days, with an owner.
    @discardableResult
    mutating func certificate(
        _ name: String,
        folder: String = "production",
        kind: IdentityKind = .x509ClientCertificate,
        expiresInDays: Double = 265,
        tags extra: [String: String] = [:]
    ) -> String {
        let id = "x509:sha256:" + SHA256Digest.hex(of: name)
        var tags = [
            X509Tag.subject: "CN=\(name),OU=payments-team,O=Acme", X509Tag.issuer: "CN=Acme Issuing CA 1,O=Acme", X509Tag.keyAlgorithm: "RSA",
            X509Tag.keyBits: "2048", X509Tag.signatureAlgorithm: "sha256WithRSAEncryption", X509Tag.extendedKeyUsage: "clientAuth",
            X509Tag.issuedBy: "Acme Issuing CA 1", X509Tag.folders: folder, X509Tag.files: "\(name).pem",
        ]
        tags.merge(extra) { _, new in new }
        identities.append(
            Identity(
                id: id,
                provider: .x509,
                kind: kind,
                name: name,
                account: folder,
                path: "\(name).pem",
                owner: "payments-team",
                tags: tags,
                createdAt: daysAgo(100),
                nature: .machine,
                natureReason: "an X.509 client certificate"
            )
        )
        let expires = Fixture.now.addingTimeInterval(expiresInDays * 86_400)
        credentials.append(
            Credential(
                id: id + "#certificate",
                identityId: id,
                kind: .certificate,
                status: expiresInDays < 0 ? .expired : .active,
                createdAt: daysAgo(100),
                expiresAt: expires,
                fingerprint: "x509.certificate-der:sha256:" + SHA256Digest.hex(of: name)
            )
        )
        return id
    }
}

/// The X.509 detectors' risky and healthy estates, in the shape of `detectorCases` (DetectorTests.swift),
/// so the registry's checks can cover them: `detectorCases.merging(x509DetectorCases) { a, _ in a }`.
let x509DetectorCases: [String: DetectorCase] = [
    "x509.certificate.expired": DetectorCase(
        identity: "billing-exporter",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        evidence: "expired 2025-11-10, 10 days before 2025-11-20",
        risky: { .x509 { $0.certificate("billing-exporter", expiresInDays: -10) } },
        healthy: { .x509 { $0.certificate("billing-exporter", expiresInDays: 200) } }
    ),
    "x509.certificate.expiring": DetectorCase(
        identity: "orders-consumer",
        severity: .low,
        owasp: .nhi7LongLivedSecrets,
        evidence: "expires 2025-12-10, in 20 days",
        risky: { .x509 { $0.certificate("orders-consumer", expiresInDays: 20) } },
        // Sixty days out is not yet worth a finding.
        healthy: { .x509 { $0.certificate("orders-consumer", expiresInDays: 60) } }
    ),
    "x509.certificate.weak-key": DetectorCase(
        identity: "legacy-reporting",
        severity: .high,
        owasp: .nhi4InsecureAuthentication,
        evidence: "RSA 1024-bit key",
        risky: { .x509 { $0.certificate("legacy-reporting", tags: [X509Tag.keyBits: "1024"]) } },
        healthy: { .x509 { $0.certificate("legacy-reporting", tags: [X509Tag.keyBits: "2048"]) } }
    ),
    "x509.certificate.weak-signature": DetectorCase(
        identity: "etl-loader",
        severity: .medium,
        owasp: .nhi4InsecureAuthentication,
        evidence: "signed with sha1WithRSAEncryption by Acme Issuing CA 1",
        risky: {
            .x509 { $0.certificate("etl-loader", tags: [X509Tag.signatureAlgorithm: "sha1WithRSAEncryption", X509Tag.weakSignatureHash: "true"]) }
        },
        // A self-signed certificate's own SHA-1 signature is not relied on by anyone.
        healthy: {
            .x509 {
                $0.certificate(
                    "etl-loader",
                    kind: .x509ServerCertificate,
                    tags: [
                        X509Tag.signatureAlgorithm: "sha1WithRSAEncryption", X509Tag.weakSignatureHash: "true", X509Tag.selfSigned: "verified",
                    ]
                )
            }
        }
    ),
    "x509.client-certificate.self-signed": DetectorCase(
        identity: "vendor-sftp-client",
        severity: .medium,
        owasp: .nhi4InsecureAuthentication,
        evidence: "self-signed: its own key verifies its signature",
        risky: { .x509 { $0.certificate("vendor-sftp-client", tags: [X509Tag.selfSigned: "verified"]) } },
        // A self-signed server certificate is not a client identity.
        healthy: { .x509 { $0.certificate("vendor-sftp-client", kind: .x509ServerCertificate, tags: [X509Tag.selfSigned: "verified"]) } }
    ),
    "x509.certificate.shared-across-environments": DetectorCase(
        identity: "deploy-agent",
        severity: .high,
        owasp: .nhi8EnvironmentIsolation,
        evidence: "the same certificate is in folders production, staging",
        risky: {
            .x509 { $0.certificate("deploy-agent", tags: [X509Tag.folders: "production,staging", X509Tag.environments: "production,staging"]) }
        },
        healthy: { .x509 { $0.certificate("deploy-agent", tags: [X509Tag.environments: "production"]) } }
    ),
    "x509.certificate.reused": DetectorCase(
        identity: "edge.acme.io",
        severity: .medium,
        owasp: .nhi9NHIReuse,
        evidence: "the same certificate is in folders lb-east, lb-west",
        risky: { .x509(folder: "lb-east") { $0.certificate("edge.acme.io", folder: "lb-east", tags: [X509Tag.folders: "lb-east,lb-west"]) } },
        healthy: { .x509(folder: "lb-east") { $0.certificate("edge.acme.io", folder: "lb-east") } }
    ),
    "x509.private-key.beside-certificate": DetectorCase(
        identity: "payments-api",
        severity: .medium,
        owasp: .nhi2SecretLeakage,
        evidence: "the key is not encrypted",
        risky: {
            .x509 { estate in
                let id = estate.certificate("payments-api")
                estate.edges.append(
                    Edge(
                        from: id,
                        to: "x509:production/payments-api.key",
                        kind: .x509PrivateKeyBeside,
                        rule: "x509.import",
                        reason: "payments-api.key lies beside payments-api.pem and is named like it",
                        conditions: ["file=payments-api.key", "encrypted=false", "format=PRIVATE KEY"]
                    )
                )
            }
        },
        healthy: { .x509 { $0.certificate("payments-api") } }
    ),
]

/// Until the registry's table includes them, the same checks it makes, on the X.509 cases.
struct X509DetectorCaseTests {
    @Test func everyX509DetectorHasACase() {
        #expect(Set(x509DetectorCases.keys) == Set(Detectors.x509Family.map(\.id)))
    }

    @Test(arguments: x509DetectorCases.keys.sorted())
    func caseMatchesItsDetectorAndFiresOnlyWhenRisky(_ ruleId: String) throws {
        let fixture = try #require(x509DetectorCases[ruleId])
        let detector = try #require(Detectors.all.first { $0.id == ruleId })
        #expect(detector.severity == fixture.severity && detector.owasp == fixture.owasp)
        let risky = try fixture.risky().analyse(fixture.policy)
        let finding = try #require(risky.findings(on: fixture.identity).first { $0.ruleId == ruleId }, "\(risky.ruleIds(on: fixture.identity))")
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "\(finding.evidence)")
        let healthy = try fixture.healthy().analyse(fixture.policy)
        #expect(healthy.profile(named: fixture.identity) != nil)
        #expect(!healthy.ruleIds(on: fixture.identity).contains(ruleId))
    }
}
