public import ArgumentParser

/// The `roster` command: inventory, analyse and rank non-human identities.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct Roster: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Find every non-human identity, who owns it, what it can reach and what is wrong with it.",
        discussion: """
            Exit codes: 0 success; 1 findings at or above --fail-on; 2 bad input (nothing stored);
            3 the database cannot be used; 4 the identity or snapshot asked for does not exist; 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            ImportCommand.self, CollectCommand.self, InventoryCommand.self, ShowCommand.self, FindingsCommand.self, DiffCommand.self, MetricsCommand.self,
            SnapshotsCommand.self, RulesCommand.self, SuppressCommand.self, PruneCommand.self, SecretsCommand.self, UsageCommand.self, PolicyCommand.self,
            PathsCommand.self, CanCommand.self, WhoCanCommand.self, BlastRadiusCommand.self, GraphCommand.self,
        ])

    public init() {}
}

extension Roster {
    /// The program's entry point: parses the command line and runs the chosen command, awaiting
    /// it when it is asynchronous.
    ///
    /// `Roster` lives in a library so tests can parse it; it cannot be `@main`, and a top-level
    /// `Roster.main()` resolves to the synchronous overload, which refuses async commands.
    public static func start() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
