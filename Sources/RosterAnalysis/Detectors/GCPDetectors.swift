public import RosterModel

/// Google Cloud service accounts: user-managed keys (OWASP NHI7, NHI2), basic and project-wide
/// impersonation roles (NHI5), and IAM policies that let too many callers act as an account (NHI6).
///
/// The provider-neutral detectors cover GCP too: `nhi.owner.missing` (an owner comes from an
/// `owner: …` in the account's description or the project's `owner`/`team` labels) and
/// `nhi.unused`, which stays silent because gcloud's exports do not say when an account was last
/// used (`usageTracked` is false).
extension Detectors {
    /// The GCP detectors.
    public static let gcpFamily: [Detector] = [
        gcpUserManagedKeys, gcpKeyNotRotated, gcpKeyExposed, gcpBasicRole, gcpProjectWideImpersonation, gcpPublicImpersonation,
        gcpFederationPoolWide,
    ]

    public static let gcpUserManagedKeys = Detector(
        id: "gcp.service-account-key.user-managed",
        title: "Service account has user-managed keys",
        severity: .medium,
        owasp: .nhi7LongLivedSecrets,
        summary: "An enabled service account with an active user-managed key: a private key that was downloaded (or uploaded), lives outside "
            + "Google and works until someone deletes it. System-managed keys are Google's and are never counted; keys of a disabled account cannot be used.",
        remediation: "Run the workload as an attached service account (Compute Engine, Cloud Run, GKE Workload Identity) or, outside Google Cloud, "
            + "through workload identity federation; then delete the key, and enforce the organization policy constraint "
            + "iam.disableServiceAccountKeyCreation so no new ones appear.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI, !GCPSubject.isDisabled(subject) else { return [] }
            let keys = GCPSubject.activeUserManagedKeys(subject)
            guard !keys.isEmpty else { return [] }
            var evidence = keys.map { key in
                "key \(key.preview ?? key.id) created \(Say.date(key.createdAt))\(GCPSubject.origin(of: key, in: subject)), "
                    + (key.expiresAt.map { "expires \(Say.date($0))" } ?? "never expires")
            }
            if GCPSubject.trustBindings(subject).contains(where: { $0.isWorkloadIdentity }) {
                evidence.append("workloads already reach the account through workload identity, so the keys are probably left over")
            }
            return [Hit(evidence)]
        })

    public static let gcpKeyNotRotated = Detector(
        id: "gcp.service-account-key.not-rotated",
        title: "Service account key not rotated",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "An active user-managed key of an enabled service account older than `maxKeyAgeDays` (default 90) days.",
        remediation: "Create a new key, move the workload to it, disable the old key and delete it once nothing breaks; better, replace the key "
            + "with an attached service account or workload identity federation. The constraint iam.serviceAccountKeyExpiryHours makes new keys expire.",
        evaluate: { subject, policy in
            guard subject.isGovernedNHI, !GCPSubject.isDisabled(subject) else { return [] }
            return GCPSubject.activeUserManagedKeys(subject).compactMap { key in
                guard let created = key.createdAt else { return nil }
                let age = subject.days(since: created)
                guard age > policy.maxKeyAgeDays else { return nil }
                return Hit([
                    "key \(key.preview ?? key.id) created \(Say.date(created)), \(Say.days(age)) old (limit \(policy.maxKeyAgeDays))"
                        + GCPSubject.origin(of: key, in: subject),
                    key.expiresAt.map { "expires \(Say.date($0))" } ?? "never expires",
                ], credentialId: key.id)
            }
        })

    public static let gcpKeyExposed = Detector(
        id: "gcp.service-account-key.exposed",
        title: "Service account key found exposed",
        severity: .critical,
        owasp: .nhi2SecretLeakage,
        summary: "A user-managed key that Google detected as exposed (typically in a public repository) or used by an attacker: its "
            + "`disableReason` or `extendedStatus` says so. Google disables such keys, but the account may have been used with it already.",
        remediation: "Delete the key (a disabled key can be re-enabled), review the account's activity in Cloud Audit Logs since the key was created, "
            + "remove the key file from wherever it was published, and move the workload off keys.",
        evaluate: { subject, _ in
            subject.credentials.compactMap { key in
                guard key.kind == .gcpServiceAccountKey, let attributes = subject.index?.resourcesById[key.id]?.attributes else { return nil }
                let reason = attributes["disableReason"] ?? ""
                let exposed = reason.hasSuffix("_EXPOSED") || reason.hasSuffix("_COMPROMISE_DETECTED") || attributes["extendedStatus"] != nil
                guard exposed else { return nil }
                var evidence = ["key \(key.preview ?? key.id) created \(Say.date(key.createdAt)), now \(key.status.rawValue)"]
                if !reason.isEmpty { evidence.append("disableReason \(reason)") }
                if let status = attributes["extendedStatus"] { evidence.append("extendedStatus \(status)") }
                return Hit(evidence, credentialId: key.id)
            }
        })

    public static let gcpBasicRole = Detector(
        id: "gcp.service-account.basic-role",
        title: "Service account has a basic role",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A customer-governed service account (the Compute Engine and App Engine default accounts included) granted roles/editor or "
            + "roles/owner on a project: access to nearly every service, and through iam.serviceAccounts.actAs and key creation to every other "
            + "account of the project. Owner is critical. Google's service agents are not governed here.",
        remediation: "Grant the predefined roles the workload needs instead (IAM Recommender lists what it used), then remove the basic role. "
            + "For default accounts, enforce the organization policy constraint iam.automaticIamGrantsForDefaultServiceAccounts and run workloads as "
            + "dedicated service accounts.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI else { return [] }
            let email = subject.identity.name
            return subject.grants.compactMap { granted in
                let role = GCPPrivilege.roleName(granted)
                guard granted.grant.via == .binding, GCPPrivilege.basicRoles.contains(role), granted.grant.scope?.kind == .project else { return nil }
                var evidence = ["\(role) \(GCPPrivilege.scopeText(granted.grant))" + (granted.grant.condition.map { " under the condition \($0.prefix(200))" } ?? "")]
                if let summary = GCPPrivilege.roles[role]?.summary { evidence.append("\(role) allows: \(summary)") }
                if email.hasSuffix("-compute@developer.gserviceaccount.com") {
                    evidence.append("the Compute Engine default service account gets roles/editor when the Compute Engine API is enabled, unless "
                        + "iam.automaticIamGrantsForDefaultServiceAccounts is enforced; every VM and GKE node created without another account runs with it")
                } else if email.hasSuffix("@appspot.gserviceaccount.com") {
                    evidence.append("the App Engine default service account gets roles/editor when App Engine is set up, unless "
                        + "iam.automaticIamGrantsForDefaultServiceAccounts is enforced")
                }
                if GCPSubject.isDisabled(subject) { evidence.append("the account is disabled; the binding applies again if it is enabled") }
                return Hit(evidence, severity: role == "roles/owner" ? .critical : nil)
            }
        })

    public static let gcpProjectWideImpersonation = Detector(
        id: "gcp.service-account.project-wide-impersonation",
        title: "Service account can impersonate every account of a project",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A service account granted Service Account Token Creator, User, Key Admin, Admin or Workload Identity User on a whole project "
            + "rather than on the one account it needs: it can act as every service account there, the most privileged included.",
        remediation: "Grant the role on the service account that is to be impersonated (gcloud iam service-accounts add-iam-policy-binding), "
            + "then remove the project-level binding.",
        evaluate: { subject, _ in
            guard subject.isGovernedNHI else { return [] }
            return subject.grants.compactMap { granted in
                let role = GCPPrivilege.roleName(granted)
                guard granted.grant.via == .binding, GCPPrivilege.impersonates(role), let scope = granted.grant.scope, scope.kind == .project else {
                    return nil
                }
                var evidence = ["\(role) on project \(scope.id)" + (granted.grant.condition.map { " under the condition \($0.prefix(200))" } ?? "")]
                if let index = subject.index {
                    let targets = GCPPrivilege.reachableAccounts(granted.grant, from: subject.identity, index: index)
                    let ranked = targets.map { ($0, GCPPrivilege.directLevel(of: $0, index: index)) }.sorted { ($0.1.level, $1.0.id) > ($1.1.level, $0.0.id) }
                    evidence.append("it can act as the \(targets.count) other service account\(targets.count == 1 ? "" : "s") of the project in the export"
                        + (ranked.first.map { ", the most privileged being \($0.0.name) (\($0.1.level): \($0.1.evidence))" } ?? ""))
                }
                return Hit(evidence)
            }
        })

    public static let gcpPublicImpersonation = Detector(
        id: "gcp.service-account.public-impersonation",
        title: "Anyone can act as the service account",
        severity: .critical,
        owasp: .nhi6InsecureCloudDeploymentConfigurations,
        summary: "A service account whose IAM policy (or its project's) grants a role that acts as it to allUsers, allAuthenticatedUsers "
            + "(any Google account) or a whole domain.",
        remediation: "Remove the binding and grant the role to the service accounts, groups or federated identities that need it; "
            + "domain restricted sharing (iam.allowedPolicyMemberDomains) keeps public members out of IAM policies.",
        evaluate: { subject, _ in
            guard subject.identity.managedBy == nil else { return [] }
            return GCPSubject.trustBindings(subject).compactMap { binding in
                guard GCPPrivilege.impersonates(binding.role) else { return nil }
                let broad = binding.members.filter { $0 == "allUsers" || $0 == "allAuthenticatedUsers" || $0.hasPrefix("domain:") }
                guard !broad.isEmpty else { return nil }
                return Hit([
                    "\(binding.role) granted to \(broad.joined(separator: ", ")) \(binding.source)" + (binding.condition.map { " under the condition \($0)" } ?? ""),
                    "the account's access: \(subject.privilege.level)",
                ])
            }
        })

    public static let gcpFederationPoolWide = Detector(
        id: "gcp.service-account.federation-pool-wide",
        title: "Every identity of a workload identity pool can act as the service account",
        severity: .high,
        owasp: .nhi6InsecureCloudDeploymentConfigurations,
        summary: "A service account that a whole workload identity pool (`principalSet://…/workloadIdentityPools/POOL/*`) may impersonate: every "
            + "identity any provider of the pool accepts (for a GitHub provider, possibly every repository) rather than one repository or subject.",
        remediation: "Grant roles/iam.workloadIdentityUser to the narrowest principal set, e.g. …/attribute.repository/ORG/REPO, "
            + "and give the pool's providers an attribute condition.",
        evaluate: { subject, _ in
            guard subject.identity.managedBy == nil else { return [] }
            return GCPSubject.trustBindings(subject).flatMap { binding -> [Hit] in
                guard GCPPrivilege.impersonates(binding.role) else { return [] }
                return binding.members.filter { $0.hasPrefix("principalSet://") && $0.hasSuffix("/*") }.map { member in
                    var evidence = ["\(binding.role) granted to \(member) \(binding.source)"]
                    let pool = member.dropLast(2)
                    let providers = (subject.index?.resourcesById.values ?? [:].values).filter {
                        $0.type == "gcp.iam.workload-identity-provider" && $0.attributes["pool"].map { pool.hasSuffix("/workloadIdentityPools/\($0)") } == true
                    }
                    for provider in providers.sorted(by: { $0.id < $1.id }) {
                        evidence.append("provider \(provider.name) (\(provider.attributes["issuer"] ?? "?")) accepts "
                            + (provider.attributes["attributeCondition"].map { "tokens where \($0)" } ?? "every token its issuer signs (no attribute condition)"))
                    }
                    evidence.append("the account's access: \(subject.privilege.level)")
                    return Hit(evidence)
                }
            }
        })
}

