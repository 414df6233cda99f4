import Foundation

// Decodable mirrors of what `gcloud … --format=json` prints (and the REST and Cloud Asset
// Inventory forms of the same resources). Only the fields Roster uses are decoded; everything
// else, including any private key material a file might carry, is never read.

/// A service account, as `gcloud iam service-accounts list/describe` prints it (and as Cloud
/// Asset Inventory holds it in `resource.data`).
///
/// gcloud leaves `disabled` and `description` out when they are false or empty.
struct GCPServiceAccount: Decodable, Hashable, Sendable {
    var name: String?
    var projectId: String?
    var uniqueId: String?
    var email: String
    var displayName: String?
    var description: String?
    var oauth2ClientId: String?
    var disabled: Bool?
}

/// A service account key, as `gcloud iam service-accounts keys list` prints it.
///
/// `name` is `projects/PROJECT/serviceAccounts/EMAIL/keys/KEY_ID`. `privateKeyData` (present only
/// in the answer to `keys create`) is deliberately not a field: Roster never reads a secret.
struct GCPServiceAccountKey: Decodable, Hashable, Sendable {
    struct ExtendedStatus: Decodable, Hashable, Sendable {
        var key: String?
        var value: String?
    }

    var name: String
    var keyAlgorithm: String?
    var keyOrigin: String?
    var keyType: String?
    var validAfterTime: GCPTimestamp?
    var validBeforeTime: GCPTimestamp?
    var disabled: Bool?
    var disableReason: String?
    var extendedStatus: [ExtendedStatus]?
}

/// An IAM allow policy, as `gcloud projects get-iam-policy` and `gcloud iam service-accounts
/// get-iam-policy` print it: bindings of a role to members, each perhaps under a condition.
///
/// The policy does not say what it is attached to; see ``GCPConnector`` for how Roster tells.
struct GCPIAMPolicy: Decodable, Hashable, Sendable {
    struct Binding: Decodable, Hashable, Sendable {
        var role: String
        var members: [String]?
        var condition: Condition?
        /// `members` parsed, once, as they are decoded.
        var parsed: [GCPMember] = []

        private enum CodingKeys: String, CodingKey { case role, members, condition }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            role = try c.decode(String.self, forKey: .role)
            members = try c.decodeIfPresent([String].self, forKey: .members)
            condition = try c.decodeIfPresent(Condition.self, forKey: .condition)
            parsed = (members ?? []).map(GCPMember.init)
        }
    }

    /// An IAM condition (a CEL expression with a title).
    struct Condition: Decodable, Hashable, Sendable {
        var expression: String?
        var title: String?
        var description: String?
    }

    var bindings: [Binding]?
    var etag: String?
    var version: Int?
}

/// A project, as `gcloud projects describe --format=json` prints it (Resource Manager v1) or as
/// Cloud Asset Inventory holds it; v3's string `parent` and `state` are accepted too.
struct GCPProject: Decodable, Hashable, Sendable {
    var projectId: String
    var projectNumber: String?
    /// The display name (v1) or `projects/NUMBER` (v3).
    var name: String?
    var displayName: String?
    var labels: [String: String]?
    var parent: String?
    var lifecycleState: String?
    var createTime: GCPTimestamp?

    enum CodingKeys: String, CodingKey {
        case projectId, projectNumber, name, displayName, labels, parent, lifecycleState, state, createTime
    }

    private struct Parent: Decodable {
        var type: String?
        var id: String?
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        projectId = try c.decode(String.self, forKey: .projectId)
        projectNumber = try c.decodeIfPresent(GCPNumberText.self, forKey: .projectNumber)?.text
        name = try c.decodeIfPresent(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        if let text = try? c.decodeIfPresent(String.self, forKey: .parent) {
            parent = text
        } else if let object = try c.decodeIfPresent(Parent.self, forKey: .parent), let type = object.type, let id = object.id {
            parent = "\(type)s/\(id)"
        }
        lifecycleState = try c.decodeIfPresent(String.self, forKey: .lifecycleState) ?? c.decodeIfPresent(String.self, forKey: .state)
        createTime = try c.decodeIfPresent(GCPTimestamp.self, forKey: .createTime)
        if projectNumber == nil, let name, name.hasPrefix("projects/") { projectNumber = String(name.dropFirst("projects/".count)) }
    }
}

/// A role definition, as `gcloud iam roles describe` prints it (predefined `roles/…` or custom
/// `projects/P/roles/…`, `organizations/N/roles/…`).
struct GCPRole: Decodable, Hashable, Sendable {
    var name: String
    var title: String?
    var includedPermissions: [String]?
    var stage: String?
    var deleted: Bool?
}

/// A workload identity pool provider, as `gcloud iam workload-identity-pools providers list`
/// prints it.
struct GCPWorkloadIdentityProvider: Decodable, Hashable, Sendable {
    struct OIDC: Decodable, Hashable, Sendable {
        var issuerUri: String?
        var allowedAudiences: [String]?
    }

    struct AWS: Decodable, Hashable, Sendable {
        var accountId: String?
    }

    var name: String
    var displayName: String?
    var state: String?
    var disabled: Bool?
    var attributeMapping: [String: String]?
    var attributeCondition: String?
    var oidc: OIDC?
    var aws: AWS?
}

/// A timestamp as Google APIs print them (RFC 3339, `2024-03-01T10:15:00Z` or with fractions),
/// decoded strictly so a bad one is reported at its JSON path.
struct GCPTimestamp: Decodable, Hashable, Sendable {
    let date: Date

    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 timestamp such as 2024-03-01T10:15:00Z")
        }
        self.date = date
    }
}

/// A 64-bit number that Google's JSON prints as a string ("123456789012") and other tools as a number.
struct GCPNumberText: Decodable, Hashable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let number = try? container.decode(Int64.self) {
            self.text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a project number such as \"123456789012\"")
        }
    }
}
