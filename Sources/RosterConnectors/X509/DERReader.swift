/// A what-is-wrong with DER bytes, for ``CertificateFacts`` to place in a ``ConnectorError``.
struct DERError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// One DER element: its tag, where its encoding starts, and its content's byte range.
struct DERElement {
    var tag: UInt8
    var start: Int
    var content: Range<Int>

    var end: Int { content.upperBound }
    var isConstructed: Bool { tag & 0x20 != 0 }

    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let objectIdentifier: UInt8 = 0x06
    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31
    static let utcTime: UInt8 = 0x17
    static let generalizedTime: UInt8 = 0x18
}

/// Reads the elements of one DER level in order, over bytes borrowed for the duration of a parse.
///
/// Iterative by construction (a caller walks into a constructed element with ``children(of:)``),
/// so a hostile nesting depth costs no stack; lengths are checked against the enclosing element.
struct DERCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var atEnd: Bool { position >= end }

    /// The cursor over a constructed element's content.
    func children(of element: DERElement) throws -> DERCursor {
        guard element.isConstructed else {
            throw DERError("expected a constructed element, found a primitive one (tag 0x\(String(element.tag, radix: 16)))")
        }
        return DERCursor(bytes, range: element.content)
    }

    /// The tag of the next element, without reading it.
    var peekTag: UInt8? { atEnd ? nil : bytes[position] }

    /// The next element, or nil at the end of this level.
    mutating func next() throws -> DERElement? {
        guard position < end else { return nil }
        let start = position
        let tag = bytes[position]
        guard tag & 0x1F != 0x1F else { throw DERError("a multi-byte tag, which certificates do not use") }
        position += 1
        guard position < end else { throw DERError("the data ends inside an element's header") }
        let first = bytes[position]
        position += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count > 0 else { throw DERError("an indefinite length, which DER does not allow") }
            guard count <= 4, position + count <= end else { throw DERError("a length that does not fit the data") }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
        }
        guard length <= end - position else { throw DERError("an element longer than the data holding it (the file is cut off?)") }
        let content = position..<(position + length)
        position += length
        return DERElement(tag: tag, start: start, content: content)
    }

    /// The next element, which must have `tag`.
    mutating func expect(_ tag: UInt8, _ what: String) throws -> DERElement {
        guard let element = try next() else { throw DERError("\(what) is missing") }
        guard element.tag == tag else {
            throw DERError("expected \(what) (tag 0x\(String(tag, radix: 16))), found tag 0x\(String(element.tag, radix: 16))")
        }
        return element
    }

    /// Fails when anything is left at this level.
    func finish(_ what: String) throws {
        guard atEnd else { throw DERError("unexpected data after \(what)") }
    }

    // MARK: Values

    func slice(_ element: DERElement) -> ArraySlice<UInt8> { ArraySlice(UnsafeBufferPointer(rebasing: bytes[element.content])) }

    /// An OBJECT IDENTIFIER's dotted form (`1.2.840.113549.1.1.11`).
    func oid(_ element: DERElement) throws -> String {
        guard element.tag == DERElement.objectIdentifier, !element.content.isEmpty else { throw DERError("expected an object identifier") }
        return try ObjectIdentifierText.dotted(UnsafeBufferPointer(rebasing: bytes[element.content]))
    }

    /// A BIT STRING's bytes, without its leading count of unused bits.
    func bitString(_ element: DERElement) throws -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[try bitStringRange(element)])
    }

    /// Where a BIT STRING's bytes are, after its leading count of unused bits.
    func bitStringRange(_ element: DERElement) throws -> Range<Int> {
        guard element.tag == DERElement.bitString, !element.content.isEmpty else { throw DERError("expected a bit string") }
        return (element.content.lowerBound + 1)..<element.content.upperBound
    }

    func boolean(_ element: DERElement) throws -> Bool {
        guard element.tag == DERElement.boolean, element.content.count == 1 else { throw DERError("expected a boolean") }
        return bytes[element.content.lowerBound] != 0
    }

    /// A small INTEGER's value (a version number).
    func smallInteger(_ element: DERElement) throws -> Int {
        guard element.tag == DERElement.integer, (1...4).contains(element.content.count) else { throw DERError("expected a small integer") }
        return element.content.reduce(0) { $0 << 8 | Int(bytes[$1]) }
    }

    /// The significant bits of an unsigned big-endian INTEGER (an RSA modulus, a DSA prime).
    func bitLength(_ element: DERElement) throws -> Int {
        guard element.tag == DERElement.integer else { throw DERError("expected an integer") }
        guard let first = element.content.first(where: { bytes[$0] != 0 }) else { return 0 }
        return (element.content.upperBound - first) * 8 - bytes[first].leadingZeroBitCount
    }

    /// A UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSS[.fff]Z`), as seconds since 1970.
    func time(_ element: DERElement) throws -> Double {
        let text = UnsafeBufferPointer(rebasing: bytes[element.content])
        func digits(_ at: Int, _ count: Int) throws -> Int {
            var value = 0
            for i in at..<(at + count) {
                guard i < text.count, text[i] >= 0x30, text[i] <= 0x39 else { throw DERError("a date that is not YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ") }
                value = value * 10 + Int(text[i] - 0x30)
            }
            return value
        }
        let year: Int
        let rest: Int
        switch element.tag {
        case DERElement.utcTime:
            let short = try digits(0, 2)
            year = short < 50 ? 2000 + short : 1900 + short
            rest = 2
        case DERElement.generalizedTime:
            year = try digits(0, 4)
            rest = 4
        default:
            throw DERError("expected a UTCTime or GeneralizedTime date")
        }
        let (month, day, hour, minute, second) = (
            try digits(rest, 2), try digits(rest + 2, 2), try digits(rest + 4, 2), try digits(rest + 6, 2), try digits(rest + 8, 2)
        )
        guard text.last == UInt8(ascii: "Z"), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw DERError("a date that is not a valid UTC time")
        }
        return Double(Self.daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Dotted text for object identifiers, with the common ones made once.
enum ObjectIdentifierText {
    private static let attributeTypes = (0..<128).map { "2.5.4.\($0)" }
    private static let extensions = (0..<128).map { "2.5.29.\($0)" }

    static func dotted(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        // Name attribute types (2.5.4.x) and extensions (2.5.29.x), most of a certificate's identifiers.
        if bytes.count == 3, bytes[0] == 0x55, bytes[2] < 0x80 {
            if bytes[1] == 0x04 { return attributeTypes[Int(bytes[2])] }
            if bytes[1] == 0x1D { return extensions[Int(bytes[2])] }
        }
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        func append(_ number: UInt64) {
            var digits: [UInt8] = []
            var rest = number
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            text.append(contentsOf: digits.reversed())
        }
        var value: UInt64 = 0
        var first = true
        for byte in bytes {
            guard value >> 57 == 0 else { throw DERError("an object identifier component is too large") }
            value = value << 7 | UInt64(byte & 0x7F)
            guard byte & 0x80 == 0 else { continue }
            if first {
                // The first byte packs two components: 40 × first + second.
                let top: UInt64 = value < 40 ? 0 : (value < 80 ? 1 : 2)
                append(top)
                text.append(UInt8(ascii: "."))
                append(value - top * 40)
                first = false
            } else {
                text.append(UInt8(ascii: "."))
                append(value)
            }
            value = 0
        }
        guard bytes.last.map({ $0 & 0x80 == 0 }) == true else { throw DERError("an object identifier that ends mid-component") }
        return String(decoding: text, as: UTF8.self)
    }
}
