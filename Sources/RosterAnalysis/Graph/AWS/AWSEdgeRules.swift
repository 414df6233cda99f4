import RosterModel
import Foundation

/// The AWS techniques by which a principal gains another's permissions, or an account's, as
/// declared edge rules. Ids are a contract: findings, JSON paths and tests name them.
///
/// *Self rules* are decided for every principal on its own ARN (rewrite its own policies);
/// *target rules* once per policy set, against every candidate target of the account
/// (see ``AWSGraphContext``).
public enum AWSEdgeRules {
    static let iamAPI = "https://docs.aws.amazon.com/IAM/latest/APIReference/"
    static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

    /// Decided per principal.
    public static let selfRules: [EdgeRule<AWSGraphContext>] = [userPolicy, rolePolicy, groupPolicy, policyVersion, assumeRoleByArn]
    /// Decided per policy set, on every candidate target.
    public static let targetRules: [EdgeRule<AWSGraphContext>] = [
        administrator, createAccessKey, loginProfile, addUserToGroup, updateAssumeRolePolicy, assumeRole, sensitiveAccess,
    ] + PassRoleTechnique.all.map(\.rule)

    public static var all: [EdgeRule<AWSGraphContext>] { selfRules + targetRules.filter { $0.id != assumeRole.id } }

    // MARK: Outright

    public static let administrator = EdgeRule<AWSGraphContext>(
        id: "aws.admin", technique: "Holds administrator permissions", provider: .aws,
        summary: "Its policies allow every action on every resource (AdministratorAccess or equivalent), after denies and its boundary.",
        references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"]
    ) { context, principal in
        let decision = AWSGraphContext.isAdministrator(context.authorizer(principal))
        guard decision.outcome != .denied else { return [] }
        return [context.edge(principal, to: context.adminNode, rule: "aws.admin", reason: "its policies allow every action on every resource", decision)]
    }

    // MARK: Sensitive resources

