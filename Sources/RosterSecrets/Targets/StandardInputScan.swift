import Foundation

/// Scans standard input as one stream, reported as the path `-`.
public struct StandardInputScan: Sendable {
    public var scanner: SecretScanner
    public init(scanner: SecretScanner) { self.scanner = scanner }

    public func scan() throws -> (matches: [LocatedMatch], statistics: ScanStatistics) {
        let started = Date()
        var statistics = ScanStatistics()
        var buffer: [UInt8] = []
        let outcome = StreamScanner(scanner: scanner).scan(buffer: &buffer, drainBinary: true) { target in
            Foundation.read(0, target.baseAddress, target.count)
        }
        var located: [LocatedMatch] = []
        switch outcome {
        case .binary(let bytes):
            statistics.skippedBinary = 1
            statistics.bytes = bytes
        case .scanned(let matches, let bytes):
            statistics.files = 1
            statistics.bytes = bytes
            located = matches.map { LocatedMatch(match: $0, location: SecretLocation(path: "-", line: $0.line, column: $0.column)) }
        }
        statistics.seconds = Date().timeIntervalSince(started)
        return (located, statistics)
    }
}
