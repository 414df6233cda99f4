public import RosterModel

/// One-step privilege escalation: an identity that can rewrite its own permissions, or take
/// over an administrator, with a single IAM call is effectively an administrator.
///
/// Each check is a request evaluated on the ARN of its target, so `Resource`/`NotResource`,
/// policy variables, denies and the permissions boundary decide, as AWS would:
/// - `iam:PutUserPolicy` / `iam:AttachUserPolicy` on itself (a user), `iam:PutRolePolicy` /
///   `iam:AttachRolePolicy` on itself (a role), `iam:PutGroupPolicy` / `iam:AttachGroupPolicy` on a
///   group it is a member of;
/// - `iam:CreatePolicyVersion` / `iam:SetDefaultPolicyVersion` on a customer-managed policy attached
///   to it or to one of its groups;
/// - `iam:UpdateAssumeRolePolicy` on an administrator role it can then assume;
/// - `iam:CreateAccessKey`, `iam:CreateLoginProfile` or `iam:UpdateLoginProfile` on an administrator user.
///
/// IAM calls act in the caller's own account, so only targets there count. Paths of more than
/// one step (pass a role to a new Lambda function, then…) are not followed.
public enum SelfEscalation {
    /// One way to escalate: the call, its target, and the policies that allow it.
    public struct Step: Hashable, Sendable {
        public var action: String
        public var target: String
        /// The target as a reader knows it: "itself", "its group ops", "administrator role deploy".
        public var targetName: String
        public var grantedBy: String

        public var sentence: String {
            "can call \(action) on \(targetName) (\(target)), allowed by \(grantedBy.isEmpty ? "its policies together" : grantedBy)"
        }
    }

    /// Administrators a principal could take over, computed from every identity's direct privilege.
    public struct Targets: Sendable {
        public var adminUsers: [Identity] = []
        public var adminRoles: [Identity] = []

        public init(adminUsers: [Identity] = [], adminRoles: [Identity] = []) {
            self.adminUsers = adminUsers
            self.adminRoles = adminRoles
        }
    }

