import Foundation
import ArgumentParser
import RosterAnalysis
import RosterModel


struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List identities, highest risk first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var snapshotOption: SnapshotOption

    @Option(help: "Only this provider (aws, gcp, azure, kubernetes, github).")
    var provider: Provider?

    @Option(help: "Only this kind (iam-user, iam-role, root-account, service-account, …).")
    var kind: IdentityKind?

    @Option(help: "Only this nature: human, machine, root, unknown.")
    var nature: IdentityNature?

    @Flag(help: "Only non-human identities (machine and unclassified).")
    var nhi = false

    @Option(help: ArgumentHelp("Only identities whose owner contains this text; `none` for those without an owner.", valueName: "text"))
    var owner: String?

    @Option(help: ArgumentHelp("Only this environment (from env/environment/stage tags).", valueName: "env"))
    var env: String?

    @Option(help: ArgumentHelp("Only identities unused for at least this many days (e.g. 30, 60, 90).", valueName: "days"))
    var stale: Int?

    func run() throws {
        try reportingErrors {
            let policy = try policyOptions.apply(to: try global.loadPolicy())
            let workspace = try Workspace.load(global, policy: policy, snapshot: snapshotOption.snapshot)
            let profiles = workspace.analysis.profiles.filter(matches)
            switch global.format {
            case .json:
                print(try JSONOutput.encode(profiles.map { JSONOutput.IdentityRecord($0, detailed: false) }), terminator: "")
            case .csv:
                var csv = CSVWriter(["name", "id", "kind", "nature", "account", "owner", "environment", "lastUsedAt", "idleDays", "privilege", "risk", "findings"])
                for p in profiles {
                    let i = p.identity
                    csv.add([i.name, i.id, i.kind.rawValue, i.nature.rawValue, i.account ?? "", i.owner ?? "", i.environment ?? "",
                             Format.date(i.lastUsedAt), p.idleDays.map(String.init) ?? "", p.privilege.level.description, "\(p.risk.value)", "\(p.findings.count)"])
                }
                print(csv.render(), terminator: "")
            case .table:
                var table = Table(["NAME", "KIND", "NATURE", "ACCOUNT", "OWNER", "ENV", "LAST USED", "PRIVILEGE", "RISK", "FINDINGS"])
                for p in profiles {
                    let i = p.identity
                    table.add([i.name, i.kind.rawValue, i.nature.rawValue, i.account ?? "-", i.owner ?? "-", i.environment ?? "-",
                               i.usageTracked ? (i.lastUsedAt.map(Format.date) ?? "never") : "unknown",
                               p.privilege.level.description, "\(p.risk.value)", "\(p.findings.count)"])
                }
                print(table.render(), terminator: "")
                let nhis = profiles.filter { $0.identity.nature.isNonHuman }.count
                print("\n\(Format.count(profiles.count, "identity", "identities")) (\(nhis) non-human) of \(workspace.analysis.profiles.count).")
            }
        }
    }

    func matches(_ profile: IdentityProfile) -> Bool {
        let identity = profile.identity
        if let provider, identity.provider != provider { return false }
        if let kind, identity.kind != kind { return false }
        if let nature, identity.nature != nature { return false }
        if nhi && !identity.nature.isNonHuman { return false }
        if let owner {
            if owner == "none" {
                if identity.owner != nil { return false }
            } else if !(identity.owner?.localizedCaseInsensitiveContains(owner) ?? false) {
                return false
            }
        }
        if let env, identity.environment?.lowercased() != env.lowercased() { return false }
        if let stale {
            guard let idle = profile.idleDays, idle >= stale else { return false }
        }
        return true
    }
}
