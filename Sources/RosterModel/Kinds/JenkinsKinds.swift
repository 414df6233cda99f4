/// The kinds the Jenkins connector maps `credentials.xml` to.
///
/// Each credential in a controller's system store is an identity of its own
/// (``IdentityKind/jenkinsCredential``): it is the principal jobs authenticate as in the system
/// it opens, with its own id, description and scope. The secret it holds is a ``Credential``; the
/// kinds below name secrets no provider-neutral kind describes.
extension IdentityKind {
    /// A credential stored on a Jenkins controller (`jenkins:<controller>/system/<domain>/<id>`).
    public static let jenkinsCredential: IdentityKind = "jenkins.credential"
}

extension CredentialKind {
    /// A Jenkins "Secret text" credential (`StringCredentialsImpl`): a token or API key of some other system.
    public static let jenkinsSecretText: CredentialKind = "jenkins.secret-text"
    /// A Jenkins "Secret file" credential (`FileCredentialsImpl`): a whole file (kubeconfig, key file…) kept encrypted.
    public static let jenkinsSecretFile: CredentialKind = "jenkins.secret-file"
    /// A static AWS access key pair stored in a Jenkins `AWSCredentialsImpl`. A kind of its own, not
    /// ``CredentialKind/accessKey``: it is a copy held by Jenkins, whose age and use only AWS knows,
    /// so key-rotation metrics count the key once, on its IAM user.
    public static let jenkinsAWSAccessKey: CredentialKind = "jenkins.aws-access-key"
    /// A secret of a credential class Roster does not know, kept because one of its fields is a Jenkins secret.
    public static let jenkinsSecret: CredentialKind = "jenkins.secret"
}

/// The tag keys the Jenkins connector writes on each credential identity, which Jenkins
/// detectors read: one spelling for both sides.
public enum JenkinsTag {
    /// The credential's Java class, last component: `AWSCredentialsImpl`.
    public static let className = "jenkins.class"
    /// `GLOBAL` (jobs may use it) or `SYSTEM` (only the controller).
    public static let scope = "jenkins.scope"
    /// The credentials domain's name; absent for the global domain.
    public static let domain = "jenkins.domain"
    /// The credential's description, as written.
    public static let description = "description"
    /// The username of a username/password or SSH credential, unless Jenkins masks it.
    public static let username = "jenkins.username"
    /// The file name of a secret file credential.
    public static let fileName = "jenkins.file-name"
    /// The role an AWS credential assumes (`iamRoleArn`).
    public static let awsRoleArn = "jenkins.aws-role-arn"
    /// Where an SSH key or keystore comes from: `DirectEntryPrivateKeySource`, `UploadedKeyStoreSource`.
    public static let keySource = "jenkins.key-source"
    /// Comma-separated paths of secret fields stored in plain text, not encrypted: `password`, `privateKeySource/privateKey`.
    public static let plaintextFields = "jenkins.plaintext-fields"
}
