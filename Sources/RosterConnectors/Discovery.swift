import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AWSConnector {
    /// Expands directories (recursively, `.json` and `.csv` files) and recognises each file.
    ///
    /// A file given by name must be importable. In a directory, files of other kinds are skipped,
    /// and so are pipes, devices, sockets, broken links and link loops (never opened, so a FIFO
    /// cannot make the import wait) and links to directories (not followed, so no loop is
    /// searched forever); ``Discovery/warnings`` says why for each.
    /// - Parameter expected: when set, every named file must be of this kind.
    /// - Throws: ``ConnectorError`` naming the file or directory that is missing, unreadable or of the wrong kind.
    public static func discover(_ paths: [String], expected: AWSFileKind? = nil) throws -> Discovery<InputFile> {
        try Discovery.search(
            paths, candidate: { $0.hasSuffix(".json") || $0.hasSuffix(".csv") },
            named: { InputFile(path: $0, kind: try recogniseNamed($0, expected: expected)) },
            found: { path in
                let file: SourceFile
                do {
                    file = try SourceFile.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    // Not text at all (UTF-32, broken UTF-16): in a directory, that is some other file.
                    return .skip("not text Roster can read (\(error.message))")
                }
                switch AWSFileKind.recognise(file.data) {
                case let kind? where kind.isImportable:
                    if kind == .credentialReportCSV { try file.checkCSVFields() }
                    return .file(InputFile(path: path, kind: kind))
                case let kind?:
                    return .skip("this is \(kind), which Roster does not import")
                case nil:
                    return .skip("not an AWS IAM export Roster reads")
                }
            })
    }

    /// The kind of a file named on the command line, which must be one Roster imports (and `expected`, when set).
    private static func recogniseNamed(_ path: String, expected: AWSFileKind?) throws -> AWSFileKind {
        let file = try SourceFile.read(path)
        guard let kind = AWSFileKind.recognise(file.data) else {
            if file.data.isEmpty {
                throw ConnectorError(.malformed, "the file is empty; expected \(AWSFileKind.importableList)", file: path, location: "line 1, column 1")
            }
            // Only text that sets out to be JSON is worth a syntax error; anything else is simply not an export.
            if file.startsLikeJSON, let problem = JSONSyntax.firstError(in: file.data) {
                throw file.error(for: problem)
            }
            throw ConnectorError(.unrecognised, "not an AWS IAM export Roster reads; expected \(AWSFileKind.importableList)", file: path)
        }
        if let expected, kind != expected, !(expected.isCredentialReport && kind.isCredentialReport) {
            throw ConnectorError(.wrongKind, "this is \(kind), not \(expected)", file: path)
        }
        guard kind.isImportable else {
            throw ConnectorError(.wrongKind, "this is \(kind), which Roster does not import; expected \(AWSFileKind.importableList)", file: path)
        }
        if kind == .credentialReportCSV { try file.checkCSVFields() }
        return kind
    }
}

/// What a connector makes of one file found in a directory.
enum FileVerdict<File> {
    /// One of its files, to read.
    case file(File)
    /// Not one of its files; the reason follows "skipped, ".
    case skip(String)
}

extension SourceFile {
    /// Whether the text's first non-blank byte opens a JSON object or array.
    var startsLikeJSON: Bool {
        let first = data.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }
}

extension Discovery {
    /// The one directory search every connector uses: expands directories recursively (not
    /// into `.git`), offers each regular file whose relative path passes `candidate` to `found`,
    /// and hands each path named directly to `named`, which must accept it or throw.
    ///
    /// Pipes, devices, sockets, broken links and link loops are skipped without being opened,
    /// and links to directories are not followed; ``warnings`` says why for each.
    /// - Parameters:
    ///   - candidate: whether a file, by its path relative to the directory searched (`.github/workflows/ci.yml`), is worth opening.
    ///   - named: recognises a file named on the command line; throws ``ConnectorError`` when it is not one.
    ///   - found: recognises a file found in a directory, or says why it is skipped.
    static func search(
        _ paths: [String], candidate: @escaping (String) -> Bool, named: (String) throws -> File, found: (String) throws -> FileVerdict<File>
    ) throws -> Discovery<File> {
        var result = Discovery<File>()
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                let code = errno
                if code == ENOENT { throw ConnectorError(.unreadable, "no such file or directory", file: path) }
                throw SourceFile.unreadable(path, errno: code)
            }
            if SourceFile.FileType(info.st_mode).isDirectory {
                var walk = DirectoryWalk(isCandidate: candidate)
                try walk.search(path, relative: "")
                result.skips += walk.skips
                for entry in walk.candidates.sorted(by: { $0.relative < $1.relative }) {
                    switch try found(entry.full) {
                    case .file(let file): result.files.append(file)
                    case .skip(let reason): result.skips.append(DiscoverySkip(path: entry.full, reason: reason))
                    }
                }
            } else {
                result.files.append(try named(path))
            }
        }
        return result
    }
}

