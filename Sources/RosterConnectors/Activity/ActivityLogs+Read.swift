public import RosterModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ActivityLogs {
    /// Reads the events of one file, handing them to `body` in batches, with memory flat in the file's size.
    ///
    /// Gzip files are decompressed in chunks; each record is scanned from the bytes, decoding only the
    /// fields an ``ActivityEvent`` holds. Events come in file order: duplicate deliveries (the same
    /// `eventID` twice) are kept, for the caller to drop. CloudTrail Insights events and Kubernetes
    /// audit events of stages other than `ResponseComplete` are passed over.
    ///
    /// For example:
    /// ```swift
    /// var seen = Set<String>()
    /// let count = try ActivityLogs.read(file, cluster: "prod") { events in
    ///     for event in events where seen.insert(event.id).inserted { usage.add(event) }
    /// }
    /// ```
    /// - Parameters:
    ///   - cluster: the cluster a Kubernetes audit log is from (`kubernetes:<cluster>/<ns>/<name>`); "default" when nil.
    ///   - batchSize: the most events in one call of `body`.
    /// - Returns: the number of events read.
    /// - Throws: ``ConnectorError`` naming the file and the place (JSON path, line, byte) where it is truncated,
    ///   not JSON, of the wrong shape, or holds a bad timestamp; and whatever `body` throws.
    public static func read(
        _ file: ActivityLogFile,
        cluster: String? = nil,
        batchSize: Int = 4096,
        body: ([ActivityEvent]) throws -> Void
    ) throws -> Int {
        let buffer = ActivityBuffer(try ActivityInput(path: file.path))
        return try withoutActuallyEscaping(body) { body in
            var reader = BatchReader(buffer: buffer, path: file.path, size: max(1, batchSize), body: body)
            switch file.kind {
            case .cloudTrail: try reader.readTopLevel(array: "Records", kind: file.kind)
            case .lookupEvents: try reader.readTopLevel(array: "Events", kind: file.kind)
            case .kubernetesAudit: try reader.readLines(cluster: cluster ?? "default")
            }
            try reader.flush()
            return reader.total
        }
    }
}

/// One read of one file: the buffer, the batch being filled, and how errors are placed.
private struct BatchReader {
    let buffer: ActivityBuffer
    let path: String
    let size: Int
    let body: ([ActivityEvent]) throws -> Void
    var batch: [ActivityEvent] = []
    var total = 0

    init(buffer: ActivityBuffer, path: String, size: Int, body: @escaping ([ActivityEvent]) throws -> Void) {
        self.buffer = buffer
        self.path = path
        self.size = size
        self.body = body
        batch.reserveCapacity(size)
    }

    mutating func add(_ event: ActivityEvent) throws {
        batch.append(event)
        total += 1
        if batch.count >= size { try flush() }
    }

    mutating func flush() throws {
        guard !batch.isEmpty else { return }
        try body(batch)
        batch.removeAll(keepingCapacity: true)
    }

    /// A scan failure as a ``ConnectorError`` placed by JSON path (under `prefix`) and byte.
    func placed(_ failure: JSONScanError.Failure, under prefix: String, embedded: String? = nil) -> ConnectorError {
        let path = failure.path.map { $0.isEmpty ? prefix : $0.hasPrefix("[") ? prefix + $0 : "\(prefix).\($0)" } ?? prefix
        let byte =
            embedded.map { "byte \(failure.offset) of the record in \($0)" }
            ?? "byte \(failure.offset)\(buffer.input.isGzip ? " of the decompressed content" : "")"
        return ConnectorError(failure.code, failure.message, file: self.path, location: "\(path), \(byte)")
    }

    /// Runs a scan, placing its failure under `prefix`.
    func scan<T>(_ prefix: @autoclosure () -> String, _ body: (inout JSONCursor) throws(JSONScanError) -> T) throws -> T {
        do {
            return try buffer.scan(body)
        } catch let failure as JSONScanError.Failure {
            throw placed(failure, under: prefix())
        }
    }

    // MARK: CloudTrail

    /// `{"Records": [...]}` or `{"Events": [...]}`: the array's elements one at a time, other members skipped.
    mutating func readTopLevel(array name: StaticString, kind: ActivityLogFile.Kind) throws {
        try scan("$") { c throws(JSONScanError) in
            if c.i + 3 <= c.end, c.p[c.i] == 0xEF, c.p[c.i + 1] == 0xBB, c.p[c.i + 2] == 0xBF {
                throw c.bad("the file starts with a UTF-8 byte order mark, which JSON does not allow; save it without one")
            }
            try c.beginObject("")
        }
        enum Member {
            case end, array
            case other(String)
        }
        var first = true
        var sawArray = false
        while true {
            let member = try scan("$") { c throws(JSONScanError) -> Member in
                var f = first
                guard let key = try c.nextKey(&f) else { return .end }
                first = f
                return c.is(key, name) ? .array : .other(c.name(key))
            }
            switch member {
            case .end:
                guard sawArray else {
                    throw ConnectorError(.wrongShape, "the object has no \"\(name)\" array; expected \(kind)", file: path, location: "$")
                }
                return try readTrailing()
            case .other(let key):
                try scan("$.\(key)") { c throws(JSONScanError) in try c.skipValue() }
            case .array:
                sawArray = true
                try scan("$.\(name)") { c throws(JSONScanError) in
                    try c.beginArray("")
                }
                if kind == .lookupEvents { try readLookupEvents() } else { try readRecords() }
            }
        }
    }

