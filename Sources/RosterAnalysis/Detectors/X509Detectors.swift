import Foundation
import RosterModel

/// Leaf certificates found in certificate folders (X.509 identities): validity, key and signature
/// strength, self-signed client certificates, reuse across folders and private keys lying beside them.
///
/// Certificate authorities are resources, not identities, so a self-signed root is never reported
/// as self-signed, and its own SHA-1 self-signature (which nothing relies on) is not reported either.
extension Detectors {
    /// The X509 detectors.
    public static let x509Family: [Detector] = [
        x509Expired, x509Expiring, x509WeakKey, x509WeakSignature, x509SelfSignedClient, x509SharedAcrossEnvironments, x509Reused,
        x509PrivateKeyBeside,
    ]

    /// Thresholds for certificates. `DetectionPolicy` has no certificate setting yet; until it has
    /// one, the warning window lives here, in one place.
    public enum X509Thresholds {
        /// A certificate expiring within this many days is reported, so it is renewed before it breaks.
        public static let expiryWarningDays = 30
        /// The smallest RSA or DSA key NIST SP 800-57 Part 1 accepts after 2030 begins, and the CA/Browser Forum since 2014.
        public static let minimumRSABits = 2048
        /// The smallest elliptic-curve key size NIST SP 800-57 accepts (P-224).
        public static let minimumECBits = 224
    }

    /// Severity medium: an expired certificate no longer authenticates anyone, but it was not removed,
    /// and a lax verifier may still accept it; it is a dead identity left in place.
    public static let x509Expired = Detector(
        id: "x509.certificate.expired",
        title: "Expired certificate still deployed",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "A leaf certificate whose notAfter date has passed, still in the folder.",
        remediation: "If it is still needed, issue a new certificate with a new key pair and deploy it; otherwise delete the certificate "
            + "and its private key from the folder and from whatever loads them.",
        evaluate: { subject, _ in
            certificate(of: subject).compactMap { certificate in
                guard let expires = certificate.expiresAt, expires < subject.now else { return nil }
                return Hit(
                    [
                        "expired \(Say.date(expires)), \(Say.days(expires.days(until: subject.now))) before \(Say.date(subject.now))",
                        "still in \(place(of: subject.identity))",
                    ],
                    credentialId: certificate.id
                )
            }
        }
    )

    /// Severity low: nothing is exposed yet; the certificate needs renewing (with a new key) before it breaks whatever uses it.
    public static let x509Expiring = Detector(
        id: "x509.certificate.expiring",
        title: "Certificate expires soon",
        severity: .low,
        owasp: .nhi7LongLivedSecrets,
        summary: "A leaf certificate that expires within \(X509Thresholds.expiryWarningDays) days.",
        remediation: "Renew it now with a new key pair (rotate, do not re-sign the old key), and automate renewal (ACME, cert-manager) "
            + "so certificates can be short-lived.",
        evaluate: { subject, _ in
            certificate(of: subject).compactMap { certificate in
                guard let expires = certificate.expiresAt, expires >= subject.now else { return nil }
                let days = subject.now.days(until: expires)
                guard days <= X509Thresholds.expiryWarningDays else { return nil }
                return Hit(
                    [
                        "expires \(Say.date(expires)), in \(Say.days(days)) (reported from \(X509Thresholds.expiryWarningDays) days before)",
                        "in \(place(of: subject.identity))",
                    ],
                    credentialId: certificate.id
                )
            }
        }
    )

    /// Severity high: a 1024-bit RSA key can be factored by a well-funded attacker, after which anyone can
    /// authenticate as the certificate's subject; unlike a weak signature this needs no collision, only the key.
    public static let x509WeakKey = Detector(
        id: "x509.certificate.weak-key",
        title: "Certificate has a weak key",
        severity: .high,
        owasp: .nhi4InsecureAuthentication,
        summary: "A leaf certificate whose RSA or DSA key is shorter than \(X509Thresholds.minimumRSABits) bits, or whose EC key is "
            + "shorter than \(X509Thresholds.minimumECBits) bits (NIST SP 800-57).",
        remediation: "Issue a replacement with an RSA 2048+ (3072 preferred) or EC P-256+ key generated anew, deploy it, then revoke this one.",
        evaluate: { subject, _ in
            let tags = subject.identity.tags
            guard judgedHere(subject), let algorithm = tags[X509Tag.keyAlgorithm], let bits = tags[X509Tag.keyBits].flatMap(Int.init)
            else { return [] }
            let minimum: Int
            switch algorithm {
            case "RSA", "DSA": minimum = X509Thresholds.minimumRSABits
            case "EC": minimum = X509Thresholds.minimumECBits
            default: return []
            }
            guard bits < minimum else { return [] }
            return [
                Hit(
                    [
                        "\(algorithm) \(tags[X509Tag.curve] ?? "\(bits)-bit") key, below the \(minimum) bits NIST SP 800-57 accepts",
                        "subject \(tags[X509Tag.subject] ?? subject.identity.name)",
                    ],
                    credentialId: certificate(of: subject).first?.id
                )
            ]
        }
    )

