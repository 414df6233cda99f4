import Foundation

/// One input file's bytes and name, with decoding that turns every failure into a located ``ConnectorError``.
struct SourceFile: Sendable {
    let path: String
    let data: Data

    static func read(_ path: String) throws -> SourceFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConnectorError(.unreadable, "no such file", file: path)
        }
        guard !isDirectory.boolValue else { throw ConnectorError(.unreadable, "is a directory, expected a file", file: path) }
        do {
            return SourceFile(path: path, data: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
        } catch {
            throw ConnectorError(.unreadable, "cannot be read (\((error as NSError).localizedDescription))", file: path)
        }
    }

    /// Decodes the file as `T`, naming the line and column of a syntax error or the JSON path of a shape error.
    ///
    /// The bytes are checked first, in one pass: syntax, UTF-8, repeated keys (which decoders
    /// resolve differently, so a Deny one tool sees could be an Allow to another) and `limits`.
    func decodeJSON<T: Decodable>(_ type: T.Type, expecting what: String, limits: JSONSyntax.Limits = .awsExport) throws -> T {
        if let problem = JSONSyntax.check(data, limits: limits) { throw error(for: problem) }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw locate(error, expecting: what)
        }
    }

    func error(for problem: JSONSyntax.Problem) -> ConnectorError {
        switch problem.kind {
        case .syntax: ConnectorError(.malformed, "not valid JSON: \(problem.message)", file: path, location: problem.location)
        case .invalidUTF8: ConnectorError(.malformed, "not valid UTF-8: \(problem.message)", file: path, location: problem.location)
        case .duplicateKey: ConnectorError(.duplicateKey, problem.message, file: path, location: "\(problem.location), at \(problem.path)")
        case .tooLarge: ConnectorError(.tooLarge, problem.message, file: path, location: "\(problem.location), at \(problem.path)")
        }
    }

    func locate(_ error: DecodingError, expecting what: String) -> ConnectorError {
        func path(_ codingPath: [any CodingKey]) -> String {
            var out = "$"
            for key in codingPath {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += "." + key.stringValue
                }
            }
            return out
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ConnectorError(.wrongShape, "expected \(describe(type)) in \(what); \(context.debugDescription.lowercasedFirst)", file: self.path, location: path(context.codingPath))
        case .valueNotFound(let type, let context):
            return ConnectorError(.wrongShape, "expected \(describe(type)) in \(what), found null", file: self.path, location: path(context.codingPath))
        case .keyNotFound(let key, let context):
            return ConnectorError(.wrongShape, "missing required field \"\(key.stringValue)\" in \(what)", file: self.path, location: path(context.codingPath))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let problem = JSONSyntax.firstError(in: data) {
                return self.error(for: problem)
            }
            return ConnectorError(.wrongShape, context.debugDescription, file: self.path, location: path(context.codingPath))
        @unknown default:
            return ConnectorError(.wrongShape, "unexpected content in \(what)", file: self.path)
        }
    }

    private func describe(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Int.Type || type is Double.Type || type is Int64.Type { return "a number" }
        if type is Bool.Type { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "an object"
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}

/// A timestamp as AWS prints it, decoded strictly so a bad date is reported at its JSON path.
struct AWSDate: Decodable, Hashable, Sendable {
    let date: Date

    init(_ date: Date) {
        self.date = date
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 timestamp such as 2024-03-01T10:15:00+00:00")
        }
        self.date = date
    }
}
