import Crypto
import Foundation

/// What Roster reads from one certificate: names, validity, key, signature algorithm and the
/// extensions that say what the certificate is for.
///
/// Read field by field (RFC 5280) with ``DERCursor``, not with swift-certificates' `Certificate`:
/// that type refuses what Roster must still report (swift-crypto rejects RSA keys under 2048 bits,
/// DSA keys and uncommon curves, exactly the weak certificates worth finding), and importing the
/// X509 module into RosterConnectors breaks its release (whole-module) build under
/// `MemberImportVisibility`, `stat` then resolving to CoreFoundation in files that import Glibc.
/// (SwiftASN1's node tree was the first choice; a plain cursor over the bytes reads twice as fast.)
/// A self-signature is verified with swift-crypto for EC (P-256/384/521) and Ed25519 keys; an RSA
/// one, which swift-crypto's public API cannot check, counts as self-signed when issuer equals
/// subject and the key identifiers agree.
///
/// A class, filled in while one certificate is read and never changed after: a folder of tens of
/// thousands of certificates passes them between dictionaries and the mapper without copying.
final class CertificateFacts: @unchecked Sendable {
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

    init(
        sha256: String,
        version: Int,
        serial: String,
        subject: DistinguishedNameFacts,
        issuer: DistinguishedNameFacts,
        notBefore: Date,
        notAfter: Date,
        key: PublicKeyFacts,
        signatureAlgorithm: SignatureAlgorithmName
    ) {
        self.sha256 = sha256
        self.version = version
        self.serial = serial
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.key = key
        self.signatureAlgorithm = signatureAlgorithm
        self.isCA = false
        self.extendedKeyUsage = []
        self.subjectAlternativeNames = []
    }

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
    /// - Throws: ``DERError`` saying what is wrong, for the caller to place in a ``ConnectorError``.
    static func read(der: [UInt8]) throws -> CertificateFacts {
        try der.withUnsafeBufferPointer { bytes in
            var top = DERCursor(bytes, range: 0..<bytes.count)
            let certificate = try top.expect(DERElement.sequence, "the certificate")
            try top.finish("the certificate")
            var parts = try top.children(of: certificate)
            let tbs = try parts.expect(DERElement.sequence, "the signed body")
            let algorithm = try parts.expect(DERElement.sequence, "the signature algorithm")
            let signature = try parts.expect(DERElement.bitString, "the signature")
            try parts.finish("the signature")
            var algorithmParts = try parts.children(of: algorithm)
            let signatureOID = try parts.oid(try algorithmParts.expect(DERElement.objectIdentifier, "the signature algorithm's identifier"))
            let facts = try body(try parts.children(of: tbs), sha256: Self.hex(SHA256.hash(data: bytes)), signature: signatureOID)
            if facts.subject == facts.issuer {
                let signed = UnsafeBufferPointer(rebasing: bytes[tbs.start..<tbs.end])
                facts.selfSigned = selfSignature(facts, signed: signed, signature: try parts.bitString(signature), algorithm: signatureOID)
            }
            return facts
        }
    }

