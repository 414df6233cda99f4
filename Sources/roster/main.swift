import RosterCLI

await Roster.start()
