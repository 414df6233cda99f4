import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// The GitLab connector: `.gitlab-ci.yml` with local includes and CI/CD variables JSON into the model.
struct GitLabConnectorTests {
    static let pipeline = """
        include:
          - local: ci/templates.yml
          - project: acme/ci-templates
            file: /aws.yml
        variables:
          ROLE_ARN: arn:aws:iam::210987654321:role/gitlab-billing-deploy
        review:
          extends: .base
          rules:
            - if: $CI_PIPELINE_SOURCE == "merge_request_event"
          script:
            - ./review.sh "${REVIEW_TOKEN}"
        deploy:
          environment: { name: production, url: "https://billing.acme.example" }
          rules:
            - if: $CI_COMMIT_BRANCH == "main"
          id_tokens:
            AWS_TOKEN:
              aud: sts.amazonaws.com
          script:
            - aws sts assume-role-with-web-identity --role-arn "$ROLE_ARN" --role-session-name deploy --web-identity-token $AWS_TOKEN
        """

    static let variables = """
        [{"variable_type": "env_var", "key": "AWS_ACCESS_KEY_ID", "value": "AKIAROV464D6OF7CMHQJ", "protected": false, "masked": true, "hidden": false, "raw": false, "environment_scope": "*", "description": null},
         {"variable_type": "env_var", "key": "REVIEW_TOKEN", "value": "glpat-synthetic-000000", "protected": false, "masked": true, "raw": false, "environment_scope": "*", "description": null},
         {"variable_type": "file", "key": "GCP_KEY", "value": "{\\"type\\": \\"service_account\\", \\"project_id\\": \\"acme-dev-1193\\", \\"private_key_id\\": \\"4f1c0ffee0000000000000000000000000000001\\", \\"private_key\\": \\"-----BEGIN PRIVATE KEY-----\\\\nSYNTHETIC\\\\n-----END PRIVATE KEY-----\\\\n\\", \\"client_email\\": \\"ci-loader@acme-dev-1193.iam.gserviceaccount.com\\"}", "protected": true, "masked": false, "raw": true, "environment_scope": "*", "description": null},
         {"variable_type": "env_var", "key": "LOG_LEVEL", "value": "debug", "protected": false, "masked": false, "raw": false, "environment_scope": "*", "description": null}]
        """

    static let templates = ".base:\n  image: alpine\n  before_script:\n    - echo $BASE_ONLY\n"

    func estate() throws -> Estate {
        try gitlabEstate(Self.pipeline, variables: Self.variables, files: ["ci/templates.yml": Self.templates])
    }

    @Test func pipelineBecomesAMachineIdentityOfTheProject() throws {
        let estate = try estate()
        #expect(estate.scope == "gitlab:acme/platform/billing")
        let pipeline = try #require(estate.identity(id: "gitlab:acme/platform/billing/.gitlab-ci.yml"))
        #expect(pipeline.kind == .gitlabPipeline)
        #expect(pipeline.nature == .machine)
        #expect(pipeline.environment == "production")
    }

    @Test func credentialVariablesAreKeptOnlyAsFingerprintsOfPublicIdentifiers() throws {
        let estate = try estate()
        let id = "gitlab:acme/platform/billing/.gitlab-ci.yml"
        // Then credential-like variables are credentials, settings are not
        #expect(Set(estate.credentials.map(\.id)) == [id + "#variable/AWS_ACCESS_KEY_ID", id + "#variable/REVIEW_TOKEN", id + "#variable/GCP_KEY"])
        // And the access key id is fingerprinted as the AWS connector does, and claimed
        let key = try #require(estate.credentials.first { $0.id.hasSuffix("AWS_ACCESS_KEY_ID") })
        #expect(key.fingerprint == CredentialFingerprint(.awsAccessKeyId, of: "AKIAROV464D6OF7CMHQJ").description)
        #expect(estate.edges.contains { $0.to == "aws:accessKey:AKIAROV464D6OF7CMHQJ" && $0.kind == .holdsCredentialOf })
        // And the service account key by its key id, with a claim on its service account
        let gcp = try #require(estate.credentials.first { $0.id.hasSuffix("GCP_KEY") })
        #expect(gcp.fingerprint == CredentialFingerprint(.gcpServiceAccountKeyId, of: "4f1c0ffee0000000000000000000000000000001").description)
        #expect(estate.edges.contains { $0.to == "gcp:serviceAccount:ci-loader@acme-dev-1193.iam.gserviceaccount.com" })
        // And no secret value reaches the model
        let text = String(decoding: try JSONEncoder().encode(estate), as: UTF8.self)
        #expect(!text.contains("glpat-synthetic"))
        #expect(!text.contains("SYNTHETIC"))
    }

    @Test func theIDTokenSignInClaimsTheRoleWithGitLabsSubjectAndAudience() throws {
        let estate = try estate()
        let edge = try #require(estate.edges.first { $0.to == "arn:aws:iam::210987654321:role/gitlab-billing-deploy" })
        #expect(edge.kind == .canAssume)
        #expect(edge.conditions == [
            "iss=https://gitlab.com", "sub=project_path:acme/platform/billing:ref_type:branch:ref:main", "aud=sts.amazonaws.com",
        ])
    }

    @Test func jobsKnowWhereTheyRunAndWhatTheyReference() throws {
        let runs = GitLabPipeline.runs(
            rules: CIYAML.node("- if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n  when: never\n- when: always\n"), only: nil, mergeRequestsEnabled: true)
        #expect(runs == [.branch("*")])
        #expect(GitLabPipeline.classify("$CI_COMMIT_REF_PROTECTED == \"true\"") == [.protectedRefs])
        #expect(GitLabPipeline.classify("$CI_COMMIT_TAG") == [.tag("*")])
        #expect(GitLabPipeline.runs(rules: nil, only: CIYAML.node("[merge_requests, main]"), mergeRequestsEnabled: false) == [.mergeRequests, .branch("main")])
        #expect(GitLabPipeline.references(in: "echo $A ${B_2} $$ $") == ["A", "B_2"])
    }

    @Test func nonLocalIncludesAreNamedInAWarning() throws {
        try withTemporaryDirectory { dir in
            let project = CICheckoutBuilder(root: dir.appendingPathComponent("p"))
            try project.write(".roster-repo", "acme/platform/billing")
            try project.write(".gitlab-ci.yml", Self.pipeline)
            try project.write("ci/templates.yml", Self.templates)
            let result = try readGitLab([project.root.path])
            #expect(result.warnings.contains { $0.contains("project: acme/ci-templates") && $0.contains("not a local file") })
            #expect(result.estates.map(\.scope) == ["gitlab:acme/platform/billing"])
        }
    }

    @Test func theExampleEstateImports() throws {
        let result = try readGitLab([Fixture.packageRoot.appendingPathComponent("examples/estate/gitlab").path])
        let estate = try #require(result.estates.first)
        #expect(estate.scope == "gitlab:acme/platform/billing-service")
        #expect(estate.edges.contains { $0.to == "aws:accessKey:AKIAROV464D6OF7CMHQJ" })
        #expect(estate.edges.contains { $0.to == "arn:aws:iam::210987654321:role/gitlab-billing-deploy" })
    }
}
