public import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

/// Output formats every listing command supports.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    case csv
    /// SARIF 2.1.0, for code-scanning tools (`roster findings` only).
    case sarif
    /// Graphviz DOT (`roster paths` and `roster graph export` only).
    case dot
}

/// Options every command shares: where the store is, how to print, which settings to use.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Roster database file.", valueName: "path"))
    public var db: String = ProcessInfo.processInfo.environment["ROSTER_DB"] ?? "roster.db"

    @Option(name: .long, help: "Output format: table, json or csv (findings also: sarif; paths and graph export also: dot).")
    public var format: OutputFormat = .table

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Settings file (JSON: unusedDays, maxKeyAgeDays, neverUsedGraceDays, staleTiers, knownAccounts). Default: ./roster.json if present.",
            valueName: "path"))
    public var config: String?

    public init() {}

    /// Opens the store, creating it: for commands that write.
    func openStore() throws -> RosterStore {
        try RosterStore.open(at: db)
    }

    /// Opens the store only if it exists: commands that read must not leave an empty database behind.
    func openExistingStore() throws -> RosterStore {
        guard FileManager.default.fileExists(atPath: db) else {
            throw CLIError.store("\(db): no Roster database here; run `roster import aws <dir>` first, or pass --db")
        }
        return try RosterStore.open(at: db)
    }

    /// The output format of a command that prints rows (every one but `findings`): not SARIF.
    func tabular() throws -> OutputFormat {
        guard format != .sarif else { throw ValidationError("--format sarif is for `roster findings`; this command prints table, json or csv") }
        guard format != .dot else { throw ValidationError("--format dot is for `roster paths` and `roster graph export`; this command prints table, json or csv") }
        return format
    }

    /// Runs `body`, which writes to the store; if the database did not exist before and `body`
    /// fails, the file it created is removed, so a failed first import leaves nothing behind.
    func removingNewDatabaseOnFailure<T>(_ body: () async throws -> T) async throws -> T {
        let existed = FileManager.default.fileExists(atPath: db)
        do {
            return try await body()
        } catch {
            if !existed {
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            }
            throw error
        }
    }

    /// The pipeline over the store, configured by the settings file and `overrides`.
    func service(writing: Bool = false, overrides: PolicyOptions? = nil) throws -> RosterService {
        let store = writing ? try openStore() : try openExistingStore()
        var policy = try loadPolicy()
        if let overrides { policy = try overrides.apply(to: policy) }
        return RosterService(store: store, configuration: .init(policy: policy, suppressions: try loadSuppressions()))
    }

    /// Suppressions listed in the settings file under `suppressions`: `[{"id": "…", "reason": "…", "expires": "2027-01-31"}]`.
    func loadSuppressions() throws -> [Suppression] {
        let path = config ?? ProcessInfo.processInfo.environment["ROSTER_CONFIG"] ?? "roster.json"
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        struct File: Decodable {
            struct Entry: Decodable {
                var id: String
                var reason: String
                var expires: String?
            }
            var suppressions: [Entry]?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw CLIError.input("\(path): suppressions: expected [{\"id\": \"<finding id>\", \"reason\": \"…\", \"expires\": \"YYYY-MM-DD\"}]")
        }
        return try (file.suppressions ?? []).enumerated().map { index, entry in
            var expires: Date?
            if let text = entry.expires {
                guard let date = ISO8601.parse(text) else { throw CLIError.input("\(path): $.suppressions[\(index)].expires: expected a date such as 2027-01-31") }
                expires = date
            }
            guard !entry.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLIError.input("\(path): $.suppressions[\(index)].reason: say why the finding is accepted")
            }
            return Suppression(findingId: entry.id, reason: entry.reason, expiresAt: expires, createdAt: .distantPast, source: path)
        }
    }

    /// The detection policy: defaults, then the settings file.
    func loadPolicy() throws -> DetectionPolicy {
        let path = config ?? ProcessInfo.processInfo.environment["ROSTER_CONFIG"] ?? "roster.json"
        guard FileManager.default.fileExists(atPath: path) else {
            if config != nil { throw CLIError.input("\(path): no such settings file") }
            return .default
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.input("\(path): cannot be read") }
        do {
            return try JSONDecoder().decode(DetectionPolicy.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw CLIError.input("\(path): $.\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw CLIError.input("\(path): not a valid settings file (expected a JSON object such as {\"maxKeyAgeDays\": 90})")
        }
    }
}

/// Threshold overrides shared by the commands that analyse.
struct PolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Report machine identities unused for this many days.", valueName: "days"))
    var unusedDays: Int?

    @Option(help: ArgumentHelp("Report active access keys older than this many days.", valueName: "days"))
    var maxKeyAge: Int?

    @Option(help: ArgumentHelp("An AWS account that may be trusted (repeatable), as ID or ID=name.", valueName: "account"))
    var knownAccount: [String] = []

    func apply(to base: DetectionPolicy) throws -> DetectionPolicy {
        var policy = base
        if let unusedDays {
            guard unusedDays > 0 else { throw ValidationError("--unused-days must be a positive number of days") }
            policy.unusedDays = unusedDays
        }
        if let maxKeyAge {
            guard maxKeyAge > 0 else { throw ValidationError("--max-key-age must be a positive number of days") }
            policy.maxKeyAgeDays = maxKeyAge
        }
        for entry in knownAccount {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let id = parts.first, id.count == 12, id.allSatisfy(\.isNumber) else {
                throw ValidationError("--known-account expects a 12-digit AWS account id, optionally id=name; got \(Sanitize.text(entry))")
            }
            policy.knownAccounts[id] = parts.count > 1 ? parts[1] : "known"
        }
        return policy
    }
}

/// Errors the CLI reports itself, with their exit codes.
enum CLIError: Error, CustomStringConvertible {
    /// Bad input data: exit 2.
    case input(String)
    /// The store cannot be used: exit 3.
    case store(String)

    var description: String {
        switch self {
        case .input(let message), .store(let message): message
        }
    }
}
