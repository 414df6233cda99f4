import Foundation
import RosterConnectors
import RosterModel
import RosterService
import RosterStore
import Testing

/// The link analysis through the service: stored once per set of latest snapshots, read by
/// `findings` and `show` like every other analysis, and redone when a scope changes.
@Suite struct CrossSystemServiceTests {
    static let now = Date(timeIntervalSince1970: 1_763_625_600)
    static let role = "arn:aws:iam::123456789012:role/payments-api"

    static func aws(sub: String) -> Estate {
        let trust = PolicyDocument(statements: [
            PolicyStatement(
                effect: .allow, principals: .only(PrincipalSet(federated: ["arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"])),
                actions: .only(["sts:AssumeRoleWithWebIdentity"]),
                conditions: [PolicyCondition(operator: "StringEquals", key: "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub", values: [sub])]),
        ])
        return Estate(
            observedAt: now, scope: "aws:123456789012",
            identities: [Identity(id: role, provider: .aws, kind: .iamRole, name: "payments-api", account: "123456789012", owner: "payments",
                                  nature: .machine, natureReason: "assumed by web identity")],
            policies: [Policy(id: "\(role)#trust", name: "trust", kind: .trust, document: trust)],
            grants: [Grant(subjectId: role, policyId: "\(role)#trust", via: .trust)])
    }

    static let serviceAccount = "kubernetes:prod-eks/payments/payments-api"
    static let cluster = Estate(
        observedAt: now, scope: "kubernetes:prod-eks",
        identities: [Identity(id: serviceAccount, provider: .kubernetes, kind: .kubernetesServiceAccount, name: "payments-api", account: "prod-eks",
                              owner: "payments", nature: .machine, natureReason: "a Kubernetes service account")],
        edges: [Edge(from: serviceAccount, to: role, kind: .canAssume, rule: "kubernetes.import", reason: "annotation eks.amazonaws.com/role-arn",
                     conditions: ["sub=system:serviceaccount:payments:payments-api"])])

    @Test func linkFindingsAndEdgesAreStoredAndReadLikeAnyAnalysis() async throws {
        let service = RosterService(store: try RosterStore.inMemory())
        // Given a cluster whose annotation the role does not trust back
        _ = try await service.ingest(ConnectorResult(estates: [Self.aws(sub: "system:serviceaccount:payments:other"), Self.cluster]),
                                     source: "test", inputDigest: nil, replace: false)
        let view = try await service.view()
        // Then the half-edge is a finding on the service account, in the ranked queue and on its page
        let findings = try await service.findings(FindingQuery(analyses: view.analyses))
        let halfEdge = try #require(findings.first { $0.finding.ruleId == "link.not-trusted-back" })
        #expect(halfEdge.finding.identityId == Self.serviceAccount && halfEdge.provider == .kubernetes)
        // And reading again uses the stored analysis
        #expect(try await service.view().analyses == view.analyses)

        // When the role is fixed and imported again
        _ = try await service.ingest(ConnectorResult(estates: [Self.aws(sub: "system:serviceaccount:payments:payments-api")]),
                                     source: "test", inputDigest: nil, replace: false)
        let fixed = try await service.view()
        // Then the link is redone: no half-edge, and both ends list the verified edge
        #expect(try await service.findings(FindingQuery(analyses: fixed.analyses)).allSatisfy { !$0.finding.ruleId.hasPrefix("link.") })
        let detail = try await service.detail(of: Self.serviceAccount, in: fixed)
        #expect(detail.edges.contains { $0.rule == "link.aws-role" && $0.to == Self.role })
        let roleDetail = try await service.detail(of: Self.role, in: fixed)
        #expect(roleDetail.edges.contains { $0.rule == "link.aws-role" && $0.from == Self.serviceAccount })
    }
}
