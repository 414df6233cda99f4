import Foundation
import RosterAnalysis
import RosterModel
import Testing

/// The link pass, on hand-built estates of several systems: each claim kind is verified with
/// both ends, and each half-edge (missing target, target that does not trust back) is a finding.
@Suite struct CrossSystemLinksTests {
    static let eksIssuer = "oidc.eks.us-east-1.amazonaws.com/id/5C0FFEE0EXAMPLE"
    static let github = "token.actions.githubusercontent.com"

    static func webIdentityTrust(_ issuer: String, sub: [String], op: String = "StringEquals", aud: String? = "sts.amazonaws.com") -> PolicyDocument {
        var conditions = [PolicyCondition(operator: op, key: "\(issuer):sub", values: sub)]
        if let aud { conditions.append(PolicyCondition(operator: "StringEquals", key: "\(issuer):aud", values: [aud])) }
        return PolicyDocument(statements: [
            PolicyStatement(
                effect: .allow, principals: .only(PrincipalSet(federated: ["arn:aws:iam::\(testAccount):oidc-provider/\(issuer)"])),
                actions: .only(["sts:AssumeRoleWithWebIdentity"]), conditions: conditions),
        ])
    }

    static func kubernetes(_ cluster: String = "prod-eks", environment: String = "production", claims: [Edge]) -> Estate {
        let ids = Set(claims.map(\.from))
        return Estate(
            observedAt: testNow, scope: "kubernetes:\(cluster)",
            identities: ids.sorted().map { id in
                Identity(id: id, provider: .kubernetes, kind: .kubernetesServiceAccount, name: String(id.split(separator: "/").last!),
                         account: cluster, environment: environment, nature: .machine)
            },
            edges: claims)
    }

    static func irsa(_ sa: String = "kubernetes:prod-eks/payments/payments-api", to role: String) -> Edge {
        let parts = sa.split(separator: "/")
        return Edge(from: sa, to: role, kind: .canAssume, rule: "kubernetes.import", reason: "annotation eks.amazonaws.com/role-arn",
                    conditions: ["sub=system:serviceaccount:\(parts[1]):\(parts[2])", "aud=sts.amazonaws.com"])
    }

    @Test func irsaAnnotationTrustedBackIsAVerifiedEdge() throws {
        var aws = Builder()
        let role = aws.role("payments-api", trust: Self.webIdentityTrust(Self.eksIssuer, sub: ["system:serviceaccount:payments:payments-api"]))
        aws.estate.identities[0].environment = "production"
        let result = CrossSystemLinks.run([aws.estate, Self.kubernetes(claims: [Self.irsa(to: role)])])
        let edge = try #require(result.edges.first)
        #expect(edge.from == "kubernetes:prod-eks/payments/payments-api" && edge.to == role && edge.rule == "link.aws-role")
        #expect(edge.reason.contains("annotation eks.amazonaws.com/role-arn") && edge.reason.contains("admits OIDC provider \(Self.eksIssuer)"))
        #expect(result.findings.isEmpty)
    }

    @Test func irsaAnnotationTheRoleDoesNotTrustIsAHalfEdge() throws {
        var aws = Builder()
        let role = aws.role("payments-api", trust: Self.webIdentityTrust(Self.eksIssuer, sub: ["system:serviceaccount:payments:other"]))
        let result = CrossSystemLinks.run([aws.estate, Self.kubernetes(claims: [Self.irsa(to: role)])])
        #expect(result.edges.isEmpty)
        let finding = try #require(result.findings.first)
        #expect(finding.ruleId == "link.not-trusted-back" && finding.identityId == "kubernetes:prod-eks/payments/payments-api")
        #expect(finding.evidence.joined().contains("does not admit the subject system:serviceaccount:payments:payments-api"))
    }

