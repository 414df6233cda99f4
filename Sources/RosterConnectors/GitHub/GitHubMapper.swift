import Foundation
import RosterModel

/// Everything read from GitHub files, grouped by the repository or organisation it describes.
struct GitHubSources {
    struct Repository {
        var checkout: CheckoutRepository
        var codeowners: GitHubCodeowners?
        var workflows: [(path: String, workflow: GitHubWorkflow)] = []
        var secrets: [GitHubSecretList.Secret] = []
        var deployKeys: [(path: String, keys: [GitHubDeployKey])] = []
        var files: [String] = []
    }

    struct Organisation {
        var secrets: [GitHubSecretList.Secret] = []
        var installations: [GitHubInstallationList.Installation] = []
        var files: [String] = []
    }

    var repositories: [String: Repository] = [:]
    var organisations: [String: Organisation] = [:]
    var modified: [String: Date] = [:]
}

/// Maps GitHub sources to one estate per repository (`github:<owner>/<repo>`) and per organisation (`github:<org>`).
struct GitHubMapper {
    var sources: GitHubSources
    var asOf: Date?
    var warnings: [String] = []

    static let rule = "github.import"

    mutating func map() throws -> [Estate] {
        var estates: [Estate] = []
        for slug in sources.repositories.keys.sorted() {
            estates.append(try repositoryEstate(slug, sources.repositories[slug]!))
        }
        for org in sources.organisations.keys.sorted() where !sources.repositories.keys.contains(org) {
            estates.append(organisationEstate(org, sources.organisations[org]!))
        }
        return estates
    }

    private func observed(files: [String], dates: [Date?]) -> Date {
        if let asOf { return asOf }
        if let newest = dates.compactMap({ $0 }).max() { return newest }
        return files.compactMap { sources.modified[$0] }.max() ?? Date()
    }

    // MARK: Repositories

