import Foundation
@testable import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// A detector case whose estates the CI connectors read from files, so each detector is proven on
/// what the connector really produces.
private func ciCase(_ identity: String, _ severity: Severity, _ owasp: OWASPCategory, evidence: String,
                    risky: @escaping @Sendable () throws -> Estate, healthy: @escaping @Sendable () throws -> Estate) -> DetectorCase {
    DetectorCase(
        identity: identity, severity: severity, owasp: owasp, evidence: evidence,
        risky: {
            var builder = EstateBuilder()
            builder.estate = try risky()
            return builder
        },
        healthy: {
            var builder = EstateBuilder()
            builder.estate = try healthy()
            return builder
        })
}

private let workflowName = "acme/api/.github/workflows/w.yml"
private let pipelineName = "acme/platform/billing/.gitlab-ci.yml"

private func prTarget(ref: String? = "${{ github.event.pull_request.head.sha }}", on: String = "pull_request_target", secret: Bool = true,
                      jobIf: String? = nil) -> String {
    """
    on: \(on)
    permissions: { contents: read }
    jobs:
      test:
        runs-on: ubuntu-latest
    \(jobIf.map { "    if: \($0)\n" } ?? "")    steps:
          - uses: actions/checkout@v4
    \(ref.map { "        with:\n          ref: \($0)\n" } ?? "")      - run: npm ci && npm test
    \(secret ? "        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n" : "")
    """
}

private func awsLogin(_ with: String, permissions: String = "{ contents: read, id-token: write }") -> String {
    """
    on: { push: { branches: [main] } }
    permissions: \(permissions)
    jobs:
      deploy:
        runs-on: ubuntu-latest
        steps:
          - uses: aws-actions/configure-aws-credentials@v4
            with:
    \(with)
          - run: ./deploy.sh
    """
}

private func variables(_ entries: [(key: String, value: String?, protected: Bool)]) -> String {
    "[" + entries.map { e in
        #"{"variable_type": "env_var", "key": "\#(e.key)", "value": \#(e.value.map { "\"\($0)\"" } ?? "null"), "protected": \#(e.protected), "masked": true, "hidden": false, "raw": false, "environment_scope": "*", "description": null}"#
    }.joined(separator: ",") + "]"
}

private let mrPipeline = """
    unit-tests:
      rules:
        - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      script:
        - ./upload.sh --token "$CODECOV_TOKEN"
    deploy:
      environment: production
      rules:
        - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      script:
        - ./deploy.sh "$DEPLOY_TOKEN"
    """

private func deployKeys(readOnly: Bool) -> String {
    """
    [{"id": 7, "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHj8b5WMJmMLrytObcWQbO93KizghBj+jpPIaf8sgZcY", "url": "https://api.github.com/repos/acme/api/keys/7",
      "title": "release-bot", "verified": true, "created_at": "2024-01-01T00:00:00Z", "read_only": \(readOnly), "added_by": "octo", "last_used": "2025-11-01T00:00:00Z"}]
    """
}

private func installation(selection: String, permissions: String) -> String {
    """
    {"total_count": 1, "installations": [{"id": 9, "account": {"login": "acme", "type": "Organization"}, "repository_selection": "\(selection)",
      "app_id": 1, "app_slug": "deploy-bot", "permissions": \(permissions), "events": [], "created_at": "2024-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}]}
    """
}

private func orgEstate(_ json: String) throws -> Estate {
    try withTemporaryDirectory { dir in
        let org = CICheckoutBuilder(root: dir.appendingPathComponent("org"))
        try org.write("installations.json", json)
        return try #require(try readGitHub([org.root.path]).estates.first)
    }
}

