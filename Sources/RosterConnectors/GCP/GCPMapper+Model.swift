import Foundation
import RosterModel

/// Turning resolved records into model values.
extension GCPMapper {
    /// A service account as an ``Identity``.
    /// What every account of a project shares: its labels as tags, its environment, its owner label.
    struct ProjectFacts {
        var tags: [String: String]
        var environment: String?
        var owner: String?

        init(_ projectId: String, context: Context) {
            let project = context.projects[projectId]?.value
            let labels = project?.labels ?? [:]
            tags = Dictionary(uniqueKeysWithValues: labels.map { ("project:\($0.key)", $0.value) })
            environment = EnvironmentName.guess(
                [AWSMapper.tagValue(labels, keys: AWSMapper.environmentTagKeys), projectId, project?.name] + (context.directoriesByProject[projectId] ?? []))
            owner = AWSMapper.owner(labels)
        }
    }

    func identity(_ account: Account, project facts: ProjectFacts) -> Identity {
        let value = account.value
        var tags = facts.tags
        if value.disabled == true { tags["gcp:disabled"] = "true" }
        let environment = facts.environment
        let owner = Self.owner(inDescription: value.description) ?? facts.owner
        let cls = GCPAccountClass(email: value.email)
        let reason: String
        switch cls {
        case .computeDefault:
            reason = "the Compute Engine default service account, which Google creates with the Compute Engine API and which VMs and GKE nodes run as unless given another"
        case .appEngineDefault:
            reason = "the App Engine default service account, which App Engine apps and first-generation Cloud Functions run as unless given another"
        case .serviceAgent:
            reason = "a Google-managed service agent, which a Google Cloud service uses to act in the project"
        case .userCreated:
            reason = "a service account: an identity for workloads, not people" + (value.displayName.map { " (\"\($0.prefix(100))\")" } ?? "")
        }
        return Identity(
            id: Self.identityId(value.email), provider: .gcp, kind: .gcpServiceAccount, name: value.email, nativeId: value.uniqueId,
            account: account.projectId, environment: environment, owner: owner, tags: tags, usageTracked: false, nature: .machine,
            natureReason: reason, managedBy: cls == .serviceAgent ? "google" : nil)
    }

