import AsyncHTTPClient
public import Foundation
public import RosterModel

/// Discovers AWS accounts live through the IAM and STS APIs, producing the same estates an
/// import of the AWS CLI's export files would.
///
/// Per account: GetAccountAuthorizationDetails (all pages), the credential report (generated,
/// polled until ready, fetched), ListAccessKeys per user and GetAccessKeyLastUsed per key (in
/// parallel, at most `concurrency` at once) and ListAccountAliases. With `assumeRoles`, each role
/// is assumed in turn and its account collected as its own estate.
///
/// For example:
/// ```swift
/// let result = try await AWSCollector(options: .init(endpointURL: "http://127.0.0.1:5000")).collect()
/// ```
public struct AWSCollector: Collector {
    public var provider: Provider { .aws }

    public struct Options: Sendable {
        public var profile: String?
        public var region: String?
        public var endpointURL: String?
        public var assumeRoles: [String]
        public var externalId: String?
        public var concurrency: Int
        public var retry: RetryPolicy
        /// How long to wait for the credential report to be generated.
        public var reportTimeout: Double
        public var environment: [String: String]

        public init(
            profile: String? = nil,
            region: String? = nil,
            endpointURL: String? = nil,
            assumeRoles: [String] = [],
            externalId: String? = nil,
            concurrency: Int = 8,
            retry: RetryPolicy = RetryPolicy(),
            reportTimeout: Double = 120,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.profile = profile
            self.region = region
            self.endpointURL = endpointURL
            self.assumeRoles = assumeRoles
            self.externalId = externalId
            self.concurrency = concurrency
            self.retry = retry
            self.reportTimeout = reportTimeout
            self.environment = environment
        }
    }

