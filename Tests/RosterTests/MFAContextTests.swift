import RosterAnalysis
import RosterModel
import Testing

/// `aws:MultiFactorAuthPresent` as AWS documents it: absent for long-term access keys, present
/// (`false` without MFA) in sessions, so one force-MFA deny treats users' keys and roles differently.
struct MFAContextTests {
    let admin = Policy(
        id: "arn:aws:iam::aws:policy/AdministratorAccess", name: "AdministratorAccess", provider: .aws, kind: .providerManaged,
        document: PolicyDocument(statements: [PolicyStatement(effect: .allow, actions: .only(["*"]), resources: .only(["*"]))]))

    func denyWithoutMFA(_ op: String) -> Policy {
        Policy(
            id: "deny-\(op)", name: "deny-\(op)", provider: .aws, kind: .customerManaged,
            document: PolicyDocument(statements: [PolicyStatement(
                effect: .deny, actions: .only(["*"]), resources: .only(["*"]),
                conditions: [PolicyCondition(operator: op, key: "aws:MultiFactorAuthPresent", values: ["false"])])]))
    }

    @Test(arguments: [
        // (operator, context, still allowed?)
        ("Bool", PolicyEvaluator.MFAContext.absent, true),          // access keys: the key is absent, Bool does not match
        ("BoolIfExists", .absent, false),                           // IfExists matches an absent key: denied
        ("Bool", .present(false), false),                           // a role session without MFA: denied
        ("BoolIfExists", .present(false), false),
        ("Bool", .present(true), true),                             // after MFA: not denied
    ])
    func forceMFADeny(_ op: String, _ context: PolicyEvaluator.MFAContext, _ allowed: Bool) {
        let evaluator = PolicyEvaluator(policies: [admin, denyWithoutMFA(op)], boundary: nil, mfa: context)
        #expect(evaluator.evaluate(action: "s3:GetObject").isAllowed == allowed)
    }

    @Test func typicalContextFollowsWhoUsesTheIdentity() {
        let user = Identity(id: "u", provider: .aws, kind: .iamUser, name: "svc", nature: .machine)
        let role = Identity(id: "r", provider: .aws, kind: .iamRole, name: "ci", nature: .machine)
        let person = Identity(id: "p", provider: .aws, kind: .iamUser, name: "ann", nature: .human)
        #expect(PolicyEvaluator.MFAContext.typical(for: user) == .absent)
        #expect(PolicyEvaluator.MFAContext.typical(for: role) == .present(false))
        #expect(PolicyEvaluator.MFAContext.typical(for: person) == .present(true))
    }
}
