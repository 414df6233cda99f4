import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One input file's text and name, with decoding that turns every failure into a located ``ConnectorError``.
///
/// `data` is always UTF-8 without a byte order mark: a UTF-8 BOM is dropped and UTF-16 (as
/// PowerShell's `>` writes) is transcoded, so line and column numbers in messages are the
/// ones an editor shows for the file as saved.
struct SourceFile: Sendable {
    /// How a file was saved.
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with a byte order mark"
        case utf16LE = "UTF-16 (little-endian)"
        case utf16BE = "UTF-16 (big-endian)"
    }

    /// The largest file Roster reads: 4 GiB unless `ROSTER_MAX_FILE_BYTES` says otherwise.
    static let defaultMaxFileBytes = 4 << 30

    let path: String
    /// The text as UTF-8, whatever it was saved as.
    let data: Data
    let encoding: Encoding

    /// Reads a regular file, refusing anything else (a pipe, a device, a directory) before opening it,
    /// so a FIFO named like an export can never make Roster wait.
    ///
    /// - Parameter maxBytes: the largest file accepted; nil reads `ROSTER_MAX_FILE_BYTES`, else 4 GiB.
    /// - Throws: ``ConnectorError`` naming the file: missing, unreadable, not a regular file, too large, or not text.
    static func read(_ path: String, maxBytes: Int? = nil) throws -> SourceFile {
        let limit = try maxBytes ?? maxFileBytes(reading: path)
        var info = stat()
        guard stat(path, &info) == 0 else { throw unreadable(path, errno: errno) }
        if let other = FileType(info.st_mode).notRegular { throw notRegular(path, other) }
        // O_NONBLOCK: if the path was swapped for a pipe since the stat, open returns at once instead of waiting for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable(path, errno: errno) }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw unreadable(path, errno: errno) }
        if let other = FileType(info.st_mode).notRegular { throw notRegular(path, other) }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw ConnectorError(
                .tooLarge,
                "the file is \(size) bytes, over Roster's limit of \(JSONSyntax.bytesText(limit)) for one file; "
                    + "set ROSTER_MAX_FILE_BYTES to a larger number of bytes if it really is an export",
                file: path)
        }
        guard size > 0 else { return SourceFile(path: path, data: Data(), encoding: .utf8) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw unreadable(path, errno: errno)
        }
        do {
            return try text(mapped: base, size: size, path: path)
        } catch {
            _ = munmap(base, size)
            throw error
        }
    }

    /// `ROSTER_MAX_FILE_BYTES` (a number of bytes, or with a K, M or G suffix), else 4 GiB.
    static func maxFileBytes(reading path: String) throws -> Int {
        // getenv, not ProcessInfo.environment: that builds a dictionary of the whole environment on every call,
        // a fifth of the time of reading many small files.
        guard let raw = getenv("ROSTER_MAX_FILE_BYTES") else { return defaultMaxFileBytes }
        let setting = String(cString: raw)
        var digits = Substring(setting.trimmingCharacters(in: .whitespaces))
        var shift = 0
        if let unit = digits.last.flatMap({ ["K": 10, "M": 20, "G": 30, "T": 40][$0.uppercased()] }) {
            shift = unit
            digits = digits.dropLast()
        }
        guard let count = Int(digits), count > 0, count <= Int.max >> shift else {
            throw ConnectorError(
                .configuration, "ROSTER_MAX_FILE_BYTES must be a number of bytes such as 4294967296 or 4G, not \"\(setting.prefix(40))\"",
                file: path)
        }
        return count << shift
    }

    /// Wraps mapped bytes as UTF-8 text, without copying when they already are; unmaps them when done.
    private static func text(mapped base: UnsafeMutableRawPointer, size: Int, path: String) throws -> SourceFile {
        let bytes = UnsafeRawBufferPointer(start: base, count: size)
        func byte(_ i: Int) -> UInt8? { i < size ? bytes[i] : nil }
        let (b0, b1, b2, b3) = (bytes[0], byte(1), byte(2), byte(3))
        if (b0, b1, b2) == (0xEF, 0xBB, 0xBF) {
            let data = Data(bytesNoCopy: base + 3, count: size - 3, deallocator: .custom { text, count in _ = munmap(text - 3, count + 3) })
            return SourceFile(path: path, data: data, encoding: .utf8BOM)
        }
        if (b0, b1, b2, b3) == (0x00, 0x00, 0xFE, 0xFF) || (b0, b1, b2, b3) == (0xFF, 0xFE, 0x00, 0x00)
            || (b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) || (b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0) {
            throw ConnectorError(.malformed, "the file is saved as UTF-32; save it as UTF-8", file: path)
        }
        var encoding: Encoding?
        var start = 0
        if (b0, b1) == (0xFF, 0xFE) {
            (encoding, start) = (.utf16LE, 2)
        } else if (b0, b1) == (0xFE, 0xFF) {
            (encoding, start) = (.utf16BE, 2)
        } else if b1 == 0, Self.startsText(b0) {
            encoding = .utf16LE
        } else if b0 == 0, let b1, Self.startsText(b1) {
            encoding = .utf16BE
        }
        guard let encoding else {
            let data = Data(bytesNoCopy: base, count: size, deallocator: .custom { text, count in _ = munmap(text, count) })
            return SourceFile(path: path, data: data, encoding: .utf8)
        }
        let data = try transcodeUTF16(bytes, from: start, bigEndian: encoding == .utf16BE, path: path)
        _ = munmap(base, size)
        return SourceFile(path: path, data: data, encoding: encoding)
    }

    /// Whether a file without a byte order mark may start with this character: JSON, a CSV header or whitespace.
    private static func startsText(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "u") || byte == 0x20 || byte == 0x0A || byte == 0x0D
            || byte == 0x09
    }

    /// UTF-16 to UTF-8, refusing an odd byte count or an unpaired surrogate with the place in the file as saved.
    static func transcodeUTF16(_ bytes: UnsafeRawBufferPointer, from start: Int, bigEndian: Bool, path: String) throws -> Data {
        let end = bytes.count
        // Each UTF-16 code unit becomes at most 3 UTF-8 bytes (a surrogate pair, two units, becomes 4).
        let capacity = max((end - start) / 2 * 3, 1)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var written = 0
        func unit(_ i: Int) -> UInt32 {
            bigEndian ? UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) : UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i])
        }
        func fail(_ message: String, at offset: Int) -> ConnectorError {
            let text = UnsafeBufferPointer(start: out, count: written)
            let lineStart = (text.lastIndex(of: 0x0A) ?? -1) + 1
            let line = text.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = text[lineStart...].reduce(1) { $1 & 0xC0 != 0x80 ? $0 + 1 : $0 }
            out.deallocate()
            return ConnectorError(.malformed, "not valid UTF-16: \(message) at byte offset \(offset); save the file as UTF-8", file: path,
                                  location: "line \(line), column \(column)")
        }
        var i = start
        while i + 1 < end {
            var scalar = unit(i)
            let at = i
            i += 2
            if scalar >= 0xD800 && scalar < 0xE000 {
                guard scalar < 0xDC00, i + 1 < end, case let low = unit(i), low >= 0xDC00 && low < 0xE000 else {
                    throw fail(String(format: "an unpaired surrogate 0x%04X", scalar), at: at)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 2
            }
            switch scalar {
            case ..<0x80:
                out[written] = UInt8(scalar)
                written += 1
            case ..<0x800:
                out[written] = UInt8(0xC0 | scalar >> 6)
                out[written + 1] = UInt8(0x80 | scalar & 0x3F)
                written += 2
            case ..<0x10000:
                out[written] = UInt8(0xE0 | scalar >> 12)
                out[written + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                out[written + 2] = UInt8(0x80 | scalar & 0x3F)
                written += 3
            default:
                out[written] = UInt8(0xF0 | scalar >> 18)
                out[written + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                out[written + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
                out[written + 3] = UInt8(0x80 | scalar & 0x3F)
                written += 4
            }
        }
        if i < end { throw fail("an odd number of bytes (the file is cut off)", at: i) }
        return Data(bytesNoCopy: out, count: written, deallocator: .custom { pointer, _ in pointer.assumingMemoryBound(to: UInt8.self).deallocate() })
    }

    /// What a path is when it is not a regular file, as `stat` reports it.
    struct FileType {
        var mode: mode_t

        init(_ mode: mode_t) { self.mode = mode }

        var isDirectory: Bool { mode & S_IFMT == S_IFDIR }

        /// Nil for a regular file; else what it is, for messages ("a named pipe (FIFO)").
        var notRegular: String? {
            switch mode & S_IFMT {
            case S_IFREG: nil
            case S_IFDIR: "a directory"
            case S_IFIFO: "a named pipe (FIFO)"
            case S_IFCHR: "a character device"
            case S_IFBLK: "a block device"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
        }
    }

    private static func notRegular(_ path: String, _ what: String) -> ConnectorError {
        if what == "a directory" { return ConnectorError(.unreadable, "is a directory, expected a file", file: path) }
        return ConnectorError(.unreadable, "is \(what), not a regular file; Roster reads exports saved as files", file: path)
    }

    static func unreadable(_ path: String, errno code: Int32) -> ConnectorError {
        switch code {
        case ENOENT: ConnectorError(.unreadable, "no such file", file: path)
        case ELOOP: ConnectorError(.unreadable, "is a symbolic link loop: following it leads back to itself", file: path)
        default: ConnectorError(.unreadable, "cannot be read (\(String(cString: strerror(code))))", file: path)
        }
    }

    /// Refuses a CSV field longer than `limit` bytes, naming its line and column, before any of it is kept.
    func checkCSVFields(limit: Int = JSONSyntax.Limits.awsExport.string) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in
            var line = 1
            var recordLine = 1
            var field = 0
            var fieldStart = 0
            var inQuotes = false
            var header: [String] = []
            func endField(at end: Int) throws {
                if recordLine == 1 { header.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[fieldStart..<end]), as: UTF8.self)) }
                if end - fieldStart > limit {
                    let column = field < header.count ? "column \(header[field].prefix(40))" : "field \(field + 1)"
                    throw ConnectorError(
                        .tooLarge,
                        "\(column) is \(end - fieldStart) bytes long, over Roster's limit of \(JSONSyntax.bytesText(limit)) for a single field "
                            + "such as a name or an id; the file looks damaged or hand-made",
                        file: path, location: "line \(recordLine)")
                }
                field += 1
                fieldStart = end + 1
            }
            for i in 0..<bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""): inQuotes.toggle()
                case UInt8(ascii: ",") where !inQuotes: try endField(at: i)
                case 0x0A:
                    line += 1
                    guard !inQuotes else { continue }
                    try endField(at: i)
                    field = 0
                    recordLine = line
                default: continue
                }
            }
            try endField(at: bytes.count)
        }
    }

    /// Decodes the file as `T`, naming the line and column of a syntax error or the JSON path of a shape error.
    ///
    /// The bytes are checked first, in one pass: syntax, UTF-8, repeated keys (which decoders
    /// resolve differently, so a Deny one tool sees could be an Allow to another) and `limits`.
    func decodeJSON<T: Decodable>(_ type: T.Type, expecting what: String, limits: JSONSyntax.Limits = .awsExport) throws -> T {
        if let problem = JSONSyntax.check(data, limits: limits) { throw error(for: problem) }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw locate(error, expecting: what)
        }
    }

    func error(for problem: JSONSyntax.Problem) -> ConnectorError {
        switch problem.kind {
        case .syntax: ConnectorError(.malformed, "not valid JSON: \(problem.message)", file: path, location: problem.location)
        case .invalidUTF8: ConnectorError(.malformed, "not valid UTF-8: \(problem.message)", file: path, location: problem.location)
        case .duplicateKey: ConnectorError(.duplicateKey, problem.message, file: path, location: "\(problem.location), at \(problem.path)")
        case .tooLarge: ConnectorError(.tooLarge, problem.message, file: path, location: "\(problem.location), at \(problem.path)")
        }
    }

    func locate(_ error: DecodingError, expecting what: String) -> ConnectorError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var out = "$"
            for key in codingPath {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += "." + key.stringValue
                }
            }
            return out
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ConnectorError(.wrongShape, "expected \(describe(type)) in \(what); \(context.debugDescription.lowercasedFirst)", file: self.path, location: path(context.codingPath))
        case .valueNotFound(let type, let context):
            return ConnectorError(.wrongShape, "expected \(describe(type)) in \(what), found null", file: self.path, location: path(context.codingPath))
        case .keyNotFound(let key, let context):
            return ConnectorError(.wrongShape, "missing required field \"\(key.stringValue)\" in \(what)", file: self.path, location: path(context.codingPath))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let problem = JSONSyntax.firstError(in: data) {
                return self.error(for: problem)
            }
            return ConnectorError(.wrongShape, context.debugDescription, file: self.path, location: path(context.codingPath))
        @unknown default:
            return ConnectorError(.wrongShape, "unexpected content in \(what)", file: self.path)
        }
    }

    private func describe(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Int.Type || type is Double.Type || type is Int64.Type { return "a number" }
        if type is Bool.Type { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "an object"
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}

/// A timestamp as AWS prints it, decoded strictly so a bad date is reported at its JSON path.
struct AWSDate: Decodable, Hashable, Sendable {
    let date: Date

    init(_ date: Date) {
        self.date = date
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 timestamp such as 2024-03-01T10:15:00+00:00")
        }
        self.date = date
    }
}
