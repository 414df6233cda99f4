public import Foundation
public import RosterModel

/// Reads folders of X.509 certificates (PEM or DER: `.pem .crt .cer .der`, PEM bundles of
/// several certificates) into one ``Estate`` per folder, scope `x509:<folder name>`.
///
/// A folder is the directory directly holding the files, and stands for one environment or
/// trust store (`x509/production/`, `x509/staging/`); its name also says the environment. The same
/// certificate found in several folders is the same identity in each (its id is the SHA-256 of its
/// DER encoding), and each copy lists every folder it was found in, so reuse shows.
///
/// Private keys are never read. A `.key`, `.p12` or `.pfx` file is never opened, and a private key
/// block in a PEM file is recognised by its `-----BEGIN … PRIVATE KEY-----` line and skipped
/// undecoded; either is linked, by file, to the certificate it lies beside.
///
/// Ages and expiry are measured against `--as-of`, else the files' newest modification time
/// (said in a warning, with a second warning when that time is long past).
public struct X509Connector: Connector {
    /// A file and the folder it belongs to.
    public struct InputFile: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// PEM or DER holding certificates (and possibly keys).
            case certificates
            /// A PEM file holding private keys only.
            case keys
            /// A key or keystore file by its extension, never opened.
            case unopenedKey
        }

        public var path: String
        public var folder: String
        public var kind: Kind

        public init(path: String, folder: String, kind: Kind) {
            self.path = path
            self.folder = folder
            self.kind = kind
        }
    }

    public var provider: Provider { .x509 }

    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    static let reads = "folders of X.509 certificates (.pem, .crt, .cer, .der; PEM bundles), one folder per environment"
    static let certificateExtensions: Set<String> = ["pem", "crt", "cer", "der"]
    static let keyExtensions: Set<String> = ["key", "p12", "pfx"]

    static func fileExtension(_ path: String) -> String { (path as NSString).pathExtension.lowercased() }

    /// Expands directories (recursively) and recognises certificate files by content; private key
    /// files are kept only in folders that hold certificates.
    ///
    /// - Throws: ``ConnectorError`` for a named file that is missing, unreadable, a private key, or not a certificate.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        var found = try Discovery.search(
            paths,
            candidate: { Self.certificateExtensions.contains(Self.fileExtension($0)) || Self.keyExtensions.contains(Self.fileExtension($0)) },
            named: { path in try Self.recogniseNamed(path) },
            found: { path in
                if Self.keyExtensions.contains(Self.fileExtension(path)) {
                    return .file(InputFile(path: path, folder: Self.folder(of: path), kind: .unopenedKey))
                }
                let file: SourceFile
                do {
                    file = try SourceFile.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not a file Roster can read (\(error.message))")
                }
                guard let kind = Self.kind(of: file) else { return .skip("not an X.509 certificate (no CERTIFICATE block, not DER)") }
                return .file(InputFile(path: path, folder: Self.folder(of: path), kind: kind))
            }
        )
        // A key is worth noting only beside certificates; alone it is some other tool's file.
        let withCertificates = Set(found.files.filter { $0.kind == .certificates }.map { Self.directory(of: $0.path) })
        let (kept, alone) = (
            found.files.filter { $0.kind == .certificates || withCertificates.contains(Self.directory(of: $0.path)) },
            found.files.filter { $0.kind != .certificates && !withCertificates.contains(Self.directory(of: $0.path)) }
        )
        found.files = kept
        found.skips += alone.map {
            DiscoverySkip(path: $0.path, reason: "a private key file in a folder without certificates; Roster never reads private keys")
        }
        return found
    }

    /// What a file holds, or nil when it is not a certificate file: judged from its PEM armour lines
    /// alone (the blocks are decoded once, when read), or, for DER, by reading the certificate.
    static func kind(of file: SourceFile) -> InputFile.Kind? {
        let data = file.data
        if data.range(of: Data("-----BEGIN ".utf8)) != nil {
            if data.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) != nil || data.range(of: Data("-----BEGIN X509 CERTIFICATE-----".utf8)) != nil
            {
                return .certificates
            }
            return data.range(of: Data("PRIVATE KEY-----".utf8)) != nil ? .keys : nil
        }
        // DER: a .der, .cer or .crt file that starts with a SEQUENCE is a certificate (a broken one is an error when read);
        // any other file must parse as one to count.
        guard data.first == 0x30 else { return nil }
        if ["der", "cer", "crt"].contains(fileExtension(file.path)) { return .certificates }
        return (try? CertificateFacts.read(der: Array(data))) != nil ? .certificates : nil
    }

    private static func recogniseNamed(_ path: String) throws -> InputFile {
        if keyExtensions.contains(fileExtension(path)) {
            throw ConnectorError(
                .wrongKind,
                "a private key or keystore file; Roster never reads private keys. Name the folder holding it and its certificate instead",
                file: path
            )
        }
        let file = try SourceFile.read(path)
        if file.data.isEmpty { throw ConnectorError(.malformed, "the file is empty; expected \(reads)", file: path, location: "line 1, column 1") }
        switch kind(of: file) {
        case .certificates?: return InputFile(path: path, folder: folder(of: path), kind: .certificates)
        case .keys?:
            throw ConnectorError(.wrongKind, "a PEM file holding only private keys, which Roster never reads; expected \(reads)", file: path)
        default:
            throw ConnectorError(
                .unrecognised,
                "not an X.509 certificate (no -----BEGIN CERTIFICATE----- block, and not DER); expected \(reads)",
                file: path
            )
        }
    }

    static func directory(of path: String) -> String { URL(fileURLWithPath: path).deletingLastPathComponent().path }

    /// The folder a file belongs to: the name of the directory holding it.
    static func folder(of path: String) -> String {
        let name = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        return name.isEmpty || name == "/" ? "certificates" : name
    }

    /// A digest of the files' bytes (or names, for keys never opened), their folders and what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let name = (input.path as NSString).lastPathComponent
            if input.kind == .unopenedKey {
                parts.append("\(input.folder):key:\(name)")
            } else {
                parts.append("\(input.folder):\(name):\(ContentDigest.sha256(try SourceFile.read(input.path).data))")
            }
            if let modified = JenkinsConnector.modified(input.path) { newest = max(newest ?? modified, modified) }
        }
        parts.sort()
        parts.append(asOf.map { "as-of:\($0.timeIntervalSinceReferenceDate)" } ?? "observed:\(newest?.utcDay ?? Date().utcDay)")
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps each folder to an estate.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with the line of the bad block.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var folders: [String: X509Folder] = [:]
        var directories: [String: Set<String>] = [:]
        var warnings: [String] = []
        for (index, input) in files.enumerated() {
            let name = (input.path as NSString).lastPathComponent
            progress?("reading \(input.folder)/\(name)", index, files.count)
            directories[input.folder, default: []].insert(Self.directory(of: input.path))
            // Taken out while it grows, so the dictionary's copy does not make every append copy the folder.
            var folder = folders.removeValue(forKey: input.folder) ?? X509Folder(name: input.folder)
            if input.kind == .unopenedKey {
                folder.keys.append(X509KeyFile(fileName: name))
            } else {
                let pem = try PEMFile.read(try SourceFile.read(input.path).data, path: input.path)
                var inFile: [String] = []
                for block in pem.certificates {
                    let facts = try Self.facts(block, path: input.path, isDER: pem.isDER)
                    folder.add(facts, file: name)
                    inFile.append(facts.sha256)
                }
                for key in pem.keys {
                    folder.keys.append(X509KeyFile(fileName: name, label: key.label, encrypted: key.encrypted, certificatesInSameFile: inFile))
                }
                for other in pem.others {
                    warnings.append("\(input.path): line \(other.line): a \(other.label) block, which Roster does not read")
                }
            }
            folders[input.folder] = folder
        }
        for (name, paths) in directories where paths.count > 1 {
            warnings.append(
                "x509:\(name): \(paths.count) directories are named \(name) (\(paths.sorted().joined(separator: ", "))); read as one folder"
            )
        }
        var foldersBySHA: [String: [String]] = [:]
        for folder in folders.values {
            for sha in folder.order { foldersBySHA[sha, default: []].append(folder.name) }
        }
        var environments: [String: String] = [:]
        for name in folders.keys { environments[name] = EnvironmentName.environment(in: name) }
        let observedAt = observationTime(of: files, warnings: &warnings)
        progress?("mapping", files.count, files.count)
        var estates: [Estate] = []
        for name in folders.keys.sorted() {
            var mapper = X509Mapper(folder: folders[name]!, observedAt: observedAt, foldersBySHA: foldersBySHA, environments: environments)
            estates.append(mapper.map())
            warnings += mapper.warnings
        }
        return ConnectorResult(estates: estates, warnings: warnings)
    }

    /// Reads one certificate, placing an error at its block.
    private static func facts(_ block: PEMFile.CertificateBlock, path: String, isDER: Bool) throws -> CertificateFacts {
        do {
            return try CertificateFacts.read(der: block.der)
        } catch {
            let place = isDER ? "the file" : "the certificate at line \(block.line)"
            throw ConnectorError(
                .malformed,
                "\(place) is not a valid DER-encoded X.509 certificate (\(String(describing: error).prefix(200)))",
                file: path,
                location: isDER ? nil : "line \(block.line)"
            )
        }
    }

    /// `--as-of`, else the newest modification time of the files, said in a warning, with another when it is long past.
    private func observationTime(of files: [InputFile], warnings: inout [String]) -> Date {
        if let asOf { return asOf }
        guard let modified = files.compactMap({ JenkinsConnector.modified($0.path) }).max() else { return Date() }
        warnings.append(
            "x509: observation time \(JenkinsConnector.iso(modified)) taken from the files' modification time (certificate files hold no "
                + "observation time); pass --as-of to override"
        )
        let age = Date().timeIntervalSince(modified) / 86_400
        if age > 30 {
            warnings.append(
                "x509: the files were last modified \(Int(age)) days ago, and expiry is judged as of then; pass --as-of \(Date().utcDay) "
                    + "to judge it as of today"
            )
        }
        return modified
    }
}

extension X509Connector {
    /// The X.509 entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .x509, title: "X.509", reads: reads) { paths, options in
        let connector = X509Connector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
