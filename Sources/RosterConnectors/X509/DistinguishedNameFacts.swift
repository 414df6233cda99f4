import Foundation

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
    let rdns: [[(type: String, value: String)]]
    let der: [UInt8]

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.der == rhs.der }

    var isEmpty: Bool { rdns.isEmpty }

    /// The first value of an attribute type, by OID.
    func value(_ type: String) -> String? {
        for rdn in rdns {
            for attribute in rdn where attribute.type == type { return attribute.value }
        }
        return nil
    }

    /// RFC 4514 order and escaping: `CN=payments-api,OU=payments-team,O=Acme`; made once, when read.
    let description: String

    /// Reads a Name SEQUENCE found by `cursor`.
    init(_ element: DERElement, in cursor: DERCursor) throws {
        der = Array(UnsafeBufferPointer(rebasing: cursor.bytes[element.start..<element.end]))
        var sets = try cursor.children(of: element)
        var rdns: [[(type: String, value: String)]] = []
        while let set = try sets.next() {
            guard set.tag == DERElement.set else { throw DERError("expected a SET in a distinguished name") }
            var attributes = try sets.children(of: set)
            var rdn: [(type: String, value: String)] = []
            while let attribute = try attributes.next() {
                var parts = try attributes.children(of: attribute)
                let type = try parts.oid(try parts.expect(DERElement.objectIdentifier, "an attribute type"))
                guard let value = try parts.next() else { throw DERError("an attribute without a value") }
                rdn.append((type, Self.text(value, in: parts)))
            }
            rdns.append(rdn)
        }
        self.rdns = rdns
        description = rdns.reversed().map { rdn in rdn.map { "\(Self.shortName($0.type))=\(Self.escape($0.value))" }.joined(separator: "+") }
            .joined(separator: ",")
    }

    /// The text of a directory string, whichever of the string types it is written in.
    static func text(_ element: DERElement, in cursor: DERCursor) -> String {
        let bytes = cursor.slice(element)
        switch element.tag {
        case 0x0C, 0x13, 0x16, 0x1A, 0x12:  // UTF8String, PrintableString, IA5String, VisibleString, NumericString
            return String(decoding: bytes, as: UTF8.self)
        case 0x14:  // TeletexString, read as Latin-1
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case 0x1E:  // BMPString: UTF-16BE
            var units: [UInt16] = []
            var i = bytes.startIndex
            while i + 1 < bytes.endIndex {
                units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        case 0x1C:  // UniversalString: UTF-32BE
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
            return "#" + CertificateFacts.hex(UnsafeBufferPointer(rebasing: cursor.bytes[element.start..<element.end]))
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
        let special = value.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ";")
        }
        guard special || value.utf8.first == 0x20 || value.utf8.first == UInt8(ascii: "#") || value.utf8.last == 0x20 else { return value }
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
