public import ArgumentParser
public import RosterModel

// Model enums parse straight from the command line by their raw values.
extension Severity: ExpressibleByArgument {}
extension IdentityKind: ExpressibleByArgument {}
extension IdentityNature: ExpressibleByArgument {}
extension Provider: ExpressibleByArgument {}

/// Kinds and providers are open (a newer Roster may write others), but a typo in a filter should not
/// silently match nothing: a value this build does not know must be namespaced, as every new kind is.
enum FilterCheck {
    static func provider(_ provider: Provider?) throws {
        if let provider, !Provider.known.contains(provider) {
            throw ValidationError("unknown provider \(Sanitize.text(provider.rawValue)); known: \(Provider.known.map(\.rawValue).joined(separator: ", "))")
        }
    }

    static func kind(_ kind: IdentityKind?) throws {
        if let kind, !IdentityKind.known.contains(kind), kind.namespace == nil {
            throw ValidationError("unknown kind \(Sanitize.text(kind.rawValue)); known: \(IdentityKind.known.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