    @Test func wildcardSubjectAdmitsButAGitHubOnlyTrustDoesNot() {
        var aws = Builder()
        let open = aws.role("ns-wide", trust: Self.webIdentityTrust(Self.eksIssuer, sub: ["system:serviceaccount:payments:*"], op: "StringLike"))
        let github = aws.role("gh", trust: Self.webIdentityTrust(Self.github, sub: ["repo:acme/*"], op: "StringLike"))
        let k8s = Self.kubernetes(claims: [Self.irsa(to: open), Self.irsa("kubernetes:prod-eks/payments/worker", to: github)])
        let result = CrossSystemLinks.run([aws.estate, k8s])
        #expect(result.edges.map(\.to) == [open])
        #expect(result.findings.map(\.ruleId) == ["link.not-trusted-back"])
    }

    @Test func annotationNamingADeletedRoleIsReportedOnlyWhenTheAccountIsImported() {
        let claim = Self.irsa(to: "arn:aws:iam::\(testAccount):role/deleted")
        let withAWS = CrossSystemLinks.run([Builder().estate, Self.kubernetes(claims: [claim])])
        #expect(withAWS.findings.map(\.ruleId) == ["link.target-missing"])
        let withoutAWS = CrossSystemLinks.run([Self.kubernetes(claims: [claim]), Self.kubernetes("dev", claims: [])])
        #expect(withoutAWS.findings.isEmpty && withoutAWS.unresolved.count == 1)
    }

    @Test func roleArnWithoutItsPathStillResolves() {
        var aws = Builder()
        aws.role("payments-api", trust: Self.webIdentityTrust(Self.eksIssuer, sub: ["system:serviceaccount:payments:payments-api"]))
        let id = aws.estate.identities[0].id
        aws.estate.identities[0].id = id.replacingOccurrences(of: ":role/", with: ":role/service/")
        aws.estate.grants[0].subjectId = aws.estate.identities[0].id
        let result = CrossSystemLinks.run([aws.estate, Self.kubernetes(claims: [Self.irsa(to: id)])])
        #expect(result.edges.map(\.to) == [aws.estate.identities[0].id])
    }

    static func gcp(bindings: JSONAny, environment: String = "production") -> Estate {
        let id = "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com"
        return Estate(
            observedAt: testNow, scope: "gcp:acme-prod-4821",
            identities: [Identity(id: id, provider: .gcp, kind: .gcpServiceAccount, name: "payments@acme-prod-4821.iam.gserviceaccount.com",
                                  account: "acme-prod-4821", environment: environment, nature: .machine)],
            policies: [Policy(id: "\(id)#iam-policy", name: "IAM policy", provider: .gcp, kind: .trust, body: .other(type: "gcp.iam-policy", content: bindings))],
            grants: [Grant(subjectId: id, policyId: "\(id)#iam-policy", via: .trust)])
    }

    static func binding(_ role: String, _ members: String...) -> JSONAny {
        .object(["bindings": .array([.object(["role": .string(role), "members": .array(members.map(JSONAny.string))])])])
    }

    @Test func gkeWorkloadIdentityNeedsTheWorkloadIdentityUserBinding() {
        let claim = Edge(from: "kubernetes:gke-prod/payments/payments-api", to: "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com",
                         kind: .actsAs, rule: "kubernetes.import", reason: "annotation iam.gke.io/gcp-service-account", conditions: ["ksa=payments/payments-api"])
        let trusted = CrossSystemLinks.run([
            Self.gcp(bindings: Self.binding("roles/iam.workloadIdentityUser", "serviceAccount:acme-prod-4821.svc.id.goog[payments/payments-api]")),
            Self.kubernetes("gke-prod", claims: [claim]),
        ])
        #expect(trusted.edges.count == 1 && trusted.edges[0].rule == "link.gcp-service-account" && trusted.findings.isEmpty)
        let otherKSA = CrossSystemLinks.run([
            Self.gcp(bindings: Self.binding("roles/iam.workloadIdentityUser", "serviceAccount:acme-prod-4821.svc.id.goog[payments/other]")),
            Self.kubernetes("gke-prod", claims: [claim]),
        ])
        #expect(otherKSA.edges.isEmpty && otherKSA.findings.map(\.ruleId) == ["link.not-trusted-back"])
    }

