import Foundation
import RosterModel

/// One folder's certificates and private key files, as read.
struct X509Folder {
    var name: String
    /// Certificates by DER SHA-256, and the order they were first met in.
    var certificates: [String: CertificateFacts] = [:]
    var order: [String] = []
    /// The file names each certificate was found in.
    var files: [String: [String]] = [:]
    var keys: [X509KeyFile] = []

    mutating func add(_ facts: CertificateFacts, file: String) {
        if certificates[facts.sha256] == nil {
            certificates[facts.sha256] = facts
            order.append(facts.sha256)
        }
        if files[facts.sha256]?.contains(file) != true { files[facts.sha256, default: []].append(file) }
    }
}

/// A private key file found beside certificates: its name and what its armour says, never its content.
struct X509KeyFile: Hashable {
    var fileName: String
    /// The PEM label (`RSA PRIVATE KEY`), nil for a file that was not opened (`.key`, `.p12`).
    var label: String?
    var encrypted: Bool?
    /// Certificates in the same PEM file, by DER SHA-256.
    var certificatesInSameFile: [String] = []
}

/// Maps one folder of certificates to its estate (`x509:<folder>`).
///
/// Leaf certificates become identities (`x509:sha256:<DER SHA-256>`) with one ``Credential`` each
/// (the certificate, fingerprinted `x509.certificate-der:sha256:…`); certificate authorities
/// (basicConstraints `cA`, or self-issued version 1 certificates, as OpenSSL treats them) become
/// resources of type `x509.ca-certificate` that the certificates they issued point to.
struct X509Mapper {
    let folder: X509Folder
    let observedAt: Date
    /// Every folder each certificate was found in, this import.
    let foldersBySHA: [String: [String]]
    /// The environment each folder's name says, when it says one.
    let environments: [String: String]
    var warnings: [String] = []

    func id(_ sha: String) -> String { "x509:sha256:\(sha)" }

    /// The environment the folder's name says, read once for all its certificates.
    var folderEnvironment: String? { environments[folder.name] }

    mutating func map() -> Estate {
        var estate = Estate(observedAt: observedAt, scope: "x509:\(folder.name)")
        // Computed once: looking CAs up per certificate would make a large folder quadratic.
        let authorities = folder.order.compactMap { folder.certificates[$0] }.filter(\.isCA)
        let authoritiesBySubject = Dictionary(grouping: authorities) { $0.subject.der }
        for sha in folder.order {
            guard let facts = folder.certificates[sha] else { continue }
            let issuer = facts.selfSigned == nil ? self.issuer(of: facts, among: authoritiesBySubject[facts.issuer.der] ?? []) : nil
            if facts.isCA {
                estate.resources.append(authority(facts))
            } else {
                let (identity, credential) = leaf(facts, issuer: issuer)
                estate.identities.append(identity)
                estate.credentials.append(credential)
            }
            if let issuer {
                estate.edges.append(
                    Edge(
                        from: id(sha),
                        to: id(issuer.sha256),
                        kind: .x509IssuedBy,
                        rule: "x509.import",
                        reason: "\(name(facts)) names \(name(issuer)) as its issuer, and that CA certificate is in folder \(folder.name) "
                            + "(\(folder.files[issuer.sha256]?.joined(separator: ", ") ?? ""))"
                    )
                )
            }
        }
        for key in folder.keys { attach(key, to: &estate) }
        return estate.sorted()
    }

    /// The CA in the folder that issued `facts`: its subject is the certificate's issuer, and the key ids agree when both are given.
    private func issuer(of facts: CertificateFacts, among authorities: [CertificateFacts]) -> CertificateFacts? {
        authorities.first { ca in
            guard ca.sha256 != facts.sha256, ca.subject == facts.issuer else { return false }
            guard let authority = facts.authorityKeyId, let subject = ca.subjectKeyId else { return true }
            return authority == subject
        }
    }

    private func name(_ facts: CertificateFacts) -> String {
        facts.commonName ?? facts.subjectAlternativeNames.first.map { String($0.drop { $0 != ":" }.dropFirst()) }
            ?? (facts.subject.isEmpty ? "certificate \(facts.sha256.prefix(12))" : facts.subject.description)
    }

