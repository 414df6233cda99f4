import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel
import RosterStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Explain one identity: what it is, who uses it, what it can do, what is wrong and why it ranks where it does.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Argument(help: "The identity's name, ARN or id (AIDA…, AROA…).")
    var identity: String

    func run() throws {
        try reportingErrors {
            let policy = try policyOptions.apply(to: try global.loadPolicy())
            let workspace = try Workspace.load(global, policy: policy, snapshot: snapshotOption.snapshot)
            let profile = try resolve(identity, in: workspace.analysis.profiles)
            switch global.format {
            case .json:
                print(try JSONOutput.encode(JSONOutput.IdentityRecord(profile, detailed: true)), terminator: "")
            case .csv:
                var csv = CSVWriter(["field", "value"])
                for (field, value) in facts(profile) { csv.add([field, value]) }
                print(csv.render(), terminator: "")
            case .table:
                print(text(profile), terminator: "")
            }
        }
    }

    func resolve(_ query: String, in profiles: [IdentityProfile]) throws -> IdentityProfile {
        if let exact = profiles.first(where: { $0.identity.id == query || $0.identity.nativeId == query }) { return exact }
        var matches = profiles.filter { $0.identity.name == query }
        if matches.isEmpty { matches = profiles.filter { $0.identity.name.caseInsensitiveCompare(query) == .orderedSame } }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw CLIError.input("\"\(query)\" names \(matches.count) identities; give the ARN: \(matches.prefix(5).map(\.identity.id).joined(separator: ", "))")
        }
        let near = profiles.filter { $0.identity.name.localizedCaseInsensitiveContains(query) }.prefix(5).map(\.identity.name)
        throw StoreError(.notFound, "no identity named \"\(query)\"" + (near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"))
    }

    func facts(_ p: IdentityProfile) -> [(String, String)] {
        let i = p.identity
        var out: [(String, String)] = [
            ("name", i.name), ("id", i.id), ("kind", i.kind.rawValue), ("provider", i.provider.rawValue), ("account", i.account ?? "-"),
            ("nature", "\(i.nature.rawValue): \(i.natureReason)"), ("owner", i.owner ?? "-"), ("environment", i.environment ?? "-"),
            ("created", Format.date(i.createdAt)),
            ("last used", i.usageTracked ? (i.lastUsedAt.map { Format.date($0) + (i.lastUsedDetail.map { " (\($0))" } ?? "") } ?? "never") : "unknown"),
            ("privilege", "\(p.privilege.level)" + (p.privilege.evidence.isEmpty ? "" : ": " + p.privilege.evidence.joined(separator: "; "))),
            ("risk", "\(p.risk.value)" + (p.risk.factors.isEmpty ? "" : " (\(p.risk.factors.joined(separator: ", ")))")),
        ]
        if let boundary = i.permissionsBoundary { out.append(("permissions boundary", boundary)) }
        if let managed = i.managedBy { out.append(("managed by", managed)) }
        if let console = i.console {
            out.append(("console", console.passwordEnabled ? "password, MFA \(console.mfaActive ? "active" : "not active"), last sign-in \(Format.date(console.passwordLastUsedAt))" : "no password"))
        }
        if let trust = p.trust {
            var who: [String] = []
            if let everyone = trust.everyone { who.append("EVERYONE: \(everyone)") }
            who += trust.services.map { "service \($0)" }
            who += trust.accounts.map { "account \($0.account) (\($0.principal))\($0.externalId ? " with ExternalId" : "")" }
            who += trust.oidc.map { "OIDC \($0.provider)" + ($0.problem.map { ": \($0)" } ?? " scoped to \($0.scopedTo.joined(separator: ", "))") }
            who += trust.saml.map { "SAML \($0)" }
            out.append(("trusted by", who.isEmpty ? "no one" : who.joined(separator: "; ")))
        }
        for tag in i.tags.sorted(by: { $0.key < $1.key }) { out.append(("tag \(tag.key)", tag.value)) }
        for c in p.credentials {
            out.append(("credential \(c.preview ?? c.id)", "\(c.kind.rawValue), \(c.status.rawValue), created \(Format.date(c.ageReference)), last used \(c.usageTracked ? (c.lastUsedAt.map(Format.date) ?? "never") : "unknown")\(c.lastUsedDetail.map { " (\($0))" } ?? "")"))
        }
        return out
    }

    func text(_ p: IdentityProfile) -> String {
        var out = ""
        let facts = facts(p)
        let width = (facts.map(\.0.count).max() ?? 0) + 2
        for (field, value) in facts {
            out += Sanitize.text(field).padding(toLength: width, withPad: " ", startingAt: 0) + Sanitize.text(value) + "\n"
        }
        out += "\n"
        if p.findings.isEmpty {
            out += "No findings.\n"
        } else {
            out += "\(Format.count(p.findings.count, "finding")):\n"
            for f in p.findings {
                out += "\n  [\(f.severity.rawValue.uppercased())] \(f.title)  (\(f.ruleId), OWASP \(f.owasp.rawValue) \(f.owasp.title))\n"
                for line in f.evidence { out += "    - \(Sanitize.text(line))\n" }
                out += "    fix: \(f.remediation)\n"
            }
        }
        return out
    }
}
