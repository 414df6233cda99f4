public import ArgumentParser
import Foundation
import RosterAnalysis
import RosterModel
import RosterStore

/// Output formats every listing command supports.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    case csv
}

/// Options every command shares: where the store is, how to print, which settings to use.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Roster database file.", valueName: "path"))
    public var db: String = ProcessInfo.processInfo.environment["ROSTER_DB"] ?? "roster.db"

    @Option(name: .long, help: "Output format: table, json or csv.")
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

extension DetectionPolicy {
    /// The policy with every AWS account already in the store counted as known: trust between
    /// one's own imported accounts is not a third-party risk.
    func knowingAccounts(in store: RosterStore, alongside estates: [Estate]) throws -> DetectionPolicy {
        var policy = self
        let scopes = try store.latestSnapshots().map(\.scope) + estates.map(\.scope)
        for scope in scopes where scope.hasPrefix("aws:") {
            let account = String(scope.dropFirst(4))
            if policy.knownAccounts[account] == nil { policy.knownAccounts[account] = "in the store" }
        }
        return policy
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
