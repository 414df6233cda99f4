public import ArgumentParser
public import RosterModel

// Model enums parse straight from the command line by their raw values.
extension Severity: ExpressibleByArgument {}
extension IdentityKind: ExpressibleByArgument {}
extension IdentityNature: ExpressibleByArgument {}
extension Provider: ExpressibleByArgument {}
