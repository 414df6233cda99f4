// zlib itself, through the C module compress-nio builds and links against the system zlib: the
// reader needs `Z_STREAM_END` and `inflateReset` (concatenated gzip members), which CompressNIO's
// ByteBuffer API does not expose, and decompresses straight into the scan buffer with no copy.
import CCompressZlib
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one log file, plain or gunzipped, read in chunks so memory stays flat in the file's size.
final class ActivityInput {
    let path: String
    /// Whether the file is gzip (recognised by its magic bytes, not its name).
    let isGzip: Bool
    private let fd: Int32
    private var stream: UnsafeMutablePointer<z_stream>?
    private let compressed: UnsafeMutableRawBufferPointer
    private var compressedStart = 0
    private var compressedEnd = 0
    private var fileEnded = false
    /// A gzip member has started and not yet ended: running out of input now means a truncated file.
    private var inMember = false
    /// Bytes of the file handed to zlib so far, for "corrupt at byte N" messages.
    private var compressedOffset = 0

    static let chunk = 256 * 1024

    /// Opens a regular file; a pipe or device is refused before it is opened, so it can never make the reader wait.
    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { throw SourceFile.unreadable(path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConnectorError(.unreadable, "is not a regular file; Roster reads activity logs saved as files", file: path)
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SourceFile.unreadable(path, errno: errno) }
        self.fd = fd
        compressed = .allocate(byteCount: Self.chunk, alignment: 16)
        // Peek at the magic bytes to tell gzip from plain text.
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        isGzip = got == 2 && magic.0 == 0x1F && magic.1 == 0x8B
        if isGzip {
            let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            z.initialize(to: z_stream())
            // 15 + 16: the largest window, gzip header and trailer only.
            guard CCompressZlib_inflateInit2(z, 15 + 16) == Z_OK else {
                z.deallocate()
                compressed.deallocate()
                close(fd)
                throw ConnectorError(.unreadable, "cannot start gzip decompression (out of memory)", file: path)
            }
            stream = z
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        compressed.deallocate()
        close(fd)
    }

    /// Reads the next bytes of content (decompressed when the file is gzip) into `buffer`; 0 at the end.
    /// - Throws: ``ConnectorError`` when the file cannot be read, its gzip data is corrupt, or it ends inside a gzip member.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let stream else { return try readFile(into: buffer) }
        while true {
            if compressedStart == compressedEnd {
                if !fileEnded {
                    compressedEnd = try readFile(into: compressed)
                    compressedStart = 0
                    fileEnded = compressedEnd == 0
                }
                if compressedStart == compressedEnd {
                    if inMember {
                        throw ConnectorError(
                            .malformed,
                            "the gzip data ends early: the file is truncated (an interrupted download or copy?)",
                            file: path,
                            location: "byte \(compressedOffset) of the compressed file"
                        )
                    }
                    return 0
                }
            }
            let available = compressedEnd - compressedStart
            stream.pointee.next_in = compressed.baseAddress!.advanced(by: compressedStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(available)
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count)
            inMember = true
            let code = inflate(stream, Z_NO_FLUSH)
            let consumed = available - Int(stream.pointee.avail_in)
            compressedStart += consumed
            compressedOffset += consumed
            let produced = buffer.count - Int(stream.pointee.avail_out)
            switch code {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                // A member ended; whatever follows is another member (as gzip(1) reads concatenated files).
                inMember = false
                inflateReset(stream)
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "code \(code)"
                throw ConnectorError(
                    .malformed,
                    "the gzip data is corrupt (\(reason)); the file is damaged or not gzip",
                    file: path,
                    location: "byte \(compressedOffset) of the compressed file"
                )
            }
            if produced > 0 { return produced }
        }
    }

    private func readFile(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR || errno == EAGAIN { continue }
            throw SourceFile.unreadable(path, errno: errno)
        }
    }
}

/// A window over the content of one file that grows only as far as the largest single value needs.
///
/// The scanners work on contiguous bytes; when a value runs past the bytes read so far they ask for
/// more (``JSONScanError/needMore``), the buffer drops what was consumed, reads on, and the value is
/// scanned again from its start. Values are small next to the 1 MiB window, so rescans are rare.
final class ActivityBuffer {
    let input: ActivityInput
    private(set) var storage: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `storage[start..<end]`.
    var start = 0
    private(set) var end = 0
    /// Offset of `storage[0]` in the file's (decompressed) content.
    private(set) var base = 0
    private(set) var ended = false

    static let maximum = 64 * 1024 * 1024

    init(_ input: ActivityInput, capacity: Int = 1024 * 1024) {
        self.input = input
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Reads more content after the unconsumed bytes; false at the end of the file.
    /// - Throws: ``ConnectorError/Code/tooLarge`` when one value would need more than 64 MiB.
    func fill() throws -> Bool {
        if ended { return false }
        if start > 0 {
            let count = end - start
            if count > 0 { memmove(storage.baseAddress!, storage.baseAddress! + start, count) }
            base += start
            end = count
            start = 0
        }
        if end == storage.count {
            guard storage.count < Self.maximum else {
                throw ConnectorError(
                    .tooLarge,
                    "a single record or value is larger than 64 MiB; this is not a log Roster can read",
                    file: input.path,
                    location: "byte \(base)"
                )
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 16)
            bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<end]))
            storage.deallocate()
            storage = bigger
        }
        let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        if n == 0 {
            ended = true
            return false
        }
        end += n
        return true
    }

    /// Runs `scan` over the unconsumed bytes, reading more and scanning again from the same start
    /// while it runs out of bytes; on success, consumes what it read.
    func scan<T>(_ scan: (inout JSONCursor) throws(JSONScanError) -> T) throws -> T {
        while true {
            let pointer = UnsafePointer(storage.baseAddress!.assumingMemoryBound(to: UInt8.self))
            var cursor = JSONCursor(pointer, from: start, to: end, complete: ended)
            do throws(JSONScanError) {
                let value = try scan(&cursor)
                start = cursor.i
                return value
            } catch {
                guard case .bad(let offset, let path, let message, let code) = error else {
                    // At the end, the next scan is of complete bytes and says where they broke; a scanner
                    // asking for more of complete bytes is a bug, not a reason to loop.
                    precondition(!ended, "a scan of the whole file asked for more bytes")
                    _ = try fill()
                    continue
                }
                throw JSONScanError.Failure(offset: base + offset, path: path, message: message, code: code)
            }
        }
    }
}
