import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-file work of an import that is not parsing, kept cheap: a gcloud export of a large
/// organisation is tens of thousands of small files (one key list and one policy per account),
/// where a FileManager call or a formatted string per file costs more than reading the file.
enum GCPFileDigest {
    /// The SHA-256 of a file's bytes as lowercase hex, and its modification time, in one open.
    ///
    /// The file was found to be a regular file moments ago; O_NONBLOCK keeps a file swapped for a pipe since from blocking.
    /// - Throws: ``ConnectorError`` naming the file when it cannot be read.
    static func digest(of path: String) throws -> (hex: String, modified: Date) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SourceFile.unreadable(path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SourceFile.unreadable(path, errno: errno) }
        var hasher = SHA256()
        let size = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = systemRead(fd, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw SourceFile.unreadable(path, errno: errno)
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return (hex(hasher.finalize()), modificationDate(info))
    }

    /// A file's modification time, or nil when it cannot be read (it is only a fallback for the observation time).
    static func modified(_ path: String) -> Date? {
        var info = stat()
        return stat(path, &info) == 0 ? modificationDate(info) : nil
    }

    private static func modificationDate(_ info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The folder and the name of a path, without NSString: `a/b/c.json` gives `a/b` and `c.json`.
    static func split(_ path: String) -> (directory: String, name: String) {
        // A bare file name is in the working directory, whose name may be the project's.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (FileManager.default.currentDirectoryPath, path) }
        let directory = path[..<slash]
        return (directory.isEmpty ? "/" : String(directory), String(path[path.utf8.index(after: slash)...]))
    }
}

/// Reads small export files with one `read`, handing anything unusual to ``SourceFile/read(_:maxBytes:)``.
///
/// A gcloud export has a file per account (its keys, its IAM policy), mostly under a kilobyte,
/// where mapping a file and reading the environment for the size limit cost more than the
/// bytes. Plain UTF-8 files up to 1 MiB are read here; larger files, files starting with a
/// byte order mark or looking like UTF-16 or UTF-32, and anything that is not a regular file go
/// to `SourceFile.read`, so every check and message is the same as elsewhere.
struct GCPFileReader {
    static let smallFile = 1 << 20
    /// The largest file accepted (`ROSTER_MAX_FILE_BYTES`), read once per import.
    let limit: Int

    /// - Throws: ``ConnectorError`` when `ROSTER_MAX_FILE_BYTES` is not a size.
    init(naming path: String) throws {
        limit = try SourceFile.maxFileBytes(reading: path)
    }

    func read(_ path: String) throws -> SourceFile {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return try SourceFile.read(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= Self.smallFile, Int(info.st_size) <= limit else {
            return try SourceFile.read(path)
        }
        let size = Int(info.st_size)
        var data = Data(count: size)
        let complete = data.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) -> Bool in
            var done = 0
            while done < size {
                let count = systemRead(fd, buffer.baseAddress! + done, size - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        guard complete, let first = data.first else { return try SourceFile.read(path) }
        // A byte order mark, or a zero byte among the first two (UTF-16 or UTF-32 without one): SourceFile transcodes or refuses.
        if first == 0xEF || first == 0xFE || first == 0xFF || first == 0 || (size > 1 && data[data.startIndex + 1] == 0) {
            return try SourceFile.read(path)
        }
        return SourceFile(path: path, data: data, encoding: .utf8)
    }
}

/// `read(2)`, named apart from the methods called `read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
