import Crypto
import Foundation
import SwiftASN1

/// What Roster reads from one certificate: names, validity, key, signature algorithm and the
/// extensions that say what the certificate is for.
///
/// Read with SwiftASN1, field by field (RFC 5280), not with swift-certificates' `Certificate`:
/// that type refuses what Roster must still report (swift-crypto rejects RSA keys under 2048 bits,
/// DSA keys and uncommon curves, exactly the weak certificates worth finding), and importing the
/// X509 module into RosterConnectors breaks its release (whole-module) build under
/// `MemberImportVisibility`, `stat` then resolving to CoreFoundation in files that import Glibc.
/// A self-signature is verified with swift-crypto for EC (P-256/384/521) and Ed25519 keys; an RSA
/// one, which swift-crypto's public API cannot check, counts as self-signed when issuer equals
/// subject and the key identifiers agree.
struct CertificateFacts: Sendable {
    var sha256: String
    var version: Int
    /// The serial number, lowercase hex without separators.
    var serial: String
    var subject: DistinguishedNameFacts
    var issuer: DistinguishedNameFacts
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
    /// not be checked (RSA, DSA), nil when it is not self-issued or its own key does not verify it.
    var selfSigned: SelfSigned?
    /// The public key's bytes (the SubjectPublicKeyInfo BIT STRING), kept to verify a self-signature.
    var keyBytes: [UInt8] = []

    enum SelfSigned: String, Sendable {
        case verified
        case keyIdsMatch = "issuer-equals-subject"
    }

    var hasClientAuth: Bool { extendedKeyUsage.contains("clientAuth") }
    var hasServerAuth: Bool { extendedKeyUsage.contains("serverAuth") }

