import Crypto
public import Foundation
public import RosterModel

/// Reads Google Cloud IAM exports (gcloud's `--format=json` output and Cloud Asset Inventory
/// exports) and maps them to one ``Estate`` per project.
///
/// Files are recognised by content. Most say which project and service account they are
/// about (a service account's `projectId`, a key's `name`); two do not:
///
/// - `gcloud projects get-iam-policy P` prints the policy alone. It belongs to the project the
///   other files in its folder name (service accounts, keys, `gcloud projects describe`), else
///   to the project its folder is named after: keep one folder per project, as
///   `examples/estate/gcp/acme-prod-4821/` does.
/// - `gcloud iam service-accounts get-iam-policy EMAIL` prints the policy alone too. It is read
///   as that account's policy when its file name (or its folder's name) holds the account's
///   email, as such exports are usually saved: `gh-deploy@acme-prod-4821.iam.gserviceaccount.com.json`
///   or `sa-policies/gh-deploy@acme-prod-4821.iam.gserviceaccount.com/iam-policy.json`. No JSON
///   wrapper for it is in common use, so none is invented here.
///
/// For example:
/// ```swift
/// let connector = GCPConnector()
/// let found = try connector.discover(["examples/estate/gcp"])
/// let result = try connector.read(found.files)
/// ```
public struct GCPConnector: Connector {
    /// A file to read and what it holds.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        public var kind: GCPFileKind

        public init(path: String, kind: GCPFileKind) {
            self.path = path
            self.kind = kind
        }
    }

    public var provider: Provider { .gcp }

    /// The time to measure ages against; otherwise the newest timestamp in the data, else the files' modification time.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// The GCP entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .gcp, title: "GCP", reads: GCPFileKind.importableList) { paths, options in
        let connector = GCPConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }

    /// Expands directories (recursively: `.json`, `.jsonl` and `.ndjson` files) and recognises each file.
    ///
    /// - Throws: ``ConnectorError`` for a named file that is missing, unreadable or not a GCP export Roster reads.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        let reader = try GCPFileReader(naming: paths.first ?? "")
        return try Discovery.search(
            paths, candidate: { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") },
            named: { path in InputFile(path: path, kind: try Self.recogniseNamed(path)) },
            found: { path in
                let file: SourceFile
                do {
                    file = try reader.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not text Roster can read (\(error.message))")
                }
                switch Self.recognise(file) {
                case let kind? where kind.isImportable: return .file(InputFile(path: path, kind: kind))
                case let kind?: return .skip("this is \(kind), which Roster does not import" + (kind == .serviceAccountKeyFile ? Self.keyFileAdvice : ""))
                case nil: return .skip(file.isEmptyList ? "an empty JSON list, which does not say what it lists" : "not a GCP export Roster reads")
                }
            })
    }

    static let keyFileAdvice = "; it should not be in an export folder: move it somewhere safe, and if it was shared, disable the key and create a new one"

    /// What a file is: by content, and for an empty list `[]`, by its name (a key list of an account without keys).
    static func recognise(_ file: SourceFile) -> GCPFileKind? {
        if let kind = GCPFileKind.recognise(file.data) { return kind }
        if file.isEmptyList, GCPAccountClass.email(inName: GCPFileDigest.split(file.path).name) != nil { return .serviceAccountKeys }
        return nil
    }

    private static func recogniseNamed(_ path: String) throws -> GCPFileKind {
        let file = try SourceFile.read(path)
        guard let kind = recognise(file) else {
            if file.data.isEmpty {
                throw ConnectorError(.malformed, "the file is empty; expected \(GCPFileKind.importableList)", file: path, location: "line 1, column 1")
            }
            if file.isEmptyList {
                throw ConnectorError(
                    .unrecognised, "an empty JSON list does not say what it lists; an account's empty key list is read when the file is named after the account's email",
                    file: path)
            }
            // Only text that sets out to be one JSON document is worth a syntax error; JSON lines of some other kind are just not ours.
            if file.startsLikeJSON, !file.firstLineIsAnObject, let problem = JSONSyntax.firstError(in: file.data) {
                throw file.error(for: problem)
            }
            throw ConnectorError(.unrecognised, "not a GCP export Roster reads; expected \(GCPFileKind.importableList)", file: path)
        }
        guard kind.isImportable else {
            throw ConnectorError(.wrongKind, "this is \(kind), which Roster does not import" + (kind == .serviceAccountKeyFile ? keyFileAdvice : ""), file: path)
        }
        return kind
    }

    /// A digest of the files' bytes and of what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        parts.reserveCapacity(files.count + 1)
        var newest: Date?
        for input in files {
            let (hex, modified) = try GCPFileDigest.digest(of: input.path)
            // The names matter too: which project or account a bare IAM policy belongs to comes from its folder's and its own name
            // (and the files beside it, which are in the digest anyway); where the folder is does not.
            let (directory, name) = GCPFileDigest.split(input.path)
            parts.append("\(input.kind.rawValue):\(GCPFileDigest.split(directory).name)/\(name):\(hex)")
            newest = max(newest ?? modified, modified)
        }
        parts.sort()
        if let asOf {
            parts.append("as-of:\(asOf.timeIntervalSinceReferenceDate)")
        } else {
            // Usually the data's own newest timestamp decides; the files' day only when it holds none.
            parts.append("observed:\(newest?.utcDay ?? Date().utcDay)")
        }
        return GCPFileDigest.hex(SHA256.hash(data: Data(parts.joined(separator: "\n").utf8)))
    }

    /// Reads every file and maps them, together, to one estate per project.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var sources = GCPSources()
        let reader = try GCPFileReader(naming: files.first?.path ?? "")
        for (index, input) in files.enumerated() {
            progress?("reading \(GCPFileDigest.split(input.path).name)", index, files.count)
            let file = try reader.read(input.path)
            if let modified = GCPFileDigest.modified(input.path) {
                sources.newestFileDate = max(sources.newestFileDate ?? modified, modified)
            }
            try sources.add(file, kind: input.kind)
        }
        progress?("mapping", files.count, files.count)
        var mapper = GCPMapper(sources: sources, asOf: asOf)
        let estates = try mapper.map()
        return ConnectorResult(estates: estates, warnings: sources.warnings + mapper.warnings)
    }
}

extension SourceFile {
    /// Whether the text is an empty JSON list, `[]` with any blanks.
    var isEmptyList: Bool {
        guard let open = data.firstIndex(where: { !GCPFileKind.isBlank($0) }), data[open] == UInt8(ascii: "["),
            let close = data[(open + 1)...].firstIndex(where: { !GCPFileKind.isBlank($0) }), data[close] == UInt8(ascii: "]")
        else { return false }
        return !data[(close + 1)...].contains { !GCPFileKind.isBlank($0) }
    }

    /// Whether the first line is a whole JSON object on its own, as in a JSON-lines file.
    var firstLineIsAnObject: Bool {
        guard let open = data.firstIndex(where: { !GCPFileKind.isBlank($0) }), data[open] == UInt8(ascii: "{") else { return false }
        let end = data[open...].firstIndex(of: 0x0A) ?? data.endIndex
        return end < data.endIndex && JSONSyntax.firstError(in: data[open..<end]) == nil
    }
}
