import Foundation
import RosterModel

/// Service principals, app registrations, their credentials and federated credentials.
extension AzureMapper {
    // MARK: Identities

    func servicePrincipal(_ sp: AzureDirectoryObject, app: AzureDirectoryObject?, tenant: String, subscriptions: [String: String]) -> Draft {
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

    func application(_ app: AzureDirectoryObject, tenant: String) -> Draft {
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
                out[trimmed(tag[..<separator])] = trimmed(tag[tag.index(after: separator)...])
            } else {
                out[tag] = ""
            }
        }
        return out
    }

    /// Without leading and trailing spaces and tabs (Foundation's trimming is slow on Linux, and these are short ASCII labels).
    static func trimmed(_ text: Substring) -> String {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start] == " " || text[start] == "\t" { start = text.index(after: start) }
        while end > start, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" { end = text.index(before: end) }
        return String(text[start..<end])
    }

    static let ownerKeys = ["owner", "team", "owner-email", "owneremail", "contact", "maintainer", "technicalowner", "businessowner", "createdby", "created-by"]

    /// The owner a tag names, else an `Owner: …` line in the notes.
    static func owner(tags: [String: String], notes: String?) -> String? {
        for key in ownerKeys {
            if let value = tags.first(where: { $0.key.lowercased() == key })?.value, !value.isEmpty { return value }
        }
        guard let notes else { return nil }
        for line in notes.split(whereSeparator: \.isNewline) {
            let text = trimmed(line)
            for key in ["owner:", "owner=", "team:"] where text.lowercased().hasPrefix(key) {
                let value = trimmed(text.dropFirst(key.count))
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// The ARM tags of a user-assigned identity say who owns it and where it runs.
    func merge(_ resource: AzureUserAssignedIdentity, into draft: inout Draft) {
        let tags = resource.tags ?? [:]
        var identity = draft.identity
        identity.tags.merge(tags, uniquingKeysWith: { current, _ in current })
        identity.owner = identity.owner ?? Self.owner(tags: tags, notes: nil)
        let arm = ARMScope(resource.id)
        identity.environment = EnvironmentName.guess([tags["environment"], tags["env"], identity.environment, arm.resourceGroup])
        identity.path = identity.path ?? resource.id
        draft.identity = identity
    }

    func displayNames(_ drafts: [String: Draft]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (id, draft) in drafts { out[draft.identity.name.lowercased(), default: []].append(id) }
        return out
    }

    /// The identity a credential file belongs to, from the app its name gives.
    func owner(_ hint: String, path: String, idByAppId: [String: String], idByObjectId: [String: String], names: [String: [String]]) throws -> String {
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

    func add(_ list: [AzureCredential]?, certificates: Bool, from: String, to draft: inout Draft) {
        for credential in list ?? [] where draft.credentials[credential.keyId.lowercased()] == nil {
            draft.credentials[credential.keyId.lowercased()] = (credential, certificates, from)
        }
    }

    func credential(keyId: String, _ source: AzureCredential, certificate: Bool, identityId: String, now: Date) -> Credential {
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

    func federatedPolicy(_ list: [AzureFederatedCredential], identity: Identity) -> Policy {
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

}
