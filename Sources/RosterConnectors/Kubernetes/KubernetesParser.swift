import Foundation
import Yams

/// Decodes one file of Kubernetes objects, JSON or YAML, into documents, turning every failure into
/// a ``ConnectorError`` with a line and column (syntax) or a path such as `$.items[3].metadata.name` (shape).
enum KubernetesParser {
    /// What Roster accepts in a Kubernetes export: single strings up to 1.5 MiB, the most the API server
    /// stores for a whole object (etcd's request limit), so a 280 MB "name" is refused before it is kept.
    static let limits = JSONSyntax.Limits(string: 3 << 19, stringWhat: "a single field (the API server stores at most 1.5 MiB per object)", members: [:])

    static func parse(_ file: SourceFile, kind: KubernetesFileKind) throws -> [KubernetesDocument] {
        switch kind {
        case .objectsJSON:
            return [try file.decodeJSON(KubernetesDocument.self, expecting: "Kubernetes objects", limits: limits)]
        case .objectsYAML:
            // JSON is YAML, but JSON's own checker says more precisely where a JSON file breaks.
            if file.startsLikeJSON { return [try file.decodeJSON(KubernetesDocument.self, expecting: "Kubernetes objects", limits: limits)] }
            return try parseYAML(file)
        default:
            throw ConnectorError(.wrongKind, "this is \(kind), not Kubernetes objects", file: file.path)
        }
    }

    /// Every document of a YAML stream (`---` separated); empty documents are passed over.
    ///
    /// Read through ``YAMLToJSON`` and the JSON decoder (fast); a file that path cannot take, or whose
    /// objects do not decode, is read again with Yams, which decides and says where the problem is.
    static func parseYAML(_ file: SourceFile) throws -> [KubernetesDocument] {
        let texts: [Data]
        do {
            texts = try YAMLToJSON.documents(file.data, path: file.path, stringLimit: limits.string)
        } catch is YAMLToJSON.Fallback {
            return try parseYAMLCarefully(file)
        }
        var documents: [KubernetesDocument] = []
        documents.reserveCapacity(texts.count)
        let decoder = JSONDecoder()
        for text in texts {
            do {
                documents.append(try decoder.decode(KubernetesDocument.self, from: text))
            } catch is DecodingError {
                return try parseYAMLCarefully(file)
            }
        }
        return documents
    }

    /// The same, through Yams' node tree: slower, but every error has its line, column and path.
    static func parseYAMLCarefully(_ file: SourceFile) throws -> [KubernetesDocument] {
        let text = try utf8Text(file)
        var documents: [KubernetesDocument] = []
        do {
            let parser = try Parser(yaml: text)
            var index = 0
            while let node = try parser.nextRoot() {
                defer { index += 1 }
                if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag.description == "tag:yaml.org,2002:null" { continue }
                try checkExpansion(node, bytes: file.data.count, file: file.path)
                do {
                    documents.append(try YAMLDecoder().decode(KubernetesDocument.self, from: node))
                } catch let error as DecodingError {
                    throw locate(error, in: node, document: index, file: file.path)
                }
            }
        } catch let error as YamlError {
            throw convert(error, file: file.path)
        }
        return documents
    }

    /// The text as a String, refusing bytes that are not UTF-8 (or NULs, which UTF-16 without a byte order mark leaves).
    private static func utf8Text(_ file: SourceFile) throws -> String {
        if let nul = file.data.firstIndex(of: 0) {
            let (line, column) = position(of: nul - file.data.startIndex, in: file.data)
            throw ConnectorError(
                .malformed, "the file holds NUL bytes: it looks like UTF-16 saved without a byte order mark; save it as UTF-8",
                file: file.path, location: "line \(line), column \(column)")
        }
        if let text = String(validating: file.data, as: UTF8.self) { return text }
        var offset = 0
        var iterator = file.data.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += String(scalar).utf8.count
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        let (line, column) = position(of: offset, in: file.data)
        throw ConnectorError(.malformed, "not valid UTF-8 text; save it as UTF-8", file: file.path, location: "line \(line), column \(column)")
    }

    static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Refuses a document whose aliases expand to far more nodes than the text holds ("billion laughs"):
    /// the composed tree shares each anchored node, but a walk (or a decoder) would visit every copy.
    private static func checkExpansion(_ root: Node, bytes: Int, file: String) throws {
        var budget = max(bytes, 4096) * 2
        var stack = [root]
        while let node = stack.popLast() {
            budget -= 1
            if budget < 0 {
                throw ConnectorError(
                    .tooLarge, "YAML aliases expand this document to far more values than the file holds; Roster refuses it (a \"billion laughs\" document)",
                    file: file, location: root.mark.map { "line \($0.line), column \($0.column)" })
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .scalar, .alias: continue
            }
        }
    }

    private static func convert(_ error: YamlError, file: String) -> ConnectorError {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return ConnectorError(.malformed, "not valid YAML: \(problem)" + (context.map { " \($0.text)" } ?? ""), file: file, location: at(mark))
        case .composer(_, let problem, let mark, _):
            return ConnectorError(.malformed, "not valid YAML: \(problem)", file: file, location: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConnectorError(
                .duplicateKey,
                "the key \(duplicates.map { "\"\($0.prefix(60))\"" }.joined(separator: ", ")) appears twice in one mapping, so tools disagree on its value",
                file: file, location: at(context.mark))
        case .reader(let problem, let offset, _, _):
            return ConnectorError(.malformed, "not readable as YAML: \(problem)", file: file, location: offset.map { "byte \($0)" })
        default:
            return ConnectorError(.malformed, "not valid YAML: \(error)", file: file)
        }
    }

    /// A decoding error with the path Roster shows (`$.items[2].metadata.name`), the document's number
    /// when the stream has several, and the line and column of the deepest node the path reaches.
    private static func locate(_ error: DecodingError, in root: Node, document: Int, file: String) -> ConnectorError {
        let (codingPath, message): ([any CodingKey], String)
        switch error {
        case .typeMismatch(let type, let context): (codingPath, message) = (context.codingPath, "expected \(describe(type)), found something else")
        case .valueNotFound(let type, let context): (codingPath, message) = (context.codingPath, "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context): (codingPath, message) = (context.codingPath, "missing required field \"\(key.stringValue)\"")
        case .dataCorrupted(let context): (codingPath, message) = (context.codingPath, context.debugDescription)
        @unknown default: (codingPath, message) = ([], "unexpected content")
        }
        var path = "$"
        var node: Node? = root
        var mark = root.mark
        for key in codingPath where key.stringValue != "super" {
            if let index = key.intValue {
                path += "[\(index)]"
                if case .sequence(let sequence)? = node, index < sequence.count { node = sequence[index] } else { node = nil }
            } else {
                path += "." + key.stringValue
                node = node?[key.stringValue]
            }
            if let found = node?.mark { mark = found }
        }
        var location = [mark.map { "line \($0.line), column \($0.column)" }, "at \(path)"].compactMap { $0 }.joined(separator: ", ")
        if document > 0 { location += " (document \(document + 1))" }
        return ConnectorError(.wrongShape, message + " in Kubernetes objects", file: file, location: location)
    }

    private static func describe(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Int.Type { return "a number" }
        if type is Bool.Type { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "a list" }
        return "a mapping"
    }
}
