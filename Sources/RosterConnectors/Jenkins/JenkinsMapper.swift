import Foundation
import RosterModel

/// Maps the credentials stores of one Jenkins controller to its estate (`jenkins:<controller>`).
///
/// Each stored credential becomes an identity, `jenkins:<controller>/system/<domain>/<id>`
/// (the path of its page in Jenkins, `/manage/credentials/store/system/domain/_/credential/<id>/`,
/// with `_` for the global domain), because each is a principal of its own: jobs authenticate
/// as it in the system it opens, and inventory should list it with its description and owner.
/// The secret it holds becomes its ``Credential``; nothing of the secret's value is kept.
///
/// What the credential says about other systems becomes claims for the cross-system link pass:
/// an `AWSCredentialsImpl` access key id (`aws:accessKey:<AKIA…>`, ``EdgeKind/holdsCredentialOf``)
/// and role (the ARN as written, ``EdgeKind/canAssume``).
struct JenkinsMapper {
    let controller: String
    let observedAt: Date
    var warnings: [String] = []

    private var estate: Estate
    /// Where each identity id was first seen, to report a repeat.
    private var seen: [String: String] = [:]

    init(controller: String, observedAt: Date) {
        self.controller = controller
        self.observedAt = observedAt
        self.estate = Estate(observedAt: observedAt, scope: "jenkins:\(controller)")
    }

    /// Adds one credentials.xml of the controller.
    mutating func add(_ file: JenkinsCredentialsFile, path: String) throws {
        var attributes: [String: String] = [:]
        if let plugin = file.plugin { attributes["credentialsPlugin"] = plugin }
        if !estate.resources.contains(where: { $0.id == "jenkins:\(controller)" }) {
            estate.resources.append(
                Resource(
                    id: "jenkins:\(controller)",
                    provider: .jenkins,
                    type: "jenkins.controller",
                    name: controller,
                    account: controller,
                    attributes: attributes
                )
            )
        }
        for stored in file.credentials { try add(stored, path: path) }
    }

    func finish() -> Estate { estate.sorted() }

    private mutating func add(_ stored: JenkinsStoredCredential, path: String) throws {
        guard let credentialId = stored["id"] else {
            throw ConnectorError(
                .wrongShape,
                "the \(stored.shortClassName) has no <id>; every credential Jenkins stores carries one",
                file: path,
                location: stored.place
            )
        }
        let domain = stored.domain ?? "_"
        let id = "jenkins:\(controller)/system/\(domain)/\(credentialId)"
        if let first = seen[id] {
            throw ConnectorError(
                .inconsistent,
                "the credential id \"\(credentialId.prefix(120))\" appears twice in domain \(stored.domain ?? "(global)") (first at \(first)); "
                    + "Jenkins keeps ids unique within a domain, so the file was edited by hand",
                file: path,
                location: stored.place
            )
        }
        seen[id] = "\(path): \(stored.place)"
        let scope = stored["scope"] ?? "GLOBAL"
        let kind = JenkinsCredentialClass(stored.shortClassName)
        var identity = Identity(
            id: id,
            provider: .jenkins,
            kind: .jenkinsCredential,
            name: credentialId,
            nativeId: credentialId,
            account: controller,
            path: "system/\(domain)",
            environment: EnvironmentName.guess([credentialId, stored.domain, controller]),
            owner: Self.owner(in: stored["description"]),
            nature: .machine,
            natureReason: "\(kind.title) stored on Jenkins controller \(controller), \(Self.scopeMeaning(scope))"
        )
        identity.tags = tags(of: stored, scope: scope)
        estate.identities.append(identity)
        if let credential = credential(of: stored, kind: kind, identityId: id) { estate.credentials.append(credential) }
        if kind == .aws { awsClaims(stored, identityId: id, credentialId: credentialId, path: path) }
    }

