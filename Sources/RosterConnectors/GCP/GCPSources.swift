import Foundation
import RosterModel

/// Everything read from the files, with where each thing came from, before mapping.
struct GCPSources {
    /// A value and the place it was read: the file, and the line for JSON lines.
    struct Located<Value> {
        var value: Value
        var path: String
        var line: Int?

        /// `file` or `file: line 12`, for messages.
        var place: String { line.map { "\(path): line \($0)" } ?? path }
    }

    /// What an IAM policy is attached to.
    enum PolicyTarget: Hashable {
        /// A bare `gcloud projects get-iam-policy` file: the project is its folder's.
        case folderProject(directory: String)
        /// A project by id or number (asset inventory).
        case project(String)
        /// A service account by email or unique id.
        case serviceAccount(String)
    }

    var accounts: [Located<GCPServiceAccount>] = []
    var keys: [Located<GCPServiceAccountKey>] = []
    var projects: [Located<GCPProject>] = []
    var roles: [Located<GCPRole>] = []
    var providers: [Located<GCPWorkloadIdentityProvider>] = []
    var policies: [(policy: Located<GCPIAMPolicy>, target: PolicyTarget)] = []
    /// Project ids by project number, as asset records pair them.
    var projectIdsByNumber: [String: String] = [:]
    /// The project ids each folder's self-describing files name (service accounts, keys, `projects describe`).
    var projectsByDirectory: [String: Set<String>] = [:]
    /// The newest timestamp the data holds, and what it is.
    var newestInData: (date: Date, what: String)?
    var newestFileDate: Date?
    var warnings: [String] = []

    mutating func add(_ file: SourceFile, kind: GCPFileKind) throws {
        let directory = GCPFileDigest.split(file.path).directory
        switch kind {
        case .serviceAccounts:
            let list = try file.decodeList(GCPServiceAccount.self, wrapper: "accounts", expecting: "a service-accounts list", warnings: &warnings)
            for account in list { add(account: Located(value: account, path: file.path), directory: directory) }
        case .serviceAccountKeys:
            let list = try file.decodeList(GCPServiceAccountKey.self, wrapper: "keys", expecting: "a service-account keys list", warnings: &warnings)
            for key in list { add(key: Located(value: key, path: file.path), directory: directory) }
        case .iamPolicy:
            let policy = try file.decodeJSON(GCPIAMPolicy.self, expecting: "an IAM policy", limits: .gcpExport)
            let name = GCPFileDigest.split(file.path).name
            let email = GCPAccountClass.email(inName: name) ?? GCPAccountClass.email(inName: GCPFileDigest.split(directory).name)
            policies.append((Located(value: policy, path: file.path), email.map { .serviceAccount($0) } ?? .folderProject(directory: directory)))
        case .project:
            let project = try file.decodeJSON(GCPProject.self, expecting: "a project description", limits: .gcpExport)
            add(project: Located(value: project, path: file.path), directory: directory)
        case .roles:
            for role in try file.decodeList(GCPRole.self, wrapper: "roles", expecting: "a role definition", warnings: &warnings) {
                roles.append(Located(value: role, path: file.path))
            }
        case .workloadIdentityProviders:
            let list = try file.decodeList(GCPWorkloadIdentityProvider.self, wrapper: "workloadIdentityPoolProviders", expecting: "a providers list", warnings: &warnings)
            for provider in list {
                providers.append(Located(value: provider, path: file.path))
                if let project = GCPName.segment(after: "projects", in: provider.name), !project.allSatisfy(\.isNumber) { projectsByDirectory[directory, default: []].insert(project) }
            }
        case .assetInventory:
            try GCPAssetInventory.read(file) { asset, line in add(asset: asset, path: file.path, line: line, directory: directory) }
        case .serviceAccountKeyFile, .credentialConfiguration:
            throw ConnectorError(.wrongKind, "this is \(kind), which Roster does not import", file: file.path)
        }
    }

    private mutating func add(account: Located<GCPServiceAccount>, directory: String?) {
        accounts.append(account)
        if let directory, let project = account.value.projectId { projectsByDirectory[directory, default: []].insert(project) }
    }

    private mutating func add(key: Located<GCPServiceAccountKey>, directory: String?) {
        keys.append(key)
        if let directory, let project = GCPName.segment(after: "projects", in: key.value.name), project != "-" {
            projectsByDirectory[directory, default: []].insert(project)
        }
        if let created = key.value.validAfterTime?.date {
            note(created, "key \(GCPName.last(key.value.name)) valid from \(created.utcDay)")
        }
    }

    private mutating func add(project: Located<GCPProject>, directory: String?) {
        projects.append(project)
        if let directory { projectsByDirectory[directory, default: []].insert(project.value.projectId) }
        if let number = project.value.projectNumber { projectIdsByNumber[number] = project.value.projectId }
    }

