import RosterAnalysis
import RosterModel
import Testing

/// Item 1: a principal that can rewrite its own permissions, or take over an admin, in one IAM call is effectively admin.
struct SelfEscalationTests {
    @Test func putUserPolicyOnItselfIsAdmin() throws {
        // Given a user allowed iam:PutUserPolicy on its own ARN, and nothing else
        var b = Builder()
        let me = b.user("svc-deploy")
        b.inline("self-edit", Stmt.allow("iam:PutUserPolicy", on: [me]), to: me)
        // When analysed
        let analysis = b.analyse()
        // Then it is admin, and the evidence names the action, the target and the policy
        let profile = try #require(analysis.profile(named: "svc-deploy"))
        #expect(profile.privilege.level == .admin)
        let evidence = profile.privilege.evidence.joined(separator: " ")
        #expect(evidence.contains("iam:PutUserPolicy"))
        #expect(evidence.contains(me))
        #expect(evidence.contains("self-edit (inline)"))
        #expect(analysis.rules(on: "svc-deploy").contains("aws.nhi.admin"))
    }

    @Test func eachOneStepRewriteOfItsOwnPermissionsIsAdmin() {
        // Given one identity per one-step path
        var b = Builder()
        let attachUser = b.user("attach-user")
        b.inline("p", Stmt.allow("iam:AttachUserPolicy", on: ["arn:aws:iam::*:user/attach-user"]), to: attachUser)
        let putRole = b.role("put-role")
        b.inline("p", Stmt.allow("iam:PutRolePolicy", on: [putRole]), to: putRole)
        let attachRole = b.role("attach-role")
        b.inline("p", Stmt.allow("iam:Attach*"), to: attachRole)
        let inGroup = b.user("in-group")
        let ops = b.group("ops", members: [inGroup])
        b.inline("p", Stmt.allow("iam:PutGroupPolicy", on: [ops]), to: inGroup)
        let versioned = b.user("versioned")
        let own = policy("versioned-own", Stmt.allow("s3:GetObject"))
        let team = b.group("team", members: [versioned])
        b.attach(own, to: team)
        b.inline("p", Stmt.allow("iam:CreatePolicyVersion", on: [own.id]), to: versioned)
        let defaulted = b.user("defaulted")
        let own2 = policy("defaulted-own", Stmt.allow("s3:GetObject"))
        b.attach(own2, to: defaulted)
        b.inline("p", Stmt.allow("iam:SetDefaultPolicyVersion", on: [own2.id]), to: defaulted)
        // When analysed
        let analysis = b.analyse()
        // Then every one is admin
        for name in ["attach-user", "put-role", "attach-role", "in-group", "versioned", "defaulted"] {
            #expect(analysis.level(of: name) == .admin, "\(name)")
        }
    }

    @Test func policyVariableForTheUserItselfResolvesToItself() {
        // Given the documented self-service shape `user/${aws:username}` on PutUserPolicy (a user can then write its own
        // policy: AWS substitutes the caller's name) and on CreateAccessKey (keys for itself, which is not admin)
        var b = Builder()
        let writer = b.user("self-writer")
        b.inline("p", Stmt.allow("iam:PutUserPolicy", on: ["arn:aws:iam::*:user/${aws:username}"]), to: writer)
        let keys = b.user("self-keys")
        b.inline("p", Stmt.allow("iam:CreateAccessKey", "iam:UpdateLoginProfile", on: ["arn:aws:iam::*:user/${aws:username}"]), to: keys)
        // and a role with the same user-scoped statement: roles carry no aws:username, so it matches nothing
        let role = b.role("role-with-user-var")
        b.inline("p", Stmt.allow("iam:PutRolePolicy", on: ["arn:aws:iam::*:role/${aws:username}"]), to: role)
        let analysis = b.analyse()
        // Then only the user that can write its own policy is admin
        #expect(analysis.level(of: "self-writer") == .admin)
        #expect(analysis.level(of: "self-keys") != .admin)
        #expect(analysis.level(of: "role-with-user-var") != .admin)
    }

