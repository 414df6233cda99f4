import Foundation

/// The kinds of file the GCP connector reads, recognised by content, and the look-alikes it
/// names so that a wrong file is reported for what it is.
public enum GCPFileKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case serviceAccounts = "service-accounts"
    case serviceAccountKeys = "service-account-keys"
    case iamPolicy = "iam-policy"
    case project = "project"
    case roles = "roles"
    case workloadIdentityProviders = "workload-identity-providers"
    /// Cloud Asset Inventory: `gcloud asset export` JSON lines, or search/list results.
    case assetInventory = "asset-inventory"
    // Recognised but never imported:
    /// A service account key file (`"type": "service_account"` with a private key): a secret.
    case serviceAccountKeyFile = "service-account-key-file"
    /// An OAuth user credential or external-account (federation) configuration file.
    case credentialConfiguration = "credential-configuration"

    public var isImportable: Bool {
        switch self {
        case .serviceAccountKeyFile, .credentialConfiguration: false
        default: true
        }
    }

    /// What produces such a file, for messages.
    public var description: String {
        switch self {
        case .serviceAccounts: "the output of `gcloud iam service-accounts list --format=json`"
        case .serviceAccountKeys: "the output of `gcloud iam service-accounts keys list --format=json`"
        case .iamPolicy: "an IAM policy (`gcloud projects get-iam-policy` or `gcloud iam service-accounts get-iam-policy`, --format=json)"
        case .project: "the output of `gcloud projects describe --format=json`"
        case .roles: "a role definition (`gcloud iam roles describe --format=json`)"
        case .workloadIdentityProviders: "the output of `gcloud iam workload-identity-pools providers list --format=json`"
        case .assetInventory: "a Cloud Asset Inventory export (`gcloud asset export` JSON lines, or `gcloud asset search-all-iam-policies --format=json`)"
        case .serviceAccountKeyFile: "a service account key file holding a private key (a secret)"
        case .credentialConfiguration: "a Google credential file (OAuth user credentials or an external-account configuration)"
        }
    }

    static var importableList: String {
        "gcloud --format=json output of iam service-accounts list, service-accounts keys list, projects get-iam-policy, "
            + "service-accounts get-iam-policy, projects describe, iam roles describe, workload-identity-pools providers list, "
            + "or a Cloud Asset Inventory export"
    }

    /// Recognises a file from its content; nil when it is none of the known kinds.
    ///
    /// Lists are recognised by the keys of their first element, single resources by their
    /// top-level keys, and an asset export by its first line. An empty list `[]` says nothing
    /// about what it lists, so it is nil here (see ``GCPConnector`` for the one case it is taken).
    static func recognise(_ data: Data) -> GCPFileKind? {
        guard let first = data.firstIndex(where: { !Self.isBlank($0) }) else { return nil }
        if data[first] == UInt8(ascii: "[") {
            guard let element = data[(first + 1)...].firstIndex(where: { !Self.isBlank($0) }), data[element] == UInt8(ascii: "{") else {
                return nil
            }
            return kindOfElement(Set(JSONSyntax.topLevelKeys(in: data[element...]).keys))
        }
        guard data[first] == UInt8(ascii: "{") else { return nil }
        if let lineEnd = data[first...].firstIndex(of: 0x0A), data[lineEnd...].contains(where: { !Self.isBlank($0) }) {
            // More than one line: asset exports are one object per line, and a line of one is complete on its own.
            let line = data[first..<lineEnd]
            if JSONSyntax.firstError(in: line) == nil {
                let keys = Set(JSONSyntax.topLevelKeys(in: line).keys)
                if Self.isAsset(keys) { return .assetInventory }
            }
        }
        let keys = Set(JSONSyntax.topLevelKeys(in: data[first...]).keys)
        if Self.isAsset(keys) { return .assetInventory }
        if keys.contains("accounts") || keys.contains("keys") || keys.contains("roles") || keys.contains("workloadIdentityPoolProviders") {
            // The REST API's list answers wrap the list in an object: recognise by what they hold.
            return Self.wrappedList(data, keys: keys)
        }
        if let single = kindOfElement(keys), single != .assetInventory { return single }
        if !keys.isEmpty, keys.isSubset(of: policyKeys), keys.contains("bindings") || keys.contains("etag") { return .iamPolicy }
        if keys.contains("projectId"), keys.contains("projectNumber") || keys.contains("lifecycleState") || keys.contains("createTime") {
            return .project
        }
        if keys.contains("type"), keys.contains("private_key") || keys.contains("private_key_id") { return .serviceAccountKeyFile }
        if keys.contains("type"), keys.contains("refresh_token") || keys.contains("credential_source") || keys.contains("audience") {
            return .credentialConfiguration
        }
        return nil
    }

    /// The kind of a list whose first element has `keys`, or of a single resource with them.
    private static func kindOfElement(_ keys: Set<String>) -> GCPFileKind? {
        if keys.contains("email"), keys.contains("uniqueId") || keys.contains("projectId") || keys.contains("oauth2ClientId") {
            return .serviceAccounts
        }
        if keys.contains("name"), keys.contains("keyType") || keys.contains("validAfterTime") || keys.contains("keyAlgorithm") {
            return .serviceAccountKeys
        }
        if isAsset(keys) { return .assetInventory }
        if keys.contains("name"), keys.contains("includedPermissions") || (keys.contains("title") && keys.contains("stage")) { return .roles }
        if keys.contains("name"), keys.contains("attributeMapping") || keys.contains("oidc") || keys.contains("attributeCondition") {
            return .workloadIdentityProviders
        }
        return nil
    }

    /// An asset export line (`asset_type`/`assetType` with a name) or an IAM policy search result (`resource` with `policy`).
    private static func isAsset(_ keys: Set<String>) -> Bool {
        let typed = keys.contains("asset_type") || keys.contains("assetType")
        return (typed && (keys.contains("name") || keys.contains("resource"))) || (keys.contains("resource") && keys.contains("policy"))
    }

    private static func wrappedList(_ data: Data, keys: Set<String>) -> GCPFileKind? {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { return nil }
        for (key, kind) in [("accounts", GCPFileKind.serviceAccounts), ("keys", .serviceAccountKeys), ("roles", .roles),
                            ("workloadIdentityPoolProviders", .workloadIdentityProviders)] {
            guard case .array(let items)? = object[key] else { continue }
            guard case .object(let first)? = items.first else { return items.isEmpty && (kind != .serviceAccountKeys) ? kind : nil }
            if kindOfElement(Set(first.keys)) == kind { return kind }
        }
        return nil
    }

    private static let policyKeys: Set<String> = ["bindings", "etag", "version", "auditConfigs"]

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}

extension JSONSyntax.Limits {
    /// What Roster accepts in a GCP export: names, ids, conditions and descriptions up to 64 KiB each.
    ///
    /// Google caps a service account's description at 256 bytes, a condition expression at 12,800
    /// characters and a role name at 64, so this leaves ample room while refusing a damaged or hostile file.
    static let gcpExport = Self(string: 64 << 10, stringWhat: "a single field such as a name, an id or a condition", members: [:])
}
