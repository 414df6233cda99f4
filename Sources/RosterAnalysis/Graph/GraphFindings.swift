public import RosterModel

/// The findings the access graph raises, declared like detectors: a path to admin, and the toxic
/// combination of a path (or admin rights) with exposure, which ranks above everything else.
public enum GraphFindings {
    public struct Rule: Sendable, Hashable {
        public let id: String
        public let title: String
        public let severity: Severity
        public let owasp: OWASPCategory
        public let summary: String
        public let remediation: String
    }

    public static let pathToAdmin = Rule(
        id: "graph.path-to-admin", title: "Can become an administrator through a chain of permissions", severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "An identity that is not an administrator can reach one (or rewrite its own rights) through the access graph's edge rules; the path, with the statement allowing every step, is the evidence.",
        remediation: "Remove the permission behind the first step (or the weakest one), or scope it to resources that lead nowhere; a Deny or a permissions boundary that blocks it also breaks the path.")

    public static let toxicCombination = Rule(
        id: "graph.toxic-combination", title: "Exposed identity with a path to administrator or sensitive resources", severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "An identity that is exposed (trusted by any principal or an unknown account, an unscoped OIDC trust, long-lived or unused keys, a console password, a leaked or shared credential) and is an administrator, can become one, or reaches secrets, KMS keys, IAM or CI/CD.",
        remediation: "Fix the exposure first (scope the trust, rotate or delete the keys), then break the path to administrator.")

    public static let all = [toxicCombination, pathToAdmin]

    /// Sensitive-resource kinds that make an exposed identity toxic even without a path to admin.
    public static let toxicSensitiveKinds: Set<String> = ["secrets", "kms", "iam", "cicd"]

    /// Findings of other rules that make an identity exposed.
    public static let exposureRules: Set<String> = [
        "aws.role.trust-any-principal", "aws.role.trust-unknown-account", "aws.role.oidc-unscoped", "aws.nhi.console-password",
        "aws.access-key.not-rotated", "aws.access-key.never-used", "aws.root.access-keys", "nhi.unused",
        "kubernetes.service-account.long-lived-token", "gcp.service-account-key.exposed", "gcp.service-account.public-impersonation",
        "gcp.service-account-key.not-rotated", "azure.client-secret.long-lived", "github.workflow.static-cloud-key",
        "gitlab.pipeline.static-cloud-key", "jenkins.aws.static-access-key", "link.credential.shared", "link.trusts-unknown-repository",
    ]

    /// Rules whose single edge to an admin node means "administrator outright", not a path.
    public static let outrightRules: Set<String> = [
        "aws.admin", "kubernetes.cluster-admin", "gcp.project-owner", "gcp.iam.set-iam-policy", "azure.owner", "azure.user-access-admin",
        "azure.role-assignment-write",
    ]

    /// The path-to-admin finding for an identity, when its shortest path has more than the outright step.
    public static func pathFinding(identity: Identity, path: [Edge], names: (String) -> String) -> Finding? {
        let steps = AccessGraph.steps(path)
        guard let last = steps.last, GraphFragment.isAdminNode(last.to) else { return nil }
        if steps.count == 1, outrightRules.contains(last.rule) { return nil }
        return Finding(
            ruleId: pathToAdmin.id, severity: pathToAdmin.severity, title: pathToAdmin.title, owasp: pathToAdmin.owasp,
            identityId: identity.id, identityName: identity.name, discriminator: last.to,
            evidence: describe(steps, names: names), remediation: pathToAdmin.remediation)
    }

    /// The toxic-combination finding, when an exposed identity is (or can become) an administrator.
    public static func toxicFinding(identity: Identity, findings: [Finding], path: [Edge]?, names: (String) -> String) -> Finding? {
        guard let path, !path.isEmpty else { return nil }
        let exposures = findings.filter { exposureRules.contains($0.ruleId) }
        guard !exposures.isEmpty else { return nil }
        let steps = AccessGraph.steps(path)
        let exposed = Array(Set(exposures.map { "exposed: \($0.title.lowercased()) (\($0.ruleId))" })).sorted()
        return Finding(
            ruleId: toxicCombination.id, severity: toxicCombination.severity, title: toxicCombination.title, owasp: toxicCombination.owasp,
            identityId: identity.id, identityName: identity.name, discriminator: steps.last?.to ?? "",
            evidence: exposed + describe(steps, names: names), remediation: toxicCombination.remediation)
    }

    /// A path as numbered sentences: who, what technique, to whom, allowed by which statements.
    public static func describe(_ steps: [Edge], names: (String) -> String) -> [String] {
        steps.enumerated().map { i, step in
            let statements = step.statements.map(\.description)
            return "step \(i + 1): \(names(step.from)) → \(names(step.to)) [\(step.rule)]: \(step.reason)"
                + (statements.isEmpty ? "" : "; allowed by " + statements.joined(separator: ", "))
                + (step.conditions.isEmpty ? "" : "; only if: " + step.conditions.joined(separator: "; "))
        }
    }
}
