public import Foundation
public import RosterModel

/// Reads the OAuth consents of SaaS tenants: Google Workspace (Admin SDK Directory `tokens.list`,
/// `users.list`, Reports API token activity) and Microsoft Entra ID (Graph `oauth2PermissionGrants`,
/// `servicePrincipals`, `servicePrincipalSignInActivities`, `appRoleAssignments`, `users`,
/// `deletedItems`, `organization`), one estate per domain or tenant.
///
/// Files are recognised by content (`kind`, `@odata.context`, or the fields of their items).
///
/// For example:
/// ```swift
/// let found = try SaaSConnector().discover(["examples/estate/saas"])
/// let result = try SaaSConnector().read(found.files)
/// ```
public struct SaaSConnector: Connector {
    public struct InputFile: Sendable, Hashable {
        public var path: String
        public var kind: SaaSFileKind

        public init(path: String, kind: SaaSFileKind) {
            self.path = path
            self.kind = kind
        }
    }

    public var provider: Provider { .saas }

    /// The time to measure ages against; otherwise the newest timestamp the data holds.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Expands directories (recursively, `.json` files) and recognises each file by content; a file named
    /// directly must be one this connector imports.
    /// - Throws: ``ConnectorError`` naming a named file that is missing, unreadable or not one of these Admin SDK and Graph responses.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        try Discovery.searchJSON(paths, kind: SaaSFileKind.self, source: "SaaS", export: "a SaaS OAuth export") { InputFile(path: $0, kind: $1) }
    }

    /// A digest of the files' bytes (and names, which can say whose data they hold) and of what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try SourceFile.read(input.path)
            // A tokens.list file's name can say whose tokens they are.
            let name = input.kind == .googleTokens ? (input.path as NSString).lastPathComponent : ""
            parts.append("\(input.kind.rawValue):\(name):\(ContentDigest.sha256(file.data))")
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                newest = max(newest ?? modified, modified)
            }
        }
        parts.sort()
        if let asOf {
            parts.append("as-of:\(asOf.timeIntervalSinceReferenceDate)")
        } else {
            parts.append("observed:\(newest?.utcDay ?? Date().utcDay)")
        }
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps them to one estate per Google Workspace domain and Entra ID tenant.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place, or when
    ///   the files do not say whose tokens they hold or which tenant they describe.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var sources = SaaSSources()
        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try SourceFile.read(input.path)
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                sources.newestFileDate = max(sources.newestFileDate ?? modified, modified)
            }
            func decode<T: Decodable>(_ type: T.Type) throws -> T { try file.decodeJSON(T.self, expecting: input.kind.description, limits: .saasExport) }
            let path = file.path
            switch input.kind {
            case .googleTokens: sources.googleTokens.append((path, try decode(GoogleTokenList.self)))
            case .googleUsers: sources.googleUsers.append((path, try decode(GoogleUserList.self)))
            case .googleActivities: sources.googleActivities.append((path, try decode(GoogleActivities.self)))
            case .entraGrants: sources.grants.append((path, try decode(GraphList<GraphPermissionGrant>.self)))
            case .entraServicePrincipals: sources.servicePrincipals.append((path, try decode(GraphList<GraphServicePrincipal>.self)))
            case .entraSignIns: sources.signIns.append((path, try decode(GraphList<GraphSignInActivity>.self)))
            case .entraAppRoleAssignments: sources.appRoleAssignments.append((path, try decode(GraphList<GraphAppRoleAssignment>.self)))
            case .entraUsers: sources.users.append((path, try decode(GraphList<GraphUser>.self)))
            case .entraDeletedUsers: sources.deletedUsers.append((path, try decode(GraphList<GraphUser>.self)))
            case .entraOrganization: sources.organizations.append((path, try decode(GraphList<GraphOrganization>.self)))
            case .googleOther, .graphOther:
                throw ConnectorError(.wrongKind, "this is \(input.kind), which the SaaS connector does not import", file: path)
            }
        }
        progress?("mapping", files.count, files.count)
        var mapper = SaaSMapper(sources: sources, asOf: asOf)
        let estates = try mapper.map()
        return ConnectorResult(estates: estates, warnings: mapper.warnings)
    }
}

extension SaaSConnector {
    /// The SaaS OAuth entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .saas, title: "SaaS OAuth", reads: SaaSFileKind.importableList) { paths, options in
        let connector = SaaSConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
