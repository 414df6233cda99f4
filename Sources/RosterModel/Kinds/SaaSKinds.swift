/// Kinds the SaaS OAuth connector (Google Workspace, Microsoft Entra ID consents) adds.
extension IdentityKind {
    /// An OAuth client (a third-party or internal app) that users or an administrator let act on
    /// their behalf: `saas:google-workspace:<domain>:app:<clientId>`, `saas:entra:<tenant>:app:<appId>`.
    public static let saasOAuthApp: IdentityKind = "saas.oauth-app"
}

extension EdgeKind {
    /// A user (or, for tenant-wide admin consent, the tenant) let an app act for them with the
    /// scopes of the app's grant: from the user reference to the app.
    public static let consentedTo: EdgeKind = "saas.consented-to"
}

extension GrantVia {
    /// Delegated OAuth consent: the app may call APIs as the consenting user, within the scopes.
    public static let delegatedConsent: GrantVia = "saas.delegated-consent"
    /// An application permission (Entra app role): the app may call the API as itself, tenant-wide.
    public static let applicationPermission: GrantVia = "saas.application-permission"
}

extension GrantScope.Kind {
    /// On behalf of one user: the grant scope id is the user reference.
    public static let saasUser: GrantScope.Kind = "saas.user"
    /// For every user of the tenant or domain (admin consent, application permissions).
    public static let saasTenant: GrantScope.Kind = "saas.tenant"
}
