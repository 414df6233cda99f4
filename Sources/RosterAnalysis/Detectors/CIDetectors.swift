public import RosterModel

/// CI/CD pipelines, deploy keys and GitHub Apps (OWASP NHI2, NHI3, NHI5, NHI7).
///
/// Each detector reads the facts the GitHub and GitLab connectors put in a pipeline's policy
/// content (`github.workflow-permissions`, `gitlab.pipeline-jobs`), a deploy key's access or an
/// App installation's permissions, and judges them by the provider's documented semantics.
extension Detectors {
    /// The CI detectors.
    public static let ciFamily: [Detector] = [
        workflowPwnRequest, workflowStaticCloudKey, workflowBroadTokenPermissions, pipelineSecretNotRotated,
        gitlabUnprotectedCredential, gitlabStaticCloudKey, deployKeyWriteAccess, appInstallationBroad,
    ]

    public static let workflowPwnRequest = Detector(
        id: "github.workflow.pwn-request",
        title: "Secrets exposed to pull request code (pull_request_target with head checkout)",
        severity: .critical,
        owasp: .nhi2SecretLeakage,
        summary: "A workflow triggered by pull_request_target (or workflow_run) whose job checks out the pull request's head and then runs "
            + "more steps while it can read secrets or mint OIDC tokens. Unlike pull_request, these events run with the base repository's "
            + "secrets even for pull requests from forks, so anyone who opens one runs their code with them.",
        remediation: "Run untrusted code under the pull_request event (no secrets for forks), or split the workflow: build the head in a "
            + "pull_request job and pass only its results to a privileged workflow. At the least, keep secrets and id-token out of the job "
            + "that checks out the head, and gate it on github.event.pull_request.head.repo.full_name == github.repository.",
        evaluate: { subject, _ in
            guard let workflow = CIFacts.content(subject, type: PolicyBody.githubWorkflowType) else { return [] }
            let triggers = workflow["triggers"].strings
            let privileged = triggers.filter { $0 == "pull_request_target" || $0 == "workflow_run" }
            guard !privileged.isEmpty else { return [] }
            return (workflow["jobs"].array).compactMap { job -> Hit? in
                guard let checkout = Optional(job["headCheckout"]), checkout.exists, (checkout["stepsAfter"].number ?? 0) > 0 else { return nil }
                let secrets = job["secrets"].strings
                let all = job["readsAllSecrets"].bool == true
                let idToken = job["idToken"].bool == true
                let keyedLogins = (job["cloudLogins"].array).count
                guard !secrets.isEmpty || all || idToken || keyedLogins > 0 else { return nil }
                let guard_ = job["forkGuard"].string
                if guard_ == "same-repository" { return nil }
                var evidence = [
                    "triggered by \(privileged.joined(separator: " and ")), which runs with the repository's secrets for pull requests from forks",
                    "job \(job["id"].string ?? "?") checks out \(checkout["ref"].string ?? "the head") in step \"\(checkout["step"].string ?? "?")\" "
                        + "and runs \(Int(checkout["stepsAfter"].number ?? 0)) more step(s) after it",
                ]
                if all { evidence.append("the job reads every secret (toJSON(secrets) or secrets: inherit)") }
                if !secrets.isEmpty { evidence.append("secrets in reach: \(secrets.joined(separator: ", "))") }
                if idToken { evidence.append("the job may mint OIDC tokens (id-token: write)") }
                if guard_ == "label" {
                    evidence.append("gated on a label, which a maintainer adds before the contributor can push more commits")
                    return Hit(evidence, severity: .high)
                }
                return Hit(evidence)
            }
        })