    static func workflow(_ repo: String, environment: String?, to target: String, subs: [String]) -> Estate {
        let id = "github:\(repo)/.github/workflows/deploy.yml"
        return Estate(
            observedAt: testNow, scope: "github:\(repo)",
            identities: [Identity(id: id, provider: .github, kind: "github.workflow", name: "deploy.yml", account: repo, environment: environment, nature: .machine)],
            edges: [Edge(from: id, to: target, kind: .canAssume, rule: "github.import", reason: "deploy.yml logs in",
                         conditions: ["iss=https://token.actions.githubusercontent.com"] + subs.map { "sub=\($0)" })])
    }

    @Test func githubWorkflowIntoGCPThroughAPrincipalSetOfItsRepository() {
        let target = "gcp:serviceAccount:payments@acme-prod-4821.iam.gserviceaccount.com"
        let pool = "principalSet://iam.googleapis.com/projects/482100000001/locations/global/workloadIdentityPools/github"
        let result = CrossSystemLinks.run([
            Self.gcp(bindings: Self.binding("roles/iam.workloadIdentityUser", "\(pool)/attribute.repository/acme/deploy-infra")),
            Self.workflow("acme/deploy-infra", environment: "production", to: target, subs: ["repo:acme/deploy-infra:ref:refs/heads/main"]),
            Self.workflow("acme/other", environment: "production", to: target, subs: ["repo:acme/other:ref:refs/heads/main"]),
        ])
        #expect(result.edges.map(\.from) == ["github:acme/deploy-infra/.github/workflows/deploy.yml"])
        #expect(result.findings.map(\.identityId) == ["github:acme/other/.github/workflows/deploy.yml"])
    }

    static func azure(subject: String) -> Estate {
        let id = "azure:servicePrincipal:0a1b2c3d-0000-4000-8000-000000000001"
        let credentials = JSONAny.array([.object([
            "name": .string("github-production"), "issuer": .string("https://token.actions.githubusercontent.com"),
            "subject": .string(subject), "audiences": .array([.string("api://AzureADTokenExchange")]),
        ])])
        return Estate(
            observedAt: testNow, scope: "azure:3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10",
            identities: [Identity(id: id, provider: .azure, kind: .azureServicePrincipal, name: "gh-deploy-payments",
                                  nativeId: "7d3c2b1a-9e8f-4a6b-b5c4-0d1e2f3a4b5c", account: "3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10", nature: .machine)],
            policies: [Policy(id: "\(id)#federated-credentials", name: "federated credentials", provider: .azure, kind: .trust,
                              body: .other(type: "azure.federated-credentials", content: credentials))],
            grants: [Grant(subjectId: id, policyId: "\(id)#federated-credentials", via: .trust)])
    }

    @Test func githubWorkflowIntoAzureMatchesTheFederatedCredentialSubjectExactly() {
        let target = "azure:appId:7D3C2B1A-9E8F-4A6B-B5C4-0D1E2F3A4B5C"
        let subs = ["repo:acme/payments-api:environment:production"]
        let ok = CrossSystemLinks.run([Self.azure(subject: subs[0]), Self.workflow("acme/payments-api", environment: "production", to: target, subs: subs)])
        #expect(ok.edges.count == 1 && ok.edges[0].reason.contains("federated credential \"github-production\""))
        let other = CrossSystemLinks.run([
            Self.azure(subject: "repo:acme/payments-api:ref:refs/heads/main"),
            Self.workflow("acme/payments-api", environment: "production", to: target, subs: subs),
        ])
        #expect(other.edges.isEmpty && other.findings.map(\.ruleId) == ["link.not-trusted-back"])
    }

