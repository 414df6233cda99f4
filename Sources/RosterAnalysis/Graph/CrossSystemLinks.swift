public import Foundation
public import RosterModel

/// The link pass: joins what one system says about another (a Kubernetes annotation naming an
/// AWS role, a workflow logging in to a GCP service account, a Jenkins credential holding an
/// access key id) with what the other system says back (the role's trust policy, the service
/// account's IAM policy, the app's federated credentials, the key's owner).
///
/// Connectors state such *claims* as edges whose `to` is a reference into another system
/// (see ``Reference``). This pass resolves each claim against every loaded estate:
/// - the target exists and admits the source → a verified edge (rule `link.*`) with evidence from both ends;
/// - the target's system is loaded but the target is not there, or it does not admit the source →
///   a half-edge finding;
/// - the target's system is not loaded → the claim stays as it was, unverified.
///
/// It also finds credentials and identities shared across environments. Pure: estates in, edges
/// and findings out. It runs once per set of latest snapshots and is stored.
public enum CrossSystemLinks {
    /// What the pass found.
    public struct Result: Sendable {
        /// Verified cross-system edges.
        public var edges: [Edge]
        public var findings: [Finding]
        /// Claims whose target's system is not loaded.
        public var unresolved: [Edge]
    }

    /// A claim's target, parsed from an edge's `to`.
    public enum Reference: Hashable, Sendable {
        case awsRole(arn: String, account: String)
        case awsAccessKey(String)
        case gcpServiceAccount(email: String)
        case azureApp(appId: String)

        public init?(_ text: String) {
            if text.hasPrefix("arn:aws"), text.contains(":role/") {
                let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                guard parts.count == 6 else { return nil }
                self = .awsRole(arn: text, account: String(parts[4]))
            } else if text.hasPrefix("aws:accessKey:") {
                self = .awsAccessKey(String(text.dropFirst("aws:accessKey:".count)))
            } else if text.hasPrefix("gcp:serviceAccount:") {
                self = .gcpServiceAccount(email: String(text.dropFirst("gcp:serviceAccount:".count)).lowercased())
            } else if text.hasPrefix("azure:appId:") {
                self = .azureApp(appId: String(text.dropFirst("azure:appId:".count)).lowercased())
            } else {
                return nil
            }
        }

        var provider: Provider {
            switch self {
            case .awsRole, .awsAccessKey: .aws
            case .gcpServiceAccount: .gcp
            case .azureApp: .azure
            }
        }
    }

    public static func run(_ estates: [Estate]) -> Result {
        let world = World(estates)
        var result = Result(edges: [], findings: [], unresolved: [])
        var verifiedInto: [String: [(source: Identity, edge: Edge)]] = [:]
        for estate in estates {
            for claim in estate.edges {
                guard let reference = Reference(claim.to), let source = world.identities[claim.from] else { continue }
                // Within one provider (a GCP account impersonating another) the connector states the edge itself.
                if reference.provider == source.provider { continue }
                switch world.resolve(reference) {
                case .notLoaded:
                    result.unresolved.append(claim)
                case .missing(let system):
                    result.findings.append(CrossSystemRules.targetMissing.finding(
                        on: source, discriminator: claim.to,
                        evidence: [claim.reason, "\(claim.to) is not in \(system), which is imported"].filter { !$0.isEmpty }))
                case .found(let target, let via):
                    let verdict = world.admits(target: target, claim: claim, source: source)
                    switch verdict {
                    case .admitted(let evidence):
                        let edge = Edge(
                            from: source.id, to: target.id, kind: claim.kind, rule: "link.\(reference.ruleSuffix)",
                            reason: [claim.reason, via, evidence].filter { !$0.isEmpty }.joined(separator: "; "),
                            conditions: claim.conditions)
                        result.edges.append(edge)
                        verifiedInto[target.id, default: []].append((source, edge))
                    case .refused(let why):
                        result.findings.append(CrossSystemRules.notTrustedBack.finding(
                            on: source, discriminator: claim.to, evidence: [claim.reason, why].filter { !$0.isEmpty }))
                    }
                }
            }
        }
        result.findings += world.environmentCrossings(verifiedInto)
        result.findings += world.sharedCredentials()
        result.findings += world.trustedUnknownRepositories()
        result.edges.sort { ($0.from, $0.to, $0.rule) < ($1.from, $1.to, $1.rule) }
        result.findings.sort { ($0.severity, $1.ruleId, $1.id) > ($1.severity, $0.ruleId, $0.id) }
        return result
    }
}