    /// Severity medium: forging needs a chosen-prefix collision against the issuing CA (shown practical for
    /// SHA-1 in 2020 and for MD5 long before), harder than using a weak key, but then yields a certificate
    /// for any name the CA vouches for.
    public static let x509WeakSignature = Detector(
        id: "x509.certificate.weak-signature",
        title: "Certificate signed with a broken hash",
        severity: .medium,
        owasp: .nhi4InsecureAuthentication,
        summary: "A CA-issued leaf certificate signed with SHA-1, MD5 or MD2, whose collisions let a look-alike certificate be forged. "
            + "Self-signed certificates are not reported: nothing relies on their own signature.",
        remediation: "Reissue the certificate from a CA that signs with SHA-256 or stronger, and stop that CA issuing SHA-1 certificates.",
        evaluate: { subject, _ in
            let tags = subject.identity.tags
            guard judgedHere(subject), tags[X509Tag.weakSignatureHash] == "true", tags[X509Tag.selfSigned] == nil else { return [] }
            return [
                Hit(
                    [
                        "signed with \(tags[X509Tag.signatureAlgorithm] ?? "a broken hash") by \(tags[X509Tag.issuedBy] ?? tags[X509Tag.issuer] ?? "its issuer")",
                        "SHA-1 and MD5 collisions are practical (chosen-prefix SHA-1 collisions since 2020), so a certificate with the same signature can be forged",
                    ],
                    credentialId: certificate(of: subject).first?.id
                )
            ]
        }
    )