    /// Kinds of sensitive resources, each with the actions that read or control them.
    public static let sensitiveKinds: [(kind: String, label: String, actions: [String])] = [
        ("secrets", "secrets (Secrets Manager, SSM parameters)", ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters"]),
        ("kms", "KMS keys", ["kms:Decrypt"]),
        ("data", "data stores (S3, DynamoDB, RDS)", ["s3:GetObject", "dynamodb:GetItem", "dynamodb:Scan", "rds-db:connect"]),
        ("iam", "IAM itself", ["iam:CreateUser", "iam:CreateAccessKey", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"]),
        ("cicd", "CI/CD (CodeBuild, CodePipeline, ECR pushes)", ["codebuild:StartBuild", "codepipeline:StartPipelineExecution", "ecr:PutImage"]),
    ]

    /// The sensitive-resource node of an account: `aws:111122223333:sensitive:secrets`.
    public static func sensitiveNode(account: String, kind: String) -> String { "aws:\(account):sensitive:\(kind)" }

    public static let sensitiveAccess = EdgeRule<AWSGraphContext>(
        id: "aws.sensitive-access", technique: "Read or control sensitive resources", provider: .aws,
        summary: "Its policies allow reading secrets, decrypting with KMS, reading data stores, changing IAM or driving CI/CD, on the resources the allowing statements name.",
        references: ["https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"]
    ) { context, principal in
        let authorizer = context.authorizer(principal)
        var out: [Edge] = []
        for kind in sensitiveKinds {
            var reached: [String] = []
            var statements: [StatementRef] = []
            var undecided = false
            for action in kind.actions where authorizer.mayAllow(action) {
                for pattern in authorizer.allowedResourcePatterns(action) {
                    let decision = authorizer.decide(action, on: pattern)
                    guard decision.outcome != .denied else { continue }
                    undecided = undecided || decision.outcome == .undecided
                    reached.append("\(action) on \(pattern)")
                    statements += decision.statements
                }
            }
            guard !reached.isEmpty else { continue }
            let decision = PermissionDecision(outcome: undecided ? .undecided : .allowed, statements: AWSGraphContext.unique(statements), reasons: [])
            var edge = context.edge(
                principal, to: sensitiveNode(account: context.account, kind: kind.kind), rule: "aws.sensitive-access",
                reason: "it is allowed " + reached.prefix(8).joined(separator: ", ") + (reached.count > 8 ? " and \(reached.count - 8) more" : ""), decision)
            edge.kind = .canAccess
            out.append(edge)
        }
        return out
    }

    // MARK: Rewriting its own permissions

    /// What a request to grant itself administrator access carries: `iam:PolicyARN` for an Attach* call (the
    /// AdministratorAccess a taker would attach); a Put* call (an inline document) carries no policy ARN.
    static func grantContext(_ action: String) -> AWSRequestContext {
        var extra = AWSRequestContext()
        if action.lowercased().hasPrefix("iam:attach") {
            extra.set("iam:PolicyARN", administratorAccess)
        } else {
            extra.setAbsent("iam:PolicyARN")
        }
        return extra
    }

    /// The first of `actions` allowed on `resource`, each decided with its own ``grantContext(_:)``.
    static func firstGrant(_ context: AWSGraphContext, _ principal: Int, _ actions: [String], on resource: String) -> (String, PermissionDecision)? {
        var undecided: (String, PermissionDecision)?
        for action in actions {
            guard let found = context.firstAllowed(principal, [action], on: resource, with: grantContext(action)) else { continue }
            if found.1.isAllowed { return found }
            undecided = undecided ?? found
        }
        return undecided
    }

    public static let userPolicy = ownPolicy(
        id: "aws.iam.user-policy", kind: .iamUser, noun: "user", actions: ["iam:PutUserPolicy", "iam:AttachUserPolicy"],
        references: [iamAPI + "API_PutUserPolicy.html", iamAPI + "API_AttachUserPolicy.html"])

    public static let rolePolicy = ownPolicy(
        id: "aws.iam.role-policy", kind: .iamRole, noun: "role", actions: ["iam:PutRolePolicy", "iam:AttachRolePolicy"],
        references: [iamAPI + "API_PutRolePolicy.html", iamAPI + "API_AttachRolePolicy.html"])

    /// Putting or attaching a policy on the principal itself (a user or a role), with `iam:PolicyARN` the
    /// AdministratorAccess a taker would attach, so a condition that limits which policies may be attached counts.
    static func ownPolicy(id: String, kind: IdentityKind, noun: String, actions: [String], references: [String]) -> EdgeRule<AWSGraphContext> {
        EdgeRule(
            id: id, technique: "Put or attach a policy on itself (\(noun))", provider: .aws,
            summary: actions.joined(separator: " or ") + " on its own \(noun) lets it grant itself anything.", references: references
        ) { context, principal in
            let me = context.principals[principal]
            guard me.kind == kind, let (action, decision) = firstGrant(context, principal, actions, on: me.id) else { return [] }
            return [context.edge(principal, to: context.adminNode, rule: id, reason: "it can call \(action) on its own \(noun) and grant itself administrator access", decision)]
        }
    }

    public static let groupPolicy = EdgeRule<AWSGraphContext>(
        id: "aws.iam.group-policy", technique: "Put or attach a policy on its own group", provider: .aws,
        summary: "iam:PutGroupPolicy or iam:AttachGroupPolicy on a group it belongs to lets it grant itself anything.",
        references: [iamAPI + "API_PutGroupPolicy.html", iamAPI + "API_AttachGroupPolicy.html"]
    ) { context, principal in
        let me = context.principals[principal]
        for group in context.groupsOfMember[me.id] ?? [] {
            if let (action, decision) = firstGrant(context, principal, ["iam:PutGroupPolicy", "iam:AttachGroupPolicy"], on: group) {
                return [context.edge(principal, to: context.adminNode, rule: "aws.iam.group-policy", reason: "it can call \(action) on its group \(group) and grant the group administrator access", decision)]
            }
        }
        return []
    }

    public static let policyVersion = EdgeRule<AWSGraphContext>(
        id: "aws.iam.policy-version", technique: "Write a new default version of its own policy", provider: .aws,
        summary: "iam:CreatePolicyVersion on a customer-managed policy attached to it (or its group) rewrites what it is allowed.",
        references: [iamAPI + "API_CreatePolicyVersion.html"]
    ) { context, principal in
        let me = context.principals[principal]
        for policy in context.attachedPolicies[me.id] ?? [] where context.customerPolicies[policy] != nil {
            if let (_, decision) = context.firstAllowed(principal, ["iam:CreatePolicyVersion"], on: policy) {
                let name = context.customerPolicies[policy]?.name ?? policy
                return [context.edge(principal, to: context.adminNode, rule: "aws.iam.policy-version", reason: "it can call iam:CreatePolicyVersion on \(name), which is attached to it, and set an administrator version as default", decision)]
            }
        }
        return []
    }

    // MARK: Taking over another principal

    public static let createAccessKey = EdgeRule<AWSGraphContext>(
        id: "aws.iam.create-access-key", technique: "Create an access key for a user", provider: .aws,
        summary: "iam:CreateAccessKey on a user returns a working key for it; a user that already holds two keys (the limit) needs iam:DeleteAccessKey too.",
        references: [iamAPI + "API_CreateAccessKey.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"]
    ) { context, principal in
        guard context.authorizer(principal).mayAllow("iam:CreateAccessKey") else { return [] }
        return context.candidates(principal, ["iam:CreateAccessKey"], among: context.users).compactMap { user in
            let full = context.usersWithTwoKeys.contains(user.id)
            let requests = [("iam:CreateAccessKey", user.id)] + (full ? [("iam:DeleteAccessKey", user.id)] : [])
            guard let decision = context.allAllowed(principal, requests) else { return nil }
            let reason = "it can call iam:CreateAccessKey on user \(user.name)" + (full ? " (which holds two keys: it can call iam:DeleteAccessKey to make room)" : "")
            return context.edge(principal, to: user.id, rule: "aws.iam.create-access-key", reason: reason, decision)
        }
    }

    public static let loginProfile = EdgeRule<AWSGraphContext>(
        id: "aws.iam.login-profile", technique: "Set a user's console password", provider: .aws,
        summary: "iam:CreateLoginProfile or iam:UpdateLoginProfile on a user sets its password and signs in as it.",
        references: [iamAPI + "API_CreateLoginProfile.html", iamAPI + "API_UpdateLoginProfile.html"]
    ) { context, principal in
        let authorizer = context.authorizer(principal)
        guard authorizer.mayAllow("iam:CreateLoginProfile") || authorizer.mayAllow("iam:UpdateLoginProfile") else { return [] }
        return context.candidates(principal, ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"], among: context.users).compactMap { user in
            // CreateLoginProfile works only on a user without a password, UpdateLoginProfile only on one with; unknown: either.
            let actions: [String]
            switch user.console?.passwordEnabled {
            case true?: actions = ["iam:UpdateLoginProfile"]
            case false?: actions = ["iam:CreateLoginProfile"]
            case nil: actions = ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"]
            }
            guard let (action, decision) = context.firstAllowed(principal, actions, on: user.id) else { return nil }
            return context.edge(principal, to: user.id, rule: "aws.iam.login-profile", reason: "it can call \(action) on user \(user.name) and sign in as it", decision)
        }
    }

    public static let addUserToGroup = EdgeRule<AWSGraphContext>(
        id: "aws.iam.add-user-to-group", technique: "Add itself to an administrators' group", provider: .aws,
        summary: "iam:AddUserToGroup on a group whose policies make members administrators.",
        references: [iamAPI + "API_AddUserToGroup.html"]
    ) { context, principal in
        guard context.principals[principal].kind == .iamUser, context.authorizer(principal).mayAllow("iam:AddUserToGroup") else { return [] }
        for group in context.groups where context.adminGroups.contains(group.id) {
            guard let (_, decision) = context.firstAllowed(principal, ["iam:AddUserToGroup"], on: group.id) else { continue }
            // A member is still bound by its own boundary and the SCPs: judge it with the group's policies added.
            let joined = AWSGraphContext.isAdministrator(context.authorizer(principal).adding(context.groupPolicies[group.id] ?? []))
            guard joined.isAllowed else { continue }
            return [context.edge(principal, to: context.adminNode, rule: "aws.iam.add-user-to-group", reason: "it can call iam:AddUserToGroup on \(group.name), whose policies make members administrators", decision)]
        }
        return []
    }

    public static let updateAssumeRolePolicy = EdgeRule<AWSGraphContext>(
        id: "aws.iam.update-assume-role-policy", technique: "Rewrite a role's trust policy", provider: .aws,
        summary: "iam:UpdateAssumeRolePolicy on a role lets it trust itself, then assume it (a same-account trust naming its ARN needs no other allow).",
        references: [iamAPI + "API_UpdateAssumeRolePolicy.html"]
    ) { context, principal in
        guard context.authorizer(principal).mayAllow("iam:UpdateAssumeRolePolicy") else { return [] }
        let me = context.principals[principal]
        // The trust it would write: its own ARN, allowed to assume the role.
        let rewritten = Policy(id: "\(me.id)#rewritten-trust", name: "the trust policy it would write", kind: .trust, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(aws: [me.id])), actions: .only(["sts:AssumeRole"])),
        ]))
        return context.candidates(principal, ["iam:UpdateAssumeRolePolicy"], among: context.changeableRoles).compactMap { role in
            guard let (_, decision) = context.firstAllowed(principal, ["iam:UpdateAssumeRolePolicy"], on: role.id) else { return nil }
            // Then it must be able to assume it: its boundary and the SCPs still apply.
            let assume = context.authorizer(principal).decide("sts:AssumeRole", on: role.id, resourcePolicy: rewritten, resourceAccount: role.account)
            guard assume.outcome != .denied else { return nil }
            return context.edge(principal, to: role.id, rule: "aws.iam.update-assume-role-policy", reason: "it can call iam:UpdateAssumeRolePolicy on role \(role.name), make it trust itself and assume it", decision)
        }
    }

    static let assumeRoleSummary = "sts:AssumeRole allowed by the role's trust policy and, unless the trust names the caller's ARN in the same account, by the caller's own policies."
    static let assumeRoleReferences = [
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    ]

    /// Roles whose trust admits the account or everyone: decided per policy set.
    public static let assumeRole = EdgeRule<AWSGraphContext>(
        id: "aws.sts.assume-role", technique: "Assume a role", provider: .aws, summary: assumeRoleSummary, references: assumeRoleReferences
    ) { context, principal in
        guard context.authorizer(principal).mayAllow("sts:AssumeRole") else { return [] }
        return context.candidates(principal, ["sts:AssumeRole"], among: context.rolesTrustingBroadly).compactMap { role in assume(context, principal, role) }
    }

    /// Roles whose trust names the principal's ARN, or tests who the caller is: decided per principal.
    public static let assumeRoleByArn = EdgeRule<AWSGraphContext>(
        id: "aws.sts.assume-role", technique: "Assume a role", provider: .aws, summary: assumeRoleSummary, references: assumeRoleReferences
    ) { context, principal in
        var roles = context.rolesNamingArn[context.principals[principal].id] ?? []
        if context.authorizer(principal).mayAllow("sts:AssumeRole") {
            roles += context.candidates(principal, ["sts:AssumeRole"], among: context.rolesTrustingPersonally).filter { role in !roles.contains { $0.id == role.id } }
        }
        return roles.compactMap { role in assume(context, principal, role) }
    }

    static func assume(_ context: AWSGraphContext, _ principal: Int, _ role: Identity) -> Edge? {
        guard role.id != context.principals[principal].id, let trust = context.trustPolicies[role.id] else { return nil }
        let decision = context.authorizer(principal).decide("sts:AssumeRole", on: role.id, resourcePolicy: trust, resourceAccount: role.account)
        guard decision.outcome != .denied else { return nil }
        return context.edge(principal, to: role.id, rule: "aws.sts.assume-role", reason: "it can call sts:AssumeRole on role \(role.name)", decision)
    }
}

