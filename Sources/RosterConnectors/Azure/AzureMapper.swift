import Foundation
import RosterModel

/// Maps what the Azure CLI files say to one estate for the Entra ID tenant.
///
/// One identity per app: its service principal when the tenant has one (that is what signs in
/// and holds role assignments), else its app registration. The app registration's secrets,
/// certificates and federated credentials are put on that identity, so what authenticates and
/// what it may do are judged together. Role assignments become grants of role definitions at
/// their ARM scope; assignments to people and groups are left out, except orphaned ones.
struct AzureMapper {
    /// Microsoft's own tenant: service principals of apps it publishes (Microsoft Graph, Office 365 Exchange Online…).
    static let microsoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

    /// principalType as a reader says it.
    static let principalWords = ["ServicePrincipal": "service principal", "User": "user", "Group": "group", "ForeignGroup": "group"]

    let sources: AzureSources
    let asOf: Date?
    var warnings: [String] = []
    private var newestInData: (date: Date, what: String)?

    init(sources: AzureSources, asOf: Date?) {
        self.sources = sources
        self.asOf = asOf
    }

    /// An identity being built, with the app registration behind it.
    struct Draft {
        var identity: Identity
        var credentials: [String: (credential: AzureCredential, certificate: Bool, from: String)] = [:]
        var federated: [AzureFederatedCredential] = []
        /// The user-assigned identity resource id (managed identities), lowercased, to find its federated credentials.
        var resourceId: String?
    }