    public static let workflowStaticCloudKey = Detector(
        id: "github.workflow.static-cloud-key",
        title: "Workflow signs in to a cloud with a stored key",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "A GitHub Actions job that signs in to AWS, Google Cloud or Azure with a long-lived key kept as a secret "
            + "(aws-access-key-id, credentials_json, creds, or the clouds' key environment variables), where all three accept "
            + "the workflow's OIDC token instead.",
        remediation: "Federate: grant the job id-token: write and use role-to-assume (AWS), workload_identity_provider (Google Cloud) "
            + "or client-id/tenant-id with a federated credential (Azure), trusting only this repository's subject; then delete the key and the secret.",
        evaluate: { subject, _ in
            guard let workflow = CIFacts.content(subject, type: PolicyBody.githubWorkflowType) else { return [] }
            var hits: [Hit] = []
            var seen: Set<String> = []
            for job in workflow["jobs"].array {
                for login in job["cloudLogins"].array where login["method"].string == "static-key" {
                    let cloud = login["cloud"].string ?? "?"
                    let secrets = login["keySecrets"].strings
                    guard seen.insert(cloud + secrets.joined(separator: ",")).inserted else { continue }
                    let via = login["action"].string == "env" ? "environment variables in \(login["step"].string ?? "?")" : "step \"\(login["step"].string ?? "?")\" (\(login["action"].string ?? "?"))"
                    hits.append(Hit([
                        "job \(job["id"].string ?? "?") signs in to \(CIFacts.cloudName(cloud)) through \(via)",
                        secrets.isEmpty ? "the key comes from a secret" : "the key is kept in secret(s) \(secrets.joined(separator: ", "))",
                        "GitHub Actions can federate to \(CIFacts.cloudName(cloud)) with OIDC, so no stored key is needed",
                    ]))
                }
            }
            return hits
        })

    public static let workflowBroadTokenPermissions = Detector(
        id: "github.workflow.write-all-token",
        title: "Workflow with secrets grants its token write-all",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A job that reads secrets (or mints OIDC tokens) while its GITHUB_TOKEN is granted write-all: every step, including "
            + "third-party actions, can push code, change workflows and releases, and mint OIDC tokens for the repository.",
        remediation: "Set permissions: {} (or read-all) at the workflow level and grant each job only the scopes it uses, e.g. "
            + "contents: read and id-token: write for a deployment.",
        evaluate: { subject, _ in
            guard let workflow = CIFacts.content(subject, type: PolicyBody.githubWorkflowType) else { return [] }
            let workflowLevel = workflow["permissions"].string
            return (workflow["jobs"].array).compactMap { job -> Hit? in
                let level = !job["permissions"].exists ? workflowLevel : job["permissions"].string
                guard level == "write-all" else { return nil }
                let secrets = job["secrets"].strings
                guard !secrets.isEmpty || job["readsAllSecrets"].bool == true || !(job["cloudLogins"].array).isEmpty else { return nil }
                return Hit([
                    "job \(job["id"].string ?? "?") runs with permissions: write-all (\(!job["permissions"].exists ? "set for the whole workflow" : "set on the job"))",
                    secrets.isEmpty ? "the job signs in to a cloud" : "it reads secret(s) \(secrets.joined(separator: ", "))",
                ])
            }
        })

    public static let pipelineSecretNotRotated = Detector(
        id: "github.secret.not-rotated",
        title: "Pipeline secret not rotated",
        severity: .medium,
        owasp: .nhi7LongLivedSecrets,
        summary: "A GitHub Actions secret a workflow reads whose value was last set more than `maxKeyAgeDays` (default 90) days ago, "
            + "by the updated_at date of the repository's or organisation's secrets list.",
        remediation: "Rotate the credential at its source and update the secret; better, replace it with OIDC federation so nothing is stored.",
        evaluate: { subject, policy in
            guard subject.identity.kind == .githubWorkflow else { return [] }
            return subject.credentials.compactMap { credential in
                guard credential.kind == .pipelineSecret, let set = credential.ageReference else { return nil }
                let age = subject.days(since: set)
                guard age > policy.maxKeyAgeDays else { return nil }
                return Hit(["\(credential.preview ?? credential.id) last set \(Say.date(set)), \(Say.days(age)) before \(Say.date(subject.now)) (limit \(policy.maxKeyAgeDays))"],
                           credentialId: credential.id)
            }
        })

