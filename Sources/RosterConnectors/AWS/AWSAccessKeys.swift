/// `aws iam list-access-keys` output.
struct AWSListAccessKeys: Decodable {
    struct Metadata: Decodable {
        var userName: String?
        var accessKeyId: String
        var status: String
        var createDate: AWSDate?
        enum CodingKeys: String, CodingKey {
            case userName = "UserName"
            case accessKeyId = "AccessKeyId"
            case status = "Status"
            case createDate = "CreateDate"
        }
    }

    var accessKeyMetadata: [Metadata]
    enum CodingKeys: String, CodingKey {
        case accessKeyMetadata = "AccessKeyMetadata"
    }
}

/// `aws iam get-access-key-last-used` output.
///
/// AWS's response does not repeat the key id, so Roster takes it from an `AccessKeyId` field
/// when a script added one, else from the file name (`AKIA….json`), as exports are usually saved.
struct AWSAccessKeyLastUsed: Decodable {
    struct LastUsed: Decodable {
        var lastUsedDate: AWSDate?
        var serviceName: String?
        var region: String?
        enum CodingKeys: String, CodingKey {
            case lastUsedDate = "LastUsedDate"
            case serviceName = "ServiceName"
            case region = "Region"
        }
    }

    var userName: String?
    var accessKeyId: String?
    var accessKeyLastUsed: LastUsed
    enum CodingKeys: String, CodingKey {
        case userName = "UserName"
        case accessKeyId = "AccessKeyId"
        case accessKeyLastUsed = "AccessKeyLastUsed"
    }
}
