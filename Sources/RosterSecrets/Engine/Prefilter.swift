/// Finds every occurrence of a set of literal keywords, ignoring ASCII case, in one pass.
///
/// At each position the pass folds the next three bytes (`| 0x20`, which lowercases letters and
/// leaves digits and most punctuation alone), hashes them to 16 bits and tests one bit of an 8 KB
/// table that holds every keyword's first three bytes, folded the same way. Only where the bit is
/// set are keywords compared. Keywords are chosen to be rare (`ghp_`, `akia`, `-----begin`), and
/// three bytes say much more than two (`to` starts a tenth of English words, `tok` far fewer), so
/// almost every position costs one load, a multiply and a bit test.
struct Prefilter: Sendable {
    /// Lowercase keywords, at least three bytes each.
    let keywords: [[UInt8]]
    /// Bit per hash of a folded three-byte prefix.
    private var table: [UInt64]
    /// Keyword indices for hash `h` are `items[starts[h]..<starts[h + 1]]`.
    private var starts: [Int32]
    private var items: [Int32]

    init(keywords: [String]) {
        self.keywords = keywords.map { Array($0.lowercased().utf8) }
        table = Array(repeating: 0, count: 1024)
        var buckets: [Int: [Int32]] = [:]
        for (index, keyword) in self.keywords.enumerated() {
            precondition(keyword.count >= 3, "a keyword needs at least three bytes: \(String(decoding: keyword, as: UTF8.self))")
            let prefix = UInt32(keyword[0] | 0x20) | UInt32(keyword[1] | 0x20) << 8 | UInt32(keyword[2] | 0x20) << 16
            let h = Self.hash(prefix)
            table[h >> 6] |= 1 << UInt64(h & 63)
            buckets[h, default: []].append(Int32(index))
        }
        starts = Array(repeating: 0, count: 65537)
        items = []
        for h in 0..<65536 {
            starts[h] = Int32(items.count)
            items += buckets[h] ?? []
        }
        starts[65536] = Int32(items.count)
    }

    @inline(__always)
    private static func hash(_ folded: UInt32) -> Int {
        Int((folded &* 0x9E37_79B1) >> 16)
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Appends `(offset << 16 | keyword)` for each occurrence starting in `range`, in order; the
    /// bytes after `range` (up to the buffer's end) may complete a keyword.
    func scan(_ buffer: UnsafeRawBufferPointer, in range: Range<Int>, into hits: inout [Int]) {
        guard buffer.count >= 3, let base = buffer.baseAddress else { return }
        let count = buffer.count
        // Four-byte loads need four bytes; the last positions are read byte by byte.
        let fastEnd = min(range.upperBound, count - 3)
        var i = range.lowerBound
        table.withUnsafeBufferPointer { table in
            starts.withUnsafeBufferPointer { starts in
                while i < fastEnd {
                    let word = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                    let h = Self.hash((word | 0x2020_2020) & 0x00FF_FFFF)
                    if table[h >> 6] & (1 << UInt64(h & 63)) != 0 {
                        check(base, count: count, at: i, slots: Int(starts[h])..<Int(starts[h + 1]), into: &hits)
                    }
                    i += 1
                }
                while i < min(range.upperBound, count - 2) {
                    let bytes = base.assumingMemoryBound(to: UInt8.self)
                    let word = UInt32(bytes[i] | 0x20) | UInt32(bytes[i + 1] | 0x20) << 8 | UInt32(bytes[i + 2] | 0x20) << 16
                    let h = Self.hash(word)
                    if table[h >> 6] & (1 << UInt64(h & 63)) != 0 {
                        check(base, count: count, at: i, slots: Int(starts[h])..<Int(starts[h + 1]), into: &hits)
                    }
                    i += 1
                }
            }
        }
    }

    @inline(__always)
    private func check(_ base: UnsafeRawPointer, count: Int, at offset: Int, slots: Range<Int>, into hits: inout [Int]) {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for slot in slots {
            let candidate = Int(items[slot])
            let keyword = keywords[candidate]
            guard offset + keyword.count <= count else { continue }
            var k = 0
            while k < keyword.count, Self.lower(bytes[offset + k]) == keyword[k] { k += 1 }
            if k == keyword.count { hits.append(offset << 16 | candidate) }
        }
    }
}
