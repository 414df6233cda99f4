import RosterModel

/// Credentials stored on Jenkins controllers (`jenkins.credential` identities).
///
/// Not a detector, on purpose: "GLOBAL scope where SYSTEM would do". Jenkins documents GLOBAL as
/// the scope for credentials jobs need and SYSTEM for those only the controller uses (agent
/// connections, e-mail); credentials.xml does not say which jobs or agents use a credential, so
/// such a finding would fire on every healthy job credential. Credentials without an owner are
/// reported by the provider-neutral `nhi.owner.missing` (the connector reads `owner: …` from the
/// description, Jenkins having no owner field).
extension Detectors {
    /// The Jenkins detectors.
    public static let jenkinsFamily: [Detector] = [jenkinsStaticAWSKey, jenkinsPlaintextSecret]

    /// Severity high: every build that can bind the credential can copy a key that works until someone
    /// rotates it by hand, and the AWS credentials plugin can do without one (a role assumed with the
    /// controller's instance profile), so the risk is both large and avoidable.
    public static let jenkinsStaticAWSKey = Detector(
        id: "jenkins.aws.static-access-key",
        title: "Jenkins stores a static AWS access key",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "An AWS credential (AWSCredentialsImpl) on a Jenkins controller that holds an access key and secret key, "
            + "not only a role to assume with the controller's own AWS credentials.",
        remediation: "Give the controller (or its agents) an instance profile or IRSA role, leave accessKey and secretKey empty and set only "
            + "iamRoleArn, so builds get short-lived credentials; then deactivate and delete the IAM user's key.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.kind == .jenkinsCredential else { return [] }
            return subject.credentials.filter { $0.kind == .jenkinsAWSAccessKey }.map { key in
                var evidence = [
                    "AWS access key \(key.preview ?? "(not an AWS key id)") stored in credential \(identity.name) on controller \(identity.account ?? "?")"
                ]
                if let scope = identity.tags[JenkinsTag.scope] {
                    evidence.append("scope \(scope)\(scope == "GLOBAL" ? ": every job on the controller may bind it" : "")")
                }
                let iamUser = subject.edgesOut.first { $0.kind == .holdsCredentialOf }
                if let iamUser { evidence.append("the same key as \(iamUser.to) in AWS IAM, so its IAM user's permissions are what a build gets") }
                if let role = identity.tags[JenkinsTag.awsRoleArn] {
                    evidence.append("used to assume \(role), which the controller could assume without a stored key")
                }
                return Hit(evidence, credentialId: key.id)
            }
        }
    )

    /// Severity high: Jenkins encrypts every secret field with the controller's master key; one stored
    /// in plain text is readable by anyone who reads the file, a backup or a configuration repository.
    public static let jenkinsPlaintextSecret = Detector(
        id: "jenkins.credential.plaintext-secret",
        title: "Jenkins credential stored in plain text",
        severity: .high,
        owasp: .nhi2SecretLeakage,
        summary: "A secret field of a credential in credentials.xml (password, secret, secretKey, privateKey…) that is not encrypted "
            + "(`{…}`), as happens when a provisioning script writes the file by hand.",
        remediation: "Rotate the secret (assume it has leaked with the file and its backups), then create the credential through Jenkins "
            + "(UI, CLI, REST or JCasC with a secret source) so it is stored encrypted; never template credentials.xml itself.",
        evaluate: { subject, _ in
            let identity = subject.identity
            guard identity.kind == .jenkinsCredential, let fields = identity.tags[JenkinsTag.plaintextFields] else { return [] }
            return [
                Hit([
                    "credentials.xml on controller \(identity.account ?? "?") stores \(fields.split(separator: ",").joined(separator: ", ")) of "
                        + "\(identity.tags[JenkinsTag.className] ?? "the credential") \(identity.name) unencrypted",
                    "Jenkins writes secret fields encrypted ({AQAAABAAAA…}); this value was not",
                ])
            ]
        }
    )
}
