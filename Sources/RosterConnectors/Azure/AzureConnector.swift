public import Foundation
public import RosterModel

/// Reads Azure CLI exports of an Entra ID tenant (service principals, app registrations, their
/// credentials and federated credentials, Azure role assignments) into one estate, `azure:<tenantId>`.
///
/// Files are recognised by content, so a directory of exports can be given as is; only the
/// bare credential lists (`az ad app credential list --id APP`) need the app in their file name.
///
/// For example:
/// ```swift
/// let found = try AzureConnector().discover(["examples/estate/azure"])
/// let result = try AzureConnector().read(found.files)
/// ```
public struct AzureConnector: Connector {
    /// A file to read, what it holds and, for credential lists, the app its name gives.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        public var kind: AzureFileKind

        public init(path: String, kind: AzureFileKind) {
            self.path = path
            self.kind = kind
        }
    }

    public var provider: Provider { .azure }

    /// The time to measure ages against; otherwise the newest timestamp the data holds.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// Expands directories (recursively, `.json` files) and recognises each file by content; a file named
    /// directly must be one this connector imports.
    /// - Throws: ``ConnectorError`` naming a named file that is missing, unreadable or not one of these Azure CLI exports.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        try Discovery.searchJSON(paths, kind: AzureFileKind.self, source: "Azure", export: "an Azure CLI export") { InputFile(path: $0, kind: $1) }
    }

    /// A digest of the files' bytes and of what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try SourceFile.read(input.path)
            // The file name is part of the input: it names the app a credential list belongs to.
            parts.append("\(input.kind.rawValue):\(input.kind.needsOwnerFromName ? AzureOwnerHint.from(path: input.path) : ""):\(ContentDigest.sha256(file.data))")
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

    /// Reads every file and maps them, together, to the tenant's estate.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place, or
    ///   when the files do not say which tenant they describe.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var sources = AzureSources()
        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try SourceFile.read(input.path)
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                sources.newestFileDate = max(sources.newestFileDate ?? modified, modified)
            }
            let path = file.path
            switch input.kind {
            case .servicePrincipals:
                sources.servicePrincipals.append((path, try decode([AzureDirectoryObject].self, file, input.kind)))
            case .servicePrincipal:
                sources.servicePrincipals.append((path, [try decode(AzureDirectoryObject.self, file, input.kind)]))
            case .applications:
                sources.applications.append((path, try decode([AzureDirectoryObject].self, file, input.kind)))
            case .application:
                sources.applications.append((path, [try decode(AzureDirectoryObject.self, file, input.kind)]))
            case .passwordCredentials, .certificateCredentials:
                let items = try decode([AzureCredential].self, file, input.kind)
                sources.credentialLists.append((path, AzureOwnerHint.from(path: path), input.kind == .certificateCredentials, items))
            case .federatedCredentials:
                sources.federatedLists.append((path, AzureOwnerHint.from(path: path), try decode([AzureFederatedCredential].self, file, input.kind)))
            case .roleAssignments:
                sources.assignments.append((path, try decodeOneOrMany(AzureRoleAssignment.self, file, input.kind)))
            case .roleDefinitions:
                sources.definitions.append((path, try decode([AzureRoleDefinition].self, file, input.kind)))
            case .accounts:
                sources.accounts.append((path, try decodeOneOrMany(AzureAccount.self, file, input.kind)))
            case .userAssignedIdentities:
                sources.identities.append((path, try decodeOneOrMany(AzureUserAssignedIdentity.self, file, input.kind)))
            default:
                throw ConnectorError(.wrongKind, "this is \(input.kind), which the Azure connector does not import", file: path)
            }
        }
        progress?("mapping", files.count, files.count)
        var mapper = AzureMapper(sources: sources, asOf: asOf)
        let estates = try mapper.map()
        return ConnectorResult(estates: estates, warnings: mapper.warnings)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ file: SourceFile, _ kind: AzureFileKind) throws -> T {
        try file.decodeJSON(T.self, expecting: kind.description, limits: .azureExport)
    }

    /// `az account show` prints one object and `az account list` an array; role assignments likewise (`create` vs `list`).
    private func decodeOneOrMany<T: Decodable>(_ type: T.Type, _ file: SourceFile, _ kind: AzureFileKind) throws -> [T] {
        file.startsWithArray ? try decode([T].self, file, kind) : [try decode(T.self, file, kind)]
    }
}

extension SourceFile {
    /// Whether the text's first non-blank byte opens an array.
    var startsWithArray: Bool {
        data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "[")
    }
}

extension AzureConnector {
    /// The Azure entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .azure, title: "Azure", reads: AzureFileKind.importableList) { paths, options in
        let connector = AzureConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