    private static func body(_ tbs: DERCursor, sha256: String, signature: String) throws -> CertificateFacts {
        var fields = tbs
        var version = 0
        if fields.peekTag == 0xA0 {
            var explicit = try fields.children(of: try fields.next()!)
            version = try explicit.smallInteger(try explicit.expect(DERElement.integer, "the version"))
        }
        let serial = try fields.expect(DERElement.integer, "the serial number")
        _ = try fields.expect(DERElement.sequence, "the signature algorithm")  // again, inside the signed body
        let issuer = try DistinguishedNameFacts(try fields.expect(DERElement.sequence, "the issuer"), in: fields)
        var validity = try fields.children(of: try fields.expect(DERElement.sequence, "the validity"))
        guard let from = try validity.next(), let until = try validity.next() else { throw DERError("the validity needs two dates") }
        let notBefore = Date(timeIntervalSince1970: try validity.time(from))
        let notAfter = Date(timeIntervalSince1970: try validity.time(until))
        let subject = try DistinguishedNameFacts(try fields.expect(DERElement.sequence, "the subject"), in: fields)
        let (key, keyBytes) = try publicKey(try fields.expect(DERElement.sequence, "the subject public key info"), in: fields)
        let serialBytes = fields.slice(serial)
        let facts = CertificateFacts(
            sha256: sha256,
            version: version + 1,
            serial: serialBytes.contains { $0 != 0 } ? hex(serialBytes.drop { $0 == 0 }) : "0",
            subject: subject,
            issuer: issuer,
            notBefore: notBefore,
            notAfter: notAfter,
            key: key,
            signatureAlgorithm: signatureName(signature)
        )
        // Only a self-issued certificate's key is needed again, to check its own signature.
        if subject == issuer { facts.keyBytes = keyBytes }
        while let field = try fields.next() {
            // [1] and [2] are the v2 unique ids, not used; [3] holds the extensions.
            guard field.tag == 0xA3 else { continue }
            var explicit = try fields.children(of: field)
            var extensions = try explicit.children(of: try explicit.expect(DERElement.sequence, "the extensions"))
            while let item = try extensions.next() { try facts.read(extension: item, in: extensions) }
        }
        // OpenSSL treats a self-issued version 1 certificate (no extensions at all) as a CA; so does Roster.
        if facts.version == 1 && facts.subject == facts.issuer { facts.isCA = true }
        return facts
    }

    /// Reads one extension: `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
    private func read(extension element: DERElement, in cursor: DERCursor) throws {
        var parts = try cursor.children(of: element)
        let oid = try parts.oid(try parts.expect(DERElement.objectIdentifier, "an extension's identifier"))
        var valueElement = try parts.next()
        if valueElement?.tag == DERElement.boolean { valueElement = try parts.next() }
        guard let value = valueElement, value.tag == DERElement.octetString else { throw DERError("an extension without a value") }
        var inner = DERCursor(parts.bytes, range: value.content)
        switch oid {
        case "2.5.29.19":  // basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
            var constraints = try inner.children(of: try inner.expect(DERElement.sequence, "basic constraints"))
            if constraints.peekTag == DERElement.boolean { isCA = try constraints.boolean(try constraints.next()!) }
        case "2.5.29.37":  // extKeyUsage ::= SEQUENCE OF KeyPurposeId
            var usages = try inner.children(of: try inner.expect(DERElement.sequence, "extended key usage"))
            var names: [String] = []
            while let usage = try usages.next() { names.append(Self.usageName(try usages.oid(usage))) }
            extendedKeyUsage = names
        case "2.5.29.17":  // subjectAltName ::= SEQUENCE OF GeneralName
            var names = try inner.children(of: try inner.expect(DERElement.sequence, "subject alternative names"))
            var out: [String] = []
            while let name = try names.next() { out.append(Self.generalName(name, in: names)) }
            subjectAlternativeNames = out
        case "2.5.29.14":  // subjectKeyIdentifier ::= OCTET STRING
            subjectKeyId = Array(inner.slice(try inner.expect(DERElement.octetString, "the subject key identifier")))
        case "2.5.29.35":  // authorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
            var identifier = try inner.children(of: try inner.expect(DERElement.sequence, "the authority key identifier"))
            while let part = try identifier.next() {
                if part.tag == 0x80 { authorityKeyId = Array(identifier.slice(part)) }
            }
        default:
            break
        }
    }

