public import RosterModel

/// The edge rule that turns an AWS role's trust policy into `can-assume` edges, one per
/// principal an `Allow` statement admits, each naming the statement and its conditions.
///
/// This is the only place trust becomes edges; who is trusted is read once, by
/// `PolicyDocument.trustedPrincipals`, and judged by ``TrustAnalysis``.
public enum TrustEdgeRule {
    public static let id = "aws.trust"
    public static let title = "Role trust policy (sts:AssumeRole*)"
    public static let references = ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"]

    public static func edges(role: Identity, trust: Policy) -> [Edge] {
        guard let document = trust.awsDocument else { return [] }
        return document.trustedPrincipals.map { principal in
            let conditions = principal.statement.conditions.map { "\($0.operator) \($0.key) = \($0.values.joined(separator: ", "))" }
            let who: String
            switch principal.kind {
            case .everyone: who = "any AWS principal"
            case .allExcept: who = "every principal except \(principal.value)"
            case .aws: who = principal.value.hasSuffix(":root") ? "account \(principal.value.split(separator: ":", omittingEmptySubsequences: false)[4])" : principal.value
            case .service: who = "AWS service \(principal.value)"
            case .oidc: who = "tokens of OIDC provider \(principal.value)"
            case .saml: who = "users of SAML provider \(principal.value)"
            case .canonicalUser: who = "canonical user \(principal.value)"
            }
            let actions = PolicyDocument.assumeRoleActions.filter { principal.statement.coversAction($0) }.joined(separator: "/")
            return Edge(
                from: principal.kind == .service ? "service:\(principal.value)" : principal.value, to: role.id, kind: .canAssume, rule: id,
                reason: "the trust policy of \(role.name) lets \(who) call \(actions)" + (conditions.isEmpty ? "" : " under conditions"),
                conditions: conditions,
                statement: StatementRef(policyId: trust.id, index: principal.statementIndex, sid: principal.statement.sid))
        }
    }
}
