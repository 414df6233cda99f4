import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One Cloud Asset Inventory record Roster uses: an exported asset (`gcloud asset export`, one
/// JSON object per line, snake_case as written to Cloud Storage or camelCase as `gcloud asset
/// list` prints it) or an IAM policy search result (`gcloud asset search-all-iam-policies`).
struct GCPAsset: Decodable, Sendable {
    /// What the record holds, by asset type.
    enum Payload: Sendable {
        case serviceAccount(GCPServiceAccount)
        case key(GCPServiceAccountKey)
        case project(GCPProject)
        case role(GCPRole)
        case provider(GCPWorkloadIdentityProvider)
        case none
    }

    /// The full resource name: `//iam.googleapis.com/projects/P/serviceAccounts/UNIQUE_ID`,
    /// `//cloudresourcemanager.googleapis.com/projects/NUMBER`…
    var name: String
    var assetType: String
    var payload: Payload = .none
    var iamPolicy: GCPIAMPolicy?
    /// `projects/NUMBER`, `folders/…`, `organizations/…`, nearest first.
    var ancestors: [String] = []
    var updateTime: Date?

    static let serviceAccountType = "iam.googleapis.com/ServiceAccount"
    static let keyType = "iam.googleapis.com/ServiceAccountKey"
    static let projectType = "cloudresourcemanager.googleapis.com/Project"
    static let roleType = "iam.googleapis.com/Role"
    static let providerType = "iam.googleapis.com/WorkloadIdentityPoolProvider"

    private enum CodingKeys: String, CodingKey {
        case name, resource, ancestors, policy, project
        case assetTypeSnake = "asset_type", assetType
        case updateTimeSnake = "update_time", updateTime
        case iamPolicySnake = "iam_policy", iamPolicy
    }

    private enum ResourceKeys: String, CodingKey { case data }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.policy), let resource = try? c.decode(String.self, forKey: .resource) {
            // A search result: the resource is a name, the policy holds only the bindings that matched the query.
            name = resource
            assetType = try c.decodeIfPresent(String.self, forKey: .assetType) ?? Self.type(ofName: resource)
            iamPolicy = try c.decode(GCPIAMPolicy.self, forKey: .policy)
            if let project = try c.decodeIfPresent(String.self, forKey: .project) { ancestors = [project] }
            return
        }
        name = try c.decode(String.self, forKey: .name)
        if let snake = try c.decodeIfPresent(String.self, forKey: .assetTypeSnake) {
            assetType = snake
        } else {
            assetType = try c.decode(String.self, forKey: .assetType)
        }
        ancestors = try c.decodeIfPresent([String].self, forKey: .ancestors) ?? []
        updateTime = try (c.decodeIfPresent(GCPTimestamp.self, forKey: .updateTimeSnake) ?? c.decodeIfPresent(GCPTimestamp.self, forKey: .updateTime))?.date
        iamPolicy = try c.decodeIfPresent(GCPIAMPolicy.self, forKey: .iamPolicySnake) ?? c.decodeIfPresent(GCPIAMPolicy.self, forKey: .iamPolicy)
        guard c.contains(.resource) else { return }
        let resource = try c.nestedContainer(keyedBy: ResourceKeys.self, forKey: .resource)
        guard resource.contains(.data) else { return }
        switch assetType {
        case Self.serviceAccountType: payload = .serviceAccount(try resource.decode(GCPServiceAccount.self, forKey: .data))
        case Self.keyType: payload = .key(try resource.decode(GCPServiceAccountKey.self, forKey: .data))
        case Self.projectType: payload = .project(try resource.decode(GCPProject.self, forKey: .data))
        case Self.roleType: payload = .role(try resource.decode(GCPRole.self, forKey: .data))
        case Self.providerType: payload = .provider(try resource.decode(GCPWorkloadIdentityProvider.self, forKey: .data))
        default: break
        }
    }

    /// The asset type a full resource name implies, for search results that leave the type out.
    static func type(ofName name: String) -> String {
        if name.hasPrefix("//cloudresourcemanager.googleapis.com/projects/") { return projectType }
        if name.hasPrefix("//iam.googleapis.com/"), name.contains("/serviceAccounts/") {
            return name.contains("/keys/") ? keyType : serviceAccountType
        }
        return ""
    }

    var isRelevant: Bool {
        [Self.serviceAccountType, Self.keyType, Self.projectType, Self.roleType, Self.providerType].contains(assetType)
    }
}

