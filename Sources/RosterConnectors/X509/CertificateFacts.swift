import Crypto
import Foundation
import SwiftASN1
import X509

/// What Roster reads from one certificate: names, validity, key, signature algorithm and the
/// extensions that say what the certificate is for.
///
/// The certificate structure is read with SwiftASN1 and its names and extensions with
/// swift-certificates' own types (`DistinguishedName`, `Certificate.Extensions`). Whole-certificate
/// parsing (`Certificate(derEncoded:)`) is used only to verify a self-signature, because it
/// refuses what Roster must still report: swift-crypto rejects RSA keys under 2048 bits, and
/// DSA keys or uncommon curves, which are exactly the weak certificates worth finding.
struct CertificateFacts: Sendable {
    var sha256: String
    var version: Int
    /// The serial number, lowercase hex without separators.
    var serial: String
    var subject: DistinguishedName
    var issuer: DistinguishedName
    var notBefore: Date
    var notAfter: Date
    var key: PublicKeyFacts
    var signatureAlgorithm: SignatureAlgorithmName
    var isCA: Bool
    /// Extended key usages by name (`clientAuth`, `serverAuth`…); empty when the extension is absent (any use).
    var extendedKeyUsage: [String]
    /// `DNS:api.acme.io`, `IP:10.0.0.1`, `URI:spiffe://…`, `email:ops@acme.io`.
    var subjectAlternativeNames: [String]
    var subjectKeyId: [UInt8]?
    var authorityKeyId: [UInt8]?
    /// Whether the certificate is self-signed: `.verified` when its signature checks out with its own
    /// key, `.keyIdsMatch` when issuer equals subject and the key ids agree but the signature could
    /// not be checked, nil when it is not self-issued.
    var selfSigned: SelfSigned?

    enum SelfSigned: String, Sendable {
        case verified
        case keyIdsMatch = "issuer-equals-subject"
    }

    var hasClientAuth: Bool { extendedKeyUsage.contains("clientAuth") }
    var hasServerAuth: Bool { extendedKeyUsage.contains("serverAuth") }

    /// The subject's first value of an attribute type (`CN`, `OU`), unescaped.
    func subjectValue(_ type: ASN1ObjectIdentifier) -> String? {
        for rdn in subject {
            for attribute in rdn where attribute.type == type {
                return String(attribute.value) ?? String(describing: attribute.value)
            }
        }
        return nil
    }

    var commonName: String? { subjectValue(.RDNAttributeType.commonName) }
    var issuerCommonName: String? {
        for rdn in issuer {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName { return String(attribute.value) }
        }
        return nil
    }
}

/// A public key's algorithm and strength.
struct PublicKeyFacts: Sendable, Equatable {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm's OID.
    var algorithm: String
    /// The modulus size for RSA and DSA, the field size for EC and EdDSA.
    var bits: Int?
    /// `P-256`, `P-384`, `P-521`, `secp256k1`…, for EC keys.
    var curve: String?

    /// `RSA 2048`, `EC P-256`, `Ed25519`.
    var summary: String {
        if let curve { return "\(algorithm) \(curve)" }
        if algorithm.hasPrefix("Ed") { return algorithm }
        return bits.map { "\(algorithm) \($0)" } ?? algorithm
    }
}

/// A signature algorithm's name and whether its hash is broken for signatures (MD2, MD5, SHA-1).
struct SignatureAlgorithmName: Sendable, Equatable {
    var name: String
    var weakHash: Bool
}