    private func tags(of stored: JenkinsStoredCredential, scope: String) -> [String: String] {
        var tags = [JenkinsTag.className: stored.shortClassName, JenkinsTag.scope: scope]
        if let domain = stored.domain { tags[JenkinsTag.domain] = domain }
        if let description = stored["description"] { tags[JenkinsTag.description] = description }
        // `usernameSecret` marks a username Jenkins masks like a password: it is not kept either.
        if let username = stored["username"], stored["usernameSecret"] != "true" { tags[JenkinsTag.username] = username }
        if let fileName = stored["fileName"] { tags[JenkinsTag.fileName] = fileName }
        if let role = stored["iamRoleArn"] { tags[JenkinsTag.awsRoleArn] = role }
        if let source = stored["privateKeySource/@class"] ?? stored["keyStoreSource/@class"] {
            tags[JenkinsTag.keySource] = source.lastIndex(of: "$").map { String(source[source.index(after: $0)...]) } ?? source
        }
        let plaintext = stored.secrets.filter { $0.state == .plaintext }.map(\.path)
        if !plaintext.isEmpty { tags[JenkinsTag.plaintextFields] = plaintext.joined(separator: ",") }
        return tags
    }

    /// The secret the credential holds, or nil when it holds none (a role-only AWS credential).
    private func credential(of stored: JenkinsStoredCredential, kind: JenkinsCredentialClass, identityId: String) -> Credential? {
        let held = stored.secrets.filter { $0.state == .encrypted || $0.state == .plaintext }
        switch kind {
        case .aws:
            guard let accessKey = stored["accessKey"] else { return nil }
            let linkable = AccessKeyId.isValid(accessKey)
            return Credential(
                id: identityId + "#aws-access-key",
                identityId: identityId,
                kind: .jenkinsAWSAccessKey,
                fingerprint: linkable ? CredentialFingerprint(.awsAccessKeyId, of: accessKey).description : nil,
                preview: linkable ? CredentialFingerprint.preview(accessKey) : nil
            )
        case .other where held.isEmpty:
            return nil
        default:
            guard let credentialKind = kind.credentialKind else { return nil }
            return Credential(id: identityId + "#" + kind.secretName, identityId: identityId, kind: credentialKind)
        }
    }

    /// The AWS identities an `AWSCredentialsImpl` reaches: the IAM user of its key, the role it assumes.
    private mutating func awsClaims(_ stored: JenkinsStoredCredential, identityId: String, credentialId: String, path: String) {
        let file = (path as NSString).lastPathComponent
        var source = "source=controller"
        if let accessKey = stored["accessKey"] {
            if AccessKeyId.isValid(accessKey) {
                source = "source=aws:accessKey:\(accessKey)"
                estate.edges.append(
                    Edge(
                        from: identityId,
                        to: "aws:accessKey:\(accessKey)",
                        kind: .holdsCredentialOf,
                        rule: "jenkins.import",
                        reason: "\(file) of Jenkins controller \(controller) stores AWS access key \(CredentialFingerprint.preview(accessKey)) "
                            + "in credential \(credentialId) (AWSCredentialsImpl accessKey)"
                    )
                )
            } else {
                warnings.append(
                    "\(path): credential \(credentialId) has an accessKey that is not an AWS access key id; it cannot be matched to an IAM user"
                )
            }
        }
        guard let role = stored["iamRoleArn"] else { return }
        guard role.hasPrefix("arn:") else {
            warnings.append("\(path): credential \(credentialId) names iamRoleArn \"\(role.prefix(120))\", which is not an ARN; no role claim made")
            return
        }
        var conditions = [source]
        if let serial = stored["iamMfaSerialNumber"] { conditions.append("mfaSerial=\(serial)") }
        if let externalId = stored["iamExternalId"] { conditions.append("externalId=\(externalId)") }
        let how =
            source == "source=controller" ? "with the controller's own AWS credentials (instance profile or default chain)" : "with its access key"
        estate.edges.append(
            Edge(
                from: identityId,
                to: role,
                kind: .canAssume,
                rule: "jenkins.import",
                reason:
                    "credential \(credentialId) in \(file) of Jenkins controller \(controller) assumes this role \(how) (AWSCredentialsImpl iamRoleArn)",
                conditions: conditions
            )
        )
    }