    /// Whether a self-issued certificate's signature verifies with its own key (EC and Ed25519); for
    /// keys swift-crypto cannot check here, whether the key ids agree.
    private static func selfSignature(
        _ facts: CertificateFacts,
        signed: UnsafeBufferPointer<UInt8>,
        signature: UnsafeBufferPointer<UInt8>,
        algorithm: String
    ) -> SelfSigned? {
        if let verified = verify(facts, signed: signed, signature: signature, algorithm: algorithm) { return verified ? .verified : nil }
        if let authority = facts.authorityKeyId, let subject = facts.subjectKeyId, authority != subject { return nil }
        return .keyIdsMatch
    }

    /// True or false when the key's algorithm can be checked, nil when it cannot.
    private static func verify(
        _ facts: CertificateFacts,
        signed: UnsafeBufferPointer<UInt8>,
        signature: UnsafeBufferPointer<UInt8>,
        algorithm: String
    ) -> Bool? {
        let key = facts.keyBytes
        let signature = Array(signature)
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
            return publicKey.isValidSignature(signature, for: Array(signed))
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
    private static func generalName(_ name: DERElement, in cursor: DERCursor) -> String {
        let text = { String(decoding: cursor.slice(name), as: UTF8.self) }
        switch name.tag {
        case 0x81: return "email:" + text()
        case 0x82: return "DNS:" + text()
        case 0x86: return "URI:" + text()
        case 0x87: return "IP:" + ipAddress(Array(cursor.slice(name)))
        case 0xA4:
            var inner = DERCursor(cursor.bytes, range: name.content)
            guard let element = try? inner.next(), let directory = try? DistinguishedNameFacts(element, in: inner) else { return "DirName:?" }
            return "DirName:" + directory.description
        case 0xA0: return "othername"
        default: return "name[\(name.tag & 0x1F)]"
        }
    }

    /// The key's facts, and the key bytes themselves (the BIT STRING's content), for verifying a self-signature.
    private static func publicKey(_ element: DERElement, in cursor: DERCursor) throws -> (PublicKeyFacts, [UInt8]) {
        var parts = try cursor.children(of: element)
        var algorithm = try parts.children(of: try parts.expect(DERElement.sequence, "the key algorithm"))
        let keyElement = try parts.expect(DERElement.bitString, "the public key")
        let keyRange = try parts.bitStringRange(keyElement)
        let oid = try algorithm.oid(try algorithm.expect(DERElement.objectIdentifier, "the key algorithm's identifier"))
        let parameters = try algorithm.next()
        let facts: PublicKeyFacts
        switch oid {
        case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10":
            // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
            var key = DERCursor(cursor.bytes, range: keyRange)
            var numbers = try key.children(of: try key.expect(DERElement.sequence, "the RSA key"))
            facts = PublicKeyFacts(algorithm: "RSA", bits: try numbers.bitLength(try numbers.expect(DERElement.integer, "the RSA modulus")))
        case "1.2.840.10045.2.1":
            let curveOID = try parameters.flatMap { $0.tag == DERElement.objectIdentifier ? try algorithm.oid($0) : nil }
            let (name, bits) = curve(curveOID)
            facts = PublicKeyFacts(algorithm: "EC", bits: bits, curve: name ?? curveOID ?? "explicit parameters")
        case "1.3.101.112": facts = PublicKeyFacts(algorithm: "Ed25519", bits: 256)
        case "1.3.101.113": facts = PublicKeyFacts(algorithm: "Ed448", bits: 456)
        case "1.2.840.10040.4.1":
            // Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }; the strength is p's size.
            var bits: Int?
            if let parameters, parameters.tag == DERElement.sequence {
                var numbers = try algorithm.children(of: parameters)
                bits = try numbers.bitLength(try numbers.expect(DERElement.integer, "the DSA prime"))
            }
            facts = PublicKeyFacts(algorithm: "DSA", bits: bits)
        case let other:
            facts = PublicKeyFacts(algorithm: other)
        }
        return (facts, Array(UnsafeBufferPointer(rebasing: cursor.bytes[keyRange])))
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
    private static func signatureName(_ oid: String) -> SignatureAlgorithmName {
        switch oid {
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
