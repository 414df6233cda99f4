import Foundation

/// Maps IAM Query API XML to the same mirrors the AWS CLI's JSON decodes into, so that a live
/// collection and an import of the CLI's files go through one mapper and give equal identities.
enum AWSIAMResponses {
    static func required(_ element: XMLElement, _ name: String, in what: String) throws -> String {
        guard let text = element.text(name) else {
            throw ConnectorError(.service, "unexpected IAM answer: \(what) without \(name)", file: "IAM")
        }
        return text
    }

    static func date(_ element: XMLElement, _ name: String) -> AWSDate? {
        element.text(name).flatMap { Timestamp.parse($0) }.map { AWSDate($0) }
    }

    static func tags(_ element: XMLElement) -> [AWSAuthorizationDetails.Tag]? {
        let members = element.members("Tags")
        return members.isEmpty ? nil : members.map { .init(key: $0.text("Key") ?? "", value: $0.text("Value") ?? "") }
    }

    static func attached(_ element: XMLElement) -> [AWSAuthorizationDetails.AttachedPolicy] {
        element.members("AttachedManagedPolicies").compactMap { member in
            member.text("PolicyArn").map { .init(policyName: member.text("PolicyName"), policyArn: $0) }
        }
    }

    static func inline(_ element: XMLElement, _ list: String) -> [AWSAuthorizationDetails.InlinePolicy] {
        element.members(list).compactMap { member in
            guard let name = member.text("PolicyName"), let document = member.text("PolicyDocument") else { return nil }
            return .init(policyName: name, policyDocument: .string(document))
        }
    }

    static func boundary(_ element: XMLElement) -> AWSAuthorizationDetails.PermissionsBoundary? {
        element["PermissionsBoundary"]?.text("PermissionsBoundaryArn").map { .init(permissionsBoundaryArn: $0) }
    }

    /// One page of GetAccountAuthorizationDetails.
    static func authorizationDetails(_ result: XMLElement) throws -> AWSAuthorizationDetails {
        var details = AWSAuthorizationDetails()
        details.userDetailList = try result.members("UserDetailList").map { m in
            AWSAuthorizationDetails.User(
                path: m.text("Path"), userName: try required(m, "UserName", in: "a user"), userId: m.text("UserId"),
                arn: try required(m, "Arn", in: "a user"), createDate: date(m, "CreateDate"),
                groupList: m.members("GroupList").map(\.text), attachedManagedPolicies: attached(m),
                userPolicyList: inline(m, "UserPolicyList"), tags: tags(m), permissionsBoundary: boundary(m))
        }
        details.groupDetailList = try result.members("GroupDetailList").map { m in
            AWSAuthorizationDetails.Group(
                path: m.text("Path"), groupName: try required(m, "GroupName", in: "a group"), groupId: m.text("GroupId"),
                arn: try required(m, "Arn", in: "a group"), createDate: date(m, "CreateDate"),
                groupPolicyList: inline(m, "GroupPolicyList"), attachedManagedPolicies: attached(m))
        }
        details.roleDetailList = try result.members("RoleDetailList").map { m in
            var lastUsed: AWSAuthorizationDetails.RoleLastUsed?
            if let element = m["RoleLastUsed"] {
                lastUsed = .init(lastUsedDate: date(element, "LastUsedDate"), region: element.text("Region"))
            }
            return AWSAuthorizationDetails.Role(
                path: m.text("Path"), roleName: try required(m, "RoleName", in: "a role"), roleId: m.text("RoleId"),
                arn: try required(m, "Arn", in: "a role"), createDate: date(m, "CreateDate"),
                assumeRolePolicyDocument: m.text("AssumeRolePolicyDocument").map { .string($0) },
                instanceProfileList: m.members("InstanceProfileList").compactMap { p in
                    guard let name = p.text("InstanceProfileName"), let arn = p.text("Arn") else { return nil }
                    return .init(instanceProfileName: name, instanceProfileId: p.text("InstanceProfileId"), arn: arn, path: p.text("Path"))
                },
                rolePolicyList: inline(m, "RolePolicyList"), attachedManagedPolicies: attached(m), tags: tags(m), roleLastUsed: lastUsed,
                permissionsBoundary: boundary(m))
        }
        details.policies = try result.members("Policies").map { m in
            let arn = try required(m, "Arn", in: "a managed policy")
            return AWSAuthorizationDetails.ManagedPolicy(
                policyName: m.text("PolicyName"), arn: arn,
                defaultVersionId: m.text("DefaultVersionId"),
                policyVersionList: m.members("PolicyVersionList").map { v in
                    .init(document: v.text("Document").map { .string($0) }, versionId: v.text("VersionId"), isDefaultVersion: v.text("IsDefaultVersion") == "true")
                })
        }
        return details
    }

    static func accessKeys(_ result: XMLElement) -> AWSListAccessKeys {
        AWSListAccessKeys(accessKeyMetadata: result.members("AccessKeyMetadata").compactMap { m in
            guard let id = m.text("AccessKeyId") else { return nil }
            return .init(userName: m.text("UserName"), accessKeyId: id, status: m.text("Status") ?? "Active", createDate: date(m, "CreateDate"))
        })
    }

    static func accessKeyLastUsed(_ result: XMLElement, keyId: String) -> AWSAccessKeyLastUsed {
        let used = result["AccessKeyLastUsed"]
        return AWSAccessKeyLastUsed(
            userName: result.text("UserName"), accessKeyId: keyId,
            accessKeyLastUsed: .init(lastUsedDate: used.flatMap { date($0, "LastUsedDate") }, serviceName: used?.text("ServiceName"), region: used?.text("Region")))
    }
}

extension AWSAuthorizationDetails {
    /// Appends another page.
    mutating func append(_ page: AWSAuthorizationDetails) {
        userDetailList = (userDetailList ?? []) + (page.userDetailList ?? [])
        groupDetailList = (groupDetailList ?? []) + (page.groupDetailList ?? [])
        roleDetailList = (roleDetailList ?? []) + (page.roleDetailList ?? [])
        policies = (policies ?? []) + (page.policies ?? [])
    }
}
