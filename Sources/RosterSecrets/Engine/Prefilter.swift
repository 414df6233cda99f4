/// Finds every occurrence of a set of literal keywords, ignoring ASCII case, in one pass.
///
/// The pass reads two bytes at each position and tests them against a 64 Ki-bit table holding
/// every case variant of every keyword's first two bytes; only where the table says yes is the
/// rest of a keyword compared. Keywords are chosen to be rare (`ghp_`, `akia`, `-----begin`), so
/// almost every position costs one load and one bit test, and the scanner confirms the few
/// candidates with the rules' patterns.
struct Prefilter: Sendable {
    /// Lowercase keywords, at least two bytes each.
    let keywords: [[UInt8]]
    /// Bit per (first byte, second byte) pair, in the byte order of an unaligned little-endian load.
    private var table: [UInt64]
    /// Keyword indices for pair `p` are `items[starts[p]..<starts[p + 1]]`: flat arrays, so a hit
    /// on a common pair (`to` of `token`) costs two loads rather than a hash lookup.
    private var starts: [Int32]
    private var items: [Int32]

    init(keywords: [String]) {
        self.keywords = keywords.map { Array($0.lowercased().utf8) }
        table = Array(repeating: 0, count: 1024)
        var buckets: [UInt16: [Int32]] = [:]
        for (index, keyword) in self.keywords.enumerated() {
            precondition(keyword.count >= 2, "a keyword needs at least two bytes: \(String(decoding: keyword, as: UTF8.self))")
            for a in Self.variants(keyword[0]) {
                for b in Self.variants(keyword[1]) {
                    let pair = UInt16(a) | UInt16(b) << 8
                    table[Int(pair >> 6)] |= 1 << UInt64(pair & 63)
                    buckets[pair, default: []].append(Int32(index))
                }
            }
        }
        starts = Array(repeating: 0, count: 65537)
        items = []
        for pair in 0..<65536 {
            starts[pair] = Int32(items.count)
            items += buckets[UInt16(pair)] ?? []
        }
        starts[65536] = Int32(items.count)
    }

    private static func variants(_ byte: UInt8) -> [UInt8] {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): [byte, byte - 32]
        default: [byte]
        }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Calls `found(offset, keyword)` for each occurrence starting in `range`, in order; the bytes
    /// after `range` (up to the buffer's end) may complete a keyword.
    func scan(_ buffer: UnsafeRawBufferPointer, in range: Range<Int>, found: (Int, Int) -> Void) {
        guard buffer.count >= 2, let base = buffer.baseAddress else { return }
        let end = min(range.upperBound, buffer.count - 1)
        var i = range.lowerBound
        table.withUnsafeBufferPointer { table in
            while i < end {
                let pair = base.loadUnaligned(fromByteOffset: i, as: UInt16.self)
                let pairLE = UInt16(littleEndian: pair)
                if table[Int(pairLE >> 6)] & (1 << UInt64(pairLE & 63)) != 0 {
                    check(base, count: buffer.count, at: i, pair: pairLE, found: found)
                }
                i += 1
            }
        }
    }

    private func check(_ base: UnsafeRawPointer, count: Int, at offset: Int, pair: UInt16, found: (Int, Int) -> Void) {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for slot in Int(starts[Int(pair)])..<Int(starts[Int(pair) + 1]) {
            let candidate = items[slot]
            let keyword = keywords[Int(candidate)]
            guard offset + keyword.count <= count else { continue }
            var k = 2
            while k < keyword.count, Self.lower(bytes[offset + k]) == keyword[k] { k += 1 }
            if k == keyword.count { found(offset, Int(candidate)) }
        }
    }
}
