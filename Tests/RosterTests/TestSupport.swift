import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import RosterService
import RosterStore

/// Where the connector fixtures and the bundled example live, found from this file's path
/// (not from bundle resources, so `swift test` needs no resource declarations).
enum Fixture {
    /// `Tests/Fixtures/aws`.
    static let aws = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aws")

    /// The package root.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String { aws.appendingPathComponent(relative).path }

    static let acmeDir = packageRoot.appendingPathComponent("examples/aws-acme").path
    static let acmeSettings = packageRoot.appendingPathComponent("examples/roster.json").path

    /// The small estate's credential report `GeneratedTime`: the "now" of every hand-built estate too.
    static let now = utc("2025-11-20T08:00:00Z")

    static let account = "123456789012"
}

/// Parses an ISO 8601 date with Foundation, independently of the connector's own parser.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = formatter.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

func daysAgo(_ days: Double, from now: Date = Fixture.now) -> Date { now.addingTimeInterval(-days * 86_400) }

/// A fresh directory under the system temporary directory, removed by `body`'s caller via `defer`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("roster-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with a temporary directory that is deleted afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// Discovers and reads AWS exports the way `roster import aws` does.
func readAWS(_ paths: [String], asOf: Date? = nil) throws -> AWSConnector.Result {
    let discovered = try AWSConnector.discover(paths)
    return try AWSConnector(asOf: asOf).read(discovered.files)
}

/// The error reading `paths` throws, when it is a ``ConnectorError``.
func connectorError(_ paths: [String], expected: AWSFileKind? = nil) -> ConnectorError? {
    do {
        let discovered = try AWSConnector.discover(paths, expected: expected)
        _ = try AWSConnector().read(discovered.files)
        return nil
    } catch let error as ConnectorError {
        return error
    } catch {
        return nil
    }
}

/// Parses a policy written as AWS JSON, the way the connector does.
func policyDocument(_ json: String) throws -> PolicyDocument {
    try AWSPolicyDocument.parse(JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)))
}

// MARK: Policy statements

enum Statement {
    static func allow(_ actions: String..., on resources: [String] = ["*"], when conditions: [PolicyCondition] = []) -> PolicyStatement {
        PolicyStatement(effect: .allow, actions: .only(actions), resources: .only(resources), conditions: conditions)
    }

    static func deny(_ actions: String..., on resources: [String] = ["*"], when conditions: [PolicyCondition] = []) -> PolicyStatement {
        PolicyStatement(effect: .deny, actions: .only(actions), resources: .only(resources), conditions: conditions)
    }

    static func allowAllBut(_ actions: String..., on resources: [String] = ["*"]) -> PolicyStatement {
        PolicyStatement(effect: .allow, actions: .except(actions), resources: .only(resources))
    }

    static func denyAllBut(_ actions: String..., on resources: [String] = ["*"], when conditions: [PolicyCondition] = []) -> PolicyStatement {
        PolicyStatement(effect: .deny, actions: .except(actions), resources: .only(resources), conditions: conditions)
    }
}

func makePolicy(_ name: String, _ statements: PolicyStatement..., kind: PolicyKind = .customerManaged) -> Policy {
    let id = kind == .providerManaged ? "arn:aws:iam::aws:policy/\(name)" : "arn:aws:iam::\(Fixture.account):policy/\(name)"
    return Policy(id: id, name: name, provider: .aws, kind: kind, document: PolicyDocument(statements: statements))
}

enum Policies {
    static let administratorAccess = makePolicy("AdministratorAccess", Statement.allow("*"), kind: .providerManaged)
    static let s3ReadOnly = makePolicy("AmazonS3ReadOnlyAccess", Statement.allow("s3:Get*", "s3:List*"), kind: .providerManaged)
    static let s3AndLogsBoundary = makePolicy("boundary-s3-logs", Statement.allow("s3:*", "logs:*"))
    /// AWS's documented "force MFA" policy: everything but MFA self-service is denied without MFA.
    static let forceMFA = makePolicy(
        "force-mfa",
        Statement.allow("iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ChangePassword", "iam:GetUser",
                        on: ["arn:aws:iam::\(Fixture.account):user/${aws:username}"]),
        Statement.denyAllBut(
            "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices",
            "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken",
            when: [PolicyCondition(operator: "BoolIfExists", key: "aws:MultiFactorAuthPresent", values: ["false"])]))
}