extension CrossSystemLinks.Reference {
    var ruleSuffix: String {
        switch self {
        case .awsRole: "aws-role"
        case .awsAccessKey: "access-key"
        case .gcpServiceAccount: "gcp-service-account"
        case .azureApp: "azure-app"
        }
    }
}

/// Every loaded estate, indexed for the link pass.
private struct World {
    enum Resolution {
        case notLoaded
        case missing(String)
        case found(Identity, via: String)
    }

    enum Verdict {
        case admitted(String)
        case refused(String)
    }

    let identities: [String: Identity]
    let scopes: Set<String>
    let providers: Set<Provider>
    let gcpByEmail: [String: Identity]
    let azureByAppId: [String: [Identity]]
    let keyOwners: [String: (Credential, Identity)]
    let credentialsByFingerprint: [String: [(Credential, Identity)]]
    let trustById: [String: [Policy]]
    let githubRepositories: Set<String>

    init(_ estates: [Estate]) {
        var identities: [String: Identity] = [:]
        var gcp: [String: Identity] = [:]
        var azure: [String: [Identity]] = [:]
        var providers: Set<Provider> = []
        for estate in estates {
            for identity in estate.identities {
                identities[identity.id] = identity
                providers.insert(identity.provider)
                if identity.provider == .gcp, identity.id.hasPrefix("gcp:serviceAccount:") { gcp[identity.name.lowercased()] = identity }
                if identity.provider == .azure, let appId = identity.nativeId { azure[appId.lowercased(), default: []].append(identity) }
            }
        }
        var keys: [String: (Credential, Identity)] = [:]
        var fingerprints: [String: [(Credential, Identity)]] = [:]
        for estate in estates {
            for credential in estate.credentials {
                guard let holder = identities[credential.identityId] else { continue }
                if holder.provider == .aws && credential.kind == .accessKey { keys[credential.id] = (credential, holder) }
                if let fingerprint = credential.fingerprint { fingerprints[fingerprint, default: []].append((credential, holder)) }
            }
        }
        var policies: [String: Policy] = [:]
        for estate in estates { for policy in estate.policies where policy.kind == .trust { policies[policy.id] = policy } }
        var trust: [String: [Policy]] = [:]
        for estate in estates {
            for grant in estate.grants where grant.via == .trust {
                if let policy = policies[grant.policyId] { trust[grant.subjectId, default: []].append(policy) }
            }
        }
        var repositories: Set<String> = []
        for estate in estates where estate.scope.hasPrefix("github:") { repositories.insert(String(estate.scope.dropFirst(7)).lowercased()) }
        self.identities = identities
        self.scopes = Set(estates.map(\.scope))
        self.providers = providers
        self.gcpByEmail = gcp
        self.azureByAppId = azure
        self.keyOwners = keys
        self.credentialsByFingerprint = fingerprints
        self.trustById = trust
        self.githubRepositories = repositories
    }

    func resolve(_ reference: CrossSystemLinks.Reference) -> Resolution {
        switch reference {
        case .awsRole(let arn, let account):
            if let role = identities[arn] { return .found(role, via: "") }
            // A role ARN may be written without the role's path; the role's name is unique in its account.
            let name = arn.split(separator: "/").last.map(String.init) ?? arn
            if let role = identities.values.first(where: { $0.provider == .aws && $0.account == account && $0.kind == .iamRole && $0.name == name }) {
                return .found(role, via: "")
            }
            return scopes.contains("aws:\(account)") ? .missing("AWS account \(account)") : .notLoaded
        case .awsAccessKey(let keyId):
            if let (credential, owner) = keyOwners[keyId] {
                return .found(owner, via: "access key \(credential.preview ?? CredentialFingerprint.preview(keyId)) belongs to \(owner.kind) \(owner.name)")
            }
            // A key id does not name its account, so a key Roster has not seen may be in an account not imported.
            return .notLoaded
        case .gcpServiceAccount(let email):
            if let account = gcpByEmail[email] { return .found(account, via: "") }
            let project = Self.gcpProject(ofEmail: email)
            if let project, scopes.contains("gcp:\(project)") { return .missing("GCP project \(project)") }
            return .notLoaded
        case .azureApp(let appId):
            let candidates = azureByAppId[appId] ?? []
            if let principal = candidates.first(where: { $0.kind.rawValue != "azure.application" }) ?? candidates.first { return .found(principal, via: "") }
            return providers.contains(.azure) ? .missing("the imported Azure tenants") : .notLoaded
        }
    }

