public import RosterModel

/// `sts:AssumeRole` edges between AWS accounts in the store: a role whose trust admits another
/// account (its root, one of its principals, or everyone) and a principal of that account whose own
/// policies allow the call. Across accounts both sides must allow (the trust alone never does).
///
/// Only principals whose statements could allow `sts:AssumeRole` at all are evaluated, and only
/// against roles whose trust admits their account, so the pass is linear in principals plus roles
/// for the usual estate where few principals may assume roles elsewhere.
public enum AWSCrossAccountTrust {
    public static func edges(_ estates: [Estate]) -> [Edge] {
        let aws = estates.filter { $0.scope.hasPrefix("aws:") }
        guard aws.count > 1 else { return [] }
        let index = EstateIndex(aws)
        // Roles by the account their trust admits; `*` for everyone.
        var rolesAdmitting: [String: [(role: Identity, trust: Policy)]] = [:]
        for role in index.identities where role.kind == .iamRole {
            guard let trust = index.trustPolicy(of: role), let document = trust.awsDocument else { continue }
            var accounts: Set<String> = []
            for principal in document.trustedPrincipals {
                switch principal.kind {
                case .aws:
                    let parts = principal.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    if parts.count >= 5, parts[4] != (role.account ?? "") { accounts.insert(parts[4]) }
                case .everyone, .allExcept:
                    accounts.insert("*")
                default:
                    break
                }
            }
            for account in accounts { rolesAdmitting[account, default: []].append((role, trust)) }
        }
        guard !rolesAdmitting.isEmpty else { return [] }
        var out: [Edge] = []
        for principal in index.identities where principal.kind == .iamUser || principal.kind == .iamRole {
            guard let account = principal.account else { continue }
            let candidates = (rolesAdmitting[account] ?? []) + (rolesAdmitting["*"] ?? []).filter { $0.role.account != account }
            guard !candidates.isEmpty else { continue }
            let granted = index.permissionPolicySet(of: principal).granted.map(\.policy)
            let authorizer = AWSAuthorizer(
                principal: principal, policies: granted, boundary: index.boundary(of: principal), controlPolicies: index.controlPolicies(of: principal))
            guard authorizer.mayAllow("sts:AssumeRole") else { continue }
            for (role, trust) in candidates {
                let decision = authorizer.decide("sts:AssumeRole", on: role.id, resourcePolicy: trust, resourceAccount: role.account)
                guard decision.outcome != .denied else { continue }
                let undecided = decision.outcome == .undecided
                out.append(Edge(
                    from: principal.id, to: role.id, kind: .canTakeOver, rule: AWSEdgeRules.assumeRole.id,
                    reason: "it can call sts:AssumeRole on role \(role.name) in account \(role.account ?? "?"), whose trust admits account \(account)"
                        + (undecided ? ", if its conditions hold" : ""),
                    conditions: undecided ? decision.reasons : [],
                    statement: decision.statements.first, otherStatements: decision.statements.count > 1 ? Array(decision.statements.dropFirst()) : nil))
            }
        }
        return out
    }
}
