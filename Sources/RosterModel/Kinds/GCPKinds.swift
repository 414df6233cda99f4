/// The kinds of credential Google Cloud service accounts hold.
///
/// A service account has two sets of key pairs. User-managed keys are created (or uploaded) by
/// people, their private half leaves Google, and nobody rotates them but their owner: these are
/// the long-lived secrets NHI governance is about. System-managed keys are Google's: Google keeps
/// the private half, uses it to sign for at most two weeks and rotates it on its own, so they are
/// kept for the inventory under a kind of their own that no key-hygiene check counts.
///
/// For example:
/// ```swift
/// credential.kind == .gcpServiceAccountKey   // a user-managed key somebody holds
/// ```
extension CredentialKind {
    /// A user-managed service account key (`keyType` `USER_MANAGED`): created with
    /// `gcloud iam service-accounts keys create` or uploaded; its holder must rotate it.
    public static let gcpServiceAccountKey: CredentialKind = "gcp.service-account-key"
    /// A Google-managed key (`keyType` `SYSTEM_MANAGED`): Google holds and rotates it.
    public static let gcpSystemManagedKey: CredentialKind = "gcp.system-managed-key"
}
