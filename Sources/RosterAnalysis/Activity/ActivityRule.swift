public import RosterModel

/// One activity check, declared as a value: what it finds, how bad, which OWASP category, what
/// to do. ``ActivityAnalysis`` evaluates them against usage and baselines.
///
/// Ids start with `activity.`, so `roster findings --rule 'activity.*'` separates what
/// identities did from what they may do.
public struct ActivityRule: Sendable, Identifiable, Hashable {
    public let id: String
    public let title: String
    public let severity: Severity
    public let owasp: OWASPCategory
    /// What the rule looks for, as a sentence, for `roster rules`.
    public let summary: String
    public let remediation: String

    public init(id: String, title: String, severity: Severity, owasp: OWASPCategory, summary: String, remediation: String) {
        self.id = id
        self.title = title
        self.severity = severity
        self.owasp = owasp
        self.summary = summary
        self.remediation = remediation
    }

    /// The finding for one identity; its id depends on the rule and the identity only, so the same
    /// problem keeps its id from one import to the next.
    func finding(_ identity: Identity, _ evidence: [String], credentialId: String? = nil, severity: Severity? = nil) -> Finding {
        let owner = identity.owner.map { ["owner: \($0)"] } ?? []
        return Finding(
            ruleId: id, severity: severity ?? self.severity, title: title, owasp: owasp, identityId: identity.id, identityName: identity.name,
            credentialId: credentialId, subject: .identity(identity.id), evidence: evidence + owner, remediation: remediation)
    }
}

/// The activity rules.
public enum ActivityRules {
    public static let all: [ActivityRule] = [humanUse, concurrentNetworks, newNetwork, dormantWakes, enumeration, grantedUnused]

    public static let humanUse = ActivityRule(
        id: "activity.human-use", title: "Person using a machine identity", severity: .high, owasp: .nhi10HumanUseOfNHI,
        summary: "A machine identity signed in to the console, switched into from the console, called from the console, "
            + "or driven by an interactive CLI (aws-cli, kubectl, Terraform) on macOS or Windows.",
        remediation: "Give the person their own federated identity with MFA and the access they need; rotate the machine "
            + "identity's credentials, since a person has held them, and remove console access from it.")

    public static let concurrentNetworks = ActivityRule(
        id: "activity.concurrent-networks", title: "Machine identity used from two networks at once", severity: .high,
        owasp: .nhi9NHIReuse,
        summary: "The same identity (or the same access key, or role session) called from two networks (different /16 or IPv6 /32) "
            + "within `concurrentMinutes` (default 10), one of them outside its baseline: shared or stolen credentials.",
        remediation: "Find who holds the credential in the unexpected network; if it is not the workload, revoke the sessions and rotate "
            + "the keys. Give each environment its own identity and restrict use with aws:SourceIp or aws:SourceVpc conditions.")

    public static let newNetwork = ActivityRule(
        id: "activity.new-network", title: "Machine identity used from a new network", severity: .medium, owasp: .nhi8EnvironmentIsolation,
        summary: "A call from a public network whose /24 (IPv6 /48) and /16 (IPv6 /32) never appeared in the identity's baseline "
            + "(default 30 days); needs `minBaselineDays` (default 3) of history.",
        remediation: "Confirm the new location with the owner; if it is not a deployment they made, revoke the identity's sessions and "
            + "rotate its credentials. Pin the identity to its networks with aws:SourceIp or aws:SourceVpce conditions.")

    public static let dormantWakes = ActivityRule(
        id: "activity.dormant-wakes", title: "Dormant machine identity became active", severity: .high, owasp: .nhi1ImproperOffboarding,
        summary: "An identity with no activity for `dormantDays` (default 90) days, in its usage or across the logs' coverage, used again.",
        remediation: "Ask the owner whether the use is expected; if not, disable the identity and rotate its credentials. "
            + "Offboard identities when their workload is retired.")

    public static let enumeration = ActivityRule(
        id: "activity.enumeration", title: "Enumeration burst by a machine identity", severity: .high, owasp: .nhi5OverprivilegedNHI,
        summary: "At least `enumerationActions` (default 20) distinct List/Describe/Get actions new to the identity, across "
            + "`enumerationServices` (default 3) services within `enumerationMinutes` (default 60), on a day with an AccessDenied spike.",
        remediation: "Treat the credential as compromised: revoke its sessions, rotate its keys, and review what the successful calls "
            + "returned. Narrow its permissions to what it uses (`roster policy suggest`).")

    public static let grantedUnused = ActivityRule(
        id: "activity.granted-unused", title: "Permissions granted but not used", severity: .medium, owasp: .nhi5OverprivilegedNHI,
        summary: "Granted actions (or wildcards broader than the actions used) that the identity did not use in the window.",
        remediation: "Replace the identity's policies with the suggested one (`roster policy suggest ID`), which allows what it used "
            + "on the resources it used them on.")
}

/// The numbers activity rules judge by, with defaults.
public struct ActivityThresholds: Sendable, Hashable, Codable {
    public var concurrentMinutes = 10
    public var minBaselineDays = 3
    public var dormantDays = 90
    public var enumerationActions = 20
    public var enumerationServices = 3
    public var enumerationMinutes = 60
    /// Refused calls in a day that count as a spike: at least this many …
    public var deniedSpikeMinimum = 10
    /// … and more than this many times the baseline's typical day.
    public var deniedSpikeFactor = 3
    /// Events cited per evidence sentence.
    public var citedEvents = 3

    public init() {}
}