extension CertificateFacts {
    /// Reads a DER-encoded certificate.
    ///
    /// - Throws: a description of what is wrong, for the caller to place in a ``ConnectorError``.
    static func read(der: [UInt8]) throws -> CertificateFacts {
        let root = try DER.parse(der)
        var facts: CertificateFacts?
        try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next(), let algorithm = nodes.next(), let signature = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "a certificate has three parts: the signed body, the algorithm and the signature")
            }
            _ = signature
            let signatureOID = try DER.sequence(algorithm, identifier: .sequence) { parts in
                let oid = try ASN1ObjectIdentifier(derEncoded: &parts)
                while parts.next() != nil {}
                return oid
            }
            facts = try body(tbs, sha256: Self.hex(SHA256.hash(data: der)), signature: signatureOID)
        }
        guard var facts else { throw ASN1Error.invalidASN1Object(reason: "no certificate body") }
        if facts.subject == facts.issuer { facts.selfSigned = selfSignature(of: der, facts: facts) }
        return facts
    }

    private static func body(_ node: ASN1Node, sha256: String, signature: ASN1ObjectIdentifier) throws -> CertificateFacts {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) } ?? 0
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            _ = nodes.next()  // the signature algorithm again, inside the signed body
            let issuer = try DistinguishedName(derEncoded: &nodes)
            guard let validity = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no validity") }
            let (notBefore, notAfter) = try DER.sequence(validity, identifier: .sequence) { times in
                (try time(times.next()), try time(times.next()))
            }
            let subject = try DistinguishedName(derEncoded: &nodes)
            guard let spki = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no subject public key info") }
            let key = try publicKey(spki)
            var extensions = Certificate.Extensions()
            while let node = nodes.next() {
                // [1] and [2] are the v2 unique ids, not used; [3] holds the extensions.
                guard node.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) else { continue }
                let list = try DER.explicitlyTagged(node, tagNumber: 3, tagClass: .contextSpecific) { inner in
                    try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: inner)
                }
                extensions = try Certificate.Extensions(list)
            }
            var facts = CertificateFacts(
                sha256: sha256, version: version + 1, serial: serial.contains { $0 != 0 } ? hex(serial.drop { $0 == 0 }) : "0", subject: subject, issuer: issuer, notBefore: notBefore,
                notAfter: notAfter, key: key, signatureAlgorithm: signatureName(signature), isCA: false, extendedKeyUsage: [],
                subjectAlternativeNames: [], selfSigned: nil)
            try facts.read(extensions)
            return facts
        }
    }

    private mutating func read(_ extensions: Certificate.Extensions) throws {
        if case .isCertificateAuthority = try extensions.basicConstraints { isCA = true }
        // OpenSSL treats a self-issued version 1 certificate (no extensions at all) as a CA; so does Roster.
        if version == 1 && subject == issuer { isCA = true }
        extendedKeyUsage = try extensions.extendedKeyUsage.map { $0.map { String(describing: $0) } } ?? []
        subjectAlternativeNames = try extensions.subjectAlternativeNames.map { names in
            names.map { name -> String in
                switch name {
                case .dnsName(let dns): "DNS:\(dns)"
                case .rfc822Name(let email): "email:\(email)"
                case .uniformResourceIdentifier(let uri): "URI:\(uri)"
                case .ipAddress(let octets): "IP:\(Self.ipAddress(Array(octets.bytes)))"
                default: String(describing: name)
                }
            }
        } ?? []
        subjectKeyId = try extensions.subjectKeyIdentifier.map { Array($0.keyIdentifier) }
        authorityKeyId = try extensions.authorityKeyIdentifier?.keyIdentifier.map { Array($0) }
    }

    /// Whether a self-issued certificate's signature verifies with its own key; when swift-certificates
    /// cannot check it (a key it refuses), matching key ids are taken as self-signed.
    private static func selfSignature(of der: [UInt8], facts: CertificateFacts) -> SelfSigned? {
        if let certificate = try? Certificate(derEncoded: der) {
            return certificate.publicKey.isValidSignature(certificate.signature, for: certificate) ? .verified : nil
        }
        if let authority = facts.authorityKeyId, let subject = facts.subjectKeyId, authority != subject { return nil }
        return .keyIdsMatch
    }

    // MARK: Fields

    private static func time(_ node: ASN1Node?) throws -> Date {
        guard let node else { throw ASN1Error.invalidASN1Object(reason: "a validity date is missing") }
        let parts: (Int, Int, Int, Int, Int, Int)
        switch node.identifier {
        case .utcTime:
            let time = try UTCTime(derEncoded: node)
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        case .generalizedTime:
            let time = try GeneralizedTime(derEncoded: node)
            parts = (time.year, time.month, time.day, time.hours, time.minutes, time.seconds)
        default:
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        return Date(timeIntervalSince1970: TimeInterval(daysFromCivil(parts.0, parts.1, parts.2) * 86_400 + parts.3 * 3_600 + parts.4 * 60 + parts.5))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func publicKey(_ node: ASN1Node) throws -> PublicKeyFacts {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let algorithmNode = nodes.next(), let keyNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "a public key has an algorithm and a key")
            }
            let (oid, parameters) = try DER.sequence(algorithmNode, identifier: .sequence) { parts -> (ASN1ObjectIdentifier, ASN1Node?) in
                let oid = try ASN1ObjectIdentifier(derEncoded: &parts)
                let parameters = parts.next()
                while parts.next() != nil {}
                return (oid, parameters)
            }
            let key = try ASN1BitString(derEncoded: keyNode).bytes
            switch oid.description {
            case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10":
                // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
                let modulus = try DER.sequence(try DER.parse(key), identifier: .sequence) { numbers in
                    let modulus = try ArraySlice<UInt8>(derEncoded: &numbers)
                    while numbers.next() != nil {}
                    return modulus
                }
                return PublicKeyFacts(algorithm: "RSA", bits: bitLength(modulus))
            case "1.2.840.10045.2.1":
                let curveOID = try parameters.map { try ASN1ObjectIdentifier(derEncoded: $0) }
                let (name, bits) = curve(curveOID?.description)
                return PublicKeyFacts(algorithm: "EC", bits: bits, curve: name ?? curveOID?.description ?? "explicit parameters")
            case "1.3.101.112": return PublicKeyFacts(algorithm: "Ed25519", bits: 256)
            case "1.3.101.113": return PublicKeyFacts(algorithm: "Ed448", bits: 456)
            case "1.2.840.10040.4.1":
                // Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }; the strength is p's size.
                let p = try parameters.map { node in
                    try DER.sequence(node, identifier: .sequence) { numbers in
                        let p = try ArraySlice<UInt8>(derEncoded: &numbers)
                        while numbers.next() != nil {}
                        return p
                    }
                }
                return PublicKeyFacts(algorithm: "DSA", bits: p.map(bitLength))
            case let other:
                return PublicKeyFacts(algorithm: other)
            }
        }
    }

    private static func curve(_ oid: String?) -> (String?, Int?) {
        switch oid {
        case "1.2.840.10045.3.1.7": ("P-256", 256)
        case "1.3.132.0.34": ("P-384", 384)
        case "1.3.132.0.35": ("P-521", 521)
        case "1.3.132.0.33": ("P-224", 224)
        case "1.2.840.10045.3.1.1": ("P-192", 192)
        case "1.3.132.0.10": ("secp256k1", 256)
        case "1.3.36.3.3.2.8.1.1.7": ("brainpoolP256r1", 256)
        case "1.3.36.3.3.2.8.1.1.11": ("brainpoolP384r1", 384)
        case "1.3.36.3.3.2.8.1.1.13": ("brainpoolP512r1", 512)
        default: (nil, nil)
        }
    }

    /// The signature algorithm's name; SHA-1, MD5 and MD2 signatures can be forged by collision.
    private static func signatureName(_ oid: ASN1ObjectIdentifier) -> SignatureAlgorithmName {
        switch oid.description {
        case "1.2.840.113549.1.1.2": SignatureAlgorithmName(name: "md2WithRSAEncryption", weakHash: true)
        case "1.2.840.113549.1.1.4": SignatureAlgorithmName(name: "md5WithRSAEncryption", weakHash: true)
        case "1.2.840.113549.1.1.5": SignatureAlgorithmName(name: "sha1WithRSAEncryption", weakHash: true)
        case "1.3.14.3.2.29": SignatureAlgorithmName(name: "sha1WithRSASignature", weakHash: true)
        case "1.2.840.10045.4.1": SignatureAlgorithmName(name: "ecdsa-with-SHA1", weakHash: true)
        case "1.2.840.10040.4.3": SignatureAlgorithmName(name: "dsa-with-SHA1", weakHash: true)
        case "1.2.840.113549.1.1.14": SignatureAlgorithmName(name: "sha224WithRSAEncryption", weakHash: false)
        case "1.2.840.113549.1.1.11": SignatureAlgorithmName(name: "sha256WithRSAEncryption", weakHash: false)
        case "1.2.840.113549.1.1.12": SignatureAlgorithmName(name: "sha384WithRSAEncryption", weakHash: false)
        case "1.2.840.113549.1.1.13": SignatureAlgorithmName(name: "sha512WithRSAEncryption", weakHash: false)
        case "1.2.840.113549.1.1.10": SignatureAlgorithmName(name: "RSASSA-PSS", weakHash: false)
        case "1.2.840.10045.4.3.1": SignatureAlgorithmName(name: "ecdsa-with-SHA224", weakHash: false)
        case "1.2.840.10045.4.3.2": SignatureAlgorithmName(name: "ecdsa-with-SHA256", weakHash: false)
        case "1.2.840.10045.4.3.3": SignatureAlgorithmName(name: "ecdsa-with-SHA384", weakHash: false)
        case "1.2.840.10045.4.3.4": SignatureAlgorithmName(name: "ecdsa-with-SHA512", weakHash: false)
        case "2.16.840.1.101.3.4.3.2": SignatureAlgorithmName(name: "dsa-with-SHA256", weakHash: false)
        case "1.3.101.112": SignatureAlgorithmName(name: "Ed25519", weakHash: false)
        case "1.3.101.113": SignatureAlgorithmName(name: "Ed448", weakHash: false)
        case let other: SignatureAlgorithmName(name: other, weakHash: false)
        }
    }

    /// The number of significant bits of a big-endian unsigned integer.
    private static func bitLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bytes.endIndex - first) * 8 - bytes[first].leadingZeroBitCount
    }

    private static func ipAddress(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return hex(bytes[...]) }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
