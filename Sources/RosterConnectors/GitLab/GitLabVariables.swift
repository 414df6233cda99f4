import Foundation
import RosterModel

/// One entry of `GET /projects/:id/variables` (or a group's): a CI/CD variable as GitLab's API returns it.
///
/// `value` is a secret. It is read only to recognise public identifiers in it (an AWS access key
/// id, a GCP key id and service account, a role ARN), and otherwise dropped.
struct GitLabVariable: Decodable, Sendable {
    var variable_type: String?
    var key: String
    var value: String?
    var protected: Bool?
    var masked: Bool?
    var hidden: Bool?
    var raw: Bool?
    var environment_scope: String?
    var description: String?
}

/// What a CI/CD variable's name or value says it holds, without keeping the value.
struct VariableClass: Sendable, Hashable {
    /// `aws-access-key-id`, `aws-secret-access-key`, `gcp-service-account-key`, `azure-client-secret`, `named-secret`, `masked`; nil for settings.
    var credential: String?
    /// The cloud a static key signs in to, when it is one.
    var staticKeyCloud: String?
    var fingerprint: CredentialFingerprint?
    var preview: String?
    /// A public identifier the value names, as a claim target: `aws:accessKey:AKIA…`, `gcp:serviceAccount:…`.
    var holds: String?
    /// A role ARN the value is (not a secret), for sign-ins that name it through the variable.
    var roleARN: String?
    /// A GUID the value is (an Azure client or tenant id, not a secret).
    var guid: String?

    static let namedSecretWords = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "ACCESS_KEY", "AUTH"]

    /// Classifies a variable by its key, its value and its settings.
    static func classify(key: String, value: String?, masked: Bool, fileType: Bool) -> VariableClass {
        var out = VariableClass()
        let upper = key.uppercased()
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if isAccessKeyId(trimmed) {
            out.credential = "aws-access-key-id"
            out.staticKeyCloud = "aws"
            out.fingerprint = CredentialFingerprint(.awsAccessKeyId, of: trimmed)
            out.preview = CredentialFingerprint.preview(trimmed)
            out.holds = "aws:accessKey:\(trimmed)"
            return out
        }
        if upper.contains("AWS_SECRET_ACCESS_KEY") {
            out.credential = "aws-secret-access-key"
            out.staticKeyCloud = "aws"
            if trimmed.utf8.count == 40 { out.fingerprint = CredentialFingerprint(.awsSecretAccessKey, of: trimmed) }
            return out
        }
        if trimmed.hasPrefix("{"), trimmed.contains("\"service_account\""), trimmed.contains("private_key"),
            let json = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any], json["type"] as? String == "service_account"
        {
            out.credential = "gcp-service-account-key"
            out.staticKeyCloud = "gcp"
            if let keyId = json["private_key_id"] as? String, !keyId.isEmpty {
                out.fingerprint = CredentialFingerprint(.gcpServiceAccountKeyId, of: keyId)
                out.preview = "key \(CredentialFingerprint.preview(keyId))"
            }
            if let email = json["client_email"] as? String, email.contains("@") { out.holds = "gcp:serviceAccount:\(email)" }
            return out
        }
        if ["ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET"].contains(upper) {
            out.credential = "azure-client-secret"
            out.staticKeyCloud = "azure"
            return out
        }
        if let cloud = GitHubWorkflow.keyVariables[upper], !trimmed.hasPrefix("$") {
            out.credential = "\(cloud)-key"
            out.staticKeyCloud = cloud
            return out
        }
        if namedSecretWords.contains(where: upper.contains) {
            // A secret by its name, whatever its value looks like (Codecov tokens are UUIDs); never used as an identifier.
            out.credential = "named-secret"
            return out
        }
        if isRoleARN(trimmed) { out.roleARN = trimmed }
        if isGUID(trimmed) { out.guid = trimmed.lowercased() }
        if out.roleARN == nil && out.guid == nil
            && (masked || (fileType && (upper.contains("KEY") || upper.contains("KUBECONFIG") || upper.contains("CERT")))) {
            out.credential = "masked"
        }
        return out
    }

    static func isAccessKeyId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, text.hasPrefix("AKIA") || text.hasPrefix("ASIA") else { return false }
        return bytes.dropFirst(4).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x32 && $0 <= 0x37) }
    }

    static func isRoleARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && parts[1].hasPrefix("aws") && parts[2] == "iam" && parts[4].count == 12
            && parts[4].allSatisfy(\.isNumber) && parts[5].hasPrefix("role/") && text.utf8.count <= 2048 && !text.contains(" ")
    }

    static func isGUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.map(\.count) == [8, 4, 4, 4, 12] && text.allSatisfy { $0.isHexDigit || $0 == "-" }
    }
}

/// The kinds of GitLab file Roster reads.
enum GitLabFileKind: String, Sendable, Hashable, CustomStringConvertible {
    case pipeline, variables

    var description: String {
        switch self {
        case .pipeline: "a GitLab CI/CD pipeline (.gitlab-ci.yml)"
        case .variables: "a GitLab CI/CD variables list"
        }
    }

    static let readsList = ".gitlab-ci.yml of a project checkout (with its local includes and CODEOWNERS), and CI/CD variables API JSON"

    /// A variables list: an array whose first element has `key`, `variable_type` and `protected`.
    static func recogniseJSON(_ data: Data) -> GitLabFileKind? {
        guard let head = GitHubFileKind.firstElementKeys(data) else { return nil }
        return head.contains("key") && head.contains("variable_type") && head.contains("protected") ? .variables : nil
    }
}
