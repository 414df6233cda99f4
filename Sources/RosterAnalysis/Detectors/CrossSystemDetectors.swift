public import RosterModel

/// The checks of the cross-system link pass (``CrossSystemLinks``): declared like every detector,
/// so `roster rules` lists them, but raised once per set of imported systems rather than per identity.
public enum CrossSystemRules {
    public static let targetMissing = Detector(
        id: "link.target-missing",
        title: "Points at an identity that does not exist",
        severity: .medium,
        owasp: .nhi1ImproperOffboarding,
        summary: "A source names an identity in another system (an IRSA or GKE annotation, a workflow's role-to-assume, a CI credential), "
            + "that system is imported, and the identity is not in it: deleted or renamed, and the reference is left behind.",
        remediation: "Remove the stale reference, or point it at the identity that replaced the deleted one; "
            + "a deleted role's name can be re-created by anyone allowed to create roles, and the reference would follow it.",
        evaluate: { _, _ in [] })

    public static let notTrustedBack = Detector(
        id: "link.not-trusted-back",
        title: "Federation not trusted by the target",
        severity: .medium,
        owasp: .nhi6InsecureCloudDeploymentConfigurations,
        summary: "A workload or pipeline is configured to become an identity in another system (OIDC federation, IRSA, GKE Workload Identity, "
            + "Azure federated credentials), but the target's trust does not admit it: the login fails, or the workload falls back to other credentials.",
        remediation: "Either add the exact subject to the target's trust (a pinned `sub` condition, a workloadIdentityUser binding, a federated "
            + "credential) or remove the configuration; check what credentials the workload really uses meanwhile.",
        evaluate: { _, _ in [] })

    public static let identityAcrossEnvironments = Detector(
        id: "link.identity.cross-environment",
        title: "Identity used from another environment",
        severity: .high,
        owasp: .nhi8EnvironmentIsolation,
        summary: "An identity is reached, through verified federation or held credentials, from workloads or pipelines of another environment "
            + "than its own (a development cluster assuming a production role), or of several environments.",
        remediation: "Give each environment its own identity, and narrow the trust (subject, namespace, branch or environment) so only that environment's workloads can use it.",
        evaluate: { _, _ in [] })

    public static let credentialAcrossEnvironments = Detector(
        id: "link.credential.cross-environment",
        title: "Same credential in several environments",
        severity: .high,
        owasp: .nhi8EnvironmentIsolation,
        summary: "One credential (the same fingerprint: key id, certificate, public key) is held by identities in different environments.",
        remediation: "Issue a separate credential per environment and revoke the shared one once each environment uses its own.",
        evaluate: { _, _ in [] })

    public static let credentialShared = Detector(
        id: "link.credential.shared",
        title: "Same credential held in several places",
        severity: .medium,
        owasp: .nhi9NHIReuse,
        summary: "One credential (the same fingerprint) is held by more than one identity or system besides its owner, so its use cannot be told apart and revoking it breaks all of them.",
        remediation: "Issue one credential per consumer, move each consumer to its own, and revoke the shared one.",
        evaluate: { _, _ in [] })

    public static let trustsUnknownRepository = Detector(
        id: "link.trusts-unknown-repository",
        title: "Role trusts a repository that is not in the estate",
        severity: .low,
        owasp: .nhi3VulnerableThirdPartyNHI,
        summary: "An AWS role admits GitHub OIDC tokens of a repository of an imported organisation, but the repository is not among the imported ones "
            + "(low: the import may simply leave it out): "
            + "renamed or deleted repositories can be re-created by anyone who can take the name, and inherit the trust.",
        remediation: "If the repository is gone, remove it from the trust policy; if it exists, import it so its workflows are checked; "
            + "pin trust with the immutable `repository_id` claim where the provider supports it.",
        evaluate: { _, _ in [] })

    public static let all: [Detector] = [targetMissing, notTrustedBack, identityAcrossEnvironments, credentialAcrossEnvironments, credentialShared, trustsUnknownRepository]
}

extension Detector {
    /// A finding of this detector on `identity`, outside the per-identity pass.
    public func finding(on identity: Identity, credential: String? = nil, discriminator: String = "", evidence: [String]) -> Finding {
        Finding(
            ruleId: id, severity: severity, title: title, owasp: owasp, identityId: identity.id, identityName: identity.name,
            credentialId: credential, discriminator: discriminator, evidence: evidence, remediation: remediation)
    }
}
