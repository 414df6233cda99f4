import RosterAnalysis
import RosterModel
import Testing

struct PolicyEvaluatorTests {
    func evaluator(_ statements: PolicyStatement..., boundary: [PolicyStatement]? = nil, mfa: Bool = false) -> PolicyEvaluator {
        PolicyEvaluator(
            policies: [Policy(id: "p", name: "p", provider: .aws, kind: .inline, document: PolicyDocument(statements: statements))],
            boundary: boundary.map { Policy(id: "b", name: "b", provider: .aws, kind: .customerManaged, document: PolicyDocument(statements: $0)) },
            callerUsesMFA: mfa)
    }

    @Test func explicitDenyWinsOverAnyAllow() {
        // Given s3:* allowed and s3:DeleteBucket denied, in either order
        let denyLast = evaluator(Statement.allow("s3:*"), Statement.deny("s3:DeleteBucket"))
        let denyFirst = evaluator(Statement.deny("s3:DeleteBucket"), Statement.allow("s3:*"))
        // Then the denied action is explicitly denied and the rest allowed
        for e in [denyLast, denyFirst] {
            #expect(e.evaluate(action: "s3:DeleteBucket") == .explicitlyDenied)
            #expect(e.evaluate(action: "s3:GetObject") == .allowed)
        }
    }

    @Test func denyInOnePolicyBeatsAllowInAnother() {
        // Given AdministratorAccess and a separate policy denying IAM
        let e = PolicyEvaluator(policies: [Policies.administratorAccess, makePolicy("no-iam", Statement.deny("iam:*"))], boundary: nil)
        // Then IAM is denied, the rest allowed
        #expect(e.evaluate(action: "iam:CreateAccessKey") == .explicitlyDenied)
        #expect(e.evaluate(action: "ec2:RunInstances") == .allowed)
    }

    @Test func nothingMatchingIsAnImplicitDeny() {
        // Given a policy allowing only s3:GetObject, and no policy at all
        // Then other actions are implicitly denied
        let e = evaluator(Statement.allow("s3:GetObject"))
        #expect(e.evaluate(action: "s3:PutObject") == .implicitlyDenied)
        #expect(!e.evaluate(action: "s3:PutObject").isAllowed)
        #expect(PolicyEvaluator(policies: [], boundary: nil).evaluate(action: "s3:GetObject") == .implicitlyDenied)
    }

    @Test func notActionAllowsEverythingElse() {
        // Given Allow NotAction iam:*
        let e = evaluator(Statement.allowAllBut("iam:*"))
        // Then IAM is not allowed, everything else is
        #expect(e.evaluate(action: "iam:CreateUser") == .implicitlyDenied)
        #expect(e.evaluate(action: "ec2:RunInstances") == .allowed)
    }

    @Test func denyNotActionDeniesEverythingElse() {
        // Given Allow * with Deny NotAction s3:GetObject (effectively read-only)
        let e = evaluator(Statement.allow("*"), Statement.denyAllBut("s3:GetObject"))
        #expect(e.evaluate(action: "s3:GetObject") == .allowed)
        #expect(e.evaluate(action: "s3:PutObject") == .explicitlyDenied)
        #expect(e.evaluate(action: "iam:CreateUser") == .explicitlyDenied)
    }

    @Test func notResourceExcludesTheNamedResources() {
        // Given s3:* allowed on everything but the secrets bucket
        let e = evaluator(PolicyStatement(effect: .allow, actions: .only(["s3:*"]), resources: .except(["arn:aws:s3:::secrets/*"])))
        // Then objects in the secrets bucket are not allowed, others are
        #expect(e.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::secrets/db.env") == .implicitlyDenied)
        #expect(e.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::public/index.html") == .allowed)
        // And a Deny with NotResource denies everything outside its list
        let fenced = evaluator(Statement.allow("s3:*"), PolicyStatement(effect: .deny, actions: .only(["s3:*"]), resources: .except(["arn:aws:s3:::reports/*"])))
        #expect(fenced.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::reports/q3.csv") == .allowed)
        #expect(fenced.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::payroll/q3.csv") == .explicitlyDenied)
    }

