/// Kinds the Azure (Entra ID and Azure RBAC) connector adds. The service principal and managed
/// identity kinds (`azure.service-principal`, `azure.managed-identity`) are declared with the model.
extension IdentityKind {
    /// An app registration with no service principal in the tenant: it can hold secrets and
    /// federated credentials, but acts only where a service principal of it exists.
    public static let azureApplication: IdentityKind = "azure.application"
    /// A principal that Azure role assignments still name but that no longer exists in Entra ID.
    ///
    /// Kept only so its orphaned assignments can be reported; object ids are never reused, so the
    /// assignments grant nothing to anyone.
    public static let azureDeletedPrincipal: IdentityKind = "azure.deleted-principal"
}

extension GrantScope.Kind {
    /// An Azure management group (`/providers/Microsoft.Management/managementGroups/<id>`), or the
    /// tenant root group (`/`): everything beneath it inherits the assignment.
    public static let managementGroup: GrantScope.Kind = "management-group"
}

extension CredentialFingerprint.Namespace {
    /// The `keyId` of an Entra ID certificate credential (public, unlike the private key it names).
    public static let azureCertificateKeyId: CredentialFingerprint.Namespace = "azure.certificate-key-id"
}