/// Reads Cloud Asset Inventory files: JSON lines one at a time (an organisation's export can be
/// gigabytes, mostly other resources), or a JSON list as `gcloud asset … --format=json` prints.
enum GCPAssetInventory {
    /// Calls `body` with each record Roster uses, in file order, with its line number (1 for a list).
    ///
    /// Every line is checked for syntax, so a cut-off export is reported wherever it breaks; only
    /// lines naming an asset type Roster reads are decoded, with the usual field limits.
    /// - Throws: ``ConnectorError`` naming the line and, for shape errors, the JSON path.
    static func read(_ file: SourceFile, _ body: (GCPAsset, Int) throws -> Void) throws {
        let first = file.data.firstIndex { !GCPFileKind.isBlank($0) }
        if let first, file.data[first] == UInt8(ascii: "[") {
            let assets = try file.decodeJSON([GCPAsset].self, expecting: "Cloud Asset Inventory results", limits: .gcpAssetList)
            for asset in assets where asset.isRelevant { try body(asset, 1) }
            return
        }
        let decoder = JSONDecoder()
        // Line ends found with memchr over the mapped bytes; each line is a slice of the file's data, never a copy.
        let ends: [Int] = file.data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [Int] in
            guard let base = bytes.baseAddress else { return [] }
            var out: [Int] = []
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, 0x0A, bytes.count - offset) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                out.append(at)
                offset = at + 1
            }
            if offset < bytes.count { out.append(bytes.count) }
            return out
        }
        var start = 0
        for (index, end) in ends.enumerated() {
            let lineNumber = index + 1
            let line = file.data[(file.data.startIndex + start)..<(file.data.startIndex + end)]
            start = end + 1
            guard !isBlank(line) else { continue }
            let relevant = mentionsRelevantType(line)
            if let problem = JSONSyntax.check(line, limits: .none, duplicateKeys: relevant) {
                throw file.error(for: problem).onLine(lineNumber)
            }
            guard relevant else { continue }
            let asset: GCPAsset
            do {
                asset = try decoder.decode(GCPAsset.self, from: line)
            } catch let error as DecodingError {
                throw file.locate(error, expecting: "a Cloud Asset Inventory record").onLine(lineNumber)
            }
            guard asset.isRelevant else { continue }
            // Field limits only for the records Roster keeps: other assets may carry large fields (startup scripts).
            if let problem = JSONSyntax.check(line, limits: .gcpExport) { throw file.error(for: problem).onLine(lineNumber) }
            try body(asset, lineNumber)
        }
    }

    /// Whether a line holds only blanks (a trailing newline, a `\r` left by Windows line ends).
    static func isBlank(_ line: Data) -> Bool {
        line.withUnsafeBytes { bytes in !bytes.contains { !GCPFileKind.isBlank($0) } }
    }

    /// Whether a line names an asset type (or resource name) Roster reads: a byte search, so the
    /// many lines about other resources are never decoded.
    static func mentionsRelevantType(_ line: Data) -> Bool {
        line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard let base = bytes.baseAddress else { return false }
            // Every pattern starts with one of few bytes; find each candidate with memchr and compare the rest.
            for pattern in patterns {
                var offset = 0
                while offset + pattern.count <= bytes.count, let hit = memchr(base + offset, Int32(pattern[0]), bytes.count - offset - pattern.count + 1) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if pattern.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, pattern.count) }) == 0 { return true }
                    offset = at + 1
                }
            }
            return false
        }
    }

    private static let patterns: [[UInt8]] = [
        "iam.googleapis.com/ServiceAccount", "cloudresourcemanager.googleapis.com/Project\"", "iam.googleapis.com/Role\"",
        "iam.googleapis.com/WorkloadIdentityPoolProvider\"",
    ].map { Array($0.utf8) }
}

extension ConnectorError {
    /// The same error, placed on a line of a JSON-lines file: `line 12, column 5` or `line 12, $.resource.data.email`.
    func onLine(_ line: Int) -> ConnectorError {
        var copy = self
        if let location, location.hasPrefix("line 1, ") {
            copy.location = "line \(line), " + location.dropFirst("line 1, ".count)
        } else {
            copy.location = "line \(line)" + (location.map { ", \($0)" } ?? "")
        }
        return copy
    }
}

extension JSONSyntax.Limits {
    /// An asset list printed by gcloud holds other resources' data too: fields up to 1 MiB each.
    static let gcpAssetList = Self(string: 1 << 20, stringWhat: "a single field", members: [:])
}