    /// OWASP NHI4 rather than NHI7: the weakness is how the certificate authenticates (no issuer vouches for
    /// it, nothing can revoke it, each server must pin it by hand), not how long it lives, which
    /// x509.certificate.expiring and the validity dates show on their own. Severity medium: pinning can be
    /// done safely, but in practice verifiers that accept self-signed clients often accept any.
    public static let x509SelfSignedClient = Detector(
        id: "x509.client-certificate.self-signed",
        title: "Self-signed client certificate",
        severity: .medium,
        owasp: .nhi4InsecureAuthentication,
        summary: "A certificate for TLS client authentication (extended key usage clientAuth) that signs itself: no CA vouches for it and "
            + "no CRL or OCSP responder can revoke it, so servers must pin it, and a leaked key stays valid until every pin is removed.",
        remediation: "Issue the workload's client certificate from an internal CA (short-lived, automated: SPIFFE/SPIRE, cert-manager, "
            + "a private CA) and have servers trust that CA; remove the pinned self-signed certificate.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.kind == .x509ClientCertificate, judgedHere(subject), let how = identity.tags[X509Tag.selfSigned] else { return [] }
            return [
                Hit(
                    [
                        how == "verified"
                            ? "self-signed: its own key verifies its signature" : "self-issued: issuer equals subject and the key ids agree",
                        "subject \(identity.tags[X509Tag.subject] ?? identity.name), extended key usage \(identity.tags[X509Tag.extendedKeyUsage] ?? "clientAuth")",
                        certificate(of: subject).first?.expiresAt.map { "valid until \(Say.date($0)) unless every server drops it first" }
                            ?? "no expiry recorded",
                    ],
                    credentialId: certificate(of: subject).first?.id
                )
            ]
        }
    )

    /// Severity high: a copy of a production certificate (and so, in practice, of its key) in a
    /// non-production folder lets whoever reaches the weaker environment authenticate to production.
    public static let x509SharedAcrossEnvironments = Detector(
        id: "x509.certificate.shared-across-environments",
        title: "Same certificate in several environments",
        severity: .high,
        owasp: .nhi8EnvironmentIsolation,
        summary: "One certificate (same DER SHA-256) found in folders of different environments, such as production and staging.",
        remediation: "Issue each environment its own certificate and key pair (ideally from its own CA), replace the shared one everywhere, "
            + "then revoke it.",
        evaluate: { subject, _ in
            let tags = subject.identity.tags
            guard judgedHere(subject), let environments = tags[X509Tag.environments]?.split(separator: ","), environments.count >= 2
            else { return [] }
            return [
                Hit(
                    [
                        "the same certificate is in folders \(tags[X509Tag.folders]?.split(separator: ",").joined(separator: ", ") ?? "?")",
                        "they are the environments \(environments.joined(separator: ", ")): whoever holds the key in one authenticates in all",
                    ],
                    credentialId: certificate(of: subject).first?.id
                )
            ]
        }
    )

    /// Severity medium: one certificate in several places of the same environment (or places whose names
    /// say no environment) means several workloads share one identity, so none can be told apart or revoked alone.
    public static let x509Reused = Detector(
        id: "x509.certificate.reused",
        title: "Same certificate in several folders",
        severity: .medium,
        owasp: .nhi9NHIReuse,
        summary: "One certificate (same DER SHA-256) found in several folders that do not name different environments. "
            + "Across environments it is x509.certificate.shared-across-environments instead, never both.",
        remediation: "Give each workload its own certificate and key pair, so each can be rotated, audited and revoked on its own.",
        evaluate: { subject, _ in
            let tags = subject.identity.tags
            guard judgedHere(subject), let folders = tags[X509Tag.folders]?.split(separator: ","), folders.count >= 2,
                (tags[X509Tag.environments]?.split(separator: ",").count ?? 0) < 2
            else { return [] }
            return [Hit(["the same certificate is in folders \(folders.joined(separator: ", "))"], credentialId: certificate(of: subject).first?.id)]
        }
    )

    /// Severity medium (low when the key is encrypted): the folder is a place certificates are shared
    /// from; a private key kept in it travels wherever the folder is copied.
    public static let x509PrivateKeyBeside = Detector(
        id: "x509.private-key.beside-certificate",
        title: "Private key stored beside the certificate",
        severity: .medium,
        owasp: .nhi2SecretLeakage,
        summary: "A private key file (or key block) in the certificate folder, linked to the certificate by file name or by sharing its "
            + "PEM file. Roster notes the file and never reads the key.",
        remediation: "Move the key to a secret store (Vault, a KMS, a Kubernetes Secret with encryption at rest) or generate it where it is "
            + "used; keep only certificates in shared folders. If the folder was shared, reissue the certificate with a new key.",
        evaluate: { subject, _ in
            // Each folder's key files are its own: judged in every folder.
            guard subject.identity.provider == .x509 else { return [] }
            return subject.edgesOut.filter { $0.kind == .x509PrivateKeyBeside }.map { edge in
                let encrypted = edge.conditions.contains("encrypted=true")
                let state =
                    encrypted
                    ? "encrypted with a passphrase" : edge.conditions.contains("encrypted=false") ? "not encrypted" : "of unknown protection"
                return Hit([edge.reason, "the key is \(state)"], credentialId: certificate(of: subject).first?.id, severity: encrypted ? .low : nil)
            }
        }
    )

    /// The certificate credential of an X.509 identity, when this copy of it is the one judged.
    static func certificate(of subject: Subject) -> [Credential] {
        guard judgedHere(subject) else { return [] }
        return subject.credentials.filter { $0.kind == .certificate }
    }

    /// Whether this is an X.509 identity and this folder's copy is the one judged.
    ///
    /// The same certificate found in several folders is one identity in each folder's estate; it is
    /// judged once, in the first of those folders by name, and its findings name every folder, so one
    /// problem is one finding (and one suppression), not one per copy.
    static func judgedHere(_ subject: Subject) -> Bool {
        let identity = subject.identity
        guard identity.provider == .x509 else { return false }
        guard let first = identity.tags[X509Tag.folders]?.split(separator: ",").map(String.init).min(), let folder = identity.account else {
            return true
        }
        return folder == first
    }

    static func place(of identity: Identity) -> String {
        let files = identity.tags[X509Tag.files]?.split(separator: ",").joined(separator: ", ") ?? identity.path ?? "the folder"
        return "\(files) in folder \(identity.account ?? "?")"
    }
}