    @Test func lookAlikesAreNotEscalation() {
        var b = Builder()
        // PutUserPolicy on other (non-admin) users only
        let other = b.user("other")
        let neighbour = b.user("neighbour")
        b.inline("p", Stmt.allow("iam:PutUserPolicy", on: ["arn:aws:iam::\(testAccount):user/neighbour"]), to: other)
        _ = neighbour
        // PutUserPolicy allowed but denied on the action
        let denied = b.user("denied")
        b.inline("p", Stmt.allow("iam:PutUserPolicy", on: [denied]), Stmt.deny("iam:Put*"), to: denied)
        // PutUserPolicy allowed but outside its permissions boundary
        let bounded = b.user("bounded")
        b.inline("p", Stmt.allow("iam:PutUserPolicy", on: [bounded]), to: bounded)
        b.boundary(policy("boundary-s3", Stmt.allow("s3:*")), on: bounded)
        // NotResource excluding itself
        let excluded = b.user("excluded")
        b.inline("p", PolicyStatement(effect: .allow, actions: .only(["iam:PutUserPolicy"]), resources: .except([excluded])), to: excluded)
        // CreatePolicyVersion on a customer-managed policy not attached to it
        let stranger = b.user("stranger")
        b.attach(policy("unrelated", Stmt.allow("s3:GetObject")), to: other)
        b.inline("p", Stmt.allow("iam:CreatePolicyVersion", on: ["arn:aws:iam::\(testAccount):policy/unrelated"]), to: stranger)
        let analysis = b.analyse()
        for name in ["other", "denied", "bounded", "excluded", "stranger"] {
            #expect(analysis.level(of: name) != .admin, "\(name)")
            #expect(!analysis.rules(on: name).contains("aws.nhi.admin"), "\(name)")
        }
    }

    @Test func takingOverAnAdminIsAdmin() throws {
        // Given an admin user and an admin role, and principals allowed one call on them
        var b = Builder()
        let admin = b.user("break-glass")
        b.attach(administratorAccess, to: admin)
        let adminRole = b.role("org-admin")
        b.attach(administratorAccess, to: adminRole)
        let keyMaker = b.user("key-maker")
        b.inline("p", Stmt.allow("iam:CreateAccessKey", on: ["arn:aws:iam::*:user/*"]), to: keyMaker)
        let loginMaker = b.role("login-maker")
        b.inline("p", Stmt.allow("iam:CreateLoginProfile", on: [admin]), to: loginMaker)
        let truster = b.role("truster")
        b.inline("p", Stmt.allow("iam:UpdateAssumeRolePolicy", "sts:AssumeRole", on: [adminRole]), to: truster)
        // and a role that may rewrite the admin role's trust but not assume it
        let cannotAssume = b.role("cannot-assume")
        b.inline("p", Stmt.allow("iam:UpdateAssumeRolePolicy", on: [adminRole]), to: cannotAssume)
        // and a user that may create keys only for non-admin users
        let scoped = b.user("scoped-keys")
        b.inline("p", Stmt.allow("iam:CreateAccessKey", on: ["arn:aws:iam::*:user/svc-*"]), to: scoped)
        let analysis = b.analyse()
        #expect(analysis.level(of: "key-maker") == .admin)
        let evidence = try #require(analysis.profile(named: "key-maker")).privilege.evidence.joined(separator: " ")
        #expect(evidence.contains("iam:CreateAccessKey") && evidence.contains(admin))
        #expect(analysis.level(of: "login-maker") == .admin)
        #expect(analysis.level(of: "truster") == .admin)
        #expect(analysis.level(of: "cannot-assume") != .admin)
        #expect(analysis.level(of: "scoped-keys") != .admin)
    }
}
