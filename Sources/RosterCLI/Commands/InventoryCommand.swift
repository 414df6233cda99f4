import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore


struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List identities, highest risk first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Option(help: ArgumentHelp("Print at most this many identities.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Skip this many identities first (for paging).", valueName: "n"))
    var offset: Int = 0

    @Option(help: "Only this provider (aws, gcp, azure, kubernetes, github).")
    var provider: Provider?

    @Option(help: "Only this kind (iam-user, iam-role, root-account, service-account, …).")
    var kind: IdentityKind?

    @Option(help: "Only this nature: human, machine, root, unknown.")
    var nature: IdentityNature?

    @Flag(help: "Only non-human identities (machine and unclassified).")
    var nhi = false

    @Option(help: ArgumentHelp("Only identities whose owner contains this text; `none` for those without an owner.", valueName: "text"))
    var owner: String?

    @Option(help: ArgumentHelp("Only this environment (from env/environment/stage tags).", valueName: "env"))
    var env: String?

    @Option(help: ArgumentHelp("Only identities unused for at least this many days (e.g. 30, 60, 90).", valueName: "days"))
    var stale: Int?

    func validate() throws {
        try FilterCheck.kind(kind)
        try FilterCheck.provider(provider)
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if offset < 0 { throw ValidationError("--offset must be 0 or more") }
    }

    func run() async throws {
        try await reportingErrors {
            let format = try global.tabular()
            let service = try global.service(overrides: policyOptions)
            let view = try await service.view(snapshot: snapshotOption.snapshot)
            let query = ProfileQuery(
                analyses: view.analyses, provider: provider, kind: kind, nature: nature, nonHumanOnly: nhi,
                owner: owner.map { $0 == "none" ? "" : $0 }, environment: env, minIdleDays: stale, limit: limit, offset: offset)
            switch format {
            case .json, .sarif, .dot:
                // Streamed: one record at a time, so memory does not grow with the estate.
                let out = StreamWriter()
                out.write("[")
                let first = Counter()
                try await service.store.forEachProfile(query) { batch in
                    // Encoded on all cores, written in order.
                    try Parallel.map(batch, { profile in
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                        encoder.dateEncodingStrategy = .iso8601
                        return try encoder.encode(JSONOutput.IdentityRecord(profile))
                    }) { _, data in
                        out.write(first.next() == 0 ? "\n" : ",\n")
                        out.writeIndented(data)
                    }
                }
                out.write(first.value == 0 ? "]\n" : "\n]\n")
                out.flush()
            case .csv:
                var csv = CSVWriter(["name", "id", "provider", "kind", "nature", "account", "owner", "environment", "lastUsedAt", "idleDays", "privilege", "risk", "findings"])
                for p in try await service.store.profiles(query) {
                    let i = p.identity
                    csv.add([i.name, i.id, i.provider.rawValue, i.kind.rawValue, i.nature.rawValue, i.account ?? "", i.owner ?? "", i.environment ?? "",
                             Format.date(i.lastUsedAt), p.idleDays.map(String.init) ?? "", p.privilege, "\(p.risk)", "\(p.findingIds.count)"])
                }
                print(csv.render(), terminator: "")
            case .table:
                let profiles = try await service.store.profiles(query)
                var table = Table(["NAME", "PROVIDER", "KIND", "NATURE", "ACCOUNT", "OWNER", "ENV", "LAST USED", "PRIVILEGE", "RISK", "FINDINGS"])
                for p in profiles {
                    let i = p.identity
                    table.add([i.name, i.provider.rawValue, i.kind.rawValue, i.nature.rawValue, i.account ?? "-", i.owner ?? "-", i.environment ?? "-",
                               i.usageTracked ? (i.lastUsedAt.map(Format.date) ?? "never") : "unknown",
                               p.privilege, "\(p.risk)", "\(p.findingIds.count)"])
                }
                print(table.render(), terminator: "")
                let nhis = profiles.filter { $0.identity.nature.isNonHuman }.count
                print("\n\(Format.count(profiles.count, "identity", "identities")) (\(nhis) non-human).")
            }
        }
    }
}

/// Buffered standard output for streamed records.
final class StreamWriter: @unchecked Sendable {
    private var buffer: [UInt8] = []

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes a pretty-printed JSON value as an element of a pretty-printed array: every line indented by two spaces.
    func writeIndented(_ data: Data) {
        buffer.append(contentsOf: [0x20, 0x20])
        for byte in data {
            buffer.append(byte)
            if byte == 0x0A { buffer.append(contentsOf: [0x20, 0x20]) }
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A count shared with a streaming callback.
final class Counter: @unchecked Sendable {
    private(set) var value = 0

    /// The count before this call.
    func next() -> Int {
        defer { value += 1 }
        return value
    }
}