    /// The one-step escalations open to `identity`, given its granting policies and boundary.
    public static func steps(
        for identity: Identity, granted: [(policy: Policy, via: String)], boundary: Policy?, index: EstateIndex, targets: Targets
    ) -> [Step] {
        guard identity.kind == .iamUser || identity.kind == .iamRole else { return [] }
        let statements = granted.flatMap(\.policy.awsStatements)
        let mfa = PolicyEvaluator.MFAContext.typical(for: identity)
        let variables = PolicyEvaluator.variables(for: identity)
        let evaluator = PolicyEvaluator(policies: granted.map(\.policy), boundary: boundary, mfa: mfa, variables: variables)
        // Most identities are allowed none of these actions: skip the evaluation for them.
        func mayAllow(_ action: String) -> Bool { statements.contains { $0.effect == .allow && $0.coversAction(action) } }
        var steps: [Step] = []
        func check(_ actions: [String], on target: String, named name: String) {
            for action in actions where mayAllow(action) && evaluator.evaluate(action: action, resource: target).isAllowed {
                let by = PrivilegeAnalysis.granting([action], resource: target, granted: granted, mfa: mfa, variables: variables)
                steps.append(Step(action: action, target: target, targetName: name, grantedBy: by))
            }
        }
        let sameAccount = { (other: Identity) in other.account == identity.account && other.id != identity.id }

        if identity.kind == .iamUser {
            check(["iam:PutUserPolicy", "iam:AttachUserPolicy"], on: identity.id, named: "itself")
        } else {
            check(["iam:PutRolePolicy", "iam:AttachRolePolicy"], on: identity.id, named: "itself")
        }
        for group in index.groupsByMember[identity.id] ?? [] {
            check(["iam:PutGroupPolicy", "iam:AttachGroupPolicy"], on: group, named: "its group \(index.resourcesById[group]?.name ?? group)")
        }
        for policyId in index.attachedPolicyIds(of: identity) where isCustomerManaged(policyId) {
            let name = index.policiesById[policyId]?.name ?? policyId
            check(["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], on: policyId, named: "its customer-managed policy \(name)")
        }
        // Taking over an administrator: look at the targets only when some statement could allow the
        // call at all, so the cost stays linear for the many identities that cannot (no principal × principal scan).
        if mayAllow("iam:UpdateAssumeRolePolicy") {
            for role in targets.adminRoles where sameAccount(role) && canAssume(role, as: identity, evaluator: evaluator) {
                check(["iam:UpdateAssumeRolePolicy"], on: role.id, named: "administrator role \(role.name)")
            }
        }
        let takeOver = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"]
        if takeOver.contains(where: mayAllow) {
            for user in targets.adminUsers where sameAccount(user) {
                check(takeOver, on: user.id, named: "administrator user \(user.name)")
            }
        }
        return steps
    }

    /// Whether `identity` could assume `role` once the role's trust policy names it.
    ///
    /// Its own policies must allow `sts:AssumeRole` on the role, except for an IAM user: in one
    /// account a trust policy naming a user's ARN is enough on its own, whatever the user's
    /// policies and boundary leave out, though an explicit deny still stops it.
    static func canAssume(_ role: Identity, as identity: Identity, evaluator: PolicyEvaluator) -> Bool {
        let decision = evaluator.evaluate(action: "sts:AssumeRole", resource: role.id)
        if decision.isAllowed { return true }
        return identity.kind == .iamUser && decision != .explicitlyDenied
    }

    static func isCustomerManaged(_ policyId: String) -> Bool {
        policyId.hasPrefix("arn:") && !policyId.contains(":iam::aws:policy/") && policyId.contains(":policy/")
    }
}

extension PrivilegeAnalysis {
    /// Assesses every identity of `index`, including one-step escalation to administrator.
    ///
    /// Identities with the same policies, boundary and caller context share one assessment, so
    /// large estates, where many identities share a few policy sets, stay fast.
    public static func assessAll(_ index: EstateIndex) -> [String: PrivilegeAssessment] {
        var cache: [String: PrivilegeAssessment] = [:]
        var direct: [String: PrivilegeAssessment] = [:]
        for identity in index.identities {
            if identity.provider != .aws {
                // Other providers' grants are bindings and role assignments, judged in their own terms.
                direct[identity.id] = PrivilegeEvaluators.assess(identity, in: index)
                continue
            }
            if identity.kind == .rootAccount {
                direct[identity.id] = rootAssessment
                continue
            }
            let policies = index.permissionPolicySet(of: identity)
            let boundary = index.boundary(of: identity)
            let mfa = PolicyEvaluator.MFAContext.typical(for: identity)
            // Variables only matter to policies that use them; leaving them out of the key otherwise keeps sharing.
            let usesVariables = policies.granted.contains { $0.policy.awsStatements.contains { statementUsesVariables($0) } }
                || (boundary?.awsStatements.contains { statementUsesVariables($0) } ?? false)
            let variables = usesVariables ? PolicyEvaluator.variables(for: identity) : [:]
            let key = policies.granted.map { "\($0.policy.id)\u{1F}\($0.via)" }.joined(separator: "\u{1E}")
                + "\u{1D}\(policies.missing.joined(separator: ","))\u{1D}\(boundary?.id ?? "")\(mfa)\u{1D}\(variables.sorted { $0.key < $1.key })"
            if let cached = cache[key] {
                direct[identity.id] = cached
                continue
            }
            let assessed = assess(granted: policies.granted, missing: policies.missing, boundary: boundary, mfa: mfa, variables: variables)
            cache[key] = assessed
            direct[identity.id] = assessed
        }
        // Administrators by their own policies are what a one-step escalation can take over.
        let admins = index.identities.filter { $0.provider == .aws && direct[$0.id]?.level == .admin && $0.managedBy == nil }
        let targets = SelfEscalation.Targets(
            adminUsers: admins.filter { $0.kind == .iamUser }, adminRoles: admins.filter { $0.kind == .iamRole })
        var out = direct
        for identity in index.identities where identity.provider == .aws && direct[identity.id]?.level != .admin && identity.managedBy == nil {
            let policies = index.permissionPolicySet(of: identity)
            let steps = SelfEscalation.steps(for: identity, granted: policies.granted, boundary: index.boundary(of: identity), index: index, targets: targets)
            guard !steps.isEmpty else { continue }
            let shown = steps.prefix(3).map(\.sentence)
            let more = steps.count > 3 ? ["and \(steps.count - 3) more one-step escalation\(steps.count == 4 ? "" : "s")"] : []
            out[identity.id] = PrivilegeAssessment(
                level: .admin,
                evidence: shown + more + ["so it can grant itself any permission in one step"] + missingEvidence(policies.missing),
                conditional: false, missingPolicies: policies.missing)
        }
        return out
    }

    static func statementUsesVariables(_ statement: PolicyStatement) -> Bool {
        switch statement.resources {
        case .only(let patterns)?, .except(let patterns)?: patterns.contains { $0.contains("${") }
        case nil: false
        }
    }
}