    /// One asset record: its payload, its IAM policy, and the project number and id its names pair.
    private mutating func add(asset: GCPAsset, path: String, line: Int, directory: String) {
        let located = { (value: GCPIAMPolicy) in Located(value: value, path: path, line: line) }
        if let number = asset.ancestors.first.flatMap({ GCPName.segment(after: "projects", in: $0) }), let id = GCPName.projectIdInAssetName(asset.name) {
            projectIdsByNumber[number] = id
        }
        if let updated = asset.updateTime { note(updated, "asset \(GCPName.last(asset.name)) updated \(updated.utcDay)") }
        switch asset.payload {
        case .serviceAccount(let account): add(account: Located(value: account, path: path, line: line), directory: nil)
        case .key(let key): add(key: Located(value: key, path: path, line: line), directory: nil)
        case .project(let project): add(project: Located(value: project, path: path, line: line), directory: nil)
        case .role(let role): roles.append(Located(value: role, path: path, line: line))
        case .provider(let provider): providers.append(Located(value: provider, path: path, line: line))
        case .none: break
        }
        guard let policy = asset.iamPolicy else { return }
        switch asset.assetType {
        case GCPAsset.projectType:
            policies.append((located(policy), .project(GCPName.last(asset.name))))
        case GCPAsset.serviceAccountType:
            policies.append((located(policy), .serviceAccount(GCPName.last(asset.name).lowercased())))
        default:
            break
        }
    }

    /// Notes a timestamp the data holds, keeping the newest.
    mutating func note(_ date: Date, _ what: @autoclosure () -> String) {
        guard date > (newestInData?.date ?? .distantPast) else { return }
        newestInData = (date, what())
    }
}

/// Reading Google resource names (`projects/P/serviceAccounts/EMAIL/keys/ID`).
enum GCPName {
    /// The segment after `collection` in a resource name: `segment(after: "projects", in: "projects/p/x")` is `p`.
    static func segment(after collection: String, in name: String) -> String? {
        // A walk over the UTF-8 view: names are read for every key and binding, and splitting allocates.
        let bytes = name.utf8
        let wanted = collection.utf8
        var start = bytes.startIndex
        var matched = false
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            if start < end {
                if matched { return String(name[start..<end]) }
                matched = bytes[start..<end].elementsEqual(wanted)
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return nil
    }

    /// The project, account and key id of `projects/P/serviceAccounts/A/keys/K`, in one walk; nil without an account or a key id.
    static func keyParts(_ name: String) -> (project: String?, account: String, keyId: String)? {
        // One pass over the UTF-8 bytes, remembering where each collection's value starts: keys are many, and splitting allocates.
        let bytes = name.utf8
        var project: String?
        var account: String?
        var key: String?
        var previous: Substring.UTF8View?
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            let segment = name.utf8[start..<end]
            if let previous, !segment.isEmpty {
                if previous.elementsEqual("projects".utf8) {
                    project = String(name[start..<end])
                } else if previous.elementsEqual("serviceAccounts".utf8) {
                    account = String(name[start..<end])
                } else if previous.elementsEqual("keys".utf8) {
                    key = String(name[start..<end])
                }
            }
            previous = segment.isEmpty ? previous : Substring(name)[start..<end].utf8
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        guard let account, let key else { return nil }
        return (project, account, key)
    }

    /// The last segment of a name.
    static func last(_ name: String) -> String {
        String(name.split(separator: "/").last ?? Substring(name))
    }

    /// The project id an asset's full name holds, when it holds an id rather than a number:
    /// `//iam.googleapis.com/projects/acme-prod-4821/serviceAccounts/…` gives `acme-prod-4821`.
    static func projectIdInAssetName(_ name: String) -> String? {
        guard let project = segment(after: "projects", in: name), !project.allSatisfy(\.isNumber) else { return nil }
        return project
    }
}

extension SourceFile {
    /// Decodes a list as gcloud prints it (a JSON list), as the REST API answers it (`{"<wrapper>": [...]}`),
    /// or a single resource as `describe` prints it.
    ///
    /// A REST page that says there are more (`nextPageToken`) adds a warning to `warnings`.
    func decodeList<Element: Decodable>(_ type: Element.Type, wrapper: String, expecting what: String, warnings: inout [String]) throws -> [Element] {
        let first = data.firstIndex { !GCPFileKind.isBlank($0) }
        if let first, data[first] == UInt8(ascii: "[") {
            return try decodeJSON([Element].self, expecting: what, limits: .gcpExport)
        }
        let keys = JSONSyntax.topLevelKeys(in: data).keys
        if keys.contains(wrapper) {
            let page = try decodeJSON(GCPPage<Element>.self, expecting: what, limits: .gcpExport)
            if let token = page.nextPageToken, !token.isEmpty {
                warnings.append("\(path): the list is incomplete: nextPageToken is set; fetch every page (gcloud does) and save them together")
            }
            return page.items
        }
        return [try decodeJSON(Element.self, expecting: what, limits: .gcpExport)]
    }
}

/// A REST list answer: the items under one key, and a page token when there are more.
struct GCPPage<Element: Decodable>: Decodable {
    var items: [Element]
    var nextPageToken: String?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let key = ["accounts", "keys", "roles", "workloadIdentityPoolProviders"].map(Key.init).first { c.contains($0) }
        items = try key.map { try c.decode([Element].self, forKey: $0) } ?? []
        nextPageToken = try c.decodeIfPresent(String.self, forKey: Key(stringValue: "nextPageToken"))
    }
}