    private func authority(_ facts: CertificateFacts) -> Resource {
        var attributes = [
            "subject": facts.subject.description, "issuer": facts.issuer.description, "serial": facts.serial,
            "notBefore": Self.day(facts.notBefore), "notAfter": Self.day(facts.notAfter), "key": facts.key.summary,
            "signatureAlgorithm": facts.signatureAlgorithm.name, "files": folder.files[facts.sha256]?.joined(separator: ",") ?? "",
        ]
        if let selfSigned = facts.selfSigned { attributes["selfSigned"] = selfSigned.rawValue }
        return Resource(
            id: id(facts.sha256),
            provider: .x509,
            type: "x509.ca-certificate",
            name: name(facts),
            account: folder.name,
            attributes: attributes
        )
    }

    private func leaf(_ facts: CertificateFacts, issuer: CertificateFacts?) -> (Identity, Credential) {
        let identityId = id(facts.sha256)
        let name = name(facts)
        let usages = facts.extendedKeyUsage.joined(separator: ", ")
        let kind: IdentityKind
        let reason: String
        if facts.hasClientAuth {
            kind = .x509ClientCertificate
            reason =
                "an X.509 client certificate (extended key usage clientAuth): whoever holds its private key authenticates as \(name) over mutual TLS"
        } else if facts.hasServerAuth {
            kind = .x509ServerCertificate
            reason = "an X.509 server certificate (extended key usage \(usages)): a service proves it is \(name) with it"
        } else {
            kind = .certificate
            reason =
                facts.extendedKeyUsage.isEmpty
                ? "an X.509 leaf certificate without extended key usage, so valid for any purpose, client authentication included"
                : "an X.509 leaf certificate for \(usages)"
        }
        let unit = facts.subject.value(DistinguishedNameFacts.organizationalUnit)
        let email =
            facts.subject.value(DistinguishedNameFacts.emailAddress)
            ?? facts.subjectAlternativeNames.first { $0.hasPrefix("email:") }.map { String($0.dropFirst(6)) }
        var identity = Identity(
            id: identityId,
            provider: .x509,
            kind: kind,
            name: name,
            nativeId: facts.serial,
            account: folder.name,
            path: folder.files[facts.sha256]?.first,
            environment: folderEnvironment ?? EnvironmentName.guess([unit, facts.commonName]),
            owner: email ?? unit,
            createdAt: facts.notBefore,
            nature: .machine,
            natureReason: reason
        )
        identity.tags = tags(facts, issuer: issuer)
        let status: CredentialStatus = observedAt > facts.notAfter ? .expired : (observedAt < facts.notBefore ? .inactive : .active)
        let credential = Credential(
            id: identityId + "#certificate",
            identityId: identityId,
            kind: .certificate,
            status: status,
            createdAt: facts.notBefore,
            expiresAt: facts.notAfter,  // The same string CredentialFingerprint(.x509Certificate, bytes: der) gives, from the digest already computed with swift-crypto.
            fingerprint: "\(CredentialFingerprint.Namespace.x509Certificate.rawValue):sha256:\(facts.sha256)",
            preview: CredentialFingerprint.preview(facts.sha256)
        )
        return (identity, credential)
    }