/// The CI family's cases, in `DetectorTests`' shape, for its registry-wide checks.
let ciDetectorCases: [String: DetectorCase] = [
    "github.workflow.pwn-request": ciCase(
        workflowName, .critical, .nhi2SecretLeakage, evidence: "checks out ${{ github.event.pull_request.head.sha }}",
        risky: { try githubEstate(["w.yml": prTarget()]) },
        // The same checkout under pull_request: runs from forks get no secrets.
        healthy: { try githubEstate(["w.yml": prTarget(on: "pull_request")]) }),
    "github.workflow.static-cloud-key": ciCase(
        workflowName, .high, .nhi7LongLivedSecrets, evidence: "AWS_ACCESS_KEY_ID",
        risky: { try githubEstate(["w.yml": awsLogin("          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n          aws-region: us-east-1")]) },
        healthy: { try githubEstate(["w.yml": awsLogin("          role-to-assume: arn:aws:iam::210987654321:role/github-deploy\n          aws-region: us-east-1")]) }),
    "github.workflow.write-all-token": ciCase(
        workflowName, .high, .nhi5OverprivilegedNHI, evidence: "write-all",
        risky: { try githubEstate(["w.yml": awsLogin("          role-to-assume: arn:aws:iam::210987654321:role/github-deploy\n          aws-region: ${{ secrets.REGION }}", permissions: "write-all")]) },
        healthy: { try githubEstate(["w.yml": awsLogin("          role-to-assume: arn:aws:iam::210987654321:role/github-deploy\n          aws-region: ${{ secrets.REGION }}")]) }),
    "github.secret.not-rotated": ciCase(
        workflowName, .medium, .nhi7LongLivedSecrets, evidence: "secrets.NPM_TOKEN last set 2023-01-01",
        risky: { try githubEstate(["w.yml": prTarget(on: "push")], files: ["exports/s.json": #"{"total_count":1,"secrets":[{"name":"NPM_TOKEN","created_at":"2023-01-01T00:00:00Z","updated_at":"2023-01-01T00:00:00Z"}]}"#]) },
        healthy: { try githubEstate(["w.yml": prTarget(on: "push")], files: ["exports/s.json": #"{"total_count":1,"secrets":[{"name":"NPM_TOKEN","created_at":"2023-01-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z"}]}"#]) }),
    "gitlab.variable.unprotected-credential": ciCase(
        pipelineName, .high, .nhi2SecretLeakage, evidence: "variable CODECOV_TOKEN is not protected",
        risky: { try gitlabEstate(mrPipeline, variables: variables([("CODECOV_TOKEN", "x", false), ("DEPLOY_TOKEN", "y", true)])) },
        // Protected, or unprotected but used only on the default branch.
        healthy: { try gitlabEstate(mrPipeline, variables: variables([("CODECOV_TOKEN", "x", true), ("DEPLOY_TOKEN", "y", false)])) }),
    "gitlab.pipeline.static-cloud-key": ciCase(
        pipelineName, .high, .nhi7LongLivedSecrets, evidence: "AWS_ACCESS_KEY_ID (CI/CD settings, aws-access-key-id) hold a static AWS key",
        risky: { try gitlabEstate(mrPipeline, variables: variables([("AWS_ACCESS_KEY_ID", "AKIAROV464D6OF7CMHQJ", true)])) },
        healthy: { try gitlabEstate(mrPipeline, variables: variables([("AWS_ROLE_ARN", "arn:aws:iam::210987654321:role/gitlab", true)])) }),
    "github.deploy-key.write-access": ciCase(
        "release-bot", .high, .nhi5OverprivilegedNHI, evidence: "has write access",
        risky: { try githubEstate([:], files: ["exports/keys.json": deployKeys(readOnly: false)]) },
        healthy: { try githubEstate([:], files: ["exports/keys.json": deployKeys(readOnly: true)]) }),
    "github.app.broad-installation": ciCase(
        "deploy-bot", .high, .nhi3VulnerableThirdPartyNHI, evidence: "write access to contents",
        risky: { try orgEstate(installation(selection: "all", permissions: #"{"contents": "write", "metadata": "read"}"#)) },
        // All repositories but only status and check writes, as a CI reporter needs.
        healthy: { try orgEstate(installation(selection: "all", permissions: #"{"checks": "write", "statuses": "write", "contents": "read"}"#)) }),
]

struct CIDetectorTests {
    @Test func everyCIDetectorHasACase() {
        #expect(Set(ciDetectorCases.keys) == Set(Detectors.ciFamily.map(\.id)))
    }

    @Test(arguments: ciDetectorCases.keys.sorted())
    func firesOnTheRiskyIdentity(_ ruleId: String) throws {
        let fixture = try #require(ciDetectorCases[ruleId])
        // Given the risky files read by the connector, when every detector runs
        let analysis = try fixture.risky().analyse(fixture.policy)
        // Then the identity has the finding with its severity, category and evidence
        let finding = try #require(analysis.findings(on: fixture.identity).first { $0.ruleId == ruleId },
                                   "\(ruleId) not raised on \(fixture.identity); got \(analysis.ruleIds(on: fixture.identity))")
        let detector = try #require(Detectors.ciFamily.first { $0.id == ruleId })
        #expect(detector.severity == fixture.severity)
        #expect(finding.severity == fixture.severity)
        #expect(finding.owasp == fixture.owasp)
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "evidence: \(finding.evidence)")
    }

    @Test(arguments: ciDetectorCases.keys.sorted())
    func staysSilentOnTheHealthyLookAlike(_ ruleId: String) throws {
        let fixture = try #require(ciDetectorCases[ruleId])
        let analysis = try fixture.healthy().analyse(fixture.policy)
        #expect(analysis.profile(named: fixture.identity) != nil)
        #expect(!analysis.ruleIds(on: fixture.identity).contains(ruleId))
    }

    @Test func pwnRequestLooksAlikeStaySilent() throws {
        // pull_request_target without checking out the head (a labeler), with a secret
        #expect(!(try ruleIds(githubEstate(["w.yml": prTarget(ref: nil)]))).contains("github.workflow.pwn-request"))
        // the head checked out but no secret, no id-token, no cloud sign-in in the job
        #expect(!(try ruleIds(githubEstate(["w.yml": prTarget(secret: false)]))).contains("github.workflow.pwn-request"))
        // gated on the pull request coming from the repository itself
        let guarded = prTarget(jobIf: "github.event.pull_request.head.repo.full_name == github.repository")
        #expect(!(try ruleIds(githubEstate(["w.yml": guarded]))).contains("github.workflow.pwn-request"))
    }

    @Test func aLabelGateLowersThePwnRequestToHigh() throws {
        let gated = prTarget(jobIf: "contains(github.event.pull_request.labels.*.name, 'safe to test')")
        let finding = try #require(EstateBuilder.with(githubEstate(["w.yml": gated])).analyse().findings.first { $0.ruleId == "github.workflow.pwn-request" })
        #expect(finding.severity == .high)
    }

    @Test func workflowRunCheckingOutTheTriggeringHeadIsAPwnRequest() throws {
        let workflow = prTarget(ref: "${{ github.event.workflow_run.head_sha }}", on: "workflow_run")
        #expect(try ruleIds(githubEstate(["w.yml": workflow])).contains("github.workflow.pwn-request"))
    }

    @Test func anAppWithAdministrationOnAllRepositoriesIsCritical() throws {
        let estate = try orgEstate(installation(selection: "all", permissions: #"{"administration": "write"}"#))
        let finding = try #require(EstateBuilder.with(estate).analyse().findings.first { $0.ruleId == "github.app.broad-installation" })
        #expect(finding.severity == .critical)
        // and on selected repositories it is not reported
        let selected = try orgEstate(installation(selection: "selected", permissions: #"{"administration": "write"}"#))
        #expect(!ruleIds(selected).contains("github.app.broad-installation"))
    }

    @Test func githubPrivilegeReadsTokenAndAppPermissions() throws {
        let workflow = try githubEstate(["w.yml": awsLogin("          role-to-assume: arn:aws:iam::1:role/x", permissions: "write-all")])
        let index = EstateIndex([workflow])
        #expect(PrivilegeEvaluators.github.assess(workflow.identities[0], index.grants(of: workflow.identities[0]), index).level == .write)
        let app = try orgEstate(installation(selection: "all", permissions: #"{"administration": "write"}"#))
        let appIndex = EstateIndex([app])
        #expect(PrivilegeEvaluators.github.assess(app.identities[0], appIndex.grants(of: app.identities[0]), appIndex).level == .admin)
    }

    private func ruleIds(_ estate: Estate) -> Set<String> {
        Set(EstateBuilder.with(estate).analyse().findings.map(\.ruleId))
    }
}

extension EstateBuilder {
    static func with(_ estate: Estate) -> EstateBuilder {
        var builder = EstateBuilder()
        builder.estate = estate
        return builder
    }
}