/// A recursive search of a directory for `.json` and `.csv` files that looks at each entry with
/// `lstat`/`stat` before anything opens it.
private struct DirectoryWalk {
    var candidates: [(relative: String, full: String)] = []
    var skips: [DiscoverySkip] = []
    let isCandidate: (String) -> Bool

    mutating func search(_ directory: String, relative: String) throws {
        for name in try Self.entries(of: directory) {
            let full = (directory as NSString).appendingPathComponent(name)
            let relativeName = relative + name
            var link = stat()
            guard lstat(full, &link) == 0 else { continue }  // gone since it was listed
            let isLink = link.st_mode & S_IFMT == S_IFLNK
            var info = link
            if isLink && stat(full, &info) != 0 {
                switch errno {
                case ELOOP:
                    skips.append(.init(path: full, reason: "a symbolic link loop: following it leads back to itself"))
                case ENOENT where isCandidate(relativeName):
                    skips.append(.init(path: full, reason: "a broken symbolic link: what it points to does not exist"))
                case ENOENT:
                    break
                case let code:
                    throw SourceFile.unreadable(full, errno: code)
                }
                continue
            }
            let type = SourceFile.FileType(info.st_mode)
            if type.isDirectory {
                if isLink {
                    // Not followed, as before: a link can lead back up the tree, and its files may be imported twice.
                    skips.append(.init(path: full, reason: "a symbolic link to a directory, not followed (name that directory to import it)"))
                } else if name != ".git" {
                    // A repository's object store is never an export, and can be large.
                    try search(full, relative: relativeName + "/")
                }
            } else if isCandidate(relativeName) {
                if let other = type.notRegular {
                    skips.append(.init(path: full, reason: "\(other), not a regular file; it was not opened"))
                } else {
                    candidates.append((relativeName, full))
                }
            }
        }
    }

    /// The names in a directory, without `.` and `..`.
    /// - Throws: ``ConnectorError`` naming the directory when it cannot be listed.
    static func entries(of directory: String) throws -> [String] {
        guard let handle = opendir(directory) else {
            let code = errno
            throw ConnectorError(
                .unreadable,
                "cannot list this directory (\(String(cString: strerror(code)))); fix its permissions or leave it out of the import",
                file: directory)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            // readdir returns nil both at the end and on an error; only errno tells them apart.
            errno = 0
            guard let entry = readdir(handle) else {
                let code = errno
                if code != 0 {
                    throw ConnectorError(.unreadable, "cannot list this directory (\(String(cString: strerror(code))))", file: directory)
                }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// The kinds of file one connector recognises by content, with the look-alikes it names when refusing them.
protocol ExportFileKind: Sendable, CustomStringConvertible {
    /// The kind of these bytes, or nil when they are no file of this connector's.
    static func recognise(_ data: Data) -> Self?
    /// Whether the connector imports this kind (look-alikes are recognised only to be named).
    var isImportable: Bool { get }
    /// What the connector imports, as a phrase for errors: "`az ad sp list` JSON, …".
    static var importableList: String { get }
}

extension Discovery {
    /// ``search(_:candidate:named:found:)`` for a connector whose `.json` files are told apart by
    /// ``ExportFileKind``: a named file must be importable (an empty file, a JSON syntax error, a
    /// foreign file or a look-alike each get their own error); files found in directories that are
    /// not importable are skipped with why.
    /// - Parameters:
    ///   - source: the connector's name in messages ("Azure").
    ///   - export: what its files are, after "not ": "an Azure CLI export".
    static func searchJSON<Kind: ExportFileKind>(
        _ paths: [String], kind: Kind.Type, source: String, export: String, make: @escaping (String, Kind) -> File
    ) throws -> Discovery<File> {
        try search(
            paths, candidate: { $0.hasSuffix(".json") },
            named: { path in
                let file = try SourceFile.read(path)
                guard let kind = Kind.recognise(file.data) else {
                    if file.data.isEmpty {
                        throw ConnectorError(.malformed, "the file is empty; expected \(Kind.importableList)", file: path, location: "line 1, column 1")
                    }
                    if file.startsLikeJSON, let problem = JSONSyntax.firstError(in: file.data) { throw file.error(for: problem) }
                    throw ConnectorError(.unrecognised, "not \(export) Roster reads; expected \(Kind.importableList)", file: path)
                }
                guard kind.isImportable else {
                    throw ConnectorError(
                        .wrongKind, "this is \(kind), which the \(source) connector does not import; expected \(Kind.importableList)", file: path)
                }
                return make(path, kind)
            },
            found: { path in
                let file: SourceFile
                do {
                    file = try SourceFile.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not text Roster can read (\(error.message))")
                }
                switch Kind.recognise(file.data) {
                case let kind? where kind.isImportable: return .file(make(path, kind))
                case let kind?: return .skip("this is \(kind), which the \(source) connector does not import")
                case nil: return .skip("not \(export) Roster reads")
                }
            })
    }
}
