import RosterModel

/// The rules Roster ships, by family. Users add their own with a rules file
/// (``SecretRulesFile``), in Roster's format or gitleaks'.
public enum SecretRules {
    public static var all: [SecretRule] {
        aws + keys + gcpKeyFile + cloud + infra + registry + sourceControl + saas + generic
    }
}
