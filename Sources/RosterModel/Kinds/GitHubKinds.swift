extension IdentityKind {
    /// A GitHub Actions workflow file, the machine identity its jobs run as (`github:<owner>/<repo>/.github/workflows/<file>`).
    public static let githubWorkflow: IdentityKind = "github.workflow"
    /// A repository deploy key: an SSH key that is itself the principal (`github:<owner>/<repo>/deploy-keys/<id>`).
    public static let githubDeployKey: IdentityKind = "github.deploy-key"
    /// A GitHub App installed on an organisation or user account (`github:<account>/apps/<app slug>`).
    public static let githubAppInstallation: IdentityKind = "github.app-installation"
}

extension PolicyBody {
    /// `.other` content type of a workflow's token permissions, triggers and per-job secrets and cloud sign-ins.
    public static let githubWorkflowType = "github.workflow-permissions"
    /// `.other` content type of a deploy key's access: `{"repository", "access": "read"|"write"}`.
    public static let githubDeployKeyType = "github.deploy-key-access"
    /// `.other` content type of an App installation's permissions: `{"repository_selection", "permissions": {scope: level}}`.
    public static let githubAppType = "github.app-permissions"
}