    /// The project of a user-managed service account (`name@PROJECT.iam.gserviceaccount.com`).
    static func gcpProject(ofEmail email: String) -> String? {
        guard let at = email.firstIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...]
        guard domain.hasSuffix(".iam.gserviceaccount.com") else { return nil }
        return String(domain.dropLast(".iam.gserviceaccount.com".count))
    }

    // MARK: - The other end

    func admits(target: Identity, claim: Edge, source: Identity) -> Verdict {
        let claims = Claims(claim.conditions)
        switch target.provider {
        case .aws where claim.kind == .holdsCredentialOf:
            return .admitted("")
        case .aws:
            return awsTrustAdmits(role: target, claims: claims, source: source)
        case .gcp:
            return gcpPolicyAdmits(account: target, claims: claims, source: source)
        case .azure:
            return azureFederationAdmits(principal: target, claims: claims, source: source)
        default:
            return .admitted("")
        }
    }

    /// Whether the role's trust policy lets the source's web-identity token assume it.
    func awsTrustAdmits(role: Identity, claims: Claims, source: Identity) -> Verdict {
        guard let trust = trustById[role.id]?.compactMap(\.awsDocument).first else {
            return .refused("Roster has no trust policy for \(role.name), so nothing is known to let \(source.name) assume it")
        }
        guard !claims.subjects.isEmpty else {
            // Not a federation claim (a role named for a static-key login): the trust decides nothing here.
            return .admitted("")
        }
        var sawIssuer = false
        for principal in trust.trustedPrincipals where principal.kind == .oidc {
            let issuer = principal.value.components(separatedBy: ":oidc-provider/").last ?? principal.value
            if let wanted = claims.issuer, Claims.normaliseIssuer(wanted) != Claims.normaliseIssuer(issuer) { continue }
            if claims.issuer == nil && !Claims.issuerFits(issuer, subjects: claims.subjects) { continue }
            sawIssuer = true
            let statement = principal.statement
            let subjectConditions = statement.conditions.filter { $0.key.lowercased() == "\(issuer.lowercased()):sub" }
            let audienceConditions = statement.conditions.filter { $0.key.lowercased() == "\(issuer.lowercased()):aud" }
            let admittedSubjects = claims.subjects.filter { subject in subjectConditions.allSatisfy { Claims.satisfies($0, subject) } }
            guard !admittedSubjects.isEmpty else { continue }
            if !claims.audiences.isEmpty, !audienceConditions.allSatisfy({ condition in claims.audiences.contains { Claims.satisfies(condition, $0) } }) {
                continue
            }
            let sid = statement.sid.map { " (statement \"\($0)\")" } ?? ""
            let pinned = subjectConditions.isEmpty ? ", with no condition on the token's subject" : ""
            return .admitted("the trust policy of \(role.name) admits OIDC provider \(issuer)\(sid) for subject \(admittedSubjects[0])\(pinned)")
        }
        let subjects = claims.subjects.prefix(3).joined(separator: ", ")
        if !sawIssuer {
            return .refused("the trust policy of \(role.name) trusts no OIDC provider \(claims.issuer.map { "for issuer \($0)" } ?? "that issues such tokens"), so the login as \(subjects) fails or falls back to other credentials")
        }
        return .refused("the trust policy of \(role.name) does not admit the subject \(subjects)")
    }

    /// Whether a GCP service account's IAM policy lets the source act as it.
    func gcpPolicyAdmits(account: Identity, claims: Claims, source: Identity) -> Verdict {
        let bindings = (trustById[account.id] ?? []).flatMap { Claims.gcpBindings($0) }
        guard !trustById[account.id, default: []].isEmpty else {
            return .refused("Roster has no IAM policy for \(account.name) (gcloud iam service-accounts get-iam-policy), so nothing is known to let \(source.name) act as it")
        }
        let users = bindings.filter { $0.role == "roles/iam.workloadIdentityUser" || $0.role == "roles/iam.serviceAccountTokenCreator" }
        for ksa in claims.values("ksa") {
            for binding in users {
                if let member = binding.members.first(where: { $0.hasPrefix("serviceAccount:") && $0.hasSuffix(".svc.id.goog[\(ksa)]") }) {
                    return .admitted("\(account.name) grants \(binding.role) to \(member)")
                }
            }
        }
        for subject in claims.subjects {
            let repository = Claims.repository(ofGitHubSubject: subject)
            for binding in users {
                for member in binding.members {
                    if member.hasPrefix("principal://"), member.hasSuffix("/subject/\(subject)") {
                        return .admitted("\(account.name) grants \(binding.role) to \(member)")
                    }
                    if let repository, member.hasPrefix("principalSet://"), member.lowercased().hasSuffix("/attribute.repository/\(repository.lowercased())") {
                        return .admitted("\(account.name) grants \(binding.role) to \(member)")
                    }
                    if let repository, member.hasPrefix("principalSet://"),
                        let owner = repository.split(separator: "/").first, member.lowercased().hasSuffix("/attribute.repository_owner/\(owner.lowercased())")
                    {
                        return .admitted("\(account.name) grants \(binding.role) to \(member), every repository of \(owner)")
                    }
                    if member.hasPrefix("principalSet://"), member.hasSuffix("/*") {
                        return .admitted("\(account.name) grants \(binding.role) to \(member), every identity of the pool")
                    }
                }
            }
        }
        let who = (claims.values("ksa").map { "Kubernetes service account \($0)" } + claims.subjects).prefix(3).joined(separator: ", ")
        return .refused("the IAM policy of \(account.name) grants roles/iam.workloadIdentityUser to no member matching \(who.isEmpty ? source.name : who)")
    }

    /// Whether an Azure app's federated identity credentials admit the source's token.
    func azureFederationAdmits(principal: Identity, claims: Claims, source: Identity) -> Verdict {
        let appId = principal.nativeId?.lowercased()
        let holders = appId.map { azureByAppId[$0] ?? [] } ?? [principal]
        let credentials = holders.flatMap { trustById[$0.id] ?? [] }.flatMap { Claims.federatedCredentials($0) }
        guard !claims.subjects.isEmpty else { return .admitted("") }
        guard !credentials.isEmpty else {
            return .refused("\(principal.name) has no federated identity credential, so a token from \(source.name) cannot sign in as it")
        }
        for credential in credentials where claims.subjects.contains(credential.subject) {
            if let issuer = claims.issuer, Claims.normaliseIssuer(issuer) != Claims.normaliseIssuer(credential.issuer) { continue }
            return .admitted("federated credential \"\(credential.name)\" of \(principal.name) admits subject \(credential.subject) from \(credential.issuer)")
        }
        return .refused("no federated credential of \(principal.name) admits \(claims.subjects.prefix(3).joined(separator: ", ")); it admits \(credentials.prefix(3).map(\.subject).joined(separator: ", "))")
    }

    // MARK: - Reuse across environments

    /// Identities reached (through verified links) from sources in different environments, or
    /// from an environment other than their own.
    func environmentCrossings(_ verifiedInto: [String: [(source: Identity, edge: Edge)]]) -> [Finding] {
        var out: [Finding] = []
        for (targetId, sources) in verifiedInto.sorted(by: { $0.key < $1.key }) {
            guard let target = identities[targetId] else { continue }
            var environments: [String: [String]] = [:]
            for (source, _) in sources {
                if let environment = Self.environment(of: source) { environments[environment, default: []].append(source.name) }
            }
            if let own = Self.environment(of: target), environments.keys.contains(where: { $0 != own }) || environments.count > 1 {
                let foreign = environments.filter { $0.key != own }
                guard !foreign.isEmpty else { continue }
                let evidence = ["\(target.name) is in \(own)"] + foreign.sorted { $0.key < $1.key }.map {
                    "it is used from \($0.key) by \($0.value.sorted().prefix(5).joined(separator: ", "))"
                }
                out.append(CrossSystemRules.identityAcrossEnvironments.finding(on: target, evidence: evidence))
            } else if Self.environment(of: target) == nil, environments.count > 1 {
                let evidence = environments.sorted { $0.key < $1.key }.map { "used from \($0.key) by \($0.value.sorted().prefix(5).joined(separator: ", "))" }
                out.append(CrossSystemRules.identityAcrossEnvironments.finding(on: target, evidence: evidence))
            }
        }
        return out
    }

    /// The identity's environment in one vocabulary (`prod` and `production` are one environment).
    static func environment(of identity: Identity) -> String? {
        identity.environment.map { EnvironmentName.environment(in: $0) ?? $0.lowercased() }
    }

    /// Credentials (by fingerprint) held in more than one place other than by their owner.
    func sharedCredentials() -> [Finding] {
        var out: [Finding] = []
        for (fingerprint, holders) in credentialsByFingerprint.sorted(by: { $0.key < $1.key }) where holders.count > 1 {
            // The AWS user a key belongs to is its owner, not a second holder.
            let others = holders.filter { !($0.1.provider == .aws && $0.0.kind == .accessKey) }
            let distinct = Dictionary(others.map { ($0.1.id, $0) }, uniquingKeysWith: { a, _ in a }).values.sorted { $0.1.id < $1.1.id }
            guard distinct.count > 1, let first = distinct.first else { continue }
            let preview = first.0.preview ?? first.0.id
            let environments = Set(distinct.compactMap { Self.environment(of: $0.1) })
            let evidence = ["credential \(preview) (\(fingerprint.prefix(40))…) is held by \(distinct.count) identities"]
                + distinct.prefix(6).map { "\($0.1.name) (\($0.1.provider), \($0.1.environment ?? "environment unknown"))" }
            if environments.count > 1 {
                for holder in distinct {
                    out.append(CrossSystemRules.credentialAcrossEnvironments.finding(on: holder.1, credential: holder.0.id, discriminator: fingerprint, evidence: evidence))
                }
            } else {
                for holder in distinct {
                    out.append(CrossSystemRules.credentialShared.finding(on: holder.1, credential: holder.0.id, discriminator: fingerprint, evidence: evidence))
                }
            }
        }
        return out
    }

    /// AWS roles whose GitHub trust names a repository of an owner whose repositories are
    /// imported, but not that repository: renamed or deleted, and open to whoever creates it.
    func trustedUnknownRepositories() -> [Finding] {
        guard !githubRepositories.isEmpty else { return [] }
        let owners = Set(githubRepositories.compactMap { $0.split(separator: "/").first.map(String.init) })
        var out: [Finding] = []
        for (roleId, policies) in trustById.sorted(by: { $0.key < $1.key }) {
            guard let role = identities[roleId], role.provider == .aws else { continue }
            for document in policies.compactMap(\.awsDocument) {
                for principal in document.trustedPrincipals where principal.kind == .oidc && principal.value.hasSuffix("token.actions.githubusercontent.com") {
                    let subjects = principal.statement.conditions.filter { $0.key.lowercased().hasSuffix(":sub") }.flatMap(\.values)
                    for subject in subjects {
                        guard let repository = Claims.repository(ofGitHubSubject: subject)?.lowercased(), !repository.contains("*"),
                            let owner = repository.split(separator: "/").first.map(String.init), owners.contains(owner), !githubRepositories.contains(repository)
                        else { continue }
                        out.append(CrossSystemRules.trustsUnknownRepository.finding(
                            on: role, discriminator: repository,
                            evidence: [
                                "the trust policy of \(role.name) admits GitHub OIDC tokens for \(subject)",
                                "\(repository) is not among the \(githubRepositories.filter { $0.hasPrefix(owner + "/") }.count) imported repositories of \(owner)",
                            ]))
                    }
                }
            }
        }
        return out
    }
}