/// Passing a role to a service that then runs the caller's code as the role: `iam:PassRole` on the
/// role (with `iam:PassedToService` the service) plus the service's actions to create and start it,
/// on a role whose trust admits that service.
public struct PassRoleTechnique: Sendable {
    public let id: String
    public let service: String
    public let technique: String
    /// Alternative sets of service actions, with the resource each is decided on (`{account}` filled in).
    public let requests: [[(action: String, resource: String)]]
    /// The role must be carried by an instance profile (EC2 runs as a profile, not a role).
    public let needsInstanceProfile: Bool
    public let reference: String

    var rule: EdgeRule<AWSGraphContext> {
        let technique = self
        return EdgeRule(
            id: id, technique: technique.technique, provider: .aws,
            summary: "iam:PassRole on a role that trusts \(service), plus " + requests.map { $0.map(\.action).joined(separator: " + ") }.joined(separator: " or ") + ".",
            references: [reference, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"]
        ) { context, principal in technique.edges(context, principal) }
    }

    func edges(_ context: AWSGraphContext, _ principal: Int) -> [Edge] {
        let authorizer = context.authorizer(principal)
        guard authorizer.mayAllow("iam:PassRole"), let candidates = context.rolesTrustingService[service], !candidates.isEmpty else { return [] }
        // The service actions first: they do not depend on the role.
        var serviceDecision: PermissionDecision?
        for alternative in requests {
            let filled = alternative.map { ($0.action, $0.resource.replacingOccurrences(of: "{account}", with: context.account)) }
            if let decision = context.allAllowed(principal, filled) {
                serviceDecision = decision
                if decision.isAllowed { break }
            }
        }
        guard let serviceDecision else { return [] }
        var passed = AWSRequestContext()
        passed.set("iam:PassedToService", service)
        return context.candidates(principal, ["iam:PassRole"], among: candidates.filter { $0.managedBy == nil }).compactMap { role in
            guard !needsInstanceProfile || context.profiledRoles.contains(role.id) else { return nil }
            let pass = authorizer.decide("iam:PassRole", on: role.id, with: passed)
            guard pass.outcome != .denied else { return nil }
            // The service must be able to assume the role for the caller's new resource.
            var trustReasons: [String] = []
            switch context.trustAdmits(role, service: service) {
            case .fails: return nil
            case .undecided(let why): trustReasons = [why]
            case .matches: break
            }
            let undecided = pass.outcome == .undecided || serviceDecision.outcome == .undecided || !trustReasons.isEmpty
            let both = PermissionDecision(
                outcome: undecided ? .undecided : .allowed, statements: AWSGraphContext.unique(pass.statements + serviceDecision.statements),
                reasons: pass.reasons + serviceDecision.reasons + trustReasons.map { "condition: \($0)" })
            return context.edge(principal, to: role.id, rule: id, reason: "it can pass role \(role.name) to \(service) and run code there as the role", both)
        }
    }

    /// The ARN of a resource the caller creates, in any region it picks.
    static func arn(_ service: String, _ resource: String) -> String { "arn:aws:\(service):*:{account}:\(resource)" }

    public static let all: [PassRoleTechnique] = [
        PassRoleTechnique(
            id: "aws.pass-role.ec2", service: "ec2.amazonaws.com", technique: "Pass a role to a new EC2 instance",
            requests: [[("ec2:RunInstances", arn("ec2", "instance/*"))]], needsInstanceProfile: true,
            reference: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html"),
        PassRoleTechnique(
            id: "aws.pass-role.lambda", service: "lambda.amazonaws.com", technique: "Pass a role to a new Lambda function and invoke it",
            requests: [[("lambda:CreateFunction", arn("lambda", "function:*")), ("lambda:InvokeFunction", arn("lambda", "function:*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"),
        PassRoleTechnique(
            id: "aws.pass-role.lambda-event-source", service: "lambda.amazonaws.com", technique: "Pass a role to a new Lambda function triggered by an event source",
            requests: [[("lambda:CreateFunction", arn("lambda", "function:*")), ("lambda:CreateEventSourceMapping", arn("lambda", "event-source-mapping:*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"),
        PassRoleTechnique(
            id: "aws.pass-role.glue", service: "glue.amazonaws.com", technique: "Pass a role to a Glue development endpoint or job",
            requests: [[("glue:CreateDevEndpoint", arn("glue", "devEndpoint/*"))], [("glue:CreateJob", arn("glue", "job/*")), ("glue:StartJobRun", arn("glue", "job/*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateDevEndpoint.html"),
        PassRoleTechnique(
            id: "aws.pass-role.cloudformation", service: "cloudformation.amazonaws.com", technique: "Pass a role to a CloudFormation stack",
            requests: [[("cloudformation:CreateStack", arn("cloudformation", "stack/*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html"),
        PassRoleTechnique(
            id: "aws.pass-role.datapipeline", service: "datapipeline.amazonaws.com", technique: "Pass a role to a Data Pipeline",
            requests: [[("datapipeline:CreatePipeline", "*"), ("datapipeline:PutPipelineDefinition", "*"), ("datapipeline:ActivatePipeline", "*")]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/datapipeline/latest/APIReference/API_PutPipelineDefinition.html"),
        PassRoleTechnique(
            id: "aws.pass-role.sagemaker", service: "sagemaker.amazonaws.com", technique: "Pass a role to a SageMaker notebook, training or processing job",
            requests: [
                [("sagemaker:CreateNotebookInstance", arn("sagemaker", "notebook-instance/*")),
                 ("sagemaker:CreatePresignedNotebookInstanceUrl", arn("sagemaker", "notebook-instance/*"))],
                [("sagemaker:CreateTrainingJob", arn("sagemaker", "training-job/*"))],
                [("sagemaker:CreateProcessingJob", arn("sagemaker", "processing-job/*"))],
            ],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateNotebookInstance.html"),
        PassRoleTechnique(
            id: "aws.pass-role.codebuild", service: "codebuild.amazonaws.com", technique: "Pass a role to a CodeBuild project and start a build",
            requests: [[("codebuild:CreateProject", arn("codebuild", "project/*")), ("codebuild:StartBuild", arn("codebuild", "project/*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html"),
        PassRoleTechnique(
            id: "aws.pass-role.ecs", service: "ecs-tasks.amazonaws.com", technique: "Pass a role to an ECS task and run it",
            requests: [[("ecs:RegisterTaskDefinition", "*"), ("ecs:RunTask", arn("ecs", "task-definition/*"))]],
            needsInstanceProfile: false, reference: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"),
        PassRoleTechnique(
            id: "aws.pass-role.autoscaling", service: "ec2.amazonaws.com", technique: "Pass a role to instances an Auto Scaling group launches",
            requests: [
                [("autoscaling:CreateLaunchConfiguration", arn("autoscaling", "launchConfiguration:*")), ("autoscaling:CreateAutoScalingGroup", arn("autoscaling", "autoScalingGroup:*"))],
                // With a launch template the group launches as the caller: it needs ec2:RunInstances too.
                [("ec2:CreateLaunchTemplate", arn("ec2", "launch-template/*")), ("autoscaling:CreateAutoScalingGroup", arn("autoscaling", "autoScalingGroup:*")),
                 ("ec2:RunInstances", arn("ec2", "instance/*"))],
            ],
            needsInstanceProfile: true, reference: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"),
    ]
}
