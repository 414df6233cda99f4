import ArgumentParser
import Foundation
import RosterConnectors
import RosterService
import RosterStore

/// Roster's exit codes, as documented in the README.
enum RosterExit {
    /// Findings at or above `--fail-on` were reported.
    static let findings = ExitCode(1)
    /// An input file is malformed, of the wrong kind, or unreadable; nothing was stored.
    static let badInput = ExitCode(2)
    /// The database cannot be opened, read or written.
    static let storeFailure = ExitCode(3)
    /// The thing asked for (an identity, a snapshot) does not exist.
    static let notFound = ExitCode(4)
    /// The provider's API refused or failed: bad credentials, access denied, throttling past the budget, unreachable.
    static let providerFailure = ExitCode(5)
}

/// Runs a command body, printing Roster's own errors as one line on stderr with the right exit code.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ServiceError {
        Terminal.error(error.description)
        switch error.code {
        case .notFound: throw RosterExit.notFound
        case .empty: throw RosterExit.storeFailure
        default: throw RosterExit.badInput
        }
    } catch let error as ConnectorError {
        Terminal.error(error.description)
        throw RosterExit.badInput
    } catch let error as StoreError {
        Terminal.error(error.description)
        throw error.code == .notFound ? RosterExit.notFound : RosterExit.storeFailure
    } catch let error as CLIError {
        Terminal.error(error.description)
        switch error {
        case .input: throw RosterExit.badInput
        case .store: throw RosterExit.storeFailure
        }
    }
}

enum Terminal {
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("roster: error: \(Sanitize.text(message))\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("roster: warning: \(Sanitize.text(message))\n".utf8))
    }

    static func info(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}

/// Makes imported text safe to print: no terminal escape sequences or control characters.
enum Sanitize {
    static func text(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: isUnsafe) else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if isUnsafe(scalar) {
                out.append(contentsOf: scalar == "\n" || scalar == "\t" ? " ".unicodeScalars : "\u{FFFD}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }
}
