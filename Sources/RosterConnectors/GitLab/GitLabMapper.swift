import Foundation
import RosterModel

/// Everything read for one GitLab project.
struct GitLabProject {
    var checkout: CheckoutRepository
    var pipeline: GitLabPipeline?
    var pipelinePath: String?
    var owners: (owners: [String], line: Int)?
    var codeownersPath: String?
    var variables: [GitLabVariable] = []
    var files: [String] = []
}

/// Maps a GitLab project to its estate (`gitlab:<path>`): the pipeline identity, its credential-like
/// CI/CD variables, a policy with its jobs' facts, and claims on cloud identities.
struct GitLabMapper {
    var projects: [String: GitLabProject]
    var modified: [String: Date]
    var asOf: Date?
    var warnings: [String] = []

    static let rule = "gitlab.import"

    mutating func map() -> [Estate] {
        projects.keys.sorted().map { estate(projects[$0]!) }
    }

    private mutating func estate(_ project: GitLabProject) -> Estate {
        let path = project.checkout.path
        let id = "gitlab:\(path)/.gitlab-ci.yml"
        let pipeline = project.pipeline ?? GitLabPipeline()
        var credentials: [Credential] = []
        var edges: [Edge] = []
        var classes: [String: VariableClass] = [:]
        var variableFacts: [[String: Any]] = []

        // CI/CD settings variables first, then those written in the file (which are in the repository for anyone to read).
        for variable in project.variables {
            let cls = VariableClass.classify(key: variable.key, value: variable.value, masked: variable.masked ?? false, fileType: variable.variable_type == "file")
            let scope = variable.environment_scope ?? "*"
            classes[variable.key] = classes[variable.key] ?? cls
            var fact: [String: Any] = [
                "key": variable.key, "source": "settings", "protected": variable.protected ?? false, "masked": variable.masked ?? false,
                "hidden": variable.hidden ?? false, "scope": scope, "type": variable.variable_type ?? "env_var",
            ]
            if let credential = cls.credential { fact["credential"] = credential }
            if let cloud = cls.staticKeyCloud { fact["staticKeyCloud"] = cloud }
            variableFacts.append(fact)
            guard cls.credential != nil else { continue }
            credentials.append(Credential(
                id: "\(id)#variable/\(variable.key)" + (scope == "*" ? "" : "@\(scope)"), identityId: id, kind: .pipelineSecret,
                fingerprint: cls.fingerprint?.description, preview: cls.preview ?? "$\(variable.key)"))
            if let holds = cls.holds {
                edges.append(Edge(from: id, to: holds, kind: .holdsCredentialOf, rule: Self.rule,
                                  reason: "CI/CD variable \(variable.key) of \(path) holds a static key of \(holds.split(separator: ":", maxSplits: 2).last ?? "")"))
            }
        }
        for (key, value) in pipeline.variables.sorted(by: { $0.key < $1.key }) {
            let cls = VariableClass.classify(key: key, value: value, masked: false, fileType: false)
            if classes[key] == nil { classes[key] = cls }
            guard cls.credential != nil, cls.credential != "named-secret" || !value.hasPrefix("$") else { continue }
            var fact: [String: Any] = ["key": key, "source": ".gitlab-ci.yml", "protected": false, "masked": false, "scope": "*"]
            if let credential = cls.credential { fact["credential"] = credential }
            if let cloud = cls.staticKeyCloud { fact["staticKeyCloud"] = cloud }
            variableFacts.append(fact)
            credentials.append(Credential(id: "\(id)#variable/\(key)", identityId: id, kind: .pipelineSecret,
                                          fingerprint: cls.fingerprint?.description, preview: cls.preview ?? "$\(key)"))
            if let holds = cls.holds {
                edges.append(Edge(from: id, to: holds, kind: .holdsCredentialOf, rule: Self.rule,
                                  reason: "variable \(key) written in .gitlab-ci.yml of \(path) holds a static key of \(holds.split(separator: ":", maxSplits: 2).last ?? "")"))
            }
        }

        let issuer = GitLabOIDC.issuer(host: project.checkout.host)
        var jobFacts: [[String: Any]] = []
        for job in pipeline.jobs {
            func resolve(_ text: String?) -> String? {
                guard var text else { return nil }
                if text.hasPrefix("$") {
                    let name = text.trimmingCharacters(in: CharacterSet(charactersIn: "${}"))
                    if let value = job.variables[name] ?? pipeline.variables[name] {
                        text = value
                    } else if let cls = classes[name] {
                        guard let value = cls.roleARN ?? cls.guid else { return nil }
                        text = value
                    } else {
                        return nil
                    }
                }
                return text.contains("$") ? nil : text
            }
            var logins = job.logins
            // The AWS SDKs assume AWS_ROLE_ARN with the token in AWS_WEB_IDENTITY_TOKEN_FILE, no command needed.
            if !job.idTokens.isEmpty, logins.allSatisfy({ $0.cloud != "aws" }),
                let role = job.variables["AWS_ROLE_ARN"] ?? pipeline.variables["AWS_ROLE_ARN"] ?? classes["AWS_ROLE_ARN"]?.roleARN {
                logins.append(.init(cloud: "aws", method: "oidc", targets: ["role-arn": role], token: job.idTokens.first?.name, line: job.line))
            }
            let subjects = project.checkout.ownerKnown
                ? GitLabOIDC.subjects(project: path, runs: job.runs, defaultBranch: project.checkout.defaultBranch) : []
            var loginFacts: [[String: Any]] = []
            for login in logins {
                let tokenName = login.token.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "${}")) }
                let token = job.idTokens.first { $0.name == tokenName } ?? (job.idTokens.count == 1 ? job.idTokens.first : nil)
                var conditions = ["iss=\(issuer)"] + subjects.map { "sub=\($0)" }
                conditions += (token?.audiences ?? []).map { "aud=\($0)" }
                let place = ".gitlab-ci.yml: job \(job.id)"
                var fact: [String: Any] = ["cloud": login.cloud, "method": login.method, "targets": login.targets]
                if let token { fact["idToken"] = token.name }
                loginFacts.append(fact)
                switch login.cloud {
                case "aws":
                    if let role = resolve(login.targets["role-arn"]), VariableClass.isRoleARN(role) {
                        edges.append(Edge(from: id, to: role, kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) assumes \(role) with its ID token (assume-role-with-web-identity)", conditions: conditions))
                    } else {
                        warnings.append("\(project.pipelinePath ?? path): job \(job.id): the role it assumes (\(login.targets["role-arn"]?.prefix(80) ?? "not named")) is not spelled out; no claim is stated")
                    }
                case "gcp":
                    if let provider = resolve(login.targets["workload_identity_provider"]) {
                        edges.append(Edge(from: id, to: "gcp:workloadIdentityProvider:\(provider)", kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) federates through workload identity provider \(provider)", conditions: conditions))
                    }
                    if let account = resolve(login.targets["service_account"]) {
                        edges.append(Edge(from: id, to: "gcp:serviceAccount:\(account)", kind: .actsAs, rule: Self.rule,
                                          reason: "\(place) impersonates service account \(account)", conditions: conditions))
                    }
                case "azure":
                    if let client = resolve(login.targets["client-id"]) {
                        edges.append(Edge(from: id, to: "azure:appId:\(client)", kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) signs in as application \(client) with a federated token", conditions: conditions))
                    }
                default: break
                }
            }
            var fact: [String: Any] = [
                "id": job.id, "runs": job.runs.sorted().map(\.description), "unprotected": job.runs.contains { $0.isUnprotected },
                "references": job.references.filter { classes[$0] != nil || pipeline.variables[$0] != nil }.sorted(),
                "idTokens": job.idTokens.map { ["name": $0.name, "aud": $0.audiences] as [String: Any] }, "cloudLogins": loginFacts,
            ]
            if let environment = job.environment { fact["environment"] = environment }
            if let line = job.line { fact["line"] = line }
            jobFacts.append(fact)
        }
        for other in pipeline.notRead {
            warnings.append("\(project.pipelinePath ?? path): include \(other.prefix(120)) is not a local file; Roster does not fetch it, so its jobs are not read")
        }

        let environments = pipeline.jobs.compactMap(\.environment)
        var tags: [String: String] = ["jobs": String(pipeline.jobs.count)]
        if let owners = project.owners, let file = project.codeownersPath { tags["codeowners"] = "\(file) line \(owners.line)" }
        let identity = Identity(
            id: id, provider: .gitlab, kind: .gitlabPipeline, name: "\(path)/.gitlab-ci.yml", account: path, path: ".gitlab-ci.yml",
            environment: EnvironmentName.guess(environments + [path]),
            owner: project.owners.flatMap { $0.owners.isEmpty ? nil : $0.owners.joined(separator: " ") }, tags: tags, nature: .machine,
            natureReason: "a GitLab CI/CD pipeline: its jobs run unattended with the project's CI/CD variables and job tokens")
        let policyId = id + "#jobs"
        let policy = Policy(
            id: policyId, name: ".gitlab-ci.yml jobs", provider: .gitlab, kind: .inline,
            body: .other(type: PolicyBody.gitlabPipelineType, content: CIJSON.value(["project": path, "jobs": jobFacts, "variables": variableFacts] as [String: Any])))
        let observed = asOf ?? project.files.compactMap { modified[$0] }.max() ?? Date()
        return Estate(
            observedAt: observed, scope: "gitlab:\(path)", identities: [identity], credentials: credentials, policies: [policy],
            grants: [Grant(subjectId: id, policyId: policyId, via: .binding, scope: GrantScope(.resource, "gitlab:\(path)"))], edges: edges
        ).sorted()
    }
}