    public static let gitlabUnprotectedCredential = Detector(
        id: "gitlab.variable.unprotected-credential",
        title: "Unprotected CI/CD variable holding a credential reaches merge request pipelines",
        severity: .high,
        owasp: .nhi2SecretLeakage,
        summary: "A CI/CD variable that holds a credential and is not protected, used by a job that runs in merge request pipelines or on "
            + "any branch. GitLab passes protected variables only to pipelines on protected branches and tags; an unprotected one reaches "
            + "every pipeline in the project, so anyone who can push a branch can print it (fork merge requests run in the fork and do not get it).",
        remediation: "Mark the variable protected (and masked or hidden), and run the jobs that need it only on protected branches or tags; "
            + "for cloud access, replace it with an ID token and federation.",
        evaluate: { subject, _ in
            guard let pipeline = CIFacts.content(subject, type: PolicyBody.gitlabPipelineType) else { return [] }
            let jobs = pipeline["jobs"].array
            return (pipeline["variables"].array).compactMap { variable -> Hit? in
                guard variable["source"].string == "settings", variable["protected"].bool == false, let kind = variable["credential"].string,
                    let key = variable["key"].string else { return nil }
                let scope = variable["scope"].string ?? "*"
                // Cloud key variables are read by the CLIs from the environment, so every job gets to use them.
                let implicit = variable["staticKeyCloud"].exists
                let exposed = jobs.filter { job in
                    guard job["unprotected"].bool == true else { return false }
                    guard CIFacts.scope(scope, matches: job["environment"].string) else { return false }
                    return implicit || (job["references"].strings).contains(key)
                }
                guard !exposed.isEmpty else { return nil }
                let names = exposed.prefix(5).map { job in
                    "\(job["id"].string ?? "?") (\((job["runs"].strings).joined(separator: ", ")))"
                }
                return Hit([
                    "variable \(key) is not protected\(variable["masked"].bool == true ? "" : " and not masked")\(scope == "*" ? "" : ", environment scope \(scope)")",
                    "it holds a credential (\(kind))",
                    "used by job(s) \(names.joined(separator: "; "))",
                ], credentialId: subject.credentials.first { $0.id.hasSuffix("#variable/\(key)" + (scope == "*" ? "" : "@\(scope)")) }?.id)
            }
        })

    public static let gitlabStaticCloudKey = Detector(
        id: "gitlab.pipeline.static-cloud-key",
        title: "Pipeline holds a stored cloud key",
        severity: .high,
        owasp: .nhi7LongLivedSecrets,
        summary: "A GitLab project whose CI/CD variables (or .gitlab-ci.yml) hold a long-lived AWS, Google Cloud or Azure key, "
            + "where all three accept GitLab's ID tokens (id_tokens) instead.",
        remediation: "Request an ID token in the job (id_tokens with the cloud's audience), trust this project's subject in the cloud "
            + "(AssumeRoleWithWebIdentity, workload identity federation, a federated credential), then delete the key and the variable.",
        evaluate: { subject, _ in
            guard let pipeline = CIFacts.content(subject, type: PolicyBody.gitlabPipelineType) else { return [] }
            // One finding per cloud: a key id and its secret are one key.
            var byCloud: [String: [Fact]] = [:]
            for variable in pipeline["variables"].array {
                if let cloud = variable["staticKeyCloud"].string { byCloud[cloud, default: []].append(variable) }
            }
            return byCloud.keys.sorted().map { cloud in
                let variables = byCloud[cloud]!
                let names = variables.map { variable in
                    "\(variable["key"].string ?? "?") (\(variable["source"].string == "settings" ? "CI/CD settings" : ".gitlab-ci.yml"), \(variable["credential"].string ?? "key"))"
                }
                let first = variables.first?["key"].string ?? ""
                return Hit([
                    "\(names.joined(separator: ", ")) hold a static \(CIFacts.cloudName(cloud)) key",
                    "GitLab can federate to \(CIFacts.cloudName(cloud)) with an ID token, so no stored key is needed",
                ], credentialId: subject.credentials.first { $0.id.hasSuffix("#variable/\(first)") }?.id)
            }
        })

