/// The Kubernetes kinds of credential, edge and fingerprint, namespaced `kubernetes.`
/// (the service account kind itself, `kubernetes.service-account`, is in ``IdentityKind``).
extension CredentialKind {
    /// A Secret of type `kubernetes.io/service-account-token`: a token that never expires, valid until the Secret is deleted.
    public static let kubernetesServiceAccountToken: CredentialKind = "kubernetes.service-account-token"
}

extension EdgeKind {
    /// A workload (pod, deployment, daemon set, job…) runs as a service account: its pods hold the account's tokens
    /// when they are mounted, and whoever controls the workload acts as the account.
    public static let kubernetesRunsAs: EdgeKind = "kubernetes.runs-as"
    /// A RoleBinding or ClusterRoleBinding names a subject (a service account, or a group of them): the edge goes
    /// from the binding to the subject, so an identity's bindings can be named in evidence.
    public static let kubernetesBinds: EdgeKind = "kubernetes.binds"
}

extension CredentialFingerprint.Namespace {
    /// SHA-256 of a service account token (the JWT as the API server issued it, after base64 decoding the Secret's `data.token`).
    public static let kubernetesServiceAccountToken: CredentialFingerprint.Namespace = "kubernetes.service-account-token"
}
