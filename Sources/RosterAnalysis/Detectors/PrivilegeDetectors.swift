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

extension Detectors {
    /// Administrators outside AWS, judged by each provider's evaluator (GCP roles and impersonation,
    /// Azure role assignments, Kubernetes RBAC). Provider families name the grant that is too broad;
    /// this names the power the identity ends up with, including through impersonation.
    public static let adminNHIOtherProviders = Detector(
        id: "nhi.admin",
        title: "Machine identity can administer its platform",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A machine identity outside AWS whose grants, as its provider's evaluator reads them, amount to administrator: "
            + "GCP owner, editor or IAM admin (also through an account it can impersonate), Azure Owner or User Access Administrator "
            + "over a subscription, Kubernetes rights that reach cluster-admin.",
        remediation: "Grant the identity the narrowest predefined or custom role at the narrowest scope its workload needs, "
            + "and remove the impersonation or binding that lifts it to administrator.",
        evaluate: { subject, _ in
            guard subject.identity.provider != .aws, subject.isGovernedNHI, subject.privilege.level == .admin else { return [] }
            return [Hit(subject.privilege.evidence)]
        })

    /// Provider-neutral detectors that judge every provider's identities.
    public static let neutralFamily: [Detector] = [adminNHIOtherProviders]
}