    mutating func readRecords() throws {
        var first = true
        var index = 0
        enum Element {
            case end
            case event(ActivityEvent?)
        }
        while true {
            let element = try scan("$.Records[\(index)]") { c throws(JSONScanError) -> Element in
                var f = first
                guard try c.nextElement(&f) else { return .end }
                let event = try CloudTrailRecord.read(&c)
                first = f
                return .event(event)
            }
            guard case .event(let event) = element else { return }
            if let event { try add(event) }
            index += 1
        }
    }

    mutating func readLookupEvents() throws {
        var first = true
        var index = 0
        var record: [UInt8] = []
        while true {
            let more = try scan("$.Events[\(index)]") { c throws(JSONScanError) -> Bool in
                record.removeAll(keepingCapacity: true)
                var f = first
                guard try c.nextElement(&f) else { return false }
                _ = try c.peek()
                let start = c.i
                try c.beginObject("")
                var inner = true
                var found = false
                while let key = try c.nextKey(&inner) {
                    if c.is(key, "CloudTrailEvent") {
                        found = try c.stringBytes("CloudTrailEvent", into: &record)
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch { throw error.under(c.name(key)) }
                    }
                }
                guard found else { throw .bad(offset: start, path: "", message: "the event has no CloudTrailEvent", code: .wrongShape) }
                first = f
                return true
            }
            guard more else { return }
            let place = "$.Events[\(index)].CloudTrailEvent"
            let event = try record.withUnsafeBufferPointer { bytes -> ActivityEvent? in
                guard let base = bytes.baseAddress else { return nil }
                var c = JSONCursor(base, from: 0, to: bytes.count, complete: true)
                do throws(JSONScanError) {
                    let event = try CloudTrailRecord.read(&c)
                    while c.i < c.end, [0x20, 0x0A, 0x0D, 0x09].contains(c.p[c.i]) { c.i += 1 }
                    guard c.i == c.end else { throw c.bad("more text after the record") }
                    return event
                } catch {
                    guard case .bad(let offset, let path, let message, let code) = error else {
                        throw placed(.init(offset: c.i, path: nil, message: "the record ends early", code: .malformed), under: place, embedded: place)
                    }
                    throw placed(.init(offset: offset, path: path, message: message, code: code), under: place, embedded: place)
                }
            }
            if record.isEmpty {
                throw ConnectorError(.malformed, "CloudTrailEvent is empty; expected a CloudTrail record as JSON text", file: path, location: place)
            }
            if let event { try add(event) }
            index += 1
        }
    }

    /// After the top-level object: only white space.
    func readTrailing() throws {
        while true {
            let done = try scan("$") { c throws(JSONScanError) -> Bool in
                while c.i < c.end {
                    let b = c.p[c.i]
                    guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else {
                        throw c.bad("more text after the JSON object; a log file holds one object")
                    }
                    c.i += 1
                }
                return c.complete
            }
            if done { return }
            _ = try buffer.fill()
        }
    }

    // MARK: Kubernetes

    /// JSON lines: one audit event per line; blank lines are passed over.
    mutating func readLines(cluster: String) throws {
        var line = 0
        while true {
            line += 1
            enum Line {
                case end, blank
                case event(ActivityEvent?)
            }
            let result = try scan("line \(line), $") { c throws(JSONScanError) -> Line in
                if c.i >= c.end {
                    if c.complete { return .end }
                    throw .needMore
                }
                let lineEnd: Int
                if let newline = memchr(c.p + c.i, 0x0A, c.end - c.i) {
                    lineEnd = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - c.p
                } else if c.complete {
                    lineEnd = c.end
                } else {
                    throw .needMore
                }
                var l = JSONCursor(c.p, from: c.i, to: lineEnd, complete: true)
                while l.i < lineEnd, [0x20, 0x0D, 0x09].contains(l.p[l.i]) { l.i += 1 }
                var result = Line.blank
                if l.i < lineEnd {
                    if line == 1, l.i + 3 <= lineEnd, l.p[l.i] == 0xEF, l.p[l.i + 1] == 0xBB, l.p[l.i + 2] == 0xBF {
                        throw l.bad("the file starts with a UTF-8 byte order mark, which JSON lines do not allow; save it without one")
                    }
                    result = .event(try KubernetesAuditEvent.read(&l, cluster: cluster))
                    while l.i < lineEnd, [0x20, 0x0D, 0x09].contains(l.p[l.i]) { l.i += 1 }
                    guard l.i == lineEnd else { throw l.bad("more text after the event on this line; expected one JSON object per line") }
                }
                c.i = min(lineEnd + 1, c.end)
                return result
            }
            switch result {
            case .end: return
            case .blank: continue
            case .event(let event): if let event { try add(event) }
            }
        }
    }
}
