import Foundation

/// Decodable mirrors of the GitHub REST API responses Roster reads, as `gh api` saves them.

/// `GET /repos/{owner}/{repo}/actions/secrets` (also environment and Dependabot secrets) and
/// `GET /orgs/{org}/actions/secrets`, whose entries add `visibility`. Values are never part of it.
struct GitHubSecretList: Decodable, Sendable {
    struct Secret: Decodable, Sendable {
        var name: String
        var created_at: AWSDate?
        var updated_at: AWSDate?
        /// Organisation secrets: `all`, `private` or `selected`.
        var visibility: String?
        var selected_repositories_url: String?
    }

    var total_count: Int
    var secrets: [Secret]

    /// Whether this is an organisation's list.
    var isOrganisation: Bool { secrets.contains { $0.visibility != nil } }

    /// The organisation named in a `selected_repositories_url` (`…/orgs/acme/actions/secrets/X/repositories`).
    var organisation: String? {
        for secret in secrets {
            guard let url = secret.selected_repositories_url, let range = url.range(of: "/orgs/") else { continue }
            let rest = url[range.upperBound...]
            if let org = rest.split(separator: "/").first, !org.isEmpty { return String(org) }
        }
        return nil
    }
}

/// `GET /repos/{owner}/{repo}/keys`: deploy keys. `key` is the public key, read only to fingerprint it.
struct GitHubDeployKey: Decodable, Sendable {
    var id: Int64
    var key: String
    var url: String?
    var title: String?
    var verified: Bool?
    var created_at: AWSDate?
    var read_only: Bool
    var added_by: String?
    var last_used: AWSDate?
    var enabled: Bool?

    /// `owner/repo` from `url` (`https://api.github.com/repos/acme/api/keys/1`).
    var repository: String? {
        guard let url, let range = url.range(of: "/repos/") else { return nil }
        let parts = url[range.upperBound...].split(separator: "/")
        guard parts.count >= 2 else { return nil }
        return "\(parts[0])/\(parts[1])"
    }

    private enum CodingKeys: String, CodingKey {
        case id, key, url, title, verified, created_at, read_only, added_by, last_used, enabled
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        key = try c.decode(String.self, forKey: .key)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        verified = try c.decodeIfPresent(Bool.self, forKey: .verified)
        created_at = try c.decodeIfPresent(AWSDate.self, forKey: .created_at)
        read_only = try c.decode(Bool.self, forKey: .read_only)
        added_by = try c.decodeIfPresent(String.self, forKey: .added_by)
        last_used = try c.decodeIfPresent(AWSDate.self, forKey: .last_used)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        tracksUse = c.contains(.last_used)
    }

    /// Whether the response carries `last_used` at all (null meaning never used).
    var tracksUse = false
}

/// `GET /orgs/{org}/installations` (and `GET /user/installations`): GitHub App installations.
struct GitHubInstallationList: Decodable, Sendable {
    struct Account: Decodable, Sendable {
        var login: String?
        var slug: String?
        var type: String?
    }

    struct Installation: Decodable, Sendable {
        var id: Int64
        var app_id: Int64?
        var app_slug: String?
        var account: Account?
        var repository_selection: String?
        var permissions: [String: String]?
        var events: [String]?
        var created_at: AWSDate?
        var updated_at: AWSDate?
        var suspended_at: AWSDate?
        var target_type: String?
    }

    var total_count: Int
    var installations: [Installation]
}

/// The kinds of GitHub file Roster reads.
enum GitHubFileKind: String, Sendable, Hashable, CustomStringConvertible {
    case workflow, secrets, deployKeys, installations

    var description: String {
        switch self {
        case .workflow: "a GitHub Actions workflow"
        case .secrets: "a GitHub Actions secrets list"
        case .deployKeys: "a GitHub deploy keys list"
        case .installations: "a GitHub App installations list"
        }
    }

    static let readsList = "workflows in .github/workflows/ of a repository checkout (with its CODEOWNERS), and REST API JSON: "
        + "actions secrets lists, deploy keys, App installations"

    /// The kind of an API response, by its top-level keys and first element; nil for anything else.
    static func recogniseJSON(_ data: Data) -> GitHubFileKind? {
        let top = JSONSyntax.topLevelKeys(in: data) { keys in keys.count >= 3 }
        if top.isObject {
            let keys = Set(top.keys)
            guard keys.contains("total_count") else { return nil }
            if keys.contains("secrets") { return .secrets }
            if keys.contains("installations") { return .installations }
            return nil
        }
        // An array: deploy keys have `key`, `read_only` and `verified`/`title` in each element.
        guard let head = firstElementKeys(data) else { return nil }
        if head.contains("key") && head.contains("read_only") && (head.contains("verified") || head.contains("title")) { return .deployKeys }
        return nil
    }

    /// The keys of the first object in a top-level array, read from at most the first 64 KiB; nil if the text is no such array.
    static func firstElementKeys(_ data: Data) -> Set<String>? {
        guard let start = data.firstIndex(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), data[start] == UInt8(ascii: "[") else { return nil }
        guard let objectStart = data[(start + 1)...].firstIndex(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }),
            data[objectStart] == UInt8(ascii: "{")
        else { return nil }
        let slice = data[objectStart..<min(data.endIndex, objectStart + 65_536)]
        return Set(JSONSyntax.topLevelKeys(in: Data(slice)).keys)
    }
}
