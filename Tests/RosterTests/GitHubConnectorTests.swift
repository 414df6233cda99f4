import Foundation
@testable import RosterConnectors
import RosterModel
import Testing

/// The GitHub connector: workflows, CODEOWNERS and REST API JSON into the model, with the claims
/// the lead's link pass resolves.
struct GitHubConnectorTests {
    static let deploy = """
        name: Deploy
        on:
          push:
            branches: [main, "release/**"]
        permissions:
          contents: read
          id-token: write
        jobs:
          apply:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - uses: actions/checkout@v4
              - name: AWS
                uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: arn:aws:iam::210987654321:role/github-deploy
                  aws-region: us-east-1
              - run: terraform apply
                env:
                  TOKEN: ${{ secrets.DATADOG_API_KEY }}
          plan:
            runs-on: ubuntu-latest
            steps:
              - uses: aws-actions/configure-aws-credentials@v4
                with:
                  role-to-assume: arn:aws:iam::210987654321:role/github-plan
                  audience: sts.custom.example
              - run: echo ${{ secrets['PLAN_TOKEN'] }}
        """

    @Test func workflowBecomesAMachineIdentityWithItsSecretsAndPermissions() throws {
        // Given a checkout of acme/api with a deploy workflow and a CODEOWNERS that gives workflows to platform
        let estate = try githubEstate(["deploy.yml": Self.deploy], files: [".github/CODEOWNERS": "* @acme/devs\n/.github/workflows/ @acme/platform\n"])
        // When it is read
        let id = "github:acme/api/.github/workflows/deploy.yml"
        let workflow = try #require(estate.identity(id: id))
        // Then the workflow is a machine identity of the repository, owned by the last matching CODEOWNERS line
        #expect(estate.scope == "github:acme/api")
        #expect(workflow.kind == .githubWorkflow)
        #expect(workflow.nature == .machine)
        #expect(workflow.account == "acme/api")
        #expect(workflow.owner == "@acme/platform")
        #expect(workflow.environment == "production")
        #expect(workflow.tags["triggers"] == "push")
        // And its secrets are credentials by name, never with a value
        #expect(Set(estate.credentials.map(\.id)) == [id + "#secret/DATADOG_API_KEY", id + "#secret/PLAN_TOKEN"])
        #expect(estate.credentials.allSatisfy { $0.kind == .pipelineSecret && $0.fingerprint == nil })
        // And its permissions are a policy granted to it
        #expect(estate.grants.contains { $0.subjectId == id && $0.policyId == id + "#permissions" })
    }