    var commonName: String? { subject.value(DistinguishedNameFacts.commonName) }
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
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next(), let algorithm = nodes.next(), let signature = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "a certificate has three parts: the signed body, the algorithm and the signature")
            }
            let signatureOID = try DER.sequence(algorithm, identifier: .sequence) { parts in
                let oid = try ASN1ObjectIdentifier(derEncoded: &parts)
                while parts.next() != nil {}
                return oid
            }
            var facts = try body(tbs, sha256: Self.hex(SHA256.hash(data: der)), signature: signatureOID)
            if facts.subject == facts.issuer {
                let signed = try ASN1BitString(derEncoded: signature).bytes
                facts.selfSigned = selfSignature(facts, signed: tbs.encodedBytes, signature: signed, algorithm: signatureOID)
            }
            return facts
        }
    }

    private static func body(_ node: ASN1Node, sha256: String, signature: ASN1ObjectIdentifier) throws -> CertificateFacts {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) } ?? 0
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            _ = nodes.next()  // the signature algorithm again, inside the signed body
            let issuer = try DistinguishedNameFacts(nodes.next())
            guard let validity = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no validity") }
            let (notBefore, notAfter) = try DER.sequence(validity, identifier: .sequence) { times in
                (try time(times.next()), try time(times.next()))
            }
            let subject = try DistinguishedNameFacts(nodes.next())
            guard let spki = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no subject public key info") }
            let (key, keyBytes) = try publicKey(spki)
            var facts = CertificateFacts(
                sha256: sha256, version: version + 1, serial: serial.contains { $0 != 0 } ? hex(serial.drop { $0 == 0 }) : "0", subject: subject,
                issuer: issuer, notBefore: notBefore, notAfter: notAfter, key: key, signatureAlgorithm: signatureName(signature), isCA: false,
                extendedKeyUsage: [], subjectAlternativeNames: [], selfSigned: nil)
            facts.keyBytes = keyBytes
            while let node = nodes.next() {
                // [1] and [2] are the v2 unique ids, not used; [3] holds the extensions.
                guard node.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) else { continue }
                try DER.explicitlyTagged(node, tagNumber: 3, tagClass: .contextSpecific) { inner in
                    try DER.sequence(inner, identifier: .sequence) { extensions in
                        while let ext = extensions.next() { try facts.read(extension: ext) }
                    }
                }
            }
            // OpenSSL treats a self-issued version 1 certificate (no extensions at all) as a CA; so does Roster.
            if facts.version == 1 && facts.subject == facts.issuer { facts.isCA = true }
            return facts
        }
    }

    /// Reads one extension: `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
    private mutating func read(extension node: ASN1Node) throws {
        let (oid, value) = try DER.sequence(node, identifier: .sequence) { parts -> (String, ArraySlice<UInt8>) in
            let oid = try ASN1ObjectIdentifier(derEncoded: &parts).description
            var next = parts.next()
            if next?.identifier == .boolean { next = parts.next() }
            guard let next else { throw ASN1Error.invalidASN1Object(reason: "an extension without a value") }
            return (oid, try ASN1OctetString(derEncoded: next).bytes)
        }
        switch oid {
        case "2.5.29.19":  // basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
            isCA = try DER.sequence(try DER.parse(value), identifier: .sequence) { parts in
                var ca = false
                while let part = parts.next() {
                    if part.identifier == .boolean { ca = try Bool(derEncoded: part) }
                }
                return ca
            }
        case "2.5.29.37":  // extKeyUsage ::= SEQUENCE OF KeyPurposeId
            extendedKeyUsage = try DER.sequence(of: ASN1ObjectIdentifier.self, identifier: .sequence, rootNode: try DER.parse(value)).map { Self.usageName($0.description) }
        case "2.5.29.17":  // subjectAltName ::= SEQUENCE OF GeneralName
            subjectAlternativeNames = try DER.sequence(try DER.parse(value), identifier: .sequence) { names in
                var out: [String] = []
                while let name = names.next() { out.append(Self.generalName(name)) }
                return out
            }
        case "2.5.29.14":  // subjectKeyIdentifier ::= OCTET STRING
            subjectKeyId = Array(try ASN1OctetString(derEncoded: try DER.parse(value)).bytes)
        case "2.5.29.35":  // authorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
            authorityKeyId = try DER.sequence(try DER.parse(value), identifier: .sequence) { parts in
                var keyId: [UInt8]?
                while let part = parts.next() {
                    if part.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), case .primitive(let bytes) = part.content {
                        keyId = Array(bytes)
                    }
                }
                return keyId
            }
        default:
            break
        }
    }

    /// Whether a self-issued certificate's signature verifies with its own key (EC and Ed25519); for
    /// keys swift-crypto cannot check here, whether the key ids agree.
    private static func selfSignature(_ facts: CertificateFacts, signed: ArraySlice<UInt8>, signature: ArraySlice<UInt8>, algorithm: ASN1ObjectIdentifier) -> SelfSigned? {
        if let verified = verify(facts, signed: signed, signature: signature, algorithm: algorithm.description) { return verified ? .verified : nil }
        if let authority = facts.authorityKeyId, let subject = facts.subjectKeyId, authority != subject { return nil }
        return .keyIdsMatch
    }

    /// True or false when the key's algorithm can be checked, nil when it cannot.
    private static func verify(_ facts: CertificateFacts, signed: ArraySlice<UInt8>, signature: ArraySlice<UInt8>, algorithm: String) -> Bool? {
        let key = facts.keyBytes
        switch (facts.key.algorithm, facts.key.curve, algorithm) {
        case ("EC", "P-256", "1.2.840.10045.4.3.2"):
            guard let publicKey = try? P256.Signing.PublicKey(x963Representation: key),
                let value = try? P256.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return publicKey.isValidSignature(value, for: SHA256.hash(data: signed))
        case ("EC", "P-384", "1.2.840.10045.4.3.3"):
            guard let publicKey = try? P384.Signing.PublicKey(x963Representation: key),
                let value = try? P384.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return publicKey.isValidSignature(value, for: SHA384.hash(data: signed))
        case ("EC", "P-521", "1.2.840.10045.4.3.4"):
            guard let publicKey = try? P521.Signing.PublicKey(x963Representation: key),
                let value = try? P521.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return publicKey.isValidSignature(value, for: SHA512.hash(data: signed))
        case ("Ed25519", _, "1.3.101.112"):
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else { return false }
            return publicKey.isValidSignature(signature, for: signed)
        default:
            return nil
        }
    }

    private static func usageName(_ oid: String) -> String {
        switch oid {
        case "1.3.6.1.5.5.7.3.1": "serverAuth"
        case "1.3.6.1.5.5.7.3.2": "clientAuth"
        case "1.3.6.1.5.5.7.3.3": "codeSigning"
        case "1.3.6.1.5.5.7.3.4": "emailProtection"
        case "1.3.6.1.5.5.7.3.8": "timeStamping"
        case "1.3.6.1.5.5.7.3.9": "ocspSigning"
        case "2.5.29.37.0": "anyExtendedKeyUsage"
        default: oid
        }
    }

    /// `DNS:…`, `email:…`, `URI:…`, `IP:…`, `DirName:…`, or the tag for other kinds of name.
    private static func generalName(_ node: ASN1Node) -> String {
        guard node.identifier.tagClass == .contextSpecific else { return "unknown" }
        switch (node.identifier.tagNumber, node.content) {
        case (1, .primitive(let bytes)): return "email:" + String(decoding: bytes, as: UTF8.self)
        case (2, .primitive(let bytes)): return "DNS:" + String(decoding: bytes, as: UTF8.self)
        case (6, .primitive(let bytes)): return "URI:" + String(decoding: bytes, as: UTF8.self)
        case (7, .primitive(let bytes)): return "IP:" + ipAddress(Array(bytes))
        case (4, .constructed(let nodes)):
            var iterator = nodes.makeIterator()
            return "DirName:" + ((try? DistinguishedNameFacts(iterator.next()).description) ?? "?")
        case (0, _): return "othername"
        case (let tag, _): return "name[\(tag)]"
        }
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

    /// The key's facts, and the key bytes themselves (the BIT STRING's content), for verifying a self-signature.
    private static func publicKey(_ node: ASN1Node) throws -> (PublicKeyFacts, [UInt8]) {
        let bytes = try DER.sequence(node, identifier: .sequence) { nodes -> ArraySlice<UInt8> in
            _ = nodes.next()
            guard let key = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "a public key has an algorithm and a key") }
            while nodes.next() != nil {}
            return try ASN1BitString(derEncoded: key).bytes
        }
        return (try keyFacts(node), Array(bytes))
    }

    private static func keyFacts(_ node: ASN1Node) throws -> PublicKeyFacts {
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
