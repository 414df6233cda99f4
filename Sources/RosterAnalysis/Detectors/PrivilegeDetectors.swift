import RosterModel

/// Machine identities that can do anything (OWASP NHI5).
extension Detectors {
    public static let adminNHI = Detector(
        id: "aws.nhi.admin",
        title: "Machine identity has administrator access",
        severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A machine (or unclassified) identity whose policies, after denies and its permissions boundary, allow every action "
            + "on every resource, or let it rewrite its own permissions or take over an administrator in one IAM call.",
        remediation: "Replace the broad policy with one listing the actions and resources the workload uses "
            + "(IAM Access Analyzer can generate it from CloudTrail), or add a permissions boundary.",
        evaluate: { subject, _ in
            // Unclassified identities count as NHIs here as in inventory and metrics (IdentityNature.isNonHuman):
            // an admin role that only other accounts' principals assume is exactly what NHI governance must see.
            guard subject.identity.provider == .aws, subject.isGovernedNHI, subject.privilege.level == .admin else { return [] }
            let nature = subject.identity.nature == .machine ? "classified as a machine identity" : "not known to be used by people"
            return [Hit(subject.privilege.evidence + ["\(nature): \(subject.identity.natureReason)"])]
        })
}