// MARK: Hand-built estates

/// A tiny AWS estate built in code, for analysis tests (PMapper's `build_test_graphs.py` in spirit).
///
/// Every identity defaults to the healthy shape: a machine identity with an owner, created
/// 200 days before ``Fixture/now`` and used a day ago, so a test changes only what it is about.
struct EstateBuilder: Sendable {
    var estate: Estate

    init(observedAt: Date = Fixture.now, account: String = Fixture.account) {
        estate = Estate(observedAt: observedAt, scope: "aws:\(account)")
    }

    var account: String { String(estate.scope.dropFirst(4)) }

    @discardableResult
    mutating func user(
        _ name: String,
        nature: IdentityNature = .machine,
        owner: String? = "platform@example.com",
        tags: [String: String]? = nil,
        createdDaysAgo: Double = 200,
        lastUsedDaysAgo: Double? = 1,
        console: ConsoleAccess? = ConsoleAccess(passwordEnabled: false, mfaActive: false),
        boundary: Policy? = nil
    ) -> String {
        let id = "arn:aws:iam::\(account):user/\(name)"
        add(Identity(
            id: id, provider: .aws, kind: .iamUser, name: name, account: account, path: "/", owner: owner,
            tags: tags ?? (owner.map { ["owner": $0] } ?? [:]), createdAt: daysAgo(createdDaysAgo, from: estate.observedAt),
            lastUsedAt: lastUsedDaysAgo.map { daysAgo($0, from: estate.observedAt) }, usageTracked: true, nature: nature,
            natureReason: nature == .machine ? "no console password: it can only sign in programmatically" : "console password with MFA",
            console: console), boundary: boundary)
        return id
    }

    @discardableResult
    mutating func role(
        _ name: String,
        trust: String,
        nature: IdentityNature = .machine,
        owner: String? = "platform@example.com",
        path: String = "/",
        managedBy: String? = nil,
        createdDaysAgo: Double = 200,
        lastUsedDaysAgo: Double? = 1
    ) throws -> String {
        let id = "arn:aws:iam::\(account):role\(path)\(name)"
        add(Identity(
            id: id, provider: .aws, kind: .iamRole, name: name, account: account, path: path, owner: owner,
            tags: owner.map { ["owner": $0] } ?? [:], createdAt: daysAgo(createdDaysAgo, from: estate.observedAt),
            lastUsedAt: lastUsedDaysAgo.map { daysAgo($0, from: estate.observedAt) }, usageTracked: true, nature: nature,
            natureReason: "assumed by workloads", managedBy: managedBy), boundary: nil)
        let trustId = "\(id)#trust"
        addPolicy(Policy(id: trustId, name: "\(name) trust policy", kind: .trust, document: try policyDocument(trust)))
        estate.grants.append(Grant(subjectId: id, policyId: trustId, via: .trust))
        return id
    }

    @discardableResult
    mutating func root() -> String {
        let id = "arn:aws:iam::\(account):root"
        add(Identity(
            id: id, provider: .aws, kind: .rootAccount, name: "root (\(account))", account: account, createdAt: daysAgo(2000),
            lastUsedAt: daysAgo(30), usageTracked: true, nature: .root, natureReason: "the account's root user",
            console: ConsoleAccess(passwordEnabled: true, mfaActive: true)), boundary: nil)
        return id
    }

    private mutating func add(_ identity: Identity, boundary: Policy?) {
        estate.identities.append(identity)
        if let boundary {
            addPolicy(boundary)
            estate.grants.append(Grant(subjectId: identity.id, policyId: boundary.id, via: .boundary))
        }
    }

    mutating func addPolicy(_ policy: Policy) {
        if !estate.policies.contains(where: { $0.id == policy.id }) { estate.policies.append(policy) }
    }