    @Test func oidcSignInsBecomeClaimsWithGitHubsSubjects() throws {
        // Given the deploy workflow
        let estate = try githubEstate(["deploy.yml": Self.deploy])
        let id = "github:acme/api/.github/workflows/deploy.yml"
        // Then the job with an environment claims the role under the environment subject only
        let apply = try #require(estate.edges(from: id).first { $0.to == "arn:aws:iam::210987654321:role/github-deploy" })
        #expect(apply.kind == .canAssume)
        #expect(apply.rule == "github.import")
        #expect(apply.conditions == [
            "iss=https://token.actions.githubusercontent.com", "sub=repo:acme/api:environment:production", "aud=sts.amazonaws.com",
        ])
        // And the job without one presents a ref subject per push branch, and its own audience
        let plan = try #require(estate.edges(from: id).first { $0.to == "arn:aws:iam::210987654321:role/github-plan" })
        #expect(plan.conditions == [
            "iss=https://token.actions.githubusercontent.com", "sub=repo:acme/api:ref:refs/heads/main",
            "sub=repo:acme/api:ref:refs/heads/release/**", "aud=sts.custom.example",
        ])
        #expect(plan.reason.contains("deploy.yml: job plan"))
    }

    @Test func gcpAndAzureSignInsClaimTheProviderTheServiceAccountAndTheApplication() throws {
        // Given Google and Azure federated sign-ins on pull requests
        let workflow = """
            on: [pull_request]
            permissions: { id-token: write, contents: read }
            jobs:
              gcp:
                runs-on: ubuntu-latest
                steps:
                  - uses: google-github-actions/auth@v2
                    with:
                      workload_identity_provider: projects/482190731456/locations/global/workloadIdentityPools/github/providers/acme
                      service_account: gh-deploy@acme-prod-4821.iam.gserviceaccount.com
              azure:
                runs-on: ubuntu-latest
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: 78034775-b600-52c5-973e-331a8c7ac5f0
                      tenant-id: 3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10
                      subscription-id: ${{ secrets.AZURE_SUBSCRIPTION_ID }}
            """
        let estate = try githubEstate(["pr.yml": workflow])
        let edges = estate.edges(from: "github:acme/api/.github/workflows/pr.yml")
        let provider = "projects/482190731456/locations/global/workloadIdentityPools/github/providers/acme"
        // Then the provider and the service account are claimed, with the pull_request subject and Google's default audience
        let wif = try #require(edges.first { $0.to == "gcp:workloadIdentityProvider:\(provider)" })
        #expect(wif.conditions.contains("sub=repo:acme/api:pull_request"))
        #expect(wif.conditions.contains("aud=https://iam.googleapis.com/\(provider)"))
        let sa = try #require(edges.first { $0.to == "gcp:serviceAccount:gh-deploy@acme-prod-4821.iam.gserviceaccount.com" })
        #expect(sa.kind == .actsAs)
        // And the Azure application by its client id, with Azure's default audience and the tenant
        let azure = try #require(edges.first { $0.to == "azure:appId:78034775-b600-52c5-973e-331a8c7ac5f0" })
        #expect(azure.conditions.contains("aud=api://AzureADTokenExchange"))
        #expect(azure.conditions.contains("tenant=3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10"))
    }

    @Test func targetsFromVariablesAreNotClaimedButWarned() throws {
        try withTemporaryDirectory { dir in
            // Given a role from a repository variable
            let checkout = try CICheckoutBuilder.github(in: dir, workflows: ["d.yml": """
                on: push
                permissions: { id-token: write }
                jobs:
                  d:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: aws-actions/configure-aws-credentials@v4
                        with: { role-to-assume: "${{ vars.DEPLOY_ROLE }}", aws-region: us-east-1 }
                """])
            // When it is read
            let result = try readGitHub([checkout.root.path])
            // Then no claim names it, and a warning says why
            #expect(result.estates[0].edges.isEmpty)
            #expect(result.warnings.contains { $0.contains("role-to-assume is ${{ vars.DEPLOY_ROLE }}") })
        }
    }

    @Test func subjectsFollowEachTrigger() {
        // Given triggers of every shape
        let triggers = [
            GitHubWorkflow.Trigger(event: "push", tags: ["v*"]), GitHubWorkflow.Trigger(event: "pull_request_target"),
            GitHubWorkflow.Trigger(event: "schedule"), GitHubWorkflow.Trigger(event: "workflow_call"),
        ]
        // Then each gives GitHub's documented subject; the default branch when the clone recorded it
        #expect(GitHubOIDC.subjects(repository: "acme/api", environment: nil, triggers: triggers, defaultBranch: "trunk") == [
            "repo:acme/api:ref:refs/tags/v*", "repo:acme/api:pull_request", "repo:acme/api:ref:refs/heads/trunk",
        ])
        // And an environment overrides them all
        #expect(GitHubOIDC.subjects(repository: "acme/api", environment: "prod", triggers: triggers, defaultBranch: nil) == ["repo:acme/api:environment:prod"])
        // And a push without filters may be any branch or tag
        #expect(GitHubOIDC.subjects(repository: "a/b", environment: nil, triggers: [.init(event: "push")], defaultBranch: nil) == [
            "repo:a/b:ref:refs/heads/*", "repo:a/b:ref:refs/tags/*",
        ])
    }

    @Test(arguments: [
        ("on: push", ["push"]),
        ("on: [push, pull_request_target]", ["push", "pull_request_target"]),
        ("on:\n  workflow_run:\n    workflows: [CI]\n  push:\n    branches-ignore: [gh-pages]", ["workflow_run", "push"]),
    ])
    func triggersAreReadInEveryForm(_ on: String, _ expected: [String]) throws {
        let estate = try githubEstate(["w.yml": "\(on)\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: true\n"])
        #expect(estate.identities[0].tags["triggers"] == expected.joined(separator: ", "))
    }

    @Test func secretReferencesAreFoundInEveryExpressionForm() {
        var use = SecretUse()
        use.scan("${{ secrets.A_1 }} ${{ format('{0}', secrets['B-2']) }} secrets.NOT_IN_EXPRESSION ${{ github.secrets.X }} ${{ secrets.GITHUB_TOKEN }}")
        #expect(use.names == ["A_1", "B-2"])
        #expect(!use.all)
        use.scan("${{ toJSON(secrets) }}")
        #expect(use.all)
    }

    @Test(arguments: [
        ("*.yml @a", ".github/workflows/x.yml", "@a"),
        ("/.github/ @a", ".github/workflows/x.yml", "@a"),
        ("workflows/ @a", ".github/workflows/x.yml", "@a"),
        ("/.github/* @a", ".github/workflows/x.yml", nil),
        ("/.github/workflows/* @a", ".github/workflows/x.yml", "@a"),
        ("**/workflows/x.yml @a", ".github/workflows/x.yml", "@a"),
        ("/docs/ @a", ".github/workflows/x.yml", nil),
        ("* @a\n/.github/workflows/x.yml", ".github/workflows/x.yml", ""),
        ("\\#odd @a\n* @b", ".github/workflows/x.yml", "@b"),
    ] as [(String, String, String?)])
    func codeownersFollowsGitHubsPatternRules(_ text: String, _ file: String, _ owner: String?) {
        let owners = GitHubCodeowners(text: text).owners(of: file)
        #expect(owners.map { $0.owners.joined(separator: " ") } == owner, "\(text) for \(file)")
    }

    @Test func apiListsJoinTheirRepositoryAndOrganisation() throws {
        try withTemporaryDirectory { dir in
            // Given a checkout with a repository secrets list and deploy keys, and an organisation directory
            _ = try CICheckoutBuilder.github(in: dir, workflows: ["w.yml": Self.deploy], files: [
                "api-exports/secrets.json": #"{"total_count": 1, "secrets": [{"name": "DATADOG_API_KEY", "created_at": "2025-01-02T03:04:05Z", "updated_at": "2025-02-03T04:05:06Z"}]}"#,
                "api-exports/keys.json": """
                    [{"id": 7, "key": "\(Self.edKey)", "url": "https://api.github.com/repos/acme/api/keys/7", "title": "ci", "verified": true,
                      "created_at": "2024-01-01T00:00:00Z", "read_only": false, "added_by": "octo", "last_used": null}]
                    """,
            ])
            let org = CICheckoutBuilder(root: dir.appendingPathComponent("org"))
            try org.write(".roster-repo", "acme\n")
            try org.write("installations.json", Self.installations)
            try org.write("org-secrets.json", #"{"total_count": 1, "secrets": [{"name": "PLAN_TOKEN", "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-06-01T00:00:00Z", "visibility": "all"}]}"#)
            // When the whole directory is read
            let result = try readGitHub([dir.path])
            let repo = try #require(result.estates.first { $0.scope == "github:acme/api" })
            let orgEstate = try #require(result.estates.first { $0.scope == "github:acme" })
            // Then secrets take their dates from the repository's list, else the organisation's
            let wf = "github:acme/api/.github/workflows/w.yml"
            #expect(repo.credentials.first { $0.id == wf + "#secret/DATADOG_API_KEY" }?.lastRotatedAt == utc("2025-02-03T04:05:06Z"))
            #expect(repo.credentials.first { $0.id == wf + "#secret/PLAN_TOKEN" }?.lastRotatedAt == utc("2023-06-01T00:00:00Z"))
            // And the deploy key is an identity whose SSH key is fingerprinted as ssh-keygen does, never stored
            let key = try #require(repo.identity(id: "github:acme/api/deploy-keys/7"))
            #expect(key.kind == .githubDeployKey)
            #expect(key.usageTracked && key.lastUsedAt == nil)
            let credential = try #require(repo.credentials.first { $0.identityId == key.id })
            #expect(credential.preview == Self.edKeyFingerprint)
            #expect(credential.fingerprint?.hasPrefix("ssh.public-key:sha256:") == true)
            #expect(!"\(repo)".contains(Self.edKey.split(separator: " ")[1]))
            // And the App installations belong to the organisation
            let renovate = try #require(orgEstate.identity(id: "github:acme/apps/renovate"))
            #expect(renovate.kind == .githubAppInstallation)
            #expect(renovate.nativeId == "41000001")
            #expect(orgEstate.resources.map(\.name) == ["PLAN_TOKEN"])
        }
    }

    @Test func aCheckoutWithoutARemoteIsNamedByItsFolderWithAWarningAndNoSubjects() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, folder: "lonely", workflows: ["d.yml": Self.deploy], remote: false)
            let result = try readGitHub([checkout.root.path])
            #expect(result.estates.map(\.scope) == ["github:lonely"])
            #expect(result.warnings.contains { $0.contains("no .git/config") && $0.contains(".roster-repo") })
            #expect(result.estates[0].edges.allSatisfy { !$0.conditions.contains { $0.hasPrefix("sub=") } })
        }
    }

    @Test func aRosterRepoFileNamesTheRepository() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, folder: "copy", workflows: ["d.yml": Self.deploy], files: [".roster-repo": "https://github.com/acme/copied.git\n"], remote: false)
            #expect(try readGitHub([checkout.root.path]).estates.map(\.scope) == ["github:acme/copied"])
        }
    }

    @Test(arguments: [
        "git@github.com:acme/api.git", "https://github.com/acme/api", "ssh://git@github.com:22/acme/api.git", "https://token@github.com/acme/api.git/",
    ])
    func cloneURLsOfEveryFormGiveTheRepository(_ url: String) {
        #expect(CheckoutRepository.parse(url: url)?.path == "acme/api")
        #expect(CheckoutRepository.parse(url: url)?.host == "github.com")
    }

    @Test func theExampleEstateImports() throws {
        let result = try readGitHub([Fixture.packageRoot.appendingPathComponent("examples/estate/github").path])
        #expect(Set(result.estates.map(\.scope)) == ["github:acme/deploy-infra", "github:acme/payments-api", "github:acme"])
        let infra = try #require(result.estates.first { $0.scope == "github:acme/deploy-infra" })
        #expect(infra.edges.contains { $0.to == "arn:aws:iam::210987654321:role/github-deploy" && $0.conditions.contains("sub=repo:acme/deploy-infra:environment:production") })
    }

    @Test func observationTimeIsAsOfElseTheNewestDateInTheDataElseTheFilesTimes() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, workflows: ["d.yml": Self.deploy], files: [
                "e/s.json": #"{"total_count": 1, "secrets": [{"name": "A", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2025-02-03T04:05:06Z"}]}"#,
            ])
            #expect(try readGitHub([checkout.root.path], asOf: Fixture.now).estates[0].observedAt == Fixture.now)
            #expect(try readGitHub([checkout.root.path], asOf: nil).estates[0].observedAt == utc("2025-02-03T04:05:06Z"))
        }
    }

    @Test func theInputDigestFollowsTheFilesThatDecideTheEstate() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, workflows: ["d.yml": Self.deploy])
            let connector = GitHubConnector(asOf: Fixture.now)
            func digest() throws -> String { try connector.inputDigest(try connector.discover([checkout.root.path]).files) }
            let first = try digest()
            #expect(try digest() == first)
            // CODEOWNERS and the remote are not discovered as files, but they change the estate, so the digest
            try checkout.write(".github/CODEOWNERS", "* @acme/other\n")
            let second = try digest()
            #expect(second != first)
            try checkout.write(".git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/renamed.git\n")
            #expect(try digest() != second)
        }
    }

    @Test func aWorkflowNamedOnTheCommandLineIsReadWithItsCheckout() throws {
        try withTemporaryDirectory { dir in
            let checkout = try CICheckoutBuilder.github(in: dir, workflows: ["d.yml": Self.deploy])
            let file = checkout.root.appendingPathComponent(".github/workflows/d.yml").path
            let result = try readGitHub([file])
            #expect(result.estates.map(\.scope) == ["github:acme/api"])
            #expect(result.estates[0].identities.map(\.id) == ["github:acme/api/.github/workflows/d.yml"])
        }
    }

    @Test func importOfADirectoryOffersEveryFileToBothConnectors() throws {
        let recognised = try Connectors.recogniseAll([Fixture.packageRoot.appendingPathComponent("examples/estate").path])
        let providers = Set(recognised.map(\.provider))
        #expect(providers.isSuperset(of: [.github, .gitlab]))
        #expect(recognised.first { $0.provider == .gitlab }?.paths.count == 2)
    }

    static let edKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHj8b5WMJmMLrytObcWQbO93KizghBj+jpPIaf8sgZcY"
    /// `ssh-keygen -lf` of ``edKey``.
    static let edKeyFingerprint = "SHA256:vq3jH7Ba9/YMqxDrdlIm6vKokScdTty1aqmCNHBqGiI"

    static let installations = """
        {"total_count": 1, "installations": [{"id": 41000001, "account": {"login": "acme", "type": "Organization"}, "repository_selection": "all",
          "app_id": 2740, "app_slug": "renovate", "target_type": "Organization", "permissions": {"contents": "write", "metadata": "read"},
          "events": ["push"], "created_at": "2022-01-18T10:02:33Z", "updated_at": "2025-03-11T08:15:40Z"}]}
        """
}
