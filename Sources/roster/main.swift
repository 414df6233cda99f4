import ArgumentParser
import RosterCLI

Roster.main()
