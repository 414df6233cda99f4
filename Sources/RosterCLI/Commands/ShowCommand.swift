import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel
import RosterService
import RosterStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Explain one identity: what it is, who uses it, what it can do, what is wrong and why it ranks where it does.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Argument(help: "The identity's name, ARN or id (AIDA…, AROA…), an access key id or credential fingerprint, or `root`.")
    var identity: String

    func run() async throws {
        try await reportingErrors {
            let format = try global.tabular()
            let service = try global.service(overrides: policyOptions)
            let view = try await service.view(snapshot: snapshotOption.snapshot)
            let detail = try await service.detail(of: try await service.resolveIdentity(identity, in: view), in: view)
            switch format {
            case .json, .sarif, .dot:
                print(try JSONOutput.encode(JSONOutput.IdentityRecord(detail.profile, findings: detail.findings, edges: detail.edges)), terminator: "")
            case .csv:
                var csv = CSVWriter(["field", "value"])
                for (field, value) in facts(detail) { csv.add([field, value]) }
                print(csv.render(), terminator: "")
            case .table:
                print(text(detail), terminator: "")
            }
        }
    }

    func facts(_ d: IdentityDetail) -> [(String, String)] {
        let p = d.profile
        let i = p.identity
        var out: [(String, String)] = [
            ("name", i.name), ("id", i.id), ("kind", i.kind.rawValue), ("provider", i.provider.rawValue), ("account", i.account ?? "-"),
            ("nature", "\(i.nature.rawValue): \(i.natureReason)"), ("owner", i.owner ?? "-"), ("environment", i.environment ?? "-"),
            ("created", Format.date(i.createdAt)),
            ("last used", i.usageTracked ? (i.lastUsedAt.map { Format.date($0) + (i.lastUsedDetail.map { " (\($0))" } ?? "") } ?? "never") : "unknown"),
            ("privilege", p.privilege + (p.privilegeEvidence.isEmpty ? "" : ": " + p.privilegeEvidence.joined(separator: "; "))),
            ("risk", "\(p.risk)" + (p.riskFactors.isEmpty ? "" : " (\(p.riskFactors.joined(separator: ", ")))")),
        ]
        if let boundary = p.boundary { out.append(("permissions boundary", boundary)) }
        if let managed = i.managedBy { out.append(("managed by", managed)) }
        if let console = i.console {
            out.append(("console", console.passwordEnabled ? "password, MFA \(console.mfaActive ? "active" : "not active"), last sign-in \(Format.date(console.passwordLastUsedAt))" : "no password"))
        }
        if let trustedBy = p.trustedBy {
            out.append(("trusted by", trustedBy.isEmpty ? "no one" : trustedBy.joined(separator: "; ")))
        }
        for tag in i.tags.sorted(by: { $0.key < $1.key }) { out.append(("tag \(tag.key)", tag.value)) }
        for c in p.credentials {
            out.append(("credential \(c.preview ?? c.id)", "\(c.kind.rawValue), \(c.status.rawValue), created \(Format.date(c.ageReference)), last used \(c.usageTracked ? (c.lastUsedAt.map(Format.date) ?? "never") : "unknown")\(c.lastUsedDetail.map { " (\($0))" } ?? "")"))
        }
        for edge in d.edges {
            let outgoing = edge.from == i.id
            out.append(("\(outgoing ? "→" : "←") \(edge.kind.rawValue)", "\(outgoing ? edge.to : edge.from): \(edge.reason)"
                + (edge.conditions.isEmpty ? "" : " [\(edge.conditions.joined(separator: "; "))]")))
        }
        out.append(("finding ids", p.findingIds.isEmpty ? "-" : p.findingIds.joined(separator: ", ")))
        return out
    }

    func text(_ d: IdentityDetail) -> String {
        var out = ""
        let facts = facts(d)
        let width = (facts.map(\.0.count).max() ?? 0) + 2
        for (field, value) in facts {
            out += Sanitize.text(field).padding(toLength: width, withPad: " ", startingAt: 0) + Sanitize.text(value) + "\n"
        }
        out += "\n"
        if d.findings.isEmpty {
            out += "No findings.\n"
        } else {
            out += "\(Format.count(d.findings.count, "finding")):\n"
            for stored in d.findings {
                let f = stored.finding
                out += "\n  [\(f.severity.rawValue.uppercased())] \(f.title)  (\(f.ruleId), OWASP \(f.owasp.rawValue) \(f.owasp.title), id \(f.id))\n"
                if let suppression = stored.suppression { out += "    suppressed: \(Sanitize.text(suppression.reason))\n" }
                for line in f.evidence { out += "    - \(Sanitize.text(line))\n" }
                out += "    fix: \(f.remediation)\n"
            }
        }
        return out
    }
}
