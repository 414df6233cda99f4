import Foundation
import RosterAnalysis
import RosterModel

/// The "now" of every hand-built estate.
let testNow = Date(timeIntervalSince1970: 1_763_625_600)  // 2025-11-20T08:00:00Z
let testAccount = "123456789012"

func daysBefore(_ days: Double, _ now: Date = testNow) -> Date { now.addingTimeInterval(-days * 86_400) }

enum Stmt {
    static func allow(_ actions: String..., on resources: [String] = ["*"]) -> PolicyStatement {
        PolicyStatement(effect: .allow, actions: .only(actions), resources: .only(resources))
    }

    static func deny(_ actions: String..., on resources: [String] = ["*"]) -> PolicyStatement {
        PolicyStatement(effect: .deny, actions: .only(actions), resources: .only(resources))
    }

    static func denyAllBut(_ actions: String...) -> PolicyStatement {
        PolicyStatement(effect: .deny, actions: .except(actions), resources: .only(["*"]))
    }
}

func policy(_ name: String, _ statements: PolicyStatement..., kind: PolicyKind = .customerManaged) -> Policy {
    let id = kind == .providerManaged ? "arn:aws:iam::aws:policy/\(name)" : "arn:aws:iam::\(testAccount):policy/\(name)"
    return Policy(id: id, name: name, kind: kind, document: PolicyDocument(statements: statements))
}

let administratorAccess = policy("AdministratorAccess", Stmt.allow("*"), kind: .providerManaged)

/// A tiny estate built in code: every identity defaults to a healthy, owned, recently used machine identity.
struct Builder {
    var estate = Estate(observedAt: testNow, scope: "aws:\(testAccount)")

    @discardableResult
    mutating func user(
        _ name: String, nature: IdentityNature = .machine, lastUsedDaysAgo: Double? = 1, createdDaysAgo: Double = 400,
        console: ConsoleAccess? = ConsoleAccess(passwordEnabled: false, mfaActive: false)
    ) -> String {
        let id = "arn:aws:iam::\(testAccount):user/\(name)"
        estate.identities.append(Identity(
            id: id, provider: .aws, kind: .iamUser, name: name, account: testAccount, owner: "team@example.com", tags: ["owner": "team@example.com"],
            createdAt: daysBefore(createdDaysAgo), lastUsedAt: lastUsedDaysAgo.map { daysBefore($0) }, usageTracked: true, nature: nature,
            natureReason: nature == .machine ? "no console password" : "console password", console: console))
        return id
    }

    @discardableResult
    mutating func role(_ name: String, nature: IdentityNature = .machine, trust: PolicyDocument? = nil) -> String {
        let id = "arn:aws:iam::\(testAccount):role/\(name)"
        estate.identities.append(Identity(
            id: id, provider: .aws, kind: .iamRole, name: name, account: testAccount, owner: "team@example.com", tags: ["owner": "team@example.com"],
            createdAt: daysBefore(400), lastUsedAt: daysBefore(1), usageTracked: true, nature: nature, natureReason: "assumed by AWS principals"))
        let document = trust ?? PolicyDocument(statements: [
            PolicyStatement(effect: .allow, principals: .only(PrincipalSet(service: ["lambda.amazonaws.com"])), actions: .only(["sts:AssumeRole"])),
        ])
        estate.policies.append(Policy(id: "\(id)#trust", name: "\(name) trust policy", kind: .trust, document: document))
        estate.grants.append(Grant(subjectId: id, policyId: "\(id)#trust", via: .trust))
        return id
    }

    @discardableResult
    mutating func group(_ name: String, members: [String]) -> String {
        let id = "arn:aws:iam::\(testAccount):group/\(name)"
        estate.resources.append(Resource(id: id, provider: .aws, type: "aws.iam.group", name: name, account: testAccount))
        for member in members { estate.edges.append(Edge(from: member, to: id, kind: .memberOf, rule: "aws.import")) }
        return id
    }

    mutating func attach(_ policy: Policy, to subject: String) {
        if !estate.policies.contains(where: { $0.id == policy.id }) { estate.policies.append(policy) }
        estate.grants.append(Grant(subjectId: subject, policyId: policy.id, via: .attached))
    }

    mutating func inline(_ name: String, _ statements: PolicyStatement..., to subject: String) {
        let id = "\(subject)#inline/\(name)"
        estate.policies.append(Policy(id: id, name: name, kind: .inline, document: PolicyDocument(statements: statements)))
        estate.grants.append(Grant(subjectId: subject, policyId: id, via: .inline))
    }

    mutating func boundary(_ policy: Policy, on subject: String) {
        if !estate.policies.contains(where: { $0.id == policy.id }) { estate.policies.append(policy) }
        estate.grants.append(Grant(subjectId: subject, policyId: policy.id, via: .boundary))
    }

    /// Attaches a policy id the estate does not hold, as an export made with --filter leaves it.
    mutating func attachMissing(_ policyId: String, to subject: String) {
        estate.grants.append(Grant(subjectId: subject, policyId: policyId, via: .attached))
    }

    func analyse(_ policy: DetectionPolicy = .default) -> Analysis { Analyzer.run([estate], policy: policy) }
}

extension Analysis {
    func profile(named name: String) -> IdentityProfile? { profiles.first { $0.identity.name == name } }
    func level(of name: String) -> PrivilegeLevel? { profile(named: name)?.privilege.level }
    func rules(on name: String) -> Set<String> { Set(findings.filter { $0.identityName == name }.map(\.ruleId)) }
    func findings(on name: String, rule: String) -> [Finding] { findings.filter { $0.identityName == name && $0.ruleId == rule } }
}

/// The privilege level of one identity holding exactly `policies` (and optionally a boundary).
func level(of policies: [Policy], boundary: Policy? = nil) -> PrivilegeLevel {
    var b = Builder()
    let id = b.user("probe")
    for p in policies { b.attach(p, to: id) }
    if let boundary { b.boundary(boundary, on: id) }
    return b.analyse().level(of: "probe") ?? .none
}