/// The `key=value` conditions a claim carries, read.
struct Claims {
    var pairs: [(key: String, value: String)]

    init(_ conditions: [String]) {
        pairs = conditions.compactMap { text in
            guard let equals = text.firstIndex(of: "=") else { return nil }
            return (String(text[..<equals]).trimmingCharacters(in: .whitespaces), String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    func values(_ key: String) -> [String] { pairs.filter { $0.key == key }.map(\.value) }
    var subjects: [String] { values("sub") }
    var audiences: [String] { values("aud") }
    var issuer: String? { values("iss").first }

    static func normaliseIssuer(_ issuer: String) -> String {
        var text = issuer.lowercased()
        if text.hasPrefix("https://") { text.removeFirst(8) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Whether an issuer can have issued tokens with these subjects, when the claim does not name its issuer.
    static func issuerFits(_ issuer: String, subjects: [String]) -> Bool {
        let kubernetes = subjects.contains { $0.hasPrefix("system:serviceaccount:") }
        if kubernetes { return !issuer.contains("token.actions.githubusercontent.com") && !issuer.contains("gitlab") }
        if subjects.contains(where: { $0.hasPrefix("repo:") }) { return issuer.contains("token.actions.githubusercontent.com") }
        if subjects.contains(where: { $0.hasPrefix("project_path:") }) { return issuer.contains("gitlab") }
        return true
    }

    /// Whether a trust condition holds for one value, by its operator (negated operators included).
    static func satisfies(_ condition: PolicyCondition, _ value: String) -> Bool {
        let op = condition.baseOperator.replacingOccurrences(of: "IfExists", with: "")
        switch op {
        case "StringEquals": return condition.values.contains(value)
        case "StringEqualsIgnoreCase": return condition.values.contains { $0.lowercased() == value.lowercased() }
        case "StringLike": return condition.values.contains { Wildcard.matches($0, value, caseInsensitive: false) }
        case "StringNotEquals": return !condition.values.contains(value)
        case "StringNotLike": return !condition.values.contains { Wildcard.matches($0, value, caseInsensitive: false) }
        default: return true
        }
    }

    /// `acme/api` from `repo:acme/api:ref:refs/heads/main`.
    static func repository(ofGitHubSubject subject: String) -> String? {
        guard subject.hasPrefix("repo:") else { return nil }
        let rest = subject.dropFirst(5)
        let repository = rest.split(separator: ":", maxSplits: 1).first.map(String.init) ?? String(rest)
        return repository.contains("/") ? repository : nil
    }

    struct Binding {
        var role: String
        var members: [String]
    }

    /// The bindings of a `gcp.iam-policy` trust policy.
    static func gcpBindings(_ policy: Policy) -> [Binding] {
        guard case .other(let type, let content) = policy.body, type == "gcp.iam-policy" else { return [] }
        guard case .object(let object) = content, case .array(let bindings)? = object["bindings"] else { return [] }
        return bindings.compactMap { binding in
            guard case .object(let fields) = binding, case .string(let role)? = fields["role"] else { return nil }
            var members: [String] = []
            if case .array(let list)? = fields["members"] { members = list.compactMap { if case .string(let s) = $0 { s } else { nil } } }
            return Binding(role: role, members: members)
        }
    }

    struct FederatedCredential {
        var name: String
        var issuer: String
        var subject: String
    }

    /// The credentials of an `azure.federated-credentials` trust policy.
    static func federatedCredentials(_ policy: Policy) -> [FederatedCredential] {
        guard case .other(let type, let content) = policy.body, type == "azure.federated-credentials" else { return [] }
        let list: [JSONAny]
        switch content {
        case .array(let items): list = items
        case .object(let object): if case .array(let items)? = object["value"] { list = items } else { list = [] }
        default: list = []
        }
        return list.compactMap { item in
            guard case .object(let fields) = item, case .string(let subject)? = fields["subject"] else { return nil }
            var issuer = ""
            if case .string(let text)? = fields["issuer"] { issuer = text }
            var name = ""
            if case .string(let text)? = fields["name"] { name = text }
            return FederatedCredential(name: name, issuer: issuer, subject: subject)
        }
    }
}