    /// Progress: a phase, and how much of it is done.
    public typealias Progress = ProgressHandler

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Collects every account and maps it.
    ///
    /// - Throws: ``ConnectorError`` with `.configuration`, `.authentication`, `.accessDenied`,
    ///   `.throttled`, `.network` or `.service`, saying which key, region and call.
    public func collect(progress: Progress? = nil) async throws -> AWSConnector.Result {
        let resolver = AWSProfileResolver(environment: options.environment, profile: options.profile, region: options.region, endpointURL: options.endpointURL)
        let iam = try resolver.resolve(service: "iam")
        let sts = try resolver.resolve(service: "sts")
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await collect(http: http, iam: iam, sts: sts, progress: progress)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func collect(http: HTTPClient, iam: AWSProfileResolver.Resolved, sts: AWSProfileResolver.Resolved, progress: Progress?) async throws -> AWSConnector.Result {
        let budget = RetryBudget(options.retry.budget)
        let stsEndpoint = AWSEndpoint(
            url: sts.endpointURL ?? URL(string: "https://sts.\(sts.region).amazonaws.com/")!, signingRegion: sts.region, service: "sts", apiVersion: "2011-06-15")
        // IAM is global: its public endpoint is signed for us-east-1; a custom endpoint with the configured region.
        let iamEndpoint = AWSEndpoint(
            url: iam.endpointURL ?? URL(string: "https://iam.amazonaws.com/")!, signingRegion: iam.endpointURL == nil ? "us-east-1" : iam.region,
            service: "iam", apiVersion: "2010-05-08")
        // Organizations is global, served from us-east-1; a custom endpoint (moto) answers it like the others.
        let organizationsEndpoint = AWSEndpoint(
            url: iam.endpointURL ?? URL(string: "https://organizations.us-east-1.amazonaws.com/")!, signingRegion: iam.endpointURL == nil ? "us-east-1" : iam.region,
            service: "organizations", apiVersion: "2016-11-28")
        func stsClient(_ credentials: AWSCredentials) -> AWSQueryClient {
            AWSQueryClient(http: http, endpoint: stsEndpoint, credentials: credentials, retry: options.retry, budget: budget)
        }
        func materialize(_ plan: AWSProfileResolver.CredentialPlan) async throws -> AWSCredentials {
            switch plan {
            case .direct(let credentials):
                return credentials
            case .assumeRole(let role, let session, let externalId, let duration, let source, let profile):
                let base = try await materialize(source)
                return try await assume(role, session: session, externalId: externalId, duration: duration, with: stsClient(base), source: "profile \(profile) (role \(role))")
            }
        }
        progress?("resolving credentials", 0, 0)
        let base = try await materialize(iam.credentials)
        var targets: [AWSCredentials] = [base]
        if !options.assumeRoles.isEmpty {
            targets = []
            for role in options.assumeRoles {
                progress?("assuming \(role)", 0, 0)
                targets.append(try await assume(
                    role, session: "roster-collect-\(Int(Date().timeIntervalSince1970))", externalId: options.externalId, duration: nil,
                    with: stsClient(base), source: "role \(role)"))
            }
        }
        var sources = AWSSources()
        var warnings: [String] = []
        for credentials in targets {
            let identity = try await stsClient(credentials).call("GetCallerIdentity")
            let account = identity.text("Account") ?? "?"
            guard sources.collectedAccounts.insert(account).inserted else {
                warnings.append("\(credentials.source) is in account \(account), which was already collected; skipped")
                continue
            }
            let client = AWSQueryClient(http: http, endpoint: iamEndpoint, credentials: credentials, retry: options.retry, budget: budget)
            try await collectAccount(account, client: client, into: &sources, warnings: &warnings, progress: progress)
            // Only the management (or a delegated administrator) account may read an organization's structure and
            // policies: ask with the credentials collection started from, which is where audits usually run.
            let organizations = AWSQueryClient(http: http, endpoint: organizationsEndpoint, credentials: base, retry: options.retry, budget: budget)
            progress?("account \(account): service control policies", 0, 0)
            try await collectControlPolicies(account, client: organizations, into: &sources, warnings: &warnings)
        }
        var mapper = AWSMapper(sources: sources, asOf: Date())
        let estates = try mapper.map()
        return AWSConnector.Result(estates: estates, warnings: warnings + mapper.warnings)
    }

    private func assume(_ role: String, session: String, externalId: String?, duration: Int?, with client: AWSQueryClient, source: String) async throws -> AWSCredentials {
        var parameters = [("RoleArn", role), ("RoleSessionName", session)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let duration { parameters.append(("DurationSeconds", String(duration))) }
        let result = try await client.call("AssumeRole", parameters)
        guard let credentials = result["Credentials"], let id = credentials.text("AccessKeyId"), let secret = credentials.text("SecretAccessKey") else {
            throw ConnectorError(.service, "sts AssumeRole \(role): the answer holds no credentials", file: client.endpoint.url.absoluteString)
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: credentials.text("SessionToken"), source: source)
    }

    private func collectAccount(_ account: String, client: AWSQueryClient, into sources: inout AWSSources, warnings: inout [String], progress: Progress?) async throws {
        let origin = "\(client.endpoint.url.absoluteString) (account \(account))"
        // 1. Users, groups, roles and policies.
        progress?("account \(account): authorization details", 0, 0)
        var details = AWSAuthorizationDetails()
        do {
            for page in try await client.pages("GetAccountAuthorizationDetails") {
                details.append(try AWSIAMResponses.authorizationDetails(page))
            }
        } catch let error as ConnectorError where error.code == .accessDenied {
            warnings.append("\(origin): GetAccountAuthorizationDetails is not allowed, so policies are unknown; listing users and roles instead")
            details = try await listUsersAndRoles(client)
        }
        sources.details.append((origin, details))

        // 2. The credential report: console passwords, MFA, key slots, the root user.
        do {
            sources.reports.append((origin, try await credentialReport(client, progress: progress)))
        } catch let error as ConnectorError where error.code == .accessDenied {
            warnings.append("\(origin): the credential report is not allowed (\(error.message)); console access and the root user are unknown")
        }

        // 3. Access keys per user, then last use per key, in parallel.
        let users = details.userDetailList?.map(\.userName) ?? []
        let lists = try await concurrentMap(users, limit: options.concurrency, progress: { progress?("account \(account): access keys", $0, users.count) }) { user in
            AWSIAMResponses.accessKeys(try await client.call("ListAccessKeys", [("UserName", user), ("MaxItems", "1000")]))
        }
        let keys = lists.flatMap(\.accessKeyMetadata)
        sources.accessKeys += lists.map { (origin, $0) }
        let lastUsed = try await concurrentMap(keys, limit: options.concurrency, progress: { progress?("account \(account): key last use", $0, keys.count) }) { key in
            AWSIAMResponses.accessKeyLastUsed(try await client.call("GetAccessKeyLastUsed", [("AccessKeyId", key.accessKeyId)]), keyId: key.accessKeyId)
        }
        sources.lastUsed += lastUsed.map { (origin, $0) }

        // 4. The account alias, for people reading the output.
        if let alias = try? await client.call("ListAccountAliases").members("AccountAliases").first?.text {
            sources.aliases[account] = alias
        }
    }

    static let organizationsTarget = "AWSOrganizationsV20161128"

    /// The service control policies that bound an account: those attached to the account, to each OU above
    /// it and to the root. The management account is not bound by SCPs, an account outside an organization
    /// has none, and a principal that may not read Organizations gets a warning (its SCPs are unknown).
    private func collectControlPolicies(_ account: String, client: AWSQueryClient, into sources: inout AWSSources, warnings: inout [String]) async throws {
        func call(_ operation: String, _ payload: [String: String] = [:]) async throws -> [String: Any] {
            try await client.callJSON(operation, target: Self.organizationsTarget, payload)
        }
        let organization: [String: Any]
        do {
            organization = try await call("DescribeOrganization")
        } catch let error as ConnectorError where error.location == "AWSOrganizationsNotInUseException" {
            return
        } catch let error as ConnectorError where error.code == .accessDenied {
            warnings.append("account \(account): Organizations is not readable (\(error.message)); service control policies are unknown, and paths are judged without them")
            return
        }
        let management = (organization["Organization"] as? [String: Any])?["MasterAccountId"] as? String
        if let id = (organization["Organization"] as? [String: Any])?["Id"] as? String { sources.organizations[account] = id }
        if management == account { return }
        do {
            // The account, then its parents up to the root; stored root first.
            var chain: [(id: String, type: String)] = [(account, "ACCOUNT")]
            var child = account
            for _ in 0..<10 {
                let parents = try await call("ListParents", ["ChildId": child])["Parents"] as? [[String: Any]] ?? []
                guard let parent = parents.first, let id = parent["Id"] as? String else { break }
                let type = parent["Type"] as? String ?? "?"
                chain.append((id, type))
                if type == "ROOT" { break }
                child = id
            }
            var levels: [ControlPolicyLevel] = []
            for target in chain.reversed() {
                var attached: [ControlPolicyLevel.Attached] = []
                var token: String?
                repeat {
                    var payload = ["TargetId": target.id, "Filter": "SERVICE_CONTROL_POLICY"]
                    if let token { payload["NextToken"] = token }
                    let page = try await call("ListPoliciesForTarget", payload)
                    for summary in page["Policies"] as? [[String: Any]] ?? [] {
                        guard let id = summary["Id"] as? String else { continue }
                        let policy = try await call("DescribePolicy", ["PolicyId": id])["Policy"] as? [String: Any]
                        let content = policy?["Content"] as? String ?? ""
                        attached.append(ControlPolicyLevel.Attached(
                            id: id, arn: summary["Arn"] as? String ?? id, name: summary["Name"] as? String ?? id, content: content))
                    }
                    token = page["NextToken"] as? String
                } while token != nil
                levels.append(ControlPolicyLevel(targetId: target.id, targetType: target.type, policies: attached))
            }
            sources.controlPolicies[account] = levels
        } catch let error as ConnectorError where error.code == .accessDenied {
            warnings.append("account \(account): service control policies are not readable (\(error.message)); paths are judged without them")
        } catch let error as ConnectorError where error.location == "AccountNotFoundException" || error.location == "ChildNotFoundException" {
            warnings.append("account \(account) is not in the organization the starting credentials see; its service control policies are unknown")
        }
    }

    /// Users and roles without policies, for principals that may not read authorization details.
    private func listUsersAndRoles(_ client: AWSQueryClient) async throws -> AWSAuthorizationDetails {
        var details = AWSAuthorizationDetails()
        for (action, list) in [("ListUsers", "Users"), ("ListRoles", "Roles")] {
            for page in try await client.pages(action) {
                var renamed = page
                renamed.children = page.children.map { child in
                    var copy = child
                    if child.name == list { copy.name = list == "Users" ? "UserDetailList" : "RoleDetailList" }
                    return copy
                }
                details.append(try AWSIAMResponses.authorizationDetails(renamed))
            }
        }
        return details
    }

    private func credentialReport(_ client: AWSQueryClient, progress: Progress?) async throws -> AWSCredentialReport {
        let deadline = Date().addingTimeInterval(options.reportTimeout)
        var delay = 0.5
        while true {
            progress?("generating the credential report", 0, 0)
            let state = try await client.call("GenerateCredentialReport").text("State")
            if state == "COMPLETE" { break }
            guard Date() < deadline else {
                throw ConnectorError(.service, "iam GenerateCredentialReport: still \(state ?? "not ready") after \(Int(options.reportTimeout)) s", file: client.endpoint.url.absoluteString)
            }
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            delay = min(delay * 2, 5)
        }
        let result = try await client.call("GetCredentialReport")
        guard let content = result.text("Content"), let csv = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else {
            throw ConnectorError(.service, "iam GetCredentialReport: the answer holds no base64 Content", file: client.endpoint.url.absoluteString)
        }
        var report = try AWSCredentialReport.parse(csv: csv, path: "\(client.endpoint.url.absoluteString) GetCredentialReport")
        report.generatedAt = result.text("GeneratedTime").flatMap { Timestamp.parse($0) }
        return report
    }
}

/// Maps `items` with at most `limit` calls in flight, keeping the input order.
func concurrentMap<T: Sendable, R: Sendable>(
    _ items: [T], limit: Int, progress: (Int) -> Void, _ transform: @escaping @Sendable (T) async throws -> R
) async throws -> [R] {
    guard !items.isEmpty else { return [] }
    return try await withThrowingTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        var done = 0
        for _ in 0..<min(max(1, limit), items.count) {
            let index = next
            group.addTask { (index, try await transform(items[index])) }
            next += 1
        }
        while let (index, value) = try await group.next() {
            results[index] = value
            done += 1
            progress(done)
            if next < items.count {
                let index = next
                group.addTask { (index, try await transform(items[index])) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}
