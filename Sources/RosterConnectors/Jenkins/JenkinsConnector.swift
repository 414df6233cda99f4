public import Foundation
public import RosterModel

/// Reads Jenkins controllers' `$JENKINS_HOME/credentials.xml` (the system credentials store) into
/// one ``Estate`` per controller, scope `jenkins:<controller>`.
///
/// The controller is named by the folder holding the file: copy each controller's
/// `credentials.xml` into a folder named after it (`jenkins/ci-prod/credentials.xml`), or point
/// Roster at the `JENKINS_HOME` itself, whose folder name then names the controller. Files are
/// recognised by their root element, `com.cloudbees.plugins.credentials.SystemCredentialsProvider`,
/// so the other XML files of a `JENKINS_HOME` are passed over. Folder-level stores (inside a
/// folder job's `config.xml`) and per-user stores are not read.
///
/// For example:
/// ```swift
/// let connector = JenkinsConnector()
/// let result = try connector.read(try connector.discover(["examples/estate/jenkins"]).files)
/// ```
public struct JenkinsConnector: Connector {
    /// A credentials.xml and the controller it belongs to.
    public struct InputFile: Sendable, Hashable {
        public var path: String
        /// The name of the folder holding the file.
        public var controller: String

        public init(path: String, controller: String) {
            self.path = path
            self.controller = controller
        }
    }

    public var provider: Provider { .jenkins }

    /// The time to measure ages against; otherwise the files' modification time (credentials.xml holds no timestamp).
    public var asOf: Date?

    public init(asOf: Date? = nil) {
        self.asOf = asOf
    }

    static let reads = "a controller's $JENKINS_HOME/credentials.xml, in a folder named after the controller"

    /// Expands directories (recursively, `.xml` files) and recognises credentials.xml files by their root element.
    ///
    /// - Throws: ``ConnectorError`` for a named file that is missing, unreadable or not a credentials.xml.
    public func discover(_ paths: [String]) throws -> Discovery<InputFile> {
        try Discovery.search(
            paths,
            candidate: { $0.hasSuffix(".xml") },
            named: { path in
                let file = try SourceFile.read(path)
                try Self.checkNamed(file)
                return InputFile(path: path, controller: Self.controller(of: path))
            },
            found: { path in
                let file: SourceFile
                do {
                    file = try SourceFile.read(path)
                } catch let error as ConnectorError where error.code == .malformed {
                    return .skip("not text Roster can read (\(error.message))")
                }
                let prolog = XMLProlog.read(file.data)
                guard prolog.root == JenkinsCredentialsFile.rootElement else {
                    return .skip("not a Jenkins credentials.xml" + (prolog.root.map { " (its root element is <\($0.prefix(80))>)" } ?? ""))
                }
                return .file(InputFile(path: path, controller: Self.controller(of: path)))
            }
        )
    }

    /// The controller a file belongs to: the name of the folder holding it.
    static func controller(of path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        return folder.isEmpty || folder == "/" ? "jenkins" : folder
    }

    /// Refuses a named file that is not a credentials.xml, saying what it is.
    private static func checkNamed(_ file: SourceFile) throws {
        if file.data.isEmpty {
            throw ConnectorError(.malformed, "the file is empty; expected \(reads)", file: file.path, location: "line 1, column 1")
        }
        let root = XMLProlog.read(file.data).root
        guard let root else {
            throw ConnectorError(.unrecognised, "not XML; expected \(reads)", file: file.path)
        }
        guard root == JenkinsCredentialsFile.rootElement else {
            let jenkins = ["hudson", "jenkins.", "com.cloudbees.", "org.jenkinsci.", "flow-definition", "project", "user"].contains {
                root.hasPrefix($0)
            }
            throw ConnectorError(
                jenkins ? .wrongKind : .unrecognised,
                "\(jenkins ? "a Jenkins XML file" : "an XML file") whose root element is <\(root.prefix(80))>, not Jenkins' credentials.xml "
                    + "(<\(JenkinsCredentialsFile.rootElement)>)",
                file: file.path
            )
        }
    }

    /// A digest of the files' bytes, their controllers and what fixes the observation time.
    public func inputDigest(_ files: [InputFile]) throws -> String {
        var parts: [String] = []
        var newest: Date?
        for input in files {
            let file = try SourceFile.read(input.path)
            parts.append("\(input.controller):\(ContentDigest.sha256(file.data))")
            if let modified = Self.modified(input.path) { newest = max(newest ?? modified, modified) }
        }
        parts.sort()
        parts.append(asOf.map { "as-of:\($0.timeIntervalSinceReferenceDate)" } ?? "observed:\(newest?.utcDay ?? Date().utcDay)")
        return ContentDigest.sha256(parts.joined(separator: "\n"))
    }

    /// Reads every file and maps them to one estate per controller.
    ///
    /// - Throws: ``ConnectorError`` for the first file that cannot be read, with its line and column or element.
    public func read(_ files: [InputFile], progress: ProgressHandler? = nil) throws -> ConnectorResult {
        var byController: [String: [InputFile]] = [:]
        for file in files { byController[file.controller, default: []].append(file) }
        var estates: [Estate] = []
        var warnings: [String] = []
        var done = 0
        for controller in byController.keys.sorted() {
            let inputs = byController[controller]!
            var parsed: [(String, JenkinsCredentialsFile)] = []
            for input in inputs {
                progress?("reading \(controller)/\((input.path as NSString).lastPathComponent)", done, files.count)
                parsed.append((input.path, try JenkinsCredentialsFile.parse(try SourceFile.read(input.path))))
                done += 1
            }
            if inputs.count > 1 {
                warnings.append(
                    "jenkins:\(controller): \(inputs.count) credentials.xml files are in folders named \(controller); read as one controller"
                )
            }
            let observedAt = observationTime(of: inputs, controller: controller, warnings: &warnings)
            var mapper = JenkinsMapper(controller: controller, observedAt: observedAt)
            for (path, file) in parsed { try mapper.add(file, path: path) }
            warnings += mapper.warnings
            estates.append(mapper.finish())
        }
        progress?("mapping", files.count, files.count)
        return ConnectorResult(estates: estates, warnings: warnings)
    }

    /// `--as-of`, else the newest modification time of the controller's files (said in a warning).
    private func observationTime(of inputs: [InputFile], controller: String, warnings: inout [String]) -> Date {
        if let asOf { return asOf }
        guard let modified = inputs.compactMap({ Self.modified($0.path) }).max() else { return Date() }
        warnings.append(
            "jenkins:\(controller): observation time \(JenkinsConnector.iso(modified)) taken from the files' modification time "
                + "(credentials.xml holds no timestamp); pass --as-of to override"
        )
        return modified
    }

    static func modified(_ path: String) -> Date? {
        try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

extension JenkinsConnector {
    /// The Jenkins entry of the connector registry.
    public static let entry = ConnectorEntry(provider: .jenkins, title: "Jenkins", reads: reads) { paths, options in
        let connector = JenkinsConnector(asOf: options.asOf)
        let found = try connector.discover(paths)
        return RecognisedFiles(connector, discovery: found, paths: found.files.map(\.path))
    }
}