    @Test func resourceScopedStatementsDoNotCoverEveryResource() {
        // Given s3:* on one bucket only
        let e = evaluator(Statement.allow("s3:*", on: ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"]))
        #expect(e.evaluate(action: "s3:PutObject", resource: "arn:aws:s3:::assets/logo.png") == .allowed)
        #expect(e.evaluate(action: "s3:PutObject", resource: "*") == .implicitlyDenied)
        // And ARNs match case-sensitively
        #expect(e.evaluate(action: "s3:PutObject", resource: "arn:aws:s3:::Assets/logo.png") == .implicitlyDenied)
    }

    @Test(arguments: [
        ("s3:Get*", "s3:GetObject", true),
        ("S3:GET*", "s3:GetObject", true),
        ("s3:getobject", "S3:GetObject", true),
        ("iam:*AccessKey*", "iam:CreateAccessKey", true),
        ("ec2:Describe?nstances", "ec2:DescribeInstances", true),
        ("ec2:Describe?", "ec2:DescribeInstances", false),
        ("s3:Get*", "s3:PutObject", false),
        ("s3*", "s3:GetObject", true),
        ("*", "organizations:LeaveOrganization", true),
    ])
    func actionsMatchCaseInsensitivelyWithWildcards(_ pattern: String, _ action: String, _ matches: Bool) {
        // Given an Allow for `pattern`
        // Then `action` is allowed exactly when AWS's case-insensitive wildcard matching says so
        let e = evaluator(Statement.allow(pattern))
        #expect(e.evaluate(action: action).isAllowed == matches, "\(pattern) vs \(action)")
    }

    @Test func boundaryIntersectsWithTheIdentitysPolicies() {
        // Given AdministratorAccess bounded by a boundary allowing only s3:* and logs:*
        let e = PolicyEvaluator(policies: [Policies.administratorAccess], boundary: Policies.s3AndLogsBoundary)
        // Then only what both allow is allowed
        #expect(e.evaluate(action: "s3:GetObject") == .allowed)
        #expect(e.evaluate(action: "logs:PutLogEvents") == .allowed)
        #expect(e.evaluate(action: "iam:CreateUser") == .implicitlyDenied)
        #expect(e.evaluate(action: "ec2:RunInstances") == .implicitlyDenied)
        // And the boundary grants nothing on its own
        let onlyBoundary = PolicyEvaluator(policies: [makePolicy("s3-read", Statement.allow("s3:GetObject"))], boundary: Policies.s3AndLogsBoundary)
        #expect(onlyBoundary.evaluate(action: "logs:PutLogEvents") == .implicitlyDenied)
        // And a deny in the boundary is an explicit deny
        let denying = evaluator(Statement.allow("*"), boundary: [Statement.allow("*"), Statement.deny("s3:DeleteBucket")])
        #expect(denying.evaluate(action: "s3:DeleteBucket") == .explicitlyDenied)
    }

    @Test func allowsWithConditionsAreConditional() {
        // Given an allow that depends on the caller's source IP
        let ip = PolicyCondition(operator: "IpAddress", key: "aws:SourceIp", values: ["203.0.113.0/24"])
        let e = evaluator(Statement.allow("s3:*", when: [ip]))
        // Then it is a conditional allow: allowed, but not unconditionally
        #expect(e.evaluate(action: "s3:GetObject") == .conditionallyAllowed)
        #expect(e.evaluate(action: "s3:GetObject").isAllowed)
        // And an unconditional allow of the same action makes it plainly allowed
        let both = evaluator(Statement.allow("s3:*", when: [ip]), Statement.allow("s3:GetObject"))
        #expect(both.evaluate(action: "s3:GetObject") == .allowed)
        // And a conditional boundary makes an allowed action conditional
        let bounded = evaluator(Statement.allow("s3:*"), boundary: [Statement.allow("s3:*", when: [ip])])
        #expect(bounded.evaluate(action: "s3:GetObject") == .conditionallyAllowed)
    }

    @Test func denyWithAnUnknownConditionDoesNotCountAsADeny() {
        // Given Allow * and a Deny that applies only outside the corporate network
        let outside = PolicyCondition(operator: "NotIpAddress", key: "aws:SourceIp", values: ["203.0.113.0/24"])
        let e = evaluator(Statement.allow("*"), Statement.deny("*", when: [outside]))
        // Then the evaluator cannot know the request's IP, and does not call it denied
        #expect(e.evaluate(action: "s3:GetObject") == .allowed)
    }

    @Test func multiFactorConditionsAreDecidedForTheCaller() {
        // Given the force-MFA policy next to AdministratorAccess
        let policies = [Policies.administratorAccess, Policies.forceMFA]
        // Then a machine caller (access keys, no MFA) is denied everything but MFA self-service
        let machine = PolicyEvaluator(policies: policies, boundary: nil, callerUsesMFA: false)
        #expect(machine.evaluate(action: "ec2:RunInstances") == .explicitlyDenied)
        #expect(machine.evaluate(action: "sts:GetSessionToken") == .allowed)
        // And a person signed in with MFA keeps AdministratorAccess
        let person = PolicyEvaluator(policies: policies, boundary: nil, callerUsesMFA: true)
        #expect(person.evaluate(action: "ec2:RunInstances") == .allowed)
        // And an allow that requires MFA never applies to a machine caller
        let requireMFA = PolicyCondition(operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["true"])
        #expect(evaluator(Statement.allow("*", when: [requireMFA])).evaluate(action: "s3:GetObject") == .implicitlyDenied)
        #expect(evaluator(Statement.allow("*", when: [requireMFA]), mfa: true).evaluate(action: "s3:GetObject") == .allowed)
    }
}

extension PolicyEvaluatorTests {
    @Test func multiFactorKeyIsAbsentForAccessKeyCallers() {
        // Given AWS's rule that aws:MultiFactorAuthPresent is left out of requests signed with long-term access keys
        let boolFalse = PolicyCondition(operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["false"])
        let ifExistsFalse = PolicyCondition(operator: "BoolIfExists", key: "aws:MultiFactorAuthPresent", values: ["false"])
        let isNull = PolicyCondition(operator: "Null", key: "aws:MultiFactorAuthPresent", values: ["true"])
        func decision(_ condition: PolicyCondition, mfa: Bool) -> PolicyEvaluator.Decision {
            evaluator(Statement.allow("*"), Statement.deny("*", when: [condition]), mfa: mfa).evaluate(action: "ec2:RunInstances")
        }
        // Then a plain Bool deny never matches a machine caller, while BoolIfExists and Null = true do
        #expect(decision(boolFalse, mfa: false) == .allowed)
        #expect(decision(ifExistsFalse, mfa: false) == .explicitlyDenied)
        #expect(decision(isNull, mfa: false) == .explicitlyDenied)
        // And none of them stops a person signed in with MFA
        #expect(decision(boolFalse, mfa: true) == .allowed)
        #expect(decision(ifExistsFalse, mfa: true) == .allowed)
        #expect(decision(isNull, mfa: true) == .allowed)
    }
}

/// Privilege levels come from evaluating requests, so denies and boundaries count.
struct PrivilegeAnalysisTests {
    func level(_ build: (inout EstateBuilder, String) -> Void, nature: IdentityNature = .machine) -> PrivilegeAssessment {
        var b = EstateBuilder()
        let id = b.user("svc-under-test", nature: nature)
        build(&b, id)
        let index = EstateIndex([b.estate])
        return PrivilegeAnalysis.assess(b.estate.identities.first { $0.id == id }!, in: index)
    }

    @Test func administratorAccessIsAdmin() {
        // Given AdministratorAccess attached
        // Then the identity is admin, and the evidence names the policy
        let result = level { b, id in b.attach(Policies.administratorAccess, to: id) }
        #expect(result.level == .admin)
        #expect(!result.conditional)
        #expect(result.evidence.contains { $0.contains("AdministratorAccess (attached)") })
    }

    @Test func adminThroughAGroupIsAdmin() {
        // Given AdministratorAccess on a group the identity belongs to
        // Then the identity is admin via that group
        let result = level { b, id in b.group("Admins", policies: [Policies.administratorAccess], members: [id]) }
        #expect(result.level == .admin)
        #expect(result.evidence.contains { $0.contains("via group Admins") })
    }

    @Test func rewritingIAMIsAdmin() {
        // Given only iam:* (which lets it attach AdministratorAccess to itself)
        let result = level { b, id in b.inline("iam-all", Statement.allow("iam:*"), to: id) }
        #expect(result.level == .admin)
        #expect(result.evidence.contains { $0.contains("iam:PutUserPolicy on itself") })
        #expect(result.evidence.contains { $0.contains("grant itself any permission") })
    }

    @Test func boundedAdminIsNotAdmin() {
        // Given AdministratorAccess under a boundary allowing only s3:* and logs:*
        // Then the identity can write, but is not admin
        let result = level { b, id in
            b.attach(Policies.administratorAccess, to: id)
            b.addPolicy(Policies.s3AndLogsBoundary)
            b.estate.grants.append(Grant(subjectId: id, policyId: Policies.s3AndLogsBoundary.id, via: .boundary))
        }
        #expect(result.level == .write)
    }

    @Test func readOnlyPoliciesAreRead() {
        // Given read-only, write and no policies
        // Then the levels are read, write and none
        #expect(level { b, id in b.attach(Policies.s3ReadOnly, to: id) }.level == .read)
        #expect(level { b, id in b.inline("w", Statement.allow("s3:PutObject"), to: id) }.level == .write)
        #expect(level { _, _ in }.level == .none)
    }

    @Test func conditionalAdminIsFlaggedConditional() {
        // Given Allow * only from one IP range
        // Then the identity is admin, marked conditional
        let ip = PolicyCondition(operator: "IpAddress", key: "aws:SourceIp", values: ["203.0.113.0/24"])
        let result = level { b, id in b.inline("admin-from-office", Statement.allow("*", when: [ip]), to: id) }
        #expect(result.level == .admin)
        #expect(result.conditional)
    }
}
