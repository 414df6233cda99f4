import Crypto
public import Foundation
public import RosterModel

/// Reads AWS export files (as the AWS CLI writes them) and maps them to one ``Estate`` per account.
///
/// Files are recognised by content, not by name, so a directory of exports can be given as is.
/// Nothing is written anywhere: the caller stores the estates.
///
/// For example:
/// ```swift
/// let found = try AWSConnector.discover(["examples/aws-acme"])
/// let result = try AWSConnector().read(found.files)
/// ```
public struct AWSConnector: Connector {
    /// A file to read and what it holds.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        public var kind: AWSFileKind

        public init(path: String, kind: AWSFileKind) {
            self.path = path
            self.kind = kind
        }
    }

    public typealias Result = ConnectorResult

    public var provider: Provider { .aws }

    /// Expands directories and recognises each file (see ``discover(_:expected:)``).
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        try Self.discover(paths, expected: AWSFileKind?.none)
    }

    /// The time to measure ages against when no credential report says when it was generated.
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    /// A digest of the files' bytes and of what fixes the observation time, equal exactly when an
    /// import of them would give the same snapshots; cheap next to parsing them.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var digests: [String] = []
        var newest: Date?
        for input in files {
            let file = try SourceFile.read(input.path)
            digests.append("\(input.kind.rawValue):\(ContentDigest.sha256(file.data))")
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                newest = max(newest ?? modified, modified)
            }
        }
        var parts = digests.sorted()
        // The observation time comes from --as-of, else the credential report, else the files' modification times.
        if let asOf {
            parts.append("as-of:\(asOf.timeIntervalSinceReferenceDate)")
        } else if !files.contains(where: \.kind.isCredentialReport) {
            parts.append("observed:\(newest?.utcDay ?? Date().utcDay)")
        }
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps them, together, to one estate per AWS account.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its place.
    /// - Parameter progress: called before each file with its name, how many were read and how many there are.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> Result {
        var sources = AWSSources()
        for (index, input) in files.enumerated() {
            progress?("reading \((input.path as NSString).lastPathComponent)", index, files.count)
            let file = try SourceFile.read(input.path)
            if let modified = try? FileManager.default.attributesOfItem(atPath: input.path)[.modificationDate] as? Date {
                sources.newestFileDate = max(sources.newestFileDate ?? modified, modified)
            }
            switch input.kind {
            case .authorizationDetails:
                let details = try file.decodeJSON(AWSAuthorizationDetails.self, expecting: "get-account-authorization-details output")
                sources.details.append((file.path, details))
            case .credentialReportCSV:
                sources.reports.append((file.path, try AWSCredentialReport.parse(csv: file.data, path: file.path)))
            case .credentialReportJSON:
                sources.reports.append((file.path, try AWSCredentialReport.parse(json: file)))
            case .listAccessKeys:
                let list = try file.decodeJSON(AWSListAccessKeys.self, expecting: "list-access-keys output")
                sources.accessKeys.append((file.path, list))
            case .accessKeyLastUsed:
                let used = try file.decodeJSON(AWSAccessKeyLastUsed.self, expecting: "get-access-key-last-used output")
                sources.lastUsed.append((file.path, used))
            default:
                throw ConnectorError(.wrongKind, "this is \(input.kind), which Roster does not import", file: file.path)
            }
        }
        progress?("mapping", files.count, files.count)
        var mapper = AWSMapper(sources: sources, asOf: asOf)
        let estates = try mapper.map()
        return Result(estates: estates, warnings: mapper.warnings)
    }
}

extension AWSFileKind {
    var isCredentialReport: Bool { self == .credentialReportCSV || self == .credentialReportJSON }

    static var importableList: String {
        "get-account-authorization-details JSON, a credential report (CSV or get-credential-report JSON), list-access-keys or get-access-key-last-used JSON"
    }
}

/// Everything read from the files, before mapping.
struct AWSSources {
    var details: [(String, AWSAuthorizationDetails)] = []
    var reports: [(String, AWSCredentialReport)] = []
    var accessKeys: [(String, AWSListAccessKeys)] = []
    var lastUsed: [(String, AWSAccessKeyLastUsed)] = []
    /// Account aliases by account id, when a live collection read them.
    var aliases: [String: String] = [:]
    /// Accounts a live collection looked at, so an account with no identities still gets a snapshot.
    var collectedAccounts: Set<String> = []
    /// Service control policies that apply to each account, by level of its organization (root first, the account last).
    var controlPolicies: [String: [ControlPolicyLevel]] = [:]
    /// The organization each account belongs to (`o-…`), when Organizations said.
    var organizations: [String: String] = [:]
    /// When the newest input file was written, for file imports.
    var newestFileDate: Date?
}

/// The service control policies attached at one level of an organization: the root, an OU, or the account.
struct ControlPolicyLevel {
    struct Attached {
        var id: String
        var arn: String
        var name: String
        /// The policy document, as Organizations returns it: JSON in a string.
        var content: String
    }

    var targetId: String
    var targetType: String
    var policies: [Attached]
}

/// Fingerprints and previews of credential identifiers; never of anything longer-lived.
/// SHA-256 of whole inputs (files, canonical forms), as lowercase hex.
enum ContentDigest {
    static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
