import Foundation
import SwiftASN1

/// A certificate's subject or issuer name: its attributes in order, and its DER encoding, which
/// decides equality (an issuer names its CA exactly as the CA's certificate names itself).
///
/// `Name ::= SEQUENCE OF RelativeDistinguishedName`, `RelativeDistinguishedName ::= SET OF
/// AttributeTypeAndValue`, `AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }`.
struct DistinguishedNameFacts: Sendable, Equatable {
    static let commonName = "2.5.4.3"
    static let organizationalUnit = "2.5.4.11"
    static let emailAddress = "1.2.840.113549.1.9.1"

    /// The relative distinguished names, most general first (as encoded), each one or more (type OID, value).
    var rdns: [[(type: String, value: String)]]
    var der: [UInt8]

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.der == rhs.der }

    var isEmpty: Bool { rdns.isEmpty }

    /// The first value of an attribute type, by OID.
    func value(_ type: String) -> String? {
        for rdn in rdns {
            for attribute in rdn where attribute.type == type { return attribute.value }
        }
        return nil
    }

    /// RFC 4514 order and escaping: `CN=payments-api,OU=payments-team,O=Acme`.
    var description: String {
        rdns.reversed().map { rdn in rdn.map { "\(Self.shortName($0.type))=\(Self.escape($0.value))" }.joined(separator: "+") }.joined(separator: ",")
    }

    init(_ node: ASN1Node?) throws {
        guard let node else { throw ASN1Error.invalidASN1Object(reason: "a name is missing") }
        der = Array(node.encodedBytes)
        rdns = try DER.sequence(node, identifier: .sequence) { sets in
            var rdns: [[(type: String, value: String)]] = []
            while let set = sets.next() {
                guard set.identifier == .set, case .constructed(let attributes) = set.content else {
                    throw ASN1Error.unexpectedFieldType(set.identifier)
                }
                var rdn: [(type: String, value: String)] = []
                for attribute in attributes {
                    rdn.append(try DER.sequence(attribute, identifier: .sequence) { parts in
                        let type = try ASN1ObjectIdentifier(derEncoded: &parts).description
                        guard let value = parts.next() else { throw ASN1Error.invalidASN1Object(reason: "an attribute without a value") }
                        while parts.next() != nil {}
                        return (type, Self.text(value))
                    })
                }
                rdns.append(rdn)
            }
            return rdns
        }
    }

    /// The text of a directory string, whichever of the string types it is written in.
    static func text(_ node: ASN1Node) -> String {
        guard case .primitive(let bytes) = node.content else { return "#" + CertificateFacts.hex(node.encodedBytes) }
        switch node.identifier {
        case .utf8String, .printableString, .ia5String, .visibleString, .numericString:
            return String(decoding: bytes, as: UTF8.self)
        case .teletexString:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case .bmpString:
            var units: [UInt16] = []
            var i = bytes.startIndex
            while i + 1 < bytes.endIndex {
                units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        case .universalString:
            var scalars: [Unicode.Scalar] = []
            var i = bytes.startIndex
            while i + 3 < bytes.endIndex {
                let high = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16
                let low = UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                if let scalar = Unicode.Scalar(high | low) { scalars.append(scalar) }
                i += 4
            }
            return String(String.UnicodeScalarView(scalars))
        default:
            return "#" + CertificateFacts.hex(node.encodedBytes)
        }
    }

    static func shortName(_ oid: String) -> String {
        switch oid {
        case "2.5.4.3": "CN"
        case "2.5.4.6": "C"
        case "2.5.4.7": "L"
        case "2.5.4.8": "ST"
        case "2.5.4.9": "STREET"
        case "2.5.4.10": "O"
        case "2.5.4.11": "OU"
        case "0.9.2342.19200300.100.1.25": "DC"
        case "0.9.2342.19200300.100.1.1": "UID"
        case "1.2.840.113549.1.9.1": "E"
        default: oid
        }
    }

    /// RFC 4514 escaping: `, + " \ < > ;` anywhere, a leading space or `#`, a trailing space.
    static func escape(_ value: String) -> String {
        var out = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            if ",+\"\\<>;".contains(character) || (index == 0 && (character == " " || character == "#"))
                || (index == characters.count - 1 && character == " ")
            {
                out.append("\\")
            }
            out.append(character)
        }
        return out
    }
}