    /// An owner written into a description as `owner: …`, `owner=…`, `team: …` or `contact: …` (the key in any case).
    static func owner(inDescription description: String?) -> String? {
        guard let text = description else { return nil }
        // A byte walk: every account has a description to search, and case-insensitive Foundation searches are slow.
        let bytes = Array(text.utf8)
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        for key in ["owner", "team", "contact"].map({ Array($0.utf8) }) where bytes.count > key.count {
            var start = 0
            while start + key.count < bytes.count {
                defer { start += 1 }
                guard (0..<key.count).allSatisfy({ lower(bytes[start + $0]) == key[$0] }), start == 0 || !isLetter(bytes[start - 1]) else { continue }
                var i = start + key.count
                while i < bytes.count, bytes[i] == 0x20 { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: "=") else { continue }
                i += 1
                while i < bytes.count, bytes[i] == 0x20 { i += 1 }
                var end = i
                while end < bytes.count, ![0x20, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ")")].contains(bytes[end]) { end += 1 }
                if end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
                guard end > i else { continue }
                return String(String(decoding: bytes[i..<end], as: UTF8.self).prefix(200))
            }
        }
        return nil
    }

    /// A key as a ``Credential`` (never its secret: only its public id, fingerprinted), and, for user-managed keys,
    /// a resource with what the credential has no field for (algorithm, origin, why it was disabled).
    func credential(_ key: GCPServiceAccountKey, keyId: String, account: Account, observedAt: Date) -> (Credential, Resource?) {
        let identityId = Self.identityId(account.value.email)
        let id = "\(identityId)/keys/\(keyId)"
        let userManaged = key.keyType != "SYSTEM_MANAGED"
        let expires = key.validBeforeTime?.date
        let neverExpires = expires.map { $0 >= Self.farFuture } ?? true
        let status: CredentialStatus = key.disabled == true ? .inactive : (!neverExpires && expires! <= observedAt ? .expired : .active)
        let credential = Credential(
            id: id, identityId: identityId, kind: userManaged ? .gcpServiceAccountKey : .gcpSystemManagedKey, status: status,
            createdAt: key.validAfterTime?.date, expiresAt: neverExpires ? nil : expires,
            fingerprint: CredentialFingerprint(.gcpServiceAccountKeyId, of: keyId).description, preview: CredentialFingerprint.preview(keyId))
        guard userManaged else { return (credential, nil) }
        var attributes: [String: String] = ["keyId": keyId]
        attributes["keyAlgorithm"] = key.keyAlgorithm
        attributes["keyOrigin"] = key.keyOrigin
        attributes["keyType"] = key.keyType
        attributes["disableReason"] = key.disableReason
        let exposure = (key.extendedStatus ?? []).filter { ($0.key ?? "").contains("EXPOSED") || ($0.key ?? "").contains("COMPROMISE") }
        if !exposure.isEmpty {
            attributes["extendedStatus"] = exposure.map { "\($0.key ?? "")\($0.value.map { "=\($0.prefix(300))" } ?? "")" }.joined(separator: "; ")
        }
        let resource = Resource(
            id: id, provider: .gcp, type: "gcp.iam.service-account-key", name: keyId, account: account.projectId, attributes: attributes)
        return (credential, resource)
    }

    /// Google prints "never expires" as 9999-12-31T23:59:59Z.
    static let farFuture = Date(timeIntervalSince1970: 253_370_764_800)  // 9999-01-01

    /// A binding of `binding.role` to one service account as a ``Grant``, with the role's ``Policy`` in the estate.
    mutating func grant(
        _ binding: GCPIAMPolicy.Binding, to email: String, scope: GrantScope, in project: String, place: String, context: Context,
        drafts: inout [String: Draft]
    ) throws {
        let policyId = "gcp:" + binding.role
        if drafts[project]!.policies[policyId] == nil {
            if let policy = Self.rolePolicy(binding.role, definition: context.roles[binding.role]) {
                drafts[project]!.policies[policyId] = policy
            } else if missingRoles.insert(binding.role).inserted {
                warnings.append("\(place): custom role \(binding.role.prefix(200)) is granted but its definition is not in the import, so its permissions "
                    + "are unknown; add `gcloud iam roles describe \(GCPName.last(binding.role).prefix(100)) --project \(project) --format=json`")
            }
        }
        drafts[project]!.grants.insert(Grant(
            subjectId: Self.identityId(email), policyId: policyId, via: .binding, scope: scope, condition: binding.condition?.expression))
    }

    /// The policy of a role: a predefined role always (its permissions are known by name), a custom role only with its definition.
    static func rolePolicy(_ role: String, definition: GCPRole?) -> Policy? {
        let predefined = role.hasPrefix("roles/")
        guard predefined || definition != nil else { return nil }
        return Policy(
            id: "gcp:" + role, name: role, provider: .gcp, kind: predefined ? .providerManaged : .customerManaged,
            body: .gcpRole(permissions: (definition?.includedPermissions ?? []).sorted()))
    }

    /// A binding as the trust policy stores it: `{"role", "members", ["condition"], ["inheritedFrom"]}`.
    static func bindingJSON(_ binding: GCPIAMPolicy.Binding, inheritedFrom: String?) -> JSONAny {
        var object: [String: JSONAny] = ["role": .string(binding.role), "members": .array((binding.members ?? []).map(JSONAny.string))]
        if let condition = binding.condition {
            var fields: [String: JSONAny] = [:]
            if let expression = condition.expression { fields["expression"] = .string(expression) }
            if let title = condition.title { fields["title"] = .string(title) }
            if let description = condition.description { fields["description"] = .string(description) }
            object["condition"] = .object(fields)
        }
        if let inheritedFrom { object["inheritedFrom"] = .string(inheritedFrom) }
        return .object(object)
    }

    /// Why an account is a workload's, when its own policy lets a Kubernetes service account or federated identities act as it.
    static func workloadReason(_ policy: GCPIAMPolicy?) -> String? {
        for binding in policy?.bindings ?? [] where GCPRoleFacts.impersonationRoles[binding.role] != nil {
            for member in binding.parsed {
                switch member {
                case .gkeWorkload(let pool, let namespace, let name):
                    return "a service account that Kubernetes service account \(namespace)/\(name) runs as through GKE Workload Identity (pool \(pool))"
                case .principalSet(let set) where set.contains("/attribute.repository/"):
                    let repository = set.components(separatedBy: "/attribute.repository/").last ?? ""
                    return "a service account that workloads of repository \(repository.prefix(200)) impersonate through workload identity federation"
                case .principal(let subject) where subject.contains(".svc.id.goog/subject/ns/"):
                    // GKE Workload Identity Federation's principal form: …/PROJECT.svc.id.goog/subject/ns/NAMESPACE/sa/KSA
                    let path = subject.components(separatedBy: "/subject/ns/").last?.components(separatedBy: "/sa/") ?? []
                    guard path.count == 2 else { fallthrough }
                    return "a service account that Kubernetes service account \(path[0].prefix(100))/\(path[1].prefix(100)) runs as through GKE Workload Identity"
                case .principalSet, .principal:
                    return "a service account that federated workloads impersonate through workload identity federation"
                default:
                    continue
                }
            }
        }
        return nil
    }

    static func projectResource(_ project: GCPProject) -> Resource {
        var attributes: [String: String] = [:]
        attributes["projectNumber"] = project.projectNumber
        attributes["parent"] = project.parent
        attributes["lifecycleState"] = project.lifecycleState
        for (key, value) in project.labels ?? [:] { attributes["label:\(key)"] = value }
        return Resource(
            id: "gcp:project:\(project.projectId)", provider: .gcp, type: "gcp.project", name: project.name ?? project.projectId,
            account: project.projectId, attributes: attributes)
    }

    /// Workload identity pool providers as resources, by the reference workflows name them with (`gcp:workloadIdentityProvider:<name>`).
    mutating func mapProviders(numbers: [String: String], drafts: inout [String: Draft]) {
        for located in sources.providers {
            let provider = located.value
            let reference = GCPName.segment(after: "projects", in: provider.name) ?? ""
            guard let project = reference.allSatisfy(\.isNumber) ? numbers[reference] : reference, drafts[project] != nil else {
                warnings.append("\(located.place): workload identity provider \(provider.name.prefix(200)) is in project \(reference.prefix(40)), "
                    + "which no imported file pairs with a project id; skipped (add `gcloud projects describe`)")
                continue
            }
            var attributes: [String: String] = [:]
            attributes["pool"] = GCPName.segment(after: "workloadIdentityPools", in: provider.name)
            attributes["issuer"] = provider.oidc?.issuerUri
            attributes["allowedAudiences"] = provider.oidc?.allowedAudiences?.joined(separator: ",")
            attributes["awsAccountId"] = provider.aws?.accountId
            attributes["attributeCondition"] = provider.attributeCondition
            attributes["attributeMapping"] = provider.attributeMapping?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            attributes["state"] = provider.state
            if provider.disabled == true { attributes["disabled"] = "true" }
            let id = "gcp:workloadIdentityProvider:\(provider.name)"
            drafts[project]!.resources[id] = Resource(
                id: id, provider: .gcp, type: "gcp.iam.workload-identity-provider", name: provider.displayName ?? GCPName.last(provider.name),
                account: project, attributes: attributes)
        }
    }
}

/// What Roster needs to know about IAM roles while reading them.
enum GCPRoleFacts {
    /// Roles that let their holder act as a service account, with what the holder can then do, to follow the holder's email.
    static let impersonationRoles: [String: String] = [
        "roles/iam.serviceAccountTokenCreator": "can create short-lived tokens for (impersonate)",
        "roles/iam.serviceAccountUser": "can attach to resources and run them as (iam.serviceAccounts.actAs)",
        "roles/iam.workloadIdentityUser": "can impersonate through workload identity",
        "roles/iam.serviceAccountKeyAdmin": "can create keys for",
        "roles/iam.serviceAccountAdmin": "can change the IAM policy of, and so grant itself any role on,",
    ]
}