    private mutating func repositoryEstate(_ slug: String, _ repo: GitHubSources.Repository) throws -> Estate {
        var identities: [Identity] = []
        var credentials: [Credential] = []
        var policies: [Policy] = []
        var grants: [Grant] = []
        var edges: [Edge] = []
        var resources: [Resource] = []
        let owner = slug.split(separator: "/").first.map(String.init) ?? slug
        let orgSecrets = Dictionary(sources.organisations[owner]?.secrets.map { ($0.name.uppercased(), $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let repoSecrets = Dictionary(repo.secrets.map { ($0.name.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var used: Set<String> = []
        var dates: [Date?] = []

        for (path, workflow) in repo.workflows.sorted(by: { $0.workflow.file < $1.workflow.file }) {
            let id = "github:\(slug)/\(workflow.file)"
            let fileName = (workflow.file as NSString).lastPathComponent
            let owners = repo.codeowners?.owners(of: workflow.file)
            var tags: [String: String] = ["triggers": workflow.triggerNames.joined(separator: ", ")]
            if let name = workflow.name { tags["workflow"] = name }
            if let owners, let codeowners = repo.codeowners {
                tags["codeowners"] = "\(codeowners.path) line \(owners.line)"
            }
            let environments = workflow.jobs.compactMap(\.environment)
            identities.append(Identity(
                id: id, provider: .github, kind: .githubWorkflow, name: "\(slug)/\(workflow.file)", account: slug, path: workflow.file,
                environment: EnvironmentName.guess(environments + [workflow.name, fileName, slug]),
                owner: owners.flatMap { $0.owners.isEmpty ? nil : $0.owners.joined(separator: " ") }, tags: tags,
                nature: .machine,
                natureReason: "a GitHub Actions workflow: its jobs run unattended with the repository's GITHUB_TOKEN and the secrets they read"))

            // Secrets, by the name the jobs use; dates from the repository's list, else the organisation's.
            let names = Set(workflow.jobs.flatMap(\.secrets)).sorted()
            for name in names {
                used.insert(name)
                let known = repoSecrets[name] ?? orgSecrets[name]
                dates.append(repoSecrets[name]?.updated_at?.date)
                credentials.append(Credential(
                    id: "\(id)#secret/\(name)", identityId: id, kind: .pipelineSecret, createdAt: known?.created_at?.date,
                    lastRotatedAt: known?.updated_at?.date, preview: "secrets.\(name)"))
            }

            let policyId = "\(id)#permissions"
            policies.append(Policy(
                id: policyId, name: "\(fileName) permissions", provider: .github, kind: .inline,
                body: .other(type: PolicyBody.githubWorkflowType, content: CIJSON.value(content(of: workflow, repoSecrets: repoSecrets, orgSecrets: orgSecrets)))))
            grants.append(Grant(subjectId: id, policyId: policyId, via: .binding, scope: GrantScope(.resource, "github:\(slug)")))
            edges += claims(of: workflow, id: id, slug: slug, checkout: repo.checkout, path: path)
        }

        for secret in repo.secrets {
            dates.append(secret.updated_at?.date)
            resources.append(Resource(
                id: "github:\(slug)/secrets/\(secret.name)", provider: .github, type: "github.actions-secret", name: secret.name, account: slug,
                attributes: secretAttributes(secret, used: used.contains(secret.name.uppercased()))))
        }

        for (path, keys) in repo.deployKeys {
            for (index, key) in keys.enumerated() {
                let mapped = try deployKey(key, slug: slug, path: path, index: index)
                identities.append(mapped.identity)
                credentials.append(mapped.credential)
                policies.append(mapped.policy)
                grants.append(Grant(subjectId: mapped.identity.id, policyId: mapped.policy.id, via: .binding, scope: GrantScope(.resource, "github:\(slug)")))
                dates += [key.created_at?.date, key.last_used?.date]
            }
        }
        // An organisation named like the repository's owner and imported alongside keeps its own estate.
        return Estate(
            observedAt: observed(files: repo.files, dates: dates), scope: "github:\(slug)", identities: identities, credentials: credentials,
            policies: policies, grants: grants, resources: resources, edges: edges
        ).sorted()
    }

    private func secretAttributes(_ secret: GitHubSecretList.Secret, used: Bool) -> [String: String] {
        var out: [String: String] = ["usedByWorkflows": used ? "yes" : "no"]
        if let created = secret.created_at { out["createdAt"] = created.date.utcDay }
        if let updated = secret.updated_at { out["updatedAt"] = updated.date.utcDay }
        if let visibility = secret.visibility { out["visibility"] = visibility }
        return out
    }

    /// The policy content detectors read: triggers, token permissions, and per job its environment,
    /// secrets, pull request head checkout and cloud sign-ins.
    private func content(of workflow: GitHubWorkflow, repoSecrets: [String: GitHubSecretList.Secret], orgSecrets: [String: GitHubSecretList.Secret]) -> [String: Any] {
        var out: [String: Any] = ["file": workflow.file, "triggers": workflow.triggerNames]
        if let permissions = workflow.permissions { out["permissions"] = permissions.json }
        out["jobs"] = workflow.jobs.map { job -> [String: Any] in
            var j: [String: Any] = ["id": job.id, "secrets": job.secrets.sorted()]
            if let permissions = job.permissions { j["permissions"] = permissions.json }
            let effective = job.permissions ?? workflow.permissions
            j["idToken"] = effective?.idTokenWrite ?? false
            if let effective { j["writeScopes"] = effective.writeScopes } else { j["tokenPermissions"] = "repository default" }
            if let environment = job.environment { j["environment"] = environment }
            if job.readsAllSecrets { j["readsAllSecrets"] = true }
            if let checkout = job.headCheckout {
                j["headCheckout"] = ["ref": checkout.ref, "step": checkout.step, "stepsAfter": job.stepsAfterHeadCheckout] as [String: Any]
            }
            if let guard_ = job.forkGuard { j["forkGuard"] = guard_ }
            if let calls = job.calls { j["calls"] = calls }
            j["cloudLogins"] = job.cloudLogins.map { login -> [String: Any] in
                var l: [String: Any] = ["cloud": login.cloud, "action": login.action, "step": login.step, "method": login.method.rawValue]
                if !login.inputs.isEmpty { l["inputs"] = login.inputs }
                if !login.keySecrets.isEmpty { l["keySecrets"] = login.keySecrets }
                if let line = login.line { l["line"] = line }
                return l
            }
            return j
        }
        return out
    }

    /// Claims on cloud identities: each OIDC sign-in whose target is written in the file, with the
    /// issuer, subjects and audience the job presents.
    private mutating func claims(of workflow: GitHubWorkflow, id: String, slug: String, checkout: CheckoutRepository, path: String) -> [Edge] {
        var edges: [Edge] = []
        let issuer = GitHubOIDC.issuer(host: checkout.host)
        for job in workflow.jobs {
            let subjects = checkout.ownerKnown
                ? GitHubOIDC.subjects(repository: slug, environment: job.environment, triggers: workflow.triggers, defaultBranch: checkout.defaultBranch)
                : []
            let idToken = (job.permissions ?? workflow.permissions)?.idTokenWrite ?? false
            for login in job.cloudLogins where login.method == .oidc {
                var conditions = ["iss=\(issuer)"] + subjects.map { "sub=\($0)" }
                if let audience = login.audience { conditions.append("aud=\(audience)") }
                let place = "\(workflow.file): job \(job.id), step \"\(login.step)\" (\(login.action))"
                let tokenNote = idToken ? "" : "; the job is not granted id-token: write, so the sign-in fails as written"
                func literal(_ input: String) -> String? {
                    guard let value = login.inputs[input], !value.isEmpty else { return nil }
                    if value.contains("${{") {
                        warnings.append("\(path): job \(job.id), step \"\(login.step)\": \(input) is \(value.prefix(120)), which the file does not spell out; no claim on it is stated")
                        return nil
                    }
                    return value
                }
                switch login.cloud {
                case "aws":
                    if let role = literal("role-to-assume"), role.hasPrefix("arn:") {
                        edges.append(Edge(from: id, to: role, kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) assumes \(role) with the job's OIDC token (role-to-assume)\(tokenNote)", conditions: conditions))
                    }
                case "gcp":
                    if let provider = literal("workload_identity_provider") {
                        edges.append(Edge(from: id, to: "gcp:workloadIdentityProvider:\(provider)", kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) federates through workload identity provider \(provider)\(tokenNote)", conditions: conditions))
                    }
                    if let account = literal("service_account") {
                        edges.append(Edge(from: id, to: "gcp:serviceAccount:\(account)", kind: .actsAs, rule: Self.rule,
                                          reason: "\(place) impersonates service account \(account) (service_account)\(tokenNote)", conditions: conditions))
                    }
                case "azure":
                    if let client = literal("client-id") {
                        var all = conditions
                        if let tenant = literal("tenant-id") { all.append("tenant=\(tenant)") }
                        edges.append(Edge(from: id, to: "azure:appId:\(client)", kind: .canAssume, rule: Self.rule,
                                          reason: "\(place) signs in as application \(client) with a federated credential (client-id)\(tokenNote)",
                                          conditions: all))
                    }
                default: break
                }
            }
        }
        return edges
    }

    // MARK: Deploy keys

    private func deployKey(_ key: GitHubDeployKey, slug: String, path: String, index: Int) throws
        -> (identity: Identity, credential: Credential, policy: Policy)
    {
        let id = "github:\(slug)/deploy-keys/\(key.id)"
        guard let blob = SSHPublicKey.blob(key.key) else {
            throw ConnectorError(.wrongShape, "expected an OpenSSH public key (type and base64 key), such as \"ssh-ed25519 AAAAC3…\"",
                                 file: path, location: "$[\(index)].key")
        }
        let access = key.read_only ? "read" : "write"
        let name = key.title.map { $0.isEmpty ? "deploy key \(key.id)" : $0 } ?? "deploy key \(key.id)"
        var tags: [String: String] = ["access": access]
        if let by = key.added_by { tags["added_by"] = by }
        if let verified = key.verified { tags["verified"] = verified ? "true" : "false" }
        let identity = Identity(
            id: id, provider: .github, kind: .githubDeployKey, name: name, nativeId: String(key.id), account: slug,
            environment: EnvironmentName.guess([key.title, slug]), owner: key.added_by.map { "@" + $0 }, tags: tags,
            createdAt: key.created_at?.date, lastUsedAt: key.last_used?.date, usageTracked: key.tracksUse, nature: .machine,
            natureReason: "a deploy key: an SSH key that gives a machine \(access) access to one repository, with no person behind it")
        let credential = Credential(
            id: id + "#key", identityId: id, kind: .sshKey, status: key.enabled == false ? .inactive : .active,
            createdAt: key.created_at?.date, lastUsedAt: key.last_used?.date, usageTracked: key.tracksUse,
            fingerprint: CredentialFingerprint(.sshPublicKey, bytes: blob).description, preview: SSHPublicKey.sha256Text(blob))
        let policy = Policy(
            id: id + "#access", name: "\(name) access", provider: .github, kind: .inline,
            body: .other(type: PolicyBody.githubDeployKeyType, content: CIJSON.value(["repository": slug, "access": access])))
        return (identity, credential, policy)
    }

    // MARK: Organisations

    private func organisationEstate(_ org: String, _ data: GitHubSources.Organisation) -> Estate {
        var identities: [Identity] = []
        var policies: [Policy] = []
        var grants: [Grant] = []
        var dates: [Date?] = []
        for installation in data.installations {
            let login = installation.account?.login ?? installation.account?.slug ?? org
            let slug = installation.app_slug ?? installation.app_id.map { "app-\($0)" } ?? "installation-\(installation.id)"
            let id = "github:\(login)/apps/\(slug)"
            var tags: [String: String] = ["installation_id": String(installation.id)]
            if let app = installation.app_id { tags["app_id"] = String(app) }
            if let selection = installation.repository_selection { tags["repository_selection"] = selection }
            if let suspended = installation.suspended_at { tags["suspended_at"] = suspended.date.utcDay }
            if let target = installation.target_type ?? installation.account?.type { tags["target_type"] = target }
            identities.append(Identity(
                id: id, provider: .github, kind: .githubAppInstallation, name: slug, nativeId: String(installation.id), account: login,
                environment: EnvironmentName.guess([slug]), tags: tags, createdAt: installation.created_at?.date, nature: .machine,
                natureReason: "a GitHub App installation: the app acts on \(login)'s repositories with its own installation tokens"))
            let policyId = id + "#permissions"
            let permissions = installation.permissions ?? [:]
            policies.append(Policy(
                id: policyId, name: "\(slug) permissions", provider: .github, kind: .inline,
                body: .other(type: PolicyBody.githubAppType, content: CIJSON.value([
                    "repository_selection": installation.repository_selection ?? "unknown", "permissions": permissions,
                    "events": installation.events ?? [],
                ] as [String: Any]))))
            let scope = installation.repository_selection == "all" ? GrantScope(.account, "github:\(login)") : GrantScope(.resource, "selected repositories of \(login)")
            grants.append(Grant(subjectId: id, policyId: policyId, via: .binding, scope: scope))
            dates += [installation.created_at?.date, installation.updated_at?.date]
        }
        let resources = data.secrets.map { secret -> Resource in
            dates.append(secret.updated_at?.date)
            return Resource(id: "github:\(org)/secrets/\(secret.name)", provider: .github, type: "github.actions-secret", name: secret.name, account: org,
                            attributes: secretAttributes(secret, used: usedByAnyWorkflow(secret.name, org: org)))
        }
        return Estate(observedAt: observed(files: data.files, dates: dates), scope: "github:\(org)", identities: identities, policies: policies,
                      grants: grants, resources: resources).sorted()
    }

    private func usedByAnyWorkflow(_ name: String, org: String) -> Bool {
        sources.repositories.contains { slug, repo in
            slug.hasPrefix(org + "/") && repo.workflows.contains { $0.workflow.jobs.contains { $0.secrets.contains(name.uppercased()) } }
        }
    }
}

/// Fingerprints of OpenSSH public keys, as `ssh-keygen -l` computes them: SHA-256 of the decoded key blob.
enum SSHPublicKey {
    /// The decoded blob of `type base64 [comment]`, when the base64 decodes and names the same type.
    static func blob(_ line: String) -> [UInt8]? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, fields[1].utf8.count <= 16_384, let data = Data(base64Encoded: String(fields[1])), data.count > 4 else { return nil }
        let bytes = [UInt8](data)
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length > 0, length + 4 <= bytes.count, String(decoding: bytes[4..<(4 + length)], as: UTF8.self) == String(fields[0]) else { return nil }
        return bytes
    }

    /// `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it.
    static func sha256Text(_ blob: [UInt8]) -> String {
        var text = Data(SHA256Digest.digest(blob)).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }
}

/// Swift values to ``JSONAny``, for policy content.
enum CIJSON {
    static func value(_ any: Any) -> JSONAny {
        switch any {
        case let v as JSONAny: return v
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .number(Double(v))
        case let v as Double: return .number(v)
        case let v as [String: String]: return .object(v.mapValues { .string($0) })
        case let v as [String]: return .array(v.map { .string($0) })
        case let v as [String: Any]: return .object(v.mapValues(value))
        case let v as [Any]: return .array(v.map(value))
        default: return .null
        }
    }
}
