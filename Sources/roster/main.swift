import ArgumentParser
import RosterCLI

await Roster.main()
