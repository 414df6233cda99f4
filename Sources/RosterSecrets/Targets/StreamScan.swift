import Foundation

/// Scans an input of any length through one reusable buffer, a chunk at a time.
///
/// A chunk's keywords are looked for up to a margin before its end; the margin and the bytes
/// before it are carried into the next chunk, so a secret across the boundary is seen whole and
/// no keyword is looked at twice. Lines are counted only as far as a match needs, and for the
/// bytes a chunk drops.
struct StreamScanner {
    let scanner: SecretScanner
    /// Bytes read at a time.
    static let chunk = 8 << 20
    /// Kept from one chunk to the next: room for the longest window or armoured key.
    static let carry = 2 * SecretScanner.armourSpan + 2 * SecretScanner.window

    /// Inputs whose first 8,000 bytes hold a NUL are binary (git's test) and are skipped.
    static let binaryProbe = 8000

    enum Outcome {
        case scanned([SecretMatch], bytes: Int)
        case binary(bytes: Int)
    }

    /// Reads with `read` (which fills the buffer it is given and returns the byte count, 0 at the
    /// end) and scans. `buffer` is the caller's, reused across inputs.
    func scan(buffer: inout [UInt8], drainBinary: Bool = false, read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Outcome {
        if buffer.count < Self.chunk + Self.carry { buffer = [UInt8](repeating: 0, count: Self.chunk + Self.carry) }
        var matches: [SecretMatch] = []
        var lines = LineCounter()
        var filled = 0  // bytes in the buffer
        var base = 0  // absolute offset of buffer[0]
        var scanFrom = 0  // buffer offset where keyword positions not yet scanned begin
        var total = 0
        var first = true
        var seen = Set<[Int]>()
        while true {
            // Fill up to a chunk beyond what is carried.
            var atEnd = false
            while filled < buffer.count {
                let n = try buffer.withUnsafeMutableBytes { raw in
                    try read(UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
                if n <= 0 {
                    atEnd = true
                    break
                }
                filled += n
                total += n
            }
            if first {
                first = false
                let probe = min(filled, Self.binaryProbe)
                if buffer.withUnsafeBytes({ $0[0..<probe].contains(0) }) { return .binary(bytes: total + (drainBinary ? drain(read) : 0)) }
            }
            let scanTo = atEnd ? filled : max(scanFrom, filled - Self.carry / 2)
            buffer.withUnsafeBytes { raw in
                let view = UnsafeRawBufferPointer(rebasing: raw[0..<filled])
                let found = scanner.candidates(in: view, positions: scanFrom..<scanTo, base: base)
                for match in scanner.finish(found, buffer: view, base: base, lines: &lines)
                where seen.insert([match.offset, match.length, match.ruleId.hashValue]).inserted {
                    matches.append(match)
                }
            }
            if atEnd { break }
            // Carry the tail: count the lines of what is dropped, then move the tail to the front.
            let keepFrom = max(0, scanTo - Self.carry / 2)
            buffer.withUnsafeBytes { raw in
                lines.advance(to: base + keepFrom, in: UnsafeRawBufferPointer(rebasing: raw[0..<filled]), base: base)
            }
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + keepFrom, byteCount: filled - keepFrom)
            }
            base += keepFrom
            filled -= keepFrom
            scanFrom = scanTo - keepFrom
        }
        return .scanned(matches, bytes: total)
    }

    private func drain(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) -> Int {
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while let n = try? scratch.withUnsafeMutableBytes({ try read($0) }), n > 0 { total += n }
        return total
    }
}
