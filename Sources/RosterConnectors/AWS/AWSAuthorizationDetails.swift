/// A Decodable mirror of `aws iam get-account-authorization-details` output.
///
/// Field names are AWS's. Policy documents are kept as ``JSONValue`` because the CLI prints them
/// as objects while the raw API returns them URL-encoded; ``AWSPolicyDocument`` reads both.
struct AWSAuthorizationDetails: Decodable {
    var userDetailList: [User]?
    var groupDetailList: [Group]?
    var roleDetailList: [Role]?
    var policies: [ManagedPolicy]?
    /// True when AWS returned one page of several (`--max-items`, or a script that did not follow `Marker`).
    var isTruncated: Bool?

    enum CodingKeys: String, CodingKey {
        case userDetailList = "UserDetailList"
        case groupDetailList = "GroupDetailList"
        case roleDetailList = "RoleDetailList"
        case policies = "Policies"
        case isTruncated = "IsTruncated"
    }

    struct Tag: Decodable {
        var key: String
        var value: String
        enum CodingKeys: String, CodingKey {
            case key = "Key"
            case value = "Value"
        }
    }

    struct AttachedPolicy: Decodable {
        var policyName: String?
        var policyArn: String
        enum CodingKeys: String, CodingKey {
            case policyName = "PolicyName"
            case policyArn = "PolicyArn"
        }
    }

    struct InlinePolicy: Decodable {
        var policyName: String
        var policyDocument: JSONValue
        enum CodingKeys: String, CodingKey {
            case policyName = "PolicyName"
            case policyDocument = "PolicyDocument"
        }
    }

    struct PermissionsBoundary: Decodable {
        var permissionsBoundaryArn: String
        enum CodingKeys: String, CodingKey {
            case permissionsBoundaryArn = "PermissionsBoundaryArn"
        }
    }

    struct User: Decodable {
        var path: String?
        var userName: String
        var userId: String?
        var arn: String
        var createDate: AWSDate?
        var groupList: [String]?
        var attachedManagedPolicies: [AttachedPolicy]?
        var userPolicyList: [InlinePolicy]?
        var tags: [Tag]?
        var permissionsBoundary: PermissionsBoundary?

        enum CodingKeys: String, CodingKey {
            case path = "Path"
            case userName = "UserName"
            case userId = "UserId"
            case arn = "Arn"
            case createDate = "CreateDate"
            case groupList = "GroupList"
            case attachedManagedPolicies = "AttachedManagedPolicies"
            case userPolicyList = "UserPolicyList"
            case tags = "Tags"
            case permissionsBoundary = "PermissionsBoundary"
        }
    }

    struct Group: Decodable {
        var path: String?
        var groupName: String
        var groupId: String?
        var arn: String
        var createDate: AWSDate?
        var groupPolicyList: [InlinePolicy]?
        var attachedManagedPolicies: [AttachedPolicy]?

        enum CodingKeys: String, CodingKey {
            case path = "Path"
            case groupName = "GroupName"
            case groupId = "GroupId"
            case arn = "Arn"
            case createDate = "CreateDate"
            case groupPolicyList = "GroupPolicyList"
            case attachedManagedPolicies = "AttachedManagedPolicies"
        }
    }

    struct RoleLastUsed: Decodable {
        var lastUsedDate: AWSDate?
        var region: String?
        enum CodingKeys: String, CodingKey {
            case lastUsedDate = "LastUsedDate"
            case region = "Region"
        }
    }

    struct InstanceProfile: Decodable {
        var instanceProfileName: String
        var instanceProfileId: String?
        var arn: String
        var path: String?
        enum CodingKeys: String, CodingKey {
            case instanceProfileName = "InstanceProfileName"
            case instanceProfileId = "InstanceProfileId"
            case arn = "Arn"
            case path = "Path"
        }
    }

    struct Role: Decodable {
        var path: String?
        var roleName: String
        var roleId: String?
        var arn: String
        var createDate: AWSDate?
        var assumeRolePolicyDocument: JSONValue?
        var instanceProfileList: [InstanceProfile]?
        var rolePolicyList: [InlinePolicy]?
        var attachedManagedPolicies: [AttachedPolicy]?
        var tags: [Tag]?
        var roleLastUsed: RoleLastUsed?
        var permissionsBoundary: PermissionsBoundary?

        enum CodingKeys: String, CodingKey {
            case path = "Path"
            case roleName = "RoleName"
            case roleId = "RoleId"
            case arn = "Arn"
            case createDate = "CreateDate"
            case assumeRolePolicyDocument = "AssumeRolePolicyDocument"
            case instanceProfileList = "InstanceProfileList"
            case rolePolicyList = "RolePolicyList"
            case attachedManagedPolicies = "AttachedManagedPolicies"
            case tags = "Tags"
            case roleLastUsed = "RoleLastUsed"
            case permissionsBoundary = "PermissionsBoundary"
        }
    }

    struct PolicyVersion: Decodable {
        var document: JSONValue?
        var versionId: String?
        var isDefaultVersion: Bool?
        var createDate: AWSDate?
        enum CodingKeys: String, CodingKey {
            case document = "Document"
            case versionId = "VersionId"
            case isDefaultVersion = "IsDefaultVersion"
            case createDate = "CreateDate"
        }
    }

    struct ManagedPolicy: Decodable {
        /// Always present in AWS's answers; optional because some emulators leave it out.
        var policyName: String?
        var arn: String
        var defaultVersionId: String?
        var policyVersionList: [PolicyVersion]?
        var createDate: AWSDate?
        var updateDate: AWSDate?
        enum CodingKeys: String, CodingKey {
            case policyName = "PolicyName"
            case arn = "Arn"
            case defaultVersionId = "DefaultVersionId"
            case policyVersionList = "PolicyVersionList"
            case createDate = "CreateDate"
            case updateDate = "UpdateDate"
        }

        var name: String { policyName ?? String(arn.split(separator: "/").last ?? Substring(arn)) }

        /// The document of the default version, which is the one in force.
        var defaultDocument: JSONValue? {
            let versions = policyVersionList ?? []
            return (versions.first { $0.isDefaultVersion == true } ?? versions.first { $0.versionId == defaultVersionId } ?? versions.first)?.document
        }
    }
}
