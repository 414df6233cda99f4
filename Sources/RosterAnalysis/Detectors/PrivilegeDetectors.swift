import RosterModel

/// Machine identities that can do anything (OWASP NHI5).
extension Detectors {
    public static let adminNHI = Detector(
        id: "aws.nhi.admin",
        title: "Machine identity has administrator access",
        severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A machine identity whose policies, after denies and its permissions boundary, allow every action on every resource, "
            + "or let it rewrite IAM and so grant itself anything.",
        remediation: "Replace the broad policy with one listing the actions and resources the workload uses "
            + "(IAM Access Analyzer can generate it from CloudTrail), or add a permissions boundary.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, subject.privilege.level == .admin else { return [] }
            // An unclassified role might be a people's role; only call it an NHI when it is a user or clearly machine-used.
            guard subject.identity.nature == .machine || subject.identity.kind == .iamUser else { return [] }
            return [Hit(subject.privilege.evidence + ["classified as a machine identity: \(subject.identity.natureReason)"])]
        })
}