/// Reading GCP facts off a detector subject.
enum GCPSubject {
    /// One binding of an account's trust policy (its IAM policy, and the project bindings it inherits).
    struct TrustBinding {
        var role: String
        var members: [String]
        var condition: String?
        var inheritedFrom: String?

        /// "on the account's own IAM policy" or "on project p (inherited)", for evidence.
        var source: String {
            guard let from = inheritedFrom else { return "on the account" }
            return "on " + (from.hasPrefix("projects/") ? "project \(from.dropFirst("projects/".count))" : from) + ", so on every account in it"
        }

        /// Whether a Kubernetes service account or federated identities may act as the account.
        var isWorkloadIdentity: Bool {
            GCPPrivilege.impersonates(role) && members.contains { $0.hasPrefix("principal") || ($0.hasPrefix("serviceAccount:") && $0.contains(".svc.id.goog[")) }
        }
    }

    static func isDisabled(_ subject: Subject) -> Bool { subject.identity.tags["gcp:disabled"] == "true" }

    static func activeUserManagedKeys(_ subject: Subject) -> [Credential] {
        subject.credentials.filter { $0.kind == .gcpServiceAccountKey && $0.status == .active }.sorted { $0.id < $1.id }
    }

    /// ", uploaded" for a key whose public half was uploaded (its creation date is then the certificate's start).
    static func origin(of key: Credential, in subject: Subject) -> String {
        subject.index?.resourcesById[key.id]?.attributes["keyOrigin"] == "USER_PROVIDED" ? " (uploaded; the date is its certificate's start)" : ""
    }

    /// The bindings of the account's `gcp.iam-policy` trust policy.
    static func trustBindings(_ subject: Subject) -> [TrustBinding] {
        subject.grants.filter { $0.grant.via == .trust }.flatMap { granted -> [TrustBinding] in
            guard case .other("gcp.iam-policy", .object(let content))? = granted.policy?.body, case .array(let bindings)? = content["bindings"] else { return [] }
            return bindings.compactMap { value in
                guard case .object(let binding) = value, case .string(let role)? = binding["role"] else { return nil }
                var members: [String] = []
                if case .array(let list)? = binding["members"] {
                    for case .string(let member) in list { members.append(member) }
                }
                var condition: String?
                if case .object(let fields)? = binding["condition"], case .string(let expression)? = fields["expression"] { condition = expression }
                var inherited: String?
                if case .string(let from)? = binding["inheritedFrom"] { inherited = from }
                return TrustBinding(role: role, members: members, condition: condition, inheritedFrom: inherited)
            }
        }
    }
}
