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

    let sources: AzureSources
    let asOf: Date?
    private(set) var warnings: [String] = []
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

        for (_, draft) in drafts {
            saw(draft.identity.createdAt, "createdDateTime of \(draft.identity.name)")
            for (_, entry) in draft.credentials { saw(entry.credential.start?.date, "startDateTime of credential \(entry.credential.keyId) of \(draft.identity.name)") }
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

        for (id, draft) in drafts {
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
        estate.policies = Array(policies.values)
        estate.grants = Array(grants)
        return [estate.sorted()]
    }

    // MARK: Tenant

    /// The tenant the files describe: `az account show`, else the owner of the apps registered here.
    private func tenantId(servicePrincipals: [AzureDirectoryObject], applications: [AzureDirectoryObject]) throws -> String {
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

    // MARK: Identities

    private func servicePrincipal(_ sp: AzureDirectoryObject, app: AzureDirectoryObject?, tenant: String, subscriptions: [String: String]) -> Draft {
        let type = sp.servicePrincipalType ?? "Application"
        let isManaged = type.caseInsensitiveCompare("ManagedIdentity") == .orderedSame
        let resource = isManaged ? sp.alternativeNames?.first { $0.lowercased().hasPrefix("/subscriptions/") } : nil
        let parts = resource.map(ARMScope.init)
        var tags = Self.tags(sp.tags ?? []).merging(Self.tags(app?.tags ?? []), uniquingKeysWith: { a, _ in a })
        if sp.accountEnabled?.value == false { tags["accountEnabled"] = "false" }
        if isManaged { tags["managedIdentity"] = sp.alternativeNames?.contains("isExplicit=True") == true ? "user-assigned" : "system-assigned" }
        let owner = sp.appOwnerOrganizationId?.lowercased()
        let managedBy = owner == Self.microsoftTenant ? "microsoft" : nil
        let reason: String
        if isManaged {
            reason = "a managed identity: Azure issues its tokens to \(resource.map { "the resource \($0)" } ?? "the resource it is attached to")"
        } else if managedBy != nil {
            reason = "a service principal of an app Microsoft publishes and manages"
        } else if let owner, owner != tenant {
            reason = "a service principal of an app registered in another tenant (\(owner)): a third party's app with access to this one"
        } else {
            reason = "a service principal: an application's identity in the tenant, used by software to sign in"
        }
        let name = sp.displayName ?? app?.displayName ?? sp.appId
        let subscriptionName = parts?.subscription.flatMap { subscriptions[$0.lowercased()] }
        let identity = Identity(
            id: "azure:servicePrincipal:\(sp.objectId.lowercased())", provider: .azure,
            kind: isManaged ? .azureManagedIdentity : .azureServicePrincipal, name: name, nativeId: sp.appId.lowercased(), account: tenant,
            path: resource,
            environment: EnvironmentName.guess([tags["environment"], tags["env"], parts?.resourceGroup, subscriptionName, name]),
            owner: Self.owner(tags: tags, notes: sp.notes ?? app?.notes), tags: tags,
            createdAt: sp.createdDateTime?.date ?? app?.createdDateTime?.date, usageTracked: false, nature: .machine, natureReason: reason,
            managedBy: managedBy)
        return Draft(identity: identity, resourceId: resource?.lowercased())
    }

    private func application(_ app: AzureDirectoryObject, tenant: String) -> Draft {
        let tags = Self.tags(app.tags ?? [])
        let name = app.displayName ?? app.appId
        let identity = Identity(
            id: "azure:application:\(app.objectId.lowercased())", provider: .azure, kind: .azureApplication, name: name,
            nativeId: app.appId.lowercased(), account: tenant,
            environment: EnvironmentName.guess([tags["environment"], tags["env"], name]), owner: Self.owner(tags: tags, notes: app.notes), tags: tags,
            createdAt: app.createdDateTime?.date, usageTracked: false, nature: .machine,
            natureReason: "an app registration without a service principal in this tenant: its credentials sign in wherever the app is consented")
        return Draft(identity: identity)
    }

    /// Graph tags are plain strings; `key:value` and `key=value` ones become tags with a value.
    static func tags(_ list: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for tag in list {
            if let separator = tag.firstIndex(where: { $0 == "=" || $0 == ":" }) {
                out[String(tag[..<separator]).trimmingCharacters(in: .whitespaces)] = String(tag[tag.index(after: separator)...]).trimmingCharacters(in: .whitespaces)
            } else {
                out[tag] = ""
            }
        }
        return out
    }

    static let ownerKeys = ["owner", "team", "owner-email", "owneremail", "contact", "maintainer", "created-by"]

    /// The owner a tag names, else an `Owner: …` line in the notes.
    static func owner(tags: [String: String], notes: String?) -> String? {
        for key in ownerKeys {
            if let value = tags.first(where: { $0.key.lowercased() == key })?.value, !value.isEmpty { return value }
        }
        guard let notes else { return nil }
        for line in notes.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            for key in ["owner:", "owner=", "team:"] where text.lowercased().hasPrefix(key) {
                let value = text.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// The ARM tags of a user-assigned identity say who owns it and where it runs.
    private func merge(_ resource: AzureUserAssignedIdentity, into draft: inout Draft) {
        let tags = resource.tags ?? [:]
        var identity = draft.identity
        identity.tags.merge(tags, uniquingKeysWith: { current, _ in current })
        identity.owner = identity.owner ?? Self.owner(tags: tags, notes: nil)
        let arm = ARMScope(resource.id)
        identity.environment = EnvironmentName.guess([tags["environment"], tags["env"], identity.environment, arm.resourceGroup])
        identity.path = identity.path ?? resource.id
        draft.identity = identity
    }

    private func displayNames(_ drafts: [String: Draft]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (id, draft) in drafts { out[draft.identity.name.lowercased(), default: []].append(id) }
        return out
    }

    /// The identity a credential file belongs to, from the app its name gives.
    private func owner(_ hint: String, path: String, idByAppId: [String: String], idByObjectId: [String: String], names: [String: [String]]) throws -> String {
        let key = hint.lowercased()
        if let id = idByAppId[key] ?? idByObjectId[key] { return id }
        if let ids = names[key], ids.count == 1 { return ids[0] }
        let why: String
        if idByAppId.isEmpty {
            why = "no `az ad sp list` or `az ad app list` output was imported with it, so the app is unknown"
        } else if let ids = names[key], ids.count > 1 {
            why = "\(ids.count) apps are named \"\(hint)\"; name the file after the appId instead"
        } else {
            why = "\"\(hint)\" is neither the appId, the object id nor the display name of an imported app or service principal"
        }
        throw ConnectorError(
            .inconsistent,
            "cannot tell which app this credential list belongs to: the az CLI prints it without the app, so Roster reads the app from the file name (`<appId>.json`, `<appId>.cert.json`, `<appId>.federated.json`, or a folder named after the appId); \(why)",
            file: path)
    }

    // MARK: Credentials

    private func add(_ list: [AzureCredential]?, certificates: Bool, from: String, to draft: inout Draft) {
        for credential in list ?? [] where draft.credentials[credential.keyId.lowercased()] == nil {
            draft.credentials[credential.keyId.lowercased()] = (credential, certificates, from)
        }
    }

    private func credential(keyId: String, _ source: AzureCredential, certificate: Bool, identityId: String, now: Date) -> Credential {
        let expired = source.end.map { $0.date <= now } ?? false
        let preview: String
        if certificate {
            preview = source.displayName.map { "certificate \($0)" } ?? "certificate \(keyId.prefix(8))…"
        } else {
            preview = source.hint.map { "\($0)…" } ?? "secret \(keyId.prefix(8))…"
        }
        return Credential(
            id: "azure:keyId:\(keyId)", identityId: identityId, kind: certificate ? .certificate : .clientSecret, status: expired ? .expired : .active,
            createdAt: source.start?.date, usageTracked: false, expiresAt: source.end?.date,
            fingerprint: CredentialFingerprint(certificate ? .azureCertificateKeyId : .azureClientSecretKeyId, of: keyId).description,
            preview: source.displayName.map { certificate ? preview : "\(preview) (\($0))" } ?? preview)
    }

    private func federatedPolicy(_ list: [AzureFederatedCredential], identity: Identity) -> Policy {
        let entries: [JSONAny] = list.sorted { $0.name < $1.name }.map { fic in
            var object: [String: JSONAny] = [
                "name": .string(fic.name), "issuer": .string(fic.issuer), "audiences": .array(fic.audiences.map { .string($0) }),
            ]
            if let subject = fic.subject { object["subject"] = .string(subject) }
            if let expression = fic.claimsMatchingExpression { object["claimsMatchingExpression"] = JSONAny(expression) }
            return .object(object)
        }
        return Policy(
            id: "\(identity.id)#federated-credentials", name: "federated credentials of \(identity.name)", provider: .azure, kind: .trust,
            body: .other(type: "azure.federated-credentials", content: .array(entries)))
    }

    // MARK: Role assignments

    private mutating func assignRoles(
        tenant: String, drafts: inout [String: Draft], idByObjectId: [String: String], policies: inout [String: Policy], grants: inout Set<Grant>
    ) {
        var definitions: [String: AzureRoleDefinition] = [:]
        for (_, items) in sources.definitions { for definition in items { definitions[definition.name.lowercased()] = definition } }
        let spListed = !sources.servicePrincipals.isEmpty
        for (path, items) in sources.assignments {
            let file = (path as NSString).lastPathComponent
            // az fills principalName from Graph; when no assignment has one, the export was made without directory read access.
            let namesResolved = items.contains { !($0.principalName ?? "").isEmpty }
            if !namesResolved && !items.isEmpty {
                warnings.append("\(path): no role assignment has a principalName (az could not read the directory); only assignments of type Unknown are reported as orphaned")
            }
            for assignment in items {
                let principal = assignment.principalId.lowercased()
                let type = assignment.principalType ?? "Unknown"
                let name = assignment.principalName ?? ""
                var subject: String
                if let id = idByObjectId[principal] {
                    subject = id
                } else if type == "Unknown" || (namesResolved && name.isEmpty) {
                    subject = "azure:deletedPrincipal:\(principal)"
                    if drafts[subject] == nil {
                        drafts[subject] = Draft(identity: Identity(
                            id: subject, provider: .azure, kind: .azureDeletedPrincipal, name: "deleted \(type == "Unknown" ? "principal" : type.lowercased()) \(principal)",
                            nativeId: principal, account: tenant, nature: .unknown,
                            natureReason: "role assignments name object \(principal) (principalType \(type)), which no longer exists in Entra ID (\(file))",
                            managedBy: "nobody: deleted from Entra ID"))
                    }
                } else if type == "ServicePrincipal" {
                    // Listed by the assignments but not by the service principal list (az ad sp list without --all stops at 100).
                    subject = "azure:servicePrincipal:\(principal)"
                    if drafts[subject] == nil {
                        if spListed {
                            warnings.append("\(path): service principal \(name) (\(principal)) has role assignments but is not in the imported `az ad sp list`; was it run with --all?")
                        }
                        drafts[subject] = Draft(identity: Identity(
                            id: subject, provider: .azure, kind: .azureServicePrincipal, name: name, account: tenant,
                            environment: EnvironmentName.guess([name]), nature: .machine,
                            natureReason: "a service principal known only from its role assignments (\(file))"))
                    }
                } else {
                    continue  // a person or a group: not a machine identity
                }
                let policy = rolePolicy(assignment, definitions: definitions)
                if policies[policy.id] == nil { policies[policy.id] = policy }
                grants.insert(Grant(subjectId: subject, policyId: policy.id, via: .binding, scope: ARMScope(assignment.scope).grantScope, condition: assignment.condition))
            }
        }
    }

    private func rolePolicy(_ assignment: AzureRoleAssignment, definitions: [String: AzureRoleDefinition]) -> Policy {
        let guid = assignment.roleGUID
        let id = "azure:roleDefinition:\(guid)"
        if let definition = definitions[guid] {
            var merged = AzureRolePermissions()
            for block in definition.permissions {
                merged.actions += block.actions ?? []
                merged.notActions += block.notActions ?? []
                merged.dataActions += block.dataActions ?? []
                merged.notDataActions += block.notDataActions ?? []
            }
            let custom = definition.roleType?.caseInsensitiveCompare("CustomRole") == .orderedSame
            return Policy(id: id, name: definition.roleName, provider: .azure, kind: custom ? .customerManaged : .providerManaged, body: .azureRole(merged))
        }
        if let role = AzureBuiltInRoles.byGUID[guid] {
            return Policy(id: id, name: role.name, provider: .azure, kind: .providerManaged, body: .azureRole(role.permissions))
        }
        let name = assignment.roleDefinitionName ?? guid
        return Policy(
            id: id, name: name, provider: .azure, kind: .customerManaged,
            body: .other(type: "azure.role-reference", content: .object([
                "roleDefinitionId": .string(assignment.roleDefinitionId), "roleDefinitionName": .string(name),
            ])))
    }

    // MARK: Observation time

    private mutating func saw(_ date: Date?, _ what: @autoclosure () -> String) {
        guard let date, date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }

    /// `--as-of`, else the newest creation or change the data records (it was taken no earlier), else the files' modification time.
    private mutating func observationTime() -> Date {
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