    mutating func attach(_ policy: Policy, to subject: String) {
        addPolicy(policy)
        estate.grants.append(Grant(subjectId: subject, policyId: policy.id, via: policy.kind == .inline ? .inline : .attached))
    }

    /// Adds an inline policy to `subject`, with the connector's synthetic id.
    mutating func inline(_ name: String, _ statements: PolicyStatement..., to subject: String) {
        attach(Policy(id: "\(subject)#inline/\(name)", name: name, provider: .aws, kind: .inline, document: PolicyDocument(statements: statements)), to: subject)
    }

    @discardableResult
    mutating func group(_ name: String, policies: [Policy], members: [String]) -> String {
        let id = "arn:aws:iam::\(account):group/\(name)"
        estate.resources.append(Resource(id: id, provider: .aws, type: "aws.iam.group", name: name, account: account))
        for policy in policies { attach(policy, to: id) }
        for member in members { estate.edges.append(Edge(from: member, to: id, kind: .memberOf, rule: "aws.import")) }
        return id
    }

    /// Adds an access key; `lastUsedDaysAgo == nil` means tracked but never used.
    mutating func key(
        _ id: String,
        of identity: String,
        status: CredentialStatus = .active,
        createdDaysAgo: Double,
        lastUsedDaysAgo: Double? = 1
    ) {
        estate.credentials.append(Credential(
            id: id, identityId: identity, kind: .accessKey, status: status, createdAt: daysAgo(createdDaysAgo, from: estate.observedAt),
            lastUsedAt: lastUsedDaysAgo.map { daysAgo($0, from: estate.observedAt) }, lastUsedDetail: lastUsedDaysAgo == nil ? nil : "s3 in us-east-1",
            usageTracked: true, preview: "\(id.prefix(4))…\(id.suffix(4))"))
    }

    func analyse(_ policy: DetectionPolicy = .default) -> Analysis { Analyzer.run([estate], policy: policy) }
}

extension Analysis {
    func findings(on name: String) -> [Finding] { findings.filter { $0.identityName == name } }
    func ruleIds(on name: String) -> Set<String> { Set(findings(on: name).map(\.ruleId)) }
    func profile(named name: String) -> IdentityProfile? { profiles.first { $0.identity.name == name } }
}

extension Estate {
    func identity(named name: String) -> Identity? { identities.first { $0.name == name } }

    /// The trust policy document granted to `identityId`, if any.
    func trustPolicy(of identityId: String) -> PolicyDocument? {
        grants.first { $0.subjectId == identityId && $0.via == .trust }.flatMap { g in policies.first { $0.id == g.policyId } }?.awsDocument
    }

    /// The id of the permissions boundary granted to `identityId`, if any.
    func boundary(of identityId: String) -> String? { grants.first { $0.subjectId == identityId && $0.via == .boundary }?.policyId }
    func credentials(of identityId: String) -> [Credential] { credentials.filter { $0.identityId == identityId } }
}

extension Policy {
    /// The AWS document of a policy the test knows to be AWS.
    var document: PolicyDocument {
        guard let document = awsDocument else { fatalError("\(id) is not an AWS policy") }
        return document
    }
}

extension RosterStore {
    /// The stored analysis' findings of one snapshot (analysing it once, as a read would, under `policy`).
    func testFindings(snapshot: Int64, policy: DetectionPolicy = .default) async throws -> [Finding] {
        let service = RosterService(store: self, configuration: .init(policy: policy))
        let view = try await service.view(snapshot: snapshot)
        return try await service.findings(FindingQuery(analyses: view.analyses)).map(\.finding)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}

extension RosterStore {
    /// Stores `findings` as the analysis of `snapshot` and reads them back through the store's query.
    func storeAndReadFindings(_ findings: [Finding], snapshot: Int64) async throws -> [Finding] {
        let ids = try await saveAnalyses([AnalysisRecord(
            snapshotId: snapshot, settingsDigest: "test", profiles: [], findings: findings, edges: [], metrics: Data("{}".utf8))])
        return try await self.findings(FindingQuery(analyses: ids)).map(\.finding)
    }
}

/// Runs async `body` with a temporary directory that is deleted afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await body(dir)
}
