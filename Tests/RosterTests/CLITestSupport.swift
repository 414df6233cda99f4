import ArgumentParser
import Foundation
@testable import RosterCLI

/// Parses and runs `roster` in-process, as `main.swift` does.
func runRoster(_ arguments: [String]) async throws {
    var command = try Roster.parseAsRoot(arguments)
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
}

/// The exit code a command ended with, when it threw one (`nil` when it succeeded or threw something else).
func exitCode(of arguments: [String]) async -> Int32? {
    do {
        try await runRoster(arguments)
        return 0
    } catch let code as ExitCode {
        return code.rawValue
    } catch {
        return nil
    }
}

/// A temporary workspace for CLI tests: a database path and a settings file, removed by `cleanUp()`.
struct CLIWorkspace {
    let dir: URL
    var db: String { dir.appendingPathComponent("roster.db").path }
    var config: String { dir.appendingPathComponent("roster.json").path }

    init(settings: String = "{}") throws {
        dir = try makeTemporaryDirectory()
        try Data(settings.utf8).write(to: URL(fileURLWithPath: config))
    }

    /// `--db` and `--config` for this workspace.
    var options: [String] { ["--db", db, "--config", config] }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }
}

/// The built `roster` executable next to the test bundle, for the few tests that need real stdout.
enum RosterProcess {
    static let executable: URL? = {
        let starts = [URL(fileURLWithPath: CommandLine.arguments[0]), Bundle.main.bundleURL, Bundle.main.executableURL].compactMap { $0 }
        for start in starts {
            var dir = start
            for _ in 0..<4 {
                dir = dir.deletingLastPathComponent()
                let candidate = dir.appendingPathComponent("roster")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
            }
        }
        return nil
    }()

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs the binary with `arguments`, in `dir`, without the caller's ROSTER_* settings.
    static func run(_ arguments: [String], in dir: URL) throws -> Output {
        let executable = try requireExecutable()
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROSTER_") }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(
            status: process.terminationStatus, stdout: try Data(contentsOf: out),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    struct NotBuilt: Error {}

    static func requireExecutable() throws -> URL {
        guard let executable else { throw NotBuilt() }
        return executable
    }
}

extension Data {
    /// Whether the bytes hold a terminal escape, a bell, or a bidirectional override (U+202A…U+202E, U+2066…U+2069).
    var containsTerminalControl: Bool {
        let text = String(decoding: self, as: UTF8.self)
        return text.unicodeScalars.contains { s in
            s.value == 0x1B || s.value == 0x07 || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
        }
    }
}
