/// Reading an AWS trust (assume-role) policy: which statements let whom assume the role.
///
/// This is the one place that decides which statements of a trust policy admit principals and
/// what kind of principal each is; the connector's human/machine classification and the
/// analysis rule that turns trust into ``Edge``s both read it.
public struct TrustedPrincipal: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// `"Principal": "*"` or `{"AWS": "*"}`.
        case everyone
        /// An AWS account, user or role (`arn:aws:iam::123456789012:root` for a bare account id).
        case aws
        /// An AWS service (`lambda.amazonaws.com`).
        case service
        /// A web-identity (OIDC) provider.
        case oidc
        /// A SAML provider.
        case saml
        case canonicalUser
        /// `NotPrincipal` with `Allow`: everyone except the listed principals.
        case allExcept
    }

    public var kind: Kind
    /// The principal, normalised: a bare account id becomes `arn:aws:iam::<id>:root`.
    public var value: String
    /// The principal as the policy writes it.
    public var written: String
    public var statementIndex: Int
    public var statement: PolicyStatement
}

extension PolicyDocument {
    /// The actions that assume a role.
    public static let assumeRoleActions = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]

    /// The `Allow` statements that grant an assume-role action, with their positions.
    public var assumeRoleStatements: [(index: Int, statement: PolicyStatement)] {
        statements.enumerated().filter { _, statement in
            statement.effect == .allow && Self.assumeRoleActions.contains { statement.coversAction($0) }
        }.map { ($0.offset, $0.element) }
    }

    /// Every principal an `Allow` statement of this trust policy admits, before conditions.
    ///
    /// A federated principal is SAML when it names a `saml-provider`, or when its statement grants
    /// `sts:AssumeRoleWithSAML` but not `sts:AssumeRoleWithWebIdentity`; otherwise it is OIDC.
    public var trustedPrincipals: [TrustedPrincipal] {
        var out: [TrustedPrincipal] = []
        for (index, statement) in assumeRoleStatements {
            func add(_ kind: TrustedPrincipal.Kind, _ value: String, written: String? = nil) {
                out.append(TrustedPrincipal(kind: kind, value: value, written: written ?? value, statementIndex: index, statement: statement))
            }
            switch statement.principals {
            case nil:
                continue
            case .except(let excluded):
                add(.allExcept, (excluded.aws + excluded.service + excluded.federated).joined(separator: ", "))
            case .only(let set):
                if set.everyone || set.aws.contains("*") { add(.everyone, "*", written: set.everyone ? "\"*\"" : "{\"AWS\": \"*\"}") }
                for principal in set.aws where principal != "*" {
                    add(.aws, principal.count == 12 && principal.allSatisfy(\.isNumber) ? "arn:aws:iam::\(principal):root" : principal, written: principal)
                }
                for service in set.service { add(.service, service) }
                for federated in set.federated {
                    let saml = federated.contains(":saml-provider/")
                        || statement.coversAction("sts:AssumeRoleWithSAML") && !statement.coversAction("sts:AssumeRoleWithWebIdentity")
                    add(saml ? .saml : .oidc, federated)
                }
                for user in set.canonicalUser { add(.canonicalUser, user) }
            }
        }
        return out
    }
}
