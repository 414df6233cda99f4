import Foundation
import Testing

/// A moto server for the live-collection tests: the one `.ci/run` started (ROSTER_MOTO_ENDPOINT),
/// else one started here on a free loopback port if `moto_server` is installed.
enum Moto {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/moto")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether live tests can run here. CI sets ROSTER_REQUIRE_MOTO=1 so that a missing server fails instead.
    static var available: Bool {
        ProcessInfo.processInfo.environment["ROSTER_REQUIRE_MOTO"] == "1" || endpoint != nil
    }

    nonisolated(unsafe) static var started: Process?

    static let endpoint: URL? = {
        if let given = ProcessInfo.processInfo.environment["ROSTER_MOTO_ENDPOINT"] { return URL(string: given) }
        guard let server = which("moto_server") else { return nil }
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        started = process
        atexit { Moto.started?.terminate() }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        for _ in 0..<100 {
            if (try? get(url.appendingPathComponent("moto-api/"))) != nil { return url }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }()

    static func require() throws -> URL {
        try #require(endpoint, "no moto server: install moto[server] or set ROSTER_MOTO_ENDPOINT")
    }

    /// Empties the server, then seeds it with `seed.py`.
    static func reset(seedArguments: [String] = []) throws -> [String: Any] {
        let url = try require()
        _ = try post(url.appendingPathComponent("moto-api/reset"), body: "")
        let output = try python(["seed.py", url.absoluteString] + seedArguments)
        return (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:]
    }

    /// Turns moto's signature and permission checks on or off.
    static func enforceAuth(_ on: Bool) throws {
        _ = try post(try require().appendingPathComponent("moto-api/reset-auth"), body: on ? "0" : "inf", contentType: "text/plain")
    }

    @discardableResult
    static func python(_ arguments: [String], currentDirectory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: which("python3") ?? "/usr/bin/python3")
        process.arguments = [fixtures.appendingPathComponent(arguments[0]).path] + arguments.dropFirst()
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("\(arguments[0]) failed: \(String(decoding: errors, as: UTF8.self).suffix(2000))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func freePort() -> Int {
        let output = (try? pythonInline("import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")) ?? "55231"
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 55231
    }

    static func pythonInline(_ code: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-c", code]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func get(_ url: URL) throws -> Data {
        try request(url, method: "GET", body: nil, contentType: nil)
    }

    static func post(_ url: URL, body: String, contentType: String = "application/x-www-form-urlencoded") throws -> Data {
        try request(url, method: "POST", body: body, contentType: contentType)
    }

    /// A blocking HTTP call through curl (the tests must not depend on the client under test).
    static func request(_ url: URL, method: String, body: String?, contentType: String?) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: which("curl") ?? "/usr/bin/curl")
        var arguments = ["-sf", "-X", method, url.absoluteString]
        if let body { arguments += ["--data", body] }
        if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(method) \(url) failed") }
        return data
    }
}

/// A loopback proxy that throttles the first N requests before passing them to moto.
final class ThrottleProxy {
    let process = Process()
    let input = Pipe()
    let url: URL

    init(throttling count: Int, reportPending: Int = 0) throws {
        let upstream = try Moto.require()
        process.executableURL = URL(fileURLWithPath: Moto.which("python3") ?? "/usr/bin/python3")
        process.arguments = [Moto.fixtures.appendingPathComponent("throttle_proxy.py").path, String(upstream.port ?? 80), String(count), String(reportPending)]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = input
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
        url = URL(string: "http://127.0.0.1:\(String(decoding: line, as: UTF8.self))")!
    }

    var reportPendingAnswers: Int { Int(String(decoding: (try? Moto.get(url.appendingPathComponent("_pending"))) ?? Data(), as: UTF8.self)) ?? -1 }

    var throttled: Int { Int(String(decoding: (try? Moto.get(url.appendingPathComponent("_count"))) ?? Data(), as: UTF8.self)) ?? -1 }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
