public import Foundation
public import RosterModel

extension DetectionPolicy {
    /// A secret or certificate expiring within this many days must be replaced now.
    ///
    /// Not yet a setting of its own: `roster.json` cannot change it (a request to the lead).
    public var credentialExpiryWarningDays: Int { 30 }
    /// A client secret valid for longer than this many days is long-lived (Microsoft's portal
    /// offers at most 24 months and recommends under 12; the CLI and Graph allow any end date).
    public var maxClientSecretLifetimeDays: Int { 365 }
}

extension Detectors {
    /// The Azure detectors.
    public static let azureFamily: [Detector] = [
        azureCredentialExpired, azureCredentialExpiring, azureClientSecretLongLived, azurePrivilegedRoleBroadScope, azureAssignmentToDeletedPrincipal,
    ]

    /// Severity low: an expired secret cannot sign in, so it is clutter, not exposure; but it hides
    /// which secret is live and shows the app's credentials are not looked after (OWASP NHI1:
    /// credentials no longer needed are not removed).
    public static let azureCredentialExpired = Detector(
        id: "azure.credential.expired",
        title: "Expired secret or certificate left on an app",
        severity: .low,
        owasp: .nhi1ImproperOffboarding,
        summary: "A client secret or certificate whose end date has passed but which is still on the app registration or service principal.",
        remediation: "Delete it (`az ad app credential delete --id APPID --key-id KEYID [--cert]`); if the app still needs to sign in, "
            + "make sure a live credential (better: a federated credential or a managed identity) replaced it.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI else { return [] }
            return subject.azureCredentials.compactMap { credential in
                guard let end = credential.expiresAt, end <= subject.now else { return nil }
                return Hit([
                    "\(Say.azureCredential(credential)) expired \(Say.date(end)), \(Say.days(subject.days(since: end))) before \(Say.date(subject.now))",
                    "it can no longer sign in, but it is still listed on \(subject.identity.name)",
                ], credentialId: credential.id)
            }
        })

    /// Severity medium: when it expires, whatever signs in with it stops working, and rushed
    /// rotations are how secrets end up pasted into tickets and chats (OWASP NHI7).
    public static let azureCredentialExpiring = Detector(
        id: "azure.credential.expiring",
        title: "Secret or certificate expires soon with no replacement",
        severity: .medium,
        owasp: .nhi7LongLivedSecrets,
        summary: "A client secret or certificate that expires within 30 days (`credentialExpiryWarningDays`) while the app has no other "
            + "credential of the same kind valid beyond that: the rotation has not started.",
        remediation: "Add the new credential now, move the workload to it, then delete the old one; better, replace the secret with a "
            + "federated credential (GitHub Actions, Kubernetes) or a managed identity so nothing needs rotating.",
        evaluate: { subject, policy in
            guard subject.isGovernedNHI else { return [] }
            let horizon = subject.now.addingTimeInterval(Double(policy.credentialExpiryWarningDays) * 86_400)
            let credentials = subject.azureCredentials
            return credentials.compactMap { credential in
                guard let end = credential.expiresAt, end > subject.now, end <= horizon else { return nil }
                // A newer credential of the same kind that outlives the window means the rotation is under way.
                let replaced = credentials.contains { $0.id != credential.id && $0.kind == credential.kind && ($0.expiresAt ?? .distantFuture) > horizon }
                guard !replaced else { return nil }
                return Hit([
                    "\(Say.azureCredential(credential)) expires \(Say.date(end)), in \(Say.days(subject.now.days(until: end)))",
                    "no other \(credential.kind == .certificate ? "certificate" : "client secret") of \(subject.identity.name) is valid after \(Say.date(horizon))",
                ], credentialId: credential.id)
            }
        })

    /// Severity medium, high past two years: a client secret is a password that software stores;
    /// the longer it is valid, the longer a copy leaked anywhere keeps working (OWASP NHI7).
    public static let azureClientSecretLongLived = Detector(
        id: "azure.client-secret.long-lived",
        title: "Client secret valid for more than a year",
        severity: .medium,
        owasp: .nhi7LongLivedSecrets,
        summary: "A live client secret whose validity (endDateTime − startDateTime) exceeds `maxClientSecretLifetimeDays` (365); "
            + "high when it exceeds two years. Certificates are not judged by lifetime: their private key never leaves the workload.",
        remediation: "Replace the secret with a federated identity credential or a managed identity; if a secret is unavoidable, "
            + "create it with an end date within 6 to 12 months (`az ad app credential reset --append --years 1` is the longest to allow).",
        evaluate: { subject, policy in
            guard subject.isGovernedNHI else { return [] }
            return subject.azureCredentials.compactMap { credential in
                guard credential.kind == .clientSecret, let start = credential.createdAt, let end = credential.expiresAt, end > subject.now else { return nil }
                let lifetime = start.days(until: end)
                guard lifetime > policy.maxClientSecretLifetimeDays else { return nil }
                return Hit([
                    "\(Say.azureCredential(credential)) is valid from \(Say.date(start)) to \(Say.date(end)): \(Say.days(lifetime)) (limit \(policy.maxClientSecretLifetimeDays))",
                    "\(Say.days(subject.now.days(until: end))) of validity remain",
                ], credentialId: credential.id, severity: lifetime > 2 * 365 ? .high : nil)
            }
        })

    /// Severity critical for roles that grant access (Owner, User Access Administrator) at a
    /// subscription, management group or the root: whoever holds the app's secret can give
    /// anyone anything there. High for Contributor there: every resource, though not access.
    public static let azurePrivilegedRoleBroadScope = Detector(
        id: "azure.role.privileged-broad-scope",
        title: "Service principal or managed identity has a privileged role on a whole subscription",
        severity: .critical,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A service principal, managed identity or app holding Owner, User Access Administrator (or another role that can grant access "
            + "or allows every action) at a subscription, management group or the tenant root (critical), or Contributor there (high).",
        remediation: "Assign a narrower role at the resource group or resource the workload manages (for deployments: Contributor on its "
            + "resource group; for access grants: Role Based Access Control Administrator with a condition limiting the roles it may assign).",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, subject.identity.provider == .azure else { return [] }
            var evidence: [String] = []
            var severity: Severity?
            for granted in subject.grants where granted.grant.via == .binding && AzureRoleMeaning.isBroad(granted.grant.scope) {
                guard let policy = granted.policy, case .azureRole(let permissions) = policy.body else { continue }
                let verdict = AzureRoleMeaning.judge(role: policy.name, permissions, scope: granted.grant.scope)
                let everyResource = permissions.actions.contains("*")
                let hit: Severity? = verdict.level == .admin ? .critical : (verdict.level == .write && everyResource ? .high : nil)
                guard let hit else { continue }
                severity = max(severity ?? hit, hit)
                evidence.append(verdict.sentence + (granted.grant.condition.map { " (condition: \($0.prefix(200)))" } ?? ""))
            }
            guard let severity else { return [] }
            return [Hit(evidence + [Say.azureAuthentication(subject)], severity: severity)]
        })

    /// Severity low: object ids are never reused, so the assignment grants nothing today; it is
    /// offboarding left half done (OWASP NHI1), and noise in every access review.
    public static let azureAssignmentToDeletedPrincipal = Detector(
        id: "azure.role-assignment.deleted-principal",
        title: "Role assignment of a deleted principal",
        severity: .low,
        owasp: .nhi1ImproperOffboarding,
        summary: "Azure role assignments whose principal no longer exists in Entra ID (principalType Unknown, or no principalName "
            + "while az could resolve other names): what deleting the identity left behind.",
        remediation: "Delete the assignments (`az role assignment delete --ids ASSIGNMENT_ID`), and delete assignments before the "
            + "identity when decommissioning one.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .azureDeletedPrincipal else { return [] }
            let roles = subject.grants.filter { $0.grant.via == .binding }.map { granted in
                "\(granted.policy?.name ?? granted.grant.policyId) at \(AzureRoleMeaning.place(granted.grant.scope))"
            }
            guard !roles.isEmpty else { return [] }
            return [Hit(["\(roles.count) role assignment(s) still name it: " + roles.sorted().joined(separator: "; "), subject.identity.natureReason])]
        })
}

extension Subject {
    /// The identity's client secrets and certificates.
    var azureCredentials: [Credential] { credentials.filter { $0.kind == .clientSecret || $0.kind == .certificate } }
}

extension Say {
    static func azureCredential(_ credential: Credential) -> String {
        "\(credential.kind == .certificate ? "certificate" : "client secret") \(credential.preview ?? credential.id)"
    }

    /// How the identity signs in, for evidence next to what it may do.
    static func azureAuthentication(_ subject: Subject) -> String {
        if subject.identity.kind == .azureManagedIdentity { return "a managed identity: Azure issues its tokens; no secret to leak" }
        let live = subject.azureCredentials.filter { ($0.expiresAt ?? .distantFuture) > subject.now }
        let federated = subject.grants.contains { $0.grant.via == .trust }
        var parts: [String] = []
        if !live.isEmpty {
            parts.append(live.map { "\(azureCredential($0)) valid to \(date($0.expiresAt))" }.sorted().joined(separator: ", "))
        }
        if federated { parts.append("federated credentials") }
        return parts.isEmpty ? "no live secret or certificate in the export" : "signs in with " + parts.joined(separator: " and ")
    }
}
