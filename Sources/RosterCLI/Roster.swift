public import ArgumentParser

/// The `roster` command: inventory, analyse and rank non-human identities.
public struct Roster: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Find every non-human identity, who owns it, what it can reach and what is wrong with it.",
        discussion: """
            Exit codes: 0 success; 1 findings at or above --fail-on; 2 bad input (nothing stored);
            3 the database cannot be used; 4 the identity or snapshot asked for does not exist; 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            ImportCommand.self, InventoryCommand.self, ShowCommand.self, FindingsCommand.self, DiffCommand.self, MetricsCommand.self,
            SnapshotsCommand.self, RulesCommand.self,
        ])

    public init() {}
}