    mutating func map() throws -> [Estate] {
        let sps = sources.servicePrincipals.flatMap(\.items)
        let apps = sources.applications.flatMap(\.items)
        let tenant = try tenantId(servicePrincipals: sps, applications: apps)
        let subscriptions = Dictionary(sources.accounts.flatMap(\.items).map { ($0.id.lowercased(), $0.name ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        let appsByAppId = Dictionary(apps.map { ($0.appId.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })

        // Identities: every service principal, and every app registration without one.
        var drafts: [String: Draft] = [:]
        var idByAppId: [String: String] = [:]
        var idByObjectId: [String: String] = [:]
        for sp in sps {
            let app = appsByAppId[sp.appId.lowercased()]
            let draft = servicePrincipal(sp, app: app, tenant: tenant, subscriptions: subscriptions)
            if drafts[draft.identity.id] != nil { continue }
            drafts[draft.identity.id] = draft
            idByAppId[sp.appId.lowercased()] = draft.identity.id
            idByObjectId[sp.objectId.lowercased()] = draft.identity.id
            if let app { idByObjectId[app.objectId.lowercased()] = draft.identity.id }
            add(sp.passwordCredentials, certificates: false, from: "az ad sp list", to: &drafts[draft.identity.id]!)
            add(sp.keyCredentials, certificates: true, from: "az ad sp list", to: &drafts[draft.identity.id]!)
            if let app {
                add(app.passwordCredentials, certificates: false, from: "az ad app list", to: &drafts[draft.identity.id]!)
                add(app.keyCredentials, certificates: true, from: "az ad app list", to: &drafts[draft.identity.id]!)
            }
        }
        for app in apps where idByAppId[app.appId.lowercased()] == nil {
            let draft = application(app, tenant: tenant)
            drafts[draft.identity.id] = draft
            idByAppId[app.appId.lowercased()] = draft.identity.id
            idByObjectId[app.objectId.lowercased()] = draft.identity.id
            add(app.passwordCredentials, certificates: false, from: "az ad app list", to: &drafts[draft.identity.id]!)
            add(app.keyCredentials, certificates: true, from: "az ad app list", to: &drafts[draft.identity.id]!)
        }

        // Credential and federated-credential lists, by the app their file names.
        let names = displayNames(drafts)
        for list in sources.credentialLists {
            let id = try owner(list.owner, path: list.path, idByAppId: idByAppId, idByObjectId: idByObjectId, names: names)
            add(list.items, certificates: list.certificates, from: (list.path as NSString).lastPathComponent, to: &drafts[id]!)
        }
        var byResourceId: [String: String] = [:]
        for (id, draft) in drafts { if let resource = draft.resourceId { byResourceId[resource] = id } }
        for list in sources.federatedLists {
            for credential in list.items {
                // A user-assigned managed identity's credential names its identity in its ARM id.
                if let armId = credential.id?.lowercased(), let range = armId.range(of: "/federatedidentitycredentials/") {
                    let resource = String(armId[..<range.lowerBound])
                    guard let id = byResourceId[resource] else {
                        warnings.append("\(list.path): federated credential \(credential.name) belongs to \(resource), which no imported managed identity is; it was not imported")
                        continue
                    }
                    drafts[id]!.federated.append(credential)
                    continue
                }
                let id = try owner(list.owner, path: list.path, idByAppId: idByAppId, idByObjectId: idByObjectId, names: names)
                drafts[id]!.federated.append(credential)
            }
        }

        for (_, items) in sources.identities {
            for resource in items {
                guard let id = idByObjectId[resource.principalId.lowercased()] else { continue }
                merge(resource, into: &drafts[id]!)
            }
        }

        // In a fixed order, so the same files name the same timestamp in the warning.
        for (_, draft) in drafts.sorted(by: { $0.key < $1.key }) {
            saw(draft.identity.createdAt, "createdDateTime of \(draft.identity.name)")
            for (_, entry) in draft.credentials.sorted(by: { $0.key < $1.key }) { saw(entry.credential.start?.date, "startDateTime of credential \(entry.credential.keyId) of \(draft.identity.name)") }
        }
        for (path, items) in sources.assignments {
            for assignment in items {
                saw(assignment.createdOn?.date, "createdOn of a role assignment in \((path as NSString).lastPathComponent)")
                saw(assignment.updatedOn?.date, "updatedOn of a role assignment in \((path as NSString).lastPathComponent)")
            }
        }
        let observedAt = observationTime()

        var estate = Estate(observedAt: observedAt, scope: "azure:\(tenant)")
        var policies: [String: Policy] = [:]
        var grants: Set<Grant> = []
        assignRoles(tenant: tenant, drafts: &drafts, idByObjectId: idByObjectId, policies: &policies, grants: &grants)
        inferEnvironments(&drafts, grants: grants, subscriptions: subscriptions)

        for id in drafts.keys.sorted() {
            let draft = drafts[id]!
            estate.identities.append(draft.identity)
            for (keyId, entry) in draft.credentials {
                estate.credentials.append(credential(keyId: keyId, entry.credential, certificate: entry.certificate, identityId: id, now: observedAt))
            }
            if !draft.federated.isEmpty {
                let policy = federatedPolicy(draft.federated, identity: draft.identity)
                policies[policy.id] = policy
                grants.insert(Grant(subjectId: id, policyId: policy.id, via: .trust))
            }
        }
        estate.policies = policies.keys.sorted().map { policies[$0]! }
        estate.credentials = estate.credentials.indices.sorted { estate.credentials[$0].id < estate.credentials[$1].id }.map { estate.credentials[$0] }
        estate.grants = Self.presorted(grants)
        return [estate.sorted()]
    }

    // MARK: Tenant

    /// The tenant the files describe: `az account show`, else the owner of the apps registered here.
    func tenantId(servicePrincipals: [AzureDirectoryObject], applications: [AzureDirectoryObject]) throws -> String {
        let accounts = sources.accounts.flatMap(\.items)
        let tenants = Set(accounts.map { $0.tenantId.lowercased() } + sources.identities.flatMap(\.items).compactMap { $0.tenantId?.lowercased() })
        if tenants.count > 1 {
            throw ConnectorError(
                .inconsistent,
                "the az account and identity files name \(tenants.count) tenants (\(tenants.sorted().joined(separator: ", "))); import one tenant's exports at a time",
                file: sources.accounts.first?.path ?? "")
        }
        if let tenant = tenants.first { return tenant }
        // Service principals of apps registered in this tenant carry the tenant as their owner organization.
        let local = Set(applications.map { $0.appId.lowercased() })
        let owners = Set(servicePrincipals.filter { local.contains($0.appId.lowercased()) }.compactMap { $0.appOwnerOrganizationId?.lowercased() })
        if owners.count == 1, let tenant = owners.first { return tenant }
        let file = sources.servicePrincipals.first?.path ?? sources.applications.first?.path ?? sources.assignments.first?.path
            ?? sources.credentialLists.first?.path ?? sources.federatedLists.first?.path ?? ""
        throw ConnectorError(
            .inconsistent,
            "cannot tell which Entra ID tenant these exports describe; add the output of `az account show -o json` (it names the tenantId) to the files imported",
            file: file)
    }

    // MARK: Observation time

    mutating func saw(_ date: Date?, _ what: @autoclosure () -> String) {
        guard let date, date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }

    /// `--as-of`, else the newest creation or change the data records (it was taken no earlier), else the files' modification time.
    mutating func observationTime() -> Date {
        if let asOf { return asOf }
        if let (date, what) = newestInData {
            warnings.append("observation time \(AWSMapper.iso(date)) taken from the newest timestamp in the data (\(what)); pass --as-of to override")
            return date
        }
        if let modified = sources.newestFileDate {
            warnings.append("observation time \(AWSMapper.iso(modified)) taken from the files' modification time (the data holds no timestamp); pass --as-of to override")
            return modified
        }
        return Date()
    }
}

extension AzureMapper {
    /// Grants in the order `Estate.sorted()` puts them, sorted on keys computed once: that method
    /// builds a scope's description on every comparison, which made sorting most of the mapping time.
    static func presorted(_ grants: some Collection<Grant>) -> [Grant] {
        let list = Array(grants)
        // One string per grant, its fields joined by NUL (below every other character, so the order is the tuple's);
        // sorting indices moves integers, not grants.
        let keys = list.map { [$0.subjectId, $0.policyId, $0.via.rawValue, $0.scope?.description ?? ""].joined(separator: "\u{0}") }
        var out: [Grant] = []
        out.reserveCapacity(list.count)
        var previous: Int?
        for index in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            // The same grant twice (an export imported in two copies) is kept once.
            if let previous, keys[previous] == keys[index], list[previous] == list[index] { continue }
            out.append(list[index])
            previous = index
        }
        return out
    }

    /// Edges in the order `Estate.sorted()` puts them, the same way.
    static func presorted(_ edges: some Collection<Edge>) -> [Edge] {
        let list = Array(edges)
        let keys = list.map { [$0.from, $0.to, $0.kind.rawValue, $0.rule].joined(separator: "\u{0}") }
        var out: [Edge] = []
        out.reserveCapacity(list.count)
        var previous: Int?
        for index in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            if let previous, keys[previous] == keys[index], list[previous] == list[index] { continue }
            out.append(list[index])
            previous = index
        }
        return out
    }
}

/// An ARM scope, read: `/`, a management group, a subscription, a resource group or a resource.
struct ARMScope {
    let text: String
    let subscription: String?
    let resourceGroup: String?
    let kind: GrantScope.Kind

    init(_ text: String) {
        self.text = text
        let parts = text.split(separator: "/").map(String.init)
        let lower = parts.map { $0.lowercased() }
        if parts.isEmpty {
            (subscription, resourceGroup, kind) = (nil, nil, .managementGroup)
        } else if lower.count >= 2, lower[0] == "providers", lower[1] == "microsoft.management" {
            (subscription, resourceGroup, kind) = (nil, nil, lower.count <= 4 ? .managementGroup : .resource)
        } else if lower[0] == "subscriptions", parts.count >= 2 {
            let rg = lower.count >= 4 && lower[2] == "resourcegroups" ? parts[3] : nil
            let kind: GrantScope.Kind = parts.count == 2 ? .subscription : (rg != nil && parts.count == 4 ? .resourceGroup : .resource)
            (subscription, resourceGroup, self.kind) = (parts[1], rg, kind)
        } else {
            (subscription, resourceGroup, kind) = (nil, nil, .resource)
        }
    }

    var grantScope: GrantScope { GrantScope(kind, text) }
}

extension JSONAny {
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JSONAny.init))
        case .object(let members): self = .object(members.mapValues(JSONAny.init))
        }
    }
}
