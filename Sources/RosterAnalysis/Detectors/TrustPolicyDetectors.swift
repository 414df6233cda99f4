import RosterModel

/// Roles that the wrong callers can assume (OWASP NHI6, NHI3).
extension Detectors {
    public static let roleTrustsEveryone = Detector(
        id: "aws.role.trust-any-principal",
        title: "Role can be assumed by any AWS account",
        severity: .critical,
        owasp: .nhi6InsecureCloudDeploymentConfigurations,
        summary: "A role whose trust policy lets in `*` (any AWS principal, in any account) without a condition on the caller's "
            + "organization, account or ARN.",
        remediation: "Name the trusted principals in the trust policy, or add a condition such as aws:PrincipalOrgID; "
            + "until then treat the role's permissions as public.",
        evaluate: { subject, _ in
            guard subject.identity.managedBy == nil, let reason = subject.trust?.everyone else { return [] }
            return [Hit([reason, "the role's permissions: \(subject.privilege.level)"])]
        })

    public static let roleTrustsUnknownAccount = Detector(
        id: "aws.role.trust-unknown-account",
        title: "Role trusts an unknown AWS account",
        severity: .high,
        owasp: .nhi3VulnerableThirdPartyNHI,
        summary: "A role that principals of another account can assume, where that account is neither in the store nor listed "
            + "in `knownAccounts`.",
        remediation: "Confirm who owns the account. If it is a vendor, record it in knownAccounts and require sts:ExternalId; "
            + "if nobody knows it, remove it from the trust policy.",
        evaluate: { subject, _ in
            guard subject.identity.managedBy == nil, let trust = subject.trust else { return [] }
            let unknown = trust.externalAccounts(own: subject.identity.account).filter { subject.knownAccounts[$0.account] == nil }
            var seen: Set<String> = []
            return unknown.compactMap { trusted in
                guard seen.insert(trusted.account).inserted else { return nil }
                return Hit([
                    "trusts \(trusted.principal) (account \(trusted.account), not in the store or knownAccounts)",
                    trusted.externalId ? "requires sts:ExternalId" : "no sts:ExternalId condition",
                    "the role's permissions: \(subject.privilege.level)",
                ])
            }
        })

    public static let roleOIDCUnscoped = Detector(
        id: "aws.role.oidc-unscoped",
        title: "OIDC role trust not scoped to a subject",
        severity: .critical,
        owasp: .nhi6InsecureCloudDeploymentConfigurations,
        summary: "A role trusting an OIDC provider (GitHub Actions, EKS, GitLab…) without a condition on the token's `sub` claim "
            + "that names a repository, project or service account, so any of the provider's callers can assume it.",
        remediation: "Add a StringEquals (or a narrow StringLike) condition on <provider>:sub, e.g. "
            + "token.actions.githubusercontent.com:sub = repo:ORG/REPO:ref:refs/heads/main, or system:serviceaccount:NAMESPACE:NAME for EKS.",
        evaluate: { subject, _ in
            guard let trust = subject.trust else { return [] }
            return trust.oidc.compactMap { oidc in
                guard let problem = oidc.problem else { return nil }
                return Hit([
                    "trusts OIDC provider \(oidc.provider) with \(problem)",
                    "any \(TrustAnalysis.subject(oidc.provider)) can assume it; the role's permissions: \(subject.privilege.level)",
                ])
            }
        })
}
