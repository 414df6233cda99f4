import RosterModel

/// Ownership, human use and the root user (OWASP NHI1, NHI10, NHI5).
extension Detectors {
    public static let missingOwner = Detector(
        id: "nhi.owner.missing",
        title: "Machine identity has no owner",
        severity: .low,
        owasp: .nhi1ImproperOffboarding,
        summary: "A machine identity without an owner tag (owner, team, contact…): nobody to ask before rotating or removing it.",
        remediation: "Tag it with the owning team (for example owner=payments-team@example.com) as part of the process that creates it.",
        evaluate: { subject, _ in
            // OAuth consents never name an owner: an external app is accounted for by who consented to it.
            guard subject.isGovernedNHI, subject.identity.owner == nil, subject.identity.kind != .saasOAuthApp else { return [] }
            let keys = subject.identity.tags.keys.sorted()
            return [Hit([keys.isEmpty ? "no tags at all" : "tags present but none names an owner: \(keys.joined(separator: ", "))"])]
        })

    public static let consolePasswordOnNHI = Detector(
        id: "aws.nhi.console-password",
        title: "Machine identity has a console password",
        severity: .high,
        owasp: .nhi10HumanUseOfNHI,
        summary: "A machine identity that can also sign in to the console: people share it, and its password is one more secret.",
        remediation: "Delete the login profile (console password); give the people who use it their own federated access.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.nature == .machine, let console = identity.console, console.passwordEnabled else { return [] }
            return [Hit([
                "console password enabled, MFA \(console.mfaActive ? "active" : "not active")",
                "password last used \(Say.date(console.passwordLastUsedAt))",
                "classified as a machine identity: \(identity.natureReason)",
            ])]
        })

    /// Severity high: a password without MFA is one phished or reused password from console access
    /// (CIS AWS Foundations 1.10 for users, 1.5 for the root user); it is not critical because the
    /// password alone does not say how much the identity may do, which risk scoring weighs.
    public static let consoleWithoutMFA = Detector(
        id: "aws.user.console-without-mfa",
        title: "Console password without MFA",
        severity: .high,
        owasp: .nhi4InsecureAuthentication,
        summary: "A person's (or unclassified) identity that signs in to the console with a password alone. "
            + "A machine identity with a password is reported as aws.nhi.console-password instead, never both.",
        remediation: "Enable MFA for the user (or require it with a policy that denies everything without aws:MultiFactorAuthPresent); "
            + "better, move people to federated sign-in (IAM Identity Center) and delete the IAM password.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.nature != .machine, let console = identity.console, console.passwordEnabled, !console.mfaActive else { return [] }
            return [Hit([
                "console password enabled, no MFA device active",
                "password last used \(Say.date(console.passwordLastUsedAt))",
                identity.natureReason.isEmpty ? "classified as \(identity.nature.rawValue)" : "classified as \(identity.nature.rawValue): \(identity.natureReason)",
            ])]
        })

    public static let rootAccessKeys = Detector(
        id: "aws.root.access-keys",
        title: "Root user has access keys",
        severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "An active access key on the account's root user, whose permissions no IAM policy can limit.",
        remediation: "Delete the root user's access keys; use an IAM role for whatever used them, and keep root for the few tasks that need it.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .rootAccount else { return [] }
            return subject.activeAccessKeys.map { key in
                Hit([
                    "\(Say.key(key)) active, created \(Say.date(key.ageReference))",
                    key.lastUsedAt.map { "last used \(Say.date($0))\(key.lastUsedDetail.map { ", \($0)" } ?? "")" } ?? "no recorded use",
                ], credentialId: key.id)
            }
        })
}