    @Test func devWorkloadReachingAProductionRoleCrossesEnvironments() throws {
        var aws = Builder()
        let role = aws.role("payments-api", trust: Self.webIdentityTrust(Self.eksIssuer, sub: ["system:serviceaccount:payments:payments-api"]))
        aws.estate.identities[0].environment = "production"
        let dev = Self.kubernetes("dev-eks", environment: "development", claims: [Self.irsa("kubernetes:dev-eks/payments/payments-api", to: role)])
        let prod = Self.kubernetes(claims: [Self.irsa(to: role)])
        let result = CrossSystemLinks.run([aws.estate, dev, prod])
        let finding = try #require(result.findings.first { $0.ruleId == "link.identity.cross-environment" })
        #expect(finding.identityId == role && finding.owasp == .nhi8EnvironmentIsolation)
        #expect(finding.evidence.contains { $0.contains("used from development by payments-api") })
        // The same role used only from its own environment is healthy.
        #expect(CrossSystemLinks.run([aws.estate, prod]).findings.isEmpty)
    }

    @Test func ciCredentialHoldingAnAccessKeyLinksToItsUserAndSharingIsReuse() throws {
        var aws = Builder()
        let user = aws.user("ci-deployer")
        let keyId = "AKIAQ3EXAMPLEKEY0001"
        aws.estate.credentials = [Credential(id: keyId, identityId: user, kind: .accessKey, fingerprint: CredentialFingerprint(.awsAccessKeyId, of: keyId).description)]
        func holder(_ scope: String, _ id: String, environment: String) -> Estate {
            Estate(
                observedAt: testNow, scope: scope,
                identities: [Identity(id: id, provider: .jenkins, kind: "jenkins.credential", name: id, environment: environment, nature: .machine)],
                credentials: [Credential(id: "\(id)#key", identityId: id, kind: .accessKey, fingerprint: CredentialFingerprint(.awsAccessKeyId, of: keyId).description)],
                edges: [Edge(from: id, to: "aws:accessKey:\(keyId)", kind: .holdsCredentialOf, rule: "jenkins.import", reason: "credentials.xml holds the key")])
        }
        let one = CrossSystemLinks.run([aws.estate, holder("jenkins:ci-prod", "jenkins:ci-prod/aws-deploy", environment: "production")])
        let edge = try #require(one.edges.first)
        #expect(edge.to == user && edge.kind == .holdsCredentialOf && edge.rule == "link.access-key" && one.findings.isEmpty)
        let two = CrossSystemLinks.run([
            aws.estate, holder("jenkins:ci-prod", "jenkins:ci-prod/aws-deploy", environment: "production"),
            holder("jenkins:ci-dev", "jenkins:ci-dev/aws-deploy", environment: "development"),
        ])
        #expect(Set(two.findings.map(\.ruleId)) == ["link.credential.cross-environment", "link.identity.cross-environment"])
        #expect(two.findings.filter { $0.ruleId == "link.credential.cross-environment" }.count == 2)
    }

    @Test func roleTrustingARepositoryNotAmongTheImportedOnesOfItsOrganisation() throws {
        var aws = Builder()
        let role = aws.role("legacy-deploy", trust: Self.webIdentityTrust(Self.github, sub: ["repo:acme/old-infra:ref:refs/heads/main"]))
        aws.role("deploy", trust: Self.webIdentityTrust(Self.github, sub: ["repo:acme/deploy-infra:ref:refs/heads/main"]))
        aws.role("vendor", trust: Self.webIdentityTrust(Self.github, sub: ["repo:vendor/tool:ref:refs/heads/main"]))
        let repo = Estate(observedAt: testNow, scope: "github:acme/deploy-infra")
        let result = CrossSystemLinks.run([aws.estate, repo])
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1 && finding.identityId == role && finding.ruleId == "link.trusts-unknown-repository")
        // Without any repository of the organisation imported, nothing can be said.
        #expect(CrossSystemLinks.run([aws.estate, Estate(observedAt: testNow, scope: "gcp:x")]).findings.isEmpty)
    }
}
