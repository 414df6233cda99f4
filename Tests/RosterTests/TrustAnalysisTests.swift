import RosterAnalysis
import RosterModel
import Testing

/// Who can assume a role, read from trust policies written as AWS prints them.
struct TrustAnalysisTests {
    static let github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    static let eks = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C4A2B9E8F1D3A7B6C0E2F4A8D9B1C3E"

    func assess(_ json: String) throws -> TrustAssessment { TrustAnalysis.assess(try policyDocument(json)) }

    func assess(principal: String, action: String = "sts:AssumeRole", condition: String? = nil) throws -> TrustAssessment {
        try assess(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": \#(principal), "Action": "\#(action)""#
            + (condition.map { #", "Condition": \#($0)"# } ?? "") + "}]}")
    }

    func oidc(_ provider: String, condition: String?) throws -> TrustAssessment.OIDCTrust {
        let trust = try assess(principal: #"{"Federated": "\#(provider)"}"#, action: "sts:AssumeRoleWithWebIdentity", condition: condition)
        #expect(trust.oidc.count == 1)
        return try #require(trust.oidc.first)
    }

    @Test func starPrincipalIsEveryone() throws {
        // Given Principal "*" with no condition
        // Then anyone can assume the role
        let trust = try assess(principal: #""*""#)
        #expect(trust.everyone?.contains(#"Principal "*""#) == true)
    }

    @Test func awsStarPrincipalIsEveryone() throws {
        // Given Principal {"AWS": "*"} with no condition
        // Then any AWS principal can assume the role
        let trust = try assess(principal: #"{"AWS": "*"}"#)
        #expect(trust.everyone?.contains(#"{"AWS": "*"}"#) == true)
    }

    @Test func externalIdAloneDoesNotNarrowAStarPrincipal() throws {
        // Given {"AWS": "*"} with only an sts:ExternalId condition
        let trust = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"StringEquals": {"sts:ExternalId": "ex-4f1c9a72"}}"#)
        // Then anyone who learns the id can assume it
        #expect(trust.everyone?.contains("sts:ExternalId alone does not restrict") == true)
    }

    @Test(arguments: [
        #"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
        #"{"StringEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
        #"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/auditor-*"}}"#,
    ])
    func organizationAccountOrArnConditionsNarrowAStarPrincipal(_ condition: String) throws {
        // Given {"AWS": "*"} pinned to an organization, an account or ARNs in one account
        // Then the role is not open to everyone
        let trust = try assess(principal: #"{"AWS": "*"}"#, condition: condition)
        #expect(trust.everyone == nil)
    }

    @Test func wildcardOrNegatedNarrowingConditionsDoNotNarrow() throws {
        // Given {"AWS": "*"} with a wildcard or a negated organization condition
        // Then it is still open to everyone
        let wildcard = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"StringLike": {"aws:PrincipalOrgID": "*"}}"#)
        #expect(wildcard.everyone != nil)
        let negated = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#)
        #expect(negated.everyone != nil)
    }

    @Test func notPrincipalWithAllowIsEveryone() throws {
        // Given Allow with NotPrincipal
        // Then everyone but the named principal can assume the role
        let trust = try assess(#"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}
            """#)
        #expect(trust.everyone?.contains("NotPrincipal") == true)
    }

    @Test func onlyAllowStatementsForAssumeActionsLetAnyoneIn() throws {
        // Given "*" allowed only to tag sessions, and a Deny for everyone
        let tagOnly = try assess(principal: #""*""#, action: "sts:TagSession")
        let deny = try assess(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}"#)
        // Then neither lets anyone assume the role
        #expect(tagOnly.everyone == nil)
        #expect(deny.everyone == nil)
    }

    @Test func accountsAndServicesAreListed() throws {
        // Given two accounts (ARN and bare id) with an external id, and two services
        // Then each is listed, and the role's own account is not external
        let trust = try assess(#"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::999988887777:root", "444455556666"]}, "Action": "sts:AssumeRole",
               "Condition": {"StringEquals": {"sts:ExternalId": "ex-1"}}},
              {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}
            """#)
        #expect(Set(trust.accounts.map(\.account)) == ["999988887777", "444455556666"])
        #expect(trust.accounts.allSatisfy { $0.externalId })
        #expect(Set(trust.services) == ["lambda.amazonaws.com", "ec2.amazonaws.com"])
        #expect(trust.everyone == nil)
        #expect(trust.externalAccounts(own: "999988887777").map(\.account) == ["444455556666"])
    }

    @Test func oidcWithoutASubConditionIsUnscoped() throws {
        // Given GitHub OIDC trust with only the aud condition
        // Then the missing sub condition is the problem
        let trust = try oidc(Self.github, condition: #"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#)
        #expect(trust.provider == "token.actions.githubusercontent.com")
        #expect(trust.problem == "no condition on token.actions.githubusercontent.com:sub")
    }

    @Test(arguments: ["repo:*", "*", "repo:*/web-app:*", "repo:example*"])
    func githubSubWithAWildcardOwnerIsUnscoped(_ sub: String) throws {
        // Given a sub pattern whose repository owner is a wildcard
        // Then any GitHub repository can assume the role
        let trust = try oidc(Self.github, condition: #"{"StringLike": {"token.actions.githubusercontent.com:sub": "\#(sub)"}}"#)
        #expect(trust.problem?.contains("matches any GitHub repository") == true, "\(sub): \(trust.problem ?? "nil")")
    }

    @Test(arguments: [
        ("StringEquals", "repo:example-org/web:ref:refs/heads/main"),
        ("StringLike", "repo:example-org/*"),
        ("StringLike", "repo:example-org/infra:*"),
    ])
    func githubSubNamingTheOwnerIsScoped(_ op: String, _ sub: String) throws {
        // Given a sub naming the organization (and maybe repository and branch)
        // Then the trust is scoped to it
        let trust = try oidc(Self.github, condition: #"{"\#(op)": {"token.actions.githubusercontent.com:sub": "\#(sub)"}}"#)
        #expect(trust.problem == nil)
        #expect(trust.scopedTo == [sub])
    }

    @Test func eksServiceAccountWildcardIsUnscoped() throws {
        // Given EKS IRSA trust with a wildcard service account, only aud, or one service account
        // Then only the last is scoped
        let host = "oidc.eks.us-east-1.amazonaws.com/id/5C4A2B9E8F1D3A7B6C0E2F4A8D9B1C3E"
        let loose = try oidc(Self.eks, condition: #"{"StringLike": {"\#(host):sub": "system:serviceaccount:*"}}"#)
        #expect(loose.problem?.contains("service account in the cluster") == true)
        let audOnly = try oidc(Self.eks, condition: #"{"StringEquals": {"\#(host):aud": "sts.amazonaws.com"}}"#)
        #expect(audOnly.problem == "no condition on \(host):sub")
        let scoped = try oidc(Self.eks, condition: #"{"StringEquals": {"\#(host):sub": "system:serviceaccount:payments:api"}}"#)
        #expect(scoped.problem == nil)
    }

    @Test func cognitoIsScopedByAud() throws {
        // Given Cognito identity-pool trust with and without an aud condition
        // Then aud (the identity pool), not sub, is what scopes it
        let scoped = try oidc("cognito-identity.amazonaws.com", condition: #"""
            {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-1234-1234-1234-123456789012"},
             "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}
            """#)
        #expect(scoped.problem == nil)
        let unscoped = try oidc("cognito-identity.amazonaws.com", condition: #"{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}"#)
        #expect(unscoped.problem == "no condition on cognito-identity.amazonaws.com:aud")
    }

    @Test func samlFederationIsListedAsSAML() throws {
        // Given a SAML provider trusted for AssumeRoleWithSAML
        // Then it is listed as SAML, not OIDC, and not everyone
        let trust = try assess(
            principal: #"{"Federated": "arn:aws:iam::123456789012:saml-provider/Okta"}"#, action: "sts:AssumeRoleWithSAML",
            condition: #"{"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}"#)
        #expect(trust.saml == ["arn:aws:iam::123456789012:saml-provider/Okta"])
        #expect(trust.oidc.isEmpty)
        #expect(trust.everyone == nil)
    }

    // MARK: Condition set operators (AWS: ForAnyValue fails on a missing key, ForAllValues passes)

    @Test func forAnyValueOrgPathsNarrowsAStarPrincipal() throws {
        // Given {"AWS": "*"} limited to an OU with ForAnyValue:StringLike aws:PrincipalOrgPaths,
        // AWS's documented way to use that multivalued key: a caller outside the OU (or any organization) fails it
        let trust = try assess(
            principal: #"{"AWS": "*"}"#,
            condition: #"{"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}"#)
        // Then the role is not open to everyone
        #expect(trust.everyone == nil)
    }

    @Test func forAllValuesOrgIdDoesNotNarrowAStarPrincipal() throws {
        // Given {"AWS": "*"} with ForAllValues:StringEquals aws:PrincipalOrgID: a caller from an account in no
        // organization has no aws:PrincipalOrgID, and ForAllValues is true for a missing key
        let trust = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#)
        // Then anyone with a standalone AWS account can assume it
        #expect(trust.everyone != nil)
    }

    @Test func principalArnWithAWildcardAccountDoesNotNarrow() throws {
        // Given {"AWS": "*"} limited to "a role named deploy in any account"
        let trust = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deploy"}}"#)
        // Then anyone can create such a role in their own account and assume this one
        #expect(trust.everyone != nil)
    }
    // MARK: Denies and broad values

    @Test func denyForOtherSubjectsScopesAnOIDCRole() throws {
        // Given GitHub OIDC trust with only aud on the Allow, and a Deny for tokens from outside example-org
        func trust(_ notLike: String, action: String = "sts:AssumeRoleWithWebIdentity") throws -> TrustAssessment {
            try assess(#"""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"Federated": "\#(Self.github)"}, "Action": "sts:AssumeRoleWithWebIdentity",
                   "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}},
                  {"Effect": "Deny", "Principal": {"Federated": "\#(Self.github)"}, "Action": "\#(action)",
                   "Condition": {"StringNotLike": {"token.actions.githubusercontent.com:sub": "\#(notLike)"}}}]}
                """#)
        }
        // Then the Deny scopes the role to the organization
        #expect(try trust("repo:example-org/*").oidc.first?.problem == nil)
        #expect(try trust("repo:example-org/*").oidc.first?.scopedTo == ["repo:example-org/*"])
        // And a Deny that spares every repository scopes nothing
        #expect(try trust("repo:*").oidc.first?.problem?.contains("still admits any GitHub repository") == true)
        // And a Deny of another action does not apply to web-identity sign-in
        #expect(try trust("repo:example-org/*", action: "sts:TagSession").oidc.first?.problem == "no condition on token.actions.githubusercontent.com:sub")
    }

    @Test func wildcardOrganizationOrAccountValuesDoNotNarrow() throws {
        // Given {"AWS": "*"} with an organization id or principal ARN that wildcards the organization or account
        let anyOrg = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#)
        let anyAccount = try assess(principal: #"{"AWS": "*"}"#, condition: #"{"StringLike": {"aws:PrincipalAccount": "1111222*"}}"#)
        // Then the role is still open to everyone
        #expect(anyOrg.everyone != nil)
        #expect(anyAccount.everyone != nil)
        // And a source ARN naming one bucket (no account field) does narrow, while any bucket does not
        let oneBucket = try assess(principal: #""*""#, condition: #"{"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::example-reports"}}"#)
        let anyBucket = try assess(principal: #""*""#, condition: #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}"#)
        #expect(oneBucket.everyone == nil)
        #expect(anyBucket.everyone != nil)
    }
}
