import Foundation

/// The kinds of file the AWS connector reads, and the look-alikes it recognises so it can say
/// what a wrong file is instead of failing on its shape.
public enum AWSFileKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case authorizationDetails = "authorization-details"
    case credentialReportCSV = "credential-report-csv"
    case credentialReportJSON = "credential-report-json"
    case listAccessKeys = "list-access-keys"
    case accessKeyLastUsed = "access-key-last-used"
    // Recognised but not imported:
    case cloudTrail = "cloudtrail"
    case listUsers = "list-users"
    case listRoles = "list-roles"
    case listPolicies = "list-policies"
    case policyDocument = "policy-document"
    case terraformState = "terraform-state"

    public var isImportable: Bool {
        switch self {
        case .authorizationDetails, .credentialReportCSV, .credentialReportJSON, .listAccessKeys, .accessKeyLastUsed: true
        default: false
        }
    }

    /// What produces such a file, for messages.
    public var description: String {
        switch self {
        case .authorizationDetails: "the output of `aws iam get-account-authorization-details`"
        case .credentialReportCSV: "an IAM credential report (CSV)"
        case .credentialReportJSON: "the output of `aws iam get-credential-report`"
        case .listAccessKeys: "the output of `aws iam list-access-keys`"
        case .accessKeyLastUsed: "the output of `aws iam get-access-key-last-used`"
        case .cloudTrail: "a CloudTrail event log (Records[])"
        case .listUsers: "the output of `aws iam list-users`"
        case .listRoles: "the output of `aws iam list-roles`"
        case .listPolicies: "the output of `aws iam list-policies`"
        case .policyDocument: "a single IAM policy document"
        case .terraformState: "a Terraform state file"
        }
    }

    /// Recognises a file from its content; nil when it is none of the known kinds.
    ///
    /// The whole text is read for top-level keys (values are skipped, not decoded), so neither
    /// leading whitespace nor a large first member hides what a file is; an authorization-details
    /// key settles it at once.
    static func recognise(_ data: Data) -> AWSFileKind? {
        let (isObject, keys) = JSONSyntax.topLevelKeys(in: data) { keys in authorizationDetailsKeys.contains(keys[keys.count - 1]) }
        if isObject {
            let set = Set(keys)
            if !set.isDisjoint(with: authorizationDetailsKeys) { return .authorizationDetails }
            if set.contains("AccessKeyMetadata") { return .listAccessKeys }
            if set.contains("AccessKeyLastUsed") { return .accessKeyLastUsed }
            if set.contains("Content") && (set.contains("ReportFormat") || set.contains("GeneratedTime")) { return .credentialReportJSON }
            if set.contains("Records") { return .cloudTrail }
            if set.contains("Users") { return .listUsers }
            if set.contains("Roles") { return .listRoles }
            if set.contains("Policies") { return .listPolicies }
            if set.contains("Statement") && set.contains("Version") { return .policyDocument }
            if set.contains("terraform_version") { return .terraformState }
            return nil
        }
        var firstLine = data.prefix(4096)
        if firstLine.starts(with: [0xEF, 0xBB, 0xBF]) { firstLine = firstLine.dropFirst(3) }
        if let newline = firstLine.firstIndex(of: 0x0A) { firstLine = firstLine[..<newline] }
        if String(decoding: firstLine, as: UTF8.self).hasPrefix("user,arn,user_creation_time") { return .credentialReportCSV }
        return nil
    }

    private static let authorizationDetailsKeys: Set<String> = ["UserDetailList", "RoleDetailList", "GroupDetailList"]
}

extension JSONSyntax.Limits {
    /// What Roster accepts in an AWS export: names, ids and other single fields up to 64 KiB, policy
    /// documents up to 1 MiB, and a credential report's base64 `Content` as large as the file.
    ///
    /// AWS itself caps names at 64 to 128 characters, ARNs at 2,048, and policy documents at
    /// 10,240 characters (managed) or 2,048 to 10,240 (inline), so these leave ample room while
    /// a 280 MB "user name" is refused before it reaches the database.
    static let awsExport = Self(
        string: 64 << 10,
        stringWhat: "a single field such as a name or an id",
        members: [
            "PolicyDocument": Member(bytes: 1 << 20, what: "a policy document"),
            "AssumeRolePolicyDocument": Member(bytes: 1 << 20, what: "a policy document"),
            "Document": Member(bytes: 1 << 20, what: "a policy document"),
            "Content": Member(bytes: .max, what: "a credential report"),
        ])
}