    private func tags(_ facts: CertificateFacts, issuer: CertificateFacts?) -> [String: String] {
        var tags: [String: String] = [
            X509Tag.subject: facts.subject.description, X509Tag.issuer: facts.issuer.description, X509Tag.serial: facts.serial,
            X509Tag.keyAlgorithm: facts.key.algorithm, X509Tag.signatureAlgorithm: facts.signatureAlgorithm.name,
        ]
        if let bits = facts.key.bits { tags[X509Tag.keyBits] = String(bits) }
        if let curve = facts.key.curve { tags[X509Tag.curve] = curve }
        if facts.signatureAlgorithm.weakHash { tags[X509Tag.weakSignatureHash] = "true" }
        if !facts.extendedKeyUsage.isEmpty { tags[X509Tag.extendedKeyUsage] = facts.extendedKeyUsage.joined(separator: ",") }
        if !facts.subjectAlternativeNames.isEmpty { tags[X509Tag.subjectAlternativeNames] = facts.subjectAlternativeNames.joined(separator: ",") }
        if let selfSigned = facts.selfSigned { tags[X509Tag.selfSigned] = selfSigned.rawValue }
        if let issuer { tags[X509Tag.issuedBy] = name(issuer) }
        if let folders = foldersBySHA[facts.sha256], folders.count > 1 {
            let sorted = folders.sorted()
            tags[X509Tag.folders] = sorted.joined(separator: ",")
            let named = Set(sorted.compactMap { environments[$0] })
            if !named.isEmpty { tags[X509Tag.environments] = named.sorted().joined(separator: ",") }
        } else {
            // Most certificates are in one folder: its name and environment, without building sets.
            tags[X509Tag.folders] = folder.name
            if let environment = folderEnvironment { tags[X509Tag.environments] = environment }
        }
        tags[X509Tag.files] = folder.files[facts.sha256]?.joined(separator: ",")
        return tags
    }

    /// Links a private key file to the certificates it belongs to: those in the same PEM file, else those whose file names match.
    private mutating func attach(_ key: X509KeyFile, to estate: inout Estate) {
        let resourceId = "x509:\(folder.name)/\(key.fileName)"
        let encrypted = key.encrypted.map { $0 ? "true" : "false" } ?? "unknown"
        estate.resources.append(
            Resource(
                id: resourceId,
                provider: .x509,
                type: "x509.private-key-file",
                name: key.fileName,
                account: folder.name,
                attributes: ["format": key.label ?? "not opened", "encrypted": encrypted]
            )
        )
        var owners = key.certificatesInSameFile.filter { folder.certificates[$0]?.isCA == false }
        if owners.isEmpty {
            let stem = Self.stem(key.fileName)
            owners = folder.order.filter { sha in folder.files[sha]?.contains { Self.stems(matching: stem).contains(Self.stem($0)) } == true }
        }
        guard !owners.isEmpty else {
            warnings.append(
                "x509:\(folder.name): \(key.fileName) is a private key file that no certificate in the folder matches by file name; "
                    + "Roster never reads keys, so it cannot tell whose key it is"
            )
            return
        }
        for sha in owners {
            let same = key.certificatesInSameFile.contains(sha)
            if let facts = folder.certificates[sha], facts.isCA {
                warnings.append(
                    "x509:\(folder.name): \(key.fileName) looks like the private key of CA \(name(facts)); whoever reads the folder can issue certificates"
                )
            }
            estate.edges.append(
                Edge(
                    from: id(sha),
                    to: resourceId,
                    kind: .x509PrivateKeyBeside,
                    rule: "x509.import",
                    reason: same
                        ? "\(key.fileName) holds this certificate and a private key (\(key.label ?? "key")) together"
                        : "\(key.fileName) lies beside \(folder.files[sha]?.joined(separator: ", ") ?? "the certificate") and is named like it",
                    conditions: ["file=\(key.fileName)", "encrypted=\(encrypted)", "format=\(key.label ?? "not opened")"]
                )
            )
        }
    }

    /// A file name without extension and without the usual key/certificate suffixes: `payments-client-key.pem` → `payments-client`.
    static func stem(_ fileName: String) -> String {
        var stem = (fileName as NSString).deletingPathExtension.lowercased()
        for suffix in ["-key", "_key", ".key", "-cert", "_cert", ".cert", "-crt", "_crt", ".crt", "-certificate", "_certificate"]
        where stem.hasSuffix(suffix) {
            stem.removeLast(suffix.count)
            break
        }
        return stem
    }

    /// The certificate file stems a key file's stem pairs with (`privkey` with Let's Encrypt's `cert` and `fullchain`).
    static func stems(matching stem: String) -> Set<String> {
        switch stem {
        case "privkey": ["cert", "fullchain"]
        case "key", "private", "privatekey": ["cert", "crt", "certificate"]
        default: [stem]
        }
    }

    static func day(_ date: Date) -> String { date.utcDay }
}