    /// What a scope means, after "stored on Jenkins controller X, ".
    static func scopeMeaning(_ scope: String) -> String {
        switch scope {
        case "GLOBAL": "scope GLOBAL: every job and folder on the controller may use it"
        case "SYSTEM": "scope SYSTEM: only the controller itself uses it (agent connections, integrations), jobs cannot"
        default: "scope \(scope.prefix(40))"
        }
    }

    /// The owner a description names (`owner: payments-team`, `owner=alice@acme.io`), since Jenkins credentials have no owner field.
    static func owner(in description: String?) -> String? {
        guard let description else { return nil }
        let bytes = Array(description.utf8)
        let word = Array("owner".utf8)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var i = 0
        while i + word.count <= bytes.count {
            // ASCII case-insensitive match of "owner" (| 0x20 lower-cases letters).
            guard (0..<word.count).allSatisfy({ bytes[i + $0] | 0x20 == word[$0] }) else {
                i += 1
                continue
            }
            var j = i + word.count
            while j < bytes.count && isSpace(bytes[j]) { j += 1 }
            i += word.count
            guard j < bytes.count, bytes[j] == UInt8(ascii: ":") || bytes[j] == UInt8(ascii: "=") else { continue }
            j += 1
            while j < bytes.count && isSpace(bytes[j]) { j += 1 }
            let start = j
            while j < bytes.count, bytes[j] > 0x20, !Array(",;()[]".utf8).contains(bytes[j]) { j += 1 }
            if j > start { return String(decoding: bytes[start..<j], as: UTF8.self) }
        }
        return nil
    }
}

/// The credential classes Roster maps, with the kind of secret each holds.
enum JenkinsCredentialClass: Equatable {
    case usernamePassword, secretText, aws, sshPrivateKey, secretFile, certificate, other

    init(_ shortName: String) {
        switch shortName {
        case "UsernamePasswordCredentialsImpl": self = .usernamePassword
        case "StringCredentialsImpl": self = .secretText
        case "AWSCredentialsImpl": self = .aws
        case "BasicSSHUserPrivateKey": self = .sshPrivateKey
        case "FileCredentialsImpl": self = .secretFile
        case "CertificateCredentialsImpl": self = .certificate
        default: self = .other
        }
    }

    /// With its article, to start a sentence's object: "an AWS credential".
    var title: String {
        switch self {
        case .usernamePassword: "a username and password"
        case .secretText: "a secret text"
        case .aws: "an AWS credential"
        case .sshPrivateKey: "an SSH private key"
        case .secretFile: "a secret file"
        case .certificate: "a certificate (PKCS#12 keystore)"
        case .other: "a credential"
        }
    }

    var credentialKind: CredentialKind? {
        switch self {
        case .usernamePassword: .password
        case .secretText: .jenkinsSecretText
        case .aws: .jenkinsAWSAccessKey
        case .sshPrivateKey: .sshKey
        case .secretFile: .jenkinsSecretFile
        case .certificate: .certificate
        case .other: .jenkinsSecret
        }
    }

    /// The suffix of the credential's id: `jenkins:ci/system/_/nexus#password`.
    var secretName: String {
        switch self {
        case .usernamePassword: "password"
        case .secretText: "secret-text"
        case .aws: "aws-access-key"
        case .sshPrivateKey: "ssh-private-key"
        case .secretFile: "secret-file"
        case .certificate: "keystore"
        case .other: "secret"
        }
    }
}

/// AWS access key ids (`AKIA…` long-term, `ASIA…` temporary): 20 characters, upper-case letters and digits.
enum AccessKeyId {
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, text.hasPrefix("AKIA") || text.hasPrefix("ASIA") else { return false }
        return bytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
