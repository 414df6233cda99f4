import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The AWS access graph: the example estate's scenarios and look-alikes, and the evaluator's
/// answers on cases the AWS documentation decides.
struct AWSGraphTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/graph/aws")

    struct Expected: Decodable {
        struct Vulnerable: Decodable {
            var principal: String
            var technique: String
            var steps: Int
        }
        struct Safe: Decodable {
            var principal: String
            var why: String
        }
        var account: String
        var admins: [String]
        var vulnerable: [Vulnerable]
        var safe: [Safe]
    }

    static func load() throws -> (Estate, Expected) {
        let path = example.appendingPathComponent("authorization-details.json").path
        let result = try AWSConnector().read([AWSConnector.InputFile(path: path, kind: .authorizationDetails)])
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: example.appendingPathComponent("expected.json")))
        return (try #require(result.estates.first), expected)
    }

    static func paths(_ estate: Estate) -> (graph: AccessGraph, next: [Int32]) {
        let fragment = AWSGraph.fragment(for: estate, index: EstateIndex([estate]))
        let graph = AccessGraph(edges: fragment.edges + estate.edges)
        return (graph, graph.towards(graph.adminNodes).next)
    }

    @Test func everyPlantedTechniqueIsFoundWithItsShortestPath() throws {
        let (estate, expected) = try Self.load()
        let (graph, next) = Self.paths(estate)
        for vulnerable in expected.vulnerable {
            let node = try #require(graph.node(vulnerable.principal), "\(vulnerable.principal) is not in the graph")
            let steps = AccessGraph.steps(graph.path(from: node, next: next))
            #expect(steps.count == vulnerable.steps, "\(vulnerable.principal): \(steps.map(\.rule))")
            #expect(steps.first?.rule == vulnerable.technique, "\(vulnerable.principal): \(steps.map(\.rule))")
            #expect(steps.last.map { GraphFragment.isAdminNode($0.to) } == true)
            // every step names the statements that allow it
            #expect(steps.allSatisfy { !$0.statements.isEmpty }, "\(vulnerable.principal)")
        }
    }

    @Test func administratorsAreAdministratorsOutright() throws {
        let (estate, expected) = try Self.load()
        let (graph, next) = Self.paths(estate)
        for admin in expected.admins {
            let steps = AccessGraph.steps(graph.path(from: try #require(graph.node(admin)), next: next))
            #expect(steps.map(\.rule) == ["aws.admin"], "\(admin)")
        }
    }

    @Test func noLookAlikeReachesAdmin() throws {
        let (estate, expected) = try Self.load()
        let (graph, next) = Self.paths(estate)
        for safe in expected.safe {
            guard let node = graph.node(safe.principal) else { continue }
            #expect(next[node] < 0, "\(safe.principal) (\(safe.why)) reaches admin: \(graph.path(from: node, next: next).map(\.rule))")
        }
    }

    @Test func analysisRaisesPathFindingsOnlyOnEscalators() throws {
        let (estate, expected) = try Self.load()
        let analysis = Analyzer.run([estate])
        let flagged = Set(analysis.findings.filter { $0.ruleId == GraphFindings.pathToAdmin.id }.map(\.identityId))
        // those one-step self-escalation already makes admin carry that finding instead
        let judgedAdmin = Set(analysis.profiles.filter { $0.privilege.level == .admin }.map(\.identity.id))
        #expect(flagged == Set(expected.vulnerable.map(\.principal)).subtracting(judgedAdmin))
        #expect(flagged.count >= 12)
        #expect(flagged.isDisjoint(with: expected.safe.map(\.principal)))
        let evidence = try #require(analysis.findings.first { $0.ruleId == GraphFindings.pathToAdmin.id && $0.identityName == "chain-start" }).evidence
        #expect(evidence.count == 3 && evidence[0].contains("aws.sts.assume-role") && evidence[0].contains("allowed by"))
        // a path to admin is scored like admin
        let start = try #require(analysis.profiles.first { $0.identity.name == "chain-start" })
        #expect(start.risk.factors.contains { $0.contains("admin (through a path)") })
    }

    // MARK: Evaluation, from the AWS documentation's examples

    static let account = "111122223333"

    static func user(_ name: String, tags: [String: String] = [:]) -> Identity {
        Identity(id: "arn:aws:iam::\(account):user/\(name)", provider: .aws, kind: .iamUser, name: name, account: account, tags: tags, nature: .machine)
    }

    static func role(_ name: String, account: String = account) -> Identity {
        Identity(id: "arn:aws:iam::\(account):role/\(name)", provider: .aws, kind: .iamRole, name: name, account: account, nature: .machine)
    }

    static func document(_ statements: PolicyStatement...) -> Policy {
        Policy(id: "arn:aws:iam::111122223333:policy/p\(statements.hashValue)", name: "test", kind: .customerManaged,
               document: PolicyDocument(statements: statements))
    }

    static func allow(_ actions: [String], _ resources: [String] = ["*"], _ conditions: [PolicyCondition] = []) -> PolicyStatement {
        PolicyStatement(effect: .allow, actions: .only(actions), resources: .only(resources), conditions: conditions)
    }

    static func trust(_ principal: String) -> PolicyStatement {
        PolicyStatement(effect: .allow, principals: .only(PrincipalSet(aws: [principal])), actions: .only(["sts:AssumeRole"]))
    }

    @Test func explicitDenyOverridesAllow() throws {
        // "Policy evaluation logic": an explicit deny in any policy overrides any allow.
        let allow = Self.document(Self.allow(["iam:*"]))
        let deny = Self.document(PolicyStatement(effect: .deny, actions: .only(["iam:CreateAccessKey"]), resources: .only(["arn:aws:iam::111122223333:user/admin"])))
        let authorizer = AWSAuthorizer(principal: Self.user("ci"), policies: [allow, deny], boundary: nil)
        let decision = authorizer.decide("iam:CreateAccessKey", on: "arn:aws:iam::111122223333:user/admin")
        #expect(decision.outcome == .denied && decision.explicit)
        #expect(authorizer.decide("iam:CreateAccessKey", on: "arn:aws:iam::111122223333:user/other").isAllowed)
    }

    @Test func boundaryLimitsIdentityPolicies() throws {
        // "Permissions boundaries for IAM entities": the effective permissions are the intersection.
        let admin = Self.document(Self.allow(["*"]))
        let boundary = Self.document(Self.allow(["s3:*", "cloudwatch:*"]))
        let authorizer = AWSAuthorizer(principal: Self.user("bounded"), policies: [admin], boundary: boundary)
        #expect(authorizer.decide("s3:GetObject", on: "arn:aws:s3:::bucket/key").isAllowed)
        let denied = authorizer.decide("iam:CreateUser", on: "*")
        #expect(denied.outcome == .denied && !denied.explicit && denied.reasons.contains { $0.contains("permissions boundary") })
    }

    @Test func notActionAllowsEverythingElse() throws {
        // "IAM JSON policy elements: NotAction": Allow with NotAction iam:* allows every non-IAM action.
        let policy = Self.document(PolicyStatement(effect: .allow, actions: .except(["iam:*"]), resources: .only(["*"])))
        let authorizer = AWSAuthorizer(principal: Self.user("power"), policies: [policy], boundary: nil)
        #expect(authorizer.decide("ec2:RunInstances", on: "*").isAllowed)
        #expect(!authorizer.decide("iam:CreateUser", on: "*").isAllowed)
    }

    @Test func trustNamingTheAccountNeedsAnIdentityAllowButNamingTheArnDoesNot() throws {
        // "Cross-account policy evaluation logic" and "Policy evaluation for requests within a single account".
        let caller = Self.role("caller")
        let target = Self.role("target")
        let byAccount = Self.document(Self.trust("arn:aws:iam::111122223333:root"))
        let byArn = Self.document(Self.trust("arn:aws:iam::111122223333:role/caller"))
        let nothing = AWSAuthorizer(principal: caller, policies: [], boundary: nil)
        #expect(!nothing.decide("sts:AssumeRole", on: target.id, resourcePolicy: byAccount, resourceAccount: Self.account).isAllowed)
        #expect(nothing.decide("sts:AssumeRole", on: target.id, resourcePolicy: byArn, resourceAccount: Self.account).isAllowed)
        let allowed = Self.document(Self.allow(["sts:AssumeRole"]))
        let withAllow = AWSAuthorizer(principal: caller, policies: [allowed], boundary: nil)
        #expect(withAllow.decide("sts:AssumeRole", on: target.id, resourcePolicy: byAccount, resourceAccount: Self.account).isAllowed)
        // Across accounts, naming the ARN is not enough: the caller's own account must allow too.
        let foreign = Self.role("foreign", account: "444455556666")
        let byForeignArn = Self.document(Self.trust("arn:aws:iam::444455556666:role/foreign"))
        #expect(!AWSAuthorizer(principal: foreign, policies: [], boundary: nil)
            .decide("sts:AssumeRole", on: target.id, resourcePolicy: byForeignArn, resourceAccount: Self.account).isAllowed)
    }

    @Test func passRoleConditionOnAnotherServiceCannotHold() throws {
        // "Granting a user permissions to pass a role": iam:PassedToService limits the service.
        let policy = Self.document(Self.allow(["iam:PassRole"], ["*"], [PolicyCondition(operator: "StringEquals", key: "iam:PassedToService", values: ["ec2.amazonaws.com"])]))
        let authorizer = AWSAuthorizer(principal: Self.user("dev"), policies: [policy], boundary: nil)
        var lambda = AWSRequestContext()
        lambda.set("iam:PassedToService", "lambda.amazonaws.com")
        var ec2 = AWSRequestContext()
        ec2.set("iam:PassedToService", "ec2.amazonaws.com")
        #expect(authorizer.decide("iam:PassRole", on: "arn:aws:iam::111122223333:role/x", with: lambda).outcome == .denied)
        #expect(authorizer.decide("iam:PassRole", on: "arn:aws:iam::111122223333:role/x", with: ec2).isAllowed)
    }

    @Test func conditionOnAnUnknownKeyIsUndecidedNotGuessed() throws {
        let policy = Self.document(Self.allow(["s3:*"], ["*"], [PolicyCondition(operator: "IpAddress", key: "aws:SourceIp", values: ["203.0.113.0/24"])]))
        let decision = AWSAuthorizer(principal: Self.user("net"), policies: [policy], boundary: nil).decide("s3:GetObject", on: "arn:aws:s3:::b/k")
        #expect(decision.outcome == .undecided)
        #expect(decision.reasons.contains { $0.contains("aws:SourceIp") })
    }

    @Test func principalTagConditionsUseTheIdentitysTags() throws {
        // "Controlling access for IAM principals": aws:PrincipalTag.
        let policy = Self.document(Self.allow(["ec2:*"], ["*"], [PolicyCondition(operator: "StringEquals", key: "aws:PrincipalTag/team", values: ["ops"])]))
        #expect(AWSAuthorizer(principal: Self.user("o", tags: ["team": "ops"]), policies: [policy], boundary: nil).decide("ec2:StopInstances", on: "*").isAllowed)
        // the export lists every tag: a principal without the tag is known not to match
        #expect(AWSAuthorizer(principal: Self.user("d"), policies: [policy], boundary: nil).decide("ec2:StopInstances", on: "*").outcome == .denied)
    }

    @Test func newResourcesTheCallerNamesAreDecidedOnOneConcreteName() throws {
        // lambda:CreateFunction on function:app-* lets the caller create a function it names app-x, in any region.
        #expect(Wildcard.witness("arn:aws:lambda:*:111122223333:function:app-*", "arn:aws:lambda:*:111122223333:function:*")
            == "arn:aws:lambda:x:111122223333:function:app-")
        #expect(Wildcard.witness("arn:aws:lambda:eu-west-1:111122223333:function:*", "arn:aws:lambda:*:111122223333:function:*")
            == "arn:aws:lambda:eu-west-1:111122223333:function:x")
        // another account's functions are not the caller's to name; nor can a name hold a colon
        #expect(Wildcard.witness("arn:aws:lambda:*:444455556666:function:*", "arn:aws:lambda:*:111122223333:function:*") == nil)
        #expect(Wildcard.witness("*:111122223333:function:a:b", "arn:aws:lambda:*:111122223333:function:*") == nil)
        // a literal * is every resource, not a name the caller picks
        let prodOnly = Self.document(Self.allow(["*"], ["*-prod*"]))
        #expect(!AWSAuthorizer(principal: Self.user("p"), policies: [prodOnly], boundary: nil).decide("iam:CreateUser", on: "*").isAllowed)
    }

    @Test func aDenyOnTheNamesAnAllowAdmitsBlocksPassingARoleToLambda() {
        // Allow CreateFunction/InvokeFunction on prod-api-*, Deny on prod-*: every name the Allow admits is denied.
        var estate = Estate(observedAt: Date(timeIntervalSince1970: 1_750_000_000), scope: "aws:\(Self.account)")
        let caller = Self.user("deployer")
        let admin = Self.role("lambda-admin")
        estate.identities += [caller, admin]
        let trust = Policy(id: admin.id + "#trust", name: "trust", kind: .trust, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(service: ["lambda.amazonaws.com"])), actions: .only(["sts:AssumeRole"])),
        ]))
        let everything = Policy(id: "arn:aws:iam::aws:policy/AdministratorAccess", name: "AdministratorAccess", kind: .providerManaged,
                                document: PolicyDocument(statements: [Self.allow(["*"])]))
        func policy(deny: Bool) -> Policy {
            var statements = [
                Self.allow(["iam:PassRole"], [admin.id]),
                Self.allow(["lambda:CreateFunction", "lambda:InvokeFunction"], ["arn:aws:lambda:*:111122223333:function:prod-api-*"]),
            ]
            if deny {
                statements.append(PolicyStatement(effect: .deny, actions: .only(["lambda:*"]), resources: .only(["arn:aws:lambda:*:111122223333:function:prod-*"])))
            }
            return Policy(id: "arn:aws:iam::111122223333:policy/deploy-\(deny)", name: "deploy", kind: .customerManaged, document: PolicyDocument(statements: statements))
        }
        estate.policies += [trust, everything]
        estate.grants += [Grant(subjectId: admin.id, policyId: trust.id, via: .trust), Grant(subjectId: admin.id, policyId: everything.id, via: .attached)]
        var open = estate
        open.policies.append(policy(deny: false))
        open.grants.append(Grant(subjectId: caller.id, policyId: policy(deny: false).id, via: .attached))
        var denied = estate
        denied.policies.append(policy(deny: true))
        denied.grants.append(Grant(subjectId: caller.id, policyId: policy(deny: true).id, via: .attached))
        func passes(_ estate: Estate) -> Bool {
            AWSGraph.fragment(for: estate, index: EstateIndex([estate])).edges.contains { $0.from == caller.id && $0.rule == "aws.pass-role.lambda" }
        }
        #expect(passes(open))
        #expect(!passes(denied))
    }

    @Test func sharedPoliciesHangOnOneNodeAndStayLinear() throws {
        // 200 users who may all create keys for every user: edges grow with users, not users squared.
        var estate = Estate(observedAt: Date(timeIntervalSince1970: 1_750_000_000), scope: "aws:\(Self.account)")
        let keys = Policy(id: "arn:aws:iam::111122223333:policy/keys", name: "keys", kind: .customerManaged, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, actions: .only(["iam:CreateAccessKey"]), resources: .only(["*"])),
        ]))
        estate.policies.append(keys)
        for i in 0..<200 {
            let user = Self.user("u\(i)")
            estate.identities.append(user)
            estate.grants.append(Grant(subjectId: user.id, policyId: keys.id, via: .attached))
        }
        let fragment = AWSGraph.fragment(for: estate, index: EstateIndex([estate]))
        // one policy set, one edge to "every user", and each user once from both sides
        #expect(fragment.edges.filter { $0.rule == "aws.iam.create-access-key" }.count == 1)
        #expect(fragment.edges.filter { $0.kind == .holds }.count == 200)
        #expect(fragment.edges.filter { $0.kind == .expandsTo }.count == 200)
        // and a path still reads user to user, with the statement that allows it
        let graph = AccessGraph(edges: fragment.edges)
        let target = try #require(graph.node(Self.user("u7").id))
        let reached = graph.reachable(from: try #require(graph.node(Self.user("u3").id)))
        var via: [Int: Int] = [:]
        for entry in reached { via[entry.node] = entry.via }
        let steps = AccessGraph.steps(graph.path(to: target, via: via))
        #expect(steps.map(\.rule) == ["aws.iam.create-access-key"])
        #expect(steps.first?.from == Self.user("u3").id && steps.first?.to == Self.user("u7").id && steps.first?.statement?.policyId == keys.id)
    }

    @Test func crossAccountTrustNeedsBothSides() {
        // "Cross-account policy evaluation logic": the trust in the role's account and the caller's own policies.
        func estate(_ account: String) -> Estate { Estate(observedAt: Date(timeIntervalSince1970: 1_750_000_000), scope: "aws:\(account)") }
        var a = estate("111122223333")
        var b = estate("444455556666")
        let assume = Policy(id: "arn:aws:iam::111122223333:policy/assume", name: "assume", kind: .customerManaged,
                            document: PolicyDocument(statements: [Self.allow(["sts:AssumeRole"])]))
        a.policies.append(assume)
        let allowed = Self.role("deployer")
        let bare = Self.role("bystander")
        a.identities += [allowed, bare]
        a.grants.append(Grant(subjectId: allowed.id, policyId: assume.id, via: .attached))
        let target = Self.role("prod-admin", account: "444455556666")
        b.identities.append(target)
        let trust = Policy(id: target.id + "#trust", name: "prod-admin trust", kind: .trust,
                           document: PolicyDocument(statements: [Self.trust("arn:aws:iam::111122223333:root")]))
        b.policies.append(trust)
        b.grants.append(Grant(subjectId: target.id, policyId: trust.id, via: .trust))
        let edges = AWSCrossAccountTrust.edges([a, b])
        #expect(edges.map(\.from) == [allowed.id])
        #expect(edges.first?.to == target.id && edges.first?.statements.count == 2)
    }

    @Test func exposedAdministratorIsAToxicCombinationAtTheHeadOfItsFindings() {
        var builder = Builder()
        let role = builder.role("vendor-admin", trust: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(aws: ["arn:aws:iam::999988887777:root"])), actions: .only(["sts:AssumeRole"])),
        ]))
        builder.attach(administratorAccess, to: role)
        let analysis = builder.analyse()
        let findings = analysis.profiles.first { $0.identity.id == role }?.findings ?? []
        #expect(findings.first?.ruleId == GraphFindings.toxicCombination.id)
        #expect(findings.first?.evidence.contains { $0.contains("aws.role.trust-unknown-account") } == true)
    }

    @Test func everyServiceControlPolicyLevelMustAllow() {
        // "Service control policies (SCPs)": an SCP grants nothing; at every level of the organization some SCP must
        // allow the action, and a Deny in any of them wins.
        let admin = Self.document(Self.allow(["*"]))
        let fullAccess = Self.document(Self.allow(["*"]))
        let noIAM = Self.document(PolicyStatement(effect: .deny, actions: .only(["iam:*"]), resources: .only(["*"])))
        let onlyS3 = Self.document(Self.allow(["s3:*"]))
        let user = Self.user("ops")
        let denied = AWSAuthorizer(principal: user, policies: [admin], boundary: nil, controlPolicies: [[fullAccess], [fullAccess, noIAM]])
        let iam = denied.decide("iam:CreateUser", on: "*")
        #expect(iam.outcome == .denied && iam.explicit)
        #expect(denied.decide("s3:GetObject", on: "arn:aws:s3:::b/k").isAllowed)
        let narrowed = AWSAuthorizer(principal: user, policies: [admin], boundary: nil, controlPolicies: [[fullAccess], [onlyS3]])
        let ec2 = narrowed.decide("ec2:RunInstances", on: "*")
        #expect(ec2.outcome == .denied && !ec2.explicit && ec2.reasons.contains { $0.contains("level 2") })
    }

    @Test func exposedKeyThatReadsSecretsIsToxicWithoutAdmin() {
        var builder = Builder()
        let user = builder.user("svc-reader")
        builder.estate.credentials.append(Credential(
            id: "AKIAEXAMPLEOLDKEY0001", identityId: user, kind: .accessKey, status: .active, createdAt: daysBefore(900), lastUsedAt: daysBefore(1)))
        builder.attach(policy("read-secrets", Stmt.allow("secretsmanager:GetSecretValue")), to: user)
        let analysis = builder.analyse()
        let toxic = analysis.findings.first { $0.ruleId == GraphFindings.toxicCombination.id && $0.identityId == user }
        #expect(toxic != nil)
        #expect(toxic?.evidence.contains { $0.contains("aws.sensitive-access") && $0.contains("secretsmanager:GetSecretValue") } == true)
        #expect(!analysis.findings.contains { $0.ruleId == GraphFindings.pathToAdmin.id })
    }

    // MARK: Who asks matters

    /// An estate of one account with the given principals, policies (attached to the named principals) and extra grants.
    static func estate(_ identities: [Identity], policies: [(Policy, [String])], grants: [Grant] = []) -> Estate {
        var estate = Estate(observedAt: Date(timeIntervalSince1970: 1_750_000_000), scope: "aws:\(account)")
        estate.identities = identities
        for (policy, holders) in policies {
            estate.policies.append(policy)
            for holder in holders { estate.grants.append(Grant(subjectId: holder, policyId: policy.id, via: policy.kind == .trust ? .trust : .attached)) }
        }
        estate.grants += grants
        return estate
    }

    static func managed(_ name: String, _ statements: PolicyStatement...) -> Policy {
        Policy(id: "arn:aws:iam::111122223333:policy/\(name)", name: name, kind: .customerManaged, document: PolicyDocument(statements: statements))
    }

    static func edges(_ estate: Estate, from: String, rule: String) -> [Edge] {
        let fragment = AWSGraph.fragment(for: estate, index: EstateIndex([estate]))
        let graph = AccessGraph(edges: fragment.edges)
        // through a shared policy set or not, the steps from this principal
        guard let node = graph.node(from) else { return [] }
        return graph.reachable(from: node).map { graph.edges[$0.via] }.filter { $0.rule == rule }
    }

    @Test func aTrustThatTestsTheCallersArnAdmitsOnlyThatCaller() {
        // Two roles with the same policy; the target trusts the account only for one of them (aws:PrincipalArn).
        let deployer = Self.role("deployer"), intern = Self.role("intern"), target = Self.role("prod-admin")
        let assume = Self.managed("assume", Self.allow(["sts:AssumeRole"]))
        let trust = Policy(id: target.id + "#trust", name: "trust", kind: .trust, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(aws: ["arn:aws:iam::111122223333:root"])), actions: .only(["sts:AssumeRole"]),
                            conditions: [PolicyCondition(operator: "ArnEquals", key: "aws:PrincipalArn", values: [deployer.id])]),
        ]))
        let estate = Self.estate([deployer, intern, target], policies: [(assume, [deployer.id, intern.id]), (trust, [target.id])])
        #expect(Self.edges(estate, from: deployer.id, rule: "aws.sts.assume-role").map(\.to) == [target.id])
        #expect(Self.edges(estate, from: intern.id, rule: "aws.sts.assume-role").isEmpty)
    }

    @Test func putPolicyCarriesNoPolicyArnSoAnAttachOnlyDenyDoesNotStopIt() {
        // Deny attaching AWS-managed policies: PutUserPolicy (an inline document) has no iam:PolicyARN and stays open.
        let user = Self.user("self-editor")
        let policy = Self.managed("edit-self",
            Self.allow(["iam:PutUserPolicy", "iam:AttachUserPolicy"], [user.id]),
            PolicyStatement(effect: .deny, actions: .only(["iam:Attach*Policy", "iam:Put*Policy"]), resources: .only(["*"]),
                            conditions: [PolicyCondition(operator: "ArnLike", key: "iam:PolicyARN", values: ["arn:aws:iam::aws:policy/*"])]))
        let estate = Self.estate([user], policies: [(policy, [user.id])])
        let edges = Self.edges(estate, from: user.id, rule: "aws.iam.user-policy")
        #expect(edges.count == 1)
        #expect(edges.first?.reason.contains("iam:PutUserPolicy") == true)
    }

    @Test func joiningAnAdminGroupKeepsTheJoinersBoundary() {
        let bounded = Self.user("bounded"), free = Self.user("free")
        let join = Self.managed("join", Self.allow(["iam:AddUserToGroup", "s3:*"]))
        let boundary = Self.managed("boundary", Self.allow(["iam:AddUserToGroup", "s3:*"]))
        let everything = Self.managed("everything", Self.allow(["*"]))
        let group = Resource(id: "arn:aws:iam::111122223333:group/admins", provider: .aws, type: "aws.iam.group", name: "admins", account: Self.account)
        var estate = Self.estate([bounded, free], policies: [(join, [bounded.id, free.id]), (boundary, []), (everything, [group.id])],
                                 grants: [Grant(subjectId: bounded.id, policyId: boundary.id, via: .boundary)])
        estate.resources.append(group)
        #expect(Self.edges(estate, from: free.id, rule: "aws.iam.add-user-to-group").count == 1)
        #expect(Self.edges(estate, from: bounded.id, rule: "aws.iam.add-user-to-group").isEmpty)
    }

    @Test func passRoleNeedsTheRolesTrustToAdmitTheService() {
        // The role trusts CodeBuild only for one existing project (aws:SourceArn): the edge is conditional, named.
        let dev = Self.user("dev"), role = Self.role("build-admin")
        let build = Self.managed("build", Self.allow(["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"]))
        let everything = Self.managed("everything", Self.allow(["*"]))
        let scoped = Policy(id: role.id + "#trust", name: "trust", kind: .trust, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(service: ["codebuild.amazonaws.com"])), actions: .only(["sts:AssumeRole"]),
                            conditions: [PolicyCondition(operator: "ArnEquals", key: "aws:SourceArn", values: ["arn:aws:codebuild:us-east-1:111122223333:project/release"])]),
        ]))
        let estate = Self.estate([dev, role], policies: [(build, [dev.id]), (everything, [role.id]), (scoped, [role.id])])
        let edges = Self.edges(estate, from: dev.id, rule: "aws.pass-role.codebuild")
        #expect(edges.count == 1)
        #expect(edges.first?.conditions.contains { $0.contains("aws:SourceArn") } == true)
        // and a trust that denies the service closes it
        let denied = Policy(id: role.id + "#trust", name: "trust", kind: .trust, document: PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(service: ["codebuild.amazonaws.com"])), actions: .only(["sts:AssumeRole"])),
            PolicyStatement(effect: .deny, principals: .only(PrincipalSet(service: ["codebuild.amazonaws.com"])), actions: .only(["sts:AssumeRole"])),
        ]))
        let closed = Self.estate([dev, role], policies: [(build, [dev.id]), (everything, [role.id]), (denied, [role.id])])
        #expect(Self.edges(closed, from: dev.id, rule: "aws.pass-role.codebuild").isEmpty)
    }
}