    public static let deployKeyWriteAccess = Detector(
        id: "github.deploy-key.write-access",
        title: "Deploy key with write access",
        severity: .high,
        owasp: .nhi5OverprivilegedNHI,
        summary: "A repository deploy key that can push (read_only false): an SSH key that never expires, is not tied to a person, and can "
            + "change code and workflows, and through them reach every secret the workflows read.",
        remediation: "Recreate it read-only if the machine only clones; if it must push, use a GitHub App with contents: write on that "
            + "repository (short-lived tokens) and protect the branches it must not push to.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .githubDeployKey,
                let access = CIFacts.content(subject, type: PolicyBody.githubDeployKeyType), access["access"].string == "write" else { return [] }
            let key = subject.credentials.first
            return [Hit([
                "deploy key \"\(subject.identity.name)\" on \(access["repository"].string ?? "?") has write access",
                "created \(Say.date(subject.identity.createdAt))" + (subject.identity.usageTracked ? ", last used \(Say.date(subject.identity.lastUsedAt))" : ""),
            ] + (key?.preview.map { ["key \($0)"] } ?? []), credentialId: key?.id)]
        })

    /// Permissions that let an App change code, workflows, secrets or the organisation itself.
    static let appHighImpactScopes: Set<String> = [
        "administration", "contents", "workflows", "secrets", "actions", "environments", "organization_administration", "members",
        "organization_secrets", "repository_hooks", "organization_hooks", "organization_self_hosted_runners",
    ]
    static let appAdminScopes: Set<String> = ["administration", "organization_administration", "members", "workflows", "secrets", "organization_secrets"]

    public static let appInstallationBroad = Detector(
        id: "github.app.broad-installation",
        title: "GitHub App installed on all repositories with write access",
        severity: .high,
        owasp: .nhi3VulnerableThirdPartyNHI,
        summary: "A GitHub App installation with access to all of the account's repositories (present and future) and write permission "
            + "on code, workflows, secrets or administration. Whoever controls the app, or steals its private key, holds that access; "
            + "critical when it includes administration, members, workflows or secrets.",
        remediation: "Install the app on the repositories it serves only (repository_selection: selected) and ask its owner for the "
            + "narrowest permissions; remove installations nobody can vouch for.",
        evaluate: { subject, _ in
            guard subject.identity.kind == .githubAppInstallation, let app = CIFacts.content(subject, type: PolicyBody.githubAppType),
                app["repository_selection"].string == "all" else { return [] }
            let permissions = app["permissions"].object
            let writes = permissions.filter { appHighImpactScopes.contains($0.key) && ($0.value.string == "write" || $0.value.string == "admin") }.keys.sorted()
            guard !writes.isEmpty else { return [] }
            let admin = writes.contains { appAdminScopes.contains($0) }
            return [Hit([
                "installed on all repositories of \(subject.identity.account ?? "the account")",
                "write access to \(writes.joined(separator: ", "))",
            ] + (subject.identity.tags["suspended_at"].map { ["suspended since \($0)"] } ?? []), severity: admin ? .critical : nil)]
        })
}

/// Reading the facts the CI connectors store in policy content.
fileprivate enum CIFacts {
    /// The content of the subject's policy of this `.other` type.
    static func content(_ subject: Subject, type: String) -> Fact? {
        for granted in subject.grants {
            if case .other(let kind, let content)? = granted.policy?.body, kind == type { return Fact(value: content) }
        }
        return nil
    }

    static func cloudName(_ cloud: String) -> String {
        switch cloud {
        case "aws": "AWS"
        case "gcp": "Google Cloud"
        case "azure": "Azure"
        default: cloud
        }
    }

    /// Whether a variable's environment scope reaches a job with this environment (`*`, an exact name, or a `review/*` pattern).
    static func scope(_ scope: String, matches environment: String?) -> Bool {
        if scope == "*" { return true }
        guard let environment else { return false }
        if scope.hasSuffix("*") { return environment.hasPrefix(scope.dropLast()) }
        return scope == environment
    }
}

/// A value of policy content, read leniently: a missing key or a value of another type reads as nothing.
fileprivate struct Fact {
    let value: JSONAny?

    subscript(key: String) -> Fact {
        if case .object(let map)? = value { return Fact(value: map[key]) }
        return Fact(value: nil)
    }

    var exists: Bool { value != nil }

    var string: String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    var bool: Bool? {
        if case .bool(let flag)? = value { return flag }
        return nil
    }

    var number: Double? {
        if case .number(let n)? = value { return n }
        return nil
    }

    var array: [Fact] {
        if case .array(let items)? = value { return items.map { Fact(value: $0) } }
        return []
    }

    var object: [String: Fact] {
        if case .object(let map)? = value { return map.mapValues { Fact(value: $0) } }
        return [:]
    }

    var strings: [String] { array.compactMap(\.string) }
}
