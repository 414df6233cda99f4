public import ArgumentParser

public struct Roster: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "roster")
    public init() {}
    public func run() async throws {}
}
